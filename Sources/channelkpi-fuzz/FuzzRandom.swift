/// SplitMix64: tiny, fast and the same on every platform, so a seed and an iteration number
/// name one input everywhere.
struct FuzzRandom {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  /// The stream of one input: depends only on the run's seed and the input's number, so any
  /// input can be made again without making the ones before it.
  init(seed: UInt64, iteration: UInt64) {
    var s = seed ^ 0x9E37_79B9_7F4A_7C15
    s = FuzzRandom.mix(&s) ^ (iteration &* 0xD1B5_4A32_D192_ED03)
    state = FuzzRandom.mix(&s)
  }

  private static func mix(_ s: inout UInt64) -> UInt64 {
    s &+= 0x9E37_79B9_7F4A_7C15
    var z = s
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func next() -> UInt64 { FuzzRandom.mix(&state) }

  /// Uniform in 0..<n (0 when n ≤ 1).
  mutating func below(_ n: Int) -> Int {
    guard n > 1 else { return 0 }
    return Int(next().multipliedFullWidth(by: UInt64(n)).high)
  }

  /// Uniform in lower...upper.
  mutating func int(_ lower: Int, _ upper: Int) -> Int { lower + below(upper - lower + 1) }

  /// True with probability `p`.
  mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }

  mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
