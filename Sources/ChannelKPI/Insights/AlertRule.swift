/// How serious an alert is, for sorting and for who gets woken.
public enum AlertSeverity: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
  case info, warning, critical

  public static func < (a: AlertSeverity, b: AlertSeverity) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}

/// Which scopes a rule watches: one scope, or each scope of a kind (partners optionally narrowed
/// by type, tier or manager).
public enum AlertSelector: Sendable, Hashable, CustomStringConvertible {
  case one(Scope)
  case each(ScopeKind, AlertFilter)

  public var description: String {
    switch self {
    case .one(let s): s.description
    case .each(let kind, let f): "each \(kind.rawValue)" + (f.isEmpty ? "" : " (\(f))")
    }
  }
}

/// Narrows `each partner` to partners of some types, tiers or managers (any of each list).
public struct AlertFilter: Sendable, Hashable, CustomStringConvertible {
  public var types: [String]
  public var tiers: [String]
  public var managers: [String]

  public init(types: [String] = [], tiers: [String] = [], managers: [String] = []) {
    self.types = types
    self.tiers = tiers
    self.managers = managers
  }

  public var isEmpty: Bool { types.isEmpty && tiers.isEmpty && managers.isEmpty }

  public func admits(_ p: PartnerInfo) -> Bool {
    (types.isEmpty || types.contains(p.type)) && (tiers.isEmpty || p.tier.map(tiers.contains) == true)
      && (managers.isEmpty || p.manager.map(managers.contains) == true)
  }

  public var description: String {
    [("type", types), ("tier", tiers), ("manager", managers)].filter { !$0.1.isEmpty }
      .map { "\($0.0) \($0.1.joined(separator: " or "))" }.joined(separator: ", ")
  }
}

/// The period a drop is measured against.
public enum AlertComparison: String, Sendable, Hashable {
  case previousPeriod = "previous_period"
  case samePeriodLastYear = "same_period_last_year"
}

/// When a rule's condition holds for a scope in a period. Every comparison is direction-aware:
/// "below" and "drop" mean worse, which for a KPI where lower is better is higher.
public enum AlertCondition: Sendable, Hashable {
  /// Attainment of the target below a value (0.8 = 80%).
  case attainmentBelow(Double)
  /// Worse than the baseline by more than a share of it.
  case belowBaseline(share: Double)
  /// Worse than the compared period by more than a share of its value.
  case dropShare(AlertComparison, Double)
  /// Worse than the compared period by more than an amount in the KPI's unit.
  case dropAmount(AlertComparison, Double)
  /// Outside the 95% interval of the forecast made from the periods before.
  case outsideForecast
  /// No value (or, for a sum or count, 0) in this period and the `n − 1` before.
  case noData(periods: Int)

  /// How many periods of a grain before the evaluated one the condition reads.
  func lookBack(_ grain: Grain) -> Int {
    switch self {
    case .attainmentBelow, .belowBaseline, .outsideForecast: 0
    case .dropShare(let c, _), .dropAmount(let c, _): c == .previousPeriod ? 1 : Int(12 / grain.months)
    case .noData(let n): n - 1
    }
  }
}

/// A rule of the `alerts:` section: a KPI watched over scopes at a grain, a condition, how many
/// periods it must hold before it fires (`for`) and not hold before it resolves
/// (`resolve_after`), a severity, and who is told.
public struct AlertRule: Sendable, Hashable {
  public var id: String
  public var name: String
  public var kpi: String
  public var selector: AlertSelector
  public var grain: Grain
  public var condition: AlertCondition
  public var forPeriods: Int
  public var resolveAfter: Int
  public var severity: AlertSeverity
  /// Webhook names to notify.
  public var notify: [String]

  public init(
    id: String, name: String, kpi: String, selector: AlertSelector, grain: Grain, condition: AlertCondition,
    forPeriods: Int = 1, resolveAfter: Int = 1, severity: AlertSeverity = .warning, notify: [String] = []
  ) {
    self.id = id
    self.name = name
    self.kpi = kpi
    self.selector = selector
    self.grain = grain
    self.condition = condition
    self.forPeriods = forPeriods
    self.resolveAfter = resolveAfter
    self.severity = severity
    self.notify = notify
  }
}
