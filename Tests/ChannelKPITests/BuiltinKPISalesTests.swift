import ChannelKPI
import Testing

/// Sales-effectiveness KPIs on the main program (see `MainProgram` for the facts).
@Suite struct BuiltinKPISalesTests {
  @Test func leadConversionRate() throws {
    let k = try KPIProbe(MainProgram.records)
    // Leads created in Q1: L1..L8; converted_on present: L1 L2 (converted 04-02, after Q1) L4 L5 L6 L7;
    // not converted: L3 (has deal_id D3 but no converted_on), L8.
    try k.expect("lead_conversion_rate", S.network, "2025-Q1", 6.0 / 8)
    try k.expect("lead_conversion_rate", S.p1, "2025-Q1", 3.0 / 4)  // L1 L2 L5 / L1 L2 L3 L5
    try k.expect("lead_conversion_rate", S.p2, "2025-Q1", 1)  // L4 / L4 (L9 is from 2024)
    try k.expect("lead_conversion_rate", S.p3, "2025-Q1", 1.0 / 2)  // L6 / L6 L8
    try k.expect("lead_conversion_rate", S.p4, "2025-Q1", 1)  // L7 / L7
    try k.expect("lead_conversion_rate", S.msp, "2025-Q1", 2.0 / 3)  // L4 L6 / L4 L6 L8
    try k.expect("lead_conversion_rate", S.emea, "2025-Q1", 4.0 / 6)  // P1 3/4 + P3 1/2 → 4/6
    try k.expect("lead_conversion_rate", S.na, "2025-Q1", 1)  // L4 L7 / L4 L7
    try k.expect("lead_conversion_rate", S.gold, "2025-Q1", 4.0 / 5)  // P1 3/4 + P2 1/1 → 4/5
    try k.expect("lead_conversion_rate", S.silver, "2025-Q1", 1)  // L7 / L7
    try k.expect("lead_conversion_rate", S.network, "2025-01", 1)  // L1 L2 L4 / same (L2 converted in April)
    try k.expect("lead_conversion_rate", S.p1, "2025-01", 1)  // L1 L2 / L1 L2
    try k.expect("lead_conversion_rate", S.network, "2025-02", 3.0 / 4)  // L5 L6 L7 / L3 L5 L6 L7
    try k.expect("lead_conversion_rate", S.network, "2025-03", 0)  // 0 / L8
    try k.expect("lead_conversion_rate", S.network, "2024", 1)  // L9 / L9
    try k.expect("lead_conversion_rate", S.network, "2025-Q2", nil)  // no leads
  }

  @Test func avgDealSize() throws {
    let k = try KPIProbe(MainProgram.records)
    try k.expect("avg_deal_size", S.network, "2025-Q1", 820)  // 4100 / 5
    try k.expect("avg_deal_size", S.p1, "2025-Q1", 750)  // 1500 / 2
    try k.expect("avg_deal_size", S.p2, "2025-Q1", 800)  // 800 / 1
    try k.expect("avg_deal_size", S.p3, "2025-Q1", 1200)
    try k.expect("avg_deal_size", S.p4, "2025-Q1", 600)
    try k.expect("avg_deal_size", S.msp, "2025-Q1", 1000)  // 2000 / 2
    try k.expect("avg_deal_size", S.emea, "2025-Q1", 900)  // 2700 / 3
    try k.expect("avg_deal_size", S.na, "2025-Q1", 700)  // 1400 / 2
    try k.expect("avg_deal_size", S.gold, "2025-Q1", 2300.0 / 3)  // 2300 / 3
    try k.expect("avg_deal_size", S.silver, "2025-Q1", 600)
    try k.expect("avg_deal_size", S.network, "2025-01", 900)  // 1800 / 2
    try k.expect("avg_deal_size", S.network, "2025-02", 500)
    try k.expect("avg_deal_size", S.network, "2025-03", 900)  // 1800 / 2
    try k.expect("avg_deal_size", S.network, "2025", 820)
    try k.expect("avg_deal_size", S.p2, "2025-02", nil)  // only a lost deal
    try k.expect("avg_deal_size", S.network, "2025-Q2", nil)
  }

