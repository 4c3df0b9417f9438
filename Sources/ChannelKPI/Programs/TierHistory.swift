import Synchronization

/// What an evaluation did to a partner's level.
public enum TierChange: String, Sendable, Hashable, CaseIterable, Codable {
  case promoted, demoted, held
  case atRisk = "at_risk"
}

/// A manager's decision that replaces the evaluated level of a partner for a while.
public struct TierOverride: Sendable, Hashable {
  public var partner: String
  public var level: String
  public var reason: String
  /// The days it covers (inclusive).
  public var from: Day
  public var until: Day
  public var setBy: String
  public var setAt: String

  public init(partner: String, level: String, reason: String, from: Day, until: Day, setBy: String, setAt: String) {
    self.partner = partner
    self.level = level
    self.reason = reason
    self.from = from
    self.until = until
    self.setBy = setBy
    self.setAt = setAt
  }

  public func covers(_ d: Day) -> Bool { from <= d && d <= until }
}

/// A requirement a partner did not meet at an evaluation, with its value over the window.
public struct RequirementStanding: Sendable, Hashable {
  public var level: String
  public var requirement: TierRequirement
  public var value: Double?
  /// How far from meeting it (0 when met; nil without a value).
  public var shortfall: Double? { requirement.shortfall(value) }
  public var isMet: Bool { requirement.isMet(by: value) }
}

/// One evaluation of one partner at the end of one period.
public struct TierEvaluation: Sendable, Hashable {
  public var partner: String
  public var period: Period
  /// The months the requirements were measured over.
  public var window: MonthRange
  /// The level held before the evaluation.
  public var held: String
  /// The highest level whose requirements were all met.
  public var qualified: String
  /// The level held from the day after the period on.
  public var level: String
  public var change: TierChange
  /// Evaluations in a row below the held level, after this one.
  public var misses: Int
  /// The requirements not met of every level above the qualified one.
  public var failing: [RequirementStanding]
  /// The value of every KPI of the ladder over the window (nil: no value).
  public var values: [String: Double?]
  /// The override that set the level, if one did.
  public var override: TierOverride?
  /// The definitions version whose ladder was used.
  public var version: Int?
}

/// Every partner's tier evaluations and the level each holds on any day.
public struct TierHistory: Sendable {
  /// The ladder of the latest definitions (nil: the program has no ladder).
  public let ladder: TierLadder?
  /// Each partner's level before its first evaluation (nil: outside the ladder).
  public let initial: [String: String?]
  /// The partners' `tier` attributes, used when the program has no ladder.
  let attributes: [String: String?]
  let overrides: [String: [TierOverride]]
  /// Each partner's evaluations, oldest first, one slot per partner in the order of their ids
  /// (empty for a partner never evaluated): evaluating some partners again replaces their slots
  /// and leaves the others' evaluations in place, uncopied.
  let slots: [[TierEvaluation]]
  /// Each partner's slot.
  let slotOf: [String: Int]
  /// The ids of the partners evaluated, in the order they were given (empty without slots).
  let partnerIds: [String]
  private let joined = JoinedEvaluations()

  /// Evaluations ordered by partner, then period (joined from the slots on first use).
  public var evaluations: [TierEvaluation] { joined.value(slots) }

  init(
    ladder: TierLadder?, slots: [[TierEvaluation]], slotOf: [String: Int], partnerIds: [String],
    initial: [String: String?], attributes: [String: String?], overrides: [String: [TierOverride]]
  ) {
    self.ladder = ladder
    self.slots = slots
    self.slotOf = slotOf
    self.partnerIds = partnerIds
    self.initial = initial
    self.attributes = attributes
    self.overrides = overrides
  }

  /// A history without evaluations.
  init(ladder: TierLadder?, initial: [String: String?], attributes: [String: String?], overrides: [TierOverride]) {
    self.init(
      ladder: ladder, slots: [], slotOf: [:], partnerIds: [], initial: initial, attributes: attributes,
      overrides: Dictionary(grouping: overrides, by: \.partner))
  }

  /// One partner's evaluations, oldest first.
  public func evaluations(of partner: String) -> ArraySlice<TierEvaluation> {
    slotOf[partner].map { slots[$0][...] } ?? []
  }

  /// The level a partner holds on a day: an override covering the day, else the result of the
  /// latest evaluation of a period that ended before it, else its level before evaluations. With
  /// no ladder, the partner's `tier` attribute.
  public func tier(of partner: String, on day: Day) -> String? {
    guard let ladder else { return attributes[partner] ?? nil }
    guard let initialLevel = initial[partner] else { return nil }
    let evs = evaluations(of: partner)
    let last = evs.last { $0.period.end < day }
    // Outside the ladder (never in its applies_to), a partner holds no level, overridden or not.
    guard initialLevel != nil || last != nil else { return nil }
    if let o = overrides[partner]?.last(where: { $0.covers(day) && ladder.rank(of: $0.level) != nil }) {
      return o.level
    }
    return last?.level ?? initialLevel
  }

  /// The tier held during a period: the one held on its first day.
  public func tier(of partner: String, during p: Period) -> String? { tier(of: partner, on: p.start) }

  /// The level a partner holds now and, for each requirement of the level above it, the value over
  /// the latest evaluated window and the shortfall. Nil above the top level or outside the ladder.
  public func gap(of partner: String, today: Day) -> (level: String, next: TierLevel, standings: [RequirementStanding])?
  {
    guard let ladder, let held = tier(of: partner, on: today), let r = ladder.rank(of: held),
      r + 1 < ladder.levels.count
    else { return nil }
    let next = ladder.levels[r + 1]
    let last = evaluations(of: partner).last
    return (
      held, next,
      next.requires.map { req in
        RequirementStanding(level: next.id, requirement: req, value: last?.values[req.kpi] ?? nil)
      }
    )
  }
}

/// The slots of a history joined into one array, once, by whichever reader asks first.
private final class JoinedEvaluations: Sendable {
  private let joined = Mutex<[TierEvaluation]?>(nil)

  func value(_ slots: [[TierEvaluation]]) -> [TierEvaluation] {
    joined.withLock { j in
      if let j { return j }
      let all = Array(slots.joined())
      j = all
      return all
    }
  }
}
