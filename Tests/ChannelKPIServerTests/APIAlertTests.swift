import ChannelKPI
import ChannelKPIStore
import Foundation
import Testing

@testable import ChannelKPIServer

/// Alerts through the API: a batch of facts makes one fire in the same request, an
/// acknowledgement records a review, and managers see only their partners' alerts.
@Suite struct APIAlertTests {
  /// The fixture's program with one rule: a partner's quarterly win rate down 25% or more.
  static func seed(_ store: any Store) async throws { try await seed(store, notify: []) }

  static func seed(_ store: any Store, notify: [String]) async throws {
    try await Fixture.facts(store)
    var files = Fixture.definitions
    files["alerts.yaml"] = """
      alerts:
        - id: win_rate_drop
          kpi: win_rate
          scope: each partner
          grain: quarter
          when: {drop: 0.25}
          severity: critical
          notify: [\(notify.joined(separator: ", "))]
      """
    files["enablement.yaml"] = """
      enablement:
        - {kpi: revenue, training: Pipeline building, link: "https://academy.example.com/pipeline"}
        - {kpi: win_rate, training: Solution selling, program: sales}
        - {kpi: nps, training: Customer care}
      """
    // Bob manages P2 only; P1's staff read the portal.
    try await TestKeys.add("ckpi_test_manager_bob", Grant(role: .manager, manager: "Bob"), to: store)
    try await TestKeys.add("ckpi_test_partner_p1", Grant(role: .partner, partner: "P1"), to: store)
    _ = try await store.addProgramVersion(
      files: files, effective: Day(year: 2024, month: 1, day: 1)!, appliedAt: "2025-07-01T08:00:00Z", note: "fixture")
  }

  static func deals(
    _ rows: [(String, String, String)], created: String = "2025-06-01", closed: String = "2025-06-20"
  ) -> String {
    let records = rows.map { id, partner, stage in
      #"{"deal_id":"\#(id)","partner_id":"\#(partner)","source":"sourced","created_on":"\#(created)","stage":"\#(stage)","closed_on":"\#(closed)","amount":1000}"#
    }
    return #"{"records":[\#(records.joined(separator: ","))]}"#
  }

  @Test func offTrackKPIsGetTheirTrainingsOnThePartnerPageAndInThePortal() async throws {
    try await withServer(seed: Self.seed) { server in
      // 2025-Q2: P1's revenue is 12,000 against its target of 20,000 (60%, off track); its win rate
      // 1 of 2 meets the resellers' 50%; NPS is on no scorecard.
      let page = try await server.request("GET", "/partners/P1?period=2025-Q2", key: TestKeys.admin)
      #expect(page.text.contains("Recommended training"))
      #expect(page.text.contains("href=\"https://academy.example.com/pipeline\">Pipeline building</a>"))
      #expect(!page.text.contains("Solution selling") && !page.text.contains("Customer care"))
      let portal = try await server.request("GET", "/portal?period=2025-Q2", key: "ckpi_test_partner_p1")
      #expect(portal.status == 200 && portal.text.contains("Pipeline building"))
      // Two lost deals more: 1 of 4 is off track too, and its training is added.
      _ = try await server.post("/api/v1/facts/deals", Self.deals([("D20", "P1", "lost"), ("D21", "P1", "lost")]))
      let after = try await server.request("GET", "/partners/P1?period=2025-Q2", key: TestKeys.admin)
      #expect(after.text.contains("Solution selling"))
      // P3, an MSP, has no scorecard, so nothing is off track: no section.
      let p3 = try await server.request("GET", "/partners/P3?period=2025-Q2", key: TestKeys.admin)
      #expect(p3.status == 200 && !p3.text.contains("Recommended training"))
    }
  }

