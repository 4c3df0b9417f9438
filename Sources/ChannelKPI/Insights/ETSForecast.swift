/// Point forecasts and prediction intervals (Hyndman et al. 2008, ch. 6): exact variances for
/// the linear models (class 1), the product recursion for multiplicative error with additive
/// components (class 2), and the moment recursion for multiplicative error and season (class 3).
/// Intervals are the point forecast ± z √variance, as forecast::ets and statsforecast give them.
extension ETSModel {
  static let z80 = 1.281_551_565_544_600_5
  static let z95 = 1.959_963_984_540_054

  /// Point forecasts with 80% and 95% prediction intervals for the next `horizon` periods.
  public func forecast(horizon: Int) -> [ForecastPoint] {
    guard horizon > 0 else { return [] }
    let means = unitMeans(horizon: horizon)
    let variances = unitVariances(horizon: horizon, means: means)
    return (0..<horizon).map { i in
      let mean = means[i] * scale
      let spread = Swift.max(variances[i], 0).squareRoot() * scale
      return ForecastPoint(
        mean: mean, lo80: mean - ETSModel.z80 * spread, hi80: mean + ETSModel.z80 * spread,
        lo95: mean - ETSModel.z95 * spread, hi95: mean + ETSModel.z95 * spread)
    }
  }

  /// The point forecasts on the unit scale: the state carried forward with no errors. The
  /// damped trend adds φ + φ² + … + φʰ slopes by step h.
  func unitMeans(horizon: Int) -> [Double] {
    let p = smoothing
    let m = Swift.max(seasonLength, 1)
    var means = [Double](repeating: 0, count: horizon)
    var damping = 0.0
    var power = 1.0
    for i in 0..<horizon {
      power *= p.phi
      damping += power
      let q = unitState.level + damping * unitState.slope
      switch spec.season {
      case .none: means[i] = q
      case .additive: means[i] = q + unitState.season[i % m]
      case .multiplicative: means[i] = q * unitState.season[i % m]
      }
    }
    return means
  }

  /// c_j, the weight of the error j steps back in a linear model's forecast error:
  /// α + β(φ + … + φʲ) + γ when j is a whole number of seasons (Hyndman et al. Table 6.1).
  func errorWeights(count: Int) -> [Double] {
    let p = smoothing
    var weights = [Double](repeating: 0, count: Swift.max(count, 0))
    var damping = 0.0
    var power = 1.0
    for j in stride(from: 1, through: count, by: 1) {
      power *= p.phi
      damping += power
      var c = p.alpha + p.beta * damping
      if spec.hasSeason && seasonLength > 1 && j % seasonLength == 0 { c += p.gamma }
      weights[j - 1] = c
    }
    return weights
  }

  /// The forecast variances on the unit scale.
  func unitVariances(horizon: Int, means: [Double]) -> [Double] {
    let sigma2 = unitSigma * unitSigma
    if sigma2 == 0 { return [Double](repeating: 0, count: horizon) }
    switch (spec.error, spec.season) {
    case (.additive, _):
      // Class 1: σ² (1 + Σ_{j<h} c_j²).
      let c = errorWeights(count: horizon - 1)
      var total = 1.0
      var variances = [Double](repeating: sigma2, count: horizon)
      for h in 1..<Swift.max(horizon, 1) {
        total += c[h - 1] * c[h - 1]
        variances[h] = sigma2 * total
      }
      return variances
    case (.multiplicative, .multiplicative):
      return ETSClass3.variances(self, horizon: horizon)
    case (.multiplicative, _):
      // Class 2: θ₁ = μ₁², θ_h = μ_h² + σ² Σ_{j<h} c_j² θ_{h-j}; v_h = (1 + σ²) θ_h - μ_h².
      let c = errorWeights(count: horizon - 1)
      var theta = [Double](repeating: 0, count: horizon)
      var variances = [Double](repeating: 0, count: horizon)
      for h in 0..<horizon {
        var sum = 0.0
        for j in stride(from: 1, through: h, by: 1) { sum += c[j - 1] * c[j - 1] * theta[h - j] }
        theta[h] = means[h] * means[h] + sigma2 * sum
        variances[h] = (1 + sigma2) * theta[h] - means[h] * means[h]
      }
      return variances
    }
  }

