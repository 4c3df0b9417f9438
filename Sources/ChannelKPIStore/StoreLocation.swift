import Foundation
public import Logging

/// Where a program is stored: a SQLite file, or a PostgreSQL database given by URL.
public enum StoreLocation: Sendable, Hashable, CustomStringConvertible {
  case sqlite(path: String)
  case postgres(PostgresURL)

  /// Reads `--database`: a `postgres://` or `postgresql://` URL means PostgreSQL, anything else
  /// is the path of a SQLite file.
  public init(_ text: String) throws(StoreLocationError) {
    let lower = text.lowercased()
    if lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://") {
      self = .postgres(try PostgresURL(text))
    } else if text.isEmpty {
      throw StoreLocationError(message: "the database is empty: give a file path or a postgres:// URL")
    } else {
      self = .sqlite(path: text)
    }
  }

  /// The location as it may be printed and logged: a URL without its password.
  public var description: String {
    switch self {
    case .sqlite(let path): path
    case .postgres(let url): url.description
    }
  }

  /// Removes a SQLite database file with its write-ahead log or rollback journal, shared-memory
  /// file and engine snapshot.
  public static func removeSQLiteFiles(at path: String) {
    for suffix in ["", "-wal", "-journal", "-shm", ".snapshot"] {
      try? FileManager.default.removeItem(atPath: path + suffix)
    }
  }

  /// Opens the store, creating the schema or bringing it up to date. `snapshot` is where an
  /// instance on PostgreSQL keeps its engine snapshot (none when nil); a SQLite database keeps
  /// its own next to its file, and is given none.
  public func open(snapshot: String? = nil, logger: Logger = Logger(label: "channelkpi.store")) async throws
    -> any Store
  {
    switch self {
    case .sqlite(let path):
      if snapshot != nil { throw StoreLocationError.snapshotOfSQLite(path) }
      return try SQLiteStore(path: path)
    case .postgres(let url): return try await PostgresStore(url: url, snapshot: snapshot, logger: logger)
    }
  }
}

/// Why a database location cannot be used.
public struct StoreLocationError: Error, Sendable, Hashable, CustomStringConvertible {
  public var message: String
  public var description: String { message }
  public init(message: String) { self.message = message }

  /// A snapshot file named for a SQLite database, which keeps its own.
  public static func snapshotOfSQLite(_ path: String) -> StoreLocationError {
    StoreLocationError(
      message:
        "a snapshot file is for PostgreSQL databases; the SQLite database \(path) keeps its snapshot next to it (\(path).snapshot)"
    )
  }
}
