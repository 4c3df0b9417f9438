import ChannelKPI
import Testing

private typealias F = IncentiveFixture

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
