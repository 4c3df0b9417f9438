/// The kind of an accumulator slot, which decides how contributions and merges combine.
enum SlotKind: Int, Hashable, Sendable, CaseIterable {
  case sumInt, sumReal, minInt, maxInt, minReal, maxReal

  /// Whether the slot keeps a minimum or maximum (which a removed row can leave stale).
  var isExtreme: Bool { self != .sumInt && self != .sumReal }

  /// The value of an empty slot, as stored bits.
  var identity: Int64 {
    switch self {
    case .sumInt, .sumReal: 0
    case .minInt: Int64.max
    case .maxInt: Int64.min
    case .minReal: Int64(bitPattern: Double.infinity.bitPattern)
    case .maxReal: Int64(bitPattern: (-Double.infinity).bitPattern)
    }
  }

  func merge(_ a: Int64, _ b: Int64) -> Int64 {
    switch self {
    case .sumInt: a &+ b
    case .sumReal:
      Int64(
        bitPattern: (Double(bitPattern: UInt64(bitPattern: a)) + Double(bitPattern: UInt64(bitPattern: b))).bitPattern)
    case .minInt: Swift.min(a, b)
    case .maxInt: Swift.max(a, b)
    case .minReal:
      Double(bitPattern: UInt64(bitPattern: a)) <= Double(bitPattern: UInt64(bitPattern: b)) ? a : b
    case .maxReal:
      Double(bitPattern: UInt64(bitPattern: a)) >= Double(bitPattern: UInt64(bitPattern: b)) ? a : b
    }
  }
}

/// Monthly accumulators per entity (a partner, or a region for market data), in calendar-year
/// blocks of 12 months × `slotCount` slots, allocated only for the years an entity has facts in.
///
/// A block is contiguous, so one fact updates nearby memory and a scope merges whole blocks.
struct SeriesStore {
  let kinds: [SlotKind]
  var slotCount: Int { kinds.count }
  var blockSize: Int { 12 * kinds.count }
  private(set) var data: [Int64] = []
  private var identityBlock: [Int64]
  /// Per entity: the first year with a block, and the block number of each year from it (-1 = none).
  private(set) var firstYear: [Int32] = []
  private(set) var blocks: [[Int32]] = []

  init(kinds: [SlotKind]) {
    self.kinds = kinds
    var id: [Int64] = []
    for _ in 0..<12 { id += kinds.map(\.identity) }
    identityBlock = id
  }

  mutating func ensureEntity(_ e: Int32) {
    while blocks.count <= Int(e) {
      blocks.append([])
      firstYear.append(0)
    }
  }

  /// The offset of slot 0 of `month` for entity `e`, creating its year block when needed.
  mutating func cell(_ e: Int32, _ month: Int32) -> Int {
    let year = month >= 0 ? month / 12 : (month - 11) / 12
    let mo = Int(month - year * 12)
    let ei = Int(e)
    if ei >= blocks.count { ensureEntity(e) }
    if blocks[ei].isEmpty {
      firstYear[ei] = year
      blocks[ei] = [newBlock()]
    } else if year < firstYear[ei] {
      let shift = Int(firstYear[ei] - year)
      blocks[ei].insert(contentsOf: repeatElement(-1, count: shift), at: 0)
      firstYear[ei] = year
      blocks[ei][0] = newBlock()
    } else {
      let k = Int(year - firstYear[ei])
      if k >= blocks[ei].count { blocks[ei].append(contentsOf: repeatElement(-1, count: k - blocks[ei].count + 1)) }
      if blocks[ei][k] < 0 { blocks[ei][k] = newBlock() }
    }
    let b = Int(blocks[ei][Int(year - firstYear[ei])])
    return b * blockSize + mo * slotCount
  }

