/// Where a KPI stands against its target.
public enum TargetStatus: String, Sendable, Hashable, CaseIterable {
  case onTrack = "on_track"
  case atRisk = "at_risk"
  case offTrack = "off_track"
  case noData = "no_data"

  public var label: String {
    switch self {
    case .onTrack: "on track"
    case .atRisk: "at risk"
    case .offTrack: "off track"
    case .noData: "no data"
    }
  }
}

/// Direction-aware attainment of targets.
public enum Attainment {
  /// How far `actual` is toward `target`, as a fraction (1 = exactly on target).
  ///
  /// For higher-is-better KPIs it is `1 + (actual − target) / |target|`, which is `actual / target`
  /// for positive targets and stays meaningful for negative ones (a marketing ROI target of −10%).
  /// For lower-is-better KPIs beating the target means being below it: `1 + (target − actual) / |target|`.
  /// A target of 0 gives 1 when met or beaten and 0 otherwise. Nil when either value is missing.
  public static func of(actual: Double?, target: Double?, better: Direction) -> Double? {
    guard let actual, let target, actual.isFinite, target.isFinite else { return nil }
    let gain = better == .higher ? actual - target : target - actual
    if target == 0 { return gain >= 0 ? 1 : 0 }
    return 1 + gain / Swift.abs(target)
  }

  /// On track, at risk or off track by the thresholds; no data without an attainment.
  public static func status(_ attainment: Double?, thresholds: StatusThresholds = .default) -> TargetStatus {
    guard let a = attainment else { return .noData }
    if a >= thresholds.onTrack - 1e-12 { return .onTrack }
    if a >= thresholds.atRisk - 1e-12 { return .atRisk }
    return .offTrack
  }

  /// The value projected to the period's end from the days elapsed, for a period under way.
  /// Nil when the period is not under way on `today`.
  public static func pace(actual: Double?, period: Period, today: Day) -> Double? {
    guard let actual, today >= period.start, today <= period.end else { return nil }
    let elapsed = Double(today - period.start + 1)
    let total = Double(period.end - period.start + 1)
    return actual * total / elapsed
  }

  /// A scorecard's composite score, 0–100: the weighted mean of attainments capped to 0…1, over
  /// the KPIs that have one. Nil when none has.
  public static func composite(_ items: [(weight: Double, attainment: Double?)]) -> Double? {
    var sum = 0.0
    var weights = 0.0
    for i in items {
      guard let a = i.attainment, i.weight > 0 else { continue }
      sum += i.weight * Swift.min(1, Swift.max(0, a))
      weights += i.weight
    }
    return weights > 0 ? 100 * sum / weights : nil
  }
}

extension Period {
  /// The period `n` periods of the same grain before this one.
  public func shifted(by n: Int) -> Period {
    Period(grain: grain, containing: firstMonth + Int32(n) * grain.months)
  }
}

extension ScopeExpr {
  /// Whether the KPI is a flow (sums or counts of facts dated in the period), which can be
  /// projected to the period's end from the days elapsed.
  func isFlow(_ measures: [MeasureSpec]) -> Bool {
    switch self {
    case .measure(let i):
      let m = measures[i]
      guard m.function == .count || m.function == .sum else { return false }
      if case .dated = m.time { return true }
      return false
    case .arith(.add, let a, let b), .arith(.sub, let a, let b): return a.isFlow(measures) && b.isFlow(measures)
    case .arith(.mul, .number, let a), .arith(.mul, let a, .number), .arith(.div, let a, .number):
      return a.isFlow(measures)
    case .negate(let a): return a.isFlow(measures)
    default: return false
    }
  }
}

extension CompiledCatalog {
  /// Whether a KPI of a variant is a flow that can be paced.
  public func isFlow(_ kpi: String, variant: Int = 0) -> Bool {
    variants[variant][kpi]?.isFlow(measures) ?? false
  }
}
