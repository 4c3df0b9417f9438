/// Why an engine snapshot cannot be read (the caller then loads from the store instead).
public struct SnapshotError: Error, Sendable, Equatable, CustomStringConvertible {
  public let message: String
  /// Whether the bytes themselves may be at fault (false when a whole snapshot simply does not
  /// fit this engine: another format, other definitions, other columns).
  public let mayBeDamaged: Bool
  public init(_ message: String) {
    self.message = message
    mayBeDamaged = true
  }
  private init(mismatch message: String) {
    self.message = message
    mayBeDamaged = false
  }
  /// A snapshot that may be whole but is not for this engine.
  static func mismatch(_ message: String) -> SnapshotError { SnapshotError(mismatch: message) }
  public var description: String { message }
  public static func == (a: SnapshotError, b: SnapshotError) -> Bool { a.message == b.message }
}

/// Writes a snapshot's bytes to wherever the caller sends them (the core does no I/O).
public struct SnapshotWriter {
  public let send: (UnsafeRawBufferPointer) throws -> Void

  public init(_ send: @escaping (UnsafeRawBufferPointer) throws -> Void) { self.send = send }

  public mutating func int(_ v: Int) throws {
    var x = Int64(v).littleEndian
    try withUnsafeBytes(of: &x) { try send($0) }
  }

  /// A count, then the elements' bytes as they lie in memory.
  mutating func array<T: BitwiseCopyable>(_ a: [T]) throws {
    try int(a.count)
    try a.withUnsafeBytes { try send($0) }
  }

  /// Lists of rows: their lengths, then their elements end to end.
  mutating func lists(_ l: [[Int32]]) throws {
    try array(l.map { Int64($0.count) })
    try array(l.flatMap { $0 })
  }
}

/// Reads a snapshot's bytes from wherever the caller takes them: `fill` must fill the whole
/// buffer or throw.
public struct SnapshotReader {
  public let fill: (UnsafeMutableRawBufferPointer) throws -> Void
  /// Arrays longer than this are refused as corrupt (the file would be absurdly big).
  static let maximumCount = 1 << 34

  public init(_ fill: @escaping (UnsafeMutableRawBufferPointer) throws -> Void) { self.fill = fill }

  public mutating func int() throws(SnapshotError) -> Int {
    var x: Int64 = 0
    do { try withUnsafeMutableBytes(of: &x) { try fill($0) } } catch { throw SnapshotError("the snapshot ends early") }
    return Int(Int64(littleEndian: x))
  }

  mutating func array<T: BitwiseCopyable>(_: T.Type) throws(SnapshotError) -> [T] {
    let n = try int()
    guard n >= 0, n <= Self.maximumCount / MemoryLayout<T>.stride else {
      throw SnapshotError("the snapshot holds an impossible length")
    }
    do {
      return try [T](unsafeUninitializedCapacity: n) { b, count in
        try fill(UnsafeMutableRawBufferPointer(b))
        count = n
      }
    } catch { throw SnapshotError("the snapshot ends early") }
  }

  /// The sum of counts read from a snapshot, or -1 when it overflows (so it matches no length).
  static func total(_ counts: [Int64]) -> Int64 {
    var sum: Int64 = 0
    for c in counts {
      let (s, overflow) = sum.addingReportingOverflow(c)
      if overflow { return -1 }
      sum = s
    }
    return sum
  }

  /// Lists `SnapshotWriter.lists` wrote; `problem` says what is wrong when their lengths do not add up.
  mutating func lists(_ problem: String) throws(SnapshotError) -> [[Int32]] {
    let counts = try array(Int64.self)
    let flat = try array(Int32.self)
    guard counts.allSatisfy({ $0 >= 0 && $0 <= Int64(flat.count) }), Self.total(counts) == Int64(flat.count) else {
      throw SnapshotError(problem)
    }
    var lists: [[Int32]] = []
    lists.reserveCapacity(counts.count)
    var at = 0
    for c in counts {
      lists.append(Array(flat[at..<at + Int(c)]))
      at += Int(c)
    }
    return lists
  }
}

/// An engine's loaded facts (columns, dictionaries, key index) and, when every row is applied,
/// its accumulators, taken by `KPIEngine.facts()`. Writing them and reading them into a new engine
/// of a compatible catalog gives the engine a load from the store would give; without
/// accumulators of its catalog, it builds them on its first read.
public struct EngineFacts: Sendable {
  let pools: [StringPool]
  let domains: [String]
  let tables: [FactColumns]
  let keepsKeys: Bool
  let rowByCode: [CodeIndex]
  let rowByComposite: [CompositeIndex]
  let rowsByEntity: [[[Int32]]]
  let coverage: ClosedRange<Int32>?
  let activity: ClosedRange<Int32>?
  let accumulators: EngineAccumulators?

  /// Rows of every table.
  public var rowCount: Int { tables.reduce(0) { $0 + $1.count } }

  public func write(to w: inout SnapshotWriter) throws {
    try w.int(KPIEngine.snapshotFormat)
    try w.int(domains.count)
    for (d, pool) in zip(domains, pools) {
      try w.array(Array(d.utf8))
      try pool.write(to: &w)
    }
    for t in tables { try t.write(to: &w) }
    try w.int(keepsKeys ? 1 : 0)
    if keepsKeys {
      for codes in rowByCode { try codes.write(to: &w) }
      for composite in rowByComposite { try composite.write(to: &w) }
      for lists in rowsByEntity { try w.lists(lists) }
    }
    for range in [coverage, activity] {
      try w.array(range.map { [Int64($0.lowerBound), Int64($0.upperBound)] } ?? [])
    }
    try w.int(accumulators == nil ? 0 : 1)
    try accumulators?.write(to: &w)
  }
}

