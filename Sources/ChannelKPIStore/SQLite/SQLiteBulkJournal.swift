import ChannelKPI
import GRDB
import GRDBSQLite

/// The first big import into a database with no facts is written with a rollback journal
/// instead of the write-ahead log.
///
/// In WAL mode every page of the import is written twice: into the log during the transaction
/// (which cannot be checkpointed before it commits, so the log grows to the size of the data),
/// then into the database by the checkpoint. With a rollback journal, pages appended to the file
/// are written once and the journal keeps only the few pages that existed before; a crash leaves a
/// journal that the next connection rolls back, so the import stays all-or-nothing. The file goes
/// back to WAL mode when the import ends, however it ends.
///
/// Only when nothing else has the file open: leaving WAL mode needs every other connection closed
/// (a server, another command). Otherwise, or when any fact table holds rows, the import goes
/// through the log as before; it is never made to wait for the switch.
struct SQLiteBulkJournal {
  /// Switches `db` to a rollback journal when it may; nil when the import should use the log.
  static func begin(_ db: Database) throws -> SQLiteBulkJournal? {
    guard case .timeout = db.configuration.busyMode,
      try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal",
      try factTablesAreEmpty(db)
    else { return nil }
    sqlite3_busy_timeout(db.sqliteConnection, 0)
    defer { restoreBusyTimeout(db) }
    // Refused (SQLITE_BUSY) while another connection has the file open.
    guard (try? String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")) == "delete" else { return nil }
    // A rollback journal is safe from power loss only when synced at every step.
    try db.execute(sql: "PRAGMA synchronous = FULL")
    return SQLiteBulkJournal()
  }

  /// Back to WAL mode and the store's usual syncing. When the switch cannot be made now, the next
  /// connection to open the file makes it (every store connection asks for WAL mode).
  func end(_ db: Database) {
    try? db.execute(sql: "PRAGMA synchronous = NORMAL")
    _ = try? String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
  }

  static func factTablesAreEmpty(_ db: Database) throws -> Bool {
    let anyRow = CanonicalTable.allCases.map { "SELECT 1 FROM \"\($0.rawValue)\"" }.joined(separator: " UNION ALL ")
    return try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (\(anyRow))") == true
  }

  private static func restoreBusyTimeout(_ db: Database) {
    guard case .timeout(let seconds) = db.configuration.busyMode else { return }
    sqlite3_busy_timeout(db.sqliteConnection, Int32(seconds * 1000))
  }
}
