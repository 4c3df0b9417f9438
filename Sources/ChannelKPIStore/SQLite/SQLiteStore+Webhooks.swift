public import ChannelKPI
import Foundation
import GRDB

extension SQLiteStore {
  public func addWebhook(_ w: Webhook) async throws -> Int64 {
    try await writer.write { db in
      if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM webhooks WHERE name = ?", arguments: [w.name]) ?? 0 > 0 {
        throw WebhookError.exists(w.name)
      }
      try db.execute(
        sql: "INSERT INTO webhooks (name, url, secret, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
        arguments: [w.name, w.url, w.secret, w.createdAt, w.createdBy])
      return db.lastInsertedRowID
    }
  }

  public func webhooks() async throws -> [Webhook] {
    try await writer.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM webhooks ORDER BY name").map { row in
        Webhook(
          id: row["id"], name: row["name"], url: row["url"], secret: row["secret"], createdAt: row["created_at"],
          createdBy: row["created_by"])
      }
    }
  }

  public func removeWebhook(name: String) async throws {
    try await writer.write { db in
      try db.execute(sql: "DELETE FROM webhooks WHERE name = ?", arguments: [name])
      if db.changesCount == 0 { throw WebhookError.unknown(name) }
    }
  }

  public func queueDelivery(webhook name: String, payload: String?, at now: Int64) async throws -> Int64 {
    try await writer.write { db in
      guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM webhooks WHERE name = ?", arguments: [name]) else {
        throw WebhookError.unknown(name)
      }
      try db.execute(
        sql: "INSERT INTO webhook_deliveries (webhook_id, state, next_attempt_at, payload) VALUES (?, 'pending', ?, ?)",
        arguments: [id, now, payload])
      return db.lastInsertedRowID
    }
  }

  public func claimDigest(day: String, at: String) async throws -> Bool {
    try await writer.write { db in
      try db.execute(sql: "INSERT OR IGNORE INTO digest_runs (day, at) VALUES (?, ?)", arguments: [day, at])
      return db.changesCount == 1
    }
  }

  public func claimDeliveries(now: Int64, limit: Int, lease: Int64, only: Int64?) async throws
    -> [ClaimedDelivery]
  {
    // Asked every second by each server: a read first, so an idle queue takes no write lock.
    let due = try await writer.read { db in
      try Bool.fetchOne(
        db,
        sql: """
          SELECT EXISTS (SELECT 1 FROM webhook_deliveries
            WHERE state = 'pending' AND next_attempt_at <= ? AND claimed_until <= ? AND (? IS NULL OR id = ?))
          """, arguments: [now, now, only, only]) ?? false
    }
    guard due else { return [] }
    return try await writer.write { db in
      // One writer at a time: what is read here is claimed before anyone else can read it.
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT d.*, w.name AS webhook_name, w.url, w.secret, e.alert_id, e.from_state, e.to_state, e.period,
            e.value AS event_value, e.threshold AS event_threshold, e.message, e.at, s.rule_id, s.scope, s.severity
          FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
          LEFT JOIN alert_events e ON e.id = d.event_id LEFT JOIN alert_states s ON s.id = e.alert_id
          WHERE d.state = 'pending' AND d.next_attempt_at <= ? AND d.claimed_until <= ? AND (? IS NULL OR d.id = ?)
          ORDER BY d.id LIMIT ?
          """, arguments: [now, now, only, only, limit])
      var out: [ClaimedDelivery] = []
      for row in rows {
        let id: Int64 = row["id"]
        try db.execute(
          sql: "UPDATE webhook_deliveries SET claimed_until = ? WHERE id = ?", arguments: [now + lease, id])
        var event: AlertEvent?
        if let eventId: Int64 = row["event_id"], let from = AlertState(rawValue: row["from_state"] ?? ""),
          let to = AlertState(rawValue: row["to_state"] ?? "")
        {
          event = AlertEvent(
            id: eventId, alert: row["alert_id"], rule: row["rule_id"], scope: row["scope"], from: from, to: to,
            period: row["period"], value: row["event_value"], threshold: row["event_threshold"],
            message: row["message"], at: row["at"])
        }
        out.append(
          ClaimedDelivery(
            delivery: Self.delivery(row, webhook: row["webhook_name"]), url: row["url"], secret: row["secret"],
            event: event, severity: (row["severity"] as String?).flatMap(AlertSeverity.init), payload: row["payload"]))
      }
      return out
    }
  }

  static func delivery(_ row: Row, webhook: String) -> WebhookDelivery {
    WebhookDelivery(
      id: row["id"], webhook: webhook, event: row["event_id"], state: row["state"], attempts: row["attempts"],
      firstAttemptAt: row["first_attempt_at"], nextAttemptAt: row["next_attempt_at"], lastStatus: row["last_status"],
      lastError: row["last_error"], deliveredAt: row["delivered_at"])
  }

  public func recordAttempt(
    delivery id: Int64, at now: Int64, status: Int?, error: String?, delivered: Bool, retryAt: Int64?
  ) async throws {
    let state = delivered ? "delivered" : (retryAt == nil ? "failed" : "pending")
    try await writer.write { db in
      try db.execute(
        sql: """
          UPDATE webhook_deliveries SET attempts = attempts + 1, first_attempt_at = COALESCE(first_attempt_at, ?),
            state = ?, next_attempt_at = COALESCE(?, next_attempt_at), claimed_until = 0, last_status = ?,
            last_error = ?, delivered_at = ?
          WHERE id = ? AND state = 'pending'
          """,
        arguments: [now, state, retryAt, status, error, delivered ? now : nil, id])
    }
  }

  public func deliveries(webhook name: String?, limit: Int) async throws -> [WebhookDelivery] {
    try await writer.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT d.*, w.name AS webhook_name FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
          WHERE ? IS NULL OR w.name = ? ORDER BY d.id DESC LIMIT ?
          """, arguments: [name, name, limit]
      ).map { Self.delivery($0, webhook: $0["webhook_name"]) }
    }
  }
}
