/// Starting values for the likelihood search, forecast::ets's heuristics (`initstate`,
/// `initparam`), as statsforecast ports them.
enum ETSInitialization {
  /// The search's starting smoothing parameters for season length m (1 without season).
  static func smoothing(spec: ETSSpec, seasonLength m: Int) -> ETSModel.Smoothing {
    let alpha = ETSBounds.lower + 0.2 * (ETSBounds.upper - ETSBounds.lower) / Double(m)
    return ETSModel.Smoothing(
      alpha: alpha,
      beta: spec.hasTrend ? ETSBounds.lower + 0.1 * (alpha - ETSBounds.lower) : 0,
      gamma: spec.hasSeason ? ETSBounds.lower + 0.05 * (1 - alpha - ETSBounds.lower) : 0,
      phi: spec.trend == .damped ? ETSBounds.phiLower + 0.99 * (ETSBounds.phiUpper - ETSBounds.phiLower) : 1)
  }

  /// The starting states: level, slope, and the seasonal components indexed by phase (slot k
  /// applies to observations t ≡ k mod m), normalised to sum 0 (additive) or m (multiplicative).
  /// Nil when the data cannot give them (too short, or a non-positive trend for a
  /// multiplicative season).
  static func state(_ y: [Double], spec: ETSSpec, seasonLength m: Int) -> ETSModel.UnitState? {
    let n = y.count
    var adjusted = y
    var season: [Double] = []
    if spec.hasSeason {
      guard n >= 4, m > 1, n >= m else { return nil }
      let multiplicative = spec.season == .multiplicative
      guard
        let seasonal = n < 3 * m
          ? fourierSeasonal(y, m: m, multiplicative: multiplicative)
          : decompositionSeasonal(y, m: m, multiplicative: multiplicative)
      else { return nil }
      season = [Double](repeating: 0, count: m)
      for k in 1..<m { season[k] = seasonal[k] }
      if multiplicative {
        // forecast::ets keeps the indices positive and, if they run too high, shrinks them.
        for k in 1..<m { season[k] = Swift.max(season[k], 1e-2) }
        var total = 0.0
        for k in 1..<m { total += season[k] }
        if total > Double(m) {
          let divisor = total + 1e-2 * Double(m - 1)
          for k in 1..<m { season[k] /= divisor }
        }
        for t in 0..<n { adjusted[t] = y[t] / Swift.max(seasonal[t], 1e-2) }
      } else {
        for t in 0..<n { adjusted[t] = y[t] - seasonal[t] }
      }
      var others = 0.0
      for k in 1..<m { others += season[k] }
      season[0] = (multiplicative ? Double(m) : 0) - others
    }
    let count = Swift.min(Swift.max(10, 2 * (spec.hasSeason ? m : 1)), n)
    guard count > 0 else { return nil }
    if !spec.hasTrend {
      var sum = 0.0
      for t in 0..<count { sum += adjusted[t] }
      return ETSModel.UnitState(level: sum / Double(count), slope: 0, season: season)
    }
    guard count >= 2 else { return ETSModel.UnitState(level: adjusted[0], slope: 0, season: season) }
    var (level, slope) = line(Array(adjusted[0..<count]))
    // A multiplicative error model needs l0 + b0 ≠ 0.
    if Swift.abs(level + slope) < 1e-8 {
      level *= 1 + 1e-3
      slope *= 1 - 1e-3
    }
    return ETSModel.UnitState(level: level, slope: slope, season: season)
  }

  /// Least squares line through (1, y₀), (2, y₁), …: the intercept at time 0 and the slope.
  static func line(_ y: [Double]) -> (intercept: Double, slope: Double) {
    let n = Double(y.count)
    let meanT = (n + 1) / 2
    var meanY = 0.0
    for v in y { meanY += v }
    meanY /= n
    var sxy = 0.0
    var sxx = 0.0
    for (i, v) in y.enumerated() {
      let dt = Double(i + 1) - meanT
      sxy += dt * (v - meanY)
      sxx += dt * dt
    }
    let slope = sxx > 0 ? sxy / sxx : 0
    return (meanY - slope * meanT, slope)
  }

