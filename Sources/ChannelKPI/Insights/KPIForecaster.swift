/// Forecasts KPIs from their own history with exponential smoothing (ETS, chosen per series by
/// AICc), keeps forecasts inside the KPI's bounds, backtests, and gives the chance of reaching a
/// target.
public struct KPIForecaster {
  public let engine: KPIEngine
  /// The catalog variant (definitions version) whose formula is forecast.
  public let variant: Int
  /// Simulated futures for probabilities that have no closed form (multiplicative models).
  public var paths = 4000
  /// Fits kept across forecasts (see `ForecastMemo`); nil: every forecast is fitted afresh.
  public var memo: ForecastMemo?

  /// Engines holding the facts as of past days, made once per day this forecaster reads.
  private let asOfEngines = AsOfEngines()

  public init(engine: KPIEngine, variant: Int = 0) {
    self.engine = engine
    self.variant = variant
  }

  /// The engine to read `kpi` from for periods up to `end`: the facts as they stood at its end
  /// when the KPI reads events that can come later than the date it is counted by (a lead
  /// converted after it), this engine otherwise.
  /// With `keep`, the copy is kept for the next forecast as of the same day (an alert rule asks
  /// for every scope); at most `AsOfEngines.capacity` are kept.
  func source(for kpi: String, through end: Period, keep: Bool = true) -> KPIEngine {
    guard let tables = engine.tablesChangedAsOf(kpi, variant: variant) else { return engine }
    let day = end.end
    if let known = asOfEngines.byDay[day.number], tables.isSubset(of: known.tables) { return known.engine }
    guard let made = engine.asOf(day, tables: tables) else { return engine }
    if keep {
      if asOfEngines.byDay.count >= AsOfEngines.capacity { asOfEngines.byDay.removeAll() }
      asOfEngines.byDay[day.number] = (made, tables.union([.partners]))
    }
    return made
  }

  /// How many periods ahead by default: 6 months, 4 quarters, 2 years.
  public static func defaultHorizon(_ g: Grain) -> Int {
    switch g {
    case .month: 6
    case .quarter: 4
    case .year: 2
    }
  }

  /// The length of a season in periods of the grain (a year).
  public static func seasonLength(_ g: Grain) -> Int { Int(12 / g.months) }

  /// The most periods of history a forecast reads: 50 years of months.
  public static let maximumHistory = 600
  /// The most rolling origins of a backtest: five years of months.
  public static let maximumBacktest = 60

  /// The last period of a grain that has ended by `today` and that the data reaches.
  public func lastComplete(_ g: Grain, today: Day) -> Period? {
    // Activity, not every date: a partner's planned leaving day or next year's market figures
    // are no months of data.
    guard let activity = engine.activity else { return nil }
    let beforeToday = Period(grain: g, containing: today.month).shifted(by: -1)
    let dataEnd = Period(grain: g, containing: Day(number: activity.upperBound).month)
    return Swift.min(beforeToday, dataEnd)
  }

