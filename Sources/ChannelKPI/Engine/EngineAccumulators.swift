/// The accumulators of an engine with every row applied, as a snapshot carries them, so that a
/// start from the snapshot need not run every fact through the measures again.
///
/// They are laid out by the compiled catalog (which slot holds which measure, which sets exist),
/// so they carry its fingerprint: an engine of other definitions ignores them and builds its own.
struct EngineAccumulators: Sendable {
  let fingerprint: UInt64
  let partnerSeries: SeriesStore
  let regionSeries: SeriesStore
  let partnerAllTime: [Int64]
  let regionAllTime: [Int64]
  let lists: [ListKey: [Int64]]
  let setCounts: [[Int32]]

  func write(to w: inout SnapshotWriter) throws {
    try w.int(Int(Int64(bitPattern: fingerprint)))
    try partnerSeries.write(to: &w)
    try regionSeries.write(to: &w)
    try w.array(partnerAllTime)
    try w.array(regionAllTime)
    let keys = Array(lists.keys)
    try w.array(keys.map(\.measure))
    try w.array(keys.map(\.entity))
    try w.array(keys.map(\.month))
    try w.array(keys.map { Int64(lists[$0]!.count) })
    try w.array(keys.flatMap { lists[$0]! })
    try w.int(setCounts.count)
    for counts in setCounts { try w.array(counts) }
  }

  /// Reads what `write` wrote, when its fingerprint is `engine`'s; nil (having read past it) when
  /// the catalog differs.
  static func read(from r: inout SnapshotReader, for engine: KPIEngine) throws(SnapshotError) -> EngineAccumulators? {
    let fingerprint = UInt64(bitPattern: Int64(try r.int()))
    // Accumulators of other definitions are read past, not checked against this catalog's layout.
    let mine = fingerprint == engine.catalogFingerprint
    let partnerSeries = try SeriesStore.read(kinds: mine ? engine.acc.partnerSeries.kinds : nil, from: &r)
    let regionSeries = try SeriesStore.read(kinds: mine ? engine.acc.regionSeries.kinds : nil, from: &r)
    let partnerAllTime = try r.array(Int64.self)
    let regionAllTime = try r.array(Int64.self)
    let (measures, entities, months) = (try r.array(Int32.self), try r.array(Int32.self), try r.array(Int32.self))
    let counts = try r.array(Int64.self)
    let flat = try r.array(Int64.self)
    guard entities.count == measures.count, months.count == measures.count, counts.count == measures.count,
      counts.allSatisfy({ $0 > 0 && $0 <= Int64(flat.count) }), SnapshotReader.total(counts) == Int64(flat.count)
    else { throw SnapshotError("the snapshot's accumulators are inconsistent") }
    let setCount = try r.int()
    guard setCount >= 0, setCount < 100_000 else { throw SnapshotError("the snapshot holds an impossible length") }
    var setCounts: [[Int32]] = []
    for _ in 0..<setCount { setCounts.append(try r.array(Int32.self)) }
    guard let partnerSeries, let regionSeries else { return nil }
    let allTime = engine.acc.allTimeKinds.count
    guard setCounts.count == engine.compiled.sets.count,
      allTime == 0
        ? partnerAllTime.isEmpty && regionAllTime.isEmpty
        : partnerAllTime.count % allTime == 0 && regionAllTime.count % allTime == 0,
      measures.allSatisfy({ $0 >= 0 && Int($0) < engine.compiled.measures.count })
    else { throw SnapshotError.mismatch("the snapshot's accumulators do not fit its catalog") }
    var lists: [ListKey: [Int64]] = [:]
    lists.reserveCapacity(measures.count)
    var at = 0
    for i in measures.indices {
      let n = Int(counts[i])
      lists[ListKey(measure: measures[i], entity: entities[i], month: months[i])] = Array(flat[at..<at + n])
      at += n
    }
    return EngineAccumulators(
      fingerprint: fingerprint, partnerSeries: partnerSeries, regionSeries: regionSeries,
      partnerAllTime: partnerAllTime, regionAllTime: regionAllTime, lists: lists, setCounts: setCounts)
  }
}

extension KPIEngine {
  /// A digest of what lays out the accumulators (the compiled measures and sets), the same in
  /// every process of a build for the same definitions (FNV-1a over their full description).
  var catalogFingerprint: UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in String(reflecting: (compiled.measures, compiled.sets)).utf8 {
      h = (h ^ UInt64(byte)) &* 0x100_0000_01b3
    }
    return h
  }

  /// Rows held but not yet run through the measures (`finishLoading` applies them): none after a
  /// snapshot restored with its accumulators.
  public var rowsToApply: Int { tables.indices.reduce(0) { $0 + tables[$1].count - applied[$1] } }

  /// The accumulators, when every row is applied and no extreme waits to be rebuilt.
  func accumulators() -> EngineAccumulators? {
    guard acc.dirty.isEmpty, tables.indices.allSatisfy({ applied[$0] == tables[$0].count }) else { return nil }
    return EngineAccumulators(
      fingerprint: catalogFingerprint, partnerSeries: acc.partnerSeries, regionSeries: acc.regionSeries,
      partnerAllTime: acc.partnerAllTime, regionAllTime: acc.regionAllTime, lists: acc.lists, setCounts: setCounts)
  }

  /// Takes restored accumulators: every restored row counts as applied.
  func restore(_ a: EngineAccumulators) {
    acc.partnerSeries = a.partnerSeries
    acc.regionSeries = a.regionSeries
    acc.partnerAllTime = a.partnerAllTime
    acc.regionAllTime = a.regionAllTime
    acc.lists = a.lists
    acc.dirty = []
    acc.scopes = nil
    setCounts = a.setCounts
    for i in tables.indices { applied[i] = tables[i].count }
  }
}
