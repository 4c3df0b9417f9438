/// A column of `Int64` values (absent is `Int64.min`) kept in as few bytes per value as the
/// values' range needs: each value is stored as its offset from a base in 1 to 8 bytes, and a
/// column whose every value is its own row number (a table's own ids, coded in row order) keeps
/// no bytes at all. So a stage takes one byte, a date two, a customer code three.
///
/// A value that does not fit re-encodes the column once: the new base leaves as much room below
/// the values as above, and the width has room for at least twice their span, so a column is
/// re-encoded only a few times as it grows (at most when its span doubles or its width grows).
///
/// Values lie end to end in one byte buffer followed by 8 spare bytes, so that any value is read
/// with one 8-byte load and a mask.
struct PackedColumn: Sendable, Equatable {
  static let absent = Int64.min

  private(set) var count = 0
  /// Bytes per value; 0 means every value is its row number.
  private(set) var width = 0
  /// The value an offset of 0 stands for (widths 1 to 7; at 8 the bytes are the value).
  private var base: Int64 = 0
  /// The low `width` bytes of a load; at widths 1 to 7 also the offset that means absent.
  private var mask: UInt64 = 0
  /// The smallest and largest value present (`low > high` while every value is absent).
  private var low = Int64.max
  private var high = Int64.min
  /// `count * width` bytes of values, then 8 spare bytes (empty at width 0).
  private var bytes: [UInt8] = []
  /// Capacity asked for by `reserve`, kept for the buffer of a wider encoding.
  private var reserved = 0

  private static let spare = 8

  init() {}

  /// A column holding `values`, appended in order.
  init(_ values: some Sequence<Int64>) {
    for v in values { append(v) }
  }

  private static func mask(_ width: Int) -> UInt64 { width >= 8 ? ~0 : (UInt64(1) << UInt64(8 * width)) - 1 }

  mutating func reserve(_ n: Int) {
    reserved = max(reserved, n)
    if width > 0 { bytes.reserveCapacity(n * width + Self.spare) }
  }

  subscript(row: Int) -> Int64 {
    precondition(row >= 0 && row < count, "row out of range")
    if width == 0 { return Int64(row) }
    return bytes.withUnsafeBytes { decode($0.loadUnaligned(fromByteOffset: row * width, as: UInt64.self)) }
  }

  /// The value whose stored bytes, read 8 at once from its offset, are `raw`.
  @inline(__always) private func decode(_ raw: UInt64) -> Int64 {
    let r = UInt64(littleEndian: raw)
    if width == 8 { return Int64(bitPattern: r) }
    let offset = r & mask
    return offset == mask ? Self.absent : base &+ Int64(bitPattern: offset)
  }

  /// The stored bytes of `v` at the current width, or nil when it does not fit.
  @inline(__always) private func encode(_ v: Int64, row: Int) -> UInt64? {
    switch width {
    case 0: return v == Int64(row) ? 0 : nil
    case 8: return UInt64(bitPattern: v)
    default:
      if v == Self.absent { return mask }
      guard v >= base else { return nil }
      let (d, overflow) = v.subtractingReportingOverflow(base)
      guard !overflow, UInt64(d) < mask else { return nil }
      return UInt64(d)
    }
  }

  /// Writes the low `width` bytes of `raw` at `row`, leaving the bytes around them as they were.
  @inline(__always) private mutating func store(_ raw: UInt64, at row: Int) {
    let at = row * width
    let keep = ~mask
    bytes.withUnsafeMutableBytes { b in
      let old = UInt64(littleEndian: b.loadUnaligned(fromByteOffset: at, as: UInt64.self))
      b.storeBytes(of: ((old & keep) | raw).littleEndian, toByteOffset: at, as: UInt64.self)
    }
  }

  mutating func append(_ v: Int64) {
    guard let raw = encode(v, row: count) else {
      reencode(including: v)
      return append(v)
    }
    note(v)
    if width > 0 {
      // (Appended, not assigned, so that the capacity `reserve` asked for is kept.)
      if bytes.isEmpty { bytes.append(contentsOf: repeatElement(0, count: Self.spare)) }
      for _ in 0..<width { bytes.append(0) }
      store(raw, at: count)
    }
    count += 1
  }

  mutating func set(_ row: Int, _ v: Int64) {
    precondition(row >= 0 && row < count, "row out of range")
    guard let raw = encode(v, row: row) else {
      reencode(including: v)
      return set(row, v)
    }
    note(v)
    if width > 0 { store(raw, at: row) }
  }

  @inline(__always) private mutating func note(_ v: Int64) {
    guard v != Self.absent else { return }
    if v < low { low = v }
    if v > high { high = v }
  }

