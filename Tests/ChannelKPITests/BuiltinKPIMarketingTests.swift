import ChannelKPI
import Testing

/// Marketing KPIs on the main program (see `MainProgram`).
/// Leads created in Q1: P1 L1 L2 L3 L5 (4), P2 L4 (1), P3 L6 L8 (2), P4 L7 (1); L9 (P2) in 2024.
/// Visits in Q1: P1 100 + 50, P2 200, P3 40, P4 10 = 400; P3 1000 on 2024-12-31.
/// Campaign cost by start day: K1 P1 1000 (2025-01-02), K2 P2 300 (2024-11-01), K3 P3 2000 (2025-02-01),
/// K4 P4 400 (2025-03-01).
@Suite struct BuiltinKPIMarketingTests {
  @Test func leadsGenerated() throws {
    let k = try KPIProbe(MainProgram.records)
    try k.expect("leads_generated", S.network, "2025-Q1", 8)
    try k.expect("leads_generated", S.p1, "2025-Q1", 4)
    try k.expect("leads_generated", S.p2, "2025-Q1", 1)
    try k.expect("leads_generated", S.p3, "2025-Q1", 2)
    try k.expect("leads_generated", S.p4, "2025-Q1", 1)
    try k.expect("leads_generated", S.msp, "2025-Q1", 3)  // P2 1 + P3 2
    try k.expect("leads_generated", S.emea, "2025-Q1", 6)  // P1 4 + P3 2
    try k.expect("leads_generated", S.na, "2025-Q1", 2)  // P2 1 + P4 1
    try k.expect("leads_generated", S.gold, "2025-Q1", 5)  // P1 4 + P2 1
    try k.expect("leads_generated", S.silver, "2025-Q1", 1)
    try k.expect("leads_generated", S.network, "2025-01", 3)  // L1 L2 L4
    try k.expect("leads_generated", S.network, "2025-02", 4)  // L3 L5 L6 L7
    try k.expect("leads_generated", S.network, "2025-03", 1)  // L8
    try k.expect("leads_generated", S.network, "2024", 1)  // L9
    try k.expect("leads_generated", S.network, "2025-Q2", 0)
  }

  @Test func webVisits() throws {
    let k = try KPIProbe(MainProgram.records)
    try k.expect("web_visits", S.network, "2025-Q1", 400)
    try k.expect("web_visits", S.p1, "2025-Q1", 150)  // unattributed 100 + K1 50 on the same day
    try k.expect("web_visits", S.p2, "2025-Q1", 200)
    try k.expect("web_visits", S.p3, "2025-Q1", 40)
    try k.expect("web_visits", S.p4, "2025-Q1", 10)
    try k.expect("web_visits", S.msp, "2025-Q1", 240)
    try k.expect("web_visits", S.emea, "2025-Q1", 190)
    try k.expect("web_visits", S.na, "2025-Q1", 210)
    try k.expect("web_visits", S.gold, "2025-Q1", 350)
    try k.expect("web_visits", S.silver, "2025-Q1", 10)
    try k.expect("web_visits", S.network, "2025-01", 150)
    try k.expect("web_visits", S.network, "2025-02", 210)  // P2 200 + P4 10
    try k.expect("web_visits", S.network, "2025-03", 40)
    try k.expect("web_visits", S.network, "2024", 1000)
    try k.expect("web_visits", S.network, "2025-Q2", 0)
  }

