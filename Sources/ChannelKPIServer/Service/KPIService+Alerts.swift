public import ChannelKPI
public import ChannelKPIStore
import Foundation
import Logging

extension KPIService {
  /// The alert rules of the latest definitions.
  public var alertRules: [AlertRule] { history.latest?.definitions.alerts ?? [] }

  /// Evaluates the rules (or those of `rules`, by id) for every scope (or only those a change
  /// touched) and stores what changed. Alerts never make a write fail: what goes wrong is logged.
  @discardableResult
  func evaluateAlerts(touched: Set<Scope>?, rules ids: Set<String>? = nil) async -> [AlertEvent] {
    // Every scope is decided now, those waiting for a paced decision too.
    if touched == nil { (alertPacing.pending, alertPacing.pendingRules) = ([], []) }
    let rules = ids.map { ids in alertRules.filter { ids.contains($0.id) } } ?? alertRules
    do {
      let alerts = AlertEvaluator(
        evaluator: evaluator, partnersById: shared.read { $0.partnerData().byId }, memo: forecastMemo)
      var (evaluations, skipped) = AlertRun.evaluations(rules, with: alerts, touched: touched)
      if touched == nil {
        let failed = Set(skipped.map(\.rule))
        evaluations += AlertRun.unwatched(
          try await store.alerts(), evaluations: evaluations, rules: alertRules.filter { !failed.contains($0.id) },
          evaluator: alerts)
      }
      let events = try await store.recordAlertEvaluations(
        evaluations, at: ISO8601DateFormatter().string(from: Date()), position: position)
      if touched == nil, ids == nil { alertPacing.decidedAllIn = alerts.evaluator.today.month }
      for (rule, reason) in skipped {
        logger.warning("alert rule not evaluated", metadata: ["rule": "\(rule)", "error": "\(reason)"])
      }
      for e in events {
        logger.info(
          "alert changed",
          metadata: [
            "rule": "\(e.rule)", "scope": "\(e.scope)", "from": "\(e.from.rawValue)", "to": "\(e.to.rawValue)",
            "period": "\(e.period)",
          ])
      }
      return events
    } catch {
      logger.warning("alert states not stored", metadata: ["error": "\(StoreError.describe(error))"])
      return []
    }
  }

  /// Evaluates every rule for every scope now: for periods that end without new facts.
  @discardableResult
  public func evaluateAllAlerts() async throws -> [AlertEvent] {
    try await exclusively {
      try await follow()
      return await evaluateAlerts(touched: nil)
    }
  }

  /// The stored alerts of the rules defined now, most severe and most recent first.
  public func alerts(state: AlertState? = nil) async throws -> [StoredAlert] {
    AlertRun.current(try await store.alerts(), rules: alertRules, state: state)
  }

  /// Acknowledges a firing alert with a note, recording a review; returns the review's id.
  public func acknowledgeAlert(id: Int64, by: String, note: String) async throws -> Int64 {
    let rules = alertRules
    let today = todayDay
    return try await updateReviews {
      try await AlertRun.acknowledge(
        id: id, by: by, note: note, rules: rules, store: $0, today: today,
        at: ISO8601DateFormatter().string(from: Date()))
    }
  }
}

extension AlertEvaluator {
  /// The scopes a batch of facts changes: each fact's partner with its type, region and tier, and
  /// the network. Nil (every scope) when a fact belongs to no partner (market figures by region).
  public static func touched(by records: [FactRecord], partners: [String: PartnerInfo]) -> Set<Scope>? {
    var out: Set<Scope> = [.network]
    for r in records {
      guard let id = r["partner_id"].string else { return nil }
      out.insert(Scope(.partner, id))
      if let p = partners[id] {
        for kind in [ScopeKind.type, .region, .tier] { if let s = p.scope(kind) { out.insert(s) } }
      }
    }
    return out
  }
}
