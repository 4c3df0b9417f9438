import ChannelKPI
import Testing

/// Builds the evaluator, tier history and incentive calculator of small programs checked by hand.
enum IncentiveFixture {
  /// An evaluator over `records` with one version of `defs`, in force from 2020 on; the engine keeps
  /// the single facts incentive plans read.
  static func evaluator(_ records: [FactRecord], _ defs: ProgramDefinitions, today: String) throws
    -> ProgramEvaluator
  {
    let catalog = try CatalogCompiler.compile(variants: [Catalog.builtin.merging(defs.catalog)])
    let engine = KPIEngine(catalog: catalog, extraColumns: KPIEngine.incentiveColumns)
    engine.load(records)
    engine.finishLoading()
    let version = ProgramVersion(
      number: 1, effective: try day("2020-01-01"), appliedAt: "2024-01-01T00:00:00Z", definitions: defs)
    return ProgramEvaluator(
      engine: engine, history: ProgramHistory(versions: [version]), variantOfVersion: [1: 0], today: try day(today))
  }

  /// Every tier evaluation of the evaluator's ladder.
  static func tiers(
    _ ev: ProgramEvaluator, recorded: [String: String?] = [:], overrides: [TierOverride] = []
  ) throws -> TierHistory {
    try TierEvaluator(
      engine: ev.engine, history: ev.history, variantOfVersion: ev.variantOfVersion, today: ev.today,
      recordedAttributes: recorded, overrides: overrides
    ).evaluate()
  }

  /// The tier history of a program made of `records` and `ladder`.
  static func tiers(
    _ records: [FactRecord], _ ladder: TierLadder, today: String, recorded: [String: String?] = [:],
    overrides: [TierOverride] = []
  ) throws -> TierHistory {
    try tiers(
      try evaluator(records, ProgramDefinitions(tiers: ladder), today: today), recorded: recorded,
      overrides: overrides)
  }

  static func calculator(_ records: [FactRecord], _ defs: ProgramDefinitions, today: String = "2030-01-01") throws
    -> IncentiveCalculator
  {
    let ev = try evaluator(records, defs, today: today)
    return IncentiveCalculator(evaluator: ev, tiers: try tiers(ev), facts: ev.engine.incentiveFacts())
  }

