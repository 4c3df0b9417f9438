/// Dictionary encoding: each distinct string gets a dense `Int32` code, in order of first appearance.
///
/// Strings are kept as UTF-8 bytes in one buffer with an open-addressing hash table over them, so
/// interning from raw bytes (e.g. a database cursor) allocates nothing per value.
struct StringPool: Sendable {
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
    return bytes.withUnsafeBytes { b in
      var i = 0
      while i + 8 <= raw.count {
        if b.loadUnaligned(fromByteOffset: s + i, as: UInt64.self)
          != raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        {
          return false
        }
        i += 8
      }
      while i < raw.count {
        if b[s + i] != raw[i] { return false }
        i += 1
      }
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

  /// A multiply-xor hash over 8-byte words (ids are short, so this is a few multiplications).
  private static func hash(_ raw: UnsafeRawBufferPointer) -> UInt32 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(raw.count)
    var i = 0
    while i + 8 <= raw.count {
      h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
      h ^= h >> 32
      i += 8
    }
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while i < raw.count {
      tail |= UInt64(raw[i]) << shift
      shift += 8
      i += 1
    }
    h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
    h ^= h >> 29
    return UInt32(truncatingIfNeeded: h)
  }
}

extension StringPool {
  /// Writes the pool as it is (strings, hashes and the hash table), for an engine snapshot.
  func write(to w: inout SnapshotWriter) throws {
    try w.array(bytes)
    try w.array(starts.map { Int64($0) })
    try w.array(hashes)
    try w.array(slots)
  }

  /// A pool as `write` wrote it; the hash table is checked to fit the strings.
  init(reading r: inout SnapshotReader) throws(SnapshotError) {
    bytes = try r.array(UInt8.self)
    starts = try r.array(Int64.self).map { Int($0) }
    hashes = try r.array(UInt32.self)
    slots = try r.array(Int32.self)
    guard starts.count == hashes.count + 1, starts.first == 0, starts.last == bytes.count,
      zip(starts, starts.dropFirst()).allSatisfy({ $0 <= $1 }),
      slots.count >= 16, slots.count & (slots.count - 1) == 0, hashes.count * 2 <= slots.count,
      slots.allSatisfy({ $0 < Int32(hashes.count) })
    else { throw SnapshotError("a dictionary of the snapshot is inconsistent") }
  }

  /// Whether this pool's strings are the first strings of `other`, with the same codes.
  func isPrefix(of other: StringPool) -> Bool {
    count <= other.count && (0..<Int32(count)).allSatisfy { self[$0] == other[$0] }
  }
}
