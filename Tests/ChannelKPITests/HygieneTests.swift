import ChannelKPI
import Testing

/// Small programs built to trip one hygiene rule each, next to near-identical ones that pass.
/// Every check looks back from 2025-Q4 (recent periods 2025-Q2…Q4 by default).
private enum Hygiene {
  /// Deals of one partner closed on the 41st day of a quarter: `won` won ones of `amount` each and
  /// `lost` lost ones, each created `cycle` days before it closed.
  static func deals(_ partner: String, _ quarter: String, won: Int, lost: Int = 0, amount: Int = 100, cycle: Int32 = 10)
    -> [FactRecord]
  {
    let closed = Period(quarter)!.start + 40
    return (0..<(won + lost)).map { i in
      Row.deal(
        "\(partner)-\(quarter)-\(i)", partner, created: (closed - cycle).description, stage: i < won ? "won" : "lost",
        closed: closed.description, amount: String(amount))
    }
  }

  static func reseller(_ id: String, joined: String = "2023-01-01", left: String? = nil) -> FactRecord {
    Row.partner(id, type: "reseller", region: "emea", joined: joined, left: left)
  }

  static func card(_ kpis: [String], type: String? = "reseller") -> ScorecardDefinition {
    ScorecardDefinition(
      id: type ?? "network", name: "Card", partnerType: type, items: kpis.map { ScorecardItem(kpi: $0) })
  }

  static func objective(
    _ kpis: [String], id: String = "o1", name: String = "Grow", from: String? = nil, to: String? = nil
  )
    -> Objective
  {
    Objective(id: id, name: name, from: from.flatMap(Period.init), to: to.flatMap(Period.init), kpis: kpis)
  }

  static func target(_ kpi: String, _ rule: TargetRule, scope: String = "network", grain: Grain? = .quarter)
    -> TargetDefinition
  {
    TargetDefinition(kpi: kpi, scope: Scope(scope)!, grain: grain, rule: rule)
  }

  /// The findings of one rule for definitions in force from 2024-01-01.
  static func findings(
    _ rule: HygieneFinding.Rule, _ defs: ProgramDefinitions, records: [FactRecord], reviews: [Review] = [],
    asOf: String = "2025-Q4"
  ) throws -> [HygieneFinding] {
    try findings(
      rule, [EvaluatorFixture.version(1, effective: "2024-01-01", defs)], records: records, reviews: reviews, asOf: asOf
    )
  }

  static func findings(
    _ rule: HygieneFinding.Rule, _ versions: [ProgramVersion], records: [FactRecord], reviews: [Review] = [],
    asOf: String = "2025-Q4"
  ) throws -> [HygieneFinding] {
    let ev = try EvaluatorFixture.evaluator(records, versions)
    return try HygieneChecker(evaluator: ev, reviews: reviews).check(asOf: Period(asOf)!).filter { $0.rule == rule }
  }
}

private typealias H = Hygiene

@Suite struct HygieneTests {
  // MARK: Too many KPIs

  static let eight = [
    "revenue", "win_rate", "avg_deal_size", "sales_cycle_days", "open_pipeline", "deal_registrations",
    "new_customers", "nps",
  ]

  @Test func moreThanSevenKPIsOnAScorecardIsTooMany() throws {
    let records = [H.reseller("P1")]
    let eight = try H.findings(.tooManyKPIs, ProgramDefinitions(scorecards: [H.card(Self.eight)]), records: records)
    #expect(eight.count == 1)
    #expect(eight.first?.subject == "scorecard reseller")
    #expect(eight.first?.evidence.count == 8)
    #expect(eight.first?.message.contains("8 KPIs") == true)
    // Seven is fine.
    let seven = ProgramDefinitions(scorecards: [H.card(Array(Self.eight.prefix(7)))])
    #expect(try H.findings(.tooManyKPIs, seven, records: records).isEmpty)
  }

