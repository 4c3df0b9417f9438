import ChannelKPI
import ChannelKPIServer
import ChannelKPIStore
import Crypto
import Foundation
import Hummingbird
import Logging
import Testing

/// What a test receiver got, and how it answers: 500 to the first `failures` requests, then 200.
private actor Receiver {
  var failures: Int
  var received: [(headers: [String: String], body: Data)] = []
  init(failures: Int) { self.failures = failures }

  func take(_ headers: [String: String], _ body: Data) -> HTTPResponse.Status {
    received.append((headers, body))
    return received.count <= failures ? .internalServerError : .ok
  }
}

/// A clock the test moves.
private final class DeliveryClock: @unchecked Sendable {
  private let lock = NSLock()
  private var t: Int64 = 1_800_000_000
  var now: Int64 { lock.withLock { t } }
  func advance(_ s: Int64) { lock.withLock { t += s } }
}

/// HMAC-SHA256 written out from RFC 2104 over SHA-256 alone, to check the server's signature
/// with a second method: H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)).
private func independentHMAC(key: Data, message: Data) -> String {
  var k = [UInt8](key.count > 64 ? Data(SHA256.hash(data: key)) : key)
  k += [UInt8](repeating: 0, count: 64 - k.count)
  let inner = Data(SHA256.hash(data: Data(k.map { $0 ^ 0x36 }) + message))
  let outer = SHA256.hash(data: Data(k.map { $0 ^ 0x5c }) + inner)
  return outer.map { String(format: "%02x", $0) }.joined()
}

@Suite struct WebhookDeliveryTests {
  /// Runs a receiver on an ephemeral port for the length of `body`.
  private static func withReceiver(_ receiver: Receiver, _ body: (String) async throws -> Void) async throws {
    let router = Router()
    router.post("/hook") { request, _ -> Response in
      var headers: [String: String] = [:]
      for f in request.headers { headers[f.name.canonicalName] = f.value }
      let data = Data(buffer: try await request.body.collect(upTo: 1 << 20))
      return Response(status: await receiver.take(headers, data))
    }
    var logger = Logger(label: "webhook-receiver")
    logger.logLevel = .critical
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let app = Application(
      router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
      onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
    let task = Task { try await app.runService(gracefulShutdownSignals: []) }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next() else {
      task.cancel()
      Issue.record("the receiver did not start")
      return
    }
    do { try await body("http://127.0.0.1:\(port)/hook") } catch {
      task.cancel()
      throw error
    }
    task.cancel()
    _ = await task.result
  }

  @Test func aFiringAlertIsPostedSignedRetriedAndResumedAfterARestart() async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("channelkpi-hooks-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("facts.sqlite").path
    let receiver = Receiver(failures: 2)
    let clock = DeliveryClock()
    var logger = Logger(label: "webhook-tests")
    logger.logLevel = .critical
    try await Self.withReceiver(receiver) { url in
      let store = try SQLiteStore(path: path)
      try await APIAlertTests.seed(store, notify: ["ops"])
      _ = try await store.addWebhook(
        Webhook(name: "ops", url: url, secret: "s3cret-for-tests", createdAt: "t", createdBy: "tests"))
      let service = try await KPIService(
        store: store, today: { Day(iso: Fixture.today)! }, logger: logger)
      // Two lost June deals drop P1's win rate: the change to firing is recorded with its delivery.
      var lost: [FactRecord] = []
      for id in ["D20", "D21"] {
        lost.append(
          try RecordValidator.validate(
            .deals, texts: [id, "P1", nil, "sourced", "2025-06-01", nil, nil, "lost", "2025-06-20", "1000", nil]
          ).get())
      }
      let result = try await service.ingest(lost, table: .deals)
      #expect(result.alerts.map(\.to) == [.firing])
      let queued = try await store.deliveries(webhook: "ops", limit: 10)
      #expect(queued.map(\.state) == ["pending"] && queued.first?.event == result.alerts.first?.id)

      // First attempt: 500, retried 30 s later; nothing is due before then.
      let dispatcher = WebhookDispatcher(store: store, baseURL: "https://kpi.example.com", logger: logger) { clock.now }
      let client = WebhookDispatcher.client()
      #expect(try await dispatcher.deliverDue(client: client) == 1)
      var log = try await store.deliveries(webhook: "ops", limit: 10)
      #expect(log.first?.state == "pending" && log.first?.lastStatus == 500 && log.first?.attempts == 1)
      #expect(log.first?.nextAttemptAt == clock.now + 30)
      #expect(try await dispatcher.deliverDue(client: client) == 0)
      clock.advance(30)
      #expect(try await dispatcher.deliverDue(client: client) == 1)
      log = try await store.deliveries(webhook: "ops", limit: 10)
      #expect(log.first?.attempts == 2 && log.first?.nextAttemptAt == clock.now + 60)
      try await client.shutdown()
      try await store.close()

      // A restart: a new store connection and dispatcher pick up the pending delivery.
      let reopened = try SQLiteStore(path: path)
      let restarted = WebhookDispatcher(store: reopened, baseURL: "https://kpi.example.com", logger: logger) {
        clock.now
      }
      let client2 = WebhookDispatcher.client()
      clock.advance(60)
      #expect(try await restarted.deliverDue(client: client2) == 1)
      try await client2.shutdown()
      log = try await reopened.deliveries(webhook: "ops", limit: 10)
      #expect(log.first?.state == "delivered" && log.first?.lastStatus == 200 && log.first?.attempts == 3)
      #expect(log.first?.deliveredAt == clock.now)
      try await reopened.close()
    }

    let received = await receiver.received
    #expect(received.count == 3)
    // Every attempt carries the same body and signature; the signature checks with a second HMAC.
    #expect(Set(received.map(\.body)).count == 1)
    let body = try #require(received.last?.body)
    let signature = try #require(received.last?.headers["x-channelkpi-signature"])
    #expect(signature == "sha256=" + independentHMAC(key: Data("s3cret-for-tests".utf8), message: body))
    #expect(signature != "sha256=" + independentHMAC(key: Data("another secret".utf8), message: body))
    let json = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
    let alert = try #require(json["alert"] as? [String: Any])
    #expect(json["kind"] as? String == "alert.firing")
    #expect(alert["rule"] as? String == "win_rate_drop" && alert["scope"] as? String == "partner:P1")
    #expect(alert["from"] as? String == "ok" && alert["to"] as? String == "firing")
    #expect(alert["period"] as? String == "2025-Q2" && alert["value"] as? Double == 0.25)
    #expect(alert["severity"] as? String == "critical")
    #expect(json["link"] as? String == "https://kpi.example.com/alerts/\(alert["id"] as? Int ?? -1)")
    #expect(received.last?.headers["content-type"] == "application/json")
  }
}