  @Test func visitToLeadRate() throws {
    let k = try KPIProbe(MainProgram.records)
    try k.expect("visit_to_lead_rate", S.network, "2025-Q1", 8.0 / 400)
    try k.expect("visit_to_lead_rate", S.p1, "2025-Q1", 4.0 / 150)
    try k.expect("visit_to_lead_rate", S.p2, "2025-Q1", 1.0 / 200)
    try k.expect("visit_to_lead_rate", S.p3, "2025-Q1", 2.0 / 40)
    try k.expect("visit_to_lead_rate", S.p4, "2025-Q1", 1.0 / 10)
    try k.expect("visit_to_lead_rate", S.msp, "2025-Q1", 3.0 / 240)
    try k.expect("visit_to_lead_rate", S.emea, "2025-Q1", 6.0 / 190)
    try k.expect("visit_to_lead_rate", S.na, "2025-Q1", 2.0 / 210)
    try k.expect("visit_to_lead_rate", S.gold, "2025-Q1", 5.0 / 350)
    try k.expect("visit_to_lead_rate", S.silver, "2025-Q1", 1.0 / 10)
    try k.expect("visit_to_lead_rate", S.network, "2025-01", 3.0 / 150)
    try k.expect("visit_to_lead_rate", S.network, "2025-02", 4.0 / 210)
    try k.expect("visit_to_lead_rate", S.network, "2025-03", 1.0 / 40)
    try k.expect("visit_to_lead_rate", S.network, "2024", 1.0 / 1000)  // L9 / P3's 1000 visits
    try k.expect("visit_to_lead_rate", S.p2, "2024", nil)  // 1 lead / 0 visits
    try k.expect("visit_to_lead_rate", S.p3, "2024", 0)  // 0 leads / 1000 visits
    try k.expect("visit_to_lead_rate", S.network, "2025-Q2", nil)  // 0 / 0
  }

  @Test func costPerAcquisition() throws {
    let k = try KPIProbe(MainProgram.records)
    // New customers in Q1: C2 (P1, Feb), C5 (P3, Jan), C6 (P4, Mar).
    try k.expect("cost_per_acquisition", S.network, "2025-Q1", 3400.0 / 3)  // (1000 + 2000 + 400) / 3
    try k.expect("cost_per_acquisition", S.p1, "2025-Q1", 1000)  // 1000 / 1
    try k.expect("cost_per_acquisition", S.p2, "2025-Q1", nil)  // 0 / 0
    try k.expect("cost_per_acquisition", S.p3, "2025-Q1", 2000)  // 2000 / 1
    try k.expect("cost_per_acquisition", S.p4, "2025-Q1", 400)  // 400 / 1
    try k.expect("cost_per_acquisition", S.msp, "2025-Q1", 2000)  // (0 + 2000) / 1
    try k.expect("cost_per_acquisition", S.emea, "2025-Q1", 1500)  // 3000 / 2
    try k.expect("cost_per_acquisition", S.na, "2025-Q1", 400)  // 400 / 1
    try k.expect("cost_per_acquisition", S.gold, "2025-Q1", 1000)  // 1000 / 1 (C2)
    try k.expect("cost_per_acquisition", S.silver, "2025-Q1", 400)
    try k.expect("cost_per_acquisition", S.network, "2025-01", 1000)  // K1 / C5
    try k.expect("cost_per_acquisition", S.network, "2025-02", 2000)  // K3 / C2
    try k.expect("cost_per_acquisition", S.network, "2025-03", 400)  // K4 / C6
    try k.expect("cost_per_acquisition", S.p1, "2025-02", 0)  // 0 cost / 1 new customer
    try k.expect("cost_per_acquisition", S.network, "2024", 60)  // K2 300 / 5 new customers
    try k.expect("cost_per_acquisition", S.network, "2025-Q2", nil)  // 0 / 0
  }

  @Test func marketingROI() throws {
    let k = try KPIProbe(MainProgram.records)
    // Deals named by a lead with a campaign: D2 (L1), D4 (L2), D6 (L4), D8 (L5 of P1 and L6 of P3), D5 (L9,
    // a 2024 lead). Won in Q1 among them: D2 500 (P1, Feb), D5 800 (P2, Jan), D8 1200 (P3, Mar, once).
    // D10 is named only by L7 (no campaign), so it is not campaign revenue.
    try k.expect("marketing_roi", S.network, "2025-Q1", (2500.0 - 3400) / 3400)
    try k.expect("marketing_roi", S.p1, "2025-Q1", (500.0 - 1000) / 1000)  // -0.5
    try k.expect("marketing_roi", S.p2, "2025-Q1", nil)  // revenue 800, cost 0 (K2 started in 2024)
    try k.expect("marketing_roi", S.p3, "2025-Q1", (1200.0 - 2000) / 2000)  // -0.4; D8 counted once
    try k.expect("marketing_roi", S.p4, "2025-Q1", -1)  // (0 - 400) / 400
    try k.expect("marketing_roi", S.msp, "2025-Q1", 0)  // (800 + 1200 - 2000) / 2000
    try k.expect("marketing_roi", S.emea, "2025-Q1", (1700.0 - 3000) / 3000)  // D2 + D8 vs K1 + K3
    try k.expect("marketing_roi", S.na, "2025-Q1", 1)  // (D5 800 - K4 400) / 400
    try k.expect("marketing_roi", S.gold, "2025-Q1", 0.3)  // (D2 500 + D5 800 - K1 1000) / 1000
    try k.expect("marketing_roi", S.silver, "2025-Q1", -1)
    try k.expect("marketing_roi", S.network, "2025-01", -0.2)  // (D5 800 - K1 1000) / 1000
    try k.expect("marketing_roi", S.network, "2025-02", -0.75)  // (D2 500 - K3 2000) / 2000
    try k.expect("marketing_roi", S.network, "2025-03", 2)  // (D8 1200 - K4 400) / 400
    try k.expect("marketing_roi", S.network, "2024", -1)  // (0 - K2 300) / 300 (D0 not from a campaign)
    try k.expect("marketing_roi", S.network, "2025-Q2", nil)  // no campaign cost
  }

