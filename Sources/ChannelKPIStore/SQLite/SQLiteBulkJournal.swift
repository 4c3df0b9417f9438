import ChannelKPI
import GRDB
import GRDBSQLite

/// The first big import into a database with no facts, by a process that opened the database
/// for that import alone (`channelkpi import`, the benchmark's import), is written with a
/// rollback journal instead of the write-ahead log.
///
/// In WAL mode every page of the import is written twice: into the log during the transaction
/// (which cannot be checkpointed before it commits, so the log grows to the size of the data),
/// then into the database by the checkpoint. With a rollback journal, pages appended to the file
/// are written once and the journal keeps only the few pages that existed before; a crash leaves a
/// journal that the next connection rolls back, so the import stays all-or-nothing.
///
/// Only when nothing else has the file open: leaving WAL mode needs every other connection closed
/// (a server, another command). Otherwise, or when any fact table holds rows, or when any step
/// of the switch fails, the import goes through the log as before; it never waits for the switch.
/// A server never asks for it: its own readers share the file and rely on WAL mode.
struct SQLiteBulkJournal {
  /// The connection's `synchronous` setting before the import, put back with WAL mode.
  private let synchronous: Int

  /// Switches `db` to a rollback journal when it may; nil when the import should use the log.
  static func begin(_ db: Database) -> SQLiteBulkJournal? {
    guard case .timeout = db.configuration.busyMode,
      pragma(db, "PRAGMA journal_mode") == "wal",
      (try? SQLiteStore.hasFacts(db)) == false,
      let synchronous = pragma(db, "PRAGMA synchronous").flatMap({ Int($0) }),
      // Synced at every step, from the rewrite of the file's header that the switch makes on: a
      // rollback journal is safe from power loss only so.
      pragma(db, "PRAGMA synchronous = FULL") != nil
    else { return nil }
    sqlite3_busy_timeout(db.sqliteConnection, 0)
    defer { restoreBusyTimeout(db) }
    // Refused (SQLITE_BUSY) while another connection has the file open.
    guard pragma(db, "PRAGMA journal_mode = DELETE") == "delete" else {
      _ = pragma(db, "PRAGMA synchronous = \(synchronous)")
      return nil
    }
    return SQLiteBulkJournal(synchronous: synchronous)
  }

  /// Back to WAL mode, then to the connection's syncing before the import. When the switch back
  /// cannot be made now, the connection stays fully synced with its rollback journal (safe, only
  /// slower), and the next connection to open the file puts it in WAL mode (every store
  /// connection asks for it).
  func end(_ db: Database) {
    guard Self.pragma(db, "PRAGMA journal_mode = WAL") == "wal" else { return }
    _ = Self.pragma(db, "PRAGMA synchronous = \(synchronous)")
  }

  /// Runs a pragma through SQLite itself and returns the text of its first row, if any; nil when
  /// it fails. Not through GRDB, which refuses every statement once the task that holds the
  /// connection is cancelled: the file must go back to WAL mode all the same.
  private static func pragma(_ db: Database, _ sql: String) -> String? {
    var statement: OpaquePointer?
    guard sqlite3_prepare_v2(db.sqliteConnection, sql, -1, &statement, nil) == SQLITE_OK else { return nil }
    defer { sqlite3_finalize(statement) }
    switch sqlite3_step(statement) {
    case SQLITE_ROW: return sqlite3_column_text(statement, 0).map { String(cString: $0) } ?? ""
    case SQLITE_DONE: return ""
    default: return nil
    }
  }

  private static func restoreBusyTimeout(_ db: Database) {
    guard case .timeout(let seconds) = db.configuration.busyMode else { return }
    sqlite3_busy_timeout(db.sqliteConnection, Int32(seconds * 1000))
  }
}
