/// The standard normal distribution: its cumulative distribution function and its quantile, from
/// IEEE arithmetic alone (the domain target has no libm), accurate to about 1e-15 relative.
public enum Normal {
  static let sqrt2 = 1.414_213_562_373_095_048_801_688_724_209_7
  static let sqrtPi = 1.772_453_850_905_516_027_298_167_483_341_1
  static let sqrt2Pi = 2.506_628_274_631_000_502_415_765_284_811

  /// P(Z ≤ z) for a standard normal Z.
  public static func cdf(_ z: Double) -> Double {
    if z.isNaN { return z }
    return 0.5 * erfc(-z / sqrt2)
  }

  /// P(Z ≥ z) for a standard normal Z, without the cancellation of 1 - cdf(z) in the upper tail.
  public static func survival(_ z: Double) -> Double {
    if z.isNaN { return z }
    return 0.5 * erfc(z / sqrt2)
  }

  /// The density of the standard normal at z.
  public static func density(_ z: Double) -> Double {
    DemoMath.exp(-0.5 * z * z) / sqrt2Pi
  }

  /// The z with cdf(z) = p: -∞ at 0, +∞ at 1, NaN outside [0, 1].
  public static func quantile(_ p: Double) -> Double {
    if p.isNaN || p < 0 || p > 1 { return .nan }
    if p == 0 { return -.infinity }
    if p == 1 { return .infinity }
    var x = acklam(p)
    // One Halley step on cdf(x) - p takes Acklam's 1.15e-9 to full precision; in the upper tail
    // the residual is taken from the survival function, where it keeps its relative accuracy.
    let e = p > 0.5 ? (1 - p) - survival(x) : cdf(x) - p
    let u = e * sqrt2Pi * DemoMath.exp(0.5 * x * x)
    x -= u / (1 + 0.5 * x * u)
    return x
  }

  /// The complementary error function erfc(x) = 1 - erf(x).
  public static func erfc(_ x: Double) -> Double {
    if x.isNaN { return x }
    if x < 0 { return 2 - erfc(-x) }
    if x < 2.5 { return 1 - erfSeries(x) }
    if x > 27 { return 0 }
    return erfcContinuedFraction(x)
  }

  /// erf(x) for 0 ≤ x < 2.5 from the series 2/√π e^{-x²} Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1)), whose
  /// terms are all positive, so nothing cancels.
  static func erfSeries(_ x: Double) -> Double {
    let x2 = x * x
    var term = x
    var sum = x
    var n = 0.0
    while n < 200 {
      term *= 2 * x2 / (2 * n + 3)
      sum += term
      if term < sum * 1e-17 { break }
      n += 1
    }
    return 2 / sqrtPi * DemoMath.exp(-x2) * sum
  }

  /// erfc(x) for x ≥ 2.5 from Laplace's continued fraction
  /// √π e^{x²} erfc(x) = 1/(x+ (1/2)/(x+ 1/(x+ (3/2)/(x+ …)))), evaluated by the modified Lentz method.
  static func erfcContinuedFraction(_ x: Double) -> Double {
    let tiny = 1e-300
    var f = x
    var c = x
    var d = 0.0
    var k = 1.0
    while k < 500 {
      let a = k / 2
      d = x + a * d
      if d == 0 { d = tiny }
      c = x + a / c
      if c == 0 { c = tiny }
      d = 1 / d
      let delta = c * d
      f *= delta
      if Swift.abs(delta - 1) < 1e-16 { break }
      k += 1
    }
    return DemoMath.exp(-x * x) / (sqrtPi * f)
  }

  /// Acklam's rational approximation of the normal quantile (relative error below 1.15e-9).
  static func acklam(_ p: Double) -> Double {
    let a = [
      -3.969_683_028_665_376e+01, 2.209_460_984_245_205e+02, -2.759_285_104_469_687e+02,
      1.383_577_518_672_690e+02, -3.066_479_806_614_716e+01, 2.506_628_277_459_239e+00,
    ]
    let b = [
      -5.447_609_879_822_406e+01, 1.615_858_368_580_409e+02, -1.556_989_798_598_866e+02,
      6.680_131_188_771_972e+01, -1.328_068_155_288_572e+01,
    ]
    let c = [
      -7.784_894_002_430_293e-03, -3.223_964_580_411_365e-01, -2.400_758_277_161_838e+00,
      -2.549_732_539_343_734e+00, 4.374_664_141_464_968e+00, 2.938_163_982_698_783e+00,
    ]
    let d = [
      7.784_695_709_041_462e-03, 3.224_671_290_700_398e-01, 2.445_134_137_142_996e+00, 3.754_408_661_907_416e+00,
    ]
    let low = 0.024_25
    if p < low || p > 1 - low {
      let q = (-2 * DemoMath.log(p < low ? p : 1 - p)).squareRoot()
      let num = ((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]
      let den = (((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1
      return p < low ? num / den : -num / den
    }
    let q = p - 0.5
    let r = q * q
    let num = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
    let den = ((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1
    return num / den
  }
}
