import ChannelKPI
import Testing

/// One partner with won and lost deals month by month (each created and closed on the 10th).
private enum ForecastFixture {
  /// `amounts[i]` is the won amount of month i from 2024-01 (nil: no won deal); every month also
  /// has `lost` lost deals.
  static func records(from first: Month = Month(year: 2024, month: 1), amounts: [Int?], lost: Int = 1) -> [FactRecord] {
    var r = [Row.partner("P", type: "reseller", region: "emea", joined: "2023-06-01")]
    for (i, a) in amounts.enumerated() {
      let m = first + Int32(i)
      let day = "\(m.description)-10"
      if let a { r.append(Row.deal("W\(m)", "P", created: day, stage: "won", closed: day, amount: "\(a)")) }
      for k in 0..<lost { r.append(Row.deal("L\(m)-\(k)", "P", created: day, stage: "lost", closed: day, amount: "5")) }
    }
    return r
  }

  static let noisy: [Int?] = [
    120, 95, 140, 110, 130, 160, 105, 150, 170, 125, 180, 190, 140, 175, 160, 210, 185, 200, 230, 190, 240, 220, 250,
    260,
  ]

  static func day(_ s: String) throws -> Day { try #require(Day(iso: s)) }
}

@Suite struct KPIForecasterTests {
  @Test func asOfForecastsNeverReadLaterFacts() throws {
    let base = ForecastFixture.records(amounts: ForecastFixture.noisy)
    // The same program with a year of later deals (2026), much larger.
    let later = ForecastFixture.records(
      from: Month(year: 2026, month: 1), amounts: Array(repeating: 9_000, count: 12), lost: 3
    ).dropFirst()
    let a = try Fixture.engine(base)
    let b = try Fixture.engine(base + later)
    let asOf = try #require(Period("2025-12"))
    let today = try ForecastFixture.day("2027-03-01")
    for kpi in ["revenue", "win_rate", "avg_deal_size"] {
      let fa = try KPIForecaster(engine: a).forecast(
        kpi: kpi, scope: .network, grain: .month, asOf: asOf, today: today, backtest: 6)
      let fb = try KPIForecaster(engine: b).forecast(
        kpi: kpi, scope: .network, grain: .month, asOf: asOf, today: today, backtest: 6)
      #expect(fa.asOf == "2025-12" && fb.asOf == "2025-12")
      #expect(fa.history == fb.history, "\(kpi)")
      #expect(fa.points == fb.points, "\(kpi)")
      #expect(fa.backtest == fb.backtest, "\(kpi)")
      #expect(fa.points.first?.period == "2026-01" && fa.points.count == 6)
    }
    // Without --as-of, the later facts are read: the history runs to the last month that ended.
    let now = try KPIForecaster(engine: b).forecast(kpi: "revenue", scope: .network, grain: .month, today: today)
    #expect(now.asOf == "2026-12" && now.history.last?.value == 9_000)
  }

  @Test func aMemoKeepsFitsOfUnchangedHistoriesOnly() throws {
    let e = try Fixture.engine(ForecastFixture.records(amounts: ForecastFixture.noisy))
    let today = try ForecastFixture.day("2026-01-15")
    let plain = try KPIForecaster(engine: e).forecast(kpi: "revenue", scope: .network, grain: .month, today: today)
    var memoized = KPIForecaster(engine: e)
    let memo = ForecastMemo()
    memoized.memo = memo
    let first = try memoized.forecast(kpi: "revenue", scope: .network, grain: .month, today: today)
    #expect(first == plain && memo.count == 1)
    // Asked again: the kept fit, the same forecast.
    #expect(memo.hits == 0)
    #expect(try memoized.forecast(kpi: "revenue", scope: .network, grain: .month, today: today) == plain)
    #expect(memo.count == 1 && memo.hits == 1)
    // Another history (as of a month before) is another fit.
    let asOf = try #require(Period("2025-11"))
    let earlier = try memoized.forecast(kpi: "revenue", scope: .network, grain: .month, asOf: asOf, today: today)
    #expect(memo.count == 2 && memo.hits == 1)
    #expect(
      earlier
        == (try KPIForecaster(engine: e).forecast(
          kpi: "revenue", scope: .network, grain: .month, asOf: asOf, today: today)))
  }

