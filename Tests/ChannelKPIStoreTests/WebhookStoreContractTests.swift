import ChannelKPI
import ChannelKPIStore
import ChannelKPITestSupport
import Testing

/// Webhooks and their deliveries behave the same on every store: queued with the alert change,
/// claimed by one sender at a time, retried, logged.
@Suite struct WebhookStoreContractTests {
  static func firing(_ scope: String, notify: [String]) -> AlertEvaluation {
    AlertEvaluation(
      rule: "drop", scope: Scope(scope)!, state: .firing, since: Period("2025-Q4")!, period: Period("2025-Q4")!,
      value: 0.2, threshold: 0.3, message: "fell", severity: .critical, notify: notify)
  }

  @Test(arguments: StoreKind.contract) func deliveriesAreQueuedClaimedRetriedAndLogged(_ kind: StoreKind) async throws {
    try await StoreHarness.with(kind) { h in
      let s = h.store
      _ = try await s.addWebhook(
        Webhook(name: "ops", url: "https://a.example/h", secret: "k1", createdAt: "t", createdBy: "me"))
      _ = try await s.addWebhook(
        Webhook(name: "sales", url: "https://b.example/h", secret: "k2", createdAt: "t", createdBy: "me"))
      await #expect(throws: WebhookError.exists("ops")) {
        _ = try await s.addWebhook(
          Webhook(name: "ops", url: "https://c.example", secret: "k", createdAt: "t", createdBy: "me"))
      }
      #expect(try await s.webhooks().map(\.name) == ["ops", "sales"])

      // A change to firing is queued for each webhook the rule names that exists; none for a
      // pending one.
      let events = try await s.recordAlertEvaluations(
        [Self.firing("partner:P1", notify: ["ops", "sales", "nobody"])], at: "t1")
      _ = try await s.recordAlertEvaluations(
        [
          AlertEvaluation(
            rule: "drop", scope: Scope("partner:P2")!, state: .pending, since: Period("2025-Q4")!,
            period: Period("2025-Q4")!, value: 0.2, threshold: 0.3, message: "m", severity: .critical, notify: ["ops"])
        ], at: "t1")
      var log = try await s.deliveries(webhook: nil, limit: 10)
      #expect(log.count == 2 && log.allSatisfy { $0.state == "pending" && $0.event == events.first?.id })

      // Claimed: each once; while claimed, no one else gets them.
      let claimed = try await s.claimDeliveries(now: 1000, limit: 10, lease: 60)
      #expect(claimed.count == 2)
      #expect(Set(claimed.map(\.url)) == ["https://a.example/h", "https://b.example/h"])
      #expect(claimed.first?.event?.scope == "partner:P1" && claimed.first?.event?.to == .firing)
      #expect(claimed.first?.severity == .critical)
      #expect(try await s.claimDeliveries(now: 1001, limit: 10, lease: 60).isEmpty)

      // A failed attempt is retried when due (the claim is released); a delivered one is done.
      let ops = try #require(claimed.first { $0.delivery.webhook == "ops" })
      let sales = try #require(claimed.first { $0.delivery.webhook == "sales" })
      try await s.recordAttempt(
        delivery: ops.delivery.id, at: 1002, status: 500, error: "HTTP 500", delivered: false, retryAt: 1032)
      try await s.recordAttempt(
        delivery: sales.delivery.id, at: 1002, status: 204, error: nil, delivered: true, retryAt: nil)
      #expect(try await s.claimDeliveries(now: 1031, limit: 10, lease: 60).isEmpty)
      let again = try await s.claimDeliveries(now: 1032, limit: 10, lease: 60)
      #expect(again.map(\.delivery.id) == [ops.delivery.id] && again.first?.delivery.attempts == 1)
      #expect(again.first?.delivery.firstAttemptAt == 1002)
      // Given up: failed, never claimed again.
      try await s.recordAttempt(
        delivery: ops.delivery.id, at: 1040, status: nil, error: "refused", delivered: false, retryAt: nil)
      #expect(try await s.claimDeliveries(now: 999_999, limit: 10, lease: 60).isEmpty)
      log = try await s.deliveries(webhook: "ops", limit: 10)
      #expect(log.map(\.state) == ["failed"] && log.first?.attempts == 2 && log.first?.lastError == "refused")
      let delivered = try await s.deliveries(webhook: "sales", limit: 10)
      #expect(delivered.first?.state == "delivered" && delivered.first?.lastStatus == 204)
      #expect(delivered.first?.deliveredAt == 1002)

      // A test delivery has no event; removing a webhook removes its log.
      let test = try await s.queueTestDelivery(webhook: "sales", at: 2000)
      let claimedTest = try await s.claimDeliveries(now: 2000, limit: 10, lease: 60)
      #expect(claimedTest.map(\.delivery.id) == [test] && claimedTest.first?.event == nil)
      await #expect(throws: WebhookError.unknown("nobody")) {
        _ = try await s.queueTestDelivery(webhook: "nobody", at: 1)
      }
      try await s.removeWebhook(name: "ops")
      #expect(try await s.deliveries(webhook: nil, limit: 10).allSatisfy { $0.webhook == "sales" })
      await #expect(throws: WebhookError.unknown("ops")) { try await s.removeWebhook(name: "ops") }
    }
  }

  @Test(arguments: StoreKind.contract) func digestsRideTheQueueAndEachDayIsClaimedOnce(_ kind: StoreKind) async throws {
    try await StoreHarness.with(kind) { h in
      let s = h.store
      _ = try await s.addWebhook(
        Webhook(name: "ops", url: "https://a.example/h", secret: "k1", createdAt: "t", createdBy: "me"))
      let body = #"{"kind":"digest","manager":"Ann"}"#
      let id = try await s.queueDelivery(webhook: "ops", payload: body, at: 100)
      let test = try await s.queueTestDelivery(webhook: "ops", at: 100)
      let claimed = try await s.claimDeliveries(now: 100, limit: 10, lease: 60)
      #expect(claimed.map(\.delivery.id) == [id, test])
      #expect(claimed.map(\.payload) == [body, nil] && claimed.allSatisfy { $0.event == nil })
      await #expect(throws: WebhookError.unknown("nobody")) {
        _ = try await s.queueDelivery(webhook: "nobody", payload: body, at: 100)
      }
      // The first claim of a day wins; a second server (or a restart) gets false.
      #expect(try await s.claimDigest(day: "2025-07-15", at: "2025-07-15T07:00:00Z"))
      #expect(try await !s.claimDigest(day: "2025-07-15", at: "2025-07-15T07:05:00Z"))
      #expect(try await s.claimDigest(day: "2025-07-16", at: "2025-07-16T07:00:00Z"))
    }
  }
}