  /// Classical decomposition (R's `decompose`, statsmodels' `seasonal_decompose`): a centred
  /// moving average of one season for the trend, then the mean detrended value of each phase,
  /// centred; the seasonal component at every observation.
  static func decompositionSeasonal(_ y: [Double], m: Int, multiplicative: Bool) -> [Double]? {
    let n = y.count
    let half = m / 2
    var sums = [Double](repeating: 0, count: m)
    var counts = [Int](repeating: 0, count: m)
    guard n > 2 * half else { return nil }
    for t in half..<(n - half) {
      var trend = 0.0
      if m % 2 == 0 {
        trend = 0.5 * (y[t - half] + y[t + half])
        for k in (t - half + 1)..<(t + half) { trend += y[k] }
      } else {
        for k in (t - half)...(t + half) { trend += y[k] }
      }
      trend /= Double(m)
      if multiplicative {
        guard trend > 0 else { return nil }
        sums[t % m] += y[t] / trend
      } else {
        sums[t % m] += y[t] - trend
      }
      counts[t % m] += 1
    }
    var pattern = [Double](repeating: multiplicative ? 1 : 0, count: m)
    for k in 0..<m where counts[k] > 0 { pattern[k] = sums[k] / Double(counts[k]) }
    guard let figure = centred(pattern, multiplicative: multiplicative) else { return nil }
    return (0..<n).map { figure[$0 % m] }
  }

  /// For fewer than three seasons: a regression on a line and the first Fourier pair; the
  /// seasonal component is what the line leaves of each observation.
  static func fourierSeasonal(_ y: [Double], m: Int, multiplicative: Bool) -> [Double]? {
    let n = y.count
    let withSine = m > 2
    let p = withSine ? 4 : 3
    var xtx = [Double](repeating: 0, count: p * p)
    var xty = [Double](repeating: 0, count: p)
    var row = [Double](repeating: 0, count: p)
    for t in 0..<n {
      let (cosine, sine) = cosSin(2 * Double.pi * Double((t + 1) % m) / Double(m))
      row[0] = 1
      row[1] = Double(t + 1)
      row[2] = cosine
      if withSine { row[3] = sine }
      for i in 0..<p {
        xty[i] += row[i] * y[t]
        for j in 0..<p { xtx[i * p + j] += row[i] * row[j] }
      }
    }
    guard let coefficients = solve(xtx, xty, size: p) else { return nil }
    var seasonal = [Double](repeating: 0, count: n)
    for t in 0..<n {
      let trend = coefficients[0] + coefficients[1] * Double(t + 1)
      if multiplicative {
        guard trend > 0 else { return nil }
        seasonal[t] = y[t] / trend
      } else {
        seasonal[t] = y[t] - trend
      }
    }
    return seasonal
  }

  private static func centred(_ pattern: [Double], multiplicative: Bool) -> [Double]? {
    var mean = 0.0
    for v in pattern { mean += v }
    mean /= Double(pattern.count)
    if multiplicative {
      guard mean > 0 else { return nil }
      return pattern.map { $0 / mean }
    }
    return pattern.map { $0 - mean }
  }

  /// Solves the small symmetric system a x = b by Gaussian elimination with partial pivoting.
  static func solve(_ matrix: [Double], _ rhs: [Double], size p: Int) -> [Double]? {
    var a = matrix
    var b = rhs
    for column in 0..<p {
      var pivot = column
      for r in (column + 1)..<Swift.max(p, column + 1)
      where Swift.abs(a[r * p + column]) > Swift.abs(a[pivot * p + column]) {
        pivot = r
      }
      guard Swift.abs(a[pivot * p + column]) > 1e-12 else { return nil }
      if pivot != column {
        for k in 0..<p { a.swapAt(column * p + k, pivot * p + k) }
        b.swapAt(column, pivot)
      }
      for r in (column + 1)..<Swift.max(p, column + 1) {
        let factor = a[r * p + column] / a[column * p + column]
        for k in column..<p { a[r * p + k] -= factor * a[column * p + k] }
        b[r] -= factor * b[column]
      }
    }
    var x = [Double](repeating: 0, count: p)
    for r in stride(from: p - 1, through: 0, by: -1) {
      var sum = b[r]
      for k in (r + 1)..<Swift.max(p, r + 1) { sum -= a[r * p + k] * x[k] }
      x[r] = sum / a[r * p + r]
    }
    return x
  }

  /// cos and sin of an angle in [0, 2π) by their Taylor series after folding into [-π, π]
  /// (the domain target has no libm; a starting value needs no more than this).
  static func cosSin(_ angle: Double) -> (Double, Double) {
    let x = angle > Double.pi ? angle - 2 * Double.pi : angle
    var cosine = 1.0
    var sine = x
    var cosTerm = 1.0
    var sinTerm = x
    let x2 = x * x
    for k in 1...20 {
      let kk = Double(2 * k)
      cosTerm *= -x2 / ((kk - 1) * kk)
      sinTerm *= -x2 / (kk * (kk + 1))
      cosine += cosTerm
      sine += sinTerm
    }
    return (cosine, sine)
  }
}
