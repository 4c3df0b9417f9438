import ChannelKPI
import Testing

/// customer_lifetime_value = ARPC × lifetime over W, the 12 months ending with P's last month.
@Suite struct BuiltinKPIValueTests {
  @Test func customerLifetimeValueOnMainProgram() throws {
    let k = try KPIProbe(MainProgram.records)
    // 2025-Q1: W = 2024-04-01 … 2025-03-31; day before W = 2024-03-31.
    // Won in W (all with a customer): D0 C1 250, D1 C1 1000, D2 C2 500, D5 C3 800, D8 C5 1200, D10 C6 600.
    // Churned in W: C3 (2025-02-15), C4 (2025-03-31), C7 (2024-12-31), C10 (2024-08-01); not C8 (2025-04-10).
    // Active on 2024-03-31: C7, C9, C10.
    // network: ARPC 4350 / 5 (C1 C2 C3 C5 C6) = 870; churn 4 / 3; lifetime 3/4 → 652.5
    try k.expect("customer_lifetime_value", S.network, "2025-Q1", 652.5)
    // P1: ARPC (250 + 1000 + 500) / 2 (C1 C2) = 875; churn 0 / 1 (C9) = 0 → lifetime 10 → 8750
    try k.expect("customer_lifetime_value", S.p1, "2025-Q1", 8750)
    // P2: ARPC 800 / 1 (C3); churn 3 (C3 C4 C10) / 1 (C10) = 3 → lifetime 1/3 → 800/3
    try k.expect("customer_lifetime_value", S.p2, "2025-Q1", 800.0 / 3)
    // P3: ARPC 1200 / 1 (C5); churn 1 (C7) / 1 (C7) = 1 → lifetime 1 → 1200
    try k.expect("customer_lifetime_value", S.p3, "2025-Q1", 1200)
    // P4: ARPC 600, but no customer of P4 active on 2024-03-31 → churn has no value
    try k.expect("customer_lifetime_value", S.p4, "2025-Q1", nil)
    // msp (P2 P3): ARPC (800 + 1200) / 2 = 1000; churn 4 / 2 = 2 → lifetime 1/2 → 500
    try k.expect("customer_lifetime_value", S.msp, "2025-Q1", 500)
    // reseller (P1 P4): ARPC (1750 + 600) / 3 = 2350/3; churn 0 / 1 → lifetime 10 → 23500/3
    try k.expect("customer_lifetime_value", S.reseller, "2025-Q1", 23500.0 / 3)
    // emea (P1 P3): ARPC (1750 + 1200) / 3 = 2950/3; churn 1 / 2 → lifetime 2 → 5900/3
    try k.expect("customer_lifetime_value", S.emea, "2025-Q1", 5900.0 / 3)
    // na (P2 P4): ARPC (800 + 600) / 2 = 700; churn 3 / 1 → lifetime 1/3 → 700/3
    try k.expect("customer_lifetime_value", S.na, "2025-Q1", 700.0 / 3)
    // gold (P1 P2): ARPC (1750 + 800) / 3 = 850; churn 3 / 2 → lifetime 2/3 → 1700/3
    try k.expect("customer_lifetime_value", S.gold, "2025-Q1", 1700.0 / 3)
    try k.expect("customer_lifetime_value", S.silver, "2025-Q1", nil)  // as P4
    // 2025-03 has the same W as 2025-Q1.
    try k.expect("customer_lifetime_value", S.network, "2025-03", 652.5)
    // 2025-01: W = 2024-02 … 2025-01; ARPC (250 + 1000 + 800) / 2 (C1 C3) = 1025;
    // churn 2 (C7 C10) / 3 (C7 C9 C10 on 2024-01-31) → lifetime 1.5 → 1537.5
    try k.expect("customer_lifetime_value", S.network, "2025-01", 1537.5)
    // 2025: W = 2025; ARPC 4100 / 5 = 820; churn 3 (C3 C4 C8) / 5 (C1 C3 C4 C8 C9 on 2024-12-31) = 0.6
    // → lifetime 5/3 → 4100/3
    try k.expect("customer_lifetime_value", S.network, "2025", 4100.0 / 3)
    // 2024: W = 2024; ARPC 250 / 1 (C1); churn 2 (C7 C10) / 2 (C9 C10 on 2023-12-31) = 1 → 250
    try k.expect("customer_lifetime_value", S.network, "2024", 250)
    // 2025-Q2: W = 2024-07 … 2025-06; ARPC 4100 / 5 = 820 (D0 is before W);
    // churn 5 (C3 C4 C7 C8 C10) / 4 (C1 C7 C9 C10 on 2024-06-30) → lifetime 0.8 → 656
    try k.expect("customer_lifetime_value", S.network, "2025-Q2", 656)
  }

