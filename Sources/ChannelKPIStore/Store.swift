/// The one way in to persistence: facts, definitions, reviews, approvals, and the change log, behind
/// which the embedded SQLite store and the shared PostgreSQL store both stand. Callers hold an
/// `any Store`; only `StoreLocation.open` names an implementation.
public protocol Store: FactStore, ProgramStore, IncentiveStore, AccessStore, AlertStore, WebhookStore, ChangeFeed,
  CustomStringConvertible
{
  /// Ends the store's connections and background work; it cannot be used afterwards.
  func close() async throws

  /// Where the engine snapshot of this store is kept: next to an embedded database file; nil
  /// for a store that keeps none (PostgreSQL, a database in memory).
  var snapshotPath: String? { get }

  /// The file that holds the database, for an embedded one; nil for PostgreSQL and a database in
  /// memory.
  var databaseFile: String? { get }

  /// When the change at `position` committed: what tells this store's history from another's
  /// that reached the same position. Nil when the log no longer holds that change.
  func changeStamp(at position: Int64) async throws -> Double?
}

extension Store {
  /// Whether the store holds any part of a program: facts, definitions, reviews or imports.
  public func holdsProgram() async throws -> Bool {
    if try await hasFacts() { return true }
    return !(try await archive().isEmpty)
  }
}
