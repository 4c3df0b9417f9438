/// A KPI's history at one grain, and the forecasts made from it.
struct ForecastSeries {
  let definition: KPIDefinition
  private(set) var periods: [Period]
  private(set) var values: [Double?]
  let seasonLength: Int
  /// For a ratio of sums: the scaled numerator and the denominator, period by period.
  var parts: ([Double], [Double])?

  init(definition: KPIDefinition, periods: [Period], values: [Double?], seasonLength: Int) {
    self.definition = definition
    self.periods = periods
    self.values = values
    self.seasonLength = seasonLength
  }

  var asOf: Period { periods[periods.count - 1] }

  /// The values with gaps as NaN (the model fills them in).
  var observed: [Double] { values.map { $0 ?? .nan } }

  mutating func dropFirst() {
    periods.removeFirst()
    values.removeFirst()
    if let (n, d) = parts { parts = (Array(n.dropFirst()), Array(d.dropFirst())) }
  }

  /// A forecast from the first `count` periods.
  struct Fit: Sendable {
    var model: String
    var method: String
    var points: [ForecastPoint]
  }

  /// Forecasts `horizon` periods from the first `count` values: from the recent values as they
  /// are when the series is mostly 0, else the KPI's own series, or for a ratio, its parts
  /// forecast apart when they did better one period ahead over the last periods.
  func fit(upTo count: Int, horizon: Int) -> Fit {
    let y = Array(observed[0..<count])
    if let sparse = IntermittentForecast(y) {
      return Fit(model: sparse.model, method: "intermittent", points: sparse.forecast(horizon: horizon).map(clamp))
    }
    let direct = ETS.fit(y, seasonLength: seasonLength)
    let own = direct.forecast(horizon: horizon)
    if let parts, count >= 8, prefersParts(upTo: count) {
      return ratioFit(Array(parts.0[0..<count]), Array(parts.1[0..<count]), around: own, horizon: horizon)
    }
    return Fit(model: direct.spec.description, method: "direct", points: own.map(clamp))
  }

  /// Whether forecasting the numerator and denominator apart clearly beat the KPI's own series
  /// over the last origins before `count` (mean absolute error one period ahead, by a fifth):
  /// over a few origins a small edge is noise, and the KPI's own model then does as well.
  private func prefersParts(upTo count: Int) -> Bool {
    guard let parts else { return false }
    let origins = Swift.min(6, count / 3)
    var direct = 0.0
    var split = 0.0
    var n = 0
    for t in (count - origins)..<count {
      guard let actual = values[t], actual.isFinite, t >= 4 else { continue }
      let d = ETS.fit(Array(observed[0..<t]), seasonLength: seasonLength).forecast(horizon: 1)[0].mean
      let num = ETS.fit(Array(parts.0[0..<t]), seasonLength: seasonLength).forecast(horizon: 1)[0].mean
      let den = ETS.fit(Array(parts.1[0..<t]), seasonLength: seasonLength).forecast(horizon: 1)[0].mean
      guard den != 0 else { continue }
      direct += Swift.abs(clamp(d) - actual)
      split += Swift.abs(clamp(num / den) - actual)
      n += 1
    }
    return n >= 3 && split < 0.8 * direct
  }

  /// A rate from its parts: the ratio of the two forecasts, with the spread of the KPI's own
  /// model (before bounds are applied) around it; numerator and denominator move together, so
  /// their separate intervals would say far too little about the rate.
  private func ratioFit(_ n: [Double], _ d: [Double], around direct: [ForecastPoint], horizon: Int) -> Fit {
    let nm = ETS.fit(n, seasonLength: seasonLength)
    let dm = ETS.fit(d, seasonLength: seasonLength)
    let nMean = nm.forecast(horizon: horizon)
    let dMean = dm.forecast(horizon: horizon)
    var points: [ForecastPoint] = []
    for k in 0..<horizon {
      let own = direct[k]
      guard dMean[k].mean > 0 else {
        points.append(own)
        continue
      }
      let mean = nMean[k].mean / dMean[k].mean
      let shift = mean - own.mean
      points.append(
        clamp(
          ForecastPoint(
            mean: mean, lo80: own.lo80 + shift, hi80: own.hi80 + shift, lo95: own.lo95 + shift,
            hi95: own.hi95 + shift)))
    }
    return Fit(model: "\(nm.spec) / \(dm.spec)", method: "ratio", points: points)
  }

  private func q(_ sorted: [Double], _ p: Double) -> Double { QuartileCuts.quantile(sorted, p) }

  /// Inside the KPI's bounds (a share stays in 0–1, a count at 0 or more).
  func clamp(_ v: Double) -> Double { v.isFinite ? definition.clamped(v) : v }

  func clamp(_ p: ForecastPoint) -> ForecastPoint {
    ForecastPoint(
      mean: clamp(p.mean), lo80: clamp(p.lo80), hi80: clamp(p.hi80), lo95: clamp(p.lo95), hi95: clamp(p.hi95))
  }

  /// One-period-ahead forecasts from each of the last `origins` periods, against the actuals.
  /// `known(t)`, when it gives one, is the series as it was known at the end of period `t - 1`
  /// (later events undone), which the origin forecasts from instead of the first `t` values.
  func backtest(origins: Int, known: (Int) -> ForecastSeries? = { _ in nil }) -> BacktestSummary {
    var points: [BacktestPoint] = []
    var mase: [Double] = []
    for t in (periods.count - origins)..<periods.count {
      guard let actual = values[t], actual.isFinite else { continue }
      let then = known(t)
      let made = then.map { $0.fit(upTo: $0.periods.count, horizon: 1) } ?? fit(upTo: t, horizon: 1)
      let f = made.points[0]
      points.append(
        BacktestPoint(
          period: periods[t].description, actual: actual, forecast: f.mean, lo80: f.lo80, hi80: f.hi80, lo95: f.lo95,
          hi95: f.hi95, model: made.model, method: made.method))
      let insample = Array((then?.values[...] ?? values[0..<t]).compactMap { $0 })
      if let m = ForecastAccuracy.mase(
        actual: [actual], forecast: [f.mean], insample: insample, seasonLength: seasonLength)
      {
        mase.append(m)
      }
    }
    let actual = points.map(\.actual)
    return BacktestSummary(
      origins: points.count, mase: mase.isEmpty ? nil : mase.reduce(0, +) / Double(mase.count),
      smape: ForecastAccuracy.smape(actual: actual, forecast: points.map(\.forecast)),
      coverage80: ForecastAccuracy.coverage(actual: actual, lower: points.map(\.lo80), upper: points.map(\.hi80)),
      coverage95: ForecastAccuracy.coverage(actual: actual, lower: points.map(\.lo95), upper: points.map(\.hi95)),
      points: points)
  }
}
