import ChannelKPI
import Testing

/// Enablement and onboarding KPIs: the main program plus a focused lifecycle fixture.
@Suite struct BuiltinKPIEnablementTests {
  @Test func certifiedPartnerRate() throws {
    let k = try KPIProbe(MainProgram.records)
    // Sales-certified: P1 since 2024-06-01, P3 since 2025-02-28; P2 and P4 never (only technical / unfinished).
    try k.expect("certified_partner_rate", S.network, "2025-Q1", 2.0 / 3)  // P1 P3 / P1 P3 P4
    try k.expect("certified_partner_rate", S.p1, "2025-Q1", 1)
    try k.expect("certified_partner_rate", S.p2, "2025-Q1", nil)  // P2 not active on 03-31
    try k.expect("certified_partner_rate", S.p3, "2025-Q1", 1)
    try k.expect("certified_partner_rate", S.p4, "2025-Q1", 0)  // sales unfinished, technical done
    try k.expect("certified_partner_rate", S.msp, "2025-Q1", 1)  // P3 / P3
    try k.expect("certified_partner_rate", S.reseller, "2025-Q1", 1.0 / 2)  // P1 / P1 P4
    try k.expect("certified_partner_rate", S.emea, "2025-Q1", 1)  // P1 P3 / P1 P3
    try k.expect("certified_partner_rate", S.na, "2025-Q1", 0)  // 0 / P4
    try k.expect("certified_partner_rate", S.gold, "2025-Q1", 1)  // P1 / P1
    try k.expect("certified_partner_rate", S.silver, "2025-Q1", 0)  // 0 / P4
    try k.expect("certified_partner_rate", S.network, "2025-01", 1.0 / 3)  // P1 / P1 P2 P3 (P3 not yet)
    try k.expect("certified_partner_rate", S.msp, "2025-01", 0)  // 0 / P2 P3
    try k.expect("certified_partner_rate", S.gold, "2025-01", 1.0 / 2)  // P1 / P1 P2
    try k.expect("certified_partner_rate", S.p3, "2025-01", 0)
    try k.expect("certified_partner_rate", S.p3, "2025-02", 1)  // completed on 02-28 = end(P)
    try k.expect("certified_partner_rate", S.network, "2025-02", 2.0 / 3)  // P1 P3 / P1 P3 P4
    try k.expect("certified_partner_rate", S.network, "2025", 2.0 / 3)
    try k.expect("certified_partner_rate", S.network, "2024", 1.0 / 3)  // P1 / P1 P2 P3
    try k.expect("certified_partner_rate", S.p4, "2025-01", nil)  // joins 02-10
  }

  @Test func timeToFirstDealDays() throws {
    let k = try KPIProbe(MainProgram.records)
    // First won deals over all data: P1 D0 2024-06-15 (166 days after 2024-01-01: 31+29+31+30+31+14),
    // P2 D5 2025-01-20 (233 after 2024-06-01: 30+31+31+30+31+30+31+19), P3 D8 2025-03-31 (395 after
    // 2024-03-01: 365+30), P4 D10 2025-03-15 (33 after 2025-02-10: 28+5).
    try k.expect("time_to_first_deal_days", S.network, "2025-Q1", (233.0 + 395 + 33) / 3)  // P1's first is in 2024
    try k.expect("time_to_first_deal_days", S.p1, "2025-Q1", nil)  // D1 D2 won in Q1, but not its first
    try k.expect("time_to_first_deal_days", S.p2, "2025-Q1", 233)
    try k.expect("time_to_first_deal_days", S.p3, "2025-Q1", 395)
    try k.expect("time_to_first_deal_days", S.p4, "2025-Q1", 33)
    try k.expect("time_to_first_deal_days", S.msp, "2025-Q1", 314)  // (233 + 395) / 2
    try k.expect("time_to_first_deal_days", S.reseller, "2025-Q1", 33)  // P4 only
    try k.expect("time_to_first_deal_days", S.emea, "2025-Q1", 395)  // P3 only
    try k.expect("time_to_first_deal_days", S.na, "2025-Q1", 133)  // (233 + 33) / 2
    try k.expect("time_to_first_deal_days", S.gold, "2025-Q1", 233)  // P2 only
    try k.expect("time_to_first_deal_days", S.silver, "2025-Q1", 33)
    try k.expect("time_to_first_deal_days", S.network, "2025-01", 233)
    try k.expect("time_to_first_deal_days", S.network, "2025-02", nil)  // D2 won, but P1's first was in 2024
    try k.expect("time_to_first_deal_days", S.network, "2025-03", 214)  // (395 + 33) / 2
    try k.expect("time_to_first_deal_days", S.network, "2025", (233.0 + 395 + 33) / 3)
    try k.expect("time_to_first_deal_days", S.network, "2024", 166)
    try k.expect("time_to_first_deal_days", S.p1, "2024", 166)
  }

