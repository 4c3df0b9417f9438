import ChannelKPI
import Foundation
import GRDB
import Testing

@testable import ChannelKPIStore

/// A first big import, by a process that opened the file for it alone, into a file with no facts
/// goes through a rollback journal rather than the write-ahead log, and the file is in WAL mode
/// again afterwards, with its usual syncing, whether the import committed or failed. Any other
/// case (facts already stored, another connection open, a source that shares the store, as a
/// server's upload does) keeps the log.
struct BulkJournalTests {
  typealias Source = ReadAheadImportTests.Source

  /// A source that notes, when the store first reads it (after the store chose its journal),
  /// whether the database's write-ahead log file is there.
  final class Watching: RecordSource {
    let inner: Source
    let wal: String
    let soleWriter: Bool
    private(set) var walDuringImport: Bool?
    var readsAhead: Bool { true }

    init(_ inner: Source, database: String, soleWriter: Bool = true) {
      self.inner = inner
      wal = database + "-wal"
      self.soleWriter = soleWriter
    }

    func next() throws -> FactRecord? {
      if walDuringImport == nil { walDuringImport = FileManager.default.fileExists(atPath: wal) }
      return try inner.next()
    }
  }

  static func temporaryDatabase() throws -> (dir: URL, path: String) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bulk-journal-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return (dir, dir.appendingPathComponent("facts.sqlite").path)
  }

  static func journalMode(_ store: SQLiteStore) async throws -> String? {
    try await store.writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
  }

  /// The writer connection's `synchronous`: 1 (NORMAL) is the store's, 2 (FULL) the import's.
  static func synchronous(_ store: SQLiteStore) async throws -> Int? {
    try await store.writer.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
  }

  /// What a first import that did not go in leaves: no facts, no journal, the file in WAL mode
  /// and the connection's syncing (NORMAL) put back.
  static func expectUntouched(_ store: SQLiteStore, path: String) async throws {
    #expect(try await journalMode(store) == "wal")
    #expect(try await synchronous(store) == 1)
    #expect(try await store.counts().values.reduce(0, +) == 0)
    #expect(!FileManager.default.fileExists(atPath: path + "-journal"))
  }

  @Test func aFirstImportLeavesTheLogAndComesBackToIt() async throws {
    let (dir, path) = try Self.temporaryDatabase()
    defer { try? FileManager.default.removeItem(at: dir) }
    let store = try SQLiteStore(path: path)
    // A read first: the pool keeps an idle reader connection, which must not stop the switch.
    #expect(try await store.counts().values.reduce(0, +) == 0)
    #expect(FileManager.default.fileExists(atPath: path + "-wal"))
    var source = Watching(Source(count: 10_000, distinct: 10_000), database: path)
    #expect(try await store.upsert(from: &source).rows == 10_001)
    #expect(source.walDuringImport == false)
    #expect(try await Self.journalMode(store) == "wal")
    #expect(try await Self.synchronous(store) == 1)
    #expect(try await store.counts()[.deals] == 10_000)
    #expect(try await store.writer.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") } == "ok")

    // The next import finds facts stored: it goes through the log.
    var next = Watching(Source(count: 100, distinct: 100), database: path)
    _ = try await store.upsert(from: &next)
    #expect(next.walDuringImport == true)
    try await store.close()
  }

  /// A first import that fails stores nothing and leaves the file in WAL mode.
  @Test func aFailedFirstImportStoresNothingAndKeepsWALMode() async throws {
    let (dir, path) = try Self.temporaryDatabase()
    defer { try? FileManager.default.removeItem(at: dir) }
    let store = try SQLiteStore(path: path)
    let inner = Source(count: 20_000, distinct: 20_000)
    inner.throwAfter = 15_000
    var failing = Watching(inner, database: path)
    await #expect(throws: ReadAheadImportTests.Failure(after: 15_000)) { _ = try await store.upsert(from: &failing) }
    #expect(failing.walDuringImport == false)
    try await Self.expectUntouched(store, path: path)
    try await store.close()
  }

  /// A first import that does not fit on the disk (the writer's file capped at a few pages more
  /// than it holds) is refused as full, with the rollback journal, and leaves no facts, no journal
  /// and the file in WAL mode.
  @Test func aFirstImportOnAFullDiskStoresNothing() async throws {
    let (dir, path) = try Self.temporaryDatabase()
    defer { try? FileManager.default.removeItem(at: dir) }
    let store = try SQLiteStore(path: path)
    try await store.writer.write { db in
      let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
      _ = try Int.fetchOne(db, sql: "PRAGMA max_page_count = \(pages + 16)")
    }
    var source = Watching(Source(count: 20_000, distinct: 20_000), database: path)
    do {
      _ = try await store.upsert(from: &source)
      Issue.record("the import fitted")
    } catch let e as DatabaseError {
      #expect(e.resultCode == .SQLITE_FULL, "\(e)")
    }
    #expect(source.walDuringImport == false)
    try await Self.expectUntouched(store, path: path)
    try await store.close()
  }

  /// A big source that shares the store (a server's upload, say) keeps the log, facts or none.
  @Test func aSourceThatSharesTheStoreKeepsTheLog() async throws {
    let (dir, path) = try Self.temporaryDatabase()
    defer { try? FileManager.default.removeItem(at: dir) }
    let store = try SQLiteStore(path: path)
    var source = Watching(Source(count: 1_000, distinct: 1_000), database: path, soleWriter: false)
    #expect(try await store.upsert(from: &source).rows == 1_001)
    #expect(source.walDuringImport == true)
    try await store.close()
  }

  /// Another connection to the file (a server, say) keeps the import on the log, at once: the
  /// switch is not waited for (a wait would take the store's 30 s busy timeout).
  @Test func anotherConnectionKeepsTheLog() async throws {
    let (dir, path) = try Self.temporaryDatabase()
    defer { try? FileManager.default.removeItem(at: dir) }
    let other = try SQLiteStore(path: path)
    #expect(try await other.counts().values.reduce(0, +) == 0)
    let store = try SQLiteStore(path: path)
    var source = Watching(Source(count: 1_000, distinct: 1_000), database: path)
    let started = Date()
    #expect(try await store.upsert(from: &source).rows == 1_001)
    #expect(Date().timeIntervalSince(started) < 20)
    #expect(source.walDuringImport == true)
    #expect(try await other.counts()[.deals] == 1_000)
    try await store.close()
    try await other.close()
  }

  /// Facts in any table keep the log, even when the import writes to other tables only.
  @Test func factsInAnyTableKeepTheLog() async throws {
    let (dir, path) = try Self.temporaryDatabase()
    defer { try? FileManager.default.removeItem(at: dir) }
    let store = try SQLiteStore(path: path)
    _ = try await store.upsert([
      Source.valid(.market, ["emea", "2025-01", "1000.00"])
    ])
    #expect(try await store.hasFacts())
    var source = Watching(Source(count: 100, distinct: 100), database: path)
    _ = try await store.upsert(from: &source)
    #expect(source.walDuringImport == true)
    try await store.close()
  }
}