  /// The next `horizon` periods of `kpi` for `scope` after `asOf` (default: the last period that
  /// has ended), from the periods up to it; with `backtest` N, also N one-period-ahead forecasts
  /// from rolling origins over the last N periods of the history.
  public func forecast(
    kpi: String, scope: Scope, grain: Grain, horizon: Int? = nil, asOf: Period? = nil, today: Day, backtest: Int = 0
  ) throws(ForecastError) -> KPIForecast {
    let h = horizon ?? Self.defaultHorizon(grain)
    guard (1...60).contains(h) else { throw ForecastError("the horizon is 1 to 60 periods, not \(h)") }
    guard backtest >= 0, backtest <= Self.maximumBacktest else {
      throw ForecastError("the backtest is 0 to \(Self.maximumBacktest) periods, not \(backtest)")
    }
    let series = try history(kpi: kpi, scope: scope, grain: grain, asOf: asOf, today: today)
    guard series.periods.count >= 2 + backtest else {
      throw ForecastError(
        "\(series.periods.count) \(grain.rawValue)s of history up to \(series.asOf) are too few"
          + (backtest > 0 ? " for a backtest of \(backtest)" : "") + "; forecast at a finer grain or a later period")
    }
    let fit: ForecastSeries.Fit
    if let memo {
      let key = ForecastMemo.Key(
        kpi: kpi, variant: variant, minimum: series.definition.minimum, maximum: series.definition.maximum, horizon: h,
        seasonLength: series.seasonLength, values: series.values,
        numerator: series.parts?.0, denominator: series.parts?.1)
      fit = memo.fit(key) { series.fit(upTo: series.periods.count, horizon: h) }
    } else {
      fit = series.fit(upTo: series.periods.count, horizon: h)
    }
    guard fit.points.allSatisfy({ [$0.mean, $0.lo80, $0.hi80, $0.lo95, $0.hi95].allSatisfy(\.isFinite) }) else {
      throw ForecastError("no model could forecast this series (its values overflow)")
    }
    var result = KPIForecast(
      kpi: kpi, name: series.definition.name, unit: series.definition.unit, scope: scope.description, grain: grain,
      asOf: series.asOf.description, model: fit.model, method: fit.method,
      history: zip(series.periods, series.values).map { HistoryPoint(period: $0.description, value: $1) },
      points: fit.points.enumerated().map { k, p in
        ForecastRow(
          period: series.asOf.shifted(by: k + 1).description, forecast: p.mean, lo80: p.lo80, hi80: p.hi80,
          lo95: p.lo95, hi95: p.hi95)
      }, backtest: nil)
    if backtest > 0 {
      // Each rolling origin forecasts from what was known at its end, when that differs.
      let censored = engine.tablesChangedAsOf(kpi, variant: variant) != nil
      // Each origin's copy is made, read and dropped: a backtest of 60 origins holds one at a time.
      result.backtest = series.backtest(origins: backtest) { t in
        guard censored else { return nil }
        return try? self.history(
          kpi: kpi, scope: scope, grain: grain, asOf: series.periods[t - 1], today: today, keepSource: false)
      }
    }
    return result
  }

  /// The forecasts of `kpi` for every scope of a kind, each from its own series (the KPI's own
  /// values, without the split into numerator and denominator), fitted on every core.
  public func forecastAll(
    kpi: String, by kind: ScopeKind, grain: Grain, horizon: Int? = nil, asOf: Period? = nil, today: Day
  ) async throws(ForecastError) -> [KPIForecast] {
    let h = horizon ?? Self.defaultHorizon(grain)
    guard (1...60).contains(h) else { throw ForecastError("the horizon is 1 to 60 periods, not \(h)") }
    let catalog = engine.compiled.variantCatalogs[variant]
    guard let def = catalog.kpi(kpi) else {
      throw ForecastError("unknown KPI '\(kpi)'\(Spelling.hint(for: kpi, in: catalog.kpis.map(\.id)))")
    }
    let (end, activity) = try bounds(grain: grain, asOf: asOf, today: today)
    let start = Swift.max(
      Period(grain: grain, containing: Day(number: activity.lowerBound).month),
      end.shifted(by: -(Self.maximumHistory - 1)))
    guard start <= end else { throw ForecastError("no history up to \(end): the data begins in \(start)") }
    let result: ComputeResult
    let source = asOf == nil ? engine : self.source(for: kpi, through: end)
    do {
      result = try source.compute(
        ComputeRequest(kpis: [kpi], by: kind, grain: grain, from: start, to: end, variant: variant))
    } catch { throw ForecastError(error.message) }
    let joined = Dictionary(source.partners().map { ($0.id, $0.joinedOn) }, uniquingKeysWith: { a, _ in a })
    var histories: [(Scope, [Period], [Double?])] = []
    let active = Set(source.partners().filter { $0.isInProgram(during: end.months) }.map(\.id))
    for (s, scope) in result.scopes.enumerated() {
      // Partners that left before, or joined after, the last period read have nothing to forecast.
      if kind == .partner, !active.contains(scope.value ?? "") { continue }
      var periods = result.periods
      var values = periods.indices.map { result.value(kpi: 0, scope: s, period: $0) }
      // A partner's periods before it joined, and leading periods without a value, say nothing.
      while let first = periods.first, periods.count > 1,
        values[0] == nil || (kind == .partner && first.end < joined[scope.value ?? ""] ?? first.start)
      {
        periods.removeFirst()
        values.removeFirst()
      }
      histories.append((scope, periods, values))
    }
    // Series that are mostly 0 are forecast from their recent values; the others by ETS, fitted
    // together on every core.
    let observed = histories.map { $0.2.map { $0 ?? .nan } }
    let sparse = observed.map(IntermittentForecast.init)
    let regular = observed.indices.filter { sparse[$0] == nil }
    let fitted = await ETS.fitAll(regular.map { observed[$0] }, seasonLength: Self.seasonLength(grain))
    var models: [(model: String, method: String, points: [ForecastPoint])?] = sparse.map {
      $0.map { ($0.model, "intermittent", $0.forecast(horizon: h)) }
    }
    for (i, model) in zip(regular, fitted) {
      models[i] = (model.spec.description, "direct", model.forecast(horizon: h))
    }
    return zip(histories, models).compactMap { item, made in
      let (scope, periods, values) = item
      guard let made else { return nil }
      let raw = made.points
      guard raw.allSatisfy({ $0.mean.isFinite && $0.lo95.isFinite && $0.hi95.isFinite }) else { return nil }
      let last = periods.last ?? end
      return KPIForecast(
        kpi: kpi, name: def.name, unit: def.unit, scope: scope.description, grain: grain, asOf: last.description,
        model: made.model, method: made.method,
        history: zip(periods, values).map { HistoryPoint(period: $0.description, value: $1) },
        points: raw.enumerated().map { k, p in
          ForecastRow(
            period: last.shifted(by: k + 1).description, forecast: def.clamped(p.mean), lo80: def.clamped(p.lo80),
            hi80: def.clamped(p.hi80), lo95: def.clamped(p.lo95), hi95: def.clamped(p.hi95))
        }, backtest: nil)
    }
  }

