/// The rows of a table whose key has two or three columns, by key: an open-addressing table of row
/// numbers. The key values stay in the table's own columns (an engine that keeps keys keeps them),
/// so the index costs a few bytes per row, and a snapshot writes and reads it as one array.
///
/// Rows are never removed: an upsert replaces a row in place, under the same key.
///
/// The index also keeps the greatest key added (in the order of the key's codes): a key above it
/// is new without a lookup. Rows loaded in key order, as an import's usually are, never look.
struct CompositeIndex: Sendable {
  /// Row numbers; -1 is an empty slot. A power of two long, at most 70% full.
  private(set) var slots: [Int32] = Array(repeating: -1, count: 16)
  private(set) var count = 0
  /// No key in the index is greater than this (nil: the index is empty). Unknown (`bounded`
  /// false) for an index read from a snapshot, which does not keep it.
  private var greatest: CompositeKey?
  private var bounded = true

  init() {}

  /// The same hash in every process (a snapshot keeps the slots as they are).
  static func hash(_ k: CompositeKey) -> Int {
    var h = UInt64(bitPattern: k.a) &* 0x9E37_79B9_7F4A_7C15
    h = (h ^ UInt64(bitPattern: k.b)) &* 0xBF58_476D_1CE4_E5B9
    h = (h ^ UInt64(bitPattern: k.c)) &* 0x94D0_49BB_1331_11EB
    return Int(truncatingIfNeeded: h ^ (h >> 31))
  }

  /// Whether `key` may be in the index: false when it is greater than every key added.
  func mayHold(_ key: CompositeKey) -> Bool {
    guard bounded else { return true }
    return greatest.map { key <= $0 } ?? false
  }

  /// The row whose key is `key`; `keyOf` reads a row's key from the table.
  func row(_ key: CompositeKey, keyOf: (Int32) -> CompositeKey) -> Int32? {
    guard mayHold(key) else { return nil }
    let mask = slots.count - 1
    var i = Self.hash(key) & mask
    while true {
      let r = slots[i]
      if r < 0 { return nil }
      if keyOf(r) == key { return r }
      i = (i + 1) & mask
    }
  }

  /// Adds a row whose key is not in the index yet.
  mutating func insert(_ row: Int32, key: CompositeKey, keyOf: (Int32) -> CompositeKey) {
    reserve(count + 1, keyOf: keyOf)
    place(row, Self.hash(key))
    count += 1
    if bounded, greatest.map({ key > $0 }) ?? true { greatest = key }
  }

  /// Makes room for `rows` rows in all, so that adding up to that many never grows the table on
  /// the way (each growth reads every row's key again). The table is as large as growing to that
  /// count would have made it.
  mutating func reserve(_ rows: Int, keyOf: (Int32) -> CompositeKey) {
    var size = slots.count
    while rows * 10 > size * 7 { size *= 2 }
    guard size > slots.count else { return }
    let old = slots
    slots = Array(repeating: -1, count: size)
    for r in old where r >= 0 { place(r, Self.hash(keyOf(r))) }
  }

  private mutating func place(_ row: Int32, _ hash: Int) {
    let mask = slots.count - 1
    var i = hash & mask
    while slots[i] >= 0 { i = (i + 1) & mask }
    slots[i] = row
  }

  /// Writes the slots (for an engine snapshot).
  func write(to w: inout SnapshotWriter) throws { try w.array(slots) }

  /// Reads what `write` wrote for a table of `rows` rows: every slot must be empty or a row of it,
  /// each row at most once.
  init(reading r: inout SnapshotReader, rows: Int) throws(SnapshotError) {
    let slots = try r.array(Int32.self)
    let n = slots.count
    guard n >= 16, n & (n - 1) == 0 else { throw SnapshotError("a key index of the snapshot is inconsistent") }
    var seen = [Bool](repeating: false, count: rows)
    var count = 0
    for s in slots where s >= 0 {
      guard Int(s) < rows, !seen[Int(s)] else {
        throw SnapshotError("a key index of the snapshot points past its rows")
      }
      seen[Int(s)] = true
      count += 1
    }
    // Every row of the table is in it (an engine that keeps keys indexes each row it adds).
    guard slots.allSatisfy({ $0 >= -1 }), count * 10 <= n * 7, count == rows else {
      throw SnapshotError("a key index of the snapshot is inconsistent")
    }
    self.slots = slots
    self.count = count
    bounded = count == 0
  }
}
