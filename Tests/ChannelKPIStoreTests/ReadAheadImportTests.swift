import ChannelKPI
import ChannelKPIStore
import Foundation
import GRDB
import Testing

/// A big source is read on a thread of its own, ahead of the writes: the store must see the
/// same records in the same order, and a failure on either side must store nothing.
struct ReadAheadImportTests {
  struct Failure: Error, Equatable { var after: Int }

  /// `count` deals of partner P1 (after the partner), amounts 1, 2, 3…; deal keys repeat every
  /// `distinct`, so the last row of a key is the one that must win.
  final class Source: RecordSource {
    let count: Int
    let distinct: Int
    var throwAfter: Int?
    var breakAt: Int?
    private(set) var reads = 0
    var readsAhead: Bool { true }

    init(count: Int, distinct: Int) {
      self.count = count
      self.distinct = distinct
    }

    func next() throws -> FactRecord? {
      defer { reads += 1 }
      if reads == 0 {
        return Self.valid(.partners, ["P1", "One", "reseller", "emea", nil, nil, "2024-01-01", nil, nil])
      }
      let i = reads - 1
      if let t = throwAfter, i == t { throw Failure(after: t) }
      guard i < count else { return nil }
      let deal = Self.valid(
        .deals,
        ["D\(i % distinct)", "P1", nil, "sourced", "2025-01-02", nil, nil, "won", "2025-01-03", "\(i + 1)", nil])
      guard i == breakAt else { return deal }
      // A record the database refuses (a required column left out), as a writer failure.
      var values = deal.values
      values[3] = .absent
      return FactRecord(table: .deals, values: values)
    }

    static func valid(_ table: CanonicalTable, _ texts: [String?]) -> FactRecord {
      switch RecordValidator.validate(table, texts: texts) {
      case .success(let r): return r
      case .failure(let e): fatalError("\(e)")
      }
    }
  }

  @Test func everyRecordArrivesInOrder() async throws {
    let store = try SQLiteStore(DatabaseQueue())
    // Over three batches of 4,096 and a bit; keys repeat, so order decides every amount.
    var source = Source(count: 3 * 4096 + 5, distinct: 1000)
    let written = try await store.upsert(from: &source)
    #expect(written.rows == 3 * 4096 + 5 + 1)
    #expect(try await store.counts()[.deals] == 1000)
    let amounts = Locked<[String: Int64]>([:])
    try await store.forEachRow(of: [.deals]) { r in
      if case .string(let id) = r.values[0], case .money(let cents) = r.values[9] {
        amounts.withLock { $0[id] = cents }
      }
    }
    // Key D(k) last appears at i = the largest i < 12,293 with i % 1000 == k; its amount is i + 1.
    let got = amounts.withLock { $0 }
    #expect(got["D0"] == Int64(12_001 * 100))
    #expect(got["D292"] == Int64(12_293 * 100))
    #expect(got["D293"] == Int64(11_294 * 100))
    #expect(got.count == 1000)
  }

  /// Rows are written 32 to a statement: a key repeated inside one statement keeps its last row
  /// too, and the rows after the last full statement (100 = 3 × 32 + 4) are written one by one.
  @Test func keysRepeatedWithinOneStatementKeepTheirLastRow() async throws {
    let store = try SQLiteStore(DatabaseQueue())
    var source = Source(count: 100, distinct: 7)
    #expect(try await store.upsert(from: &source).rows == 101)
    let collected = Locked<[String: Int64]>([:])
    try await store.forEachRow(of: [.deals]) { r in
      if case .string(let id) = r.values[0], case .money(let cents) = r.values[9] {
        collected.withLock { $0[id] = cents }
      }
    }
    let amounts = collected.withLock { $0 }
    // D(k) last appears at the largest i ≤ 99 with i % 7 == k: 98, 99, 93, 94, 95, 96, 97.
    #expect(amounts == ["D0": 9_900, "D1": 10_000, "D2": 9_400, "D3": 9_500, "D4": 9_600, "D5": 9_700, "D6": 9_800])
  }

