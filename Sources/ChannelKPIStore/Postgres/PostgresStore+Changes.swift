import Foundation
import PostgresNIO

extension PostgresStore {
  /// How often an instance looks at the log even without a notification (a notification sent
  /// while its listening connection was being re-opened is not lost for longer than this).
  static let pollInterval: Duration = .seconds(2)

  public func changeStamp(at position: Int64) async throws -> Double? {
    try await column(
      "SELECT EXTRACT(EPOCH FROM committed_at)::float8 FROM changes WHERE position = \(position)", as: Double.self
    ).first
  }

  public func latestChange() async throws -> Int64 {
    try await column("SELECT position FROM change_counter WHERE id = 1", as: Int64.self).first ?? 0
  }

  public func changes(after position: Int64, limit: Int) async throws -> [StoreChange] {
    var out: [StoreChange] = []
    let rows = try await client.query(
      "SELECT position, kind, payload FROM changes WHERE position > \(position) ORDER BY position LIMIT \(limit)",
      logger: logger)
    for try await (p, kind, payload) in rows.decode((Int64, String, String).self) {
      out.append(ChangePayload.change(position: p, kind: kind, payload: payload))
    }
    return out
  }

  /// A signal for every notification on the change channel (LISTEN on a connection of the pool,
  /// opened again when it drops), one when listening (re)starts, and one every poll interval.
  public func changeSignals() -> AsyncStream<Void> {
    let client = client
    let logger = logger
    return signals.make { continuation in
      let listener = Task {
        while !Task.isCancelled {
          do {
            try await client.withConnection { conn in
              try await conn.listen(on: PostgresSchema.channel) { notifications in
                continuation.yield()
                for try await _ in notifications { continuation.yield() }
              }
            }
          } catch {
            if Task.isCancelled { break }
            logger.warning(
              "listening for changes failed; trying again", metadata: ["error": "\(PostgresStore.describe(error))"])
            try? await Task.sleep(for: .seconds(1))
          }
        }
      }
      let poller = Task {
        while !Task.isCancelled {
          try? await Task.sleep(for: Self.pollInterval)
          continuation.yield()
        }
      }
      return [listener, poller]
    }
  }
}
