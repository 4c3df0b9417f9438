/// The initial states that fit best for given smoothing parameters, for the models without a
/// multiplicative season. Their recursions are affine in the state and the observation, so each
/// one-step forecast is ŷ_t = a_t + r_t·θ in the free initial states θ (level, slope, seasonal
/// phases 1…m-1, phase 0 following from the normalisation): one pass gives a_t and r_t, and least
/// squares gives θ. For additive error that is the exact maximum of the likelihood over the
/// states; for multiplicative error, whose criterion weighs errors relative to ŷ, two reweighted
/// passes (weights 1/ŷ²) come close, and the joint search finishes the job.
///
/// This leaves the simplex only the 1–4 smoothing parameters, where it is fast and reliable; over
/// all 15-odd unknowns at once it creeps along the valley that couples α with the states.
final class ETSProfile {
  let spec: ETSSpec
  let m: Int
  let n: Int
  /// Number of free initial states.
  let p: Int
  private let slopeIndex: Int
  private let seasonBase: Int
  // Workspace, allocated once per fit and reused by every evaluation; raw buffers, because
  // array properties of a class pay an exclusivity check on every access in the inner loops.
  private let rows: UnsafeMutablePointer<Double>
  private let constant: UnsafeMutablePointer<Double>
  private let level: UnsafeMutablePointer<Double>
  private let slope: UnsafeMutablePointer<Double>
  private let seasons: UnsafeMutablePointer<Double>
  private let seasonConstant: UnsafeMutablePointer<Double>
  private let normal: UnsafeMutablePointer<Double>
  private let rhs: UnsafeMutablePointer<Double>

