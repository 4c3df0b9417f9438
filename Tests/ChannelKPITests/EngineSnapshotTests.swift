import ChannelKPI
import Testing

/// An engine read from a snapshot computes what the engine it was written from computes, on
/// random programs (duplicate keys, partners that change type), and takes later upserts alike.
struct EngineSnapshotTests {
  static func bytes(of engine: KPIEngine) throws -> [UInt8] {
    var out: [UInt8] = []
    var w = SnapshotWriter { out.append(contentsOf: $0) }
    try engine.facts().write(to: &w)
    return out
  }

  static func reader(_ bytes: [UInt8]) -> SnapshotReader {
    var at = 0
    return SnapshotReader { buffer in
      guard at + buffer.count <= bytes.count else { throw SnapshotError("short") }
      bytes[at..<at + buffer.count].withUnsafeBytes { buffer.copyMemory(from: $0) }
      at += buffer.count
    }
  }

  static func everything(_ e: KPIEngine) throws -> [Double?] {
    try e.compute(ComputeRequest(by: .partner, grain: .quarter)).values
      + e.compute(ComputeRequest(by: .type, grain: .month)).values
  }

  @Test(arguments: 1...12)
  func aSnapshotComputesTheSame(seed: UInt64) throws {
    let catalog = try CatalogCompiler.compile(.builtin)
    let program = RandomProgram(seed: seed).records
    let half = program.count / 2
    let original = KPIEngine(catalog: catalog)
    original.load(Array(program[..<half]))
    // Rows upserted after the first read replace rows in place and move partners' rows.
    _ = try Self.everything(original)
    original.upsert(Array(program[half...]))
    // As a server leaves it after every write (a removed extreme rebuilt, nothing pending).
    original.prepareForReads()
    let restored = KPIEngine(catalog: catalog)
    var r = Self.reader(try Self.bytes(of: original))
    try restored.readSnapshot(from: &r)
    // The accumulators came with the facts: nothing is left to run through the measures.
    #expect(restored.rowsToApply == 0 && restored.partners() == original.partners())
    #expect(try Self.everything(restored) == Self.everything(original))
    // Both take the same later writes (the key index came through).
    let again = RandomProgram(seed: seed + 1000).records.filter { $0.table != .partners }
      .filter { r in r.table.schema.partnerColumn.map { r.values[$0] == program[0].values[0] } ?? true }
    original.upsert(program[..<half].reversed() + again)
    restored.upsert(program[..<half].reversed() + again)
    #expect(try Self.everything(restored) == Self.everything(original))
    // A read-only engine (fewer columns, no key index) reads it too.
    let readOnly = KPIEngine(catalog: catalog, keepsKeys: false)
    var r2 = Self.reader(try Self.bytes(of: original))
    try readOnly.readSnapshot(from: &r2)
    #expect(readOnly.rowsToApply == 0)
    #expect(try Self.everything(readOnly) == Self.everything(original))
    // Written before its first read, an engine has rows to apply: the snapshot then carries facts
    // only, and the restored engine applies them itself.
    let fresh = KPIEngine(catalog: catalog)
    fresh.load(program)
    let late = KPIEngine(catalog: catalog)
    var r3 = Self.reader(try Self.bytes(of: fresh))
    try late.readSnapshot(from: &r3)
    #expect(late.rowsToApply == fresh.rowsToApply && late.rowsToApply > 0)
    #expect(try Self.everything(late) == Self.everything(fresh))
  }

  /// An engine whose dictionaries were sized up front (for too many rows, or too few) computes
  /// what one that grew computes, and its snapshot is read by a new engine.
  @Test(arguments: [(1, 2.0), (2, 0.5), (3, 1.0)] as [(UInt64, Double)])
  func anEngineSizedUpFrontComputesTheSame(seed: UInt64, scale: Double) throws {
    let catalog = try CatalogCompiler.compile(.builtin)
    let program = RandomProgram(seed: seed).records
    var rows: [CanonicalTable: Int] = [:]
    for r in program { rows[r.table, default: 0] += 1 }
    let sized = KPIEngine(catalog: catalog)
    sized.reserve(rows: rows.mapValues { Int(Double($0) * scale) })
    sized.load(program)
    let grown = KPIEngine(catalog: catalog)
    grown.load(program)
    #expect(try Self.everything(sized) == Self.everything(grown))
    let restored = KPIEngine(catalog: catalog)
    var r = Self.reader(try Self.bytes(of: sized))
    try restored.readSnapshot(from: &r)
    #expect(try Self.everything(restored) == Self.everything(grown))
  }

