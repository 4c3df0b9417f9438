public import ChannelKPI
import Foundation
import PostgresNIO

extension PostgresStore {
  public func addWebhook(_ w: Webhook) async throws -> Int64 {
    do {
      return try await one(
        """
        INSERT INTO webhooks (name, url, secret, created_at, created_by)
        VALUES (\(w.name), \(w.url), \(w.secret), \(w.createdAt), \(w.createdBy))
        RETURNING id
        """, as: Int64.self) ?? 0
    } catch let e as PSQLError where e.serverInfo?[.sqlState] == "23505" {
      throw WebhookError.exists(w.name)
    }
  }

  public func webhooks() async throws -> [Webhook] {
    var out: [Webhook] = []
    let rows = try await client.query(
      "SELECT id, name, url, secret, created_at, created_by FROM webhooks ORDER BY name", logger: logger)
    for try await (id, name, url, secret, at, by) in rows.decode((Int64, String, String, String, String, String).self) {
      out.append(Webhook(id: id, name: name, url: url, secret: secret, createdAt: at, createdBy: by))
    }
    return out
  }

  public func removeWebhook(name: String) async throws {
    guard try await one("DELETE FROM webhooks WHERE name = \(name) RETURNING id", as: Int64.self) != nil else {
      throw WebhookError.unknown(name)
    }
  }

  public func queueDelivery(webhook name: String, payload: String?, at now: Int64) async throws -> Int64 {
    guard
      let id = try await one(
        """
        INSERT INTO webhook_deliveries (webhook_id, state, next_attempt_at, payload)
        SELECT id, 'pending', \(now), \(payload)::TEXT FROM webhooks WHERE name = \(name)
        RETURNING id
        """, as: Int64.self)
    else { throw WebhookError.unknown(name) }
    return id
  }

  public func claimDigest(day: String, at: String) async throws -> Bool {
    try await one(
      "INSERT INTO digest_runs (day, at) VALUES (\(day), \(at)) ON CONFLICT (day) DO NOTHING RETURNING day",
      as: String.self) != nil
  }

  public func claimDeliveries(now: Int64, limit: Int, lease: Int64, only: Int64?) async throws
    -> [ClaimedDelivery]
  {
    // SKIP LOCKED: instances claiming at the same moment take different rows.
    let rows = try await client.query(
      """
      WITH due AS (
        SELECT id FROM webhook_deliveries
        WHERE state = 'pending' AND next_attempt_at <= \(now) AND claimed_until <= \(now)
          AND (\(only)::BIGINT IS NULL OR id = \(only))
        ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED
      ), claimed AS (
        UPDATE webhook_deliveries d SET claimed_until = \(now + lease) FROM due WHERE d.id = due.id
        RETURNING d.*
      )
      SELECT c.id, w.name, c.event_id, c.state, c.attempts, c.first_attempt_at, c.next_attempt_at, c.last_status,
        c.last_error, c.delivered_at, w.url, w.secret, e.alert_id, e.from_state, e.to_state, e.period, e.value,
        e.threshold, e.message, e.at, s.rule_id, s.scope, s.severity, c.payload
      FROM claimed c JOIN webhooks w ON w.id = c.webhook_id
      LEFT JOIN alert_events e ON e.id = c.event_id LEFT JOIN alert_states s ON s.id = e.alert_id
      ORDER BY c.id
      """, logger: logger)
    var out: [ClaimedDelivery] = []
    for try await row in rows {
      let r = row.makeRandomAccess()
      let delivery = WebhookDelivery(
        id: try r[0].decode(Int64.self), webhook: try r[1].decode(String.self),
        event: try r[2].decode(Int64?.self), state: try r[3].decode(String.self), attempts: try r[4].decode(Int.self),
        firstAttemptAt: try r[5].decode(Int64?.self), nextAttemptAt: try r[6].decode(Int64.self),
        lastStatus: try r[7].decode(Int?.self), lastError: try r[8].decode(String?.self),
        deliveredAt: try r[9].decode(Int64?.self))
      var event: AlertEvent?
      if let eventId = delivery.event, let from = AlertState(rawValue: try r[13].decode(String?.self) ?? ""),
        let to = AlertState(rawValue: try r[14].decode(String?.self) ?? "")
      {
        event = AlertEvent(
          id: eventId, alert: try r[12].decode(Int64.self), rule: try r[20].decode(String.self),
          scope: try r[21].decode(String.self), from: from, to: to, period: try r[15].decode(String.self),
          value: try r[16].decode(Double?.self), threshold: try r[17].decode(Double?.self),
          message: try r[18].decode(String.self), at: try r[19].decode(String.self))
      }
      out.append(
        ClaimedDelivery(
          delivery: delivery, url: try r[10].decode(String.self), secret: try r[11].decode(String.self), event: event,
          severity: (try r[22].decode(String?.self)).flatMap(AlertSeverity.init),
          payload: try r[23].decode(String?.self)))
    }
    return out
  }

  public func recordAttempt(
    delivery id: Int64, at now: Int64, status: Int?, error: String?, delivered: Bool, retryAt: Int64?
  ) async throws {
    let state = delivered ? "delivered" : (retryAt == nil ? "failed" : "pending")
    let deliveredAt: Int64? = delivered ? now : nil
    try await client.query(
      """
      UPDATE webhook_deliveries SET attempts = attempts + 1, first_attempt_at = COALESCE(first_attempt_at, \(now)),
        state = \(state), next_attempt_at = COALESCE(\(retryAt)::BIGINT, next_attempt_at), claimed_until = 0,
        last_status = \(status), last_error = \(error), delivered_at = \(deliveredAt)
      WHERE id = \(id) AND state = 'pending'
      """, logger: logger)
  }

  public func deliveries(webhook name: String?, limit: Int) async throws -> [WebhookDelivery] {
    var out: [WebhookDelivery] = []
    let rows = try await client.query(
      """
      SELECT d.id, w.name, d.event_id, d.state, d.attempts, d.first_attempt_at, d.next_attempt_at, d.last_status,
        d.last_error, d.delivered_at
      FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
      WHERE \(name)::TEXT IS NULL OR w.name = \(name)
      ORDER BY d.id DESC LIMIT \(limit)
      """, logger: logger)
    for try await (id, webhook, event, state, attempts, first, next, status, error, delivered) in rows.decode(
      (Int64, String, Int64?, String, Int, Int64?, Int64, Int?, String?, Int64?).self)
    {
      out.append(
        WebhookDelivery(
          id: id, webhook: webhook, event: event, state: state, attempts: attempts, firstAttemptAt: first,
          nextAttemptAt: next, lastStatus: status, lastError: error, deliveredAt: delivered))
    }
    return out
  }
}
