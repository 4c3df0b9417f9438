import ChannelKPI
import Testing

/// Customer-satisfaction KPIs on the main program (see `MainProgram`).
@Suite struct BuiltinKPISatisfactionTests {
  @Test func nps() throws {
    let k = try KPIProbe(MainProgram.records)
    // Q1: S1 10 P, S2 9 P, S3 6 D, S4 7 -, S5 0 D, S6 8 -, S7 9 P.
    try k.expect("nps", S.network, "2025-Q1", 100.0 * (3 - 2) / 7)
    try k.expect("nps", S.p1, "2025-Q1", 100.0 * (2 - 1) / 3)  // S1 S2 promoters, S3 detractor
    try k.expect("nps", S.p2, "2025-Q1", -50)  // 100 × (0 − 1) / 2 (S4 passive, S5 detractor)
    try k.expect("nps", S.p3, "2025-Q1", 0)  // 100 × (0 − 0) / 1 (S6 passive)
    try k.expect("nps", S.p4, "2025-Q1", 100)  // S7
    try k.expect("nps", S.msp, "2025-Q1", 100.0 * (0 - 1) / 3)  // S4 S5 S6
    try k.expect("nps", S.emea, "2025-Q1", 25)  // 100 × (2 − 1) / 4 (S1 S2 S3 S6)
    try k.expect("nps", S.na, "2025-Q1", 0)  // 100 × (1 − 1) / 3 (S4 S5 S7)
    try k.expect("nps", S.gold, "2025-Q1", 0)  // 100 × (2 − 2) / 5 (S1..S5)
    try k.expect("nps", S.silver, "2025-Q1", 100)
    try k.expect("nps", S.network, "2025-01", 50)  // S1 P, S4 passive: 100 × 1 / 2
    try k.expect("nps", S.network, "2025-02", -100.0 / 3)  // S2 P, S3 D, S5 D: 100 × (1 − 2) / 3
    try k.expect("nps", S.network, "2025-03", 50)  // S6 passive, S7 P: 100 × 1 / 2
    try k.expect("nps", S.network, "2025", 100.0 / 7)
    try k.expect("nps", S.network, "2025-Q2", nil)  // no responses
  }

  @Test func customerRetentionRate() throws {
    let k = try KPIProbe(MainProgram.records)
    // Q1: active on 2024-12-31: C1 C3 C4 C8 (acquired that day) C9; not C7 (churned that day), not C10.
    // Active on 2025-03-31: C1 C8 C9; not C3 (churned 02-15), not C4 (churned on 03-31 itself).
    try k.expect("customer_retention_rate", S.network, "2025-Q1", 3.0 / 5)
    try k.expect("customer_retention_rate", S.p1, "2025-Q1", 1)  // C1 C8 C9 / C1 C8 C9
    try k.expect("customer_retention_rate", S.p2, "2025-Q1", 0)  // 0 / C3 C4
    try k.expect("customer_retention_rate", S.p3, "2025-Q1", nil)  // nobody active on 2024-12-31
    try k.expect("customer_retention_rate", S.p4, "2025-Q1", nil)
    try k.expect("customer_retention_rate", S.msp, "2025-Q1", 0)  // 0 / C3 C4
    try k.expect("customer_retention_rate", S.emea, "2025-Q1", 1)  // C1 C8 C9
    try k.expect("customer_retention_rate", S.na, "2025-Q1", 0)
    try k.expect("customer_retention_rate", S.gold, "2025-Q1", 3.0 / 5)
    try k.expect("customer_retention_rate", S.silver, "2025-Q1", nil)
    try k.expect("customer_retention_rate", S.network, "2025-01", 1)  // the 5 of 12-31 are all active on 01-31
    // Feb: active 01-31 = C1 C3 C4 C5 C8 C9; on 02-28 C3 is gone → 5/6.
    try k.expect("customer_retention_rate", S.network, "2025-02", 5.0 / 6)
    // Mar: active 02-28 = C1 C2 C4 C5 C8 C9; on 03-31 C4 is gone → 5/6.
    try k.expect("customer_retention_rate", S.network, "2025-03", 5.0 / 6)
    // Q2: active 03-31 = C1 C2 C5 C6 C8 C9; on 06-30 C8 is gone (04-10) → 5/6.
    try k.expect("customer_retention_rate", S.network, "2025-Q2", 5.0 / 6)
    try k.expect("customer_retention_rate", S.p3, "2025-Q2", 1)  // C5 / C5
    // 2025: of C1 C3 C4 C8 C9, only C1 C9 are active on 2025-12-31.
    try k.expect("customer_retention_rate", S.network, "2025", 2.0 / 5)
    // 2024: active 2023-12-31 = C9 C10; on 2024-12-31 only C9.
    try k.expect("customer_retention_rate", S.network, "2024", 1.0 / 2)
    try k.expect("customer_retention_rate", S.p2, "2024", 0)  // 0 / C10
  }