  @Test func activePartnerRate() throws {
    let k = try KPIProbe(MainProgram.records)
    // Q1: active P1 P3 P4; each registered a deal in Q1.
    try k.expect("active_partner_rate", S.network, "2025-Q1", 1)
    try k.expect("active_partner_rate", S.p1, "2025-Q1", 1)
    try k.expect("active_partner_rate", S.p2, "2025-Q1", nil)  // not active on 03-31
    try k.expect("active_partner_rate", S.p3, "2025-Q1", 1)
    try k.expect("active_partner_rate", S.p4, "2025-Q1", 1)
    try k.expect("active_partner_rate", S.msp, "2025-Q1", 1)  // P3 / P3
    try k.expect("active_partner_rate", S.emea, "2025-Q1", 1)
    try k.expect("active_partner_rate", S.na, "2025-Q1", 1)  // P4 / P4
    try k.expect("active_partner_rate", S.gold, "2025-Q1", 1)  // P1 / P1
    try k.expect("active_partner_rate", S.silver, "2025-Q1", 1)
    // Jan: active P1 P2 P3; P1 (D2 reg, D1 won) and P2 (D6 D7 reg, D5 won) yes; P3 nothing in Jan.
    try k.expect("active_partner_rate", S.network, "2025-01", 2.0 / 3)
    try k.expect("active_partner_rate", S.msp, "2025-01", 1.0 / 2)  // P2 / P2 P3
    try k.expect("active_partner_rate", S.emea, "2025-01", 1.0 / 2)  // P1 / P1 P3
    try k.expect("active_partner_rate", S.gold, "2025-01", 1)  // P1 P2 / P1 P2
    try k.expect("active_partner_rate", S.na, "2025-01", 1)  // P2 / P2 (P4 not yet)
    try k.expect("active_partner_rate", S.silver, "2025-01", nil)  // P4 not active on 01-31
    try k.expect("active_partner_rate", S.network, "2025-02", 1)  // P1 (D3 reg, D2 won), P3 (D8 reg), P4 (D10 reg)
    try k.expect("active_partner_rate", S.p3, "2025-03", 1)  // only won D8 (registered in Feb)
    try k.expect("active_partner_rate", S.p1, "2025-03", 1)  // only registered D4
    try k.expect("active_partner_rate", S.network, "2024", 1.0 / 3)  // P1 (D1 reg, D0 won) / P1 P2 P3
    try k.expect("active_partner_rate", S.network, "2025-Q2", 0)  // 0 / P1 P3 P4
  }

  /// Partners joining or leaving exactly on end(P), several certificates, sales certificates finished later.
  /// - A joined 2025-03-31, two sales certifications completed 2025-03-31, deal registered 2025-03-31.
  /// - B joined 2024-01-01, left 2025-03-31, sales certified 2024-05-01, deal won 2025-03-15 (not registered).
  /// - C joined 2024-01-01, technical certified, sales unfinished; deal registered 2025-02-01, lost 2025-03-20.
  /// - D joined 2024-01-01, sales certified 2025-04-01; deal lost 2025-02-01; deal registered 2025-01-05 and
  ///   won 2025-03-10; deal won 2025-03-25.
  /// Active on 2025-01-31 and 02-28: B C D; on 03-31 and later: A C D.
  static let lifecycle = [
    Row.partner("A", type: "reseller", region: "emea", joined: "2025-03-31"),
    Row.partner("B", type: "reseller", region: "emea", joined: "2024-01-01", left: "2025-03-31"),
    Row.partner("C", type: "reseller", region: "emea", joined: "2024-01-01"),
    Row.partner("D", type: "reseller", region: "emea", joined: "2024-01-01"),
    Row.certification("A1", "A", person: "a1", program: "sales", enrolled: "2025-03-01", completed: "2025-03-31"),
    Row.certification("A2", "A", person: "a2", program: "sales", enrolled: "2025-03-01", completed: "2025-03-31"),
    Row.certification("B1", "B", person: "b1", program: "sales", enrolled: "2024-04-01", completed: "2024-05-01"),
    Row.certification("C1", "C", person: "c1", program: "technical", enrolled: "2024-04-01", completed: "2024-05-01"),
    Row.certification("C2", "C", person: "c2", program: "sales", enrolled: "2025-01-01"),
    Row.certification("D1", "D", person: "d1", program: "sales", enrolled: "2025-01-01", completed: "2025-04-01"),
    Row.deal(
      "AD1", "A", created: "2025-03-31", registered: "2025-03-31", status: "pending", stage: "open", amount: "10"),
    Row.deal("BD1", "B", created: "2025-03-01", stage: "won", closed: "2025-03-15", amount: "10"),
    Row.deal(
      "CD1", "C", created: "2025-02-01", registered: "2025-02-01", status: "approved", stage: "lost",
      closed: "2025-03-20", amount: "10"),
    Row.deal("DD0", "D", created: "2025-01-02", stage: "lost", closed: "2025-02-01", amount: "10"),
    Row.deal(
      "DD1", "D", created: "2025-01-05", registered: "2025-01-05", status: "approved", stage: "won",
      closed: "2025-03-10", amount: "10"),
    Row.deal("DD2", "D", created: "2025-03-01", stage: "won", closed: "2025-03-25", amount: "10"),
  ]

