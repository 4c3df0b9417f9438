/// Where the unknowns sit in the search vector: α, then β and γ as fractions of their allowed
/// ranges (β in (0.0001, α), γ in (0.0001, 1-α): the usual bounds become a box, which the
/// simplex can respect by clamping), then φ, the level, the slope, and seasonal phases 1…m-1
/// (phase 0 follows from the normalisation, as in forecast::ets).
struct ETSLayout {
  let spec: ETSSpec
  let m: Int

  init(spec: ETSSpec, seasonLength: Int) {
    self.spec = spec
    self.m = spec.hasSeason ? seasonLength : 1
  }

  private var betaIndex: Int { 1 }
  private var gammaIndex: Int { spec.hasTrend ? 2 : 1 }
  private var phiIndex: Int { 1 + (spec.hasTrend ? 1 : 0) + (spec.hasSeason ? 1 : 0) }
  private var levelIndex: Int { phiIndex + (spec.trend == .damped ? 1 : 0) }
  private var seasonIndex: Int { levelIndex + (spec.hasTrend ? 2 : 1) }
  var count: Int { seasonIndex + (spec.hasSeason ? m - 1 : 0) }
  /// The smoothing parameters come first, the free initial states after them.
  var smoothingCount: Int { levelIndex }

  func smoothing(_ x: [Double]) -> ETSModel.Smoothing {
    let alpha = x[0]
    let low = ETSBounds.lower
    return ETSModel.Smoothing(
      alpha: alpha,
      beta: spec.hasTrend ? low + x[betaIndex] * (alpha - low) : 0,
      gamma: spec.hasSeason ? low + x[gammaIndex] * (1 - alpha - low) : 0,
      phi: spec.trend == .damped ? x[phiIndex] : 1)
  }

  /// Writes the initial state of `x` into level, slope and the phase-ordered ring; false when a
  /// multiplicative season has a component that isn't positive.
  func state(_ x: [Double], level: inout Double, slope: inout Double, ring: UnsafeMutableBufferPointer<Double>) -> Bool
  {
    level = x[levelIndex]
    slope = spec.hasTrend ? x[levelIndex + 1] : 0
    guard spec.hasSeason else { return true }
    var others = 0.0
    for k in 1..<m {
      ring[k] = x[seasonIndex + k - 1]
      others += ring[k]
    }
    if spec.season == .multiplicative {
      ring[0] = Double(m) - others
      for k in 0..<m where !(ring[k] > 0) { return false }
    } else {
      ring[0] = -others
    }
    return true
  }

  struct Search {
    var start: [Double]
    var steps: [Double]
    var lower: [Double]
    var upper: [Double]
  }

  /// The search's start, first steps and box, from the heuristic starting values.
  func search(smoothing: ETSModel.Smoothing, state: ETSModel.UnitState) -> Search {
    var s = Search(
      start: [Double](repeating: 0, count: count), steps: [Double](repeating: 0, count: count),
      lower: [Double](repeating: -.infinity, count: count), upper: [Double](repeating: .infinity, count: count))
    let low = ETSBounds.lower
    func box(_ i: Int, _ value: Double, _ step: Double, _ lower: Double, _ upper: Double) {
      s.start[i] = value
      s.steps[i] = step
      s.lower[i] = lower
      s.upper[i] = upper
    }
    box(0, smoothing.alpha, 0.1, low, ETSBounds.upper)
    if spec.hasTrend {
      box(betaIndex, (smoothing.beta - low) / Swift.max(smoothing.alpha - low, 1e-12), 0.1, 0, 1)
    }
    if spec.hasSeason {
      box(gammaIndex, (smoothing.gamma - low) / Swift.max(1 - smoothing.alpha - low, 1e-12), 0.1, 0, 1)
    }
    if spec.trend == .damped { box(phiIndex, smoothing.phi, 0.05, ETSBounds.phiLower, ETSBounds.phiUpper) }
    box(levelIndex, state.level, Swift.max(0.1 * Swift.abs(state.level), 0.01), -.infinity, .infinity)
    if spec.hasTrend {
      box(levelIndex + 1, state.slope, Swift.max(0.1 * Swift.abs(state.slope), 0.01), -.infinity, .infinity)
    }
    if spec.hasSeason {
      for k in 1..<m {
        let value = state.season[k]
        box(seasonIndex + k - 1, value, Swift.max(0.1 * Swift.abs(value), 0.01), -.infinity, .infinity)
      }
    }
    return s
  }
}
