/// Forecast variances for multiplicative error with multiplicative season (Hyndman et al. 2008,
/// §6.4, class 3), following forecast::ets's `class3`: the state splits into x₁ = (level, slope)
/// and x₂ = the seasonal components, y = (w₁'x₁)(w₂'x₂)(1 + ε), x₁ ← (F₁ + G₁ε)x₁,
/// x₂ ← (F₂ + G₂ε)x₂, and the mean and covariance of vec(x₁x₂') are carried forward.
///
/// For a damped trend w₁ = (1, φ), F₁ = [1 φ; 0 φ], G₁ = [α αφ; β βφ]; forecast::ets uses the
/// undamped matrices there, which misstate the damped case.
enum ETSClass3 {
  /// A sparse matrix as (row, column, value) entries.
  struct Sparse {
    var entries: [(row: Int, column: Int, value: Double)] = []

    /// The Kronecker product a ⊗ b, a with `bSize`×`bSize` blocks.
    static func kronecker(_ a: Sparse, _ b: Sparse, bSize: Int) -> Sparse {
      var result = Sparse()
      for x in a.entries {
        for y in b.entries where x.value * y.value != 0 {
          result.entries.append((x.row * bSize + y.row, x.column * bSize + y.column, x.value * y.value))
        }
      }
      return result
    }

    static func + (lhs: Sparse, rhs: Sparse) -> Sparse { Sparse(entries: lhs.entries + rhs.entries) }

    /// self · v for a vector.
    func times(_ v: [Double]) -> [Double] {
      var result = [Double](repeating: 0, count: v.count)
      for e in entries { result[e.row] += e.value * v[e.column] }
      return result
    }

    /// self · V · other' for a dense d×d matrix V (row-major).
    func sandwich(_ v: [Double], _ other: Sparse, size d: Int) -> [Double] {
      var left = [Double](repeating: 0, count: d * d)
      for e in entries {
        for c in 0..<d { left[e.row * d + c] += e.value * v[e.column * d + c] }
      }
      var result = [Double](repeating: 0, count: d * d)
      for e in other.entries {
        for r in 0..<d { result[r * d + e.row] += e.value * left[r * d + e.column] }
      }
      return result
    }
  }

  /// The forecast variances on the unit scale for steps 1…horizon.
  static func variances(_ model: ETSModel, horizon: Int) -> [Double] {
    let p = model.smoothing
    let m = Swift.max(model.seasonLength, 1)
    let sigma2 = model.unitSigma * model.unitSigma
    let trend = model.spec.hasTrend
    let p1 = trend ? 2 : 1
    let d = p1 * m

    var f1 = Sparse()
    var g1 = Sparse()
    var w1 = [1.0]
    var x1 = [model.unitState.level]
    if trend {
      f1.entries = [(0, 0, 1), (0, 1, p.phi), (1, 1, p.phi)]
      g1.entries = [(0, 0, p.alpha), (0, 1, p.alpha * p.phi), (1, 0, p.beta), (1, 1, p.beta * p.phi)]
      w1 = [1, p.phi]
      x1.append(model.unitState.slope)
    } else {
      f1.entries = [(0, 0, 1)]
      g1.entries = [(0, 0, p.alpha)]
    }
    // Seasonal components ordered by when they apply: one step moves each forward one place, and
    // the one just used returns at the back, updated by γ.
    var f2 = Sparse()
    for i in 0..<(m - 1) { f2.entries.append((i, i + 1, 1)) }
    f2.entries.append((m - 1, 0, 1))
    let g2 = Sparse(entries: [(m - 1, 0, p.gamma)])

    let f21 = Sparse.kronecker(f2, f1, bSize: p1)
    let g21 = Sparse.kronecker(g2, g1, bSize: p1)
    let k = Sparse.kronecker(g2, f1, bSize: p1) + Sparse.kronecker(f2, g1, bSize: p1)

    var mean = [Double](repeating: 0, count: d)
    for j in 0..<m {
      for i in 0..<p1 { mean[i + p1 * j] = x1[i] * model.unitState.season[j] }
    }
    var covariance = [Double](repeating: 0, count: d * d)
    var variances = [Double](repeating: 0, count: horizon)
    for step in 0..<horizon {
      // y = (w₁ ⊗ e₀)' vec(x₁x₂') (1 + ε): only the first seasonal column is read.
      var mu = 0.0
      var quadratic = 0.0
      for i in 0..<p1 {
        mu += w1[i] * mean[i]
        for j in 0..<p1 { quadratic += w1[i] * covariance[i * d + j] * w1[j] }
      }
      variances[step] = (1 + sigma2) * quadratic + sigma2 * mu * mu
      if step == horizon - 1 { break }

      var second = covariance
      var third = covariance
      for r in 0..<d {
        for c in 0..<d {
          let outer = mean[r] * mean[c]
          second[r * d + c] += outer
          third[r * d + c] = 3 * covariance[r * d + c] + 2 * outer
        }
      }
      let fvf = f21.sandwich(covariance, f21, size: d)
      let fvg = f21.sandwich(covariance, g21, size: d)
      let ksk = k.sandwich(second, k, size: d)
      let gtg = g21.sandwich(third, g21, size: d)
      var next = [Double](repeating: 0, count: d * d)
      for r in 0..<d {
        for c in 0..<d {
          let cross = fvg[r * d + c] + fvg[c * d + r]
          next[r * d + c] = fvf[r * d + c] + sigma2 * (cross + ksk[r * d + c] + sigma2 * gtg[r * d + c])
        }
      }
      covariance = next
      let fm = f21.times(mean)
      let gm = g21.times(mean)
      for i in 0..<d { mean[i] = fm[i] + sigma2 * gm[i] }
    }
    return variances
  }
}
