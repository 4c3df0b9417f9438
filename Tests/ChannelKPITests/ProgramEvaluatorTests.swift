import ChannelKPI
import Testing

/// Three partners with deals over 2024–2025; every value the tests below use is worked out here.
///
/// P1 reseller, emea, gold · P2 reseller, na, no tier · P3 msp, emea, gold (all joined 2023).
///
/// P1 by quarter (won amounts; win rate = won / closed; sales cycle = mean days created → closed of won deals):
/// - 2024-Q1: won 1000 (01-10 → 02-01, 22 d), won 400 (03-01 → 03-20, 19 d), 2 lost → revenue 1400, win 2/4 = 0.5,
///   cycle 20.5; by month 2024-02: 1000, 2024-03: 400
/// - 2024-Q2: nothing closed → revenue 0, no win rate, no cycle
/// - 2024-Q3: won 2000 (07-01 → 08-01, 31 d), won 1000 (08-01 → 09-01, 31 d) → revenue 3000, win 1, cycle 31
/// - 2024-Q4: won 2000 (10-01 → 11-01, 31 d), 3 lost → revenue 2000, win 0.25, cycle 31
/// - 2025-Q1: won 1500 sourced (01-01 → 01-20, 19 d), 1000 co_sell (01-10 → 02-10, 31 d), 500 sourced
///   (02-01 → 03-01, 28 d), 1 lost (03-10) → revenue 3000, sourced revenue 2000, win 3/4, cycle 78/3 = 26;
///   by month 2025-01: 1500, 2025-02: 1000, 2025-03: 500
/// - 2025-Q2: won 800 sourced (05-05) → revenue 800, win 1
///
/// P2: 2024-Q4 won 300 (10-20); 2025-Q1 won 600 (01-15) and 2 lost → revenue 600, win 1/3;
/// 2025-Q2 won 400 influenced (06-10).
/// P3: 2025-Q1 won 200 (01-25) → revenue 200, win 1; nothing before.
///
/// Network revenue: 2024-Q1 1400, Q2 0, Q3 3000, Q4 2300, 2025-Q1 3800, 2025-Q2 1200.
/// Network won/closed 2025-Q1: (3 + 1 + 1) / (4 + 3 + 1) = 5/8.
enum EvaluatorFixture {
  static func records() -> [FactRecord] {
    [
      Row.partner("P1", type: "reseller", region: "emea", tier: "gold", joined: "2023-01-01"),
      Row.partner("P2", type: "reseller", region: "na", joined: "2023-01-01"),
      Row.partner("P3", type: "msp", region: "emea", tier: "gold", joined: "2023-01-01"),
      // P1, 2024
      Row.deal("A1", "P1", created: "2024-01-10", stage: "won", closed: "2024-02-01", amount: "1000"),
      Row.deal("A2", "P1", created: "2024-03-01", stage: "won", closed: "2024-03-20", amount: "400"),
      Row.deal("A3", "P1", created: "2024-01-10", stage: "lost", closed: "2024-02-15", amount: "50"),
      Row.deal("A4", "P1", created: "2024-01-10", stage: "lost", closed: "2024-03-25", amount: "50"),
      Row.deal("A5", "P1", created: "2024-07-01", stage: "won", closed: "2024-08-01", amount: "2000"),
      Row.deal("A6", "P1", created: "2024-08-01", stage: "won", closed: "2024-09-01", amount: "1000"),
      Row.deal("A7", "P1", created: "2024-10-01", stage: "won", closed: "2024-11-01", amount: "2000"),
      Row.deal("A8", "P1", created: "2024-10-01", stage: "lost", closed: "2024-11-05", amount: "50"),
      Row.deal("A9", "P1", created: "2024-10-01", stage: "lost", closed: "2024-12-01", amount: "50"),
      Row.deal("A10", "P1", created: "2024-10-01", stage: "lost", closed: "2024-12-15", amount: "50"),
      // P1, 2025
      Row.deal("B1", "P1", created: "2025-01-01", stage: "won", closed: "2025-01-20", amount: "1500"),
      Row.deal(
        "B2", "P1", source: "co_sell", created: "2025-01-10", stage: "won", closed: "2025-02-10", amount: "1000"),
      Row.deal("B3", "P1", created: "2025-02-01", stage: "won", closed: "2025-03-01", amount: "500"),
      Row.deal("B4", "P1", created: "2025-02-01", stage: "lost", closed: "2025-03-10", amount: "80"),
      Row.deal("B5", "P1", created: "2025-04-01", stage: "won", closed: "2025-05-05", amount: "800"),
      // P2
      Row.deal("C1", "P2", created: "2024-10-01", stage: "won", closed: "2024-10-20", amount: "300"),
      Row.deal("C2", "P2", created: "2025-01-02", stage: "won", closed: "2025-01-15", amount: "600"),
      Row.deal("C3", "P2", created: "2025-01-02", stage: "lost", closed: "2025-02-20", amount: "60"),
      Row.deal("C4", "P2", created: "2025-01-02", stage: "lost", closed: "2025-03-15", amount: "60"),
      Row.deal(
        "C5", "P2", source: "influenced", created: "2025-04-01", stage: "won", closed: "2025-06-10", amount: "400"),
      // P3
      Row.deal("E1", "P3", created: "2025-01-02", stage: "won", closed: "2025-01-25", amount: "200"),
    ]
  }

  static func version(_ number: Int, effective: String, _ defs: ProgramDefinitions) -> ProgramVersion {
    ProgramVersion(
      number: number, effective: Day(iso: effective)!, appliedAt: "2024-01-01T00:00:00Z", definitions: defs)
  }

