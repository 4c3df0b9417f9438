/// One requirement of a tier level: a KPI over the ladder's window, at least or at most a value.
public struct TierRequirement: Sendable, Hashable {
  public enum Bound: Sendable, Hashable {
    case min(Double)
    case max(Double)
  }
  public var kpi: String
  public var bound: Bound

  public init(kpi: String, bound: Bound) {
    self.kpi = kpi
    self.bound = bound
  }

  public var threshold: Double {
    switch bound {
    case .min(let v), .max(let v): v
    }
  }

  /// Met when the KPI has a value on the right side of the bound; no value meets nothing.
  public func isMet(by value: Double?) -> Bool {
    guard let value else { return false }
    switch bound {
    case .min(let v): return value >= v
    case .max(let v): return value <= v
    }
  }

  /// How much more (for `min`) or less (for `max`) is needed; 0 when met, nil without a value.
  /// Worked out on the exact values the doubles stand for, so 1,000,000 − 294,156.91 is 705,843.09.
  public func shortfall(_ value: Double?) -> Double? {
    guard let value else { return nil }
    if isMet(by: value) { return 0 }
    if let a = Rational(approximating: threshold), let b = Rational(approximating: value) {
      return (a - b).magnitude.doubleValue
    }
    return Swift.abs(threshold - value)
  }

  /// `revenue ≥ 250000`.
  public var summary: String {
    switch bound {
    case .min(let v): "\(kpi) ≥ \(ValueFormat.machine(v))"
    case .max(let v): "\(kpi) ≤ \(ValueFormat.machine(v))"
    }
  }
}

/// A level of a tier ladder.
public struct TierLevel: Sendable, Hashable {
  public var id: String
  public var name: String
  public var requires: [TierRequirement]
  /// Free-form benefits shown to partners, in the order written.
  public var benefits: [(key: String, value: String)]

  public init(id: String, name: String? = nil, requires: [TierRequirement] = [], benefits: [(String, String)] = []) {
    self.id = id
    self.name = name ?? id
    self.requires = requires
    self.benefits = benefits.map { (key: $0.0, value: $0.1) }
  }

  public static func == (a: TierLevel, b: TierLevel) -> Bool {
    a.id == b.id && a.name == b.name && a.requires == b.requires
      && a.benefits.map(\.key) == b.benefits.map(\.key) && a.benefits.map(\.value) == b.benefits.map(\.value)
  }
  public func hash(into h: inout Hasher) {
    h.combine(id)
    h.combine(requires)
  }
}

/// The program's tier ladder: levels lowest first, evaluated at the end of each period of a grain
/// on KPIs over a trailing window.
public struct TierLadder: Sendable, Hashable {
  public var evaluate: Grain
  /// Requirements are measured over the last `window` periods, the evaluated one included.
  public var window: Int
  /// Evaluations in a row below the held level before moving down (at least 1).
  public var demotionGrace: Int
  /// The first evaluation is of the period holding this day (nil: the first period of the data).
  public var starts: Day?
  public var appliesTo: AppliesTo
  public var levels: [TierLevel]

  public init(
    evaluate: Grain = .quarter, window: Int = 1, demotionGrace: Int = 1, starts: Day? = nil,
    appliesTo: AppliesTo = AppliesTo(), levels: [TierLevel]
  ) {
    self.evaluate = evaluate
    self.window = window
    self.demotionGrace = demotionGrace
    self.starts = starts
    self.appliesTo = appliesTo
    self.levels = levels
  }

  /// The months a requirement is measured over when `period` is evaluated.
  public func window(for period: Period) -> MonthRange {
    MonthRange(first: period.firstMonth - Int32(window - 1) * evaluate.months, last: period.lastMonth)
  }

  /// The index of a level id (nil: not a level of this ladder).
  public func rank(of id: String?) -> Int? { id.flatMap { id in levels.firstIndex { $0.id == id } } }

  /// Every KPI some requirement reads.
  public var kpis: [String] {
    var seen: [String] = []
    for l in levels { for r in l.requires where !seen.contains(r.kpi) { seen.append(r.kpi) } }
    return seen
  }
}
