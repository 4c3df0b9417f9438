/// A segment's parts of a KPI in two periods: its numerator (the sum itself for a sum KPI) and,
/// for a ratio, its denominator.
struct SegmentParts: Sendable {
  var segment: String
  var n0: Double
  var n1: Double
  /// Nil when the denominator cannot be split by this dimension.
  var d0: Double?
  var d1: Double?
}

/// Splits the change of a KPI between two periods over the segments of one dimension, so that
/// the contributions add up to the change.
enum SegmentDecomposition {
  /// A sum: each segment contributes its own change (times the KPI's scale).
  static func sum(_ parts: [SegmentParts], scale: Double, dimension: String) -> [SegmentChange] {
    parts.map { p in
      SegmentChange(
        dimension: dimension, segment: p.segment, before: scale * p.n0, after: scale * p.n1,
        contribution: scale * (p.n1 - p.n0))
    }
  }

  /// A ratio R = s·N/D: segment i contributes s(Nᵢ′/D′ − Nᵢ/D), split into a rate effect
  /// s·w̄ᵢ(rᵢ′ − rᵢ) (wᵢ = Dᵢ/D, rᵢ = Nᵢ/Dᵢ, w̄ the mean of the two weights; a rate missing in a
  /// period where Dᵢ = 0 taken from the other) and a mix effect (the rest). `totals` are the
  /// scope's N, D before and after (the denominators of every weight, also in a drill-down).
  static func ratio(
    _ parts: [SegmentParts], scale s: Double, totals: (n0: Double, d0: Double, n1: Double, d1: Double),
    dimension: String
  ) -> [SegmentChange] {
    parts.map { p in
      let contribution = s * (p.n1 / totals.d1 - p.n0 / totals.d0)
      var rate: Double?
      var before: Double?
      var after: Double?
      if let d0 = p.d0, let d1 = p.d1 {
        let r0 = d0 != 0 ? p.n0 / d0 : nil
        let r1 = d1 != 0 ? p.n1 / d1 : nil
        before = r0.map { s * $0 }
        after = r1.map { s * $0 }
        if let ra = r0 ?? r1, let rb = r1 ?? r0 {
          let w = (d0 / totals.d0 + d1 / totals.d1) / 2
          rate = s * w * (rb - ra)
        } else {
          rate = 0
        }
      }
      return SegmentChange(
        dimension: dimension, segment: p.segment, before: before, after: after, contribution: contribution,
        rateEffect: rate, mixEffect: rate.map { contribution - $0 })
    }
  }

  /// The Jensen–Shannon divergence between a segment's shares before and after (Adtributor's
  /// "surprise"): 0 when its share did not move.
  static func surprise(_ p: Double, _ q: Double) -> Double {
    func term(_ a: Double, _ b: Double) -> Double { a > 0 ? a * Elementary.log(2 * a / (a + b)) : 0 }
    return 0.5 * (term(p, q) + term(q, p))
  }

  /// Adds each segment's share of the change and surprise, and ranks the dimension: the few
  /// segments (by surprise, each explaining at least `minimumShare`) that together explain
  /// `enough` of the change, as Adtributor does.
  static func rank(
    _ changes: inout [SegmentChange], surprises: [String: Double], change: Double, dimension: String,
    minimumShare: Double = 0.1, enough: Double = 0.67
  ) -> DimensionRanking {
    for i in changes.indices {
      if change != 0 { changes[i].share = changes[i].contribution / change }
      changes[i].surprise = surprises[changes[i].segment]
    }
    let ordered = changes.sorted {
      ($0.surprise ?? 0, Swift.abs($0.contribution), $1.segment) > (
        $1.surprise ?? 0, Swift.abs($1.contribution), $0.segment
      )
    }
    var chosen: [SegmentChange] = []
    var explained = 0.0
    for c in ordered where change != 0 {
      guard let share = c.share, share >= minimumShare else { continue }
      chosen.append(c)
      explained += share
      if explained >= enough { break }
    }
    return DimensionRanking(
      dimension: dimension, segments: changes.count, explaining: chosen.map(\.segment), explained: explained,
      surprise: chosen.reduce(0) { $0 + ($1.surprise ?? 0) })
  }