  /// The last period read (`asOf`, which must have ended, or the last that has) and the days of
  /// the activity data.
  private func bounds(grain: Grain, asOf: Period?, today: Day) throws(ForecastError) -> (Period, ClosedRange<Int32>) {
    guard let last = lastComplete(grain, today: today), let activity = engine.activity else {
      throw ForecastError("no data yet: import some first")
    }
    guard let asOf else { return (last, activity) }
    let end = Period(grain: grain, containing: asOf.lastMonth)
    guard end <= last else {
      throw ForecastError(
        "\(asOf) is after the last \(grain.rawValue) that has ended and that the data reaches (\(last)); forecast as of it or earlier"
      )
    }
    return (end, activity)
  }

  /// The chance that `kpi` of `scope` reaches `target` in `period` (a period under way or one
  /// ahead), direction-aware: for a flow (a sum or count) the actual of the months so far plus
  /// the forecast of the rest; for other KPIs the forecast of the period itself. Nil for a period
  /// that has ended, or without enough history.
  public func probability(
    kpi: String, scope: Scope, period: Period, target: Double, better: Direction, today: Day
  ) -> Double? {
    guard period.end >= today else { return nil }
    let flow = engine.compiled.isFlow(kpi, variant: variant)
    let grain: Grain = flow ? .month : period.grain
    guard let series = try? history(kpi: kpi, scope: scope, grain: grain, asOf: nil, today: today),
      series.values.count >= 4
    else { return nil }
    let last = series.asOf
    let p: Double
    if flow {
      // Months of the period already closed count as they are; the model forecasts the others.
      let doneMonths = series.periods.indices.filter { series.periods[$0].firstMonth >= period.firstMonth }
      let soFar = doneMonths.reduce(0.0) { $0 + (series.values[$1] ?? 0) }
      let first = Int(Swift.max(period.firstMonth.index, last.firstMonth.index + 1) - last.firstMonth.index)
      let end = Int(period.lastMonth.index - last.firstMonth.index)
      guard end >= first else { return nil }
      if let sparse = IntermittentForecast(series.observed) {
        p = sparse.probability(sumAtLeast: target - soFar, steps: end - first + 1, paths: paths)
      } else {
        let model = ETS.fit(series.observed, seasonLength: Self.seasonLength(.month))
        p = model.probability(sumAtLeast: target - soFar, steps: first...end, paths: paths)
      }
    } else {
      let step = Int(period.firstMonth.index - last.firstMonth.index) / Int(grain.months)
      guard step >= 1 else { return nil }
      if let sparse = IntermittentForecast(series.observed) {
        p = sparse.probability(sumAtLeast: target, steps: 1, paths: paths)
      } else {
        let model = ETS.fit(series.observed, seasonLength: Self.seasonLength(grain))
        p = model.probability(atLeast: target, step: step, paths: paths)
      }
    }
    return better == .higher ? p : 1 - p
  }

