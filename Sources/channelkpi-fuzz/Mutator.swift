/// Byte-level mutations of valid inputs: the edits that break parsers in practice (cut, repeated
/// or swapped pieces, stray quotes and separators, huge numbers, odd Unicode, NUL, byte order
/// marks, deep nesting), plus the target's own tokens.
enum Mutator {
  /// Inputs grow no larger than this, so a run's time goes into many inputs, not a few huge ones.
  static let maxSize = 64 * 1024

  /// Pieces every target gets: structure breakers and values at the edges of number types.
  static let commonTokens: [String] = [
    "\"", "'", ",", "\n", "\r\n", "\r", "\t", " ", ":", "-", ".", "\u{0}", "\u{FEFF}", "\\", "/", "#", "%",
    "0", "-1", "1e308", "-1e308", "1e-400", "NaN", "inf", "9223372036854775807", "9223372036854775808",
    "-9223372036854775808", "18446744073709551616", "99999999999999999999.99", "0.001", "00", "1_000",
    "2025-02-30", "2025-13-01", "0000-01-01", "9999-12-31", "2025-12-31T24:00:00Z", "2025-01-01T00:00:00+99:99",
    "é", "\u{301}", "\u{202E}", "\u{1F600}", "\u{10FFFF}", "İ", "ß", "\u{2028}", "\u{85}", "\u{FFFD}",
  ]

  /// The input after 1 to 6 edits of `base`; `other` is spliced from.
  static func mutate(_ base: [UInt8], other: [UInt8], tokens: [String], rng: inout FuzzRandom) -> [UInt8] {
    var b = base
    for _ in 0..<rng.int(1, 6) { edit(&b, other: other, tokens: tokens, rng: &rng) }
    if b.count > maxSize { b.removeLast(b.count - maxSize) }
    return b
  }

  private static func edit(_ b: inout [UInt8], other: [UInt8], tokens: [String], rng: inout FuzzRandom) {
    let at = rng.below(b.count + 1)
    switch rng.below(14) {
    case 0:  // flip a bit
      if !b.isEmpty { b[rng.below(b.count)] ^= UInt8(1) << UInt8(rng.below(8)) }
    case 1:  // any byte
      if !b.isEmpty { b[rng.below(b.count)] = UInt8(truncatingIfNeeded: rng.next()) }
    case 2:  // insert a byte, often a printable one
      let byte = rng.chance(0.5) ? UInt8(rng.int(32, 126)) : UInt8(truncatingIfNeeded: rng.next())
      b.insert(byte, at: at)
    case 3:  // delete a range
      let (lo, hi) = range(b.count, rng: &rng)
      b.removeSubrange(lo..<hi)
    case 4:  // repeat a range, sometimes many times
      let (lo, hi) = range(b.count, rng: &rng)
      let piece = Array(b[lo..<hi])
      let times = rng.chance(0.1) ? rng.int(10, 300) : 1
      for _ in 0..<times where b.count + piece.count <= maxSize { b.insert(contentsOf: piece, at: at) }
    case 5:  // splice from another input
      let (lo, hi) = range(other.count, rng: &rng)
      if rng.chance(0.5) {
        b.insert(contentsOf: other[lo..<hi], at: at)
      } else {
        let (blo, bhi) = range(b.count, rng: &rng)
        b.replaceSubrange(blo..<bhi, with: other[lo..<hi])
      }
    case 6, 7:  // a target or common token
      let pool = rng.chance(0.6) && !tokens.isEmpty ? tokens : commonTokens
      b.insert(contentsOf: Array(rng.pick(pool).utf8), at: at)
    case 8:  // duplicate, delete or swap whole lines
      lines(&b, rng: &rng)
    case 9:  // a number made huge, negative or fractional
      number(&b, rng: &rng)
    case 10:  // deep nesting
      let open = rng.pick(["[", "{", "(", "- ", "[{\"a\":", "not ", "-", "{a: "])
      let depth = rng.int(50, 3000)
      let close = ["[": "]", "{": "}", "(": ")", "[{\"a\":": "}]", "{a: ": "}"][open] ?? ""
      let opened = Array(String(repeating: open, count: depth).utf8)
      b.insert(contentsOf: opened + (rng.chance(0.7) ? Array(String(repeating: close, count: depth).utf8) : []), at: at)
    case 11:  // cut the input short
      b.removeLast(b.count - at)
    case 12:  // invalid UTF-8
      b.insert(
        contentsOf: rng.pick([[0xC3], [0xFF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xEF, 0xBB]]), at: at)
    default:  // a byte order mark up front, or a NUL anywhere
      if rng.chance(0.5) { b.insert(contentsOf: [0xEF, 0xBB, 0xBF], at: 0) } else { b.insert(0, at: at) }
    }
  }

  /// A random range lo..<hi in 0...count, mostly short.
  private static func range(_ count: Int, rng: inout FuzzRandom) -> (Int, Int) {
    let lo = rng.below(count + 1)
    let len = rng.chance(0.8) ? rng.below(16) : rng.below(count + 1)
    return (lo, min(count, lo + len))
  }

  private static func lines(_ b: inout [UInt8], rng: inout FuzzRandom) {
    var ls = b.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
    guard !ls.isEmpty else { return }
    let i = rng.below(ls.count)
    switch rng.below(3) {
    case 0: ls.insert(ls[i], at: rng.below(ls.count + 1))
    case 1: ls.remove(at: i)
    default: ls.swapAt(i, rng.below(ls.count))
    }
    b = Array(ls.joined(separator: [UInt8(ascii: "\n")]))
  }

  private static func number(_ b: inout [UInt8], rng: inout FuzzRandom) {
    let digits = b.indices.filter { b[$0] >= UInt8(ascii: "0") && b[$0] <= UInt8(ascii: "9") }
    guard !digits.isEmpty else { return }
    var lo = rng.pick(digits)
    var hi = lo
    while lo > 0, b[lo - 1] >= UInt8(ascii: "0"), b[lo - 1] <= UInt8(ascii: "9") { lo -= 1 }
    while hi < b.count, b[hi] >= UInt8(ascii: "0"), b[hi] <= UInt8(ascii: "9") { hi += 1 }
    let replacement = rng.pick([
      "99999999999999999999999", "9223372036854775807", "-9223372036854775808", "4294967296", "0", "-0", "-1",
      "1e309", "0.0000001", "2147483648", "92233720368547758.07", "1.7976931348623157e308",
    ])
    b.replaceSubrange(lo..<hi, with: Array(replacement.utf8))
  }
}
