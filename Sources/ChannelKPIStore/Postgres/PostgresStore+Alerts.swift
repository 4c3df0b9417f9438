public import ChannelKPI
import Foundation
import PostgresNIO

extension PostgresStore {
  public func recordAlertEvaluations(_ evaluations: [AlertEvaluation], at: String, position: Int64) async throws
    -> [AlertEvent]
  {
    guard !evaluations.isEmpty else { return [] }
    return try await transaction { conn in
      var events: [AlertEvent] = []
      for var e in evaluations {
        let scope = e.scope.description
        // Never stored: ok, or resolved before anyone could have been told it fired.
        if e.state != .ok && e.state != .resolved {
          // A row to lock, so that two instances evaluating at once record one change, not two.
          try await conn.query(
            """
            INSERT INTO alert_states (rule_id, scope, state, severity, since, period, message, changed_at)
            VALUES (\(e.rule), \(scope), 'ok', \(e.severity.rawValue), \(e.since.description),
              \(e.period.description), '', \(at))
            ON CONFLICT (rule_id, scope) DO NOTHING
            """, logger: logger)
        }
        let rows = try await conn.query(
          "SELECT id, state, position FROM alert_states WHERE rule_id = \(e.rule) AND scope = \(scope) FOR UPDATE",
          logger: logger)
        var found: (Int64, String, Int64)?
        for try await row in rows.decode((Int64, String, Int64).self) { found = row }
        // Stored from newer data than this evaluation read: it stands.
        guard let (id, stateText, storedPosition) = found, storedPosition <= position else { continue }
        let previous = AlertState(rawValue: stateText) ?? .ok
        let next = previous.next(e.state)
        // Resolved by facts that changed the past: it resolved in the period judged now.
        if next != e.state { (e.state, e.since) = (next, e.period) }
        if previous == e.state {
          try await conn.query(
            """
            UPDATE alert_states SET period = \(e.period.description), value = \(e.value), threshold = \(e.threshold),
              message = \(e.message), severity = \(e.severity.rawValue), position = \(position)
            WHERE id = \(id)
            """, logger: logger)
          continue
        }
        let firing = e.state == .firing
        try await conn.query(
          """
          UPDATE alert_states SET state = \(e.state.rawValue), severity = \(e.severity.rawValue),
            since = \(e.since.description), period = \(e.period.description), value = \(e.value),
            threshold = \(e.threshold), message = \(e.message), changed_at = \(at), position = \(position),
            acknowledged_by = CASE WHEN \(firing) THEN NULL ELSE acknowledged_by END,
            acknowledged_at = CASE WHEN \(firing) THEN NULL ELSE acknowledged_at END,
            note = CASE WHEN \(firing) THEN NULL ELSE note END,
            review_id = CASE WHEN \(firing) THEN NULL ELSE review_id END
          WHERE id = \(id)
          """, logger: logger)
        let eventId =
          try await one(
            conn,
            """
            INSERT INTO alert_events (alert_id, from_state, to_state, period, value, threshold, message, at)
            VALUES (\(id), \(previous.rawValue), \(e.state.rawValue), \(e.period.description), \(e.value),
              \(e.threshold), \(e.message), \(at))
            RETURNING id
            """, as: Int64.self) ?? 0
        // Told in the same transaction: a change is never recorded without its notifications.
        if e.state == .firing || e.state == .resolved {
          for name in e.notify {
            try await conn.query(
              """
              INSERT INTO webhook_deliveries (webhook_id, event_id, state, next_attempt_at)
              SELECT id, \(eventId), 'pending', 0 FROM webhooks WHERE name = \(name)
              """, logger: logger)
          }
        }
        events.append(
          AlertEvent(
            id: eventId, alert: id, rule: e.rule, scope: scope, from: previous, to: e.state,
            period: e.period.description, value: e.value, threshold: e.threshold, message: e.message, at: at))
      }
      return events
    }
  }

  public func alerts() async throws -> [StoredAlert] {
    var out: [StoredAlert] = []
    let rows = try await client.query(
      """
      SELECT id, rule_id, scope, state, severity, since, period, value, threshold, message, changed_at,
        acknowledged_by, acknowledged_at, note, review_id
      FROM alert_states ORDER BY id
      """, logger: logger)
    for try await (
      id, rule, scope, state, severity, since, period, value, threshold, message, changedAt, ackBy, ackAt, note, review
    )
      in rows.decode(
        (
          Int64, String, String, String, String, String, String, Double?, Double?, String, String, String?, String?,
          String?, Int64?
        ).self)
    {
      guard let state = AlertState(rawValue: state), let severity = AlertSeverity(rawValue: severity) else { continue }
      out.append(
        StoredAlert(
          id: id, rule: rule, scope: scope, state: state, severity: severity, since: since, period: period,
          value: value, threshold: threshold, message: message, changedAt: changedAt, acknowledgedBy: ackBy,
          acknowledgedAt: ackAt, note: note, review: review))
    }
    return out
  }

  public func alertEvents(alert: Int64?) async throws -> [AlertEvent] {
    var out: [AlertEvent] = []
    let rows = try await client.query(
      """
      SELECT e.id, e.alert_id, s.rule_id, s.scope, e.from_state, e.to_state, e.period, e.value, e.threshold,
        e.message, e.at
      FROM alert_events e JOIN alert_states s ON s.id = e.alert_id
      WHERE \(alert)::BIGINT IS NULL OR e.alert_id = \(alert)
      ORDER BY e.id
      """, logger: logger)
    for try await (id, alertId, rule, scope, from, to, period, value, threshold, message, at) in rows.decode(
      (Int64, Int64, String, String, String, String, String, Double?, Double?, String, String).self)
    {
      guard let from = AlertState(rawValue: from), let to = AlertState(rawValue: to) else { continue }
      out.append(
        AlertEvent(
          id: id, alert: alertId, rule: rule, scope: scope, from: from, to: to, period: period, value: value,
          threshold: threshold, message: message, at: at))
    }
    return out
  }

  public func acknowledgeAlert(id: Int64, by: String, note: String, at: String, review: Review) async throws -> Int64 {
    try await transaction { conn in
      guard
        let stateText = try await one(
          conn, "SELECT state FROM alert_states WHERE id = \(id) FOR UPDATE", as: String.self)
      else { throw AlertError.noAlert(id: id) }
      let state = AlertState(rawValue: stateText) ?? .ok
      guard state == .firing else { throw AlertError.notFiring(id: id, state: state) }
      let reviewId = try await insert(review, conn)
      try await conn.query(
        """
        UPDATE alert_states SET acknowledged_by = \(by), acknowledged_at = \(at), note = \(note),
          review_id = \(reviewId)
        WHERE id = \(id)
        """, logger: logger)
      _ = try await logChange(conn, (.reviews, ""))
      return reviewId
    }
  }
}
