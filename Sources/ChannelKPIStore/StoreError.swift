/// Why a store refused an operation.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The operation needs an empty store (moving a program in).
  case notEmpty(String)
  /// The database could not be reached, opened or set up.
  case unavailable(String)
  /// The database has no room for a write (a full disk, or a size limit): nothing of it was stored.
  case full(String)
  /// The database may be read but not written: nothing was stored.
  case readOnly(String)

  public var description: String {
    switch self {
    case .notEmpty(let m), .unavailable(let m), .full(let m), .readOnly(let m): m
    }
  }
}

extension StoreError {
  /// A restore into a store whose table (one of `ProgramArchive.tables`) holds rows.
  static func holds(_ table: String) -> StoreError {
    .notEmpty("the target already holds \(table.replacingOccurrences(of: "_", with: " "))")
  }

  /// Any error a store throws, in words fit for a log or a message: a database's own message
  /// rather than a driver's generic text, and never a query's values or a password.
  public static func describe(_ error: any Error) -> String {
    PostgresStore.describe(error)
  }
}
