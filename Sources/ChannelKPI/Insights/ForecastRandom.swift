/// Standard normal draws from `Xoshiro256`: simulated forecast paths must be the same on every
/// platform and for every run with the same seed.
struct ForecastRandom {
  private var bits: Xoshiro256
  /// The second value of the last polar pair, handed out on the next call.
  private var spare: Double?

  init(seed: UInt64) {
    bits = Xoshiro256(seed: seed)
    spare = nil
  }

  /// A uniform draw in [0, 1) with 53 random bits.
  @inline(__always)
  mutating func uniform() -> Double { bits.unit() }

  /// A standard normal draw by Marsaglia's polar method, which needs only a logarithm and a root.
  mutating func normal() -> Double {
    if let value = spare {
      spare = nil
      return value
    }
    while true {
      let u = 2 * uniform() - 1
      let v = 2 * uniform() - 1
      let s = u * u + v * v
      if s > 0 && s < 1 {
        let factor = (-2 * DemoMath.log(s) / s).squareRoot()
        spare = v * factor
        return u * factor
      }
    }
  }
}