  /// Moves to the narrowest encoding with room for twice the span of the values and `v`.
  private mutating func reencode(including v: Int64) {
    var lo = low
    var hi = high
    if v != Self.absent {
      lo = min(lo, v)
      hi = max(hi, v)
    }
    var newWidth = 8
    var newBase: Int64 = 0
    if lo > hi {
      newWidth = 1
    } else {
      let (span, overflow) = hi.subtractingReportingOverflow(lo)
      if !overflow {
        for w in 1...7 {
          let room = Self.mask(w) - 1
          guard UInt64(span) <= room / 2 else { continue }
          let (b, under) = lo.subtractingReportingOverflow(Int64((room - UInt64(span)) / 2))
          if !under {
            newWidth = w
            newBase = b
          }
          break
        }
      }
    }
    let old = self
    self = PackedColumn()
    width = newWidth
    base = newBase
    mask = Self.mask(newWidth)
    reserve(max(old.reserved, old.count))
    for r in 0..<old.count { append(old[r]) }
    reserved = old.reserved
  }

  /// Calls `body` with a reader of values by row, chosen once for the column's width.
  @inline(__always) private func withReader<R>(_ body: ((Int) -> Int64) -> R) -> R {
    if width == 0 { return body { Int64($0) } }
    let w = width
    return bytes.withUnsafeBytes { b in body { decode(b.loadUnaligned(fromByteOffset: $0 * w, as: UInt64.self)) } }
  }

  /// Calls `body` with each value of the rows `start..<start + n`, in order.
  @inline(__always) func forEach(from start: Int, count n: Int, _ body: (Int, Int64) -> Void) {
    precondition(start >= 0 && n >= 0 && start + n <= count, "rows out of range")
    withReader { value in for i in 0..<n { body(i, value(start + i)) } }
  }

  /// Writes the values of `rows`, in order, into `out` from its start.
  func gather(_ rows: ArraySlice<Int32>, into out: inout [Int64]) {
    withReader { value in
      for (i, r) in rows.enumerated() {
        precondition(r >= 0 && Int(r) < count, "row out of range")
        out[i] = value(Int(r))
      }
    }
  }

  /// The rows below `n` whose value is `v`, in order. Compares stored bytes, decoding none.
  func rows(equalTo v: Int64, below n: Int) -> [Int32] {
    precondition(n >= 0 && n <= count, "rows out of range")
    if width == 0 { return v >= 0 && v < n ? [Int32(v)] : [] }
    guard let raw = encode(v, row: 0) else { return [] }
    let w = width
    let m = mask
    var out: [Int32] = []
    bytes.withUnsafeBytes { b in
      for r in 0..<n where UInt64(littleEndian: b.loadUnaligned(fromByteOffset: r * w, as: UInt64.self)) & m == raw {
        out.append(Int32(r))
      }
    }
    return out
  }

  /// The smallest and largest value present, or nil when every value is absent.
  var range: ClosedRange<Int64>? { low <= high ? low...high : nil }

  static func == (a: PackedColumn, b: PackedColumn) -> Bool {
    a.count == b.count && (0..<a.count).allSatisfy { a[$0] == b[$0] }
  }
}

extension PackedColumn {
  /// Writes the encoding and its values as they lie in memory, for an engine snapshot.
  func write(to w: inout SnapshotWriter) throws {
    try w.int(count)
    try w.int(width)
    try w.int(Int(base))
    if width > 0 { try w.array(bytes.isEmpty ? [UInt8](repeating: 0, count: Self.spare) : bytes) }
  }

  /// A column as `write` wrote it; its range is found again from the values.
  init(reading r: inout SnapshotReader) throws(SnapshotError) {
    let n = try r.int()
    let w = try r.int()
    let b = Int64(try r.int())
    guard n >= 0, (0...8).contains(w) else { throw SnapshotError("a column of the snapshot is inconsistent") }
    count = n
    width = w
    base = w == 8 ? 0 : b
    mask = Self.mask(w)
    // Row numbers need no reading (and a count is only trusted once it matched stored values).
    guard w != 0 else {
      (low, high) = n > 0 ? (0, Int64(n - 1)) : (Int64.max, Int64.min)
      return
    }
    bytes = try r.array(UInt8.self)
    guard n <= (bytes.count - Self.spare) / w, bytes.count == n * w + Self.spare else {
      throw SnapshotError("a column of the snapshot has the wrong length")
    }
    var lo = Int64.max
    var hi = Int64.min
    forEach(from: 0, count: n) { _, v in
      if v != Self.absent {
        if v < lo { lo = v }
        if v > hi { hi = v }
      }
    }
    low = lo
    high = hi
  }
}
