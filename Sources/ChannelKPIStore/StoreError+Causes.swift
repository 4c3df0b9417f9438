import GRDB
import PostgresNIO

extension StoreError {
  /// The error a database gave, told as a `StoreError` naming `database` when its cause is one
  /// people can act on: the database is full, read-only, or cannot be opened or reached. Nil for
  /// any other error (a rejected import, a bug), which keeps its own handling.
  public init?(classifying error: any Error, database: String) {
    switch error {
    case let e as StoreError:
      self = e
    case let e as DatabaseError:
      guard let cause = Self.sqlite(e, database) else { return nil }
      self = cause
    case let e as PostgresTransactionError:
      guard let inner = e.closureError ?? e.commitError ?? e.beginError,
        let cause = StoreError(classifying: inner, database: database)
      else { return nil }
      self = cause
    case let e as PSQLError:
      guard let cause = Self.postgres(e, database) else { return nil }
      self = cause
    default:
      return nil
    }
  }

  private static func sqlite(_ e: DatabaseError, _ database: String) -> StoreError? {
    switch e.resultCode {
    case .SQLITE_FULL:
      .full(
        "the database \(database) is full: its disk has no room left (or the database reached its size limit), "
          + "so nothing of this write was stored")
    case .SQLITE_READONLY:
      .readOnly(
        "the database \(database) is read-only: this process may not write to it (check the owner and permissions "
          + "of the file and of its directory, and that its disk is not mounted read-only); nothing was stored")
    case .SQLITE_CANTOPEN:
      .unavailable(
        "cannot open the database \(database): it, or its -wal or -shm file beside it, cannot be opened or created "
          + "(check that its directory exists and that this process may read and write there)")
    case .SQLITE_BUSY:
      .unavailable(
        "the database \(database) is locked by another connection (an import into it, say): "
          + "this operation was not done; try again when that one has finished")
    case .SQLITE_IOERR:
      .unavailable(
        "the database \(database) could not be read or written: the disk reported an input/output error "
          + "(\(e.message ?? "SQLite error"), result code \(e.extendedResultCode.rawValue))")
    default:
      nil
    }
  }

  private static func postgres(_ e: PSQLError, _ database: String) -> StoreError? {
    switch e.code {
    case .server:
      switch e.serverInfo?[.sqlState] {
      case "53100":
        .full(
          "the database \(database) is full: PostgreSQL has no room left on its disk; nothing of this write was stored")
      case "25006":
        .readOnly(
          "the database \(database) is read-only (a standby, or default_transaction_read_only is on): nothing was stored"
        )
      default:
        nil
      }
    case .connectionError, .serverClosedConnection, .poolClosed, .uncleanShutdown:
      .unavailable("cannot reach the database \(database): \(describe(e))")
    default:
      nil
    }
  }
}