  /// Partners A, B (msp / emea / gold), C, D (reseller / na, no tier).
  /// Customers: X1 A acq 2024-01-01; X2 B acq 2024-02-01; X3 A acq 2025-03-01 churn 2025-06-01;
  /// Y1 C acq 2024-06-01 churn 2025-02-01; Y2 C acq 2025-01-10 churn 2025-08-01;
  /// Y3 C acq 2025-02-01 churn 2025-03-01; Z1 D acq 2024-01-01.
  static let clv = [
    Row.partner("A", type: "msp", region: "emea", tier: "gold", joined: "2024-01-01"),
    Row.partner("B", type: "msp", region: "emea", tier: "gold", joined: "2024-01-01"),
    Row.partner("C", type: "reseller", region: "na", joined: "2024-01-01"),
    Row.partner("D", type: "reseller", region: "na", joined: "2024-01-01"),
    Row.customer("X1", "A", acquired: "2024-01-01"),
    Row.customer("X2", "B", acquired: "2024-02-01"),
    Row.customer("X3", "A", acquired: "2025-03-01", churned: "2025-06-01"),
    Row.customer("Y1", "C", acquired: "2024-06-01", churned: "2025-02-01"),
    Row.customer("Y2", "C", acquired: "2025-01-10", churned: "2025-08-01"),
    Row.customer("Y3", "C", acquired: "2025-02-01", churned: "2025-03-01"),
    Row.customer("Z1", "D", acquired: "2024-01-01"),
    Row.deal("E1", "A", customer: "X1", created: "2025-01-01", stage: "won", closed: "2025-03-01", amount: "1000"),
    // X1 also buys from B: one customer of the msp scope.
    Row.deal("E2", "B", customer: "X1", created: "2025-01-01", stage: "won", closed: "2025-04-01", amount: "500"),
    Row.deal("E3", "B", customer: "X2", created: "2025-01-01", stage: "won", closed: "2025-05-01", amount: "300"),
    // No customer_id: left out of ARPC.
    Row.deal("E4", "A", created: "2025-01-01", stage: "won", closed: "2025-05-01", amount: "10000"),
    // A customer_id that is not in customers.csv still counts.
    Row.deal("E5", "B", customer: "GHOST", created: "2025-01-01", stage: "won", closed: "2025-06-01", amount: "200"),
    // Before W of 2025, and a lost deal.
    Row.deal("E6", "A", customer: "X1", created: "2024-12-01", stage: "won", closed: "2024-12-31", amount: "7777"),
    Row.deal("E7", "A", customer: "X2", created: "2025-01-01", stage: "lost", closed: "2025-07-01", amount: "999"),
    Row.deal("E8", "C", customer: "Y1", created: "2025-01-01", stage: "won", closed: "2025-01-15", amount: "400"),
  ]

