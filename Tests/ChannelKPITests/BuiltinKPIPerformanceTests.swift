import ChannelKPI
import Testing

/// Partner-performance KPIs on the main program (see `MainProgram` for the facts).
/// won(2025-Q1) = D1 (P1 1000, sourced), D2 (P1 500, co_sell), D5 (P2 800, sourced), D8 (P3 1200, co_sell),
/// D10 (P4 600, sourced); lost(2025-Q1) = D3 (P1), D6 (P2), D7 (P2).
@Suite struct BuiltinKPIPerformanceTests {
  @Test func revenue() throws {
    let k = try KPIProbe(MainProgram.records)
    try k.expect("revenue", S.network, "2025-Q1", 4100)  // 1000 + 500 + 800 + 1200 + 600
    try k.expect("revenue", S.p1, "2025-Q1", 1500)  // D1 1000 + D2 500
    try k.expect("revenue", S.p2, "2025-Q1", 800)  // D5
    try k.expect("revenue", S.p3, "2025-Q1", 1200)  // D8 (closed on end(P) still in P)
    try k.expect("revenue", S.p4, "2025-Q1", 600)  // D10
    try k.expect("revenue", S.msp, "2025-Q1", 2000)  // P2 800 + P3 1200
    try k.expect("revenue", S.reseller, "2025-Q1", 2100)  // P1 1500 + P4 600
    try k.expect("revenue", S.emea, "2025-Q1", 2700)  // P1 1500 + P3 1200
    try k.expect("revenue", S.na, "2025-Q1", 1400)  // P2 800 + P4 600
    try k.expect("revenue", S.gold, "2025-Q1", 2300)  // P1 1500 + P2 800 (P3 has no tier)
    try k.expect("revenue", S.silver, "2025-Q1", 600)  // P4
    try k.expect("revenue", S.network, "2025-01", 1800)  // D1 1000 + D5 800
    try k.expect("revenue", S.network, "2025-02", 500)  // D2
    try k.expect("revenue", S.network, "2025-03", 1800)  // D8 1200 + D10 600
    try k.expect("revenue", S.network, "2025", 4100)  // all wins of 2025 are in Q1
    try k.expect("revenue", S.network, "2024", 250)  // D0
    try k.expect("revenue", S.network, "2025-Q2", 0)  // sum over nothing
    try k.expect("revenue", S.p3, "2025-01", 0)  // sum over nothing
  }

  @Test func sourcedRevenue() throws {
    let k = try KPIProbe(MainProgram.records)
    try k.expect("sourced_revenue", S.network, "2025-Q1", 2400)  // D1 1000 + D5 800 + D10 600
    try k.expect("sourced_revenue", S.p1, "2025-Q1", 1000)  // D1 (D2 is co_sell)
    try k.expect("sourced_revenue", S.p2, "2025-Q1", 800)  // D5
    try k.expect("sourced_revenue", S.p3, "2025-Q1", 0)  // D8 is co_sell: sum over nothing
    try k.expect("sourced_revenue", S.p4, "2025-Q1", 600)  // D10
    try k.expect("sourced_revenue", S.msp, "2025-Q1", 800)  // D5
    try k.expect("sourced_revenue", S.emea, "2025-Q1", 1000)  // D1
    try k.expect("sourced_revenue", S.na, "2025-Q1", 1400)  // D5 + D10
    try k.expect("sourced_revenue", S.gold, "2025-Q1", 1800)  // D1 + D5
    try k.expect("sourced_revenue", S.silver, "2025-Q1", 600)  // D10
    try k.expect("sourced_revenue", S.network, "2025-01", 1800)  // D1 + D5
    try k.expect("sourced_revenue", S.network, "2025-02", 0)  // only D2, co_sell
    try k.expect("sourced_revenue", S.network, "2025-03", 600)  // D10 (D8 co_sell)
    try k.expect("sourced_revenue", S.network, "2024", 250)  // D0
  }

  @Test func winRate() throws {
    let k = try KPIProbe(MainProgram.records)
    try k.expect("win_rate", S.network, "2025-Q1", 5.0 / 8)  // won 5 (D1 D2 D5 D8 D10) / closed 8 (+ D3 D6 D7)
    try k.expect("win_rate", S.p1, "2025-Q1", 2.0 / 3)  // D1 D2 / D1 D2 D3
    try k.expect("win_rate", S.p2, "2025-Q1", 1.0 / 3)  // D5 / D5 D6 D7
    try k.expect("win_rate", S.p3, "2025-Q1", 1)  // D8 / D8
    try k.expect("win_rate", S.p4, "2025-Q1", 1)  // D10 / D10
    try k.expect("win_rate", S.msp, "2025-Q1", 2.0 / 4)  // D5 D8 / D5 D6 D7 D8
    try k.expect("win_rate", S.reseller, "2025-Q1", 3.0 / 4)  // D1 D2 D10 / + D3
    try k.expect("win_rate", S.emea, "2025-Q1", 3.0 / 4)  // D1 D2 D8 / + D3
    try k.expect("win_rate", S.na, "2025-Q1", 2.0 / 4)  // D5 D10 / + D6 D7
    try k.expect("win_rate", S.gold, "2025-Q1", 3.0 / 6)  // D1 D2 D5 / + D3 D6 D7
    try k.expect("win_rate", S.silver, "2025-Q1", 1)  // D10 / D10
    try k.expect("win_rate", S.network, "2025-01", 1)  // D1 D5 / D1 D5
    try k.expect("win_rate", S.network, "2025-02", 1.0 / 2)  // D2 / D2 D6
    try k.expect("win_rate", S.network, "2025-03", 2.0 / 4)  // D8 D10 / + D3 D7
    try k.expect("win_rate", S.network, "2025", 5.0 / 8)
    try k.expect("win_rate", S.network, "2024", 1)  // D0 / D0
    try k.expect("win_rate", S.p2, "2025-02", 0)  // 0 won / D6 lost
    try k.expect("win_rate", S.p4, "2025-01", nil)  // nothing closed: empty denominator
    try k.expect("win_rate", S.network, "2025-Q2", nil)  // nothing closed
  }