  @Test func salesCycleDays() throws {
    let k = try KPIProbe(MainProgram.records)
    try k.expect("sales_cycle_days", S.network, "2025-Q1", 241.0 / 5)  // (70 + 40 + 50 + 58 + 23) / 5 = 48.2
    try k.expect("sales_cycle_days", S.p1, "2025-Q1", 55)  // (70 + 40) / 2
    try k.expect("sales_cycle_days", S.p2, "2025-Q1", 50)
    try k.expect("sales_cycle_days", S.p3, "2025-Q1", 58)
    try k.expect("sales_cycle_days", S.p4, "2025-Q1", 23)
    try k.expect("sales_cycle_days", S.msp, "2025-Q1", 54)  // (50 + 58) / 2
    try k.expect("sales_cycle_days", S.emea, "2025-Q1", 56)  // (70 + 40 + 58) / 3
    try k.expect("sales_cycle_days", S.na, "2025-Q1", 36.5)  // (50 + 23) / 2
    try k.expect("sales_cycle_days", S.gold, "2025-Q1", 160.0 / 3)  // (70 + 40 + 50) / 3
    try k.expect("sales_cycle_days", S.silver, "2025-Q1", 23)
    try k.expect("sales_cycle_days", S.network, "2025-01", 60)  // (70 + 50) / 2
    try k.expect("sales_cycle_days", S.network, "2025-02", 40)
    try k.expect("sales_cycle_days", S.network, "2025-03", 40.5)  // (58 + 23) / 2
    try k.expect("sales_cycle_days", S.network, "2024", 45)  // D0
    try k.expect("sales_cycle_days", S.network, "2025-Q2", nil)
  }

  @Test func coSellCycleDays() throws {
    let k = try KPIProbe(MainProgram.records)
    // Won co_sell deals: D2 (P1, 40 days, Feb), D8 (P3, 58 days, Mar); D6 is co_sell but lost.
    try k.expect("co_sell_cycle_days", S.network, "2025-Q1", 49)  // (40 + 58) / 2
    try k.expect("co_sell_cycle_days", S.p1, "2025-Q1", 40)
    try k.expect("co_sell_cycle_days", S.p2, "2025-Q1", nil)  // D6 co_sell lost: no won co_sell
    try k.expect("co_sell_cycle_days", S.p3, "2025-Q1", 58)
    try k.expect("co_sell_cycle_days", S.p4, "2025-Q1", nil)
    try k.expect("co_sell_cycle_days", S.msp, "2025-Q1", 58)
    try k.expect("co_sell_cycle_days", S.emea, "2025-Q1", 49)
    try k.expect("co_sell_cycle_days", S.na, "2025-Q1", nil)
    try k.expect("co_sell_cycle_days", S.gold, "2025-Q1", 40)
    try k.expect("co_sell_cycle_days", S.silver, "2025-Q1", nil)
    try k.expect("co_sell_cycle_days", S.network, "2025-01", nil)
    try k.expect("co_sell_cycle_days", S.network, "2025-02", 40)
    try k.expect("co_sell_cycle_days", S.network, "2025-03", 58)
    try k.expect("co_sell_cycle_days", S.network, "2025", 49)
  }

  @Test func openPipeline() throws {
    let k = try KPIProbe(MainProgram.records)
    // End of 2025-03-31: D4 2000, D9 700, D11 900 open; D3 and D8 closed on 03-31 are not open.
    try k.expect("open_pipeline", S.network, "2025-Q1", 3600)
    try k.expect("open_pipeline", S.p1, "2025-Q1", 2000)  // D4
    try k.expect("open_pipeline", S.p2, "2025-Q1", 0)  // none open: sum over nothing
    try k.expect("open_pipeline", S.p3, "2025-Q1", 700)  // D9 (D8 closed on end(P))
    try k.expect("open_pipeline", S.p4, "2025-Q1", 900)  // D11
    try k.expect("open_pipeline", S.msp, "2025-Q1", 700)
    try k.expect("open_pipeline", S.emea, "2025-Q1", 2700)  // D4 + D9
    try k.expect("open_pipeline", S.na, "2025-Q1", 900)
    try k.expect("open_pipeline", S.gold, "2025-Q1", 2000)
    try k.expect("open_pipeline", S.silver, "2025-Q1", 900)
    try k.expect("open_pipeline", S.network, "2025-01", 1000.25)  // D2 500 + D6 400 + D7 100.25
    try k.expect("open_pipeline", S.network, "2025-02", 2200.25)  // D3 300 + D7 100.25 + D8 1200 + D10 600
    try k.expect("open_pipeline", S.p3, "2025-02", 1200)  // D8, closes 03-31
    try k.expect("open_pipeline", S.network, "2025-03", 3600)
    try k.expect("open_pipeline", S.network, "2025", 3600)  // end 2025-12-31: D4 D9 D11 still open
    try k.expect("open_pipeline", S.network, "2024", 1800)  // D1 1000 + D5 800 open on 2024-12-31
  }

