public import ChannelKPI

/// A (rule, scope) whose state has been other than ok at some time, as stored.
public struct StoredAlert: Sendable, Hashable, Codable {
  public var id: Int64
  public var rule: String
  public var scope: String
  public var state: AlertState
  public var severity: AlertSeverity
  /// The period the state began in, and the last period evaluated.
  public var since: String
  public var period: String
  public var value: Double?
  public var threshold: Double?
  public var message: String
  /// When the state last changed (ISO 8601).
  public var changedAt: String
  public var acknowledgedBy: String?
  public var acknowledgedAt: String?
  public var note: String?
  /// The review the acknowledgement recorded.
  public var review: Int64?

  public init(
    id: Int64, rule: String, scope: String, state: AlertState, severity: AlertSeverity, since: String, period: String,
    value: Double?, threshold: Double?, message: String, changedAt: String, acknowledgedBy: String? = nil,
    acknowledgedAt: String? = nil, note: String? = nil, review: Int64? = nil
  ) {
    self.id = id
    self.rule = rule
    self.scope = scope
    self.state = state
    self.severity = severity
    self.since = since
    self.period = period
    self.value = value
    self.threshold = threshold
    self.message = message
    self.changedAt = changedAt
    self.acknowledgedBy = acknowledgedBy
    self.acknowledgedAt = acknowledgedAt
    self.note = note
    self.review = review
  }
}

/// One change of an alert's state.
public struct AlertEvent: Sendable, Hashable, Codable {
  public var id: Int64
  public var alert: Int64
  public var rule: String
  public var scope: String
  public var from: AlertState
  public var to: AlertState
  public var period: String
  public var value: Double?
  public var threshold: Double?
  public var message: String
  public var at: String

  public init(
    id: Int64, alert: Int64, rule: String, scope: String, from: AlertState, to: AlertState, period: String,
    value: Double?, threshold: Double?, message: String, at: String
  ) {
    self.id = id
    self.alert = alert
    self.rule = rule
    self.scope = scope
    self.from = from
    self.to = to
    self.period = period
    self.value = value
    self.threshold = threshold
    self.message = message
    self.at = at
  }
}

extension AlertStore {
  /// Evaluations of data at no particular position (tests, a store nothing else writes to).
  public func recordAlertEvaluations(_ evaluations: [AlertEvaluation], at: String) async throws -> [AlertEvent] {
    try await recordAlertEvaluations(evaluations, at: at, position: 0)
  }
}

/// Why an alert cannot be acknowledged.
public enum AlertError: Error, Sendable, Hashable, CustomStringConvertible {
  case noAlert(id: Int64)
  case notFiring(id: Int64, state: AlertState)

  public var description: String {
    switch self {
    case .noAlert(let id): "no alert \(id)"
    case .notFiring(let id, let state):
      "alert \(id) is \(state.rawValue), not firing: only a firing alert is acknowledged"
    }
  }
}

/// Persistence of alert states and their history.
public protocol AlertStore: Sendable {
  /// Stores evaluations in one transaction: a (rule, scope) whose state changed gets the new
  /// state and an event (a firing one loses its acknowledgement); one that stays gets its latest
  /// figures; one never stored that is ok or resolved (it fired and recovered before the first
  /// evaluation) is not stored. Returns the events, in order.
  /// `position` is the change-log position of the data evaluated: an evaluation of older data
  /// than a (rule, scope) was last stored from (another instance's, made while this one was
  /// behind) leaves it as it is.
  func recordAlertEvaluations(_ evaluations: [AlertEvaluation], at: String, position: Int64) async throws
    -> [AlertEvent]
  /// Every stored alert, by id.
  func alerts() async throws -> [StoredAlert]
  /// The changes of one alert (or of all), oldest first.
  func alertEvents(alert: Int64?) async throws -> [AlertEvent]
  /// Acknowledges a firing alert and records the review in the same transaction; returns the
  /// review's id.
  func acknowledgeAlert(id: Int64, by: String, note: String, at: String, review: Review) async throws -> Int64
}

/// The alert tables, the same on both stores but for the key column's type.
enum AlertSchema {
  static func statements(serial: String) -> [String] {
    [
      """
      CREATE TABLE alert_states (
        id \(serial),
        rule_id TEXT NOT NULL,
        scope TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('ok', 'pending', 'firing', 'resolved')),
        severity TEXT NOT NULL,
        since TEXT NOT NULL,
        period TEXT NOT NULL,
        value DOUBLE PRECISION,
        threshold DOUBLE PRECISION,
        message TEXT NOT NULL,
        changed_at TEXT NOT NULL,
        acknowledged_by TEXT,
        acknowledged_at TEXT,
        note TEXT,
        review_id BIGINT,
        position BIGINT NOT NULL DEFAULT 0,
        UNIQUE (rule_id, scope)
      )
      """,
      """
      CREATE TABLE alert_events (
        id \(serial),
        alert_id BIGINT NOT NULL REFERENCES alert_states (id),
        from_state TEXT NOT NULL,
        to_state TEXT NOT NULL,
        period TEXT NOT NULL,
        value DOUBLE PRECISION,
        threshold DOUBLE PRECISION,
        message TEXT NOT NULL,
        at TEXT NOT NULL
      )
      """,
      "CREATE INDEX alert_events_alert ON alert_events (alert_id, id)",
    ]
  }
}

extension AlertEvaluation {
  /// The review an acknowledgement records: about the partner (for a partner scope) and the KPI.
  public static func review(
    of alert: StoredAlert, rule: AlertRule?, by: String, note: String, on day: Day
  ) -> Review {
    let scope = Scope(alert.scope)
    return Review(
      date: day, reviewer: by, partner: scope?.kind == .partner ? scope?.value : nil, kpi: rule?.kpi,
      period: Period(alert.period), finding: "Alert \(alert.rule) (\(alert.scope)) firing: \(alert.message)",
      action: note)
  }
}