extension KPIEngine {
  /// The layout of the snapshot bytes; a change to it or to how values are encoded bumps it.
  public static let snapshotFormat = 4

  /// The engine's facts as they are now, to write as a snapshot elsewhere (another thread) while
  /// the engine goes on: the arrays are shared until either side changes them.
  public func facts() -> EngineFacts {
    EngineFacts(
      pools: pools, domains: domainIndex.sorted { $0.value < $1.value }.map(\.key), tables: tables,
      keepsKeys: keepsKeys, rowByCode: rowByCode, rowByComposite: rowByComposite, rowsByEntity: rowsByEntity,
      coverage: coverage, activity: activity, accumulators: accumulators())
  }

  /// Fills a new engine (nothing loaded yet) from a snapshot. Refused, leaving the caller to load
  /// from the store, when the snapshot was written in another format, lacks a column this engine
  /// keeps, or its dictionaries do not extend the ones this engine's catalog made.
  public func readSnapshot(from r: inout SnapshotReader) throws(SnapshotError) {
    guard tables.allSatisfy({ $0.count == 0 }) else { throw SnapshotError.mismatch("the engine already holds facts") }
    let format = try r.int()
    guard format == Self.snapshotFormat else {
      throw SnapshotError.mismatch("the snapshot is in format \(format), this build reads \(Self.snapshotFormat)")
    }
    let n = try r.int()
    guard n >= 0, n < 10_000 else { throw SnapshotError("the snapshot holds an impossible length") }
    var readPools: [StringPool] = []
    var readIndex: [String: Int] = [:]
    for i in 0..<n {
      let name = String(decoding: try r.array(UInt8.self), as: UTF8.self)
      readIndex[name] = i
      readPools.append(try StringPool(reading: &r))
    }
    // Literals of this engine's catalog were coded first: the snapshot must agree on them.
    for (domain, i) in domainIndex {
      guard let j = readIndex[domain], j == i, pools[i].isPrefix(of: readPools[j]) else {
        throw SnapshotError.mismatch("the snapshot was made with other definitions")
      }
    }
    var readTables = tables
    for i in readTables.indices { try readTables[i].read(from: &r) }
    // Every code must name a string of its dictionary.
    for t in readTables {
      for (i, c) in t.schema.columns.enumerated() where t.kept[i] && c.type.isString {
        let limit = readIndex[c.domain].map { Int32(readPools[$0].count) } ?? 0
        if let codes = t.columns[i].range, codes.lowerBound < 0 || codes.upperBound >= limit {
          throw SnapshotError("\(t.table.rawValue).\(c.name) of the snapshot names strings it does not hold")
        }
      }
    }
    let hasKeys = try r.int() == 1
    guard hasKeys || !keepsKeys else { throw SnapshotError.mismatch("the snapshot has no key index") }
    var byCode = rowByCode
    var byComposite = rowByComposite
    var byEntity = rowsByEntity
    if hasKeys {
      for i in byCode.indices { byCode[i] = try CodeIndex(reading: &r, count: readTables[i].count) }
      for (i, t) in readTables.enumerated() {
        // Only tables keyed by several columns have rows in it.
        byComposite[i] = try CompositeIndex(reading: &r, rows: t.schema.keyIndexes.count > 1 ? t.count : 0)
      }
      for i in byEntity.indices { byEntity[i] = try r.lists("a partner index of the snapshot is inconsistent") }
    }
    // Rows by partner are kept only for tables with minimums or maximums, which may differ
    // between the catalog that wrote the snapshot and this one: missing ones are found when needed.
    var missing = entityRowsMissing
    for (i, t) in readTables.enumerated() where keepsKeys {
      if !keepsEntityRows[i] { byEntity[i] = [] }
      missing[i] = keepsEntityRows[i] && byEntity[i].isEmpty && t.count > 0
    }
    var ranges: [ClosedRange<Int32>?] = []
    for _ in 0..<2 {
      let v = try r.array(Int64.self)
      guard v.isEmpty || (v.count == 2 && v[0] <= v[1]) else {
        throw SnapshotError("the snapshot's dates are inconsistent")
      }
      ranges.append(v.isEmpty ? nil : Int32(truncatingIfNeeded: v[0])...Int32(truncatingIfNeeded: v[1]))
    }
    // Every row must point inside the tables it indexes.
    for (i, t) in readTables.enumerated() where hasKeys {
      let n = Int32(t.count)
      if byEntity[i].contains(where: { $0.contains { $0 < 0 || $0 >= n } }) {
        throw SnapshotError("a key index of the snapshot points past \(t.table.rawValue)")
      }
    }
    let accumulators: EngineAccumulators?
    switch try r.int() {
    case 0: accumulators = nil
    case 1: accumulators = try EngineAccumulators.read(from: &r, for: self)
    default: throw SnapshotError("the snapshot is inconsistent after its dates")
    }
    pools = readPools
    domainIndex = readIndex
    tables = readTables
    if keepsKeys {
      rowByCode = byCode
      rowByComposite = byComposite
      rowsByEntity = byEntity
      entityRowsMissing = missing
    }
    coverage = ranges[0]
    activity = ranges[1]
    if let accumulators { restore(accumulators) }
  }

  /// Each entity's rows of a table, read from its entity column.
  static func entityLists(of t: FactColumns) -> [[Int32]] {
    var lists: [[Int32]] = []
    t.columns[entityColumn(t.table)].forEach(from: 0, count: t.count) { r, e in
      guard e >= 0 else { return }
      if Int(e) >= lists.count { lists.append(contentsOf: repeatElement([], count: Int(e) - lists.count + 1)) }
      lists[Int(e)].append(Int32(r))
    }
    return lists
  }
}
