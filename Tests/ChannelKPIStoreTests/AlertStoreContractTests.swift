import ChannelKPI
import ChannelKPIStore
import ChannelKPITestSupport
import Testing

/// Alert states, their history and acknowledgements behave the same on every store.
@Suite struct AlertStoreContractTests {
  static func evaluation(_ rule: String, _ scope: String, _ state: AlertState, value: Double = 0.2) -> AlertEvaluation {
    AlertEvaluation(
      rule: rule, scope: Scope(scope)!, state: state, since: Period("2025-10")!, period: Period("2025-11")!,
      value: value, threshold: 0.25, message: "win rate \(value)", severity: .critical)
  }

  @Test(arguments: StoreKind.contract) func statesChangeWithEventsAndAcknowledgementsRecordReviews(_ kind: StoreKind)
    async throws
  {
    try await StoreHarness.with(kind) { h in
      let s = h.store
      // A scope that was never anything but ok is not stored.
      #expect(try await s.recordAlertEvaluations([Self.evaluation("drop", "partner:P1", .ok)], at: "t0").isEmpty)
      // Nor one that fired and recovered before it was first evaluated.
      #expect(try await s.recordAlertEvaluations([Self.evaluation("drop", "partner:P9", .resolved)], at: "t0").isEmpty)
      #expect(try await s.alerts().isEmpty)

      let first = try await s.recordAlertEvaluations(
        [Self.evaluation("drop", "partner:P1", .pending), Self.evaluation("drop", "partner:P2", .firing)], at: "t1")
      #expect(first.map(\.scope) == ["partner:P1", "partner:P2"])
      #expect(first.map(\.from) == [.ok, .ok] && first.map(\.to) == [.pending, .firing])
      // The same state again: no event, but the latest figures are kept.
      let again = try await s.recordAlertEvaluations(
        [Self.evaluation("drop", "partner:P2", .firing, value: 0.1)], at: "t2")
      #expect(again.isEmpty)
      var alerts = try await s.alerts()
      #expect(alerts.count == 2)
      let p2 = try #require(alerts.first { $0.scope == "partner:P2" })
      #expect(p2.state == .firing && p2.value == 0.1 && p2.changedAt == "t1" && p2.severity == .critical)

      // Only a firing alert is acknowledged; the acknowledgement records a review in the same step.
      let p1 = try #require(alerts.first { $0.scope == "partner:P1" })
      await #expect(throws: AlertError.notFiring(id: p1.id, state: .pending)) {
        try await s.acknowledgeAlert(
          id: p1.id, by: "Dana", note: "x", at: "t3",
          review: Review(date: Day(iso: "2025-12-02")!, reviewer: "Dana", finding: "f", action: "a"))
      }
      await #expect(throws: AlertError.noAlert(id: 999)) {
        try await s.acknowledgeAlert(
          id: 999, by: "Dana", note: "x", at: "t3",
          review: Review(date: Day(iso: "2025-12-02")!, reviewer: "Dana", finding: "f", action: "a"))
      }
      #expect(try await s.reviews().isEmpty)
      let review = AlertEvaluation.review(
        of: p2,
        rule: AlertRule(
          id: "drop", name: "Drop", kpi: "win_rate", selector: .each(.partner, AlertFilter()), grain: .month,
          condition: .dropShare(.previousPeriod, 0.2)), by: "Dana", note: "Called the partner",
        on: Day(iso: "2025-12-02")!)
      let reviewId = try await s.acknowledgeAlert(
        id: p2.id, by: "Dana", note: "Called the partner", at: "t3", review: review)
      let reviews = try await s.reviews()
      #expect(reviews.count == 1 && reviews[0].id == reviewId)
      #expect(reviews[0].partner == "P2" && reviews[0].kpi == "win_rate" && reviews[0].period == Period("2025-11"))
      #expect(reviews[0].action == "Called the partner" && reviews[0].reviewer == "Dana")
      alerts = try await s.alerts()
      let acked = try #require(alerts.first { $0.id == p2.id })
      #expect(acked.acknowledgedBy == "Dana" && acked.note == "Called the partner" && acked.review == reviewId)

      // Resolving keeps the acknowledgement; firing again needs a new one.
      _ = try await s.recordAlertEvaluations([Self.evaluation("drop", "partner:P2", .resolved)], at: "t4")
      #expect(try await s.alerts().first { $0.id == p2.id }?.acknowledgedBy == "Dana")
      _ = try await s.recordAlertEvaluations([Self.evaluation("drop", "partner:P2", .firing)], at: "t5")
      let refired = try #require(try await s.alerts().first { $0.id == p2.id })
      #expect(refired.acknowledgedBy == nil && refired.note == nil && refired.review == nil)

      // An evaluation of older data (another instance behind) leaves a state stored from newer.
      _ = try await s.recordAlertEvaluations([Self.evaluation("late", "partner:P3", .firing)], at: "t6", position: 9)
      #expect(
        try await s.recordAlertEvaluations([Self.evaluation("late", "partner:P3", .ok)], at: "t7", position: 8).isEmpty)
      #expect(try await s.alerts().first { $0.rule == "late" }?.state == .firing)
      let caughtUp = try await s.recordAlertEvaluations(
        [Self.evaluation("late", "partner:P3", .ok)], at: "t8", position: 9)
      #expect(caughtUp.map(\.to) == [.resolved])

      // The history of P2: ok → firing → resolved → firing.
      let history = try await s.alertEvents(alert: p2.id)
      #expect(history.map(\.to) == [.firing, .resolved, .firing])
      #expect(history.map(\.from) == [.ok, .firing, .resolved])
      #expect(history.map(\.at) == ["t1", "t4", "t5"])
      #expect(try await s.alertEvents(alert: nil).count == 6)
    }
  }
}