  @Test func snapshotsThatDoNotFitAreRefused() throws {
    let catalog = try CatalogCompiler.compile(.builtin)
    let engine = KPIEngine(catalog: catalog)
    engine.load(RandomProgram(seed: 3).records)
    let bytes = try Self.bytes(of: engine)
    // Cut short anywhere.
    for cut in [0, 8, bytes.count / 3, bytes.count - 1] {
      var r = Self.reader(Array(bytes[..<cut]))
      #expect(throws: SnapshotError.self) { try KPIEngine(catalog: catalog).readSnapshot(from: &r) }
    }
    // Another format.
    var other = bytes
    other[0] = 99
    var r = Self.reader(other)
    #expect(throws: SnapshotError("the snapshot is in format 99, this build reads 4")) {
      try KPIEngine(catalog: catalog).readSnapshot(from: &r)
    }
    // A whole snapshot of another format is not taken for a damaged one; a cut one may be.
    var r4 = Self.reader(other)
    do {
      try KPIEngine(catalog: catalog).readSnapshot(from: &r4)
      Issue.record("another format was read")
    } catch { #expect(!error.mayBeDamaged) }
    var r5 = Self.reader(Array(bytes[..<(bytes.count / 3)]))
    do {
      try KPIEngine(catalog: catalog).readSnapshot(from: &r5)
      Issue.record("a cut snapshot was read")
    } catch { #expect(error.mayBeDamaged) }
    // A read-only engine's snapshot lacks what a server's engine keeps.
    let readOnly = KPIEngine(catalog: catalog, keepsKeys: false)
    readOnly.load(RandomProgram(seed: 3).records)
    var r3 = Self.reader(try Self.bytes(of: readOnly))
    #expect(throws: SnapshotError.self) { try KPIEngine(catalog: catalog).readSnapshot(from: &r3) }
  }

  /// Rows by partner are kept only for tables a minimum or maximum reads. A snapshot written under
  /// a catalog without one on web traffic, read under a catalog with one, finds them again from
  /// the partner column: lowering every month's busiest day then gives what a fresh load gives.
  @Test(arguments: [4, 5] as [UInt64])
  func anExtremeAddedSinceTheSnapshotStillRebuilds(seed: UInt64) throws {
    var withPeak = Catalog.builtin
    withPeak.kpis.append(
      KPIDefinition(
        id: "peak_visits", name: "Busiest day", family: "test", unit: .count, better: .higher, stages: [],
        formula: "max(web_traffic.visits where date in period)"))
    let peakCatalog = try CatalogCompiler.compile(withPeak)
    let program = RandomProgram(seed: seed).records
    let quiet = program.filter { $0.table == .webTraffic }.map { r in
      var q = r
      q.values[CanonicalTable.webTraffic.schema.index["visits"]!] = .int(0)
      return q
    }
    #expect(!quiet.isEmpty)
    let writer = KPIEngine(catalog: try CatalogCompiler.compile(.builtin))
    writer.load(program)
    let restored = KPIEngine(catalog: peakCatalog)
    var r = Self.reader(try Self.bytes(of: writer))
    try restored.readSnapshot(from: &r)
    let fresh = KPIEngine(catalog: peakCatalog)
    fresh.load(program)
    let peaks = ComputeRequest(kpis: ["peak_visits"], by: .partner, grain: .month)
    #expect(try restored.compute(peaks).values == fresh.compute(peaks).values)
    #expect(try fresh.compute(peaks).values.contains { ($0 ?? 0) > 0 })
    restored.upsert(quiet)
    fresh.upsert(quiet)
    let after = try fresh.compute(peaks).values
    #expect(after.allSatisfy { $0 == nil || $0 == 0 })
    #expect(try restored.compute(peaks).values == after)
    #expect(try Self.everything(restored) == Self.everything(fresh))
  }
}
