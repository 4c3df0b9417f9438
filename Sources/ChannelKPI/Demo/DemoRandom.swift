/// The demo's draws, from `Xoshiro256` streams: the same on every platform, so a seed names one
/// demo everywhere.
struct DemoRandom {
  private var bits: Xoshiro256

  /// An independent stream of `seed`, e.g. one partner's profile or one partner's activity;
  /// streams don't depend on each other, so a partner's traits don't shift when others change.
  init(seed: UInt64, stream: UInt64, index: UInt64 = 0) {
    var x = DemoRandom.mix(seed ^ 0x6A09_E667_F3BC_C908)
    x = DemoRandom.mix(x ^ (stream &* 0x9E37_79B9_7F4A_7C15))
    x = DemoRandom.mix(x ^ (index &* 0xD1B5_4A32_D192_ED03))
    bits = Xoshiro256(seed: x)
  }

  static func mix(_ value: UInt64) -> UInt64 {
    var state = value
    return Xoshiro256.splitMix(&state)
  }

  @inline(__always)
  mutating func next() -> UInt64 { bits.next() }

  /// Uniform in [0, 1).
  @inline(__always)
  mutating func unit() -> Double { bits.unit() }

  /// Uniform in 0..<n (0 when n ≤ 0); the multiply-shift bias is far below anything visible.
  @inline(__always)
  mutating func below(_ n: Int) -> Int {
    guard n > 1 else { return 0 }
    return Int(next().multipliedFullWidth(by: UInt64(n)).high)
  }

  /// Uniform in `lower...upper`.
  mutating func int(_ lower: Int, _ upper: Int) -> Int { lower + below(upper - lower + 1) }

  /// Uniform in `lower..<upper`.
  mutating func double(_ lower: Double, _ upper: Double) -> Double { lower + (upper - lower) * unit() }

  @inline(__always)
  mutating func chance(_ p: Double) -> Bool { unit() < p }

  /// An index drawn with the given relative weights.
  mutating func pick(_ weights: [Double]) -> Int {
    var total = 0.0
    for w in weights { total += w }
    var r = unit() * total
    for (i, w) in weights.enumerated() {
      if r < w { return i }
      r -= w
    }
    return weights.count - 1
  }

  /// Roughly standard normal: the Irwin–Hall sum of six uniforms, which needs no libm and whose
  /// bounded tails (±4.2σ) keep generated amounts sane.
  mutating func normal() -> Double {
    var s = 0.0
    for _ in 0..<6 { s += unit() }
    return (s - 3) * 1.414_213_562_373_095
  }

  /// Log-normal with the given median.
  mutating func logNormal(median: Double, sigma: Double) -> Double {
    median * DemoMath.exp(sigma * normal())
  }

  /// Exponential with the given mean.
  mutating func exponential(mean: Double) -> Double { -mean * DemoMath.log(1 - unit()) }

  /// Poisson count with mean `lambda`; exact for small means, normal beyond (where counts are large
  /// and the difference is invisible).
  mutating func poisson(_ lambda: Double) -> Int {
    guard lambda > 0, lambda.isFinite else { return 0 }
    if lambda < 30 {
      let limit = DemoMath.exp(-lambda)
      var k = 0
      var p = unit()
      while p > limit {
        k += 1
        p *= unit()
      }
      return k
    }
    let v = lambda + lambda.squareRoot() * normal()
    return v <= 0 ? 0 : Int(v + 0.5)
  }

  /// A count whose mean is `lambda` and whose fractional part becomes a chance of one more.
  mutating func round(_ value: Double) -> Int {
    guard value > 0, value.isFinite else { return 0 }
    let whole = value.rounded(.down)
    return Int(whole) + (chance(value - whole) ? 1 : 0)
  }
}
