/// Approved statements never change: later differences become adjustment lines, and a negative
/// total is carried to the next statement instead of being paid.
public enum StatementSettlement {
  /// The line that carries a negative total forward (its amount brings the total to 0).
  public static let carriedForward = "carried forward"

  /// Statements as they stand with approvals: an approved period shows its approved lines; the
  /// first statement not yet approved after an approved period carries, per plan, the difference
  /// between the recomputed amount of that period and what was approved for it (its approved
  /// lines plus adjustments already approved for it); a negative total is carried to the
  /// partner's next statement of the same grain.
  ///
  /// `computed` must hold every statement from the start of the plans on (an adjustment or carry
  /// can come from any earlier period); approvals that are revoked are ignored.
  ///
  /// When no statement follows an approved period that needs correcting (the plan ended for the
  /// partner, say), the correction gets a statement of its own: the next period of the grain that
  /// is not approved (an estimate until it ends by `today`).
  public static func settle(_ computed: [PayoutStatement], approvals: [StatementApproval], today: Day)
    -> [PayoutStatement]
  {
    struct Key: Hashable {
      var partner: String
      var grain: Grain
    }
    var computedBy: [Key: [Period: PayoutStatement]] = [:]
    for s in computed { computedBy[Key(partner: s.partner, grain: s.period.grain), default: [:]][s.period] = s }
    var approvedBy: [Key: [Period: StatementApproval]] = [:]
    for a in approvals where !a.isRevoked {
      approvedBy[Key(partner: a.partner, grain: a.period.grain), default: [:]][a.period] = a
    }
    var out: [PayoutStatement] = []
    let keys = Set(computedBy.keys).union(approvedBy.keys).sorted {
      $0.partner != $1.partner
        ? $0.partner.utf8.lexicographicallyPrecedes($1.partner.utf8) : $0.grain.months < $1.grain.months
    }
    for key in keys {
      let fresh = computedBy[key] ?? [:]
      let approved = approvedBy[key] ?? [:]
      // What was approved for each period, per plan: its own lines plus adjustments approved later.
      var approvedAmount: [Period: [String: Int64]] = [:]
      var kindOf: [String: IncentiveKind] = [:]
      for (p, a) in approved {
        for l in a.lines {
          if let k = l.kind { kindOf[l.plan] = k }
          guard l.kind != nil else { continue }
          approvedAmount[l.corrects ?? p, default: [:]][l.plan] = Cents.sum([
            approvedAmount[l.corrects ?? p]?[l.plan] ?? 0, l.amount,
          ])
        }
      }
      var adjusted = Set<Period>()
      var carry: (amount: Int64, from: Period)?
      for period in Set(fresh.keys).union(approved.keys).sorted() {
        if let a = approved[period] {
          let s = fresh[period]
          out.append(
            PayoutStatement(
              partner: key.partner, period: period, lines: a.lines, isEstimate: s?.isEstimate ?? false, approval: a))
          carry = a.lines.first { $0.kind == nil && $0.line == carriedForward }.map { (-$0.amount, period) }
          continue
        }
        guard var s = fresh[period] else { continue }
        for q in approved.keys.sorted() where q < period && !adjusted.contains(q) {
          adjusted.insert(q)
          s.lines += adjustments(q, fresh: fresh[q], approved: approvedAmount[q] ?? [:], kindOf: &kindOf)
        }
        if let c = carry, c.amount != 0 {
          s.lines.append(
            StatementLine(
              plan: "", kind: nil, line: "carried from \(c.from)", basis: nil, rate: nil, amount: c.amount, version: nil
            ))
        }
        carry = nil
        let total = s.total
        if total < 0 {
          s.lines.append(
            StatementLine(
              plan: "", kind: nil, line: carriedForward, basis: nil, rate: nil, amount: -total, version: nil))
          carry = (total, period)
        }
        if !s.lines.isEmpty { out.append(s) }
      }
      // Approved periods no later statement corrected: their corrections share the first period
      // after them that is not approved.
      var orphans: [Period: [StatementLine]] = [:]
      for q in approved.keys.sorted() where !adjusted.contains(q) {
        let lines = adjustments(q, fresh: fresh[q], approved: approvedAmount[q] ?? [:], kindOf: &kindOf)
        guard !lines.isEmpty else { continue }
        var p = q.next
        while approved[p] != nil { p = p.next }
        orphans[p, default: []] += lines
      }
      for (p, adjustmentLines) in orphans.sorted(by: { $0.key < $1.key }) {
        var lines = adjustmentLines
        let total = Cents.sum(lines.map(\.amount))
        if total < 0 {
          lines.append(
            StatementLine(
              plan: "", kind: nil, line: carriedForward, basis: nil, rate: nil, amount: -total, version: nil))
        }
        out.append(PayoutStatement(partner: key.partner, period: p, lines: lines, isEstimate: !(p.end < today)))
      }
    }
    return out
  }

  /// Per plan, the recomputed amount of an approved period minus what was approved for it.
  static func adjustments(
    _ q: Period, fresh: PayoutStatement?, approved was: [String: Int64], kindOf: inout [String: IncentiveKind]
  ) -> [StatementLine] {
    var recomputed: [String: Int64] = [:]
    for l in fresh?.lines ?? [] where l.kind != nil && l.corrects == nil {
      recomputed[l.plan] = Cents.sum([recomputed[l.plan] ?? 0, l.amount])
      if let k = l.kind { kindOf[l.plan] = k }
    }
    var lines: [StatementLine] = []
    for plan in Set(recomputed.keys).union(was.keys).sorted() {
      let d = Cents.sum([recomputed[plan, default: 0], -was[plan, default: 0]])
      guard d != 0 else { continue }
      var line = StatementLine(
        plan: plan, kind: kindOf[plan], line: "adjustment \(q)", basis: nil, rate: nil, amount: d, version: nil)
      line.corrects = q
      lines.append(line)
    }
    return lines
  }
}