  /// The offset of slot 0 of `month` for entity `e`, or nil when it has no block there.
  func existingCell(_ e: Int32, _ month: Int32) -> Int? {
    let ei = Int(e)
    guard ei < blocks.count, !blocks[ei].isEmpty else { return nil }
    let year = month >= 0 ? month / 12 : (month - 11) / 12
    let k = Int(year - firstYear[ei])
    guard k >= 0, k < blocks[ei].count, blocks[ei][k] >= 0 else { return nil }
    return Int(blocks[ei][k]) * blockSize + Int(month - year * 12) * slotCount
  }

  private mutating func newBlock() -> Int32 {
    let b = Int32(data.count / blockSize)
    data.append(contentsOf: identityBlock)
    return b
  }

  mutating func add(_ offset: Int, _ slot: Int, _ delta: Int64) { data[offset + slot] &+= delta }

  mutating func addReal(_ offset: Int, _ slot: Int, _ delta: Double) {
    let i = offset + slot
    data[i] = Int64(bitPattern: (Double(bitPattern: UInt64(bitPattern: data[i])) + delta).bitPattern)
  }

  mutating func combine(_ offset: Int, _ slot: Int, _ value: Int64) {
    let i = offset + slot
    data[i] = kinds[slot].merge(data[i], value)
  }

  /// Resets one slot of every block of an entity to empty (before it is rebuilt from the facts).
  mutating func clear(_ e: Int32, slot: Int) {
    guard Int(e) < blocks.count else { return }
    let id = kinds[slot].identity
    for b in blocks[Int(e)] where b >= 0 {
      for mo in 0..<12 { data[Int(b) * blockSize + mo * slotCount + slot] = id }
    }
  }

  /// Calls `body(month, offset)` for every month of every block of entity `e`, in month order.
  func forEachMonth(_ e: Int32, _ body: (Int32, Int) -> Void) {
    guard Int(e) < blocks.count else { return }
    let fy = firstYear[Int(e)]
    for (k, b) in blocks[Int(e)].enumerated() where b >= 0 {
      let year = fy + Int32(k)
      for mo in 0..<12 { body(year * 12 + Int32(mo), Int(b) * blockSize + mo * slotCount) }
    }
  }

  /// The months spanned by entity `e`'s blocks.
  func span(_ e: Int32) -> ClosedRange<Int32>? {
    guard Int(e) < blocks.count, !blocks[Int(e)].isEmpty else { return nil }
    let fy = firstYear[Int(e)]
    return (fy * 12)...((fy + Int32(blocks[Int(e)].count)) * 12 - 1)
  }
}

extension SeriesStore {
  /// Writes the blocks (for an engine snapshot).
  func write(to w: inout SnapshotWriter) throws {
    try w.array(data)
    try w.array(firstYear)
    try w.lists(blocks)
  }

  /// Reads what `write` wrote, for the same slot kinds; with none (accumulators of another
  /// catalog), only reads past it.
  static func read(kinds: [SlotKind]?, from r: inout SnapshotReader) throws(SnapshotError) -> SeriesStore? {
    let data = try r.array(Int64.self)
    let firstYear = try r.array(Int32.self)
    let blocks = try r.lists("the snapshot's accumulators are inconsistent")
    guard let kinds else { return nil }
    var s = SeriesStore(kinds: kinds)
    try s.take(data: data, firstYear: firstYear, blocks: blocks)
    return s
  }

  private mutating func take(data: [Int64], firstYear: [Int32], blocks: [[Int32]]) throws(SnapshotError) {
    let blockCount = blockSize == 0 ? 0 : data.count / blockSize
    // Years stay far inside what a month index (`Int32`) can hold.
    guard blockSize == 0 ? data.isEmpty : data.count % blockSize == 0, blocks.count == firstYear.count,
      firstYear.allSatisfy({ abs(Int($0)) <= 1_000_000 }), blocks.allSatisfy({ $0.count <= 1_000_000 }),
      blocks.allSatisfy({ $0.allSatisfy { $0 >= -1 && $0 < blockCount } })
    else { throw SnapshotError("the snapshot's accumulators are inconsistent") }
    self.data = data
    self.firstYear = firstYear
    self.blocks = blocks
  }
}
