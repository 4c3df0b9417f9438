/// The forecast of a series that is 0 in at least half of its recent periods, such as the revenue
/// of a partner that closes a deal every few months. ETS sees such a series as a level with
/// symmetric noise: its mean is a value that almost never happens, a poor point forecast under
/// absolute error, and its intervals straddle it. Here the recent periods' values, as they are,
/// are the predictive distribution of every period ahead: the forecast is its median (0 when most
/// periods are 0), the intervals its quantiles, and the chance of a total the share of resampled
/// futures that reach it.
struct IntermittentForecast {
  /// How many of the last observed periods make the distribution: two years of months.
  static let window = 24
  /// Fewer observed periods than this say too little about how often the series is 0.
  static let minimumPeriods = 4

  /// The last `window` observed values, sorted.
  let sorted: [Double]

  /// Nil when the series is not intermittent: fewer than `minimumPeriods` observed values in the
  /// window, a negative value, or fewer zeros than other values.
  init?(_ y: [Double]) {
    let recent = Array(y.filter(\.isFinite).suffix(Self.window))
    guard recent.count >= Self.minimumPeriods, recent.allSatisfy({ $0 >= 0 }) else { return nil }
    let zeros = recent.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
    guard 2 * zeros >= recent.count else { return nil }
    sorted = recent.sorted()
  }

  /// How the forecast was made, for the response's `model`.
  var model: String { "empirical (last \(sorted.count) periods)" }

  /// The same predictive distribution for every period ahead.
  func forecast(horizon: Int) -> [ForecastPoint] {
    let point = ForecastPoint(
      mean: quantile(0.5), lo80: quantile(0.1), hi80: quantile(0.9), lo95: quantile(0.025), hi95: quantile(0.975))
    return Array(repeating: point, count: horizon)
  }

  private func quantile(_ p: Double) -> Double { QuartileCuts.quantile(sorted, p) }

  /// P(the sum of `steps` future periods ≥ x): exact for one period, otherwise from `paths`
  /// resampled futures (a fixed seed, so the same data always gives the same chance).
  func probability(sumAtLeast x: Double, steps: Int, paths: Int, seed: UInt64 = 1) -> Double {
    guard steps >= 1 else { return x <= 0 ? 1 : 0 }
    let n = sorted.count
    if steps == 1 { return Double(sorted.reduce(0) { $0 + ($1 >= x ? 1 : 0) }) / Double(n) }
    var random = Xoshiro256(seed: seed)
    var hits = 0
    let count = Swift.max(paths, 1)
    for _ in 0..<count {
      var sum = 0.0
      for _ in 0..<steps { sum += sorted[Swift.min(n - 1, Int(random.unit() * Double(n)))] }
      if sum >= x { hits += 1 }
    }
    return Double(hits) / Double(count)
  }
}
