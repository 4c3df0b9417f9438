import ChannelKPIStore
import Logging
import ServiceLifecycle

/// Keeps a service's engine in step with the store while the server runs: on every signal of
/// the store's change feed (a PostgreSQL notification, or SQLite's short poll) it applies what
/// other instances and commands committed.
struct ChangeFollower: Service {
  let service: KPIService
  let logger: Logger

  func run() async throws {
    for await _ in service.store.changeSignals().cancelOnGracefulShutdown() {
      do {
        try await service.catchUp()
      } catch {
        logger.warning(
          "could not apply the store's latest changes", metadata: ["error": "\(StoreError.describe(error))"])
      }
    }
  }
}
