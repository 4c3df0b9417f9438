/// A draft of definitions run over history without storing it: levels, movements and payouts
/// under the current rules and under the draft, side by side.
public struct WhatIfResult: Sendable {
  /// How many partners hold a level after an evaluation, under each side.
  public struct LevelCount: Sendable, Hashable {
    public var period: Period
    public var level: String
    public var current: Int
    public var draft: Int
  }
  /// A partner whose level after an evaluation differs between the sides, and why.
  public struct Move: Sendable, Hashable {
    public var partner: String
    public var period: Period
    public var current: String?
    public var draft: String?
    /// The requirement that decides it, in words.
    public var why: String
  }
  /// A plan's total payout in a period under each side, with the approved amount beside it.
  public struct PlanTotal: Sendable, Hashable {
    public var period: Period
    public var plan: String
    public var current: Int64
    public var draft: Int64
    /// What approved statements hold for the plan and period (nil: none approved).
    public var approved: Int64?
    public var difference: Int64 { draft - current }
  }

  public var levels: [LevelCount]
  /// Every level of both ladders, highest first (the draft's order, then levels only the current
  /// ladder has).
  public var levelOrder: [String]
  public var moves: [Move]
  public var payouts: [PlanTotal]

  /// Totals by plan over the whole range.
  public var totalsByPlan: [(plan: String, current: Int64, draft: Int64)] {
    var order: [String] = []
    var sums: [String: (Int64, Int64)] = [:]
    for p in payouts {
      if sums[p.plan] == nil { order.append(p.plan) }
      sums[p.plan, default: (0, 0)].0 += p.current
      sums[p.plan, default: (0, 0)].1 += p.draft
    }
    return order.sorted().map { ($0, sums[$0]!.0, sums[$0]!.1) }
  }
}

/// Runs drafts against stored history.
public enum WhatIf {
  /// The sections of the definitions a draft can replace.
  public static let replaceable: Set<String> = [
    "tiers", "incentives", "targets", "kpi_settings", "objectives", "scorecards", "hygiene",
  ]

  /// The history with the draft's sections in place of the same sections of every version (a
  /// history without versions gets the draft as its only version).
  public static func draftHistory(_ history: ProgramHistory, draft: ProgramDefinitions, sections: Set<String>)
    -> ProgramHistory
  {
    func merged(_ d: ProgramDefinitions) -> ProgramDefinitions {
      var out = d
      if sections.contains("tiers") { out.tiers = draft.tiers }
      if sections.contains("incentives") { out.incentives = draft.incentives }
      if sections.contains("targets") { out.targets = draft.targets }
      if sections.contains("kpi_settings") {
        out.baselines = draft.baselines
        out.thresholds = draft.thresholds
        out.pace = draft.pace
      }
      if sections.contains("objectives") { out.objectives = draft.objectives }
      if sections.contains("scorecards") { out.scorecards = draft.scorecards }
      if sections.contains("hygiene") { out.hygiene = draft.hygiene }
      return out
    }
    guard !history.versions.isEmpty else {
      return ProgramHistory(versions: [
        ProgramVersion(
          number: 0, effective: Day(number: Int32.min / 2), appliedAt: "", note: "draft", definitions: draft)
      ])
    }
    return ProgramHistory(
      versions: history.versions.map { v in
        var d = v
        d.definitions = merged(v.definitions)
        return d
      })
  }

