import ChannelKPI
import Testing

/// Cross-cutting rules of the catalog: scope membership, the pipeline-velocity edge cases, market rows.
/// The per-KPI checks are in the other `BuiltinKPI*Tests` files.
@Suite struct BuiltinKPITests {
  /// Every built-in KPI has hand-computed expectations in these files.
  @Test func everyBuiltinKPIIsCovered() {
    let tested: Set<String> = [
      "revenue", "sourced_revenue", "win_rate", "new_customers", "market_share",
      "lead_conversion_rate", "avg_deal_size", "sales_cycle_days", "co_sell_cycle_days", "open_pipeline",
      "pipeline_velocity", "deal_registrations", "registration_approval_rate", "registrations_per_partner",
      "leads_generated", "web_visits", "visit_to_lead_rate", "cost_per_acquisition", "marketing_roi",
      "nps", "customer_retention_rate", "avg_resolution_hours", "support_csat",
      "certified_partner_rate", "time_to_first_deal_days", "active_partner_rate",
      "customer_lifetime_value",
    ]
    #expect(tested.count == 27)
    #expect(Set(Catalog.builtin.kpis.map(\.id)) == tested)
  }

  /// Membership is by current type, region and tier, for every period, also before joining and after leaving.
  /// - N1 referral / latam / platinum, joined 2025-06-01: deal registered 2025-02-01, won 2025-02-10, 100
  /// - N2 referral / latam / platinum, joined 2023-01-01, left 2024-06-01: deal won 2025-03-01, 50
  /// - N3 referral / latam / no tier, joined 2024-01-01: deal won 2025-01-05, 25
  /// - N4 msp / apac / gold, joined 2024-01-01: deal won 2025-01-20, 1000
  /// Market rows only for apac: 10000 in each month of 2025-Q1.
  @Test func scopeMembershipIsByCurrentValuesForAllPeriods() throws {
    let k = try KPIProbe([
      Row.partner("N1", type: "referral", region: "latam", tier: "platinum", joined: "2025-06-01"),
      Row.partner("N2", type: "referral", region: "latam", tier: "platinum", joined: "2023-01-01", left: "2024-06-01"),
      Row.partner("N3", type: "referral", region: "latam", joined: "2024-01-01"),
      Row.partner("N4", type: "msp", region: "apac", tier: "gold", joined: "2024-01-01"),
      Row.deal(
        "M1", "N1", created: "2025-02-01", registered: "2025-02-01", status: "approved", stage: "won",
        closed: "2025-02-10", amount: "100"),
      Row.deal("M2", "N2", created: "2025-01-15", stage: "won", closed: "2025-03-01", amount: "50"),
      Row.deal("M3", "N3", created: "2025-01-01", stage: "won", closed: "2025-01-05", amount: "25"),
      Row.deal("M4", "N4", created: "2025-01-10", stage: "won", closed: "2025-01-20", amount: "1000"),
      Row.market("apac", "2025-01", "10000"),
      Row.market("apac", "2025-02", "10000"),
      Row.market("apac", "2025-03", "10000"),
    ])
    let referral = Scope(.type, "referral")
    let latam = Scope(.region, "latam")
    let platinum = Scope(.tier, "platinum")
    try k.expect("revenue", referral, "2025-Q1", 175)  // 100 + 50 + 25
    try k.expect("revenue", latam, "2025-Q1", 175)
    try k.expect("revenue", platinum, "2025-Q1", 150)  // N1 100 (before joining) + N2 50 (after leaving); not N3
    try k.expect("revenue", Scope(.partner, "N1"), "2025-Q1", 100)
    try k.expect("revenue", platinum, "2025-02", 100)
    try k.expect("revenue", .network, "2025-Q1", 1175)
    try k.expect("win_rate", platinum, "2025-Q1", 1)  // 2 / 2
    try k.expect("deal_registrations", platinum, "2025-Q1", 1)  // M1
    // Active on 2025-03-31: N3 and N4 only (N1 not yet, N2 gone).
    try k.expect("registrations_per_partner", referral, "2025-Q1", 1)  // M1 / N3
    try k.expect("registrations_per_partner", platinum, "2025-Q1", nil)  // M1 / no active partner
    // N2: 2023-01-01 → 2025-03-01 = 365 + 366 + 31 + 28 = 790 days.
    try k.expect("time_to_first_deal_days", Scope(.partner, "N2"), "2025-Q1", 790)
    // N1: 2025-02-10 − 2025-06-01 = −(19 + 31 + 30 + 31) = −111 days (won before joining).
    try k.expect("time_to_first_deal_days", Scope(.partner, "N1"), "2025-Q1", -111)
    try k.expect("time_to_first_deal_days", platinum, "2025-Q1", (790.0 - 111) / 2)
    // Market: latam has no row → no value; network regions {latam, apac} → only apac rows (30000).
    try k.expect("market_share", latam, "2025-Q1", nil)
    try k.expect("market_share", Scope(.partner, "N1"), "2025-Q1", nil)
    try k.expect("market_share", Scope(.region, "apac"), "2025-Q1", 1000.0 / 30000)
    try k.expect("market_share", Scope(.tier, "gold"), "2025-01", 1000.0 / 10000)
    try k.expect("market_share", .network, "2025-Q1", 1175.0 / 30000)
  }

