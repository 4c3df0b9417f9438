public import AsyncHTTPClient
public import ChannelKPIStore
public import Foundation
public import Logging
import NIOCore
import NIOHTTP1
public import ServiceLifecycle

/// Posts the queued webhook deliveries while the server runs. A delivery is queued with the alert
/// change it tells of, in one transaction, so a restart loses none: the next instance to run
/// claims what is due and goes on. Failed attempts (no answer, or not 2xx) are retried with a
/// growing delay for about a day; every attempt is logged in the store with its status.
public struct WebhookDispatcher: Service {
  let store: any Store
  let baseURL: String?
  let interval: Duration
  let logger: Logger
  /// Seconds since 1970; a test moves it on to make retries due.
  let now: @Sendable () -> Int64

  public init(
    store: any Store, baseURL: String?, interval: Duration = .seconds(1), logger: Logger,
    now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
  ) {
    self.store = store
    self.baseURL = baseURL
    self.interval = interval
    self.logger = logger
    self.now = now
  }

  public func run() async throws {
    let client = Self.client()
    while !Task.isCancelled && !Task.isShuttingDownGracefully {
      do {
        _ = try await deliverDue(client: client)
      } catch {
        logger.warning("webhook deliveries not sent", metadata: ["error": "\(StoreError.describe(error))"])
      }
      // A shutdown (SIGINT, SIGTERM) ends the wait at once rather than after it.
      try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
    }
    try? await client.shutdown()
  }

  /// A client that never follows a redirect (a webhook's address is what was registered).
  public static func client() -> HTTPClient {
    var configuration = HTTPClient.Configuration()
    configuration.redirectConfiguration = .disallow
    configuration.timeout = .init(connect: .seconds(5), read: .seconds(10))
    return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
  }

  /// Sends what is due now (only delivery `only`, when given); returns how many attempts were
  /// made. A few at a time, each claimed for longer than sending them all can take (15 s each at
  /// most), so no other server takes one over while it is being sent.
  @discardableResult
  public func deliverDue(client: HTTPClient, only: Int64? = nil) async throws -> Int {
    let claimed = try await store.claimDeliveries(now: now(), limit: 5, lease: 120, only: only)
    for c in claimed { try await attempt(c, client: client) }
    return claimed.count
  }

  func attempt(_ c: ClaimedDelivery, client: HTTPClient) async throws {
    let body = try WebhookPayload.body(c, baseURL: baseURL)
    var request = HTTPClientRequest(url: c.url)
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/json")
    request.headers.add(name: "User-Agent", value: "ChannelKPI-Webhook")
    request.headers.add(name: "X-ChannelKPI-Delivery", value: "\(c.delivery.id)")
    request.headers.add(name: "X-ChannelKPI-Signature", value: WebhookPayload.signature(body, secret: c.secret))
    request.body = .bytes(ByteBuffer(bytes: body))
    var status: Int?
    var failure: String?
    do {
      let response = try await client.execute(request, timeout: .seconds(10))
      status = Int(response.status.code)
      // Read (and drop) the answer, so the connection can be reused.
      _ = try? await response.body.collect(upTo: 64 * 1024)
    } catch {
      failure = "\(error)".prefix(300).description
    }
    let t = now()
    let delivered = status.map { (200..<300).contains($0) } ?? false
    var retryAt: Int64?
    if !delivered {
      let first = c.delivery.firstAttemptAt ?? t
      let next = t + WebhookPayload.backoff(attempts: c.delivery.attempts + 1)
      if next - first <= WebhookPayload.giveUpAfter { retryAt = next }
    }
    try await store.recordAttempt(
      delivery: c.delivery.id, at: t, status: status,
      error: failure ?? status.flatMap { delivered ? nil : "HTTP \($0)" },
      delivered: delivered, retryAt: retryAt)
    logger.info(
      "webhook delivery attempted",
      metadata: [
        "webhook": "\(c.delivery.webhook)", "delivery": "\(c.delivery.id)",
        "status": "\(status.map(String.init) ?? "none")",
        "delivered": "\(delivered)", "retry_at": "\(retryAt.map(String.init) ?? "none")",
      ])
  }
}
