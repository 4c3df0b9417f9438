/// Exponential smoothing: fits ETS models by maximum likelihood and picks one per series by
/// AICc, as forecast::ets (Hyndman et al. 2008) and statsforecast's AutoETS do.
public enum ETS {
  /// Fits every admissible model and returns the one with the smallest AICc. Multiplicative
  /// error and season need strictly positive data; a season needs 1 < `seasonLength` ≤ 24 and
  /// two full seasons; additive error with multiplicative season is left out as in forecast::ets.
  /// Never fails: a constant series gets a flat forecast, fewer than 5 points the mean.
  public static func fit(_ y: [Double], seasonLength: Int) -> ETSModel {
    let data = ETSData(y)
    if data.count < 5 { return ETSFallback.tooShort(data) }
    if data.constant { return ETSFallback.constant(data) }
    var best: ETSModel?
    var fits: [ETSSpec: ETSModel] = [:]
    for spec in ETSSpec.candidates where admits(spec, data: data, seasonLength: seasonLength) {
      // A multiplicative season starts from the same model with additive season, fitted just before.
      let analogue = ETSSpec(error: spec.error, trend: spec.trend, season: .additive)
      let warm = spec.season == .multiplicative ? fits[analogue] : nil
      guard let model = ETSEstimation.estimate(data, spec: spec, seasonLength: seasonLength, warmStart: warm) else {
        continue
      }
      fits[spec] = model
      if let incumbent = best, !(model.aicc < incumbent.aicc) { continue }
      best = model
    }
    return best ?? ETSFallback.tooShort(data)
  }

  /// `fit(_:seasonLength:)` for many series, spread over the cores: the same models, in the
  /// order of the input.
  public static func fitAll(_ series: [[Double]], seasonLength: Int) async -> [ETSModel] {
    // Chunks of a few series each keep the scheduling overhead small and the cores evenly busy.
    let chunk = Swift.max(1, series.count / 256)
    return await withTaskGroup(of: (Int, [ETSModel]).self) { group in
      for start in stride(from: 0, to: series.count, by: chunk) {
        let part = Array(series[start..<Swift.min(start + chunk, series.count)])
        group.addTask { (start, part.map { fit($0, seasonLength: seasonLength) }) }
      }
      var parts: [(Int, [ETSModel])] = []
      for await part in group { parts.append(part) }
      return parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
    }
  }

  /// Fits one model form; nil when the data cannot support it (see `fit(_:seasonLength:)`) or
  /// has too few points for its parameters (n must exceed k + 1).
  public static func fit(_ y: [Double], seasonLength: Int, spec: ETSSpec) -> ETSModel? {
    let data = ETSData(y)
    guard admits(spec, data: data, seasonLength: seasonLength) else { return nil }
    var warm: ETSModel?
    if spec.season == .multiplicative {
      let analogue = ETSSpec(error: spec.error, trend: spec.trend, season: .additive)
      warm = ETSEstimation.estimate(data, spec: analogue, seasonLength: seasonLength)
    }
    return ETSEstimation.estimate(data, spec: spec, seasonLength: seasonLength, warmStart: warm)
  }

  /// The model with the given parameters and initial state run over `y`, nothing estimated
  /// (k still counts what a fit would estimate, so the statistics compare with a fit's); nil for
  /// a restricted form, or when the parameters or state don't match the form or the recursion
  /// breaks down.
  public static func evaluate(
    _ y: [Double], seasonLength: Int, spec: ETSSpec, parameters: ETSParameters, initialState: ETSState
  ) -> ETSModel? {
    let data = ETSData(y)
    let m = spec.hasSeason ? seasonLength : 1
    guard !spec.isRestricted, data.count > 0, m >= 1, !spec.hasSeason || (m > 1 && initialState.season.count == m)
    else { return nil }
    guard !spec.hasTrend || (parameters.beta != nil && initialState.trend != nil) else { return nil }
    guard !spec.hasSeason || parameters.gamma != nil, spec.trend != .damped || parameters.phi != nil else {
      return nil
    }
    if spec.error == .multiplicative || spec.season == .multiplicative {
      guard data.positive else { return nil }
    }
    let smoothing = ETSModel.Smoothing(
      alpha: parameters.alpha, beta: spec.hasTrend ? parameters.beta ?? 0 : 0,
      gamma: spec.hasSeason ? parameters.gamma ?? 0 : 0, phi: spec.trend == .damped ? parameters.phi ?? 1 : 1)
    guard smoothing.alpha > 0 else { return nil }
    let seasonScale = spec.season == .additive ? data.scale : 1
    let start = ETSModel.UnitState(
      level: initialState.level / data.scale, slope: spec.hasTrend ? (initialState.trend ?? 0) / data.scale : 0,
      season: spec.hasSeason ? initialState.season.map { $0 / seasonScale } : [])
    return ETSModelBuilder.model(
      data, spec: spec, seasonLength: m, smoothing: smoothing, start: start,
      parameterCount: spec.freeParameterCount(seasonLength: m) + 1, estimation: .given)
  }

  /// Whether automatic selection may try `spec` on these data.
  static func admits(_ spec: ETSSpec, data: ETSData, seasonLength m: Int) -> Bool {
    if spec.isRestricted { return false }
    if (spec.error == .multiplicative || spec.season == .multiplicative) && !data.positive { return false }
    // forecast::ets also refuses seasons longer than 24: the state (and the work) grows with m.
    if spec.hasSeason && (m <= 1 || m > 24 || data.count < 2 * m) { return false }
    let k = spec.freeParameterCount(seasonLength: spec.hasSeason ? m : 1) + 1
    return data.count - k - 1 > 0
  }
}
