/// Dictionary encoding: each distinct string gets a dense `Int32` code, in order of first appearance.
///
/// Strings are kept end to end in one buffer, each after a header of its stored length (one byte
/// below 64). An ASCII string of at most 128 bytes, such as an id, is stored with each pair of
/// adjacent digits in one byte (`0x80 +` their value), so `D00000001` takes six bytes; the header
/// says which strings are. Lookups pack the string asked for the same way and compare the stored
/// bytes, so interning from raw bytes (e.g. a database cursor) allocates nothing per value.
///
/// Only every eighth string's start is kept (`anchors`); a string is found from the nearest one
/// by skipping at most seven headers, which lie in the same few cache lines. The open-addressing
/// table keeps no hash per string: each slot has a byte of its string's hash beside it, which
/// rules out most strings without reading them, and the table may be four fifths full. An id of
/// ten characters costs about 16 bytes in all.
struct StringPool: Sendable {
  private var bytes: [UInt8] = []
  /// The start of every eighth string's header in `bytes`.
  private var anchors = PackedColumn()
  private(set) var count = 0
  private var slots: [Int32] = Array(repeating: -1, count: 16)
  /// Per slot, seven bits of its string's hash.
  private var tags: [UInt8] = Array(repeating: 0, count: 16)

  static let anchorShift = 3
  /// Strings longer than this are stored as they are.
  static let packedLimit = 128

  init() {}

  /// The string of a code.
  subscript(code: Int32) -> String {
    bytes.withUnsafeBufferPointer { b in
      let (s, header) = Self.locate(Int(code), in: b, from: Int(anchors[Int(code) >> Self.anchorShift]))
      let stored = UnsafeBufferPointer(rebasing: b[s..<s + header >> 1])
      guard header & 1 == 1 else { return String(decoding: stored, as: UTF8.self) }
      var text: [UInt8] = []
      text.reserveCapacity(stored.count * 2)
      for x in stored {
        if x < 0x80 {
          text.append(x)
        } else {
          text.append(0x30 + (x - 0x80) / 10)
          text.append(0x30 + (x - 0x80) % 10)
        }
      }
      return String(decoding: text, as: UTF8.self)
    }
  }

  /// The start of the stored bytes of string `code`, and its header, from the start of string
  /// `code` rounded down to an anchor.
  @inline(__always) private static func locate(
    _ code: Int, in b: UnsafeBufferPointer<UInt8>, from anchor: Int
  ) -> (start: Int, header: Int) {
    var at = anchor
    for _ in 0..<(code & (1 << anchorShift - 1)) {
      let (header, width) = varint(b, at)
      at += width + header >> 1
    }
    let (header, width) = varint(b, at)
    return (at + width, header)
  }

  /// A number as `appendVarint` wrote it at `at`, and the bytes it takes.
  @inline(__always) private static func varint(_ b: UnsafeBufferPointer<UInt8>, _ at: Int) -> (Int, Int) {
    var n = 0
    var shift = 0
    var i = at
    while true {
      let x = b[i]
      n |= Int(x & 0x7F) << shift
      i += 1
      if x < 0x80 { return (n, i - at) }
      shift += 7
    }
  }

