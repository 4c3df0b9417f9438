import ChannelKPI
import Testing

/// Small spec rules not covered by the main program, and re-imports (a row with an existing key replaces it).
@Suite struct BuiltinKPIUpdateTests {
  @Test func leadAndTicketDetails() throws {
    let k = try KPIProbe([
      Row.partner("A", type: "msp", region: "emea", joined: "2024-01-01"),
      // Converted without naming a deal: converted all the same.
      Row.lead("LA", "A", created: "2025-05-02", converted: "2025-05-03"),
      // Names a deal but has no converted_on: not converted.
      Row.lead("LB", "A", created: "2025-05-04", deal: "X"),
      Row.lead("LC", "A", created: "2025-05-31"),
      // Satisfaction given, never resolved: belongs to no period.
      Row.ticket("TA", "A", opened: "2025-05-01T10:00:00Z", satisfaction: "1"),
      // Resolved 2025-05-31T23:30-02:00 = 2025-06-01T01:30Z: June (UTC), 48 h after 2025-05-30T01:30Z.
      Row.ticket(
        "TB", "A", opened: "2025-05-29T22:30:00-03:00", resolved: "2025-05-31T23:30:00-02:00", satisfaction: "5"),
      // Opened 2025-05-10T09:00+05:30 = 03:30Z, resolved 2025-05-10T05:00Z: 1.5 h, May.
      Row.ticket("TC", "A", opened: "2025-05-10T09:00:00+05:30", resolved: "2025-05-10T05:00:00Z", satisfaction: "2"),
    ])
    try k.expect("lead_conversion_rate", .network, "2025-05", 1.0 / 3)  // LA / LA LB LC
    try k.expect("leads_generated", .network, "2025-05", 3)
    try k.expect("avg_resolution_hours", .network, "2025-05", 1.5)  // TC only
    try k.expect("avg_resolution_hours", .network, "2025-06", 48)  // TB
    try k.expect("support_csat", .network, "2025-05", 2)  // TC (TA unresolved)
    try k.expect("support_csat", .network, "2025-06", 5)  // TB
    try k.expect("support_csat", .network, "2025-Q2", 3.5)  // (2 + 5) / 2
  }

  /// Changes to the main program, each replacing or adding a row:
  /// - P3 now na / silver (was emea / no tier), still msp
  /// - L10 (P4, campaign K4, converted 2025-03-20) names D10
  /// - D9 (P3, C5, sourced, created 2025-03-10, 700) is now won on 2025-03-20 (cycle 10)
  static let changes = [
    Row.partner("P3", type: "msp", region: "na", tier: "silver", joined: "2024-03-01"),
    Row.lead("L10", "P4", campaign: "K4", created: "2025-03-20", converted: "2025-03-20", deal: "D10"),
    Row.deal("D9", "P3", customer: "C5", created: "2025-03-10", stage: "won", closed: "2025-03-20", amount: "700"),
  ]

  static func expectChanged(_ k: KPIProbe) throws {
    try k.expect("revenue", S.network, "2025-Q1", 4800)  // 4100 + D9 700
    try k.expect("revenue", S.silver, "2025-Q1", 2500)  // P4 600 + P3 1200 + 700
    try k.expect("revenue", S.emea, "2025-Q1", 1500)  // P1 only now
    try k.expect("revenue", S.na, "2025-Q1", 3300)  // P2 800 + P3 1900 + P4 600
    try k.expect("revenue", S.gold, "2025-Q1", 2300)  // unchanged
    try k.expect("sourced_revenue", S.network, "2025-Q1", 3100)  // 2400 + D9 700
    try k.expect("win_rate", S.network, "2025-Q1", 6.0 / 9)
    try k.expect("market_share", S.emea, "2025-Q1", 1500.0 / 40000)
    try k.expect("market_share", S.na, "2025-Q1", 3300.0 / 20000)
    try k.expect("market_share", S.msp, "2025-Q1", 2700.0 / 20000)  // P2 and P3 both na now
    try k.expect("market_share", S.silver, "2025-Q1", 2500.0 / 20000)
    try k.expect("market_share", S.network, "2025-Q1", 4800.0 / 60000)
    try k.expect("marketing_roi", S.p4, "2025-Q1", 0.5)  // (D10 600 − K4 400) / 400
    try k.expect("marketing_roi", S.network, "2025-Q1", (3100.0 - 3400) / 3400)  // D2 D5 D8 D10 vs 3400
    // P3's first won deal is now D9: 2024-03-01 → 2025-03-20 = 365 + 19 = 384.
    try k.expect("time_to_first_deal_days", S.p3, "2025-Q1", 384)
    try k.expect("time_to_first_deal_days", S.network, "2025-Q1", (233.0 + 384 + 33) / 3)
    try k.expect("open_pipeline", S.network, "2025-Q1", 2900)  // D4 2000 + D11 900
    try k.expect("pipeline_velocity", S.p3, "2025-Q1", 0)  // 0 open × 1 × 950 / 34
    try k.expect("leads_generated", S.network, "2025-Q1", 9)
    try k.expect("lead_conversion_rate", S.network, "2025-Q1", 7.0 / 9)
    try k.expect("certified_partner_rate", S.silver, "2025-Q1", 1.0 / 2)  // P3 / P3 P4
    try k.expect("certified_partner_rate", S.emea, "2025-Q1", 1)  // P1 / P1
    // ARPC (4350 + D9 700) / 5 = 1010; churn 4 / 3 unchanged → 1010 × 3/4
    try k.expect("customer_lifetime_value", S.network, "2025-Q1", 757.5)
  }

  @Test func reimportInOneLoadReplacesRows() throws {
    try Self.expectChanged(try KPIProbe(MainProgram.records + Self.changes))
  }

  @Test func upsertAfterComputingReplacesRows() throws {
    let k = try KPIProbe(MainProgram.records)
    try k.expect("revenue", S.network, "2025-Q1", 4100)  // before the changes
    try k.expect("time_to_first_deal_days", S.p3, "2025-Q1", 395)
    k.engine.upsert(Self.changes)
    try Self.expectChanged(k)
  }

  @Test func reimportingTheSameRowsChangesNothing() throws {
    let k = try KPIProbe(MainProgram.records)
    k.engine.upsert(MainProgram.records)
    try k.expect("revenue", S.network, "2025-Q1", 4100)
    try k.expect("customer_lifetime_value", S.network, "2025-Q1", 652.5)
    try k.expect("marketing_roi", S.network, "2025-Q1", (2500.0 - 3400) / 3400)
    try k.expect("web_visits", S.network, "2025-Q1", 400)
    try k.expect("certified_partner_rate", S.network, "2025-Q1", 2.0 / 3)
    try k.expect("customer_retention_rate", S.network, "2025-Q1", 3.0 / 5)
  }
}
