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
  /// Scopes touched by batches whose alerts wait.
  var pending: Set<Scope> = []
  var scheduled = false

  /// Whether a batch's alerts must wait now.
  func defers(now: ContinuousClock.Instant = .now) -> Bool { !pending.isEmpty || now < readyAt }

  /// Notes a decision that took `took` and ended at `end`.
  mutating func decided(took: Duration, end: ContinuousClock.Instant = .now) {
    readyAt = took < floor ? end : end + took
  }
}

extension KPIService {
  /// Decides the alerts of a batch's scopes now, or defers them (nil) when alert work is falling
  /// behind the batches.
  func pacedAlerts(touched: Set<Scope>) async -> [AlertEvent]? {
    if alertPacing.defers() {
      alertPacing.pending.formUnion(touched)
      if !alertPacing.scheduled {
        alertPacing.scheduled = true
        Task { await self.decideDeferredAlerts() }
      }
      return nil
    }
    return await timedAlerts(touched: touched)
  }

  private func timedAlerts(touched: Set<Scope>) async -> [AlertEvent] {
    let start = ContinuousClock.now
    let events = await evaluateAlerts(touched: touched)
    alertPacing.decided(took: .now - start)
    return events
  }

  /// Changes the pacing (tests make alert work look behind with it).
  func adjustAlertPacing(_ change: (inout AlertPacing) -> Void) { change(&alertPacing) }

  /// Decides the alerts still waiting for a paced decision now, without waiting for their turn: a
  /// server on its way out, so that none wait for the next start's scheduled evaluation.
  public func decidePendingAlerts() async {
    _ = try? await exclusively {
      let scopes = alertPacing.pending
      alertPacing.pending = []
      alertPacing.scheduled = false
      if !scopes.isEmpty { _ = await timedAlerts(touched: scopes) }
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
