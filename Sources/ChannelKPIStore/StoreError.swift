/// Why a store refused an operation.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The operation needs an empty store (moving a program in).
  case notEmpty(String)
  /// The database could not be reached or set up.
  case unavailable(String)

  public var description: String {
    switch self {
    case .notEmpty(let m), .unavailable(let m): m
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