  @Test func pipelineVelocity() throws {
    let k = try KPIProbe(MainProgram.records)
    // open_deals × win_rate × avg_deal_size / sales_cycle_days
    try k.expect("pipeline_velocity", S.network, "2025-Q1", 3 * 0.625 * 820 / 48.2)  // open D4 D9 D11
    try k.expect("pipeline_velocity", S.p1, "2025-Q1", 1 * (2.0 / 3) * 750 / 55)  // open D4
    try k.expect("pipeline_velocity", S.p2, "2025-Q1", 0)  // 0 open × 1/3 × 800 / 50
    try k.expect("pipeline_velocity", S.p3, "2025-Q1", 1 * 1 * 1200.0 / 58)  // open D9
    try k.expect("pipeline_velocity", S.p4, "2025-Q1", 1 * 1 * 600.0 / 23)  // open D11
    try k.expect("pipeline_velocity", S.msp, "2025-Q1", 1 * 0.5 * 1000.0 / 54)  // open D9
    try k.expect("pipeline_velocity", S.emea, "2025-Q1", 2 * 0.75 * 900.0 / 56)  // open D4 D9
    try k.expect("pipeline_velocity", S.na, "2025-Q1", 1 * 0.5 * 700 / 36.5)  // open D11
    try k.expect("pipeline_velocity", S.gold, "2025-Q1", 1 * 0.5 * (2300.0 / 3) / (160.0 / 3))  // open D4
    try k.expect("pipeline_velocity", S.silver, "2025-Q1", 1 * 1 * 600.0 / 23)
    try k.expect("pipeline_velocity", S.network, "2025-01", 45)  // 3 open × 1 × 900 / 60
    try k.expect("pipeline_velocity", S.network, "2025-02", 25)  // 4 open × 0.5 × 500 / 40
    try k.expect("pipeline_velocity", S.network, "2025-03", 3 * 0.5 * 900 / 40.5)
    try k.expect("pipeline_velocity", S.network, "2024", 2 * 1 * 250.0 / 45)  // open D1 D5; D0
    try k.expect("pipeline_velocity", S.p2, "2025-02", nil)  // win rate 0 but avg_deal_size has no value
    try k.expect("pipeline_velocity", S.network, "2025-Q2", nil)  // no closed deals
  }

  @Test func dealRegistrations() throws {
    let k = try KPIProbe(MainProgram.records)
    // registered_on in Q1: D2 D3 D4 D6 D7 D8 D10 D11 (D1 registered 2024-11-02).
    try k.expect("deal_registrations", S.network, "2025-Q1", 8)
    try k.expect("deal_registrations", S.p1, "2025-Q1", 3)  // D2 D3 D4
    try k.expect("deal_registrations", S.p2, "2025-Q1", 2)  // D6 D7
    try k.expect("deal_registrations", S.p3, "2025-Q1", 1)  // D8
    try k.expect("deal_registrations", S.p4, "2025-Q1", 2)  // D10 D11
    try k.expect("deal_registrations", S.msp, "2025-Q1", 3)
    try k.expect("deal_registrations", S.emea, "2025-Q1", 4)
    try k.expect("deal_registrations", S.na, "2025-Q1", 4)
    try k.expect("deal_registrations", S.gold, "2025-Q1", 5)
    try k.expect("deal_registrations", S.silver, "2025-Q1", 2)
    try k.expect("deal_registrations", S.network, "2025-01", 3)  // D2 D6 D7
    try k.expect("deal_registrations", S.network, "2025-02", 3)  // D3 D8 D10
    try k.expect("deal_registrations", S.network, "2025-03", 2)  // D4 D11
    try k.expect("deal_registrations", S.network, "2024", 1)  // D1
    try k.expect("deal_registrations", S.network, "2025-Q2", 0)
  }