  /// The KPI's values by period from the start of its data to `asOf`, with its numerator and
  /// denominator series when it is a ratio of sums.
  func history(
    kpi: String, scope: Scope, grain: Grain, asOf: Period?, today: Day, keepSource: Bool = true
  ) throws(ForecastError) -> ForecastSeries {
    guard variant >= 0, variant < engine.compiled.variantCount else {
      throw ForecastError("no definitions variant \(variant)")
    }
    let catalog = engine.compiled.variantCatalogs[variant]
    guard let expr = engine.compiled.variants[variant][kpi], let def = catalog.kpi(kpi) else {
      throw ForecastError(
        "unknown KPI '\(kpi)'\(Spelling.hint(for: kpi, in: catalog.kpis.map(\.id))) (channelkpi kpis lists them)")
    }
    let (end, activity) = try bounds(grain: grain, asOf: asOf, today: today)
    let engine = asOf == nil ? self.engine : source(for: kpi, through: end, keep: keepSource)
    let members = engine.members(of: scope)
    if members.isEmpty && scope != .network {
      throw ForecastError(
        self.engine.members(of: scope).isEmpty
          ? scope.unknown(among: self.engine.partners()) ?? "the scope \(scope) names no partner"
          : "the scope \(scope) has no partner in the program by \(end)")
    }
    var startDay = activity.lowerBound
    if scope.kind == .partner, let joined = engine.partners().first(where: { $0.id == scope.value })?.joinedOn {
      startDay = Swift.max(startDay, joined.number)
    }
    let start = Swift.max(
      Period(grain: grain, containing: Day(number: startDay).month), end.shifted(by: -(Self.maximumHistory - 1)))
    guard start <= end else {
      throw ForecastError("no history up to \(end): the data begins in \(start)")
    }
    var periods: [Period] = []
    var p = start
    while p <= end {
      periods.append(p)
      p = p.next
    }
    var exprs = [expr]
    let form = KPIForm.of(expr) { i in
      let f = engine.compiled.measures[i].function
      return f == .sum || f == .count
    }
    var parts: (n: [(MeasureTerm, Double)], d: [(MeasureTerm, Double)], scale: Double)?
    if case .ratio(let n, let d, let s) = form {
      parts = (n, d, s)
      exprs += (n + d).map { $0.0.expression }
    }
    // The members are the scope's own, so a type or the network reads its series when it has them.
    let values = engine.evaluate(exprs, groups: [(scope, members)], ranges: periods.map(\.months), wholeScopes: true)
    let count = periods.count
    func row(_ k: Int) -> [Double?] { (0..<count).map { values[k * count + $0] } }
    var series = ForecastSeries(
      definition: def, periods: periods, values: row(0), seasonLength: Self.seasonLength(grain))
    if let parts {
      var k = 1
      func weighted(_ terms: [(MeasureTerm, Double)]) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        for (_, c) in terms {
          let r = row(k)
          for i in 0..<count { out[i] += c * (r[i] ?? 0) }
          k += 1
        }
        return out
      }
      let n = weighted(parts.n)
      let d = weighted(parts.d)
      series.parts = (n.map { $0 * parts.scale }, d)
    }
    // Periods before the KPI has any value say nothing about it.
    while let first = series.values.first, first == nil, series.periods.count > 1 {
      series.dropFirst()
    }
    return series
  }
}

/// The as-of engines a forecaster has made, by day (a forecaster is used from one task at a time).
private final class AsOfEngines {
  /// As-of copies kept at most (each holds the tables its KPI reads).
  static let capacity = 12
  var byDay: [Int32: (engine: KPIEngine, tables: Set<CanonicalTable>)] = [:]
}
