import Foundation
import GRDB
import Testing

@testable import ChannelKPIStore

/// A store on a file checkpoints its write-ahead log on a thread of its own: a commit only asks,
/// unless the log is past the ceiling. In WAL mode the database file grows only by checkpoints,
/// which is what these tests watch.
struct CheckpointerTests {
  /// Commits `count` transactions of 25 to 30 pages each (a blob's 25 overflow pages and the
  /// pages above them): 60 make more than 1,500 pages of log.
  static func fill(_ store: SQLiteStore, count: Int = 60) async throws {
    try await store.writer.write { db in try db.execute(sql: "CREATE TABLE filler (x BLOB)") }
    for _ in 0..<count {
      try await store.writer.write { db in try db.execute(sql: "INSERT INTO filler VALUES (randomblob(100000))") }
    }
  }

  /// Runs `body` on a store opened on a new file with a checkpointer of these thresholds, then
  /// removes the file's directory.
  static func withStore(
    threshold: Int32 = 1000, ceiling: Int32 = 64_000,
    _ body: (_ path: String, SQLiteCheckpointer, SQLiteStore) async throws -> Void
  ) async throws {
    let (dir, path) = try BulkJournalTests.temporaryDatabase()
    defer { try? FileManager.default.removeItem(at: dir) }
    let checkpointer = SQLiteCheckpointer(path: path, threshold: threshold, ceiling: ceiling)
    try await body(path, checkpointer, try SQLiteStore(path: path, checkpointer: checkpointer))
  }

  static let filled = 60 * 100_000

  @Test func theThreadCopiesTheLogIntoTheDatabase() async throws {
    try await Self.withStore { path, checkpointer, store in
      try await Self.fill(store)
      let deadline = ContinuousClock.now + .seconds(20)
      while checkpointer.checkpoints.complete == 0, ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(20))
      }
      #expect(checkpointer.checkpoints.complete >= 1)
      // What the checkpoint copied has gone into the database file: it was asked for at 1,000 pages
      // of log or more, and a transaction writes fewer than 50 (its blob's 25 overflow pages, the
      // pages above them), so at least 20 blobs were in the log.
      #expect(CSVReader.size(of: path) >= 20 * 100_000)
      try await store.close()
      // No reader was opened, so the writer's connection was the file's last: it checkpointed the
      // rest and removed the log.
      #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
      #expect(CSVReader.size(of: path) >= Self.filled)
      let reopened = try SQLiteStore(path: path)
      #expect(try await reopened.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM filler") } == 60)
      try await reopened.close()
    }
  }

  @Test func aCommitDoesNotCheckpointBelowTheCeiling() async throws {
    // Never asks for the thread, and the ceiling is out of reach.
    try await Self.withStore(threshold: 1_000_000, ceiling: 1_000_000) { path, checkpointer, store in
      let before = CSVReader.size(of: path)
      try await Self.fill(store)
      // SQLite's own checkpoint at 1,000 pages would have grown the file by 4 MB or more.
      #expect(CSVReader.size(of: path) == before)
      #expect(CSVReader.size(of: path + "-wal") >= Self.filled)
      #expect(checkpointer.checkpoints.runs == 0)
      try await store.close()
      #expect(CSVReader.size(of: path) >= Self.filled)
    }
  }

  @Test func aCommitPastTheCeilingCheckpointsItself() async throws {
    try await Self.withStore(threshold: 1_000_000, ceiling: 200) { path, checkpointer, store in
      let before = CSVReader.size(of: path)
      // 15 commits of at most 30 pages, after the schema's few: well below the 1,000 pages at which
      // SQLite itself would checkpoint, so only a commit past the ceiling can have grown the file.
      try await Self.fill(store, count: 15)
      #expect(CSVReader.size(of: path) >= before + 100_000)
      #expect(checkpointer.checkpoints.runs == 0)
      try await store.close()
    }
  }
}
