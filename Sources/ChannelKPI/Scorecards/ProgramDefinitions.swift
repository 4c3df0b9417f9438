/// A strategic goal of the program, measured by a few KPIs.
public struct Objective: Sendable, Hashable {
  public var id: String
  public var name: String
  public var description: String
  public var owner: String
  /// First and last period the objective is active in (nil: open-ended).
  public var from: Period?
  public var to: Period?
  /// The KPIs that measure it.
  public var kpis: [String]

  public init(
    id: String, name: String, description: String = "", owner: String = "", from: Period? = nil, to: Period? = nil,
    kpis: [String]
  ) {
    self.id = id
    self.name = name
    self.description = description
    self.owner = owner
    self.from = from
    self.to = to
    self.kpis = kpis
  }

  /// Whether the objective is active in any part of the months of `range`.
  public func isActive(in range: MonthRange) -> Bool {
    if let from, range.last < from.firstMonth { return false }
    if let to, range.first > to.lastMonth { return false }
    return true
  }
}

/// How a KPI's baseline for a period is found from its own history.
public enum BaselineMethod: Sendable, Hashable {
  /// The mean of the values of the previous `n` periods of the same grain (those with a value).
  case previousPeriods(Int)
  /// The value of the same period a year earlier.
  case samePeriodLastYear
  /// A fixed value.
  case fixed(Double)

  public static let `default` = BaselineMethod.previousPeriods(4)

  public var description: String {
    switch self {
    case .previousPeriods(let n): "mean of the previous \(n) periods"
    case .samePeriodLastYear: "same period last year"
    case .fixed(let v): "fixed \(ValueFormat.machine(v))"
    }
  }
}

/// Attainment levels that separate on track, at risk and off track.
public struct StatusThresholds: Sendable, Hashable {
  /// At or above: on track.
  public var onTrack: Double
  /// At or above (and below `onTrack`): at risk; below: off track.
  public var atRisk: Double

  public init(onTrack: Double = 1.0, atRisk: Double = 0.9) {
    self.onTrack = onTrack
    self.atRisk = atRisk
  }

  public static let `default` = StatusThresholds()
}

/// How a target's value is set.
public enum TargetRule: Sendable, Hashable {
  /// A value.
  case value(Double)
  /// The baseline × (1 + growth).
  case growth(Double)
  /// The baseline + delta.
  case delta(Double)

  public var description: String {
    switch self {
    case .value(let v): "value \(ValueFormat.machine(v))"
    case .growth(let g): "baseline × (1 \(g < 0 ? "−" : "+") \(ValueFormat.machine(Swift.abs(g))))"
    case .delta(let d): "baseline \(d < 0 ? "−" : "+") \(ValueFormat.machine(Swift.abs(d)))"
    }
  }
}

/// A target for one KPI and scope over a range of periods of one grain.
public struct TargetDefinition: Sendable, Hashable {
  public var kpi: String
  /// `network`, `type:X`, `region:X`, `tier:X` or `partner:ID`.
  public var scope: Scope
  /// The grain of the periods it applies to; nil: every grain.
  public var grain: Grain?
  /// The periods it applies to (nil: open-ended).
  public var from: Period?
  public var to: Period?
  public var rule: TargetRule

  public init(kpi: String, scope: Scope, grain: Grain? = nil, from: Period? = nil, to: Period? = nil, rule: TargetRule)
  {
    self.kpi = kpi
    self.scope = scope
    self.grain = grain
    self.from = from
    self.to = to
    self.rule = rule
  }

  /// Whether the target covers a period.
  public func applies(to p: Period) -> Bool {
    if let grain, grain != p.grain { return false }
    if let from, p.lastMonth < from.firstMonth { return false }
    if let to, p.firstMonth > to.lastMonth { return false }
    return true
  }
}

/// One KPI of a scorecard and its weight.
public struct ScorecardItem: Sendable, Hashable {
  public var kpi: String
  public var weight: Double
  public init(kpi: String, weight: Double = 1) {
    self.kpi = kpi
    self.weight = weight
  }
}

/// The few KPIs that matter to a partner type (or to the program as a whole), with weights.
public struct ScorecardDefinition: Sendable, Hashable {
  public var id: String
  public var name: String
  /// The partner type it is for; nil for the network scorecard.
  public var partnerType: String?
  public var items: [ScorecardItem]

  public init(id: String, name: String, partnerType: String?, items: [ScorecardItem]) {
    self.id = id
    self.name = name
    self.partnerType = partnerType
    self.items = items
  }

  public var isNetwork: Bool { partnerType == nil }
}