  /// The source fails after 5,000 deals (as an import with bad rows does): the error arrives,
  /// nothing is stored, and the source is not read past it.
  @Test func aFailingSourceStoresNothing() async throws {
    let store = try SQLiteStore(DatabaseQueue())
    var source = Source(count: 20_000, distinct: 20_000)
    source.throwAfter = 5_000
    await #expect(throws: Failure(after: 5_000)) { _ = try await store.upsert(from: &source) }
    #expect(try await store.counts().values.reduce(0, +) == 0)
    #expect(source.reads == 5_002)
  }

  /// The database refuses a record at 6,000: the reader stops soon after (it is at most a few
  /// batches ahead), nothing is stored, and the store takes the next write.
  @Test func aWriterFailureStopsTheReader() async throws {
    let store = try SQLiteStore(DatabaseQueue())
    var source = Source(count: 200_000, distinct: 200_000)
    source.breakAt = 6_000
    await #expect(throws: (any Error).self) { _ = try await store.upsert(from: &source) }
    #expect(try await store.counts().values.reduce(0, +) == 0)
    #expect(source.reads < 6_000 + 7 * 4096)
    var again = Source(count: 10, distinct: 10)
    #expect(try await store.upsert(from: &again).rows == 11)
  }

  /// Fact tables keep no index by partner (the engine finds a partner's rows): a database made
  /// before v9 loses its index when opened, its rows intact, and a failed load after it leaves a
  /// consistent database.
  @Test func factTablesKeepNoPartnerIndex() async throws {
    let queue = try DatabaseQueue()
    func partnerIndexes() async throws -> [String] {
      try await queue.read { db in
        try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%_partner'")
      }
    }
    var source = Source(count: 10_000, distinct: 10_000)
    _ = try await SQLiteStore(queue).upsert(from: &source)
    #expect(try await partnerIndexes() == [])
    // Back to the layout of v8.
    try await queue.write { db in
      try db.execute(sql: "CREATE INDEX deals_partner ON deals (partner_id)")
      try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier LIKE 'v9:%'")
    }
    #expect(try await partnerIndexes() == ["deals_partner"])
    let store = try SQLiteStore(queue)
    #expect(try await partnerIndexes() == [])
    #expect(try await store.counts()[.deals] == 10_000)
    var failing = Source(count: 20_000, distinct: 20_000)
    failing.throwAfter = 15_000
    await #expect(throws: Failure(after: 15_000)) { _ = try await store.upsert(from: &failing) }
    #expect(try await store.counts()[.deals] == 10_000)
    let check = try await queue.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
    #expect(check == "ok")
  }
}

/// The progress of an import over several files counts the bytes of the files already read.
struct ImportProgressTests {
  @Test func progressCountsEveryFileReadBefore() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("progress-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    // Two partner files of 5,000 rows each: every 4,096th row reports.
    var paths: [String] = []
    var sizes: [Int] = []
    for f in 0..<2 {
      var text = "partner_id,name,type,region,country,tier,joined_on,left_on,manager\n"
      for i in 0..<5000 { text += "P\(f)-\(i),Partner \(i),reseller,emea,,,2024-01-01,,\n" }
      let path = dir.appendingPathComponent("partners\(f).csv").path
      try text.write(toFile: path, atomically: true, encoding: .utf8)
      paths.append(path)
      sizes.append(text.utf8.count)
    }
    let source = CSVImportSource(
      files: paths.map { ImportFile(path: $0, table: .partners) }, known: [:], options: ImportOptions())
    var reports: [(done: Int, total: Int, rows: Int)] = []
    source.progress = { reports.append(($0, $1, $2)) }
    while try source.next() != nil {}
    // Rows 4,096 (in the first file) and 8,192 (the 3,192nd of the second), then the end.
    #expect(reports.map(\.rows) == [4096, 8192, 10_000])
    #expect(reports.allSatisfy { $0.total == sizes[0] + sizes[1] })
    #expect(reports[0].done < sizes[0])
    // The second report has the whole first file behind it, and part of the second.
    #expect(reports[1].done > sizes[0] && reports[1].done < sizes[0] + sizes[1])
    #expect(reports[2].done == sizes[0] + sizes[1])
  }
}
