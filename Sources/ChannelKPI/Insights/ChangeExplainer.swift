/// A request to explain that cannot be answered (an unknown KPI, a scope with no partners, …).
public struct ExplainError: Error, Hashable, Sendable, CustomStringConvertible {
  public let message: String
  public init(_ m: String) { message = m }
  public var description: String { message }
}

/// Explains the change of a KPI between two periods: which segments of which dimensions it came
/// from, with contributions that add up to the change.
public struct ChangeExplainer {
  public let engine: KPIEngine
  /// The catalog variant (definitions version) whose formula is explained.
  public let variant: Int
  /// How many drill-down steps to follow from the most telling segment.
  public var depth = 2
  /// How far apart the two periods may be.
  public static let maximumMonthsApart = 120

  public init(engine: KPIEngine, variant: Int = 0) {
    self.engine = engine
    self.variant = variant
  }

  /// The change of `kpi` for `scope` from `versus` (default: the period before) to `period`.
  public func explain(
    kpi: String, scope: Scope, period: Period, versus: Period? = nil, dimensions: [SegmentDimension]? = nil
  ) throws(ExplainError) -> ChangeExplanation {
    let before = versus ?? period.shifted(by: -1)
    guard before.grain == period.grain else {
      throw ExplainError(
        "compare periods of one grain: \(before) is a \(before.grain.rawValue), \(period) a \(period.grain.rawValue)")
    }
    // The months between them are read for every segment: keep them within reach.
    let apart = Swift.abs(Int(period.firstMonth.index - before.firstMonth.index))
    guard apart <= Self.maximumMonthsApart else {
      throw ExplainError(
        "compare periods at most \(Self.maximumMonthsApart / 12) years apart: \(before) and \(period) are \(apart / 12) years apart"
      )
    }
    guard variant >= 0, variant < engine.compiled.variantCount else {
      throw ExplainError("no definitions variant \(variant)")
    }
    let catalog = engine.compiled.variantCatalogs[variant]
    guard let expr = engine.compiled.variants[variant][kpi], let def = catalog.kpi(kpi) else {
      throw ExplainError(
        "unknown KPI '\(kpi)'\(Spelling.hint(for: kpi, in: catalog.kpis.map(\.id))) (channelkpi kpis lists them)")
    }
    let members = engine.members(of: scope)
    if members.isEmpty && scope != .network {
      throw ExplainError(scope.unknown(among: engine.partners()) ?? "the scope \(scope) names no partner")
    }
    var run = Run(
      engine: engine, scope: scope, members: members, ranges: [before.months, period.months],
      measures: engine.compiled.measures)
    let values = engine.evaluate([expr], groups: [(scope, members)], ranges: run.ranges)
    let (v0, v1) = (values[0], values[1])
    let form = KPIForm.of(expr) { i in
      let f = engine.compiled.measures[i].function
      return f == .sum || f == .count || f == .countDistinct
    }
    let tables = Set(Self.terms(of: form).map { engine.compiled.measures[$0.measure].table })
    let candidates = (dimensions ?? SegmentDimension.all).filter { d in
      if case .column(let t, _) = d { return tables.contains(t) }
      return true
    }
    // How the change is split follows from the formula alone, so it is said even when a period
    // has no value to split.
    let method =
      switch form {
      case .sum: "sum"
      case .ratio: "ratio"
      case .composite: "composite"
      }
    var explanation = ChangeExplanation(
      kpi: kpi, name: def.name, unit: def.unit, better: def.better, scope: scope.description,
      period: period.description, versus: before.description, before: v0, after: v1,
      change: v0.flatMap { a in v1.map { $0 - a } }, method: method, measures: [], segments: [], ranking: [],
      drillDown: [], unavailable: [:], summary: "")
    var top: (SegmentChange, String)?
    if let v0, let v1 {
      switch form {
      case .sum, .ratio:
        let split = run.explain(form: form, change: v1 - v0, candidates: candidates, depth: depth)
        explanation.segments = split.segments
        explanation.ranking = split.ranking
        explanation.drillDown = split.drill
        explanation.unavailable = split.unavailable
        top = split.top
      case .composite(let terms, let powers):
        let totals = run.totals(terms)
        let effects = SegmentDecomposition.measureEffects(
          expr, terms: terms, powers: powers, before: totals.mapValues { $0.0 ?? 0 },
          after: totals.mapValues { $0.1 ?? 0 })
        for t in terms {
          explanation.measures.append(
            MeasureEffect(
              measure: engine.compiled.measureLabels[t.measure] + (t.trailing.map { " over \($0) months" } ?? ""),
              before: totals[t]?.0, after: totals[t]?.1, effect: effects?[t] ?? 0))
          explanation.segments.append(
            SegmentChange(
              dimension: "measure", segment: explanation.measures.last!.measure, before: totals[t]?.0,
              after: totals[t]?.1, contribution: effects?[t] ?? 0))
        }
        // What the measures' parts leave of the change (a formula whose conditions switch, or one
        // with no value when a measure is missing) is one line, so the parts add up.
        let rest = (v1 - v0) - explanation.measures.reduce(0) { $0 + $1.effect }
        if Swift.abs(rest) > 1e-9 * Swift.max(1, Swift.abs(v1 - v0)) {
          let label = "(not split by measure)"
          explanation.measures.append(MeasureEffect(measure: label, before: nil, after: nil, effect: rest))
          explanation.segments.append(
            SegmentChange(dimension: "measure", segment: label, before: nil, after: nil, contribution: rest))
        }
        // The segments of the measures that moved the KPI most.
        let moved = terms.filter { (effects?[$0] ?? 0) != 0 }.sorted {
          Swift.abs(effects?[$0] ?? 0) > Swift.abs(effects?[$1] ?? 0)
        }.prefix(2)
        for t in moved {
          let (m0, m1) = (totals[t]?.0 ?? 0, totals[t]?.1 ?? 0)
          guard m1 != m0, let effect = effects?[t] else { continue }
          let split = run.explain(
            form: .sum([(t, 1)], scale: effect / (m1 - m0)), change: effect, candidates: candidates, depth: 0,
            label: " in \(engine.compiled.measureLabels[t.measure])")
          explanation.segments += split.segments
          explanation.ranking += split.ranking
          if top == nil { top = split.top }
        }
        explanation.ranking = SegmentDecomposition.order(explanation.ranking)
      }
    }
    explanation.dropNonFinite()
    explanation.summary = ChangeExplanation.summarize(
      name: def.name, unit: def.unit, before: v0, after: v1, versus: before.description, period: period.description,
      top: top?.0, topDimension: top?.1, drill: explanation.drillDown, measures: explanation.measures)
    return explanation
  }