  @Test func registrationApprovalRate() throws {
    let k = try KPIProbe(MainProgram.records)
    // Q1: approved D2 D6 D8 D10, rejected D3 D7, pending D4 D11 (left out).
    try k.expect("registration_approval_rate", S.network, "2025-Q1", 4.0 / 6)
    try k.expect("registration_approval_rate", S.p1, "2025-Q1", 1.0 / 2)  // D2 / D2 D3 (D4 pending)
    try k.expect("registration_approval_rate", S.p2, "2025-Q1", 1.0 / 2)  // D6 / D6 D7
    try k.expect("registration_approval_rate", S.p3, "2025-Q1", 1)  // D8 / D8
    try k.expect("registration_approval_rate", S.p4, "2025-Q1", 1)  // D10 / D10 (D11 pending)
    try k.expect("registration_approval_rate", S.msp, "2025-Q1", 2.0 / 3)  // D6 D8 / D6 D7 D8
    try k.expect("registration_approval_rate", S.emea, "2025-Q1", 2.0 / 3)  // D2 D8 / D2 D3 D8
    try k.expect("registration_approval_rate", S.na, "2025-Q1", 2.0 / 3)  // D6 D10 / D6 D7 D10
    try k.expect("registration_approval_rate", S.gold, "2025-Q1", 2.0 / 4)  // D2 D6 / D2 D3 D6 D7
    try k.expect("registration_approval_rate", S.silver, "2025-Q1", 1)
    try k.expect("registration_approval_rate", S.network, "2025-01", 2.0 / 3)  // D2 D6 / D2 D6 D7
    try k.expect("registration_approval_rate", S.network, "2025-02", 2.0 / 3)  // D8 D10 / D3 D8 D10
    try k.expect("registration_approval_rate", S.network, "2025-03", nil)  // D4 D11 both pending
    try k.expect("registration_approval_rate", S.p4, "2025-03", nil)  // D11 pending only
    try k.expect("registration_approval_rate", S.network, "2024", 1)  // D1 / D1
    try k.expect("registration_approval_rate", S.network, "2025-Q2", nil)
  }

  @Test func registrationsPerPartner() throws {
    let k = try KPIProbe(MainProgram.records)
    // Active on 2025-03-31: P1 P3 P4 (P2 left 02-28).
    try k.expect("registrations_per_partner", S.network, "2025-Q1", 8.0 / 3)
    try k.expect("registrations_per_partner", S.p1, "2025-Q1", 3)  // 3 / 1
    try k.expect("registrations_per_partner", S.p2, "2025-Q1", nil)  // 2 / 0 active
    try k.expect("registrations_per_partner", S.p3, "2025-Q1", 1)
    try k.expect("registrations_per_partner", S.p4, "2025-Q1", 2)
    try k.expect("registrations_per_partner", S.msp, "2025-Q1", 3)  // 3 (D6 D7 D8) / 1 (P3)
    try k.expect("registrations_per_partner", S.emea, "2025-Q1", 2)  // 4 / 2
    try k.expect("registrations_per_partner", S.na, "2025-Q1", 4)  // 4 / 1 (P4)
    try k.expect("registrations_per_partner", S.gold, "2025-Q1", 5)  // 5 / 1 (P1)
    try k.expect("registrations_per_partner", S.silver, "2025-Q1", 2)  // 2 / 1
    try k.expect("registrations_per_partner", S.network, "2025-01", 1)  // 3 / 3 (P1 P2 P3; P4 not yet)
    try k.expect("registrations_per_partner", S.gold, "2025-01", 1.5)  // D2 D6 D7 / P1 P2
    try k.expect("registrations_per_partner", S.p4, "2025-01", nil)  // 0 / 0 (joins 02-10)
    try k.expect("registrations_per_partner", S.network, "2025-02", 1)  // 3 / 3 (P1 P3 P4; P2 left 02-28)
    try k.expect("registrations_per_partner", S.network, "2025-03", 2.0 / 3)
    try k.expect("registrations_per_partner", S.network, "2024", 1.0 / 3)  // D1 / P1 P2 P3
    try k.expect("registrations_per_partner", S.network, "2025-Q2", 0)  // 0 / 3
  }
}
