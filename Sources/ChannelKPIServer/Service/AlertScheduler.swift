import ChannelKPIStore
import Logging
import ServiceLifecycle

/// Evaluates every alert rule on a schedule while the server runs: a period that ends with no
/// new facts (a partner that stopped selling) changes alerts without any write to react to.
/// Evaluation is idempotent, so instances sharing a store may all run it.
struct AlertScheduler: Service {
  let service: KPIService
  let interval: Duration
  let logger: Logger

  func run() async throws {
    while !Task.isCancelled && !Task.isShuttingDownGracefully {
      do {
        try await service.evaluateAllAlerts()
      } catch {
        logger.warning("scheduled alert evaluation failed", metadata: ["error": "\(StoreError.describe(error))"])
      }
      // A shutdown (SIGINT, SIGTERM) ends the wait at once rather than after it.
      try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
    }
  }
}
