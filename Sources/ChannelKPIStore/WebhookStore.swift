public import ChannelKPI
import Foundation

/// An endpoint alert changes are posted to, signed with its secret.
public struct Webhook: Sendable, Hashable {
  public var id: Int64
  /// What alert rules name in `notify:`.
  public var name: String
  public var url: String
  /// The HMAC key of `X-ChannelKPI-Signature`. It has to be read back to sign, so it is stored
  /// as given (never logged, listed or exported).
  public var secret: String
  public var createdAt: String
  public var createdBy: String

  public init(id: Int64 = 0, name: String, url: String, secret: String, createdAt: String, createdBy: String) {
    self.id = id
    self.name = name
    self.url = url
    self.secret = secret
    self.createdAt = createdAt
    self.createdBy = createdBy
  }
}

/// A notification waiting to be delivered or delivered: one alert change (or a test) for one
/// webhook, with its attempts.
public struct WebhookDelivery: Sendable, Hashable, Codable {
  public var id: Int64
  public var webhook: String
  /// The alert change it tells of; nil for a test.
  public var event: Int64?
  /// `pending` (to be tried at `nextAttemptAt`), `delivered` or `failed` (given up).
  public var state: String
  public var attempts: Int
  /// Seconds since 1970 of the first attempt, and of the next.
  public var firstAttemptAt: Int64?
  public var nextAttemptAt: Int64
  public var lastStatus: Int?
  public var lastError: String?
  public var deliveredAt: Int64?

  public init(
    id: Int64, webhook: String, event: Int64?, state: String, attempts: Int, firstAttemptAt: Int64?,
    nextAttemptAt: Int64, lastStatus: Int?, lastError: String?, deliveredAt: Int64?
  ) {
    self.id = id
    self.webhook = webhook
    self.event = event
    self.state = state
    self.attempts = attempts
    self.firstAttemptAt = firstAttemptAt
    self.nextAttemptAt = nextAttemptAt
    self.lastStatus = lastStatus
    self.lastError = lastError
    self.deliveredAt = deliveredAt
  }
}

/// A delivery claimed for sending: what to send where.
public struct ClaimedDelivery: Sendable, Hashable {
  public var delivery: WebhookDelivery
  public var url: String
  public var secret: String
  /// The change it tells of with the alert's severity; nil for a test or a digest.
  public var event: AlertEvent?
  public var severity: AlertSeverity?
  /// The JSON body queued with it (a digest); nil for alert changes and tests.
  public var payload: String?
}

extension Webhook {
  /// Why a name or an address cannot be a webhook's, or nil when both can: a name is ASCII
  /// letters, digits, `_` and `-` (at most 100); an address is http or https with a host.
  public static func problem(name: String, url: String) -> String? {
    guard !name.isEmpty, name.count <= 100,
      name.unicodeScalars.allSatisfy({
        ($0.isASCII && CharacterSet.alphanumerics.contains($0)) || $0 == "_" || $0 == "-"
      })
    else {
      return "a webhook's name is letters, digits, '_' and '-', not '\(name)'"
    }
    guard let u = URL(string: url), ["http", "https"].contains(u.scheme?.lowercased() ?? ""), u.host != nil,
      url.count <= 2000
    else {
      return "the url must be an http or https address, not '\(url)'"
    }
    return nil
  }
}

/// Why a webhook cannot be added or named.
public enum WebhookError: Error, Sendable, Hashable, CustomStringConvertible {
  case exists(String)
  case unknown(String)

  public var description: String {
    switch self {
    case .exists(let n): "a webhook named '\(n)' exists already"
    case .unknown(let n): "no webhook '\(n)'"
    }
  }
}

/// Persistence of webhooks and of their deliveries. Deliveries are queued in the transaction that
/// records the alert change, so a change is never lost between the two, and claimed for a while
/// by the instance that sends them, so each is sent by one instance at a time.
public protocol WebhookStore: Sendable {
  func addWebhook(_ webhook: Webhook) async throws -> Int64
  /// Every webhook, by name.
  func webhooks() async throws -> [Webhook]
  /// Removes a webhook and its deliveries.
  func removeWebhook(name: String) async throws
  /// Queues a delivery for a webhook, with its JSON body (a digest) or none (a test); returns its id.
  func queueDelivery(webhook name: String, payload: String?, at now: Int64) async throws -> Int64
  /// Claims the digest of a day for the caller: true the first time a day is claimed, false after,
  /// so that of several servers (or restarts) one sends it.
  func claimDigest(day: String, at: String) async throws -> Bool
  /// Claims up to `limit` pending deliveries due at `now` that no one holds (only delivery
  /// `only`, when given), for `lease` seconds.
  func claimDeliveries(now: Int64, limit: Int, lease: Int64, only: Int64?) async throws -> [ClaimedDelivery]
  /// Records an attempt of a pending delivery: delivered, or tried again at `retryAt`, or given
  /// up (`retryAt` nil). A delivery no longer pending (another sender finished it) is left alone.
  func recordAttempt(
    delivery id: Int64, at now: Int64, status: Int?, error: String?, delivered: Bool, retryAt: Int64?
  ) async throws
  /// The deliveries of one webhook (or of all), newest first.
  func deliveries(webhook name: String?, limit: Int) async throws -> [WebhookDelivery]
}

extension WebhookStore {
  /// Queues a test delivery for a webhook; returns its id.
  public func queueTestDelivery(webhook name: String, at now: Int64) async throws -> Int64 {
    try await queueDelivery(webhook: name, payload: nil, at: now)
  }

  public func claimDeliveries(now: Int64, limit: Int, lease: Int64) async throws -> [ClaimedDelivery] {
    try await claimDeliveries(now: now, limit: limit, lease: lease, only: nil)
  }
}

/// The webhook tables, the same on both stores but for the key column's type.
enum WebhookSchema {
  /// Bodies queued with deliveries (digests), and the days whose digest was sent.
  static let digestStatements = [
    "ALTER TABLE webhook_deliveries ADD COLUMN payload TEXT",
    "CREATE TABLE digest_runs (day TEXT PRIMARY KEY, at TEXT NOT NULL)",
  ]

  static func statements(serial: String) -> [String] {
    [
      """
      CREATE TABLE webhooks (
        id \(serial),
        name TEXT NOT NULL UNIQUE,
        url TEXT NOT NULL,
        secret TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL
      )
      """,
      """
      CREATE TABLE webhook_deliveries (
        id \(serial),
        webhook_id BIGINT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
        event_id BIGINT REFERENCES alert_events (id),
        state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        first_attempt_at BIGINT,
        next_attempt_at BIGINT NOT NULL,
        claimed_until BIGINT NOT NULL DEFAULT 0,
        last_status INTEGER,
        last_error TEXT,
        delivered_at BIGINT
      )
      """,
      "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at)",
    ]
  }
}
