import ChannelKPI
import Testing

private typealias F = IncentiveFixture

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