/// Thresholds of the KPI hygiene check.
public struct HygieneThresholds: Sendable, Hashable {
  /// More KPIs than this on one scorecard is too many.
  public var maxScorecardKPIs = 7
  /// How many recent periods the data, results and static checks look at.
  public var recentPeriods = 3
  /// A scorecard KPI lacks data when fewer than this share of the partners have a value.
  public var minDataCoverage = 0.5
  /// Off track for this many periods in a row without a review is ignoring results.
  public var offTrackPeriods = 3
  /// A target unchanged for this many periods …
  public var staticTargetPeriods = 4
  /// … while the actual value moved by more than this share is static.
  public var staticActualChange = 0.3
  /// A target that asks for more than the largest period-over-period growth the scope ever had,
  /// plus this margin, is unattainable.
  public var unattainableMargin = 0.1

  public init() {}
}

/// One version of a program's definitions: KPIs, objectives, targets, scorecards, the tier ladder
/// and incentive plans.
public struct ProgramDefinitions: Sendable, Hashable {
  /// KPIs added to or overriding the built-in catalog.
  public var catalog: Catalog
  public var objectives: [Objective]
  public var targets: [TargetDefinition]
  public var baselines: [String: BaselineMethod]
  public var thresholds: [String: StatusThresholds]
  /// KPIs that can be projected to the period's end from the days elapsed (flows), by id,
  /// overriding what the formula suggests.
  public var pace: [String: Bool]
  public var scorecards: [ScorecardDefinition]
  public var hygiene: HygieneThresholds
  /// The tier ladder (at most one per program).
  public var tiers: TierLadder?
  /// Incentive plans: rebates, attainment bonuses, spiffs and market development funds.
  public var incentives: [IncentivePlan]
  /// External figures (industry studies) shown beside partners' and peers' values.
  public var benchmarks: [ExternalBenchmark]
  /// Alert rules: conditions on KPIs watched over scopes, and who is told.
  public var alerts: [AlertRule]
  /// Trainings and certifications recommended for off-track KPIs.
  public var enablement: [EnablementItem]
  /// How partners are placed in lifecycle stages.
  public var lifecycle: LifecycleRules

  public init(
    catalog: Catalog = Catalog(), objectives: [Objective] = [], targets: [TargetDefinition] = [],
    baselines: [String: BaselineMethod] = [:], thresholds: [String: StatusThresholds] = [:], pace: [String: Bool] = [:],
    scorecards: [ScorecardDefinition] = [], hygiene: HygieneThresholds = HygieneThresholds(), tiers: TierLadder? = nil,
    incentives: [IncentivePlan] = [], benchmarks: [ExternalBenchmark] = [], alerts: [AlertRule] = [],
    enablement: [EnablementItem] = [], lifecycle: LifecycleRules = LifecycleRules()
  ) {
    self.lifecycle = lifecycle
    self.enablement = enablement
    self.alerts = alerts
    self.benchmarks = benchmarks
    self.tiers = tiers
    self.incentives = incentives
    self.catalog = catalog
    self.objectives = objectives
    self.targets = targets
    self.baselines = baselines
    self.thresholds = thresholds
    self.pace = pace
    self.scorecards = scorecards
    self.hygiene = hygiene
  }

  public func baseline(for kpi: String) -> BaselineMethod { baselines[kpi] ?? .default }
  public func thresholds(for kpi: String) -> StatusThresholds { thresholds[kpi] ?? .default }

  /// The scorecard of a partner type.
  public func scorecard(forType type: String) -> ScorecardDefinition? {
    scorecards.first { $0.partnerType == type }
  }

  public var networkScorecard: ScorecardDefinition? { scorecards.first { $0.isNetwork } }
}

/// A stored version of the definitions, with the day it takes effect.
public struct ProgramVersion: Sendable, Hashable {
  public var number: Int
  /// Periods whose last day is on or after this day use this version (until a later one).
  public var effective: Day
  /// When it was applied (ISO 8601).
  public var appliedAt: String
  public var note: String
  public var definitions: ProgramDefinitions

  public init(number: Int, effective: Day, appliedAt: String, note: String = "", definitions: ProgramDefinitions) {
    self.number = number
    self.effective = effective
    self.appliedAt = appliedAt
    self.note = note
    self.definitions = definitions
  }

  public var label: String { "v\(number) (effective \(effective))" }
}

/// Every version of a program's definitions; picks the one in force for a period.
public struct ProgramHistory: Sendable {
  public var versions: [ProgramVersion]

  public init(versions: [ProgramVersion]) {
    self.versions = versions.sorted { ($0.effective, $0.number) < ($1.effective, $1.number) }
  }

  /// The version in force on a period's last day: the latest one effective by then. Periods
  /// before the first version took effect use the first version.
  public func version(for period: Period) -> ProgramVersion? {
    versions.last { $0.effective <= period.end } ?? versions.first
  }

  public var latest: ProgramVersion? { versions.max { $0.number < $1.number } }
}
