/// Runs a model with settled parameters and initial state over the data and assembles the fitted
/// model: fitted values, final state, σ² and the information criteria.
enum ETSModelBuilder {
  static func model(
    _ data: ETSData, spec: ETSSpec, seasonLength m: Int, smoothing: ETSModel.Smoothing, start: ETSModel.UnitState,
    parameterCount k: Int, estimation: ETSModel.Estimation
  ) -> ETSModel? {
    let n = data.count
    var level = start.level
    var slope = start.slope
    var ring = spec.hasSeason ? start.season : [0]
    var fittedUnit = [Double](repeating: 0, count: n)
    let recursion = ETSRecursion(spec: spec, m: m, smoothing: smoothing)
    let outcome = ring.withUnsafeMutableBufferPointer { r in
      fittedUnit.withUnsafeMutableBufferPointer { f in
        data.unit.withUnsafeBufferPointer { y in recursion.run(y, level: &level, slope: &slope, ring: r, fitted: f) }
      }
    }
    guard outcome.valid else { return nil }
    let finalSeason = spec.hasSeason ? (0..<m).map { ring[(n + $0) % m] } : []
    let fitted = fittedUnit.map { $0 * data.scale }
    let residuals = zip(data.values, fitted).map { $0 - $1 }
    let criterion = ETSRecursion.criterion(outcome, count: n, error: spec.error)
    let stats = Statistics(criterion: criterion, sse: outcome.sse, count: n, parameterCount: k, scale: data.scale)
    let unitSigma = stats.unitSigma2.squareRoot()
    let sigma2 = spec.error == .additive ? (unitSigma * data.scale) * (unitSigma * data.scale) : stats.unitSigma2
    let seasonScale = spec.season == .additive ? data.scale : 1
    func publicState(_ level: Double, _ slope: Double, _ season: [Double]) -> ETSState {
      ETSState(
        level: level * data.scale, trend: spec.hasTrend ? slope * data.scale : nil,
        season: season.map { $0 * seasonScale })
    }
    return ETSModel(
      spec: spec, seasonLength: m,
      parameters: ETSParameters(
        alpha: smoothing.alpha, beta: spec.hasTrend ? smoothing.beta : nil,
        gamma: spec.hasSeason ? smoothing.gamma : nil, phi: spec.trend == .damped ? smoothing.phi : nil),
      initialState: publicState(start.level, start.slope, spec.hasSeason ? start.season : []),
      finalState: publicState(level, slope, finalSeason),
      sigma2: sigma2, logLikelihood: stats.logLikelihood, aic: stats.aic, aicc: stats.aicc, bic: stats.bic,
      parameterCount: k, fitted: fitted, residuals: residuals, estimation: estimation, scale: data.scale,
      unitState: ETSModel.UnitState(level: level, slope: slope, season: finalSeason), unitSigma: unitSigma)
  }

  /// Information criteria from the fitting criterion (on the unit scale), as forecast::ets
  /// computes them; σ² as statsforecast does, SSE / (n - k - 1).
  struct Statistics {
    var logLikelihood: Double
    var aic: Double
    var aicc: Double
    var bic: Double
    var unitSigma2: Double

    init(criterion: Double, sse: Double, count n: Int, parameterCount k: Int, scale: Double) {
      let nn = Double(n)
      let kk = Double(k)
      let lik = n == 0 ? 0 : criterion + 2 * nn * DemoMath.log(scale)
      logLikelihood = -0.5 * lik
      aic = lik + 2 * kk
      bic = lik + (n > 0 ? DemoMath.log(nn) : 0) * kk
      aicc = n - k - 1 > 0 ? aic + 2 * kk * (kk + 1) / (nn - kk - 1) : aic
      let dof = n - k - 1 > 0 ? n - k - 1 : Swift.max(n - 1, 1)
      unitSigma2 = sse.isFinite ? sse / Double(dof) : 0
    }
  }
}

/// Models for series too short or too plain for a likelihood fit.
enum ETSFallback {
  /// Fewer than 5 points: the mean, with the sample variance widened by 1 + 1/n for the
  /// estimated mean (one point: a spread as large as its size; no points: zero).
  static func tooShort(_ data: ETSData) -> ETSModel {
    let n = data.count
    var mean = 0.0
    for u in data.unit { mean += u }
    mean = n > 0 ? mean / Double(n) : 0
    var sse = 0.0
    for u in data.unit { sse += (u - mean) * (u - mean) }
    let unitVariance: Double
    switch n {
    case 0: unitVariance = 0
    case 1: unitVariance = mean * mean
    default: unitVariance = sse / Double(n - 1) * (1 + 1 / Double(n))
    }
    let spec = ETSSpec(error: .additive, trend: .none, season: .none)
    let criterion = n > 0 ? Double(n) * DemoMath.log(Swift.max(sse, 1e-200)) : 0
    let stats = ETSModelBuilder.Statistics(
      criterion: criterion, sse: sse, count: n, parameterCount: 2, scale: data.scale)
    let unitSigma = unitVariance.squareRoot()
    let state = ETSState(level: mean * data.scale)
    let fitted = [Double](repeating: mean * data.scale, count: n)
    return ETSModel(
      spec: spec, seasonLength: 1, parameters: ETSParameters(alpha: 0), initialState: state, finalState: state,
      sigma2: (unitSigma * data.scale) * (unitSigma * data.scale), logLikelihood: stats.logLikelihood,
      aic: stats.aic, aicc: stats.aicc, bic: stats.bic, parameterCount: 2, fitted: fitted,
      residuals: data.values.map { $0 - mean * data.scale }, estimation: .tooShort, scale: data.scale,
      unitState: ETSModel.UnitState(level: mean, slope: 0, season: []), unitSigma: unitSigma)
  }

  /// A constant series: ETS(A,N,N) with α at its upper bound and the level at the value, as
  /// statsforecast fits it; every forecast is the value, with no spread.
  static func constant(_ data: ETSData) -> ETSModel {
    let spec = ETSSpec(error: .additive, trend: .none, season: .none)
    let level = data.unit.first ?? 0
    let model = ETSModelBuilder.model(
      data, spec: spec, seasonLength: 1,
      smoothing: ETSModel.Smoothing(alpha: ETSBounds.upper, beta: 0, gamma: 0, phi: 1),
      start: ETSModel.UnitState(level: level, slope: 0, season: []), parameterCount: 2, estimation: .constant)
    return model ?? tooShort(data)
  }
}
