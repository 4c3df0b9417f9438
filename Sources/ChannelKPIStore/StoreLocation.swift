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

  /// Removes a SQLite database file with its write-ahead log, shared-memory files and engine snapshot.
  public static func removeSQLiteFiles(at path: String) {
    for suffix in ["", "-wal", "-shm", ".snapshot"] { try? FileManager.default.removeItem(atPath: path + suffix) }
  }

  /// Opens the store, creating the schema or bringing it up to date.
  public func open(logger: Logger = Logger(label: "channelkpi.store")) async throws -> any Store {
    switch self {
    case .sqlite(let path): try SQLiteStore(path: path)
    case .postgres(let url): try await PostgresStore(url: url, logger: logger)
    }
  }
}

/// Why a database location cannot be used.
public struct StoreLocationError: Error, Sendable, Hashable, CustomStringConvertible {
  public var message: String
  public var description: String { message }
  public init(message: String) { self.message = message }
}