  @Test func theMaximumNumberOfKPIsComesFromTheDefinitions() throws {
    let records = [H.reseller("P1")]
    var eight = ProgramDefinitions(scorecards: [H.card(Self.eight)])
    eight.hygiene.maxScorecardKPIs = 8
    #expect(try H.findings(.tooManyKPIs, eight, records: records).isEmpty)
    var seven = ProgramDefinitions(scorecards: [H.card(Array(Self.eight.prefix(7)))])
    seven.hygiene.maxScorecardKPIs = 6
    #expect(try H.findings(.tooManyKPIs, seven, records: records).map(\.subject) == ["scorecard reseller"])
  }

  // MARK: KPIs without an objective

  @Test func aScorecardKPIMustBeLinkedToAnActiveObjective() throws {
    let records = [H.reseller("P1")]
    let card = H.card(["revenue", "win_rate"])
    func subjects(_ objectives: [Objective], recent: Int? = nil) throws -> [String] {
      var defs = ProgramDefinitions(objectives: objectives, scorecards: [card])
      if let recent { defs.hygiene.recentPeriods = recent }
      return try H.findings(.kpiWithoutObjective, defs, records: records).map(\.subject)
    }
    // Both KPIs measured by an open-ended objective: nothing to report.
    #expect(try subjects([H.objective(["revenue", "win_rate"])]).isEmpty)
    // Win rate is on the card, but no objective asks for it.
    #expect(try subjects([H.objective(["revenue"])]) == ["scorecard reseller: win_rate"])
    // The only objective measuring win rate ended in 2025-Q1, before the recent periods 2025-Q2…Q4.
    let ended = [H.objective(["revenue", "win_rate"], to: "2025-Q1"), H.objective(["revenue"], id: "o2")]
    let found = try H.findings(
      .kpiWithoutObjective, ProgramDefinitions(objectives: ended, scorecards: [card]), records: records)
    #expect(found.map(\.subject) == ["scorecard reseller: win_rate"])
    #expect(found.first?.evidence == ["objective o2 measures revenue"])
    // Ending in 2025-Q2 it is still active in the recent periods.
    #expect(try subjects([H.objective(["revenue", "win_rate"], to: "2025-Q2")]).isEmpty)
    // One that starts only in 2026 is not active yet: both KPIs lack an objective.
    #expect(
      try subjects([H.objective(["revenue", "win_rate"], from: "2026-Q1")]) == [
        "scorecard reseller: revenue", "scorecard reseller: win_rate",
      ])
    // Looking at 4 recent periods (2025-Q1…Q4), the objective that ended in 2025-Q1 counts again.
    #expect(try subjects([H.objective(["revenue", "win_rate"], to: "2025-Q1")], recent: 4).isEmpty)
  }

  // MARK: Lack of data

  /// Four resellers in the program and one that left in 2024. Win rates exist only where deals closed:
  /// P1 and P2 in each of 2025-Q2…Q4 (2 of 4 partners = 50% per quarter), unless P2 closes nothing in Q4.
  static func coverage(p2InQ4: Bool) -> [FactRecord] {
    var r = [H.reseller("P1"), H.reseller("P2"), H.reseller("P3"), H.reseller("P4")]
    r.append(H.reseller("P5", left: "2024-12-31"))
    r += H.deals("P5", "2024-Q2", won: 1)
    for q in ["2025-Q2", "2025-Q3", "2025-Q4"] {
      r += H.deals("P1", q, won: 1, lost: 1)
      if q != "2025-Q4" || p2InQ4 { r += H.deals("P2", q, won: 1) }
    }
    return r
  }

  @Test func aScorecardKPIMostPartnersHaveNoValueForLacksData() throws {
    let defs = ProgramDefinitions(scorecards: [H.card(["win_rate", "revenue"])])
    // Coverage (2/4 + 2/4 + 2/4) / 3 = 0.5: not below the default 0.5.
    #expect(try H.findings(.lackOfData, defs, records: Self.coverage(p2InQ4: true)).isEmpty)
    // (2/4 + 2/4 + 1/4) / 3 = 0.4167 < 0.5. P5 left before the period and does not count; revenue (a sum) is
    // 0 where nothing was won, so it has a value for everyone.
    let found = try H.findings(.lackOfData, defs, records: Self.coverage(p2InQ4: false))
    #expect(found.map(\.subject) == ["scorecard reseller: win_rate"])
    #expect(
      found.first?.evidence == [
        "2025-Q2: 2 of 4 partners have a value", "2025-Q3: 2 of 4 partners have a value",
        "2025-Q4: 1 of 4 partners have a value",
      ])
    #expect(found.first?.message.contains("42%") == true)
  }

  @Test func theMinimumDataCoverageComesFromTheDefinitions() throws {
    var defs = ProgramDefinitions(scorecards: [H.card(["win_rate"])])
    defs.hygiene.minDataCoverage = 0.4
    // 0.4167 is not below 0.4.
    #expect(try H.findings(.lackOfData, defs, records: Self.coverage(p2InQ4: false)).isEmpty)
    defs.hygiene.minDataCoverage = 0.6
    // 0.5 is below 0.6.
    #expect(try H.findings(.lackOfData, defs, records: Self.coverage(p2InQ4: true)).count == 1)
  }

  // MARK: Ignored results

  /// Target: win rate 0.5 for every reseller. P1 wins 1 of 4 deals (0.25 → attainment 0.5, off track) in
  /// each of 2025-Q2…Q4 (in 2025-Q1 it won 2 of 2, on track) unless `p1RecoversInQ3` (2 of 2 in Q3).
  /// P2 wins everything: on track.
  static func offTrack(p1RecoversInQ3: Bool = false) -> [FactRecord] {
    var r = [H.reseller("P1"), H.reseller("P2")]
    r += H.deals("P1", "2025-Q1", won: 2)
    for q in ["2025-Q2", "2025-Q3", "2025-Q4"] {
      r += q == "2025-Q3" && p1RecoversInQ3 ? H.deals("P1", q, won: 2) : H.deals("P1", q, won: 1, lost: 3)
      r += H.deals("P2", q, won: 2)
    }
    return r
  }

  static let offTrackDefs = ProgramDefinitions(
    targets: [H.target("win_rate", .value(0.5))], scorecards: [H.card(["win_rate"])])

  static func review(_ date: String, partner: String? = nil, kpi: String? = nil) -> Review {
    Review(date: Day(iso: date)!, reviewer: "Ann", partner: partner, kpi: kpi, finding: "low", action: "coach")
  }

  @Test func offTrackForThreePeriodsWithoutAReviewIsIgnored() throws {
    let found = try H.findings(.ignoredResults, Self.offTrackDefs, records: Self.offTrack())
    #expect(found.map(\.subject) == ["scorecard reseller"])
    #expect(found.first?.evidence == ["partner P1: Deal closure rate"])
    #expect(found.first?.message.contains("2025-Q2…2025-Q4") == true)
    // Back on track in Q3: not three periods in a row.
    #expect(try H.findings(.ignoredResults, Self.offTrackDefs, records: Self.offTrack(p1RecoversInQ3: true)).isEmpty)
  }

  @Test func aReviewInsideTheWindowCountsAsActingOnTheResult() throws {
    func found(_ reviews: [Review]) throws -> Bool {
      !(try H.findings(.ignoredResults, Self.offTrackDefs, records: Self.offTrack(), reviews: reviews).isEmpty)
    }
    // The window starts 2025-04-01 (the first day of 2025-Q2).
    #expect(try !found([Self.review("2025-05-01", partner: "P1")]))  // the partner's scorecard
    #expect(try !found([Self.review("2025-08-01", kpi: "win_rate")]))  // the KPI, for every partner
    #expect(try !found([Self.review("2025-04-01", partner: "P1", kpi: "win_rate")]))  // the first day counts
    #expect(try found([Self.review("2025-03-31", partner: "P1")]))  // older than the window
    #expect(try found([Self.review("2024-11-01", kpi: "win_rate")]))
    #expect(try found([Self.review("2025-05-01", partner: "P2")]))  // another partner
    #expect(try found([Self.review("2025-05-01", partner: "P1", kpi: "revenue")]))  // another KPI of P1
    #expect(try found([Self.review("2025-05-01", kpi: "revenue")]))
  }

  @Test func theOffTrackPeriodsComeFromTheDefinitions() throws {
    var defs = Self.offTrackDefs
    // Two periods (2025-Q3…Q4, from 2025-07-01): a review of 2025-05-01 is now too old.
    defs.hygiene.offTrackPeriods = 2
    let reviews = [Self.review("2025-05-01", partner: "P1")]
    #expect(try H.findings(.ignoredResults, defs, records: Self.offTrack(), reviews: reviews).count == 1)
    // Back on track in Q3 and off in Q4: not 2 periods in a row.
    #expect(try H.findings(.ignoredResults, defs, records: Self.offTrack(p1RecoversInQ3: true)).isEmpty)
    // Four periods (2025-Q1…Q4): P1 was on track in Q1.
    defs.hygiene.offTrackPeriods = 4
    #expect(try H.findings(.ignoredResults, defs, records: Self.offTrack()).isEmpty)
  }

  // MARK: Static targets and objectives

  /// Network win rate by quarter of 2025: 1/2, 1/2, 1/2 and then 2/3 (`moves`) or 3/5.
  static func winRates(moves: Bool) -> [FactRecord] {
    var r = [H.reseller("P1")]
    for q in ["2025-Q1", "2025-Q2", "2025-Q3"] { r += H.deals("P1", q, won: 1, lost: 1) }
    r += moves ? H.deals("P1", "2025-Q4", won: 2, lost: 1) : H.deals("P1", "2025-Q4", won: 3, lost: 2)
    return r
  }

  @Test func aFixedTargetUnchangedWhileTheActualMovedIsStatic() throws {
    let defs = ProgramDefinitions(targets: [H.target("win_rate", .value(0.5))])
    // 0.5, 0.5, 0.5, 0.6667: moved (0.6667 − 0.5) / mean 0.5417 = 30.8% > 30%.
    let found = try H.findings(.staticTarget, defs, records: Self.winRates(moves: true))
    #expect(found.map(\.subject) == ["target win_rate for network"])
    #expect(found.first?.evidence.count == 4)
    #expect(found.first?.message.contains("31%") == true)
    // 0.5, 0.5, 0.5, 0.6: moved 0.1 / 0.525 = 19% — not a lot.
    #expect(try H.findings(.staticTarget, defs, records: Self.winRates(moves: false)).isEmpty)
    // A growth rule moves with the baseline: never static.
    let growth = ProgramDefinitions(targets: [H.target("win_rate", .growth(0))])
    #expect(try H.findings(.staticTarget, growth, records: Self.winRates(moves: true)).isEmpty)
  }

  @Test func theStaticTargetThresholdsComeFromTheDefinitions() throws {
    var defs = ProgramDefinitions(targets: [H.target("win_rate", .value(0.5))])
    defs.hygiene.staticActualChange = 0.35
    #expect(try H.findings(.staticTarget, defs, records: Self.winRates(moves: true)).isEmpty)  // 30.8% ≤ 35%
    defs.hygiene.staticActualChange = 0.15
    #expect(try H.findings(.staticTarget, defs, records: Self.winRates(moves: false)).count == 1)  // 19% > 15%
    // Over the last 2 periods only (0.5, 0.6667): 0.1667 / 0.5833 = 28.6% ≤ 30%.
    var two = ProgramDefinitions(targets: [H.target("win_rate", .value(0.5))])
    two.hygiene.staticTargetPeriods = 2
    #expect(try H.findings(.staticTarget, two, records: Self.winRates(moves: true)).isEmpty)
  }

  @Test func aTargetChangedByANewVersionIsNotStatic() throws {
    let v1 = EvaluatorFixture.version(
      1, effective: "2024-01-01", ProgramDefinitions(targets: [H.target("win_rate", .value(0.5))]))
    // v2 from 2025-Q3 asks for 0.55: the target was not the same over 2025-Q1…Q4.
    let changed = EvaluatorFixture.version(
      2, effective: "2025-07-01", ProgramDefinitions(targets: [H.target("win_rate", .value(0.55))]))
    #expect(try H.findings(.staticTarget, [v1, changed], records: Self.winRates(moves: true)).isEmpty)
    // v2 keeps 0.5 (and adds an objective): the target is as static as before.
    let same = EvaluatorFixture.version(
      2, effective: "2025-07-01",
      ProgramDefinitions(objectives: [H.objective(["win_rate"])], targets: [H.target("win_rate", .value(0.5))]))
    #expect(try H.findings(.staticTarget, [v1, same], records: Self.winRates(moves: true)).count == 1)
  }

  @Test func anObjectiveRewordedWithoutChangingItsKPIsIsStatic() throws {
    let records = [H.reseller("P1")]
    func found(_ old: Objective, _ new: Objective) throws -> [HygieneFinding] {
      try H.findings(
        .staticObjective,
        [
          EvaluatorFixture.version(1, effective: "2024-01-01", ProgramDefinitions(objectives: [old])),
          EvaluatorFixture.version(2, effective: "2025-01-01", ProgramDefinitions(objectives: [new])),
        ], records: records)
    }
    let old = H.objective(["revenue", "win_rate"], name: "Grow revenue")
    // New words, the same KPIs (in another order): static.
    let reworded = try found(old, H.objective(["win_rate", "revenue"], name: "Grow revenue profitably"))
    #expect(reworded.map(\.subject) == ["objective o1"])
    #expect(reworded.first?.message.contains("v2") == true)
    var described = old
    described.description = "Now with a focus on margin."
    #expect(try found(old, described).count == 1)
    // New words and a KPI more: the measurement followed the objective.
    #expect(try found(old, H.objective(["revenue", "win_rate", "avg_deal_size"], name: "Grow profitably")).isEmpty)
    // Unchanged: nothing to report.
    #expect(try found(old, old).isEmpty)
  }

  // MARK: Unattainable and unchallenging targets

  /// P1's network revenue by quarter: 2024-Q1…Q3 1000, then 1200 from 2024-Q4 to 2025-Q4 (the best growth
  /// from one quarter to the next: 20%). Its sales cycle: 40 days, then 30 from 2024-Q4 (best improvement 25%).
  /// Baselines for 2025-Q4 (mean of 2024-Q4…2025-Q3): revenue 1200, sales cycle 30.
  static func ambition() -> [FactRecord] {
    var r = [H.reseller("P1")]
    for q in ["2024-Q1", "2024-Q2", "2024-Q3"] { r += H.deals("P1", q, won: 1, amount: 1000, cycle: 40) }
    for q in ["2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"] {
      r += H.deals("P1", q, won: 1, amount: 1200, cycle: 30)
    }
    return r
  }

  private func ambition(_ targets: [TargetDefinition], margin: Double? = nil) throws -> [String] {
    var defs = ProgramDefinitions(targets: targets)
    if let margin { defs.hygiene.unattainableMargin = margin }
    let ev = try EvaluatorFixture.evaluator(defs, records: Self.ambition())
    return try HygieneChecker(evaluator: ev, reviews: []).check(asOf: Period("2025-Q4")!)
      .filter { $0.rule == .unattainableTarget || $0.rule == .unchallengingTarget }
      .map { "\($0.rule.rawValue) \($0.subject)" }
  }

  @Test func aTargetBelowTheBaselineIsNotChallenging() throws {
    // 1200 × 0.9 = 1080 < 1200.
    #expect(try ambition([H.target("revenue", .growth(-0.1))]) == ["unchallenging_target target revenue for network"])
    #expect(try ambition([H.target("revenue", .value(1000))]) == ["unchallenging_target target revenue for network"])
    #expect(
      try ambition([H.target("revenue", .growth(-0.1), scope: "partner:P1")]) == [
        "unchallenging_target target revenue for partner:P1"
      ])
    // At the baseline or above: fine.
    #expect(try ambition([H.target("revenue", .growth(0))]).isEmpty)
    #expect(try ambition([H.target("revenue", .growth(0.05))]).isEmpty)
  }

  @Test func forALowerIsBetterKPIATargetAboveTheBaselineIsNotChallenging() throws {
    // 30 + 5 = 35 days asks for a slower sales cycle.
    #expect(
      try ambition([H.target("sales_cycle_days", .delta(5))]) == [
        "unchallenging_target target sales_cycle_days for network"
      ])
    // 27 days is an improvement of 10%, within the best 25% + 10%.
    #expect(try ambition([H.target("sales_cycle_days", .delta(-3))]).isEmpty)
  }

  @Test func aTargetNeedingMoreGrowthThanEverSeenIsUnattainable() throws {
    // Needs 35% growth; the best quarter-on-quarter growth was 20%, + 10% margin = 30%.
    #expect(try ambition([H.target("revenue", .growth(0.35))]) == ["unattainable_target target revenue for network"])
    // 2000 / 1200 − 1 = 67%.
    #expect(try ambition([H.target("revenue", .value(2000))]) == ["unattainable_target target revenue for network"])
    // 25% is within 30%.
    #expect(try ambition([H.target("revenue", .growth(0.25))]).isEmpty)
    #expect(try ambition([H.target("revenue", .value(1500))]).isEmpty)  // exactly 25%
    // Lower is better: 19 days needs 1 − 19/30 = 36.7% improvement > 25% + 10%; 20 days needs 33.3%.
    #expect(
      try ambition([H.target("sales_cycle_days", .value(19))]) == [
        "unattainable_target target sales_cycle_days for network"
      ])
    #expect(try ambition([H.target("sales_cycle_days", .value(20))]).isEmpty)
  }

  @Test func aFixedTargetOutsideWhatTheKPICanBeIsUnattainable() throws {
    // P1 wins every deal it closes (win rate 1): 110% can never be reached, whatever the history.
    let found = try EvaluatorFixture.evaluator(
      ProgramDefinitions(targets: [H.target("win_rate", .value(1.1)), H.target("nps", .value(-120))]),
      records: Self.ambition()
    ).checkTargets()
    #expect(
      found.map { "\($0.rule.rawValue) \($0.subject)" } == [
        "unattainable_target target win_rate for network", "unattainable_target target nps for network",
      ])
    #expect(
      found.first?.message
        == "the target 110.0% can never be reached: Deal closure rate is at least 0.0% and at most 100.0%")
    // A delta rule above 100% is held at 100%, which the scope already reaches: nothing to report.
    #expect(try ambition([H.target("win_rate", .delta(0.05))]).isEmpty)
    #expect(try ambition([H.target("win_rate", .value(1))]).isEmpty)
  }

  @Test func theUnattainableMarginComesFromTheDefinitions() throws {
    // 35% needed; with a 20% margin the limit is 40%.
    #expect(try ambition([H.target("revenue", .growth(0.35))], margin: 0.2).isEmpty)
    // 25% needed; with no margin the limit is 20%.
    #expect(
      try ambition([H.target("revenue", .growth(0.25))], margin: 0) == [
        "unattainable_target target revenue for network"
      ])
  }

  // MARK: Without definitions

  @Test func checkingWithoutDefinitionsSaysHowToApplySome() throws {
    let ev = try EvaluatorFixture.evaluator([H.reseller("P1")], [])
    #expect(throws: ProgramError.self) {
      try HygieneChecker(evaluator: ev, reviews: []).check(asOf: Period("2025-Q4")!)
    }
  }
}

extension ProgramEvaluator {
  /// The target findings of the hygiene check for 2025-Q4.
  fileprivate func checkTargets() throws -> [HygieneFinding] {
    try HygieneChecker(evaluator: self, reviews: []).check(asOf: Period("2025-Q4")!)
      .filter { $0.rule == .unattainableTarget || $0.rule == .unchallengingTarget }
  }
}