  @Test func avgResolutionHours() throws {
    let k = try KPIProbe(MainProgram.records)
    // By UTC date of resolved_at: Jan T3 36 h, T8 2 h; Feb T1 3 h, T2 1 h; Mar T4 6.5 h, T6 1 h; 2024-12 T7 0.5 h.
    try k.expect("avg_resolution_hours", S.network, "2025-Q1", 49.5 / 6)  // (36 + 2 + 3 + 1 + 6.5 + 1) / 6
    try k.expect("avg_resolution_hours", S.p1, "2025-Q1", 3)  // T1 (T5 unresolved, T7 in 2024)
    try k.expect("avg_resolution_hours", S.p2, "2025-Q1", 19)  // (36 + 2) / 2
    try k.expect("avg_resolution_hours", S.p3, "2025-Q1", 1)  // (1 + 1) / 2
    try k.expect("avg_resolution_hours", S.p4, "2025-Q1", 6.5)
    try k.expect("avg_resolution_hours", S.msp, "2025-Q1", 10)  // (36 + 2 + 1 + 1) / 4
    try k.expect("avg_resolution_hours", S.emea, "2025-Q1", 5.0 / 3)  // (3 + 1 + 1) / 3
    try k.expect("avg_resolution_hours", S.na, "2025-Q1", 44.5 / 3)  // (36 + 2 + 6.5) / 3
    try k.expect("avg_resolution_hours", S.gold, "2025-Q1", 41.0 / 3)  // (3 + 36 + 2) / 3
    try k.expect("avg_resolution_hours", S.silver, "2025-Q1", 6.5)
    try k.expect("avg_resolution_hours", S.network, "2025-01", 19)  // (36 + 2) / 2
    try k.expect("avg_resolution_hours", S.network, "2025-02", 2)  // (3 + 1) / 2: T1 local Jan 31, T2 local Mar 1
    try k.expect("avg_resolution_hours", S.network, "2025-03", 3.75)  // (6.5 + 1) / 2: T6 local Apr 1
    try k.expect("avg_resolution_hours", S.p1, "2025-01", nil)  // T1 resolves on UTC Feb 1
    try k.expect("avg_resolution_hours", S.p1, "2025-02", 3)
    try k.expect("avg_resolution_hours", S.p3, "2025-02", 1)  // T2
    try k.expect("avg_resolution_hours", S.p3, "2025-03", 1)  // T6
    try k.expect("avg_resolution_hours", S.network, "2024", 0.5)  // T7, local 2025-01-01
    try k.expect("avg_resolution_hours", S.network, "2025-Q2", nil)  // T6 is UTC March
  }

  @Test func supportCSAT() throws {
    let k = try KPIProbe(MainProgram.records)
    // Resolved in Q1 with satisfaction: T1 4, T2 2, T4 5, T6 3 (T3 and T8 have none).
    try k.expect("support_csat", S.network, "2025-Q1", 3.5)  // 14 / 4
    try k.expect("support_csat", S.p1, "2025-Q1", 4)
    try k.expect("support_csat", S.p2, "2025-Q1", nil)  // T3 T8 resolved without satisfaction
    try k.expect("support_csat", S.p3, "2025-Q1", 2.5)  // (2 + 3) / 2
    try k.expect("support_csat", S.p4, "2025-Q1", 5)
    try k.expect("support_csat", S.msp, "2025-Q1", 2.5)  // T2 T6; T3 T8 ignored
    try k.expect("support_csat", S.emea, "2025-Q1", 3)  // (4 + 2 + 3) / 3
    try k.expect("support_csat", S.na, "2025-Q1", 5)  // T4
    try k.expect("support_csat", S.gold, "2025-Q1", 4)  // T1
    try k.expect("support_csat", S.silver, "2025-Q1", 5)
    try k.expect("support_csat", S.network, "2025-01", nil)  // T3 T8 only, no satisfaction
    try k.expect("support_csat", S.network, "2025-02", 3)  // (4 + 2) / 2
    try k.expect("support_csat", S.network, "2025-03", 4)  // (5 + 3) / 2
    try k.expect("support_csat", S.network, "2024", 1)  // T7
    try k.expect("support_csat", S.network, "2025-Q2", nil)
  }
}
