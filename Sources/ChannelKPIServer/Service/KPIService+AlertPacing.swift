import ChannelKPI
import ChannelKPIStore

/// When the alerts of ingested batches are decided. A batch's alerts are decided before its
/// answer, unless deciding them takes a sizeable time (`floor`) and the last decision ended less
/// than its own duration ago: then the batch's scopes wait, with those of the batches after it,
/// for one decision as soon as that much time has passed. Alert work thus takes at most about half
/// of the time under a steady stream of batches, and ingestion goes on at the store's pace;
/// webhooks and the alert log follow the deferred decisions as they do the others.
struct AlertPacing {
  /// Decisions shorter than this are always made before the answer.
  var floor: Duration = .milliseconds(5)
  /// When the next decision may start without falling behind.
  var readyAt = ContinuousClock.now
  /// Scopes touched by batches whose alerts wait, and the rules (by id) those batches may move.
  var pending: Set<Scope> = []
  var pendingRules: Set<String> = []
  var scheduled = false
  /// The month of the day on which every rule was last decided for every scope: until the month
  /// changes, the rules' last ended periods are the ones decided then, so a batch that moved none
  /// of a rule's ended periods leaves its decisions as they are (`AlertEvaluator.rules(_:movedBy:)`).
  var decidedAllIn: Month?

  /// Whether a batch's alerts must wait now.
  func defers(now: ContinuousClock.Instant = .now) -> Bool { !pending.isEmpty || now < readyAt }

  /// Notes a decision that took `took` and ended at `end`.
  mutating func decided(took: Duration, end: ContinuousClock.Instant = .now) {
    readyAt = took < floor ? end : end + took
  }
}

extension KPIService {
  /// Decides the alerts of a batch's scopes now, or defers them (nil) when alert work is falling
  /// behind the batches. Only the rules the batch may move are decided (all of them when its
  /// `change` is not known).
  func pacedAlerts(touched: Set<Scope>, change: FactChange?) async -> [AlertEvent]? {
    let rules = Set(rulesMoved(by: change).map(\.id))
    if rules.isEmpty { return [] }
    if alertPacing.defers() {
      alertPacing.pending.formUnion(touched)
      alertPacing.pendingRules.formUnion(rules)
      if !alertPacing.scheduled {
        alertPacing.scheduled = true
        Task { await self.decideDeferredAlerts() }
      }
      return nil
    }
    return await timedAlerts(touched: touched, rules: rules)
  }

  /// The alert rules a change of facts may move: all of them unless every rule was decided for
  /// every scope this month.
  func rulesMoved(by change: FactChange?) -> [AlertRule] {
    let rules = alertRules
    guard let change, let month = alertPacing.decidedAllIn, month == todayDay.month else { return rules }
    return AlertEvaluator(evaluator: evaluator, partnersById: [:]).rules(rules, movedBy: change)
  }

  private func timedAlerts(touched: Set<Scope>, rules: Set<String>) async -> [AlertEvent] {
    let start = ContinuousClock.now
    let events = await evaluateAlerts(touched: touched, rules: rules)
    alertPacing.decided(took: .now - start)
    return events
  }

  /// Changes the pacing (tests make alert work look behind with it).
  func adjustAlertPacing(_ change: (inout AlertPacing) -> Void) { change(&alertPacing) }

  /// Decides the alerts still waiting for a paced decision now, without waiting for their turn: a
  /// server on its way out, so that none wait for the next start's scheduled evaluation.
  public func decidePendingAlerts() async {
    _ = try? await exclusively {
      let (scopes, rules) = (alertPacing.pending, alertPacing.pendingRules)
      (alertPacing.pending, alertPacing.pendingRules) = ([], [])
      alertPacing.scheduled = false
      if !scopes.isEmpty { _ = await timedAlerts(touched: scopes, rules: rules) }
    }
  }

  /// Decides the waiting scopes' alerts once the last decision's time has passed again.
  private func decideDeferredAlerts() async {
    // In short steps, so that a change of `readyAt` meanwhile is seen.
    while alertPacing.readyAt > .now {
      try? await Task.sleep(for: min(alertPacing.readyAt - .now, .milliseconds(50)))
    }
    await decidePendingAlerts()
  }
}
