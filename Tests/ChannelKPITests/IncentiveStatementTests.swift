import ChannelKPI
import Testing

private typealias F = IncentiveFixture

/// Payout statements: rebates, attainment bonuses, spiffs, and who gets a statement.
@Suite enum IncentiveStatementTests {}

/// The standard brackets of the rebate tests: 2% from 0, 3% from 100 000, 4% from 500 000.
let brackets = [
  RebateBracket(from: .zero, rate: Rational(2, 100)), RebateBracket(from: Rational(100000), rate: Rational(3, 100)),
  RebateBracket(from: Rational(500000), rate: Rational(4, 100)),
]

func rebate(
  _ mode: RebateRule.Mode, _ brackets: [RebateBracket] = brackets, basis: String = "revenue",
  rateByTier: [String: Rational] = [:], appliesTo: AppliesTo = AppliesTo()
) -> IncentivePlan {
  IncentivePlan(
    id: "rebate", period: .quarter, appliesTo: appliesTo,
    rule: .rebate(RebateRule(basis: basis, mode: mode, brackets: brackets, rateByTier: rateByTier)))
}

/// P1 (tier `tier`) with one won deal of `revenue` in 2025-Q1.
func revenueRecords(_ revenue: String, tier: String? = nil) -> [FactRecord] {
  [F.partner(tier: tier), F.won("D1", closed: "2025-02-10", amount: revenue)]
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