  /// An evaluator over `records` with the versions given; one catalog variant per distinct catalog,
  /// the latest version's first (as `ProgramLoader` does).
  static func evaluator(
    _ records: [FactRecord], _ versions: [ProgramVersion], today: String = "2030-01-01"
  ) throws -> ProgramEvaluator {
    let history = ProgramHistory(versions: versions)
    var catalogs = [Catalog.builtin.merging(history.latest?.definitions.catalog ?? Catalog())]
    var variantOf: [Int: Int] = [:]
    for v in versions {
      let c = Catalog.builtin.merging(v.definitions.catalog)
      if let i = catalogs.firstIndex(of: c) {
        variantOf[v.number] = i
      } else {
        catalogs.append(c)
        variantOf[v.number] = catalogs.count - 1
      }
    }
    let engine = KPIEngine(catalog: try CatalogCompiler.compile(variants: catalogs))
    engine.load(records)
    engine.finishLoading()
    return ProgramEvaluator(
      engine: engine, history: history, variantOfVersion: variantOf, today: try #require(Day(iso: today)))
  }

  /// An evaluator with one version of definitions, effective 2024-01-01.
  static func evaluator(_ defs: ProgramDefinitions, records: [FactRecord]? = nil, today: String = "2030-01-01")
    throws -> ProgramEvaluator
  {
    try evaluator(records ?? Self.records(), [version(1, effective: "2024-01-01", defs)], today: today)
  }

  /// The standing of one KPI for one scope in a period.
  static func standing(
    _ ev: ProgramEvaluator, _ kpi: String, _ scope: Scope, _ period: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> KPIStanding {
    let partners = Dictionary(uniqueKeysWithValues: ev.engine.partners().map { ($0.id, $0) })
    let p = try #require(Period(period), sourceLocation: sourceLocation)
    let s = try ev.standings(kpis: [kpi], scopes: [scope], partners: partners, period: p)[scope]?.first
    return try #require(s, sourceLocation: sourceLocation)
  }
}

private typealias F = EvaluatorFixture

private func target(
  _ kpi: String, _ scope: String, _ rule: TargetRule, grain: Grain? = nil, from: String? = nil,
  to: String? = nil
) -> TargetDefinition {
  TargetDefinition(
    kpi: kpi, scope: Scope(scope)!, grain: grain, from: from.flatMap(Period.init), to: to.flatMap(Period.init),
    rule: rule)
}

private let p1 = Scope(.partner, "P1")
private let p2 = Scope(.partner, "P2")
private let p3 = Scope(.partner, "P3")

@Suite struct ProgramEvaluatorTests {
  // MARK: Target resolution

  /// Win-rate targets (a rate: values apply to narrower scopes) at every level for P1.
  static let levels: [TargetDefinition] = [
    target("win_rate", "partner:P1", .value(0.9)), target("win_rate", "tier:gold", .value(0.8)),
    target("win_rate", "type:reseller", .value(0.7)), target("win_rate", "region:emea", .value(0.6)),
    target("win_rate", "network", .value(0.5)),
  ]

  @Test(arguments: [false, true]) func theMostSpecificScopeWinsForAPartner(reversed: Bool) throws {
    // Removing the winning level each time hands the target to the next one:
    // partner 0.9, then tier 0.8, then type 0.7, then region 0.6, then network 0.5, then none.
    let expected: [(Double?, String?)] = [
      (0.9, "partner:P1"), (0.8, "tier:gold"), (0.7, "type:reseller"), (0.6, "region:emea"), (0.5, "network"),
      (nil, nil),
    ]
    var targets = reversed ? Self.levels.reversed() : Self.levels
    for (value, scope) in expected {
      let s = try F.standing(try F.evaluator(ProgramDefinitions(targets: targets)), "win_rate", p1, "2025-Q1")
      #expect(s.target == value, "with \(targets.map(\.scope.description))")
      #expect(s.targetSource?.scope.description == scope)
      targets.removeAll { $0.scope.description == scope }
    }
  }

  @Test func theWinningTargetDecidesAttainmentAndStatus() throws {
    // P1's 2025-Q1 win rate is 0.75.
    // Against the partner's 0.9: 1 + (0.75 − 0.9) / 0.9 = 0.8333 → off track.
    // Against the tier's 0.8: 1 + (0.75 − 0.8) / 0.8 = 0.9375 → at risk.
    // Against the type's 0.7: 0.75 / 0.7 = 1.0714 → on track.
    var targets = Self.levels
    for (attainment, status) in [(0.75 / 0.9, TargetStatus.offTrack), (0.75 / 0.8, .atRisk), (0.75 / 0.7, .onTrack)] {
      let s = try F.standing(try F.evaluator(ProgramDefinitions(targets: targets)), "win_rate", p1, "2025-Q1")
      #expect(close(s.actual, 0.75))
      #expect(close(s.attainment, attainment))
      #expect(s.status == status)
      targets.removeFirst()
    }
  }

  @Test func removingALevelBelowTheWinnerChangesNothing() throws {
    for dropped in ["tier:gold", "type:reseller", "region:emea", "network"] {
      let defs = ProgramDefinitions(targets: Self.levels.filter { $0.scope.description != dropped })
      #expect(try F.standing(try F.evaluator(defs), "win_rate", p1, "2025-Q1").target == 0.9)
    }
  }

  @Test func eachPartnerMatchesItsOwnTierTypeAndRegion() throws {
    let others = Self.levels.filter { $0.scope != p1 }
    // P2 (reseller, na, no tier): gold and emea are not its own → the type's 0.7.
    let ev = try F.evaluator(ProgramDefinitions(targets: others))
    #expect(try F.standing(ev, "win_rate", p2, "2025-Q1").target == 0.7)
    // P3 (msp, emea, gold): the tier's 0.8.
    #expect(try F.standing(ev, "win_rate", p3, "2025-Q1").target == 0.8)
    // Without the type target, P2 falls to the network (emea is not its region); without the tier, P3
    // gets its region's 0.6 (the reseller target is not its type).
    let noType = try F.evaluator(ProgramDefinitions(targets: others.filter { $0.scope.kind != .type }))
    #expect(try F.standing(noType, "win_rate", p2, "2025-Q1").target == 0.5)
    let noTier = try F.evaluator(ProgramDefinitions(targets: others.filter { $0.scope.kind != .tier }))
    #expect(try F.standing(noTier, "win_rate", p3, "2025-Q1").target == 0.6)
  }

  @Test func groupScopesFallBackToTheNetworkOnly() throws {
    let all = try F.evaluator(ProgramDefinitions(targets: Self.levels))
    // A type has its own target or the network's; partner, tier and region targets say nothing about it.
    #expect(try F.standing(all, "win_rate", Scope(.type, "reseller"), "2025-Q1").target == 0.7)
    #expect(try F.standing(all, "win_rate", Scope(.type, "msp"), "2025-Q1").target == 0.5)
    #expect(try F.standing(all, "win_rate", Scope(.region, "emea"), "2025-Q1").target == 0.6)
    #expect(try F.standing(all, "win_rate", Scope(.region, "na"), "2025-Q1").target == 0.5)
    #expect(try F.standing(all, "win_rate", Scope(.tier, "gold"), "2025-Q1").target == 0.8)
    #expect(try F.standing(all, "win_rate", .network, "2025-Q1").target == 0.5)
    // Without a type target, the reseller type gets the network's 0.5 (not the tier's or region's).
    let noType = try F.evaluator(ProgramDefinitions(targets: Self.levels.filter { $0.scope.kind != .type }))
    let reseller = try F.standing(noType, "win_rate", Scope(.type, "reseller"), "2025-Q1")
    #expect(reseller.target == 0.5)
    #expect(reseller.targetSource?.scope == .network)
    // Without a network target either, it has none.
    let none = try F.evaluator(
      ProgramDefinitions(targets: Self.levels.filter { $0.scope.kind != .type && $0.scope.kind != .network }))
    let s = try F.standing(none, "win_rate", Scope(.type, "reseller"), "2025-Q1")
    #expect(s.target == nil)
    #expect(s.status == .noData)
    // Reseller win rate 2025-Q1: (3 + 1) / (4 + 3) = 4/7, still computed.
    #expect(close(s.actual, 4.0 / 7))
  }

  @Test func aFlowValueAtTheNetworkDoesNotApplyToAPartner() throws {
    // A network revenue of 10,000 says nothing about P1's revenue.
    let value = try F.evaluator(ProgramDefinitions(targets: [target("revenue", "network", .value(10_000))]))
    let partner = try F.standing(value, "revenue", p1, "2025-Q1")
    #expect(partner.target == nil)
    #expect(partner.targetSource == nil)
    #expect(partner.status == .noData)
    // The network itself: 3800 / 10000 = 0.38 → off track.
    let network = try F.standing(value, "revenue", .network, "2025-Q1")
    #expect(network.target == 10_000)
    #expect(close(network.attainment, 0.38))
    #expect(network.status == .offTrack)
    // Nor does a type's revenue value apply to the partners of the type; it holds for the type (3000 + 600).
    let typeValue = try F.evaluator(ProgramDefinitions(targets: [target("revenue", "type:reseller", .value(5000))]))
    #expect(try F.standing(typeValue, "revenue", p1, "2025-Q1").target == nil)
    let reseller = try F.standing(typeValue, "revenue", Scope(.type, "reseller"), "2025-Q1")
    #expect(reseller.target == 5000)
    #expect(close(reseller.attainment, 3600.0 / 5000))
    // A value for the partner itself applies.
    let own = try F.evaluator(ProgramDefinitions(targets: [target("revenue", "partner:P1", .value(2000))]))
    #expect(try F.standing(own, "revenue", p1, "2025-Q1").target == 2000)
  }

  @Test func aGrowthRuleOrARateValueAtTheNetworkDoesApplyToAPartner() throws {
    // Growth 10% on P1's own baseline: mean of 2024-Q1…Q4 revenue (1400 + 0 + 3000 + 2000) / 4 = 1600 → 1760.
    let growth = try F.evaluator(ProgramDefinitions(targets: [target("revenue", "network", .growth(0.1))]))
    let s = try F.standing(growth, "revenue", p1, "2025-Q1")
    #expect(close(s.baseline, 1600))
    #expect(close(s.target, 1760))
    #expect(s.targetSource?.scope == .network)
    // The network's own: (1400 + 0 + 3000 + 2300) / 4 = 1675 → 1842.5.
    #expect(close(try F.standing(growth, "revenue", .network, "2025-Q1").target, 1842.5))
    // A delta applies too: 1600 + 100.
    let delta = try F.evaluator(ProgramDefinitions(targets: [target("revenue", "network", .delta(100))]))
    #expect(close(try F.standing(delta, "revenue", p1, "2025-Q1").target, 1700))
    // A rate's value applies as it is.
    let rate = try F.evaluator(ProgramDefinitions(targets: [target("win_rate", "network", .value(0.5))]))
    #expect(try F.standing(rate, "win_rate", p1, "2025-Q1").target == 0.5)
    // A type's revenue value is passed over for P1, and the network's growth rule applies instead.
    let mixed = try F.evaluator(
      ProgramDefinitions(targets: [
        target("revenue", "network", .growth(0.1)), target("revenue", "type:reseller", .value(5000)),
      ]))
    let m = try F.standing(mixed, "revenue", p1, "2025-Q1")
    #expect(close(m.target, 1760))
    #expect(m.targetSource?.scope == .network)
  }

  @Test func grainAndRangeRestrictTargets() throws {
    // A quarterly target does not apply to a month, and a monthly one not to a quarter.
    let quarterly = try F.evaluator(
      ProgramDefinitions(targets: [target("revenue", "partner:P1", .value(2000), grain: .quarter)]))
    #expect(try F.standing(quarterly, "revenue", p1, "2025-Q1").target == 2000)
    #expect(try F.standing(quarterly, "revenue", p1, "2025-02").target == nil)
    let monthly = try F.evaluator(
      ProgramDefinitions(targets: [target("revenue", "partner:P1", .value(700), grain: .month)]))
    let feb = try F.standing(monthly, "revenue", p1, "2025-02")
    #expect(feb.target == 700)
    #expect(close(feb.attainment, 1000.0 / 700))  // P1 won 1000 in February 2025
    #expect(try F.standing(monthly, "revenue", p1, "2025-Q1").target == nil)
    // From 2025-Q2 to 2025-Q3 the partner's 0.9 holds; outside, the network's 0.5.
    let ranged = try F.evaluator(
      ProgramDefinitions(targets: [
        target("win_rate", "partner:P1", .value(0.9), from: "2025-Q2", to: "2025-Q3"),
        target("win_rate", "network", .value(0.5)),
      ]))
    for (period, value) in [
      ("2025-Q1", 0.5), ("2025-Q2", 0.9), ("2025-Q3", 0.9), ("2025-Q4", 0.5), ("2025-03", 0.5), ("2025-04", 0.9),
      ("2025-09", 0.9), ("2025-10", 0.5),
    ] {
      #expect(try F.standing(ranged, "win_rate", p1, period).target == value, "\(period)")
    }
  }

  @Test func targetDefinitionsCoverTheirGrainAndRange() throws {
    let q = try #require(Period("2025-Q2"))
    let t = target("revenue", "network", .value(1), grain: .quarter, from: "2025-Q2", to: "2025-Q3")
    #expect(t.applies(to: q))
    #expect(t.applies(to: try #require(Period("2025-Q3"))))
    #expect(!t.applies(to: try #require(Period("2025-Q1"))))
    #expect(!t.applies(to: try #require(Period("2025-Q4"))))
    #expect(!t.applies(to: try #require(Period("2025-05"))))  // a month: wrong grain
    let open = target("revenue", "network", .value(1))
    #expect(open.applies(to: try #require(Period("1999-07"))))
    #expect(open.applies(to: try #require(Period("2031"))))
  }

  // MARK: Baselines

  @Test func previousPeriodsBaselineSkipsPeriodsWithoutAValue() throws {
    // P1's win rate: 2024-Q1 0.5, Q2 none, Q3 1, Q4 0.25.
    func baseline(_ method: BaselineMethod?) throws -> KPIStanding {
      var defs = ProgramDefinitions(targets: [target("win_rate", "network", .delta(0))])
      if let method { defs.baselines["win_rate"] = method }
      return try F.standing(try F.evaluator(defs), "win_rate", p1, "2025-Q1")
    }
    // Default, previous 4: (0.5 + 1 + 0.25) / 3 = 0.58333 (Q2 has no value and is skipped, not counted as 0).
    let d = try baseline(nil)
    #expect(d.baselineMethod == .previousPeriods(4))
    #expect(close(d.baseline, 1.75 / 3))
    #expect(close(try baseline(.previousPeriods(2)).baseline, 0.625))  // (0.25 + 1) / 2
    #expect(close(try baseline(.previousPeriods(3)).baseline, 0.625))  // Q4, Q3; Q2 skipped
    #expect(close(try baseline(.previousPeriods(1)).baseline, 0.25))
    // Revenue has a value (0) in 2024-Q2, which counts: (1400 + 0 + 3000 + 2000) / 4 = 1600.
    let rev = try F.standing(try F.evaluator(ProgramDefinitions()), "revenue", p1, "2025-Q1")
    #expect(close(rev.baseline, 1600))
    // No earlier value at all (P3's first closed deal is in 2025-Q1): no baseline, so no target from a rule.
    let p3Rate = try F.standing(
      try F.evaluator(ProgramDefinitions(targets: [target("win_rate", "network", .delta(0.05))])), "win_rate", p3,
      "2025-Q1")
    #expect(p3Rate.baseline == nil)
    #expect(p3Rate.target == nil)
    #expect(p3Rate.status == .noData)
    #expect(p3Rate.actual == 1)
  }

  @Test func historyStartsWhenTheDataAndThePartnerDo() throws {
    // The partners joined in 2023, but the first fact (P1's deal A1) is of 2024-01-10: the quarters
    // of 2023 are before the data begins, not quarters of no revenue.
    let ev = try F.evaluator(ProgramDefinitions())
    #expect(try F.standing(ev, "revenue", p1, "2024-Q1").baseline == nil)
    // 2024-Q2: only 2024-Q1 counts → 1400 (not 1400 / 4 = 350).
    #expect(close(try F.standing(ev, "revenue", p1, "2024-Q2").baseline, 1400))
    #expect(close(try F.standing(ev, "revenue", .network, "2024-Q2").baseline, 1400))
    // 2024-Q3: 2024-Q1 (1400) and 2024-Q2 (0, inside the data: a real zero) → 700.
    #expect(close(try F.standing(ev, "revenue", p1, "2024-Q3").baseline, 700))
    var lastYear = ProgramDefinitions()
    lastYear.baselines["revenue"] = .samePeriodLastYear
    #expect(try F.standing(try F.evaluator(lastYear), "revenue", p1, "2024-Q3").baseline == nil)

    // P4 joins on 2024-07-01 and wins 500 in 2024-08. Its baseline for 2025-Q1 reads 2024-Q3 (500)
    // and 2024-Q4 (0); 2024-Q1 and Q2 ended before it joined → 250 (not 500 / 4 = 125).
    let records =
      F.records() + [
        Row.partner("P4", type: "msp", region: "na", joined: "2024-07-01"),
        Row.deal("G1", "P4", created: "2024-07-10", stage: "won", closed: "2024-08-10", amount: "500"),
      ]
    let joined = try F.evaluator(ProgramDefinitions(), records: records)
    #expect(close(try F.standing(joined, "revenue", Scope(.partner, "P4"), "2025-Q1").baseline, 250))
    // The msp type keeps every quarter of the data: P3 and P4 together, (0 + 0 + 500 + 0) / 4.
    #expect(close(try F.standing(joined, "revenue", Scope(.type, "msp"), "2025-Q1").baseline, 125))
  }

  @Test func samePeriodLastYearBaseline() throws {
    var defs = ProgramDefinitions()
    defs.baselines["revenue"] = .samePeriodLastYear
    let ev = try F.evaluator(defs)
    // Quarter: 2024-Q1 → 1400. Months: 2024-02 → 1000, 2024-03 → 400. Year: 2024 → 6400.
    #expect(close(try F.standing(ev, "revenue", p1, "2025-Q1").baseline, 1400))
    #expect(close(try F.standing(ev, "revenue", p1, "2025-02").baseline, 1000))
    #expect(close(try F.standing(ev, "revenue", p1, "2025-03").baseline, 400))
    #expect(close(try F.standing(ev, "revenue", p1, "2025").baseline, 6400))
    #expect(close(try F.standing(ev, "revenue", .network, "2025-Q1").baseline, 1400))
    // The default for a month is the mean of the 4 months before: 2024-10…2025-01 → (0 + 2000 + 0 + 1500) / 4.
    #expect(close(try F.standing(try F.evaluator(ProgramDefinitions()), "revenue", p1, "2025-02").baseline, 875))
  }

  @Test func fixedBaseline() throws {
    var defs = ProgramDefinitions(targets: [target("revenue", "partner:P1", .growth(0.25))])
    defs.baselines["revenue"] = .fixed(1200)
    let ev = try F.evaluator(defs)
    // 1200 × 1.25 = 1500, whatever the history; 3000 / 1500 = 2 → on track.
    for period in ["2025-Q1", "2025-Q2", "2020-Q1"] {
      let s = try F.standing(ev, "revenue", p1, period)
      #expect(s.baseline == 1200)
      #expect(close(s.target, 1500))
      #expect(s.baselineMethod == .fixed(1200))
    }
    #expect(close(try F.standing(ev, "revenue", p1, "2025-Q1").attainment, 2))
  }

  @Test func growthAndDeltaRulesStartFromTheBaseline() throws {
    func standing(_ kpi: String, _ rule: TargetRule) throws -> KPIStanding {
      try F.standing(
        try F.evaluator(ProgramDefinitions(targets: [target(kpi, "partner:P1", rule)])), kpi, p1, "2025-Q1")
    }
    // Revenue baseline 1600: +10% → 1760 (3000 / 1760 = 1.7045); −50% → 800; +250 → 1850.
    let up = try standing("revenue", .growth(0.1))
    #expect(close(up.target, 1760))
    #expect(close(up.attainment, 3000.0 / 1760))
    #expect(close(try standing("revenue", .growth(-0.5)).target, 800))
    #expect(close(try standing("revenue", .delta(250)).target, 1850))
    // Win rate baseline 0.58333 + 0.05 = 0.63333; 0.75 / 0.63333 = 1.1842 → on track.
    let win = try standing("win_rate", .delta(0.05))
    #expect(close(win.target, 1.75 / 3 + 0.05))
    #expect(close(win.attainment, 0.75 / (1.75 / 3 + 0.05)))
    #expect(win.status == .onTrack)
    // Sales cycle (lower is better): baseline (20.5 + 31 + 31) / 3 = 27.5; delta −3 → 24.5 days.
    // Actual 26: 1 + (24.5 − 26) / 24.5 = 0.93878 → at risk.
    let cycle = try standing("sales_cycle_days", .delta(-3))
    #expect(cycle.better == .lower)
    #expect(close(cycle.actual, 26))
    #expect(close(cycle.baseline, 27.5))
    #expect(close(cycle.target, 24.5))
    #expect(close(cycle.attainment, 1 - 1.5 / 24.5))
    #expect(cycle.status == .atRisk)
    // A value of 30 days for the same actual: 1 + 4/30 → on track.
    #expect(try standing("sales_cycle_days", .value(30)).status == .onTrack)
  }

  @Test func aRuleNeverAsksForWhatTheKPICannotBe() throws {
    func standing(_ kpi: String, _ rule: TargetRule, _ period: String = "2025-Q1") throws -> KPIStanding {
      try F.standing(
        try F.evaluator(ProgramDefinitions(targets: [target(kpi, "partner:P1", rule)])), kpi, p1, period)
    }
    // Win rate baseline 0.58333: +0.5 would be 1.0833, a share above 100%; the target is 1, and the
    // actual 0.75 attains 0.75 of it.
    let win = try standing("win_rate", .delta(0.5))
    #expect(win.target == 1)
    #expect(close(win.attainment, 0.75))
    // +100% growth: 1.16667 → 1 as well.
    #expect(try standing("win_rate", .growth(1)).target == 1)
    // Sales cycle baseline 27.5 − 40 days would be negative: the target is 0 days.
    #expect(try standing("sales_cycle_days", .delta(-40)).target == 0)
    // Revenue −150%: below 0, so 0.
    #expect(try standing("revenue", .growth(-1.5)).target == 0)
    // Inside the bounds nothing changes: 0.58333 + 0.4 = 0.98333.
    #expect(close(try standing("win_rate", .delta(0.4)).target, 1.75 / 3 + 0.4))
    // A fixed value is taken as written (the hygiene check reports it when it is out of reach).
    #expect(try standing("win_rate", .value(1.2)).target == 1.2)
    // A KPI without bounds is not clamped: a custom KPI with the win rate's formula.
    var defs = ProgramDefinitions(targets: [target("my_rate", "partner:P1", .delta(0.5))])
    defs.catalog = Catalog(kpis: [
      KPIDefinition(
        id: "my_rate", name: "My rate", family: "custom", unit: .rate, better: .higher, stages: [],
        formula: Catalog.builtin.kpi("win_rate")!.formula)
    ])
    #expect(close(try F.standing(try F.evaluator(defs), "my_rate", p1, "2025-Q1").target, 1.75 / 3 + 0.5))
  }

  // MARK: Pace

  @Test func thePaceOfAFlowInAPeriodUnderWayDrivesItsStatus() throws {
    let defs = ProgramDefinitions(targets: [
      target("revenue", "partner:P1", .value(3500)), target("win_rate", "network", .value(0.5)),
    ])
    // 2025-03-15: 74 of Q1's 90 days elapsed; P1's revenue so far 3000 → pace 3000 × 90 / 74 = 3648.65.
    // 3648.65 / 3500 = 1.0425 → on track (3000 / 3500 = 0.857 would be off track).
    let ev = try F.evaluator(defs, today: "2025-03-15")
    let rev = try F.standing(ev, "revenue", p1, "2025-Q1")
    #expect(rev.actual == 3000)
    #expect(close(rev.pace, 270_000.0 / 74))
    #expect(close(rev.attainment, 270_000.0 / 74 / 3500))
    #expect(rev.status == .onTrack)
    // A rate is not paced: 0.75 / 0.5 from the actual value.
    let win = try F.standing(ev, "win_rate", p1, "2025-Q1")
    #expect(win.pace == nil)
    #expect(close(win.attainment, 1.5))
    // Nor is a mean (the sales cycle).
    #expect(try F.standing(ev, "sales_cycle_days", p1, "2025-Q1").pace == nil)
    // Once the quarter is over there is no pace: 3000 / 3500 → off track.
    let done = try F.standing(try F.evaluator(defs, today: "2025-04-01"), "revenue", p1, "2025-Q1")
    #expect(done.pace == nil)
    #expect(close(done.attainment, 3000.0 / 3500))
    #expect(done.status == .offTrack)
    // A period not yet started has no pace either.
    #expect(try F.standing(ev, "revenue", p1, "2025-Q2").pace == nil)
    // The definitions can turn pacing off for a KPI.
    var noPace = defs
    noPace.pace["revenue"] = false
    let off = try F.standing(try F.evaluator(noPace, today: "2025-03-15"), "revenue", p1, "2025-Q1")
    #expect(off.pace == nil)
    #expect(off.status == .offTrack)
  }

  @Test func flowsAreSumsAndCountsOfDatedFacts() throws {
    let ev = try F.evaluator(ProgramDefinitions())
    for kpi in ["revenue", "sourced_revenue", "deal_registrations", "new_customers", "leads_generated"] {
      #expect(ev.engine.compiled.isFlow(kpi), "\(kpi)")
    }
    for kpi in ["win_rate", "avg_deal_size", "sales_cycle_days", "nps", "marketing_roi", "open_pipeline"] {
      #expect(!ev.engine.compiled.isFlow(kpi), "\(kpi)")
    }
  }

  // MARK: Scorecards and ranking

  @Test func aPartnersCompositeWeighsCappedAttainments() throws {
    let defs = ProgramDefinitions(
      targets: [
        target("win_rate", "network", .value(0.5)), target("revenue", "partner:P1", .value(4000)),
        target("revenue", "network", .value(4000)),
      ],
      scorecards: [
        ScorecardDefinition(
          id: "reseller", name: "Reseller", partnerType: "reseller",
          items: [ScorecardItem(kpi: "win_rate", weight: 3), ScorecardItem(kpi: "revenue", weight: 1)]),
        ScorecardDefinition(
          id: "network", name: "Network", partnerType: nil,
          items: [ScorecardItem(kpi: "revenue", weight: 2), ScorecardItem(kpi: "win_rate", weight: 1)]),
      ])
    let ev = try F.evaluator(defs)
    let q1 = try #require(Period("2025-Q1"))
    // P1: win 0.75 / 0.5 = 1.5 → capped 1; revenue 3000 / 4000 = 0.75 → 100 × (3 × 1 + 1 × 0.75) / 4 = 93.75.
    // P2: win (1/3) / 0.5 = 0.6667; no revenue target (the network's revenue value is not P2's) → left out
    // → 66.67.
    let results = try ev.typeScorecards(type: "reseller", period: q1)
    #expect(results.map(\.partner?.id) == ["P1", "P2"])
    #expect(close(results[0].composite, 93.75))
    #expect(close(results[1].composite, 200.0 / 3))
    #expect(results.map(\.rank) == [1, 2])
    #expect(results.map(\.peers) == [2, 2])
    #expect(results.map(\.percentile) == [100, 0])
    #expect(results[0].items.map(\.weight) == [3, 1])
    let p2Revenue = try #require(results[1].items.first { $0.kpi == "revenue" })
    #expect(p2Revenue.status == .noData)
    // The same through the single-partner view.
    let one = try ev.partnerScorecard(id: "P2", period: q1)
    #expect(one.rank == 2)
    #expect(close(one.composite, 200.0 / 3))
    // The network: revenue 3800 / 4000 = 0.95 (at risk); win rate 5/8 / 0.5 = 1.25 → capped 1.
    // 100 × (2 × 0.95 + 1 × 1) / 3 = 96.667; the network is not ranked.
    let network = try ev.networkScorecard(period: q1)
    #expect(close(network.composite, 290.0 / 3))
    #expect(network.items.map(\.status) == [.atRisk, .onTrack])
    #expect(network.rank == nil)
    // MSPs have no scorecard in these definitions.
    #expect(throws: ProgramError.self) { try ev.typeScorecards(type: "msp", period: q1) }
  }

  /// Resellers with different win rates in 2025-Q1 (target 0.5, one KPI):
  /// R1 3/4 → 1.5 → 100 · R2 1/4 → 0.5 → 50 · R3 1/2 → 1 → 100 · R4 0/1 → 0 → 0 · R5 nothing closed → no
  /// composite · R6 joined 2025-04-01 and R7 left 2024-12-31: not in the program in Q1 · M1 is an MSP.
  static func rankingRecords(dealsOf: Set<String> = ["R1", "R2", "R3", "R4", "R7", "M1"]) -> [FactRecord] {
    var rows = [
      Row.partner("R1", type: "reseller", region: "emea", joined: "2024-01-01"),
      Row.partner("R2", type: "reseller", region: "emea", joined: "2024-01-01"),
      Row.partner("R3", type: "reseller", region: "na", joined: "2024-01-01"),
      Row.partner("R4", type: "reseller", region: "na", joined: "2024-01-01"),
      Row.partner("R5", type: "reseller", region: "na", joined: "2024-01-01"),
      Row.partner("R6", type: "reseller", region: "na", joined: "2025-04-01"),
      Row.partner("R7", type: "reseller", region: "na", joined: "2023-01-01", left: "2024-12-31"),
      Row.partner("M1", type: "msp", region: "na", joined: "2024-01-01"),
    ]
    var n = 0
    func deals(_ partner: String, won: Int, lost: Int, created: String = "2025-01-02", closed: String = "2025-02-15") {
      guard dealsOf.contains(partner) else { return }
      for i in 0..<(won + lost) {
        n += 1
        rows.append(
          Row.deal(
            "D\(n)", partner, created: created, stage: i < won ? "won" : "lost", closed: closed, amount: "100"))
      }
    }
    deals("R1", won: 3, lost: 1)
    deals("R2", won: 1, lost: 3)
    deals("R3", won: 1, lost: 1)
    deals("R4", won: 0, lost: 1)
    deals("M1", won: 1, lost: 0)
    deals("R7", won: 1, lost: 0, created: "2024-06-01", closed: "2024-06-15")
    return rows
  }

  @Test func partnersAreRankedWithinTheirType() throws {
    let defs = ProgramDefinitions(
      targets: [target("win_rate", "network", .value(0.5))],
      scorecards: [
        ScorecardDefinition(
          id: "reseller", name: "Reseller", partnerType: "reseller", items: [ScorecardItem(kpi: "win_rate")])
      ])
    let ev = try F.evaluator(defs, records: Self.rankingRecords())
    let q1 = try #require(Period("2025-Q1"))
    let results = try ev.typeScorecards(type: "reseller", period: q1)
    // R6 and R7 were not in the program in Q1; M1 is not a reseller. Ranked best first, equal scores
    // sharing a rank; the partner without a composite last and unranked.
    #expect(results.map(\.partner?.id) == ["R1", "R3", "R2", "R4", "R5"])
    #expect(results.map(\.composite) == [100, 100, 50, 0, nil])
    #expect(results.map(\.rank) == [1, 1, 3, 4, nil])
    #expect(results.map(\.peers) == [4, 4, 4, 4, nil])
    // Percentile: share of the other 3 ranked peers with a lower score: R1/R3 2/3, R2 1/3, R4 0.
    let pct = results.map(\.percentile)
    #expect(close(pct[0], 200.0 / 3) && close(pct[1], 200.0 / 3))
    #expect(close(pct[2], 100.0 / 3))
    #expect(pct[3] == 0)
    #expect(pct[4] == nil)
    // One partner's view keeps its rank among the type.
    #expect(try ev.partnerScorecard(id: "R2", period: q1).rank == 3)
    // A partner that had left is shown unranked.
    let gone = try ev.partnerScorecard(id: "R7", period: q1)
    #expect(gone.rank == nil && gone.peers == nil)
    // In 2025-Q2 nobody closed anything: no composites, nobody ranked; R6 has joined by then.
    let q2 = try ev.typeScorecards(type: "reseller", period: try #require(Period("2025-Q2")))
    #expect(q2.map(\.partner?.id) == ["R1", "R2", "R3", "R4", "R5", "R6"])
    #expect(q2.allSatisfy { $0.rank == nil && $0.composite == nil })
    // A single ranked partner is at the top: rank 1, percentile 100.
    let solo = try F.evaluator(defs, records: Self.rankingRecords(dealsOf: ["R1"]))
    let s = try solo.typeScorecards(type: "reseller", period: q1)
    #expect(s.first?.partner?.id == "R1")
    #expect(s.first?.rank == 1 && s.first?.peers == 1 && s.first?.percentile == 100)
  }

  // MARK: Versions

  /// v1 (effective 2024-01-01): built-in revenue, network target 3000.
  /// v2 (effective 2025-04-01): revenue redefined as sourced deals only, network target 1000.
  static func versioned() throws -> ProgramEvaluator {
    let card = ScorecardDefinition(
      id: "network", name: "Network", partnerType: nil, items: [ScorecardItem(kpi: "revenue")])
    let v1 = ProgramDefinitions(targets: [target("revenue", "network", .value(3000))], scorecards: [card])
    let redefined = KPIDefinition(
      id: "revenue", name: "Sourced revenue (v2)", family: "partner_performance", unit: .money, better: .higher,
      stages: [.sell], formula: "sum(deals.amount where stage = 'won' and closed_on in period and source = 'sourced')")
    let v2 = ProgramDefinitions(
      catalog: Catalog(kpis: [redefined]), targets: [target("revenue", "network", .value(1000))], scorecards: [card])
    // Given newest first: the history orders them.
    return try F.evaluator(
      F.records(), [F.version(2, effective: "2025-04-01", v2), F.version(1, effective: "2024-01-01", v1)])
  }

  @Test func aPastPeriodKeepsItsTargetAndKPIDefinition() throws {
    let ev = try Self.versioned()
    // 2025-Q1 ends 2025-03-31, before v2: v1's target 3000 and v1's revenue (all won deals, 3800).
    let q1 = try F.standing(ev, "revenue", .network, "2025-Q1")
    #expect(q1.version == 1)
    #expect(q1.target == 3000)
    #expect(q1.actual == 3800)
    #expect(q1.name == "Partner revenue")
    #expect(close(q1.attainment, 3800.0 / 3000))
    // P1 in 2025-Q1 with v1's formula: 1500 + 1000 (co-sell) + 500 = 3000 (v2's would be 2000).
    #expect(try F.standing(ev, "revenue", p1, "2025-Q1").actual == 3000)
    // 2025-Q2 with v2: sourced deals only — P1's 800, not P2's influenced 400 → 800 against 1000 → 0.8.
    let q2 = try F.standing(ev, "revenue", .network, "2025-Q2")
    #expect(q2.version == 2)
    #expect(q2.target == 1000)
    #expect(q2.actual == 800)
    #expect(q2.name == "Sourced revenue (v2)")
    #expect(q2.status == .offTrack)
    #expect(try F.standing(ev, "revenue", p2, "2025-Q2").actual == 0)
    // v2's baseline for 2025-Q2 reads the history with v2's formula: sourced revenue 2024-Q3 3000,
    // Q4 2000 + 300, 2025-Q1 1500 + 500 + 600 + 200 = 2800, 2024-Q2 0 → (0 + 3000 + 2300 + 2800) / 4 = 2025.
    #expect(close(q2.baseline, 2025))
    // Months: March 2025 is v1's, April v2's; the year 2025 ends after v2 took effect.
    #expect(try F.standing(ev, "revenue", .network, "2025-03").version == 1)
    #expect(try F.standing(ev, "revenue", .network, "2025-03").target == 3000)
    #expect(try F.standing(ev, "revenue", .network, "2025-04").version == 2)
    #expect(try F.standing(ev, "revenue", .network, "2025").version == 2)
    // Scorecards say which version produced them, and so does every standing on them.
    let card1 = try ev.networkScorecard(period: try #require(Period("2025-Q1")))
    #expect(card1.version?.number == 1)
    #expect(card1.items.allSatisfy { $0.version == 1 })
    let card2 = try ev.networkScorecard(period: try #require(Period("2025-Q2")))
    #expect(card2.version?.number == 2)
    #expect(card2.items.allSatisfy { $0.version == 2 })
  }

  @Test func aNewVersionDoesNotChangeAnEarlierPeriod() throws {
    let onlyV1 = try F.evaluator(
      F.records(),
      [
        F.version(
          1, effective: "2024-01-01", ProgramDefinitions(targets: [target("revenue", "network", .value(3000))]))
      ])
    let both = try Self.versioned()
    for period in ["2024-Q3", "2024-Q4", "2025-Q1", "2025-02"] {
      let a = try F.standing(onlyV1, "revenue", .network, period)
      let b = try F.standing(both, "revenue", .network, period)
      #expect(a.actual == b.actual && a.target == b.target && a.baseline == b.baseline, "\(period)")
      #expect(b.version == 1)
    }
  }

  @Test func periodsBeforeTheFirstVersionUseTheFirst() throws {
    let ev = try Self.versioned()
    let old = try F.standing(ev, "revenue", .network, "2023-Q4")
    #expect(old.version == 1)
    #expect(old.target == 3000)
    #expect(old.actual == 0)
    let history = ev.history
    #expect(history.version(for: try #require(Period("2019"))).map(\.number) == 1)
    #expect(history.latest?.number == 2)
    #expect(history.versions.map(\.number) == [1, 2])
    // A quarter is under the version in force on its last day.
    #expect(history.version(for: try #require(Period("2025-Q1")))?.number == 1)
    #expect(history.version(for: try #require(Period("2025-Q2")))?.number == 2)
    // No versions at all: nothing in force, and the evaluator says how to fix it.
    let none = try F.evaluator(F.records(), [])
    #expect(none.definitions(for: try #require(Period("2025-Q1"))).0 == nil)
    #expect(throws: ProgramError.self) { try none.networkScorecard(period: try #require(Period("2025-Q1"))) }
  }
}
