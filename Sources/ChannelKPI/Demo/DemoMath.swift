/// Elementary functions from IEEE arithmetic alone, so that generated values don't depend on the
/// platform's libm (and the domain target needs no Foundation).
enum DemoMath {
  static let ln2 = 0.693_147_180_559_945_309_417_232_121_458

  /// e^x, to within a few ulps.
  static func exp(_ x: Double) -> Double {
    if x.isNaN { return x }
    if x > 709 { return .infinity }
    if x < -745 { return 0 }
    let k = (x / ln2).rounded()
    let r = x - k * ln2
    var term = 1.0
    var sum = 1.0
    for i in 1...14 {
      term *= r / Double(i)
      sum += term
    }
    return sum * Double(sign: .plus, exponent: Int(k), significand: 1)
  }

  /// The natural logarithm; -∞ for 0 and NaN below.
  static func log(_ x: Double) -> Double {
    if x.isNaN || x < 0 { return .nan }
    if x == 0 { return -.infinity }
    if x.isInfinite { return x }
    var e = Int(x.exponent)
    var m = x.significand
    if m > 1.414_213_562_373_095 {
      m *= 0.5
      e += 1
    }
    // log m = 2 atanh(s) with |s| ≤ 0.172, so a dozen odd terms are exact to double precision.
    let s = (m - 1) / (m + 1)
    let s2 = s * s
    var power = s
    var sum = 0.0
    var n = 1.0
    for _ in 0..<12 {
      sum += power / n
      power *= s2
      n += 2
    }
    return Double(e) * ln2 + 2 * sum
  }

  /// a^b for a > 0.
  static func pow(_ a: Double, _ b: Double) -> Double { exp(b * log(a)) }
}
