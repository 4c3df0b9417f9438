/// The one way in to persistence: facts, definitions, reviews, approvals, and the change log, behind
/// which the embedded SQLite store and the shared PostgreSQL store both stand. Callers hold an
/// `any Store`; only `StoreLocation.open` names an implementation.
public protocol Store: FactStore, ProgramStore, IncentiveStore, AccessStore, AlertStore, WebhookStore, ChangeFeed,
  CustomStringConvertible
{
  /// Ends the store's connections and background work; it cannot be used afterwards.
  func close() async throws
}

extension Store {
  /// Whether the store holds any part of a program: facts, definitions, reviews or imports.
  public func holdsProgram() async throws -> Bool {
    if try await counts().values.contains(where: { $0 > 0 }) { return true }
    return !(try await archive().isEmpty)
  }
}
