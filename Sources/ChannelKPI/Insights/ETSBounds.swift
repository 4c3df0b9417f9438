/// forecast::ets's "usual" bounds on the smoothing parameters, and its admissibility test.
enum ETSBounds {
  static let lower = 0.0001
  static let upper = 0.9999
  static let phiLower = 0.8
  static let phiUpper = 0.98

  /// Whether the parameters of a seasonal model give a forecastable model (Hyndman et al. 2008,
  /// ch. 10; forecast::ets's `admissible`): the easy inequalities, then whether every root of
  /// the characteristic polynomial lies in the unit disc. Inside the usual bounds the
  /// non-seasonal models always pass, so only seasonal ones are tested.
  static func admissible(_ p: ETSModel.Smoothing, seasonLength m: Int) -> Bool {
    let (alpha, beta, gamma, phi) = (p.alpha, p.beta, p.gamma, p.phi)
    guard m > 1, phi > 0, phi <= 1 + 1e-8 else { return m <= 1 }
    if gamma < Swift.max(1 - 1 / phi - alpha, 0) || gamma > 1 + 1 / phi - alpha { return false }
    let mm = Double(m)
    if alpha < 1 - 1 / phi - gamma * (1 - mm + phi + phi * mm) / (2 * phi * mm) { return false }
    if beta < -(1 - phi) * (gamma / mm + alpha) { return false }
    // P(z) = φ(1-α-γ) + (α+β-αφ+γ-1) z + Σ_{i=2}^{m-1} (α+β-αφ) zⁱ + (α+β-φ) z^m + z^{m+1},
    // tested on P((1 + δ) z) so that roots up to 1 + δ pass: without trend P(1) = mβ = 0, a root
    // on the circle that forecast::ets admits (it allows moduli up to 1 + 1e-10). As a monic AR
    // polynomial 1 + a₁z⁻¹ + … + a_d z⁻ᵈ, a_i = c_{d-i} / (1 + δ)ⁱ.
    let d = m + 1
    return withUnsafeTemporaryAllocation(of: Double.self, capacity: d + 1) { a in
      let middle = alpha + beta - alpha * phi
      let shrink = 1 / (1 + 1e-6)
      var power = 1.0
      for i in 0...d {
        let c: Double
        switch i {
        case 0: c = 1
        case 1: c = alpha + beta - phi
        case d - 1: c = middle + gamma - 1
        case d: c = phi * (1 - alpha - gamma)
        default: c = middle
        }
        a[i] = c * power
        power *= shrink
      }
      return stepDownStable(a, degree: d)
    }
  }

  /// The Schur–Cohn step-down test on 1 + a₁z⁻¹ + … + a_d z⁻ᵈ (a overwritten): every root lies
  /// strictly inside the unit disc exactly when every reflection coefficient has modulus below
  /// 1. It costs O(d²) where finding the roots would cost far more in the likelihood search.
  static func stepDownStable(_ a: UnsafeMutableBufferPointer<Double>, degree d: Int) -> Bool {
    var order = d
    while order >= 1 {
      let k = a[order]
      if !(Swift.abs(k) < 1) { return false }
      let inverse = 1 / (1 - k * k)
      var i = 1
      var j = order - 1
      while i < j {
        let (ai, aj) = (a[i], a[j])
        a[i] = (ai - k * aj) * inverse
        a[j] = (aj - k * ai) * inverse
        i += 1
        j -= 1
      }
      if i == j { a[i] *= (1 - k) * inverse }
      order -= 1
    }
    return true
  }
}
