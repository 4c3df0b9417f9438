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
