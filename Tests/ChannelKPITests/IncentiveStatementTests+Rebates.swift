import ChannelKPI
import Testing

private typealias F = IncentiveFixture

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