  @Test func customerLifetimeValueRules() throws {
    let k = try KPIProbe(Self.clv)
    // 2025-Q4: W = 2025-01 … 2025-12; day before W = 2024-12-31, active then: X1 X2 Y1 Z1.
    // Churned in W: X3 Y1 Y2 Y3.
    // msp: ARPC (E1 1000 + E2 500 + E3 300 + E5 200) / 3 (X1 X2 GHOST) = 2000/3; churn 1 (X3) / 2 (X1 X2)
    // = 1/2 → lifetime 2 → 4000/3
    try k.expect("customer_lifetime_value", Scope(.type, "msp"), "2025-Q4", 4000.0 / 3)
    try k.expect("customer_lifetime_value", Scope(.region, "emea"), "2025-Q4", 4000.0 / 3)
    try k.expect("customer_lifetime_value", Scope(.tier, "gold"), "2025-Q4", 4000.0 / 3)
    // A: ARPC 1000 / 1 (X1; E4 no customer, E6 before W, E7 lost); churn 1 (X3, acquired inside W) / 1 (X1)
    // → lifetime 1 → 1000
    try k.expect("customer_lifetime_value", Scope(.partner, "A"), "2025-Q4", 1000)
    // B: ARPC (500 + 300 + 200) / 3 (X1 X2 GHOST); churn 0 / 1 (X2) → lifetime 10 → 10000/3
    try k.expect("customer_lifetime_value", Scope(.partner, "B"), "2025-Q4", 10000.0 / 3)
    // C: ARPC 400 / 1; churn 3 (Y1 Y2 Y3) / 1 (Y1) = 3 > 1 → lifetime 1/3 → 400/3
    try k.expect("customer_lifetime_value", Scope(.partner, "C"), "2025-Q4", 400.0 / 3)
    // D: no won deal with a customer → ARPC has no value
    try k.expect("customer_lifetime_value", Scope(.partner, "D"), "2025-Q4", nil)
    // reseller (C D): ARPC 400; churn 3 / 2 (Y1 Z1) → lifetime 2/3 → 800/3
    try k.expect("customer_lifetime_value", Scope(.type, "reseller"), "2025-Q4", 800.0 / 3)
    try k.expect("customer_lifetime_value", Scope(.region, "na"), "2025-Q4", 800.0 / 3)
    // network: ARPC (2000 + 400) / 4 (X1 X2 GHOST Y1) = 600; churn 4 / 4 = 1 → lifetime 1 → 600
    try k.expect("customer_lifetime_value", .network, "2025-Q4", 600)
    try k.expect("customer_lifetime_value", .network, "2025-12", 600)  // same W
    try k.expect("customer_lifetime_value", .network, "2025", 600)  // same W
    // A 2024-12: W = 2024; ARPC 7777 (E6) but nobody active on 2023-12-31 → no value
    try k.expect("customer_lifetime_value", Scope(.partner, "A"), "2024-12", nil)
    // A 2025-Q2: W = 2024-07 … 2025-06; ARPC (7777 + 1000) / 1 (X1); churn 1 (X3) / 1 (X1) → 8777
    try k.expect("customer_lifetime_value", Scope(.partner, "A"), "2025-Q2", 8777)
  }

  @Test func customerLifetimeIsCappedAtTenYears() throws {
    var rows = [Row.partner("F", type: "msp", region: "emea", joined: "2024-01-01")]
    for i in 1...11 {
      rows.append(Row.customer("F\(i)", "F", acquired: "2024-01-01", churned: i == 1 ? "2025-05-01" : nil))
    }
    rows.append(
      Row.deal("G1", "F", customer: "F2", created: "2025-01-01", stage: "won", closed: "2025-06-01", amount: "100"))
    let k = try KPIProbe(rows)
    // 2025: ARPC 100 / 1; churn 1 / 11 → 1/churn = 11 → min(11, 10) = 10 → 1000
    try k.expect("customer_lifetime_value", .network, "2025", 1000)
    // 2024: ARPC has no value (no won deal in 2024)
    try k.expect("customer_lifetime_value", .network, "2024", nil)
  }
}
