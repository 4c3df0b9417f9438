/// xoshiro256** seeded through SplitMix64: fast, small, and the same on every platform, so a
/// seed names one demo everywhere (the system generator is neither seedable nor stable).
struct DemoRandom {
  private var s0: UInt64
  private var s1: UInt64
  private var s2: UInt64
  private var s3: UInt64

  /// An independent stream of `seed`, e.g. one partner's profile or one partner's activity;
  /// streams don't depend on each other, so a partner's traits don't shift when others change.
  init(seed: UInt64, stream: UInt64, index: UInt64 = 0) {
    var x = DemoRandom.mix(seed ^ 0x6A09_E667_F3BC_C908)
    x = DemoRandom.mix(x ^ (stream &* 0x9E37_79B9_7F4A_7C15))
    x = DemoRandom.mix(x ^ (index &* 0xD1B5_4A32_D192_ED03))
    var state = x
    s0 = DemoRandom.splitMix(&state)
    s1 = DemoRandom.splitMix(&state)
    s2 = DemoRandom.splitMix(&state)
    s3 = DemoRandom.splitMix(&state)
  }

  static func mix(_ value: UInt64) -> UInt64 {
    var z = value &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  static func splitMix(_ state: inout UInt64) -> UInt64 {
    state = state &+ 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  @inline(__always)
  mutating func next() -> UInt64 {
    let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = s3 << 45 | s3 >> 19
    return result
  }

  /// Uniform in [0, 1).
  @inline(__always)
  mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

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
