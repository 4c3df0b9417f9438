public import ChannelKPI
import Foundation

/// Evaluating alert rules and acknowledging alerts against a store: the one way both the server
/// and the CLI do it.
public enum AlertRun {
  /// Each rule's evaluations (all scopes, or those touched), to be stored with
  /// `recordAlertEvaluations`. A rule that cannot be evaluated (its KPI is gone) is skipped and
  /// returned with the reason.
  public static func evaluations(
    _ rules: [AlertRule], with alerts: AlertEvaluator, touched: Set<Scope>? = nil
  ) -> (evaluations: [AlertEvaluation], skipped: [(rule: String, reason: String)]) {
    var evaluations: [AlertEvaluation] = []
    var skipped: [(rule: String, reason: String)] = []
    for rule in rules {
      do {
        evaluations += try alerts.evaluate([rule], touched: touched)
      } catch {
        skipped.append((rule.id, error.message))
      }
    }
    return (evaluations, skipped)
  }

  /// For stored alerts that are pending or firing but were not evaluated with every scope (a
  /// partner that left the program, a rule whose scopes changed): an ok evaluation each, so that
  /// a firing one resolves rather than fires for ever.
  public static func unwatched(
    _ stored: [StoredAlert], evaluations: [AlertEvaluation], rules: [AlertRule], evaluator: AlertEvaluator
  ) -> [AlertEvaluation] {
    let evaluated = Set(evaluations.map { "\($0.rule)|\($0.scope)" })
    let byId = Dictionary(rules.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    return stored.compactMap { a in
      guard a.state == .pending || a.state == .firing, !evaluated.contains("\(a.rule)|\(a.scope)"),
        let rule = byId[a.rule], let scope = Scope(a.scope)
      else { return nil }
      let period = evaluator.lastEnded(rule.grain)
      return AlertEvaluation(
        rule: a.rule, scope: scope, state: .ok, since: period, period: period, value: nil, threshold: nil,
        message: "No longer watched: the partner left the program, or the rule no longer covers \(a.scope)",
        severity: rule.severity, notify: rule.notify)
    }
  }

  /// Acknowledges a firing alert with a note, recording a review of its partner (for a partner
  /// scope), KPI and period; returns the review's id.
  public static func acknowledge(
    id: Int64, by: String, note: String, rules: [AlertRule], store: any Store, today: Day, at: String
  ) async throws -> Int64 {
    guard let alert = try await store.alerts().first(where: { $0.id == id }) else { throw AlertError.noAlert(id: id) }
    let review = AlertEvaluation.review(
      of: alert, rule: rules.first { $0.id == alert.rule }, by: by, note: note, on: today)
    return try await store.acknowledgeAlert(id: id, by: by, note: note, at: at, review: review)
  }

  /// The stored alerts of the given rules (those defined now) in a state (default: every state
  /// but ok), most severe and most recent first.
  public static func current(_ stored: [StoredAlert], rules: [AlertRule], state: AlertState? = nil) -> [StoredAlert] {
    let ids = Set(rules.map(\.id))
    return stored.filter { a in ids.contains(a.rule) && (state.map { a.state == $0 } ?? (a.state != .ok)) }
      .sorted { ($0.severity, $0.changedAt, $0.id) > ($1.severity, $1.changedAt, $1.id) }
  }

  /// Evaluations shown as alerts without storing them (numbered 0): what the states would be.
  public static func preview(_ evaluations: [AlertEvaluation], rules: [AlertRule], state: AlertState? = nil)
    -> [StoredAlert]
  {
    let shown = evaluations.map { e in
      StoredAlert(
        id: 0, rule: e.rule, scope: e.scope.description, state: e.state, severity: e.severity,
        since: e.since.description, period: e.period.description, value: e.value, threshold: e.threshold,
        message: e.message, changedAt: "")
    }
    return current(shown, rules: rules, state: state)
  }
}