  /// Levels, movements and payouts of the months under both sides.
  public static func compare(
    current: IncentiveCalculator, draft: IncentiveCalculator, from: Month, to: Month,
    approvals: [StatementApproval] = []
  ) throws -> WhatIfResult {
    let text = TierText(catalog: current.engine.compiled.catalog)
    var levels: [WhatIfResult.LevelCount] = []
    var moves: [WhatIfResult.Move] = []
    func inRange(_ p: Period) -> Bool { p.firstMonth >= from && p.lastMonth <= to }
    let a = current.tiers.evaluations.filter { inRange($0.period) }
    let b = draft.tiers.evaluations.filter { inRange($0.period) }
    let periods = Set(a.map(\.period)).union(b.map(\.period)).sorted()
    let ladderLevels =
      (draft.tiers.ladder?.levels.reversed().map(\.id) ?? [])
      + (current.tiers.ladder?.levels.reversed().map(\.id) ?? [])
    var levelOrder: [String] = []
    for l in ladderLevels where !levelOrder.contains(l) { levelOrder.append(l) }
    var byKeyA: [String: TierEvaluation] = [:]
    for e in a { byKeyA["\(e.partner)|\(e.period)"] = e }
    var byKeyB: [String: TierEvaluation] = [:]
    for e in b { byKeyB["\(e.partner)|\(e.period)"] = e }
    for p in periods {
      for level in levelOrder {
        let ca = a.filter { $0.period == p && $0.level == level }.count
        let cb = b.filter { $0.period == p && $0.level == level }.count
        if ca > 0 || cb > 0 { levels.append(.init(period: p, level: level, current: ca, draft: cb)) }
      }
    }
    for key in Set(byKeyA.keys).union(byKeyB.keys).sorted() {
      let ea = byKeyA[key]
      let eb = byKeyB[key]
      guard ea?.level != eb?.level, let any = ea ?? eb else { continue }
      moves.append(
        .init(
          partner: any.partner, period: any.period, current: ea?.level, draft: eb?.level, why: reason(ea, eb, text)))
    }
    moves.sort { ($0.period, $0.partner) < ($1.period, $1.partner) }
    // Payouts: both sides recomputed, approved amounts beside them.
    let sa = try current.computed(from: from, to: to)
    let sb = try draft.computed(from: from, to: to)
    struct Key: Hashable {
      var period: Period
      var plan: String
    }
    var totals: [Key: (Int64, Int64)] = [:]
    for s in sa {
      for (plan, amount) in s.totalsByPlan { totals[Key(period: s.period, plan: plan), default: (0, 0)].0 += amount }
    }
    for s in sb {
      for (plan, amount) in s.totalsByPlan { totals[Key(period: s.period, plan: plan), default: (0, 0)].1 += amount }
    }
    var approved: [Key: Int64] = [:]
    for ap in approvals where !ap.isRevoked && inRange(ap.period) {
      for l in ap.lines where l.kind != nil && l.corrects == nil {
        approved[Key(period: ap.period, plan: l.plan)] = Cents.sum([
          approved[Key(period: ap.period, plan: l.plan)] ?? 0, l.amount,
        ])
      }
    }
    let payouts = totals.map { k, v in
      WhatIfResult.PlanTotal(period: k.period, plan: k.plan, current: v.0, draft: v.1, approved: approved[k])
    }.sorted {
      ($0.period.firstMonth, $0.period.grain.months, $0.plan) < ($1.period.firstMonth, $1.period.grain.months, $1.plan)
    }
    return WhatIfResult(levels: levels, levelOrder: levelOrder, moves: moves, payouts: payouts)
  }

  /// Why a partner's level differs: the requirements of the other side's level that this side
  /// does not meet.
  static func reason(_ current: TierEvaluation?, _ draft: TierEvaluation?, _ text: TierText) -> String {
    switch (current, draft) {
    case (nil, let d?): return "evaluated only under the draft: \(d.change.rawValue) to \(d.level)"
    case (let c?, nil): return "not evaluated under the draft (outside its ladder); now \(c.level)"
    case (let c?, let d?):
      if let why = text.unmet(d, level: c.level) { return "under the draft, " + why }
      if let why = text.unmet(c, level: d.level) { return "under the current rules, " + why }
      return "current: \(c.change.rawValue) (misses \(c.misses)), draft: \(d.change.rawValue) (misses \(d.misses))"
    default: return ""
    }
  }
}
