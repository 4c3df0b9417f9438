import ChannelKPIStore
import Logging
import ServiceLifecycle

/// Evaluates every alert rule on a schedule while the server runs: a period that ends with no
/// new facts (a partner that stopped selling) changes alerts without any write to react to.
/// Evaluation is idempotent, so instances sharing a store may all run it.
struct AlertScheduler: Service {
  let service: KPIService
  let interval: Duration
  /// Where the day's digests go, sent by the first evaluation of each day.
  var digests = DigestTarget(directory: nil, webhook: nil)
  var baseURL: String?
  let logger: Logger

  func run() async throws {
    while !Task.isCancelled && !Task.isShuttingDownGracefully {
      do {
        try await service.evaluateAllAlerts()
      } catch {
        logger.warning("scheduled alert evaluation failed", metadata: ["error": "\(StoreError.describe(error))"])
      }
      if digests.isSet {
        do {
          let sent = try await service.sendDigests(to: digests, baseURL: baseURL)
          if let sent { logger.info("sent the day's digests", metadata: ["digests": "\(sent)"]) }
        } catch {
          logger.warning("the day's digests failed", metadata: ["error": "\(StoreError.describe(error))"])
        }
      }
      // A shutdown (SIGINT, SIGTERM) ends the wait at once rather than after it.
      try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
    }
  }
}