  init(spec: ETSSpec, seasonLength: Int, count n: Int) {
    self.spec = spec
    self.m = spec.hasSeason ? seasonLength : 1
    self.n = n
    slopeIndex = 1
    seasonBase = spec.hasTrend ? 2 : 1
    p = seasonBase + (spec.hasSeason ? m - 1 : 0)
    func buffer(_ count: Int) -> UnsafeMutablePointer<Double> {
      let b = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(count, 1))
      b.initialize(repeating: 0, count: Swift.max(count, 1))
      return b
    }
    rows = buffer(n * p)
    constant = buffer(n)
    level = buffer(p)
    slope = buffer(p)
    seasons = buffer(m * p)
    seasonConstant = buffer(m)
    normal = buffer(p * p)
    rhs = buffer(p)
  }

  deinit {
    for pointer in [rows, constant, level, slope, seasons, seasonConstant, normal, rhs] { pointer.deallocate() }
  }

  /// The best free initial states θ for these smoothing parameters, or nil if the system is
  /// degenerate or a forecast needed positive (multiplicative error) is not.
  func states(_ smoothing: ETSModel.Smoothing, y: UnsafeBufferPointer<Double>) -> [Double]? {
    decompose(smoothing, y: y)
    guard var theta = leastSquares(y: y, weighted: false) else { return nil }
    if spec.error == .multiplicative {
      for _ in 0..<1 {
        guard let next = leastSquares(y: y, weighted: true, around: theta) else { break }
        theta = next
      }
    }
    return theta
  }

  /// One pass of the recursion split into its constant part (the real data from a zero state)
  /// and its sensitivities to θ (no data), giving a_t and r_t.
  private func decompose(_ s: ETSModel.Smoothing, y: UnsafeBufferPointer<Double>) {
    for i in 0..<p {
      level[i] = 0
      slope[i] = 0
    }
    for i in 0..<(m * p) { seasons[i] = 0 }
    for k in 0..<m { seasonConstant[k] = 0 }
    level[0] = 1
    if spec.hasTrend { slope[slopeIndex] = 1 }
    if spec.hasSeason {
      for k in 1..<m {
        seasons[k * p + seasonBase + k - 1] = 1
        seasons[seasonBase + k - 1] = -1
      }
    }
    // Without trend the ratio is 0 and the slopes stay 0; without season γ is 0, m is 1 and the
    // seasonal terms stay 0: one branch-free loop serves every form.
    let alpha = s.alpha
    let gamma = s.gamma
    let phi = s.phi
    let ratio = spec.hasTrend ? s.beta / s.alpha : 0
    var lc = 0.0
    var bc = 0.0
    var slot = 0
    for t in 0..<n {
      let sc = seasonConstant[slot]
      let qc = lc + phi * bc
      constant[t] = qc + sc
      let season = seasons + slot * p
      let row = rows + t * p
      for i in 0..<p {
        let li = level[i]
        let bi = slope[i]
        let q = li + phi * bi
        let si = season[i]
        row[i] = q + si
        let newLevel = (1 - alpha) * q - alpha * si
        slope[i] = phi * bi + ratio * (newLevel - li - phi * bi)
        season[i] = (1 - gamma) * si - gamma * q
        level[i] = newLevel
      }
      let newLevel = qc + alpha * (y[t] - sc - qc)
      bc = phi * bc + ratio * (newLevel - lc - phi * bc)
      seasonConstant[slot] = sc + gamma * (y[t] - qc - sc)
      lc = newLevel
      slot += 1
      if slot == m { slot = 0 }
    }
  }

  /// Solves Σ w_t (y_t - a_t - r_t·θ)² for θ, with w_t = 1/ŷ_t(θ₀)² when weighted.
  private func leastSquares(y: UnsafeBufferPointer<Double>, weighted: Bool, around previous: [Double] = [])
    -> [Double]?
  {
    for i in 0..<(p * p) { normal[i] = 0 }
    for i in 0..<p { rhs[i] = 0 }
    for t in 0..<n {
      let row = t * p
      var weight = 1.0
      if weighted {
        var fitted = constant[t]
        for i in 0..<p { fitted += rows[row + i] * previous[i] }
        guard fitted > ETSRecursion.tiny else { return nil }
        weight = 1 / (fitted * fitted)
      }
      let target = (y[t] - constant[t]) * weight
      let r = rows + row
      for i in 0..<p {
        let ri = r[i]
        rhs[i] += ri * target
        let wi = ri * weight
        let line = normal + i * p
        for j in 0...i { line[j] += wi * r[j] }
      }
    }
    return ETSProfile.choleskySolve(normal, rhs, size: p)
  }

  /// Solves the symmetric system (lower triangle filled) by Cholesky, with a ridge of 1e-10 of
  /// the largest diagonal entry: where α is near 1 the start is forgotten within a few steps,
  /// some states barely matter and the system is close to singular.
  static func choleskySolve(_ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>, size p: Int)
    -> [Double]?
  {
    var largest = 0.0
    for i in 0..<p { largest = Swift.max(largest, a[i * p + i]) }
    guard largest > 0, largest.isFinite else { return nil }
    let ridge = 1e-10 * largest
    for i in 0..<p { a[i * p + i] += ridge }
    for j in 0..<p {
      var diagonal = a[j * p + j]
      for k in 0..<j { diagonal -= a[j * p + k] * a[j * p + k] }
      guard diagonal > 0 else { return nil }
      let root = diagonal.squareRoot()
      a[j * p + j] = root
      for i in (j + 1)..<Swift.max(p, j + 1) {
        var sum = a[i * p + j]
        for k in 0..<j { sum -= a[i * p + k] * a[j * p + k] }
        a[i * p + j] = sum / root
      }
    }
    var x = Array(UnsafeBufferPointer(start: b, count: p))
    for i in 0..<p {
      var sum = x[i]
      for k in 0..<i { sum -= a[i * p + k] * x[k] }
      x[i] = sum / a[i * p + i]
    }
    for i in stride(from: p - 1, through: 0, by: -1) {
      var sum = x[i]
      for k in (i + 1)..<Swift.max(p, i + 1) { sum -= a[k * p + i] * x[k] }
      x[i] = sum / a[i * p + i]
    }
    return x.allSatisfy(\.isFinite) ? x : nil
  }
}