  /// One partner's statement for one period (nil: no plan applies to it).
  static func statement(
    _ calc: IncentiveCalculator, _ partner: String = "P1", _ period: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> PayoutStatement? {
    let p = try #require(Period(period), sourceLocation: sourceLocation)
    return try calc.statements(period: p, partners: calc.evaluator.engine.partners()).first { $0.partner == partner }
  }

  /// The statement of a program with these records and plans, for P1 (which must have one).
  static func statement(
    _ records: [FactRecord], _ plans: [IncentivePlan], targets: [TargetDefinition] = [], period: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> PayoutStatement {
    let calc = try calculator(records, ProgramDefinitions(targets: targets, incentives: plans))
    return try #require(
      try statement(calc, "P1", period, sourceLocation: sourceLocation), sourceLocation: sourceLocation)
  }

  static func day(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Day {
    try #require(Day(iso: text), sourceLocation: sourceLocation)
  }

  static func period(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Period {
    try #require(Period(text), sourceLocation: sourceLocation)
  }

  static func partner(
    _ id: String = "P1", type: String = "reseller", region: String = "emea", tier: String? = nil,
    joined: String = "2023-01-01", left: String? = nil
  ) -> FactRecord {
    Row.partner(id, type: type, region: region, tier: tier, joined: joined, left: left)
  }

  /// A won deal, created on the day it closed unless told otherwise.
  static func won(
    _ id: String, _ partner: String = "P1", closed: String, amount: String, created: String? = nil,
    product: String? = nil, source: String = "sourced", registered: String? = nil
  ) -> FactRecord {
    var f = [
      "deal_id": id, "partner_id": partner, "source": source, "created_on": created ?? closed, "stage": "won",
      "closed_on": closed, "amount": amount,
    ]
    f["product"] = product
    if let registered {
      f["registered_on"] = registered
      f["registration_status"] = "approved"
    }
    return Fixture.record(.deals, f)
  }

  static func lost(_ id: String, _ partner: String = "P1", closed: String, amount: String = "100") -> FactRecord {
    Row.deal(id, partner, created: closed, stage: "lost", closed: closed, amount: amount)
  }
}

private typealias F = IncentiveFixture

/// Payout statements: rebates, attainment bonuses, spiffs, and who gets a statement.
@Suite enum IncentiveStatementTests {}

/// The standard brackets of the rebate tests: 2% from 0, 3% from 100 000, 4% from 500 000.
private let brackets = [
  RebateBracket(from: .zero, rate: Rational(2, 100)), RebateBracket(from: Rational(100000), rate: Rational(3, 100)),
  RebateBracket(from: Rational(500000), rate: Rational(4, 100)),
]

private func rebate(
  _ mode: RebateRule.Mode, _ brackets: [RebateBracket] = brackets, basis: String = "revenue",
  rateByTier: [String: Rational] = [:], appliesTo: AppliesTo = AppliesTo()
) -> IncentivePlan {
  IncentivePlan(
    id: "rebate", period: .quarter, appliesTo: appliesTo,
    rule: .rebate(RebateRule(basis: basis, mode: mode, brackets: brackets, rateByTier: rateByTier)))
}

/// P1 (tier `tier`) with one won deal of `revenue` in 2025-Q1.
private func revenueRecords(_ revenue: String, tier: String? = nil) -> [FactRecord] {
  [F.partner(tier: tier), F.won("D1", closed: "2025-02-10", amount: revenue)]
}

private func bonusPlan(
  _ weights: [(String, Rational)], threshold: Rational = Rational(8, 10), atThreshold: Rational = Rational(1, 2),
  accelerator: Rational = Rational(2), cap: Rational? = Rational(2)
) -> IncentivePlan {
  IncentivePlan(
    id: "bonus", period: .quarter,
    rule: .attainmentBonus(
      AttainmentBonusRule(
        targetBonus: Rational(5000), weights: weights.map { AttainmentBonusRule.KPIWeight(kpi: $0.0, weight: $0.1) },
        threshold: threshold, atThreshold: atThreshold, accelerator: accelerator, cap: cap)))
}

/// A target of P1 for quarters.
private func target(_ kpi: String, _ value: Double) -> TargetDefinition {
  TargetDefinition(kpi: kpi, scope: Scope(.partner, "P1"), grain: .quarter, rule: .value(value))
}

extension IncentiveStatementTests {
  @Suite struct Rebates {
    @Test(arguments: [
      // Marginal, basis exactly 100 000: [0, 100 000) holds 100 000 × 2% = 2000.00; the 3% bracket is reached
      // with a part of 0, a line of 0 that is left out.
      (RebateRule.Mode.marginal, "100000", [Int64(200_000)]),
      // Retroactive, basis exactly on the `from` of 100 000: that bracket's 3% on the whole, 3000.00.
      (.retroactive, "100000", [300_000]),
      // Just below the edge: 99 999.99 × 2% = 1999.9998 → 2000.00 either way.
      (.marginal, "99999.99", [200_000]), (.retroactive, "99999.99", [200_000]),
      // Marginal 600 000: 100 000 × 2% = 2000 + 400 000 × 3% = 12 000 + 100 000 × 4% = 4000 → 18 000.
      (.marginal, "600000", [200_000, 1_200_000, 400_000]),
      // Retroactive on the same basis: 600 000 × 4% = 24 000.
      (.retroactive, "600000", [2_400_000]),
      // Marginal 500 000 (on the top edge): 2000 + 400 000 × 3% = 12 000; the 4% part is 0, left out.
      (.marginal, "500000", [200_000, 1_200_000]),
      // Retroactive 500 000: 500 000 × 4% = 20 000.
      (.retroactive, "500000", [2_000_000]),
    ])
    func bracketEdges(mode: RebateRule.Mode, revenue: String, amounts: [Int64]) throws {
      let s = try F.statement(revenueRecords(revenue), [rebate(mode)], period: "2025-Q1")
      #expect(s.lines.map(\.amount) == amounts)
      #expect(s.total == amounts.reduce(0, +))
      #expect(s.lines.allSatisfy { $0.kind == .rebate && $0.plan == "rebate" })
    }

    @Test func marginalLinesCarryTheirPartAndRate() throws {
      // 600 000 marginal: parts 100 000, 400 000 and 100 000 at 2%, 3% and 4%.
      let s = try F.statement(revenueRecords("600000"), [rebate(.marginal)], period: "2025-Q1")
      #expect(s.lines.map(\.basis) == [Rational(100000), Rational(400000), Rational(100000)])
      #expect(s.lines.map(\.rate) == [Rational(2, 100), Rational(3, 100), Rational(4, 100)])
      // Retroactive: one line on the whole basis at 4%.
      let r = try F.statement(revenueRecords("600000"), [rebate(.retroactive)], period: "2025-Q1")
      #expect(r.lines.map(\.basis) == [Rational(600000)])
      #expect(r.lines.map(\.rate) == [Rational(4, 100)])
    }

    @Test(arguments: [
      // Gold gets +1 point on every bracket. Marginal 600 000: 100 000 × 3% = 3000, 400 000 × 4% = 16 000,
      // 100 000 × 5% = 5000 → 24 000.
      (RebateRule.Mode.marginal, "gold", [Int64(300_000), 1_600_000, 500_000]),
      // Retroactive 600 000 × (4% + 1%) = 30 000.
      (.retroactive, "gold", [3_000_000]),
      // Silver has no bonus: 18 000 and 24 000 as without tiers.
      (.marginal, "silver", [200_000, 1_200_000, 400_000]), (.retroactive, "silver", [2_400_000]),
    ])
    func rateByTierIsAddedToTheBracketRate(mode: RebateRule.Mode, tier: String, amounts: [Int64]) throws {
      // No ladder: the tier held is the partner's attribute.
      let plan = rebate(mode, rateByTier: ["gold": Rational(1, 100)])
      let s = try F.statement(revenueRecords("600000", tier: tier), [plan], period: "2025-Q1")
      #expect(s.lines.map(\.amount) == amounts)
    }

    @Test func rateByTierFollowsTheLadderTierHeldOnThePeriodsFirstDay() throws {
      // Ladder from 2025-Q1, quarterly, window 1: gold needs revenue ≥ 100 000. P1 (no attribute) starts
      // registered; its 2025-Q1 revenue 200 000 promotes it to gold from 2025-04-01.
      // Q1: held registered → 200 000 × 2% = 4000.00; the gold-only spiff does not apply.
      // Q2: held gold → 200 000 × (2% + 1%) = 6000.00, and the gold spiff pays 100.00 for D2 → 6100.00.
      let ladder = TierLadder(
        evaluate: .quarter, window: 1, demotionGrace: 1, starts: try F.day("2025-01-01"),
        levels: [
          TierLevel(id: "registered"),
          TierLevel(id: "gold", requires: [TierRequirement(kpi: "revenue", bound: .min(100000))]),
        ])
      let plans = [
        rebate(
          .retroactive, [RebateBracket(from: .zero, rate: Rational(2, 100))], rateByTier: ["gold": Rational(1, 100)]),
        IncentivePlan(
          id: "gold-spiff", period: .quarter, appliesTo: AppliesTo(tiers: ["gold"]),
          rule: .spiff(SpiffRule(reward: .perDeal(Rational(100))))),
      ]
      let records = [
        F.partner(), F.won("D1", closed: "2025-02-10", amount: "200000"),
        F.won("D2", closed: "2025-05-10", amount: "200000"),
      ]
      let calc = try F.calculator(records, ProgramDefinitions(tiers: ladder, incentives: plans))
      let q1 = try #require(try F.statement(calc, "P1", "2025-Q1"))
      #expect(q1.lines.map(\.amount) == [400_000])
      let q2 = try #require(try F.statement(calc, "P1", "2025-Q2"))
      #expect(q2.lines.map(\.amount) == [600_000, 10_000])
      #expect(q2.total == 610_000)
    }

    @Test func noBasisValuePaysNothing() throws {
      // avg_deal_size (money) has no value without won deals: P1 only lost one in Q1 → no line, total 0.
      let s = try F.statement(
        [F.partner(), F.lost("L1", closed: "2025-02-01")], [rebate(.retroactive, basis: "avg_deal_size")],
        period: "2025-Q1")
      #expect(s.lines.isEmpty)
      #expect(s.total == 0)
    }

    @Test(arguments: [
      // net = revenue 1000 − campaign cost 3000 = −2000 ≤ 0: nothing (not −40.00), either mode.
      (RebateRule.Mode.marginal, "3000", Int64(0)), (.retroactive, "3000", 0),
      // Control: cost 400 → net 600 × 2% = 12.00.
      (.retroactive, "400", 1200), (.marginal, "400", 1200),
    ])
    func aBasisAtOrBelowZeroPaysNothing(mode: RebateRule.Mode, cost: String, cents: Int64) throws {
      let net = KPIDefinition(
        id: "net_revenue", name: "Net revenue", family: "partner_performance", unit: .money, better: .higher,
        stages: [.sell], formula: "revenue - sum(campaigns.cost where started_on in period)")
      let records = [
        F.partner(), F.won("D1", closed: "2025-02-10", amount: "1000"),
        Row.campaign("C1", "P1", started: "2025-01-15", cost: cost),
      ]
      let calc = try F.calculator(
        records, ProgramDefinitions(catalog: Catalog(kpis: [net]), incentives: [rebate(mode, basis: "net_revenue")]))
      let s = try #require(try F.statement(calc, "P1", "2025-Q1"))
      #expect(s.total == cents)
      #expect(s.lines.allSatisfy { $0.amount > 0 })
      // Revenue 0 in 2025-Q2 (no deal): nothing either.
      let q2 = try #require(try F.statement(calc, "P1", "2025-Q2"))
      #expect(q2.lines.isEmpty)
    }

    @Test func aLineEndingInHalfACentRoundsAwayFromZero() throws {
      // One 5% bracket, basis 30.50: 30.50 × 0.05 = 1.525 exactly → 1.53 (half-even would give 1.52).
      let plan = rebate(.retroactive, [RebateBracket(from: .zero, rate: Rational(5, 100))])
      let s = try F.statement(revenueRecords("30.50"), [plan], period: "2025-Q1")
      #expect(s.lines.map(\.amount) == [153])
    }

    @Test func theTotalIsTheSumOfTheRoundedLines() throws {
      // Brackets 1% from 0, 3% from 1000.50; basis 2001.00 marginal:
      // 1000.50 × 1% = 10.005 → 10.01; 1000.50 × 3% = 30.015 → 30.02; total 40.03
      // (the unrounded sum 40.02 would round to 40.02).
      let plan = rebate(
        .marginal,
        [
          RebateBracket(from: .zero, rate: Rational(1, 100)),
          RebateBracket(from: Rational(2001, 2), rate: Rational(3, 100)),
        ])
      let s = try F.statement(revenueRecords("2001.00"), [plan], period: "2025-Q1")
      #expect(s.lines.map(\.amount) == [1001, 3002])
      #expect(s.total == 4003)
    }
  }
}

extension IncentiveStatementTests {
  @Suite struct AttainmentBonuses {
    @Test(arguments: [
      // Target 10 000, weight 1, bonus 5000, threshold 0.8, at_threshold 0.5, accelerator 2, cap 2.
      // 7000 → a = 0.7 < 0.8 → f = 0: no line.
      ("7000", Int64?.none),
      // 7999.99 → a = 0.799999, just below the threshold → nothing.
      ("7999.99", nil),
      // 8000 → a = 0.8 exactly → f = at_threshold 0.5 → 2500.00.
      ("8000", 250_000),
      // 9000 → a = 0.9 → 0.5 + 0.5 × (0.9 − 0.8) / 0.2 = 0.75 → 3750.00.
      ("9000", 375_000),
      // 10 000 → a = 1 exactly → f = 1 → 5000.00.
      ("10000", 500_000),
      // 12 000 → a = 1.2 → 1 + 0.2 × 2 = 1.4 → 7000.00.
      ("12000", 700_000),
      // 15 000 → a = 1.5 → 1 + 0.5 × 2 = 2 = the cap → 10 000.00.
      ("15000", 1_000_000),
      // 16 000 → a = 1.6 → 2.2, capped at 2 → 10 000.00.
      ("16000", 1_000_000),
    ])
    func eachSegmentOfTheCurve(revenue: String, cents: Int64?) throws {
      let s = try F.statement(
        revenueRecords(revenue), [bonusPlan([("revenue", .one)])], targets: [target("revenue", 10000)],
        period: "2025-Q1")
      #expect(s.lines.map(\.amount) == (cents.map { [$0] } ?? []))
    }

    @Test func withoutACapTheAcceleratorGoesOn() throws {
      // 16 000 of 10 000 → a = 1.6 → 1 + 0.6 × 2 = 2.2 → 5000 × 2.2 = 11 000.00.
      let s = try F.statement(
        revenueRecords("16000"), [bonusPlan([("revenue", .one)], cap: nil)], targets: [target("revenue", 10000)],
        period: "2025-Q1")
      #expect(s.lines.map(\.amount) == [1_100_000])
    }

    @Test func attainmentAndCurveAreExactRationals() throws {
      // 13 000 of 15 000 → a = 13/15 → f = 1/2 + 1/2 × (13/15 − 12/15) / (1/5) = 1/2 + 1/6 = 2/3
      // → 5000 × 2/3 = 3333.333… → 3333.33.
      let s = try F.statement(
        revenueRecords("13000"), [bonusPlan([("revenue", .one)])], targets: [target("revenue", 15000)],
        period: "2025-Q1")
      let line = try #require(s.lines.first)
      #expect(line.basis == Rational(13, 15))
      #expect(line.rate == Rational(2, 3))
      #expect(line.amount == 333_333)
      #expect(line.line == "revenue")
      #expect(line.kind == .attainmentBonus)
    }

    @Test func weightsSplitTheTargetBonus() throws {
      // revenue 0.7, deal_registrations 0.3. Revenue 3 × 4000 = 12 000 of 10 000 → f = 1.4
      // → 5000 × 0.7 × 1.4 = 4900.00. Registrations 4 (3 won + 1 open, all registered in Q1) of 5 → a = 0.8
      // → f = 0.5 → 5000 × 0.3 × 0.5 = 750.00. Total 5650.00.
      let records = [
        F.partner(),
        F.won("D1", closed: "2025-02-01", amount: "4000", created: "2025-01-05", registered: "2025-01-06"),
        F.won("D2", closed: "2025-02-02", amount: "4000", created: "2025-01-05", registered: "2025-01-06"),
        F.won("D3", closed: "2025-02-03", amount: "4000", created: "2025-01-05", registered: "2025-01-06"),
        Row.deal(
          "D4", "P1", created: "2025-01-05", registered: "2025-01-06", status: "approved", stage: "open", amount: "100"),
      ]
      let plan = bonusPlan([("revenue", Rational(7, 10)), ("deal_registrations", Rational(3, 10))])
      let s = try F.statement(
        records, [plan], targets: [target("revenue", 10000), target("deal_registrations", 5)], period: "2025-Q1")
      #expect(s.lines.map(\.line) == ["revenue", "deal_registrations"])
      #expect(s.lines.map(\.amount) == [490_000, 75_000])
      #expect(s.total == 565_000)
    }

    @Test func aKPIWithoutATargetPaysNothing() throws {
      // revenue 0.5, win_rate 0.5; only revenue has a target: 10 000 of 10 000 → 5000 × 0.5 × 1 = 2500.00;
      // win_rate (1 won of 1 closed) has no target → no line.
      let s = try F.statement(
        revenueRecords("10000"), [bonusPlan([("revenue", Rational(1, 2)), ("win_rate", Rational(1, 2))])],
        targets: [target("revenue", 10000)], period: "2025-Q1")
      #expect(s.lines.map(\.line) == ["revenue"])
      #expect(s.total == 250_000)
    }

    @Test func aKPIWithoutAValuePaysNothing() throws {
      // win_rate target 0.5, but P1 closed no deal in Q1 (D1 is in Q2): no value, no attainment → no line.
      let records = [F.partner(), F.won("D1", closed: "2025-05-10", amount: "100")]
      let s = try F.statement(
        records, [bonusPlan([("win_rate", .one)])], targets: [target("win_rate", 0.5)], period: "2025-Q1")
      #expect(s.lines.isEmpty)
    }

    @Test(arguments: [
      // sales_cycle_days is lower-is-better; target 40 days. One won deal from 2025-01-01:
      // closed 01-31 → 30 days → a = 1 + (40 − 30) / 40 = 1.25 → f = 1 + 0.25 × 2 = 1.5 → 7500.00.
      ("2025-01-31", Int64?.some(750_000)),
      // closed 02-14 → 31 + 13 = 44 days → a = 1 + (40 − 44) / 40 = 0.9 → f = 0.75 → 3750.00.
      ("2025-02-14", 375_000),
      // closed 02-10 → 40 days → a = 1 → 5000.00.
      ("2025-02-10", 500_000),
      // closed 02-20 → 31 + 19 = 50 days → a = 0.75 < 0.8 → nothing.
      ("2025-02-20", nil),
    ])
    func lowerIsBetterAttainment(closed: String, cents: Int64?) throws {
      let records = [F.partner(), F.won("D1", closed: closed, amount: "100", created: "2025-01-01")]
      let s = try F.statement(
        records, [bonusPlan([("sales_cycle_days", .one)])], targets: [target("sales_cycle_days", 40)],
        period: "2025-Q1")
      #expect(s.lines.map(\.amount) == (cents.map { [$0] } ?? []))
    }

    @Test func attainmentUsesTheActualValueNotThePace() throws {
      // Today 2025-02-15: Q1 is under way (day 46 of 90). Revenue so far 8000 of 10 000 → a = 0.8 → f = 0.5
      // → 2500.00, an estimate. (The pace, 8000 × 90 / 46 ≈ 15 652, would give a ≈ 1.57 and 7826.09.)
      let calc = try F.calculator(
        revenueRecords("8000"),
        ProgramDefinitions(targets: [target("revenue", 10000)], incentives: [bonusPlan([("revenue", .one)])]),
        today: "2025-02-15")
      let s = try #require(try F.statement(calc, "P1", "2025-Q1"))
      #expect(s.lines.map(\.amount) == [250_000])
      #expect(s.isEstimate)
    }

    @Test func aTargetOfZero() throws {
      // Target 0 (as the scorecard: 1 when met or beaten, else 0).
      // revenue 500 ≥ 0 → a = 1 → f = 1 → 5000.00.
      let met = try F.statement(
        revenueRecords("500"), [bonusPlan([("revenue", .one)])], targets: [target("revenue", 0)], period: "2025-Q1")
      #expect(met.lines.map(\.amount) == [500_000])
      // sales cycle 30 days against 0 (lower is better): not met → a = 0 → nothing.
      let records = [F.partner(), F.won("D1", closed: "2025-01-31", amount: "100", created: "2025-01-01")]
      let missed = try F.statement(
        records, [bonusPlan([("sales_cycle_days", .one)])], targets: [target("sales_cycle_days", 0)],
        period: "2025-Q1")
      #expect(missed.lines.isEmpty)
    }
  }
}

/// P1's deals of 2025-03 and around it, for the spiff tests.
///
/// | id | closed     | amount   | product | source     | stage |
/// | S1 | 2025-03-05 | 10000    | Edge X1 | sourced    | won   | ← matches every filter (min_amount inclusive)
/// | S2 | 2025-03-10 | 9999.99  | Edge X1 | sourced    | won   | below min_amount
/// | S3 | 2025-03-12 | 20000    | Edge X3 | sourced    | won   | other product
/// | S4 | 2025-03-15 | 15000    | Edge X2 | influenced | won   | other source
/// | S5 | 2025-03-20 | 50000    | Edge X1 | sourced    | lost  | not won
/// | S6 | 2025-04-01 | 30000    | Edge X2 | sourced    | won   | next month
/// | S7 | 2025-03-31 | 12345.67 | Edge X2 | sourced    | won   | ← matches every filter
/// | S8 | 2025-02-28 | 30000    | Edge X2 | sourced    | won   | previous month
/// | S9 | 2025-03-20 | 5000     | —       | sourced    | won   | no product
private let spiffRecords: [FactRecord] = [
  F.partner(),
  F.won("S1", closed: "2025-03-05", amount: "10000", product: "Edge X1"),
  F.won("S2", closed: "2025-03-10", amount: "9999.99", product: "Edge X1"),
  F.won("S3", closed: "2025-03-12", amount: "20000", product: "Edge X3"),
  F.won("S4", closed: "2025-03-15", amount: "15000", product: "Edge X2", source: "influenced"),
  Fixture.record(
    .deals,
    [
      "deal_id": "S5", "partner_id": "P1", "source": "sourced", "created_on": "2025-03-01", "stage": "lost",
      "closed_on": "2025-03-20", "amount": "50000", "product": "Edge X1",
    ]),
  F.won("S6", closed: "2025-04-01", amount: "30000", product: "Edge X2"),
  F.won("S7", closed: "2025-03-31", amount: "12345.67", product: "Edge X2"),
  F.won("S8", closed: "2025-02-28", amount: "30000", product: "Edge X2"),
  F.won("S9", closed: "2025-03-20", amount: "5000"),
]

private func spiff(
  filtered: Bool = true, minOnly: Bool = false, _ reward: SpiffRule.Reward, cap: Rational? = nil
) -> IncentivePlan {
  let rule =
    minOnly
    ? SpiffRule(minAmount: Rational(10000), reward: reward, cap: cap)
    : filtered
      ? SpiffRule(
        products: ["Edge X1", "Edge X2"], sources: ["sourced"], minAmount: Rational(10000), reward: reward, cap: cap)
      : SpiffRule(reward: reward, cap: cap)
  return IncentivePlan(id: "spiff", period: .month, rule: .spiff(rule))
}

extension IncentiveStatementTests {
  @Suite struct Spiffs {
    @Test func perDealPaysEachDealMatchingEveryFilter() throws {
      // S1 and S7 match product, source, min_amount (S1 at exactly 10 000) and are won in March:
      // 2 × 250.00 = 500.00.
      let s = try F.statement(spiffRecords, [spiff(.perDeal(Rational(250)))], period: "2025-03")
      #expect(s.lines.map(\.line) == ["S1", "S7"])
      #expect(s.lines.map(\.amount) == [25_000, 25_000])
      #expect(s.total == 50_000)
    }

    @Test func shareOfEachDealsAmount() throws {
      // 1%: S1 10 000 × 0.01 = 100.00; S7 12 345.67 × 0.01 = 123.4567 → 123.46; total 223.46.
      let s = try F.statement(spiffRecords, [spiff(.share(Rational(1, 100)))], period: "2025-03")
      #expect(s.lines.map(\.amount) == [10_000, 12_346])
      #expect(s.total == 22_346)
    }

    @Test func withoutFiltersEveryWonDealOfTheMonthCounts() throws {
      // Won in March: S1, S2, S3, S4, S7, S9 (S5 lost, S6 April, S8 February) → 6 × 100.00.
      let s = try F.statement(spiffRecords, [spiff(filtered: false, .perDeal(Rational(100)))], period: "2025-03")
      #expect(Set(s.lines.map(\.line)) == ["S1", "S2", "S3", "S4", "S7", "S9"])
      #expect(s.total == 60_000)
    }

    @Test func minAmountIsInclusive() throws {
      // Only min_amount 10 000: S1 (= 10 000), S3, S4, S7 qualify; S2 (9999.99) and S9 (5000) do not.
      let s = try F.statement(spiffRecords, [spiff(minOnly: true, .perDeal(Rational(100)))], period: "2025-03")
      #expect(Set(s.lines.map(\.line)) == ["S1", "S3", "S4", "S7"])
      #expect(s.total == 40_000)
    }

    @Test func aNegativeLineBringsTheTotalDownToTheCap() throws {
      // 250 + 250 = 500 > cap 400 → a line of −100.00; total 400.00.
      let s = try F.statement(spiffRecords, [spiff(.perDeal(Rational(250)), cap: Rational(400))], period: "2025-03")
      #expect(s.lines.map(\.amount) == [25_000, 25_000, -10_000])
      #expect(s.lines.last?.line == "cap")
      #expect(s.total == 40_000)
      // Share: 100.00 + 123.46 = 223.46 > cap 200 → −23.46; total 200.00.
      let share = try F.statement(
        spiffRecords, [spiff(.share(Rational(1, 100)), cap: Rational(200))], period: "2025-03")
      #expect(share.lines.map(\.amount) == [10_000, 12_346, -2_346])
      #expect(share.total == 20_000)
    }

    @Test(arguments: [Rational(500), Rational(600)])
    func noCapLineAtOrBelowTheCap(cap: Rational) throws {
      // 500.00 of lines: exactly at a cap of 500 or below 600 → no cap line.
      let s = try F.statement(spiffRecords, [spiff(.perDeal(Rational(250)), cap: cap)], period: "2025-03")
      #expect(s.lines.map(\.amount) == [25_000, 25_000])
      #expect(s.total == 50_000)
    }
  }
}

extension IncentiveStatementTests {
  @Suite struct Membership {
    @Test(arguments: [
      // Left on 2025-01-01: never in the program during 2025-Q1 (active while joined_on ≤ d < left_on).
      ("2025-01-01", false),
      // Left on 2025-01-02: in the program on 2025-01-01 → a statement, with the whole quarter's deal.
      ("2025-01-02", true),
    ])
    func aStatementNeedsOneDayInTheProgram(left: String, hasStatement: Bool) throws {
      // 10 000 × 2% = 200.00, whatever left_on (deals closed in the period count, nothing pro-rated).
      let records = [F.partner(left: left), F.won("D1", closed: "2025-03-10", amount: "10000")]
      let plan = rebate(.retroactive, [RebateBracket(from: .zero, rate: Rational(2, 100))])
      let calc = try F.calculator(records, ProgramDefinitions(incentives: [plan]))
      let s = try F.statement(calc, "P1", "2025-Q1")
      #expect((s != nil) == hasStatement)
      if let s { #expect(s.total == 20_000) }
    }
  }
}