  @Test func activePartnersOnEndOfPeriod() throws {
    let k = try KPIProbe(Self.lifecycle)
    let n = Scope.network
    try k.expect("certified_partner_rate", n, "2025-03", 1.0 / 3)  // A (joined and certified 03-31) / A C D
    try k.expect("certified_partner_rate", n, "2025-Q1", 1.0 / 3)
    try k.expect("certified_partner_rate", n, "2025-04", 2.0 / 3)  // A D / A C D
    try k.expect("certified_partner_rate", n, "2025-02", 1.0 / 3)  // B / B C D
    try k.expect("certified_partner_rate", Scope(.partner, "A"), "2025-02", nil)  // not joined yet
    try k.expect("certified_partner_rate", Scope(.partner, "B"), "2025-03", nil)  // left on 03-31
    try k.expect("certified_partner_rate", Scope(.partner, "A"), "2025-03", 1)  // two certificates, one partner
    try k.expect("certified_partner_rate", Scope(.partner, "D"), "2025-03", 0)  // completed 04-01 > end(P)

    try k.expect("active_partner_rate", n, "2025-03", 2.0 / 3)  // A (reg 03-31), D (won) / A C D; C only lost
    try k.expect("active_partner_rate", n, "2025-02", 1.0 / 3)  // C (reg 02-01) / B C D
    try k.expect("active_partner_rate", n, "2025-01", 1.0 / 3)  // D (reg 01-05) / B C D
    try k.expect("active_partner_rate", n, "2025-Q1", 1)  // A C D all registered in Q1
    try k.expect("active_partner_rate", n, "2025-Q2", 0)  // 0 / A C D

    try k.expect("registrations_per_partner", n, "2025-03", 1.0 / 3)  // AD1 / A C D
    try k.expect("registrations_per_partner", n, "2025-Q1", 1)  // AD1 CD1 DD1 / A C D
    try k.expect("registrations_per_partner", n, "2025-02", 1.0 / 3)  // CD1 / B C D
    try k.expect("registrations_per_partner", Scope(.partner, "B"), "2025-03", nil)  // 0 / 0
  }

  @Test func timeToFirstDealUsesFirstWonDealOverAllData() throws {
    let k = try KPIProbe(Self.lifecycle)
    // B: 2024-01-01 → 2025-03-15 = 366 + 31 + 28 + 14 = 439 (B's leaving does not matter).
    // D: 2024-01-01 → 2025-03-10 = 366 + 31 + 28 + 9 = 434 (DD0 lost earlier does not count; DD2 later).
    try k.expect("time_to_first_deal_days", .network, "2025-03", (439.0 + 434) / 2)
    try k.expect("time_to_first_deal_days", .network, "2025-02", nil)  // DD0 lost
    try k.expect("time_to_first_deal_days", Scope(.partner, "D"), "2025-Q1", 434)
    try k.expect("time_to_first_deal_days", Scope(.partner, "C"), "2025", nil)  // never won
    try k.expect("time_to_first_deal_days", .network, "2025-Q2", nil)
  }
}