  @Test func sharesStayInsideTheirBounds() throws {
    // Every deal won: the win rate is 1 in every month, and its forecast may not exceed 1.
    let e = try Fixture.engine(ForecastFixture.records(amounts: ForecastFixture.noisy, lost: 0))
    let f = try KPIForecaster(engine: e).forecast(
      kpi: "win_rate", scope: .network, grain: .month, today: try ForecastFixture.day("2026-01-15"))
    for p in f.points {
      #expect(p.forecast <= 1 && p.hi80 <= 1 && p.hi95 <= 1 && p.lo95 >= 0, "\(p)")
      #expect(abs(p.forecast - 1) < 1e-9)
    }
    // Revenue cannot go below 0, however wide the interval.
    let r = try KPIForecaster(engine: e).forecast(
      kpi: "revenue", scope: Scope(.partner, "P"), grain: .month, horizon: 24,
      today: try ForecastFixture.day("2026-01-15"))
    #expect(r.points.allSatisfy { $0.lo95 >= 0 && $0.lo80 >= $0.lo95 && $0.hi80 <= $0.hi95 })
  }

  @Test func backtestFiguresFollowFromItsPoints() throws {
    let e = try Fixture.engine(ForecastFixture.records(amounts: ForecastFixture.noisy))
    let f = try KPIForecaster(engine: e).forecast(
      kpi: "revenue", scope: .network, grain: .month, today: try ForecastFixture.day("2026-01-15"), backtest: 8)
    let b = try #require(f.backtest)
    #expect(b.points.allSatisfy { $0.method == "direct" && $0.model.hasPrefix("ETS(") })
    #expect(
      b.origins == 8
        && b.points.map(\.period) == (16..<24).map { (Month(year: 2024, month: 1) + Int32($0)).description })
    // The actuals are the history's values.
    let history = Dictionary(uniqueKeysWithValues: f.history.map { ($0.period, $0.value) })
    for p in b.points { #expect(history[p.period] == p.actual) }
    let inside80 = b.points.filter { $0.lo80 <= $0.actual && $0.actual <= $0.hi80 }.count
    #expect(b.coverage80 == Double(inside80) / 8)
    var smape = 0.0
    for p in b.points { smape += 200 * abs(p.actual - p.forecast) / (abs(p.actual) + abs(p.forecast)) }
    #expect(close(b.smape, smape / 8, tolerance: 1e-12))
    // MASE: each origin's absolute error over the in-sample error of the seasonal naive forecast
    // (the same month a year before) of the months before it.
    var mase = 0.0
    let values = f.history.compactMap(\.value)
    for (k, p) in b.points.enumerated() {
      let t = 16 + k
      let scale = (12..<t).map { abs(values[$0] - values[$0 - 12]) }.reduce(0, +) / Double(t - 12)
      mase += abs(p.actual - p.forecast) / scale
    }
    #expect(close(b.mase, mase / 8, tolerance: 1e-9))
  }