  /// Periods far before and after the facts: sums are 0, states carry on, empty denominators give no value.
  @Test func periodsOutsideTheData() throws {
    let k = try KPIProbe(MainProgram.records)
    // 2030: open deals D4 D9 D11 stay open; customers without churn (C1 C2 C5 C6 C9) stay active;
    // active partners P1 P3 P4 (P1 P3 sales-certified).
    try k.expect("revenue", S.network, "2030", 0)
    try k.expect("deal_registrations", S.network, "2030-Q3", 0)
    try k.expect("open_pipeline", S.network, "2030-07", 3600)
    try k.expect("customer_retention_rate", S.network, "2030", 1)  // 5 / 5
    try k.expect("customer_retention_rate", S.network, "2025-Q4", 1)  // C1 C2 C5 C6 C9 on 09-30 and 12-31
    try k.expect("certified_partner_rate", S.network, "2030", 2.0 / 3)
    try k.expect("active_partner_rate", S.network, "2030", 0)  // 0 / 3
    try k.expect("registrations_per_partner", S.network, "2030", 0)  // 0 / 3
    try k.expect("pipeline_velocity", S.network, "2030", nil)  // no closed deals
    try k.expect("customer_lifetime_value", S.network, "2030", nil)  // no won deal in W
    try k.expect("win_rate", S.network, "2030", nil)
    try k.expect("time_to_first_deal_days", S.network, "2030", nil)
    // 2020: nobody has joined, nothing exists yet.
    try k.expect("revenue", S.network, "2020", 0)
    try k.expect("new_customers", S.network, "2020", 0)
    try k.expect("open_pipeline", S.network, "2020-06", 0)
    try k.expect("certified_partner_rate", S.network, "2020", nil)  // no active partner
    try k.expect("registrations_per_partner", S.network, "2020", nil)
    try k.expect("active_partner_rate", S.network, "2020", nil)
    try k.expect("customer_retention_rate", S.network, "2020", nil)
    try k.expect("nps", S.network, "2020", nil)
  }

  /// - V1 created and won 2025-01-15 (cycle 0), 100
  /// - V2 created 2025-01-01, open, 50
  /// - V4 created 2025-03-01, lost 2025-03-10, 80
  /// - V5 created 2025-03-15, won 2025-04-30 (cycle 16 + 30 = 46), 1000
  /// - V6 created 2025-04-30, open, 7
  /// - partner W: W1 created 2025-01-01, won 2025-01-11 (cycle 10), 200; no open deal ever
  @Test func pipelineVelocityEdges() throws {
    let k = try KPIProbe([
      Row.partner("V", type: "reseller", region: "emea", joined: "2024-01-01"),
      Row.partner("W", type: "msp", region: "emea", joined: "2024-01-01"),
      Row.deal("V1", "V", created: "2025-01-15", stage: "won", closed: "2025-01-15", amount: "100"),
      Row.deal("V2", "V", created: "2025-01-01", stage: "open", amount: "50"),
      Row.deal("V4", "V", created: "2025-03-01", stage: "lost", closed: "2025-03-10", amount: "80"),
      Row.deal("V5", "V", created: "2025-03-15", stage: "won", closed: "2025-04-30", amount: "1000"),
      Row.deal("V6", "V", created: "2025-04-30", stage: "open", amount: "7"),
      Row.deal("W1", "W", created: "2025-01-01", stage: "won", closed: "2025-01-11", amount: "200"),
    ])
    let v = Scope(.partner, "V")
    let w = Scope(.partner, "W")
    try k.expect("sales_cycle_days", v, "2025-01", 0)  // V1: 0 days, a value
    try k.expect("open_pipeline", v, "2025-01", 50)  // V2
    try k.expect("pipeline_velocity", v, "2025-01", nil)  // 1 × 1 × 100 / 0: cycle 0
    try k.expect("pipeline_velocity", v, "2025-Q1", nil)  // won V1 only, cycle 0
    try k.expect("pipeline_velocity", w, "2025-01", 0)  // 0 open × 1 × 200 / 10
    try k.expect("pipeline_velocity", .network, "2025-01", 30)  // 1 open (V2) × 2/2 × 150 / 5
    try k.expect("pipeline_velocity", v, "2025-02", nil)  // nothing closed
    try k.expect("pipeline_velocity", v, "2025-03", nil)  // V4 lost only: win rate 0, no avg deal size
    try k.expect("open_pipeline", v, "2025-03", 1050)  // V2 50 + V5 1000 (V4 closed 03-10)
    try k.expect("open_pipeline", v, "2025-04", 57)  // V2 50 + V6 7 (created on end(P)); V5 closed on end(P)
    try k.expect("pipeline_velocity", v, "2025-04", 2 * 1 * 1000.0 / 46)  // open V2 V6
    try k.expect("pipeline_velocity", v, "2025-Q2", 2 * 1 * 1000.0 / 46)
    // 2025: won V1 (0) V5 (46), lost V4 → win 2/3, avg 550, cycle 23; open on 12-31: V2 V6
    try k.expect("pipeline_velocity", v, "2025", 2 * (2.0 / 3) * 550 / 23)
  }
}
