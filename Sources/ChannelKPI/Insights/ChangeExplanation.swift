/// One segment's part in the change of a KPI between two periods.
public struct SegmentChange: Hashable, Sendable, Codable {
  /// The dimension (`region`, `deals.source`; `measure` for a composite KPI's measures; with
  /// ` within D=S` in a drill-down).
  public var dimension: String
  public var segment: String
  /// The segment's own value of the KPI (its sum, or its rate for a ratio) in each period.
  public var before: Double?
  public var after: Double?
  /// Its part of the KPI's change; a dimension's parts add up to the change.
  public var contribution: Double
  /// For a ratio: the part due to the segment's own rate, and the rest (its weight moving).
  public var rateEffect: Double?
  public var mixEffect: Double?
  /// contribution / change.
  public var share: Double?
  /// How much the segment's share of the KPI's parts moved (Jensen–Shannon divergence).
  public var surprise: Double?

  public init(
    dimension: String, segment: String, before: Double?, after: Double?, contribution: Double,
    rateEffect: Double? = nil, mixEffect: Double? = nil
  ) {
    self.dimension = dimension
    self.segment = segment
    self.before = before
    self.after = after
    self.contribution = contribution
    self.rateEffect = rateEffect
    self.mixEffect = mixEffect
  }
}

/// How well a dimension explains a change: the few segments that explain most of it.
public struct DimensionRanking: Hashable, Sendable, Codable {
  public var dimension: String
  /// How many segments the dimension has.
  public var segments: Int
  /// The segments that together explain most of the change, most surprising first.
  public var explaining: [String]
  /// The share of the change they explain.
  public var explained: Double
  /// Their summed surprise (how much their shares moved).
  public var surprise: Double
}

/// A step of the drill-down: the segment followed, and where the change lies within it.
public struct DrillStep: Hashable, Sendable, Codable {
  public var dimension: String
  public var segment: String
  public var contribution: Double
  public var rateEffect: Double?
  public var mixEffect: Double?
}

/// A composite KPI's measure and its part of the change.
public struct MeasureEffect: Hashable, Sendable, Codable {
  /// The aggregate as written in the formula.
  public var measure: String
  public var before: Double?
  public var after: Double?
  public var effect: Double
}

/// Why the change of a KPI between two periods happened, segment by segment.
public struct ChangeExplanation: Sendable, Codable {
  public var kpi: String
  public var name: String
  public var unit: KPIUnit
  public var better: Direction
  public var scope: String
  public var period: String
  public var versus: String
  public var before: Double?
  public var after: Double?
  public var change: Double?
  /// `sum`, `ratio` or `composite`: how the change was split.
  public var method: String
  public var measures: [MeasureEffect]
  public var segments: [SegmentChange]
  /// Dimensions, the most telling first.
  public var ranking: [DimensionRanking]
  public var drillDown: [DrillStep]
  /// Dimensions that could not be split, with the reason.
  public var unavailable: [String: String]
  public var summary: String
}

extension ChangeExplanation {
  /// Values that overflowed (a rate over a denominator of almost nothing) are left out rather
  /// than written as numbers JSON cannot hold.
  mutating func dropNonFinite() {
    func f(_ v: Double?) -> Double? { v.flatMap { $0.isFinite ? $0 : nil } }
    for i in segments.indices {
      segments[i].before = f(segments[i].before)
      segments[i].after = f(segments[i].after)
      segments[i].contribution = f(segments[i].contribution) ?? 0
      segments[i].rateEffect = f(segments[i].rateEffect)
      segments[i].mixEffect = f(segments[i].mixEffect)
      segments[i].share = f(segments[i].share)
      segments[i].surprise = f(segments[i].surprise)
    }
    for i in measures.indices {
      measures[i].before = f(measures[i].before)
      measures[i].after = f(measures[i].after)
      measures[i].effect = f(measures[i].effect) ?? 0
    }
    for i in drillDown.indices {
      drillDown[i].contribution = f(drillDown[i].contribution) ?? 0
      drillDown[i].rateEffect = f(drillDown[i].rateEffect)
      drillDown[i].mixEffect = f(drillDown[i].mixEffect)
    }
    for i in ranking.indices {
      ranking[i].explained = f(ranking[i].explained) ?? 0
      ranking[i].surprise = f(ranking[i].surprise) ?? 0
    }
    before = f(before)
    after = f(after)
    change = f(change)
  }

  static let csvHeader = "dimension,segment,before,after,contribution,rate_effect,mix_effect\n"

  /// One line per segment: `dimension,segment,before,after,contribution,rate_effect,mix_effect`.
  public var csv: String {
    var out = Self.csvHeader
    for s in segments {
      out +=
        [
          CSVText.field(s.dimension), CSVText.field(s.segment), ValueFormat.machine(s.before),
          ValueFormat.machine(s.after), ValueFormat.machine(s.contribution), ValueFormat.machine(s.rateEffect),
          ValueFormat.machine(s.mixEffect),
        ].joined(separator: ",") + "\n"
    }
    return out
  }

  /// A change in words: "fell 6.1 points", "rose 12,400.00".
  static func amount(_ change: Double, unit: KPIUnit) -> String {
    switch unit {
    case .rate: ValueFormat.fixed(Swift.abs(change) * 100, decimals: 1) + " points"
    default: ValueFormat.human(Swift.abs(change), unit: unit)
    }
  }

  public static func signed(_ change: Double, unit: KPIUnit) -> String {
    (change < 0 ? "−" : "+") + amount(change, unit: unit)
  }

  static func words(_ dimension: String) -> String { SegmentDimension(dimension)?.words ?? dimension }

  /// The plain-language summary: the change, the dimension and segment that explain most of it,
  /// whether its own rate or its weight moved, and where the drill-down leads.
  static func summarize(
    name: String, unit: KPIUnit, before: Double?, after: Double?, versus: String, period: String,
    top: SegmentChange?, topDimension: String?, drill: [DrillStep], measures: [MeasureEffect]
  ) -> String {
    guard let before, let after else {
      return "\(name) has no value in \(before == nil ? versus : period), so its change cannot be explained."
    }
    let change = after - before
    let from =
      "(\(ValueFormat.human(before, unit: unit)) in \(versus) → \(ValueFormat.human(after, unit: unit)) in \(period))"
    if change == 0 { return "\(name) did not change \(from)." }
    var text = "\(name) \(change < 0 ? "fell" : "rose") \(amount(change, unit: unit)) \(from)."
    if let m = measures.max(by: { Swift.abs($0.effect) < Swift.abs($1.effect) }), m.effect != 0 {
      text += " \(m.measure) accounts for \(signed(m.effect, unit: unit))."
    }
    if let top, let topDimension {
      text += " \(signed(top.contribution, unit: unit)) from \(words(topDimension)) \(top.segment)"
      if let rate = top.rateEffect, let mix = top.mixEffect, rate != 0 || mix != 0 {
        text +=
          Swift.abs(rate) >= Swift.abs(mix)
          ? ", mostly its own \(rate < 0 ? "lower" : "higher") rate"
          : ", mostly a shift in the mix (\(signed(mix, unit: unit)))"
      }
      text += "."
      for step in drill {
        text += " Within it, \(words(step.dimension)) \(step.segment): \(signed(step.contribution, unit: unit))."
      }
    }
    return text
  }
}