  static func terms(of form: KPIForm) -> [MeasureTerm] {
    switch form {
    case .sum(let t, _): t.map(\.0)
    case .ratio(let n, let d, _): n.map(\.0) + d.map(\.0)
    case .composite(let t, _): t
    }
  }
}

/// One explanation's reads of the engine, for one scope and two periods.
/// What one explanation has read per term, dimension and drill-down constraints.
private final class SegmentMemo {
  struct Key: Hashable {
    var term: MeasureTerm
    var dimension: SegmentDimension
    var constraints: [SegmentConstraint]
  }
  var values: [Key: [String: [Double?]]?] = [:]
}

private struct Run {
  let engine: KPIEngine
  let scope: Scope
  let members: [Int32]
  let ranges: [MonthRange]
  let measures: [MeasureSpec]
  /// Segment values already read (the drill-down asks again for those of the level above).
  let memo = SegmentMemo()

  /// Each term's value for the whole scope in both periods.
  func totals(_ terms: [MeasureTerm]) -> [MeasureTerm: (Double?, Double?)] {
    let values = engine.evaluate(terms.map(\.expression), groups: [(scope, members)], ranges: ranges)
    var out: [MeasureTerm: (Double?, Double?)] = [:]
    for (k, t) in terms.enumerated() { out[t] = (values[k * 2], values[k * 2 + 1]) }
    return out
  }