  /// The point forecast and 80%/95% intervals of the sum of the values `steps` ahead (1 is the
  /// next period): e.g. the rest of a quarter. Exact for linear models; otherwise quantiles of
  /// `paths` simulated futures, the same for the same seed.
  public func sumForecast(steps: ClosedRange<Int>, paths: Int = 10_000, seed: UInt64 = 1) -> ForecastPoint {
    guard steps.lowerBound >= 1 else { return ForecastPoint(mean: 0, lo80: 0, hi80: 0, lo95: 0, hi95: 0) }
    let means = unitMeans(horizon: steps.upperBound)
    var mean = 0.0
    for h in steps { mean += means[h - 1] }
    mean *= scale
    if let spread = linearSumSpread(steps: steps) {
      let s = spread * scale
      return ForecastPoint(
        mean: mean, lo80: mean - ETSModel.z80 * s, hi80: mean + ETSModel.z80 * s, lo95: mean - ETSModel.z95 * s,
        hi95: mean + ETSModel.z95 * s)
    }
    var sums = simulatedUnitSums(steps: steps, paths: Swift.max(paths, 1), seed: seed)
    sums.sort()
    func quantile(_ p: Double) -> Double { ETSSimulation.quantile(sortedValues: sums, p) * scale }
    return ForecastPoint(
      mean: mean, lo80: quantile(0.1), hi80: quantile(0.9), lo95: quantile(0.025), hi95: quantile(0.975))
  }

  /// P(y_{n+step} ≥ x): from the normal forecast distribution for linear models, otherwise the
  /// share of `paths` simulated futures.
  public func probability(atLeast x: Double, step: Int, paths: Int = 10_000, seed: UInt64 = 1) -> Double {
    probability(sumAtLeast: x, steps: step...step, paths: paths, seed: seed)
  }

  /// P(Σ_{h in steps} y_{n+h} ≥ x), e.g. the chance that the rest of a quarter brings at least
  /// what a target still needs.
  public func probability(sumAtLeast x: Double, steps: ClosedRange<Int>, paths: Int = 10_000, seed: UInt64 = 1)
    -> Double
  {
    guard steps.lowerBound >= 1, !x.isNaN else { return x <= 0 ? 1 : 0 }
    let target = x / scale
    if let spread = linearSumSpread(steps: steps) {
      let means = unitMeans(horizon: steps.upperBound)
      var mean = 0.0
      for h in steps { mean += means[h - 1] }
      if spread == 0 { return mean >= target ? 1 : 0 }
      return Normal.survival((target - mean) / spread)
    }
    let sums = simulatedUnitSums(steps: steps, paths: Swift.max(paths, 1), seed: seed)
    var hits = 0
    for s in sums where s >= target { hits += 1 }
    return Double(hits) / Double(sums.count)
  }

  /// The standard deviation of a sum of future values on the unit scale, for linear models: the
  /// error at step h is ε_h + Σ_{j<h} c_j ε_{h-j}, so ε_i carries Σ_{h in steps, h ≥ i} c_{h-i}
  /// (c₀ = 1). Nil for the other classes.
  func linearSumSpread(steps: ClosedRange<Int>) -> Double? {
    guard spec.error == .additive else { return nil }
    let b = steps.upperBound
    let c = [1] + errorWeights(count: b - 1)
    var variance = 0.0
    for i in 1...b {
      var weight = 0.0
      for h in Swift.max(steps.lowerBound, i)...b { weight += c[h - i] }
      variance += weight * weight
    }
    return unitSigma * variance.squareRoot()
  }
}
