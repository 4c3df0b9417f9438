/// The smoothing parameters of an ETS model; those its form doesn't have are nil.
public struct ETSParameters: Hashable, Sendable {
  /// Level smoothing, 0 < alpha < 1.
  public var alpha: Double
  /// Trend smoothing, 0 < beta < alpha (the book's β = α β*), when the model has a trend.
  public var beta: Double?
  /// Seasonal smoothing, 0 < gamma < 1 - alpha, when the model has a season.
  public var gamma: Double?
  /// Damping, 0.8 ≤ phi ≤ 0.98, when the trend is damped.
  public var phi: Double?

  public init(alpha: Double, beta: Double? = nil, gamma: Double? = nil, phi: Double? = nil) {
    self.alpha = alpha
    self.beta = beta
    self.gamma = gamma
    self.phi = phi
  }
}

/// The state of an ETS model at one time: level, trend and the seasonal components.
public struct ETSState: Hashable, Sendable {
  public var level: Double
  /// The growth per period, when the model has a trend.
  public var trend: Double?
  /// The seasonal components, ordered by when they next apply: `season[0]` belongs to the next
  /// observation, `season[1]` to the one after, and so on; empty without a season.
  public var season: [Double]

  public init(level: Double, trend: Double? = nil, season: [Double] = []) {
    self.level = level
    self.trend = trend
    self.season = season
  }
}

/// One forecast period: the point forecast and the 80% and 95% prediction intervals.
public struct ForecastPoint: Hashable, Sendable {
  public var mean: Double
  public var lo80: Double
  public var hi80: Double
  public var lo95: Double
  public var hi95: Double

  public init(mean: Double, lo80: Double, hi80: Double, lo95: Double, hi95: Double) {
    self.mean = mean
    self.lo80 = lo80
    self.hi80 = hi80
    self.lo95 = lo95
    self.hi95 = hi95
  }
}

/// A fitted exponential smoothing model: its form, parameters, states, fit statistics, and the
/// means to forecast, simulate and give probabilities of future values.
public struct ETSModel: Sendable {
  /// How the model came to be.
  public enum Estimation: Hashable, Sendable {
    /// Parameters and initial states by maximum likelihood.
    case maximumLikelihood
    /// Parameters and initial states given by the caller (`ETS.evaluate`).
    case given
    /// A constant series: a flat forecast with no spread, as forecast::ets gives.
    case constant
    /// Too few points for a likelihood fit (fewer than 5): the mean of the points, with the
    /// sample variance widened by 1 + 1/n for the estimated mean; a single point forecasts
    /// itself with a spread as large as its size, since one value tells nothing of the noise.
    case tooShort
  }

  public let spec: ETSSpec
  /// The season length used: the caller's when the model is seasonal, else 1.
  public let seasonLength: Int
  public let parameters: ETSParameters
  /// The state before the first observation.
  public let initialState: ETSState
  /// The state after the last observation, from which forecasts start.
  public let finalState: ETSState
  /// The innovation variance: in the data's units squared for additive error, relative for
  /// multiplicative error; SSE / (n - k - 1) as statsforecast's AutoETS computes it.
  public let sigma2: Double
  /// -0.5 × the fitting criterion (n log SSE, plus 2 Σ log|ŷ| for multiplicative error), the
  /// Gaussian log-likelihood up to a constant, as forecast::ets reports it.
  public let logLikelihood: Double
  public let aic: Double
  /// AIC corrected for small samples; equals `aic` when n ≤ k + 1 leaves no correction.
  public let aicc: Double
  public let bic: Double
  /// k: smoothing parameters and free initial states, plus one for the variance.
  public let parameterCount: Int
  /// The one-step forecasts of the observations.
  public let fitted: [Double]
  /// Observation minus fitted value (for multiplicative error the innovation is this / fitted).
  public let residuals: [Double]
  public let estimation: Estimation

  /// Everything below is on the series divided by `scale`, so that the recursions and the
  /// variance formulas work with numbers near 1 whatever the size of the data.
  let scale: Double
  let unitState: UnitState
  /// The innovation standard deviation on the unit scale (relative for multiplicative error).
  let unitSigma: Double

  /// Parameters as the recursions use them: beta 0 without trend, gamma 0 without season, phi 1
  /// unless damped.
  struct Smoothing: Sendable {
    var alpha: Double
    var beta: Double
    var gamma: Double
    var phi: Double
  }

  /// A state on the unit scale, with seasonal components ordered as in `ETSState`.
  struct UnitState: Sendable {
    var level: Double
    var slope: Double
    var season: [Double]
  }

  var smoothing: Smoothing {
    Smoothing(
      alpha: parameters.alpha, beta: parameters.beta ?? 0, gamma: parameters.gamma ?? 0,
      phi: spec.trend == .damped ? (parameters.phi ?? 1) : 1)
  }

  /// The number of observations the model was fitted to.
  public var observationCount: Int { fitted.count }

  init(
    spec: ETSSpec, seasonLength: Int, parameters: ETSParameters, initialState: ETSState, finalState: ETSState,
    sigma2: Double, logLikelihood: Double, aic: Double, aicc: Double, bic: Double, parameterCount: Int,
    fitted: [Double], residuals: [Double], estimation: Estimation, scale: Double, unitState: UnitState,
    unitSigma: Double
  ) {
    self.spec = spec
    self.seasonLength = seasonLength
    self.parameters = parameters
    self.initialState = initialState
    self.finalState = finalState
    self.sigma2 = sigma2
    self.logLikelihood = logLikelihood
    self.aic = aic
    self.aicc = aicc
    self.bic = bic
    self.parameterCount = parameterCount
    self.fitted = fitted
    self.residuals = residuals
    self.estimation = estimation
    self.scale = scale
    self.unitState = unitState
    self.unitSigma = unitSigma
  }
}
