import Foundation
import GRDB
import Testing

@testable import ChannelKPIStore

/// A store on a file checkpoints its write-ahead log on a thread of its own: a commit only asks,
/// unless the log is past the ceiling. In WAL mode the database file grows only by checkpoints,
/// which is what these tests watch.
struct CheckpointerTests {
  /// Commits 60 transactions of about 25 pages each (1,500 pages of log in all).
  static func fill(_ store: SQLiteStore) async throws {
    try await store.writer.write { db in try db.execute(sql: "CREATE TABLE filler (x BLOB)") }
    for _ in 0..<60 {
      try await store.writer.write { db in try db.execute(sql: "INSERT INTO filler VALUES (randomblob(100000))") }
    }
  }

  static func size(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
  }

  static let filled = 60 * 100_000

  @Test func theThreadCopiesTheLogIntoTheDatabase() async throws {
    let (dir, path) = try BulkJournalTests.temporaryDatabase()
    defer { try? FileManager.default.removeItem(at: dir) }
    let checkpointer = SQLiteCheckpointer(path: path)
    let store = try SQLiteStore(path: path, checkpointer: checkpointer)
    try await Self.fill(store)
    let deadline = ContinuousClock.now + .seconds(20)
    while checkpointer.checkpoints.runs == 0, ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(20))
    }
    #expect(checkpointer.checkpoints.runs >= 1)
    // What the checkpoint copied has gone into the database file: it was asked for at 1,000 pages
    // of log or more, and a transaction writes fewer than 50 (its blob's 25 overflow pages, the
    // pages above them), so at least 20 blobs were in the log.
    #expect(Self.size(path) >= 20 * 100_000)
    try await store.close()
    // The pool's connection was the last one: it checkpointed the rest and removed the log.
    #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    #expect(Self.size(path) >= Self.filled)
    let reopened = try SQLiteStore(path: path)
    #expect(try await reopened.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM filler") } == 60)
    try await reopened.close()
  }

  @Test func aCommitDoesNotCheckpointBelowTheCeiling() async throws {
    let (dir, path) = try BulkJournalTests.temporaryDatabase()
    defer { try? FileManager.default.removeItem(at: dir) }
    // Never asks for the thread, and the ceiling is out of reach.
    let checkpointer = SQLiteCheckpointer(path: path, threshold: 1_000_000, ceiling: 1_000_000)
    let store = try SQLiteStore(path: path, checkpointer: checkpointer)
    let before = Self.size(path)
    try await Self.fill(store)
    // SQLite's own checkpoint at 1,000 pages would have grown the file by 4 MB or more.
    #expect(Self.size(path) == before)
    #expect(Self.size(path + "-wal") >= Self.filled)
    #expect(checkpointer.checkpoints.runs == 0)
    try await store.close()
    #expect(Self.size(path) >= Self.filled)
  }

  @Test func aCommitPastTheCeilingCheckpointsItself() async throws {
    let (dir, path) = try BulkJournalTests.temporaryDatabase()
    defer { try? FileManager.default.removeItem(at: dir) }
    let checkpointer = SQLiteCheckpointer(path: path, threshold: 1_000_000, ceiling: 500)
    let store = try SQLiteStore(path: path, checkpointer: checkpointer)
    try await Self.fill(store)
    // The commits past 500 pages copied the log themselves, before they returned.
    #expect(Self.size(path) >= 500 * 4096)
    #expect(checkpointer.checkpoints.runs == 0)
    try await store.close()
  }
}
