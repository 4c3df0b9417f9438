public import ChannelKPI
import Foundation
import GRDB

extension SQLiteStore {
  public func recordAlertEvaluations(_ evaluations: [AlertEvaluation], at: String, position: Int64) async throws
    -> [AlertEvent]
  {
    guard !evaluations.isEmpty else { return [] }
    return try await writer.write { db in
      var events: [AlertEvent] = []
      for var e in evaluations {
        // The two statements every evaluation runs are kept prepared (a server runs them per batch).
        let row = try Row.fetchOne(
          db.cachedStatement(sql: "SELECT id, state, position FROM alert_states WHERE rule_id = ? AND scope = ?"),
          arguments: [e.rule, e.scope.description])
        // Stored from newer data than this evaluation read: it stands.
        if let row, (row["position"] as Int64) > position { continue }
        let previous = row.flatMap { AlertState(rawValue: $0["state"] as String) } ?? .ok
        let next = previous.next(e.state)
        // Resolved by facts that changed the past: it resolved in the period judged now.
        if next != e.state { (e.state, e.since) = (next, e.period) }
        let id: Int64
        if let row {
          id = row["id"]
          if previous == e.state {
            try db.cachedStatement(
              sql: """
                UPDATE alert_states SET period = ?, value = ?, threshold = ?, message = ?, severity = ? WHERE id = ?
                """
            ).execute(arguments: [e.period.description, e.value, e.threshold, e.message, e.severity.rawValue, id])
            continue
          }
          // A new firing needs a new acknowledgement.
          try db.execute(
            sql: """
              UPDATE alert_states SET state = ?, severity = ?, since = ?, period = ?, value = ?, threshold = ?,
                message = ?, changed_at = ?, position = ?,
                acknowledged_by = CASE WHEN ? = 'firing' THEN NULL ELSE acknowledged_by END,
                acknowledged_at = CASE WHEN ? = 'firing' THEN NULL ELSE acknowledged_at END,
                note = CASE WHEN ? = 'firing' THEN NULL ELSE note END,
                review_id = CASE WHEN ? = 'firing' THEN NULL ELSE review_id END
              WHERE id = ?
              """,
            arguments: [
              e.state.rawValue, e.severity.rawValue, e.since.description, e.period.description, e.value, e.threshold,
              e.message, at, position, e.state.rawValue, e.state.rawValue, e.state.rawValue, e.state.rawValue, id,
            ])
        } else {
          // Never stored: ok, or resolved before anyone could have been told it fired.
          if e.state == .ok || e.state == .resolved { continue }
          try db.execute(
            sql: """
              INSERT INTO alert_states (rule_id, scope, state, severity, since, period, value, threshold, message,
                changed_at, position)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
              """,
            arguments: [
              e.rule, e.scope.description, e.state.rawValue, e.severity.rawValue, e.since.description,
              e.period.description, e.value, e.threshold, e.message, at, position,
            ])
          id = db.lastInsertedRowID
        }
        try db.execute(
          sql: """
            INSERT INTO alert_events (alert_id, from_state, to_state, period, value, threshold, message, at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            id, previous.rawValue, e.state.rawValue, e.period.description, e.value, e.threshold, e.message, at,
          ])
        let eventId = db.lastInsertedRowID
        // Told in the same transaction: a change is never recorded without its notifications.
        if e.state == .firing || e.state == .resolved {
          for name in e.notify {
            try db.execute(
              sql: """
                INSERT INTO webhook_deliveries (webhook_id, event_id, state, next_attempt_at)
                SELECT id, ?, 'pending', 0 FROM webhooks WHERE name = ?
                """, arguments: [eventId, name])
          }
        }
        events.append(
          AlertEvent(
            id: eventId, alert: id, rule: e.rule, scope: e.scope.description, from: previous, to: e.state,
            period: e.period.description, value: e.value, threshold: e.threshold, message: e.message, at: at))
      }
      return events
    }
  }

  public func alerts() async throws -> [StoredAlert] {
    try await writer.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT id, rule_id, scope, state, severity, since, period, value, threshold, message, changed_at,
            acknowledged_by, acknowledged_at, note, review_id
          FROM alert_states ORDER BY id
          """
      ).compactMap(Self.alert)
    }
  }

  /// An alert from a row of the columns `alerts()` selects, read by position: by name, GRDB
  /// looks each column up with its name lowercased, which was most of reading thousands of them.
  static func alert(_ row: Row) -> StoredAlert? {
    guard let state = AlertState(rawValue: row[3]), let severity = AlertSeverity(rawValue: row[4]) else { return nil }
    return StoredAlert(
      id: row[0], rule: row[1], scope: row[2], state: state, severity: severity, since: row[5], period: row[6],
      value: row[7], threshold: row[8], message: row[9], changedAt: row[10], acknowledgedBy: row[11],
      acknowledgedAt: row[12], note: row[13], review: row[14])
  }

  public func alertEvents(alert: Int64?) async throws -> [AlertEvent] {
    try await writer.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT e.*, s.rule_id, s.scope FROM alert_events e JOIN alert_states s ON s.id = e.alert_id
          WHERE ? IS NULL OR e.alert_id = ? ORDER BY e.id
          """, arguments: [alert, alert]
      ).compactMap { row in
        guard let from = AlertState(rawValue: row["from_state"]), let to = AlertState(rawValue: row["to_state"]) else {
          return nil
        }
        return AlertEvent(
          id: row["id"], alert: row["alert_id"], rule: row["rule_id"], scope: row["scope"], from: from, to: to,
          period: row["period"], value: row["value"], threshold: row["threshold"], message: row["message"],
          at: row["at"])
      }
    }
  }

  public func acknowledgeAlert(id: Int64, by: String, note: String, at: String, review: Review) async throws -> Int64 {
    try await writer.write { db in
      guard let row = try Row.fetchOne(db, sql: "SELECT state FROM alert_states WHERE id = ?", arguments: [id]) else {
        throw AlertError.noAlert(id: id)
      }
      let state = AlertState(rawValue: row["state"]) ?? .ok
      guard state == .firing else { throw AlertError.notFiring(id: id, state: state) }
      let reviewId = try Self.insert(review, db)
      try db.execute(
        sql: "UPDATE alert_states SET acknowledged_by = ?, acknowledged_at = ?, note = ?, review_id = ? WHERE id = ?",
        arguments: [by, at, note, reviewId, id])
      _ = try Self.logChange(db, (.reviews, ""))
      return reviewId
    }
  }
}