  /// A weighted sum of terms per segment of a dimension; nil when a term cannot be split so.
  func split(_ terms: [(MeasureTerm, Double)], _ d: SegmentDimension, _ constraints: [SegmentConstraint]) -> [String:
    (Double, Double)]?
  {
    var out: [String: (Double, Double)] = [:]
    for (t, c) in terms {
      let key = SegmentMemo.Key(term: t, dimension: d, constraints: constraints)
      let read =
        memo.values[key]
        ?? engine.segmentValues(t.expression, ranges: ranges, dimension: d, scope: scope, constraints: constraints)
      memo.values[key] = .some(read)
      guard let seg = read else { return nil }
      for (k, v) in seg {
        var x = out[k] ?? (0, 0)
        x.0 += c * (v[0] ?? 0)
        x.1 += c * (v[1] ?? 0)
        out[k] = x
      }
    }
    return out
  }

  /// Reads every term's split by every dimension at once: the splits that need the facts then
  /// share one pass over each table.
  func prefetch(_ terms: [MeasureTerm], _ dimensions: [SegmentDimension], _ constraints: [SegmentConstraint]) {
    var keys: [SegmentMemo.Key] = []
    for t in terms {
      for d in dimensions {
        let key = SegmentMemo.Key(term: t, dimension: d, constraints: constraints)
        if memo.values[key] == nil, !keys.contains(key) { keys.append(key) }
      }
    }
    guard !keys.isEmpty else { return }
    let values = engine.segmentValues(
      keys.map { ($0.term.expression, $0.dimension) }, ranges: ranges, scope: scope, constraints: constraints)
    for (key, value) in zip(keys, values) { memo.values[key] = .some(value) }
  }

  func weighted(_ terms: [(MeasureTerm, Double)], _ totals: [MeasureTerm: (Double?, Double?)]) -> (Double, Double) {
    terms.reduce((0, 0)) { acc, t in
      (acc.0 + t.1 * (totals[t.0]?.0 ?? 0), acc.1 + t.1 * (totals[t.0]?.1 ?? 0))
    }
  }

  struct Split {
    var segments: [SegmentChange] = []
    var ranking: [DimensionRanking] = []
    var drill: [DrillStep] = []
    var unavailable: [String: String] = [:]
    var top: (SegmentChange, String)?
  }

