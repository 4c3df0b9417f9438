/// Dictionary encoding: each distinct string gets a dense `Int32` code, in order of first appearance.
///
/// Strings are kept as UTF-8 bytes in one buffer with an open-addressing hash table over them, so
/// interning from raw bytes (e.g. a database cursor) allocates nothing per value.
struct StringPool {
  private var bytes: [UInt8] = []
  private var starts: [Int] = [0]
  private var hashes: [UInt32] = []
  private var slots: [Int32] = Array(repeating: -1, count: 16)

  var count: Int { hashes.count }

  init() {}

  /// The string of a code.
  subscript(code: Int32) -> String {
    let s = starts[Int(code)]
    let e = starts[Int(code) + 1]
    return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[s..<e]), as: UTF8.self) }
  }

  func code(of string: String) -> Int32? {
    var s = string
    return s.withUTF8 { code(of: UnsafeRawBufferPointer($0)) }
  }

  func code(of raw: UnsafeRawBufferPointer) -> Int32? {
    let h = Self.hash(raw)
    var i = Int(h) & (slots.count - 1)
    while true {
      let c = slots[i]
      if c < 0 { return nil }
      if hashes[Int(c)] == h && equals(c, raw) { return c }
      i = (i + 1) & (slots.count - 1)
    }
  }

  mutating func intern(_ string: String) -> Int32 {
    var s = string
    return s.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
  }

  mutating func intern(_ raw: UnsafeRawBufferPointer) -> Int32 {
    let h = Self.hash(raw)
    var i = Int(h) & (slots.count - 1)
    while true {
      let c = slots[i]
      if c < 0 { break }
      if hashes[Int(c)] == h && equals(c, raw) { return c }
      i = (i + 1) & (slots.count - 1)
    }
    let code = Int32(hashes.count)
    bytes.append(contentsOf: raw)
    starts.append(bytes.count)
    hashes.append(h)
    slots[i] = code
    if hashes.count * 2 > slots.count { grow() }
    return code
  }

  private func equals(_ code: Int32, _ raw: UnsafeRawBufferPointer) -> Bool {
    let s = starts[Int(code)]
    let e = starts[Int(code) + 1]
    guard e - s == raw.count else { return false }
    return bytes.withUnsafeBufferPointer { b in
      for k in 0..<raw.count where b[s + k] != raw[k] { return false }
      return true
    }
  }

  private mutating func grow() {
    var next = [Int32](repeating: -1, count: slots.count * 2)
    let mask = next.count - 1
    for (code, h) in hashes.enumerated() {
      var i = Int(h) & mask
      while next[i] >= 0 { i = (i + 1) & mask }
      next[i] = Int32(code)
    }
    slots = next
  }

  /// FNV-1a, folded to 32 bits.
  private static func hash(_ raw: UnsafeRawBufferPointer) -> UInt32 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in raw {
      h ^= UInt64(b)
      h = h &* 0x0000_0100_0000_01b3
    }
    return UInt32(truncatingIfNeeded: h ^ (h >> 32))
  }
}
