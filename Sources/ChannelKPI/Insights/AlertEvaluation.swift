/// Where a (rule, scope) stands: `pending` while the condition has held for fewer periods than
/// the rule's `for`, `firing` once it has, `resolved` once a firing condition has not held for
/// `resolve_after` periods, `ok` otherwise.
public enum AlertState: String, Sendable, Hashable, CaseIterable, Codable {
  case ok, pending, firing, resolved

  /// The state to store after one stored as `self`, when an evaluation says `evaluated`: what
  /// was told stays consistent. An alert that was firing and no longer is resolves (also when
  /// facts that came later show its condition never held, or it is pending again); one that was
  /// never told as firing does not resolve, it is ok; a resolved one stays so until it holds again.
  public func next(_ evaluated: AlertState) -> AlertState {
    switch (self, evaluated) {
    case (.firing, .ok), (.firing, .pending), (.resolved, .ok): .resolved
    case (.ok, .resolved), (.pending, .resolved): .ok
    default: evaluated
    }
  }
}

/// A rule's verdict for one scope, as of the last period that has ended.
public struct AlertEvaluation: Sendable, Hashable {
  public var rule: String
  public var scope: Scope
  public var state: AlertState
  /// The period the state began in.
  public var since: Period
  /// The last period evaluated, with the KPI's value and the limit it was held against there.
  public var period: Period
  public var value: Double?
  public var threshold: Double?
  /// The verdict of the last period in words.
  public var message: String
  public var severity: AlertSeverity
  /// The webhooks the rule notifies of a change to firing or resolved.
  public var notify: [String]

  public init(
    rule: String, scope: Scope, state: AlertState, since: Period, period: Period, value: Double?, threshold: Double?,
    message: String, severity: AlertSeverity, notify: [String] = []
  ) {
    self.notify = notify
    self.rule = rule
    self.scope = scope
    self.state = state
    self.since = since
    self.period = period
    self.value = value
    self.threshold = threshold
    self.message = message
    self.severity = severity
  }
}

/// A rule's condition for one period: whether it held, against what.
struct AlertCheck: Hashable {
  var holds: Bool
  var value: Double?
  var threshold: Double?
  var message: String
}

/// The states of a rule from its condition period by period.
public enum AlertStateMachine {
  /// The state after the last period, and the index of the period it began in (0 when the rule
  /// has been in it from the start).
  public static func run(_ holds: [Bool], forPeriods: Int, resolveAfter: Int) -> (AlertState, since: Int) {
    var state = AlertState.ok
    var since = 0
    var held = 0
    var missed = 0
    for (i, h) in holds.enumerated() {
      if h {
        held += 1
        missed = 0
      } else {
        missed += 1
        held = 0
      }
      let next: AlertState
      switch state {
      case .ok, .resolved, .pending:
        next = h ? (held >= forPeriods ? .firing : .pending) : (state == .pending ? .ok : state)
      case .firing:
        next = !h && missed >= resolveAfter ? .resolved : .firing
      }
      if next != state {
        state = next
        since = i
      }
    }
    return (state, since)
  }
}
