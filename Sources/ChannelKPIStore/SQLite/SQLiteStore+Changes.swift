import Foundation
import GRDB

extension SQLiteStore {
  /// How often servers on one SQLite file look for each other's changes.
  static let pollInterval: Duration = .milliseconds(500)

  /// The last committed change's position.
  static func position(_ db: Database) throws -> Int64 {
    try Int64.fetchOne(db.cachedStatement(sql: "SELECT position FROM change_counter WHERE id = 1")) ?? 0
  }

  /// Appends an entry to the change log inside the current write transaction (SQLite has one
  /// writer at a time, so positions are contiguous and in commit order) and prunes old entries.
  static func logChange(_ db: Database, _ entry: (ChangeKind, String)) throws -> Int64 {
    // Statements kept prepared: every ingested batch logs a change.
    try db.cachedStatement(sql: "UPDATE change_counter SET position = position + 1 WHERE id = 1").execute()
    let position = try Self.position(db)
    let now = Date().timeIntervalSince1970
    // Pruning takes only a prefix of the log, so that a reader never meets a hole in the middle.
    try db.cachedStatement(
      sql: """
        DELETE FROM changes WHERE position < COALESCE(
          (SELECT MIN(position) FROM changes WHERE committed_at >= ?), ?)
        """
    ).execute(arguments: [now - ChangeRetention.seconds, position])
    try db.cachedStatement(sql: "INSERT INTO changes (position, kind, payload, committed_at) VALUES (?, ?, ?, ?)")
      .execute(arguments: [position, entry.0.rawValue, entry.1, now])
    return position
  }

  public var snapshotPath: String? { databaseFile.map { $0 + ".snapshot" } }

  public var databaseFile: String? { path == ":memory:" ? nil : path }

  public func changeStamp(at position: Int64) async throws -> Double? {
    try await writer.read { db in
      try Double.fetchOne(db, sql: "SELECT committed_at FROM changes WHERE position = ?", arguments: [position])
    }
  }

  public func latestChange() async throws -> Int64 {
    try await writer.read { db in try Self.position(db) }
  }

  public func changes(after position: Int64, limit: Int) async throws -> [StoreChange] {
    try await writer.read { db in
      try Row.fetchAll(
        db, sql: "SELECT position, kind, payload FROM changes WHERE position > ? ORDER BY position LIMIT ?",
        arguments: [position, limit]
      ).map { row in ChangePayload.change(position: row["position"], kind: row["kind"], payload: row["payload"]) }
    }
  }

  /// SQLite cannot notify: a short poll. The streams end when the store closes.
  public func changeSignals() -> AsyncStream<Void> {
    signals.make { continuation in
      [
        Task {
          while !Task.isCancelled {
            try? await Task.sleep(for: Self.pollInterval)
            continuation.yield()
          }
        }
      ]
    }
  }
}
