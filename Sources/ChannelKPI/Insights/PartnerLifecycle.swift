/// Where a partner is in its life in the program.
public enum PartnerStage: String, Sendable, Hashable, Codable, CaseIterable {
  /// Joined recently and has not won a deal yet.
  case onboarding
  /// Below the median composite score of its partner type (or not scored).
  case developing
  /// At or above its type's median score.
  case performing
  /// Its score fell period after period, or an alert fires for it.
  case atRisk = "at_risk"
  /// No activity at all for a while.
  case inactive

  public var title: String {
    switch self {
    case .onboarding: "Onboarding"
    case .developing: "Developing"
    case .performing: "Performing"
    case .atRisk: "At risk"
    case .inactive: "Inactive"
    }
  }
}

/// The rules that place partners in stages (the `lifecycle:` section of the definitions).
public struct LifecycleRules: Sendable, Hashable {
  /// The periods stages are judged for.
  public var grain: Grain = .quarter
  /// A partner is onboarding until its first won deal, at most this many days after joining.
  public var onboardingDays = 90
  /// Inactive after this many periods without any activity.
  public var inactivePeriods = 2
  /// At risk when its composite score fell in each of this many periods in a row.
  public var fallingPeriods = 2
  /// At risk (in the current period) while an alert fires for it.
  public var alertsMeanAtRisk = true

  public init() {}
}

/// A partner's stage in one period, and why.
public struct StagePoint: Sendable, Hashable, Codable {
  public var period: String
  public var stage: PartnerStage
  public var reason: String
  /// Its composite score (0–100) in the period, when it has one.
  public var score: Double?
  /// The median score of its type's partners in the period.
  public var typeMedian: Double?
}

/// A partner's current stage, its history and the days it spent in each stage.
public struct PartnerLifecycle: Sendable, Hashable, Codable {
  public var partner: String
  public var name: String
  public var type: String
  public var manager: String?
  public var stage: PartnerStage
  public var reason: String
  /// The first period of the current run of its stage.
  public var since: String
  public var history: [StagePoint]
  /// Days in the program spent in each stage (each period counts its days in the program).
  public var days: [String: Int]

  /// The same without figures of other partners (the type's median), for a viewer who sees only
  /// some partners.
  public func withoutPeerFigures() -> PartnerLifecycle {
    var l = self
    for i in l.history.indices { l.history[i].typeMedian = nil }
    return l
  }

  public init(
    partner: String, name: String, type: String, manager: String?, stage: PartnerStage, reason: String, since: String,
    history: [StagePoint], days: [String: Int]
  ) {
    self.partner = partner
    self.name = name
    self.type = type
    self.manager = manager
    self.stage = stage
    self.reason = reason
    self.since = since
    self.history = history
    self.days = days
  }
}

/// The score of a partner in a period, as the rules read it.
public struct LifecycleScore: Sendable, Hashable {
  public var score: Double?
  public var typeMedian: Double?
  public var scorecard: Bool

  public init(score: Double?, typeMedian: Double?, scorecard: Bool = true) {
    self.score = score
    self.typeMedian = typeMedian
    self.scorecard = scorecard
  }
}

/// Places partners in stages period by period. Pure: the scores, milestones and alerting
/// partners come from the caller.
public struct LifecycleClassifier: Sendable {
  public var rules: LifecycleRules
  /// The first day of the data: a window of periods that began before it says nothing about
  /// activity (the export starts later), so nobody is inactive over it.
  public var dataStart: Day?

  public init(rules: LifecycleRules, dataStart: Day? = nil) {
    self.rules = rules
    self.dataStart = dataStart
  }

  /// The stage of a partner in each of `periods` (consecutive, oldest first) in which it was in
  /// the program up to `today`; `alerting` applies to the last period only. Nil for a partner
  /// not in the program in the last period (it left, or joins later).
  public func history(
    partner p: PartnerInfo, milestones m: PartnerMilestones, periods: [Period],
    score: (Period) -> LifecycleScore, alerting: Bool, today: Day
  ) -> PartnerLifecycle? {
    var points: [StagePoint] = []
    var days: [String: Int] = [:]
    var scores: [Double?] = []
    for (k, period) in periods.enumerated() {
      guard p.isInProgram(during: period.months), p.joinedOn <= Swift.min(period.end, today) else {
        scores.append(nil)
        continue
      }
      let s = score(period)
      scores.append(s.score)
      let (stage, reason) = classify(
        p, m, period: period, score: s, recent: scores, alerting: alerting && k == periods.count - 1, today: today)
      points.append(
        StagePoint(period: period.description, stage: stage, reason: reason, score: s.score, typeMedian: s.typeMedian))
      // Days of the period the partner was in the program, up to today.
      let first = Swift.max(period.start, p.joinedOn)
      var last = Swift.min(period.end, today)
      if let left = p.leftOn { last = Swift.min(last, left - 1) }
      if last >= first { days[stage.rawValue, default: 0] += Int(last - first) + 1 }
    }
    guard let current = points.last, current.period == periods.last?.description else { return nil }
    var since = current.period
    for point in points.reversed() {
      guard point.stage == current.stage else { break }
      since = point.period
    }
    return PartnerLifecycle(
      partner: p.id, name: p.name, type: p.type, manager: p.manager, stage: current.stage, reason: current.reason,
      since: since, history: points, days: days)
  }

  /// The stage in one period. `recent` holds the scores of the periods up to this one.
  func classify(
    _ p: PartnerInfo, _ m: PartnerMilestones, period: Period, score s: LifecycleScore, recent: [Double?],
    alerting: Bool, today: Day
  ) -> (PartnerStage, String) {
    let end = Swift.min(period.end, today)
    let tenure = Int(end - p.joinedOn)
    let wonYet = m.firstWon.map { $0 <= end } ?? false
    if !wonYet && tenure < rules.onboardingDays {
      return (.onboarding, "joined \(p.joinedOn), \(tenure + 1) days ago, and no deal won yet")
    }
    // Inactive: a whole window of periods in the program with no activity.
    let window = period.shifted(by: -(rules.inactivePeriods - 1))
    if p.joinedOn <= window.start, dataStart.map({ $0 <= window.start }) ?? true,
      !m.active(during: MonthRange(first: window.firstMonth, last: period.lastMonth))
    {
      return (.inactive, "no activity in \(rules.inactivePeriods == 1 ? "\(period)" : "\(window)…\(period)")")
    }
    if alerting, rules.alertsMeanAtRisk { return (.atRisk, "an alert fires for it") }
    let n = rules.fallingPeriods
    if recent.count > n {
      let tail = recent.suffix(n + 1)
      let values = tail.compactMap { $0 }
      if values.count == n + 1, zip(values, values.dropFirst()).allSatisfy({ $1 < $0 }) {
        let from = ValueFormat.fixed(values[0], decimals: 0)
        let to = ValueFormat.fixed(values[n], decimals: 0)
        return (.atRisk, "its score fell \(n == 1 ? "once" : "\(n) periods in a row"), from \(from) to \(to)")
      }
    }
    guard s.scorecard else { return (.developing, "its type \(p.type) has no scorecard to score it") }
    guard let score = s.score else { return (.developing, "no score yet: no KPI of its scorecard has an attainment") }
    // The reason names the partner's own score only: the median is a figure of other partners.
    let own = "score \(ValueFormat.fixed(score, decimals: 0))"
    guard let median = s.typeMedian, score < median else {
      return (.performing, "\(own), at or above the median of its type \(p.type)")
    }
    return (.developing, "\(own), below the median of its type \(p.type)")
  }
}