  /// A focused fixture for the rules of campaign revenue.
  @Test func marketingROICampaignRevenueRules() throws {
    let k = try KPIProbe([
      Row.partner("A", type: "reseller", region: "emea", joined: "2024-01-01"),
      Row.partner("B", type: "msp", region: "emea", joined: "2024-01-01"),
      Row.campaign("KA", "A", started: "2025-01-01", cost: "1000"),
      Row.campaign("KB", "B", started: "2024-05-01", cost: "100"),
      Row.campaign("KC", "A", started: "2025-02-01", cost: "0"),
      // B's deal, named only by A's campaign lead.
      Row.deal("E1", "B", created: "2025-01-02", stage: "won", closed: "2025-01-10", amount: "600"),
      Row.lead("LA1", "A", campaign: "KA", created: "2025-01-02", converted: "2025-01-02", deal: "E1"),
      // A's deal named by two campaign leads: counted once.
      Row.deal("E2", "A", created: "2025-01-03", stage: "won", closed: "2025-01-20", amount: "900"),
      Row.lead("LA2", "A", campaign: "KA", created: "2025-01-03", converted: "2025-01-03", deal: "E2"),
      Row.lead("LA3", "A", campaign: "KA", created: "2025-01-04", converted: "2025-01-04", deal: "E2"),
      // A's deal named only by a lead without campaign: not campaign revenue.
      Row.deal("E3", "A", created: "2025-01-05", stage: "won", closed: "2025-01-25", amount: "5000"),
      Row.lead("LA4", "A", created: "2025-01-05", converted: "2025-01-05", deal: "E3"),
      // A's deal named by B's campaign lead of 2024: counts whatever the lead's partner or date.
      Row.deal("E4", "A", created: "2024-06-01", stage: "won", closed: "2025-01-26", amount: "300"),
      Row.lead("LB1", "B", campaign: "KB", created: "2024-06-01", converted: "2024-06-01", deal: "E4"),
      // A campaign-lead deal that was lost: no revenue.
      Row.deal("E5", "A", created: "2025-01-06", stage: "lost", closed: "2025-01-27", amount: "7000"),
      Row.lead("LA5", "A", campaign: "KA", created: "2025-01-06", converted: "2025-01-06", deal: "E5"),
    ])
    try k.expect("marketing_roi", .network, "2025-01", 0.8)  // (E1 600 + E2 900 + E4 300 - KA 1000) / 1000
    try k.expect("marketing_roi", Scope(.partner, "A"), "2025-01", 0.2)  // (E2 900 + E4 300 - 1000) / 1000
    try k.expect("marketing_roi", Scope(.partner, "B"), "2025-01", nil)  // E1 600, but no B cost in Jan
    try k.expect("marketing_roi", Scope(.partner, "B"), "2024", -1)  // (0 - KB 100) / 100
    try k.expect("marketing_roi", .network, "2025-02", nil)  // KC costs 0: denominator 0
    try k.expect("marketing_roi", .network, "2025-Q1", 0.8)  // same deals; cost 1000 + 0
  }
}