  @Test func whenAlertWorkFallsBehindABatchsAlertsAreDecidedJustAfter() async throws {
    try await withServer(seed: Self.seed) { server in
      // As if the last decision had taken long and just ended: the next batch's alerts wait…
      await server.service.adjustAlertPacing { $0.readyAt = .now + .seconds(3600) }
      let r = try await server.post("/api/v1/facts/deals", Self.deals([("D20", "P1", "lost"), ("D21", "P1", "lost")]))
      #expect(r.status == 200)
      #expect(r.json()["alerts"] == .array([]) && r.json()["alerts_deferred"] == .bool(true))
      #expect(try await server.getJSON("/api/v1/alerts?state=firing")["alerts"]?.array == [])
      // …and are decided once that time has passed, with the same outcome.
      await server.service.adjustAlertPacing { $0.readyAt = .now }
      var firing: [JSONNode] = []
      for _ in 0..<200 where firing.isEmpty {
        try await Task.sleep(for: .milliseconds(50))
        firing = try await server.getJSON("/api/v1/alerts?state=firing")["alerts"]?.array ?? []
      }
      #expect(firing.count == 1 && firing.first?["scope"] == .string("partner:P1"))
      // Then batches are decided before their answer again.
      let next = try await server.post("/api/v1/facts/deals", Self.deals([("D22", "P3", "won")]))
      #expect(next.json()["alerts_deferred"] == .bool(false))
    }
  }

  /// Waits for the decision of every rule for every scope that the alert scheduler makes as the
  /// server starts (then not again for minutes).
  static func everyRuleDecided(_ server: APIServer) async throws {
    for _ in 0..<400 where await server.service.alertPacing.decidedAllIn == nil {
      try await Task.sleep(for: .milliseconds(25))
    }
    try #require(await server.service.alertPacing.decidedAllIn == Month(year: 2025, month: 7))
  }

  @Test func aBatchThatMovesNoEndedPeriodDecidesNoRule() async throws {
    try await withServer(seed: Self.seed) { server in
      try await Self.everyRuleDecided(server)
      // Alert work behind, as above: a batch whose rules must be decided again waits.
      await server.service.adjustAlertPacing { $0.readyAt = .now + .seconds(3600) }
      // Deals won and lost in July move no quarter that has ended by 2025-07-15: the rule, which
      // judges quarters up to Q2, has nothing to decide, and nothing waits.
      let july = Self.deals(
        [("D20", "P1", "lost"), ("D21", "P1", "lost")], created: "2025-07-01", closed: "2025-07-02")
      let r = try await server.post("/api/v1/facts/deals", july)
      #expect(r.status == 200)
      #expect(r.json()["alerts"] == .array([]) && r.json()["alerts_deferred"] == .bool(false))
      // The same deals closed in June move Q2: the rule is decided again (after the wait).
      let june = Self.deals([("D20", "P1", "lost"), ("D21", "P1", "lost")])
      #expect(try await server.post("/api/v1/facts/deals", june).json()["alerts_deferred"] == .bool(true))
      await server.service.decidePendingAlerts()
      let firing = try await server.getJSON("/api/v1/alerts?state=firing")["alerts"]?.array ?? []
      #expect(firing.count == 1 && firing.first?["scope"] == .string("partner:P1"))
    }
  }

  @Test func untilEveryRuleIsDecidedThisMonthEveryBatchDecidesEveryRule() async throws {
    try await withServer(seed: Self.seed) { server in
      try await Self.everyRuleDecided(server)
      // As if the last decision of every rule had been made in June (the month has turned since).
      await server.service.adjustAlertPacing { $0.decidedAllIn = Month(year: 2025, month: 6) }
      await server.service.adjustAlertPacing { $0.readyAt = .now + .seconds(3600) }
      let july = Self.deals([("D20", "P1", "lost")], created: "2025-07-01", closed: "2025-07-02")
      #expect(try await server.post("/api/v1/facts/deals", july).json()["alerts_deferred"] == .bool(true))
    }
  }

  @Test func alertsStillWaitingAreDecidedBeforeAServerGoes() async throws {
    try await withServer(seed: Self.seed) { server in
      await server.service.adjustAlertPacing { $0.readyAt = .now + .seconds(3600) }
      let r = try await server.post("/api/v1/facts/deals", Self.deals([("D20", "P1", "lost"), ("D21", "P1", "lost")]))
      #expect(r.json()["alerts_deferred"] == .bool(true))
      #expect(try await server.getJSON("/api/v1/alerts?state=firing")["alerts"]?.array == [])
      // On its way out (the paced decision is still an hour away): decided at once.
      await server.service.decidePendingAlerts()
      let firing = try await server.getJSON("/api/v1/alerts?state=firing")["alerts"]?.array ?? []
      #expect(firing.count == 1 && firing.first?["scope"] == .string("partner:P1"))
    }
  }