  private mutating func appendVarint(_ n: Int) {
    var v = n
    while v >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
      v >>= 7
    }
    bytes.append(UInt8(v))
  }

  /// Calls `body` with the stored form of `raw` and its header (stored length × 2, + 1 when packed).
  @inline(__always) private static func withStored<R>(
    _ raw: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer, Int) -> R
  ) -> R {
    guard raw.count <= packedLimit, !raw.contains(where: { $0 >= 0x80 }) else { return body(raw, raw.count << 1) }
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: packedLimit) { out in
      var n = 0
      var i = 0
      while i < raw.count {
        let x = raw[i]
        if i + 1 < raw.count, x &- 0x30 < 10, raw[i + 1] &- 0x30 < 10 {
          out[n] = 0x80 + (x - 0x30) * 10 + (raw[i + 1] - 0x30)
          i += 2
        } else {
          out[n] = x
          i += 1
        }
        n += 1
      }
      return body(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(out)[..<n]), n << 1 | 1)
    }
  }

  func code(of string: String) -> Int32? {
    var s = string
    return s.withUTF8 { code(of: UnsafeRawBufferPointer($0)) }
  }

  func code(of raw: UnsafeRawBufferPointer) -> Int32? {
    Self.withStored(raw) { stored, header in
      let i = find(stored, header, Self.hash(stored, header))
      return slots[i] < 0 ? nil : slots[i]
    }
  }

  /// The slot holding the stored string, or the empty slot where it would go.
  @inline(__always) private func find(_ stored: UnsafeRawBufferPointer, _ header: Int, _ h: UInt32) -> Int {
    let tag = Self.tag(h)
    let mask = slots.count - 1
    var i = Int(h) & mask
    while true {
      let c = slots[i]
      if c < 0 || (tags[i] == tag && equals(c, stored, header)) { return i }
      i = (i + 1) & mask
    }
  }

  @inline(__always) private static func tag(_ h: UInt32) -> UInt8 { UInt8(truncatingIfNeeded: h >> 25) }

  mutating func intern(_ string: String) -> Int32 {
    var s = string
    return s.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
  }

  mutating func intern(_ raw: UnsafeRawBufferPointer) -> Int32 {
    Self.withStored(raw) { stored, header in
      let h = Self.hash(stored, header)
      let i = find(stored, header, h)
      if slots[i] >= 0 { return slots[i] }
      let code = Int32(count)
      if count & (1 << Self.anchorShift - 1) == 0 { anchors.append(Int64(bytes.count)) }
      appendVarint(header)
      bytes.append(contentsOf: stored)
      count += 1
      slots[i] = code
      tags[i] = Self.tag(h)
      reserve(count)
      return code
    }
  }

  private func equals(_ code: Int32, _ raw: UnsafeRawBufferPointer, _ header: Int) -> Bool {
    bytes.withUnsafeBufferPointer { all in
      let (s, stored) = Self.locate(Int(code), in: all, from: Int(anchors[Int(code) >> Self.anchorShift]))
      guard stored == header else { return false }
      let b = UnsafeRawBufferPointer(all)
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

  /// Calls `body` with each string's code, stored bytes and header, in code order.
  private func forEachString(_ body: (Int, UnsafeRawBufferPointer, Int) -> Void) {
    bytes.withUnsafeBufferPointer { all in
      var at = 0
      for code in 0..<count {
        let (header, width) = Self.varint(all, at)
        let n = header >> 1
        body(code, UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(all)[at + width..<at + width + n]), header)
        at += width + n
      }
    }
  }

  /// The slots of the hash table (a power of two; at most four fifths are used).
  var capacity: Int { slots.count }

  /// Makes room for `count` strings in all, so that interning up to that many never grows the
  /// hash table on the way (each growth hashes every string again). The table is as large as
  /// growing to that count would have made it.
  mutating func reserve(_ count: Int) {
    var size = slots.count
    while count * 5 > size * 4 { size *= 2 }
    if size > slots.count { rehash(into: size) }
  }

  private mutating func rehash(into size: Int) {
    var next = [Int32](repeating: -1, count: size)
    var nextTags = [UInt8](repeating: 0, count: next.count)
    let mask = next.count - 1
    forEachString { code, stored, header in
      let h = Self.hash(stored, header)
      var i = Int(h) & mask
      while next[i] >= 0 { i = (i + 1) & mask }
      next[i] = Int32(code)
      nextTags[i] = Self.tag(h)
    }
    slots = next
    tags = nextTags
  }

  /// A multiply-xor hash over 8-byte words (ids are short, so this is a few multiplications).
  private static func hash(_ raw: UnsafeRawBufferPointer, _ header: Int) -> UInt32 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(header)
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
  /// Writes the pool as it is (strings, anchors and the hash table), for an engine snapshot.
  func write(to w: inout SnapshotWriter) throws {
    try w.int(count)
    try w.array(bytes)
    try anchors.write(to: &w)
    try w.array(slots)
    try w.array(tags)
  }

  /// A pool as `write` wrote it; the strings are walked once to check that every length and
  /// anchor falls where it should, and the hash table is checked to fit them.
  init(reading r: inout SnapshotReader) throws(SnapshotError) {
    count = try r.int()
    bytes = try r.array(UInt8.self)
    anchors = try PackedColumn(reading: &r)
    slots = try r.array(Int32.self)
    tags = try r.array(UInt8.self)
    let n = count
    // Every string takes a byte at least, which bounds the count before it is used.
    var fits =
      n >= 0 && n <= bytes.count
      && anchors.count == (n >> Self.anchorShift) + (n & (1 << Self.anchorShift - 1) == 0 ? 0 : 1)
    if fits {
      fits = bytes.withUnsafeBufferPointer { all in
        var at = 0
        for code in 0..<n {
          if code & (1 << Self.anchorShift - 1) == 0, anchors[code >> Self.anchorShift] != Int64(at) { return false }
          // A header takes at most five bytes and ends inside the buffer.
          var width = 0
          while width < 5, at + width < all.count, all[at + width] >= 0x80 { width += 1 }
          guard width < 5, at + width < all.count else { return false }
          let (header, w) = Self.varint(all, at)
          at += w + header >> 1
          guard at <= all.count else { return false }
        }
        return at == all.count
      }
    }
    guard fits, slots.count >= 16, slots.count & (slots.count - 1) == 0, tags.count == slots.count,
      n * 5 <= slots.count * 4, slots.allSatisfy({ $0 >= -1 && $0 < Int32(n) })
    else { throw SnapshotError("a dictionary of the snapshot is inconsistent") }
  }

  /// Whether this pool's strings are the first strings of `other`, with the same codes.
  func isPrefix(of other: StringPool) -> Bool {
    count <= other.count && (0..<Int32(count)).allSatisfy { self[$0] == other[$0] }
  }
}