  @Test func chanceOfReachingATargetAddsTheMonthsSoFar() throws {
    // 100 won every month from 2024-01 to 2026-01: a flat series the model forecasts exactly.
    let e = try Fixture.engine(ForecastFixture.records(amounts: Array(repeating: 100, count: 25)))
    let f = KPIForecaster(engine: e)
    let q1 = try #require(Period("2026-Q1"))
    let today = try ForecastFixture.day("2026-02-10")
    // January is closed (100); February and March are forecast at 100 each: 300 in all.
    let reach = f.probability(
      kpi: "revenue", scope: .network, period: q1, target: 300, better: .higher, today: today)
    let miss = f.probability(
      kpi: "revenue", scope: .network, period: q1, target: 300.01, better: .higher, today: today)
    #expect(reach == 1 && miss == 0)
    // A period that has ended has no chance left to compute.
    #expect(
      f.probability(
        kpi: "revenue", scope: .network, period: try #require(Period("2025-Q4")), target: 1, better: .higher,
        today: today) == nil)
  }

  @Test func noisyHistoryGivesAProbabilityBetween() throws {
    let e = try Fixture.engine(ForecastFixture.records(amounts: ForecastFixture.noisy))
    let f = KPIForecaster(engine: e)
    let q1 = try #require(Period("2026-Q1"))
    let today = try ForecastFixture.day("2026-01-05")
    let forecast = try f.forecast(kpi: "revenue", scope: .network, grain: .month, horizon: 3, today: today)
    let expected = forecast.points.reduce(0) { $0 + $1.forecast }
    // At the expected total the chance is about even; far above it, small; far below, large.
    let mid = try #require(
      f.probability(kpi: "revenue", scope: .network, period: q1, target: expected, better: .higher, today: today))
    #expect(mid > 0.3 && mid < 0.7)
    let high = try #require(
      f.probability(kpi: "revenue", scope: .network, period: q1, target: expected * 2, better: .higher, today: today))
    let low = try #require(
      f.probability(kpi: "revenue", scope: .network, period: q1, target: expected / 2, better: .higher, today: today))
    #expect(high < 0.05 && low > 0.95)
    // For a KPI where lower is better, reaching means staying under.
    let under = try #require(
      f.probability(kpi: "revenue", scope: .network, period: q1, target: expected * 2, better: .lower, today: today))
    #expect(abs(under - (1 - high)) < 1e-12)
  }

  @Test func aSeriesMostlyZeroIsForecastFromItsRecentValues() async throws {
    // 24 months from 2024-01; a won deal in 8 of them (100 … 800, out of order), none in the
    // other 16: revenue 0 there.
    var amounts = [Int?](repeating: nil, count: 24)
    for (i, a) in zip([1, 4, 6, 10, 13, 17, 20, 23], [300, 100, 800, 200, 600, 400, 700, 500]) { amounts[i] = a }
    let e = try Fixture.engine(ForecastFixture.records(amounts: amounts))
    let f = KPIForecaster(engine: e)
    let today = try ForecastFixture.day("2026-01-05")
    let r = try f.forecast(kpi: "revenue", scope: Scope(.partner, "P"), grain: .month, horizon: 3, today: today)
    #expect(r.method == "intermittent" && r.model == "empirical (last 24 periods)")
    // Sorted: sixteen 0s, then 100 … 800 at positions 16 … 23. numpy's linear quantiles:
    // 0.5 → position 11.5 (0); 0.9 → 20.7 (500 + 0.7 × 100); 0.975 → 22.425 (700 + 0.425 × 100).
    for p in r.points {
      #expect(p.forecast == 0 && p.lo80 == 0 && p.lo95 == 0)
      #expect(abs(p.hi80 - 570) < 1e-9 && abs(p.hi95 - 742.5) < 1e-9)
    }
    // Forecasting every partner takes the same route.
    let all = try await f.forecastAll(kpi: "revenue", by: .partner, grain: .month, horizon: 3, today: today)
    #expect(all.count == 1 && all[0].points == r.points && all[0].method == "intermittent")
    // One month ahead the chance is the share of months that reached the target: 4 of 24 made
    // at least 450. Over a quarter, at least one deal: 1 − (16/24)³ = 19/27, within the noise
    // of 4,000 resampled quarters.
    let january = try #require(Period("2026-01"))
    let one = f.probability(
      kpi: "revenue", scope: Scope(.partner, "P"), period: january, target: 450, better: .higher, today: today)
    #expect(one.map { abs($0 - 4.0 / 24) < 1e-12 } == true)
    let q1 = try #require(Period("2026-Q1"))
    let quarter = try #require(
      f.probability(kpi: "revenue", scope: Scope(.partner, "P"), period: q1, target: 1, better: .higher, today: today))
    #expect(abs(quarter - 19.0 / 27) < 0.03)
    // Each backtest origin says how it forecast.
    let backtested = try f.forecast(
      kpi: "revenue", scope: Scope(.partner, "P"), grain: .month, today: today, backtest: 4)
    let b = try #require(backtested.backtest)
    #expect(b.points.allSatisfy { $0.method == "intermittent" && $0.model.hasPrefix("empirical") })
  }

  @Test func badRequestsAreClearErrors() throws {
    let e = try Fixture.engine(ForecastFixture.records(amounts: ForecastFixture.noisy))
    let f = KPIForecaster(engine: e)
    let today = try ForecastFixture.day("2026-01-15")
    let unknown = #expect(throws: ForecastError.self) {
      try f.forecast(kpi: "revnue", scope: .network, grain: .month, today: today)
    }
    #expect(unknown?.message.hasPrefix("unknown KPI 'revnue'; did you mean 'revenue'?") == true)
    let nobody = #expect(throws: ForecastError.self) {
      try f.forecast(kpi: "revenue", scope: Scope(.type, "msp"), grain: .month, today: today)
    }
    #expect(nobody?.message == "no partner has the type 'msp'")
    #expect(throws: ForecastError.self) {
      try f.forecast(kpi: "revenue", scope: .network, grain: .month, horizon: 0, today: today)
    }
    // The data ends in 2025-12: a forecast as of a later month would read nothing real.
    let future = #expect(throws: ForecastError.self) {
      try f.forecast(kpi: "revenue", scope: .network, grain: .month, asOf: Period("2030-01"), today: today)
    }
    #expect(
      future?.message
        == "2030-01 is after the last month that has ended and that the data reaches (2025-12); forecast as of it or earlier"
    )
    let short = #expect(throws: ForecastError.self) {
      try f.forecast(kpi: "revenue", scope: .network, grain: .year, today: today, backtest: 3)
    }
    #expect(short?.message.contains("too few") == true)
  }
}