  /// The parts of a sum or ratio per segment of every candidate dimension, ranked, and the
  /// drill-down from the most telling segment.
  mutating func explain(
    form: KPIForm, change: Double, candidates: [SegmentDimension], depth: Int, label: String = ""
  ) -> Split {
    let (num, den, scale): ([(MeasureTerm, Double)], [(MeasureTerm, Double)]?, Double) =
      switch form {
      case .sum(let t, let s): (t, nil, s)
      case .ratio(let n, let d, let s): (n, d, s)
      case .composite: ([], nil, 1)
      }
    let totals = self.totals(num.map(\.0) + (den ?? []).map(\.0))
    let n = weighted(num, totals)
    let d = den.map { weighted($0, totals) }
    var out = Split()
    var constraints: [SegmentConstraint] = []
    var expected = SegmentParts(segment: "", n0: n.0, n1: n.1, d0: d?.0, d1: d?.1)
    var remaining = candidates
    for level in 0...depth {
      var levelChanges: [String: [SegmentChange]] = [:]
      var rankings: [DimensionRanking] = []
      let within = constraints.map { "\($0.dimension)=\($0.segment)" }.joined(separator: ", ")
      prefetch((num + (den ?? [])).map(\.0), remaining, constraints)
      for dim in remaining {
        let name = dim.description + label + (within.isEmpty ? "" : " within \(within)")
        guard var parts = split(num, dim, constraints) else {
          if level == 0 { out.unavailable[dim.description + label] = "its facts cannot be split by \(dim)" }
          continue
        }
        let dParts = den.flatMap { split($0, dim, constraints) }
        // What the segments do not cover (facts counted in several, such as distinct
        // customers shared by partners) stays one line, so that the parts still add up.
        let covered = parts.values.reduce((0.0, 0.0)) { ($0.0 + $1.0, $0.1 + $1.1) }
        let gap = (expected.n0 - covered.0, expected.n1 - covered.1)
        if Swift.abs(gap.0) > 1e-9 * Swift.max(1, Swift.abs(expected.n0))
          || Swift.abs(gap.1) > 1e-9 * Swift.max(1, Swift.abs(expected.n1))
        {
          parts["(shared)"] = gap
        }
        let keys = Set(parts.keys).union(dParts?.keys ?? [:].keys).sorted()
        let segs = keys.map { k in
          SegmentParts(
            segment: k, n0: parts[k]?.0 ?? 0, n1: parts[k]?.1 ?? 0, d0: dParts.map { $0[k]?.0 ?? 0 },
            d1: dParts.map { $0[k]?.1 ?? 0 })
        }
        var changes =
          den == nil
          ? SegmentDecomposition.sum(segs, scale: scale, dimension: name)
          : SegmentDecomposition.ratio(
            segs, scale: scale, totals: (n.0, d?.0 ?? 0, n.1, d?.1 ?? 0), dimension: name)
        var surprises: [String: Double] = [:]
        let shares = Self.shares(segs.map { ($0.segment, $0.n0, $0.n1) })
        let dShares = dParts == nil ? [:] : Self.shares(segs.map { ($0.segment, $0.d0 ?? 0, $0.d1 ?? 0) })
        for s in segs {
          let (p, q) = shares[s.segment] ?? (0, 0)
          surprises[s.segment] =
            SegmentDecomposition.surprise(p, q)
            + (dShares[s.segment].map { SegmentDecomposition.surprise($0.0, $0.1) } ?? 0)
        }
        let ranking = SegmentDecomposition.rank(&changes, surprises: surprises, change: change, dimension: name)
        changes.sort { (Swift.abs($0.contribution), $1.segment) > (Swift.abs($1.contribution), $0.segment) }
        levelChanges[dim.description] = changes
        rankings.append(ranking)
        out.segments += changes
      }
      let ordered = SegmentDecomposition.order(rankings)
      if level == 0 { out.ranking = ordered }
      // Follow the segment that explains most of the change in the most telling dimension.
      guard level < depth, change != 0,
        let best = ordered.first(where: { !$0.explaining.isEmpty }),
        let dim = remaining.first(where: { levelChanges[$0.description]?.first?.dimension == best.dimension }),
        let seg = levelChanges[dim.description]?.filter({ best.explaining.contains($0.segment) })
          .max(by: { ($0.share ?? 0) < ($1.share ?? 0) }),
        seg.segment != "(shared)", dim != .partner
      else {
        if level == 0, change != 0, let best = ordered.first(where: { !$0.explaining.isEmpty }),
          let seg = out.segments.first(where: { $0.dimension == best.dimension && best.explaining.contains($0.segment) }
          )
        {
          out.top = (seg, best.dimension.split(separator: " ").first.map(String.init) ?? best.dimension)
        }
        break
      }
      if level == 0 {
        out.top = (seg, dim.description)
      } else {
        out.drill.append(
          DrillStep(
            dimension: dim.description, segment: seg.segment, contribution: seg.contribution,
            rateEffect: seg.rateEffect, mixEffect: seg.mixEffect))
      }
      constraints.append(SegmentConstraint(dim, seg.segment))
      remaining.removeAll { $0 == dim }
      guard let p = split(num, dim, Array(constraints.dropLast())).flatMap({ $0[seg.segment] }) else { break }
      let dp = den.flatMap { split($0, dim, Array(constraints.dropLast())) }?[seg.segment]
      expected = SegmentParts(segment: seg.segment, n0: p.0, n1: p.1, d0: dp?.0, d1: dp?.1)
    }
    return out
  }

  /// Each segment's share of the absolute total in both periods.
  static func shares(_ values: [(String, Double, Double)]) -> [String: (Double, Double)] {
    let t0 = values.reduce(0) { $0 + Swift.abs($1.1) }
    let t1 = values.reduce(0) { $0 + Swift.abs($1.2) }
    var out: [String: (Double, Double)] = [:]
    for (k, a, b) in values { out[k] = (t0 > 0 ? Swift.abs(a) / t0 : 0, t1 > 0 ? Swift.abs(b) / t1 : 0) }
    return out
  }
}