  /// The order in which dimensions explain a change: those whose few segments explain most of it
  /// first, the fewest segments first and then by surprise; then the rest by how much they explain.
  static func order(_ rankings: [DimensionRanking], enough: Double = 0.67) -> [DimensionRanking] {
    rankings.sorted { a, b in
      let ea = a.explained >= enough
      let eb = b.explained >= enough
      if ea != eb { return ea }
      // Fewest segments first (the most concentrated change), then the most surprising shift.
      if ea { return (-a.explaining.count, a.surprise, b.dimension) > (-b.explaining.count, b.surprise, a.dimension) }
      return (a.explained, b.dimension) > (b.explained, a.dimension)
    }
  }

  /// Each measure's part of the change of a composite KPI. A product of powers of positive
  /// measures is split by log changes (each measure's eₖ·Δln mₖ over Δln R, times ΔR); anything
  /// else by Shapley values (the mean, over every order of switching measures from before to
  /// after, of the change each switch makes). Both add up to the change.
  static func measureEffects(
    _ e: ScopeExpr, terms: [MeasureTerm], powers: [MeasureTerm: Double]?, before: [MeasureTerm: Double],
    after: [MeasureTerm: Double]
  ) -> [MeasureTerm: Double]? {
    guard let r0 = FormulaValue.of(e, { before[$0] }), let r1 = FormulaValue.of(e, { after[$0] }) else { return nil }
    if let powers, r0 > 0, r1 > 0, terms.allSatisfy({ (before[$0] ?? 0) > 0 && (after[$0] ?? 0) > 0 }) {
      // The logarithmic mean turns log changes into changes: L·Δln R = ΔR.
      let dl = Elementary.log(r1) - Elementary.log(r0)
      let mean = Swift.abs(dl) < 1e-12 ? r0 : (r1 - r0) / dl
      var out: [MeasureTerm: Double] = [:]
      for t in terms {
        out[t] = mean * (powers[t] ?? 0) * (Elementary.log(after[t]!) - Elementary.log(before[t]!))
      }
      return out
    }
    let k = terms.count
    guard k <= 12 else { return nil }
    // f over subsets: bit j set = measure j at its value after.
    var f = [Double?](repeating: nil, count: 1 << k)
    for mask in 0..<(1 << k) {
      f[mask] = FormulaValue.of(e) { t in
        guard let j = terms.firstIndex(of: t) else { return nil }
        return mask & (1 << j) != 0 ? after[t] : before[t]
      }
    }
    var factorial = [1.0]
    for i in 1...max(1, k) { factorial.append(factorial[i - 1] * Double(i)) }
    var out: [MeasureTerm: Double] = [:]
    for (j, t) in terms.enumerated() {
      var phi = 0.0
      for mask in 0..<(1 << k) where mask & (1 << j) == 0 {
        let size = mask.nonzeroBitCount
        let weight = factorial[size] * factorial[k - size - 1] / factorial[k]
        // A formula without a value on one side (a division by zero) switches as no change.
        let with = f[mask | (1 << j)] ?? f[mask] ?? 0
        let without = f[mask] ?? with
        phi += weight * (with - without)
      }
      out[t] = phi
    }
    // Undefined corners can leave a remainder; it goes to the measure that moved most.
    let remainder = (r1 - r0) - out.values.reduce(0, +)
    if Swift.abs(remainder) > 1e-9 * Swift.max(1, Swift.abs(r1 - r0)),
      let top = terms.max(by: { Swift.abs(out[$0] ?? 0) < Swift.abs(out[$1] ?? 0) })
    {
      out[top, default: 0] += remainder
    }
    return out
  }
}