  @Test func winRateIsRatioOfSumsNotMeanOfPartners() throws {
    let k = try KPIProbe(MainProgram.records)
    var rates: [Double] = []
    for p in [S.p1, S.p2, S.p3, S.p4] {
      rates.append(try #require(try Fixture.value(k.engine, "win_rate", p, period: "2025-Q1")))
    }
    let mean = rates.reduce(0, +) / Double(rates.count)
    #expect(close(mean, 0.75))  // (2/3 + 1/3 + 1 + 1) / 4
    try k.expect("win_rate", S.network, "2025-Q1", 0.625)  // 5 / 8, not 0.75
  }

  @Test func newCustomers() throws {
    let k = try KPIProbe(MainProgram.records)
    try k.expect("new_customers", S.network, "2025-Q1", 3)  // C2 02-14, C5 01-15, C6 03-15
    try k.expect("new_customers", S.p1, "2025-Q1", 1)  // C2
    try k.expect("new_customers", S.p2, "2025-Q1", 0)  // none: count over nothing
    try k.expect("new_customers", S.p3, "2025-Q1", 1)  // C5
    try k.expect("new_customers", S.p4, "2025-Q1", 1)  // C6
    try k.expect("new_customers", S.msp, "2025-Q1", 1)  // C5
    try k.expect("new_customers", S.emea, "2025-Q1", 2)  // C2 C5
    try k.expect("new_customers", S.na, "2025-Q1", 1)  // C6
    try k.expect("new_customers", S.gold, "2025-Q1", 1)  // C2
    try k.expect("new_customers", S.silver, "2025-Q1", 1)  // C6
    try k.expect("new_customers", S.network, "2025-01", 1)  // C5
    try k.expect("new_customers", S.network, "2025-02", 1)  // C2
    try k.expect("new_customers", S.network, "2025-03", 1)  // C6
    try k.expect("new_customers", S.network, "2025", 3)
    try k.expect("new_customers", S.network, "2024", 5)  // C1 C3 C4 C7 C8 (C8 on 2024-12-31)
    try k.expect("new_customers", S.network, "2023", 2)  // C9 C10
    try k.expect("new_customers", S.network, "2025-Q2", 0)
  }

  @Test func marketShare() throws {
    let k = try KPIProbe(MainProgram.records)
    // Network regions = {emea, na} (latam has no partner): 40000 + 20000 = 60000.
    try k.expect("market_share", S.network, "2025-Q1", 4100.0 / 60000)
    try k.expect("market_share", S.p1, "2025-Q1", 1500.0 / 40000)  // emea only
    try k.expect("market_share", S.p2, "2025-Q1", 800.0 / 20000)  // na only
    try k.expect("market_share", S.p3, "2025-Q1", 1200.0 / 40000)  // emea
    try k.expect("market_share", S.p4, "2025-Q1", 600.0 / 20000)  // na
    try k.expect("market_share", S.msp, "2025-Q1", 2000.0 / 60000)  // P2 na + P3 emea
    try k.expect("market_share", S.reseller, "2025-Q1", 2100.0 / 60000)  // P1 emea + P4 na
    try k.expect("market_share", S.emea, "2025-Q1", 2700.0 / 40000)
    try k.expect("market_share", S.na, "2025-Q1", 1400.0 / 20000)
    try k.expect("market_share", S.gold, "2025-Q1", 2300.0 / 60000)  // P1 emea + P2 na
    try k.expect("market_share", S.silver, "2025-Q1", 600.0 / 20000)  // P4 na
    try k.expect("market_share", S.network, "2025-01", 1800.0 / 15000)  // emea 10000 + na 5000 (not latam 99999)
    try k.expect("market_share", S.p3, "2025-02", 0)  // revenue 0 / emea 10000
    try k.expect("market_share", S.p3, "2025-03", 1200.0 / 20000)
    try k.expect("market_share", S.network, "2025", 4100.0 / 60000)  // only Q1 rows exist in 2025
    try k.expect("market_share", S.network, "2025-Q2", nil)  // no market row
    try k.expect("market_share", S.network, "2024", nil)  // revenue 250 but no market row
  }
}