  @Test func alertWorkTakesAtMostAboutHalfTheTime() {
    var p = AlertPacing()
    let t = ContinuousClock.now
    // Quick decisions never hold a batch back.
    p.decided(took: .milliseconds(1), end: t)
    #expect(!p.defers(now: t))
    // A decision of 20 ms lets the next start 20 ms after it ended, not before.
    p.decided(took: .milliseconds(20), end: t)
    #expect(p.defers(now: t + .milliseconds(10)) && !p.defers(now: t + .milliseconds(20)))
    // While scopes wait, later batches wait with them.
    p.pending = [Scope(.partner, "P1")]
    #expect(p.defers(now: t + .seconds(1)))
  }

  @Test func aBatchThatDropsAWinRateFiresItsAlertInTheSameRequest() async throws {
    try await withServer(seed: Self.seed) { server in
      // 2025-Q2 is the last quarter that has ended on 2025-07-15. P1 won 2 of 3 in Q1 and 1 of 2
      // in Q2: 0.5 is not below 2/3 × 0.75 = 0.5, so nothing fires yet.
      #expect(try await server.getJSON("/api/v1/alerts")["alerts"]?.array == [])

      // Two more lost deals in June: 1 of 4, below the limit of 0.5.
      let r = try await server.post("/api/v1/facts/deals", Self.deals([("D20", "P1", "lost"), ("D21", "P1", "lost")]))
      #expect(r.status == 200)
      let changes = r.json()["alerts"]?.array ?? []
      #expect(changes.count == 1)
      #expect(changes.first?["rule"] == .string("win_rate_drop") && changes.first?["scope"] == .string("partner:P1"))
      #expect(changes.first?["from"] == .string("ok") && changes.first?["to"] == .string("firing"))
      #expect(changes.first?["period"] == .string("2025-Q2") && changes.first?["value"] == .number(0.25))

      let firing = try await server.getJSON("/api/v1/alerts?state=firing")["alerts"]?.array ?? []
      #expect(firing.count == 1)
      let alert = try #require(firing.first)
      let id = try #require(alert["id"]?.number.map { Int($0) })
      #expect(alert["severity"] == .string("critical") && alert["since"] == .string("2025-Q2"))
      let threshold = try #require(alert["threshold"]?.number)
      #expect(abs(threshold - 0.5) < 1e-12)

      // A fact of another partner re-evaluates only the scopes it touches: no change.
      let other = try await server.post("/api/v1/facts/deals", Self.deals([("D22", "P3", "won")]))
      #expect(other.json()["alerts"] == .array([]))

      // Bob manages P2: P1's alert is not his to see or acknowledge.
      let bob = "ckpi_test_manager_bob"
      let hidden = try await server.request("GET", "/api/v1/alerts", key: bob)
      #expect(hidden.json()["alerts"] == .array([]))
      let notHis = try await server.request(
        "POST", "/api/v1/alerts/\(id)/acknowledge", headers: ["Content-Type": "application/json"],
        body: Data(#"{"note":"mine?"}"#.utf8), key: bob)
      #expect(notHis.status == 404)
      // Partners see no alerts at all.
      #expect(try await server.request("GET", "/api/v1/alerts/\(id)", key: TestKeys.analyst).status == 200)

      // The dashboard lists it, links its page, and acknowledges it from a form.
      let page = try await server.request("GET", "/alerts", key: TestKeys.admin)
      #expect(page.status == 200 && page.text.contains("/alerts/\(id)") && page.text.contains("/partners/P1"))
      let detail = try await server.request("GET", "/alerts/\(id)", key: TestKeys.admin)
      #expect(detail.text.contains("action=\"/alerts/\(id)/acknowledge\"") && detail.text.contains("firing"))
      // Badges on the partner's page and the KPI's, linking the alert; none on another partner's.
      for path in ["/partners/P1", "/kpis/win_rate"] {
        let r = try await server.request("GET", path, key: TestKeys.admin)
        #expect(r.text.contains("class=\"alerts-firing\"") && r.text.contains("href=\"/alerts/\(id)\""), "\(path)")
      }
      #expect(!(try await server.request("GET", "/partners/P2", key: TestKeys.admin)).text.contains("alerts-firing"))
      let analystPage = try await server.request("GET", "/alerts/\(id)", key: TestKeys.analyst)
      #expect(analystPage.status == 200 && !analystPage.text.contains("/acknowledge\""))
      #expect(try await server.request("GET", "/alerts/\(id)", key: bob).status == 404)
      #expect(try await server.request("GET", "/alerts?state=burning", key: TestKeys.admin).status == 400)
      let form = try await server.request(
        "POST", "/alerts/\(id)/acknowledge", headers: ["Content-Type": "application/x-www-form-urlencoded"],
        body: Data("note=Called+P1".utf8), key: TestKeys.admin)
      // The client follows the 303 back to the alert's page, which now says who acknowledged it.
      #expect(form.status == 200 && form.text.contains("Called P1"))

      // Acknowledging records a review of P1's win rate in 2025-Q2 with the note as the action.
      let ack = try await server.post(
        "/api/v1/alerts/\(id)/acknowledge", #"{"note":"Pipeline review with P1 on Friday"}"#)
      #expect(ack.status == 200)
      #expect(ack.json()["alert"]?["note"] == .string("Pipeline review with P1 on Friday"))
      let reviews = try await server.getJSON("/api/v1/reviews")["reviews"]?.array ?? []
      let review = try #require(reviews.first { $0["id"] == ack.json()["review"] })
      #expect(review["partner"] == .string("P1") && review["kpi"] == .string("win_rate"))
      #expect(reviews.count == 2, "the form's review and the API's")
      #expect(
        review["period"] == .string("2025-Q2") && review["action"] == .string("Pipeline review with P1 on Friday"))

      // Four June wins: 5 of 8 is back above the limit; one quarter resolves it.
      let back = try await server.post(
        "/api/v1/facts/deals",
        Self.deals([("D23", "P1", "won"), ("D24", "P1", "won"), ("D25", "P1", "won"), ("D26", "P1", "won")]))
      let resolved = back.json()["alerts"]?.array ?? []
      #expect(resolved.first?["from"] == .string("firing") && resolved.first?["to"] == .string("resolved"))
      // Only a firing alert is acknowledged.
      let again = try await server.post("/api/v1/alerts/\(id)/acknowledge", #"{"note":"again"}"#)
      #expect(again.status == 409)
      #expect(
        again.json()["error"]?["message"]
          == .string("alert \(id) is resolved, not firing: only a firing alert is acknowledged"))
      // The history: ok → firing → resolved.
      let history = try await server.getJSON("/api/v1/alerts/\(id)")["events"]?.array ?? []
      #expect(history.map { $0["to"] } == [.string("firing"), .string("resolved")])
    }
  }

  @Test func anAlertOfAPartnerThatLeftResolves() async throws {
    try await withServer(seed: Self.seed) { server in
      _ = try await server.post("/api/v1/facts/deals", Self.deals([("D20", "P1", "lost"), ("D21", "P1", "lost")]))
      let firing = try await server.getJSON("/api/v1/alerts?state=firing")["alerts"]?.array ?? []
      let id = try #require(firing.first?["id"]?.number.map { Int($0) })
      // P1 left before 2025-Q2: no longer watched, so the scheduled evaluation resolves it.
      let left = try await server.post(
        "/api/v1/facts/partners",
        #"{"records":[{"partner_id":"P1","name":"Alpha","type":"reseller","region":"emea","country":"DE","tier":"gold","joined_on":"2024-01-15","left_on":"2025-03-31","manager":"Ann"}]}"#
      )
      #expect(left.status == 200)
      try await server.service.evaluateAllAlerts()
      let alert = try await server.getJSON("/api/v1/alerts/\(id)")["alert"]
      #expect(alert?["state"] == .string("resolved"))
      #expect(alert?["message"]?.string?.hasPrefix("No longer watched") == true)
    }
  }
}
