/// The state recursions of the ETS models in error-correction form, as forecast::ets and
/// statsforecast write them: in terms of the observation, the updates are the same for additive
/// and multiplicative error; the error type changes only the likelihood and the variances.
///
/// Seasonal components live in a ring of m slots: observation t reads and then rewrites slot
/// t mod m, so a step costs the same whatever the season length and nothing is shifted.
struct ETSRecursion {
  let spec: ETSSpec
  /// 1 when the model has no season.
  let m: Int
  let smoothing: ETSModel.Smoothing

  /// Below this a divisor counts as zero and the state as broken.
  static let tiny = 1e-10

  /// What one pass over the data gives the likelihood.
  struct Outcome {
    var sse: Double
    /// Σ log ŷ, needed for multiplicative error.
    var logForecasts: Double
    var valid: Bool

    static let invalid = Outcome(sse: .infinity, logForecasts: 0, valid: false)
  }

  /// The one-step forecast from level, slope and the seasonal component that applies.
  @inline(__always)
  func forecast(level: Double, slope: Double, seasonal: Double) -> Double {
    let q = level + smoothing.phi * slope
    switch spec.season {
    case .none: return q
    case .additive: return q + seasonal
    case .multiplicative: return q * seasonal
    }
  }

  /// Moves the state past observation y; false when a division by zero would break it.
  @inline(__always)
  func update(level: inout Double, slope: inout Double, seasonal: inout Double, y: Double) -> Bool {
    let phiB = smoothing.phi * slope
    let q = level + phiB
    let p: Double
    switch spec.season {
    case .none: p = y
    case .additive: p = y - seasonal
    case .multiplicative:
      guard Swift.abs(seasonal) > ETSRecursion.tiny else { return false }
      p = y / seasonal
    }
    let newLevel = q + smoothing.alpha * (p - q)
    if spec.trend != .none {
      slope = phiB + smoothing.beta / smoothing.alpha * (newLevel - level - phiB)
    }
    switch spec.season {
    case .none: break
    case .additive: seasonal += smoothing.gamma * (y - q - seasonal)
    case .multiplicative:
      guard Swift.abs(q) > ETSRecursion.tiny else { return false }
      seasonal += smoothing.gamma * (y / q - seasonal)
    }
    level = newLevel
    return true
  }

  /// Runs the model over `y` from the given state, leaving the final state in place and, when
  /// asked, the one-step forecasts in `fitted`. Allocates nothing.
  func run(
    _ y: UnsafeBufferPointer<Double>, level: inout Double, slope: inout Double,
    ring: UnsafeMutableBufferPointer<Double>, fitted: UnsafeMutableBufferPointer<Double>? = nil
  ) -> Outcome {
    var sse = 0.0
    // Σ log|ŷ| kept as a product split into significand and binary exponent: one logarithm at the
    // end instead of one per observation, and no overflow.
    var product = 1.0
    var exponent = 0
    var slot = 0
    let multiplicativeError = spec.error == .multiplicative
    let seasonal = spec.season != .none
    for t in 0..<y.count {
      let observation = y[t]
      var s = seasonal ? ring[slot] : 0
      let f = forecast(level: level, slope: slope, seasonal: s)
      fitted?[t] = f
      if multiplicativeError {
        guard f > ETSRecursion.tiny else { return .invalid }
        let e = (observation - f) / f
        sse += e * e
        product *= f
        if !(product < 0x1p512 && product > 0x1p-512) {
          exponent += Int(product.exponent)
          product = product.significand
        }
      } else {
        let e = observation - f
        sse += e * e
      }
      guard update(level: &level, slope: &slope, seasonal: &s, y: observation) else { return .invalid }
      if seasonal {
        ring[slot] = s
        slot += 1
        if slot == m { slot = 0 }
      }
    }
    guard sse.isFinite, level.isFinite, slope.isFinite else { return .invalid }
    let logForecasts = multiplicativeError ? DemoMath.log(product) + Double(exponent) * DemoMath.ln2 : 0
    return Outcome(sse: sse, logForecasts: logForecasts, valid: true)
  }

  /// The fitting criterion -2 log L (up to a constant): n log SSE, plus 2 Σ log ŷ for
  /// multiplicative error. A perfect fit is held at a floor so that it stays finite.
  static func criterion(_ outcome: Outcome, count n: Int, error: ETSSpec.ErrorKind) -> Double {
    guard outcome.valid else { return .infinity }
    let sse = Swift.max(outcome.sse, 1e-200)
    var value = Double(n) * DemoMath.log(sse)
    if error == .multiplicative { value += 2 * outcome.logForecasts }
    return value.isNaN ? .infinity : value
  }
}
