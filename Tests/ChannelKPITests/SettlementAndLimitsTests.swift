import ChannelKPI
import Testing

/// Settlement of statements against approvals (adjustments, carried totals, corrections with no
/// later statement) and the limits that keep odd definitions from trapping or looping.
@Suite struct SettlementAndLimitsTests {
  static let q1 = Period("2025-Q1")!
  static let q2 = Period("2025-Q2")!
  static let q3 = Period("2025-Q3")!
  static let today = Day(iso: "2025-12-15")!

  static func line(_ plan: String, _ cents: Int64) -> StatementLine {
    StatementLine(plan: plan, kind: .rebate, line: "bracket 0+", basis: nil, rate: nil, amount: cents, version: 1)
  }

  static func statement(_ p: Period, _ lines: [StatementLine]) -> PayoutStatement {
    PayoutStatement(partner: "P1", period: p, lines: lines, isEstimate: false)
  }

  static func approval(_ p: Period, _ lines: [StatementLine]) -> StatementApproval {
    StatementApproval(id: 1, partner: "P1", period: p, lines: lines, approvedBy: "Dana", approvedAt: "t")
  }

  static func summary(_ s: PayoutStatement) -> [String] { s.lines.map { "\($0.line) \($0.amount)" } }

  /// Q1 approved at 100.00, recomputed at 40.00: -60.00 on Q2, whose 20.00 leaves -40.00, carried
  /// to Q3 (100.00 - 40.00 = 60.00), never paid as a negative.
  @Test func aNegativeTotalIsCarriedToTheNextStatement() {
    let computed = [
      Self.statement(Self.q1, [Self.line("rebate", 4_000)]), Self.statement(Self.q2, [Self.line("rebate", 2_000)]),
      Self.statement(Self.q3, [Self.line("rebate", 10_000)]),
    ]
    let settled = StatementSettlement.settle(
      computed, approvals: [Self.approval(Self.q1, [Self.line("rebate", 10_000)])], today: Self.today)
    #expect(settled.map(\.period) == [Self.q1, Self.q2, Self.q3])
    #expect(Self.summary(settled[0]) == ["bracket 0+ 10000"])
    #expect(settled[0].approval != nil)
    #expect(Self.summary(settled[1]) == ["bracket 0+ 2000", "adjustment 2025-Q1 -6000", "carried forward 4000"])
    #expect(settled[1].total == 0)
    #expect(Self.summary(settled[2]) == ["bracket 0+ 10000", "carried from 2025-Q2 -4000"])
    #expect(settled[2].total == 6_000)
    #expect(settled[1].lines[1].corrects == Self.q1)
  }

  /// An adjustment approved on a later statement counts as approved for the period it corrects:
  /// no second adjustment.
  @Test func approvedAdjustmentsAreNotRepeated() {
    var adjustment = Self.line("rebate", -6_000)
    adjustment.line = "adjustment 2025-Q1"
    adjustment.corrects = Self.q1
    let computed = [
      Self.statement(Self.q1, [Self.line("rebate", 4_000)]), Self.statement(Self.q2, [Self.line("rebate", 8_000)]),
      Self.statement(Self.q3, [Self.line("rebate", 1_000)]),
    ]
    let settled = StatementSettlement.settle(
      computed,
      approvals: [
        Self.approval(Self.q1, [Self.line("rebate", 10_000)]),
        Self.approval(Self.q2, [Self.line("rebate", 8_000), adjustment]),
      ], today: Self.today)
    #expect(Self.summary(settled[2]) == ["bracket 0+ 1000"])
  }

  /// With no later statement (the plan stopped paying the partner), the correction gets a
  /// statement of its own in the next period, and a negative one is not paid.
  @Test func aCorrectionWithNoLaterStatementGetsItsOwn() {
    let settled = StatementSettlement.settle(
      [Self.statement(Self.q1, [Self.line("rebate", 4_000)])],
      approvals: [Self.approval(Self.q1, [Self.line("rebate", 10_000)])], today: Self.today)
    #expect(settled.map(\.period) == [Self.q1, Self.q2])
    #expect(Self.summary(settled[1]) == ["adjustment 2025-Q1 -6000", "carried forward 6000"])
    #expect(!settled[1].isEstimate)
  }

  /// Two approved periods corrected with nothing after them share one statement.
  @Test func correctionsWithNoLaterStatementShareOne() {
    let settled = StatementSettlement.settle(
      [Self.statement(Self.q1, [Self.line("rebate", 4_000)]), Self.statement(Self.q2, [Self.line("rebate", 9_000)])],
      approvals: [
        Self.approval(Self.q1, [Self.line("rebate", 10_000)]), Self.approval(Self.q2, [Self.line("rebate", 2_000)]),
      ], today: Self.today)
    #expect(settled.map(\.period) == [Self.q1, Self.q2, Self.q3])
    // Q1: 40.00 − 100.00 = −60.00; Q2: 90.00 − 20.00 = +70.00; together +10.00 on Q3.
    #expect(Self.summary(settled[2]) == ["adjustment 2025-Q1 -6000", "adjustment 2025-Q2 7000"])
    #expect(settled[2].total == 1_000)
  }

  /// A revoked approval counts for nothing: the period is computed again.
  @Test func aRevokedApprovalIsIgnored() {
    var a = Self.approval(Self.q1, [Self.line("rebate", 10_000)])
    a.revokedAt = "t2"
    let settled = StatementSettlement.settle(
      [Self.statement(Self.q1, [Self.line("rebate", 4_000)])], approvals: [a], today: Self.today)
    #expect(settled.map(Self.summary) == [["bracket 0+ 4000"]])
    #expect(settled[0].approval == nil)
  }

  /// Arithmetic far past any program saturates or falls back to the nearest fraction; it never traps.
  @Test func hugeAmountsDoNotTrap() {
    let big = Rational(Int128(Int64.max))
    let product = big * big * big
    // (2⁶³)³ does not fit: it saturates near the largest fraction kept, and rounds to the most cents.
    #expect(product.doubleValue >= 9e37)
    #expect(product.roundedCents >= 9_000_000_000_000_000_000)
    #expect(Cents.sum([Int64.max, 1, 5]) == Int64.max)
    #expect(Cents.sum([Int64.min + 1, -2]) == Int64.min + 1)
    #expect(Rational(1, 3) < big * big)
    // A double with no small fraction behind it still gives a fraction near it, with a bounded
    // denominator.
    let x = Rational(approximating: 0.1 + 0.2)!
    #expect(x.denominator <= 1 << 41)
    #expect(abs(x.doubleValue - 0.3) < 1e-12)
  }
}

/// Ladders that change grain, and overrides of partners outside a ladder.
@Suite struct TierLimitsTests {
  static func ladder(_ grain: Grain, appliesTo: AppliesTo = AppliesTo()) -> TierLadder {
    TierLadder(
      evaluate: grain, window: 1, demotionGrace: 1, starts: Day(iso: "2024-01-01"), appliesTo: appliesTo,
      levels: [TierLevel(id: "registered"), TierLevel(id: "silver", requires: [.init(kpi: "revenue", bound: .min(1))])])
  }

  /// v1 quarterly, v2 yearly from 2024-02-01, v3 quarterly from 2024-06-01: 2024-Q1 is in force
  /// under v2 (a year), the year 2024 under v3 (quarters). Evaluation still moves forward and ends.
  @Test func laddersThatAlternateGrainsDoNotLoop() throws {
    let base = try IncentiveFixture.evaluator(
      [IncentiveFixture.partner()], ProgramDefinitions(), today: "2025-03-01")
    func version(_ n: Int, _ effective: String, _ grain: Grain) -> ProgramVersion {
      ProgramVersion(
        number: n, effective: Day(iso: effective)!, appliedAt: "t",
        definitions: ProgramDefinitions(tiers: Self.ladder(grain)))
    }
    let history = ProgramHistory(versions: [
      version(1, "2020-01-01", .quarter), version(2, "2024-02-01", .year), version(3, "2024-06-01", .quarter),
    ])
    let h = try TierEvaluator(
      engine: base.engine, history: history, variantOfVersion: [1: 0, 2: 0, 3: 0], today: base.today
    ).evaluate()
    let periods = h.evaluations(of: "P1").map(\.period.description)
    #expect(!periods.isEmpty)
    #expect(periods == periods.sorted { Period($0)!.end < Period($1)!.end })
    #expect(Set(periods).count == periods.count)
  }

  /// A partner outside the ladder's applies_to holds no level, even with an override.
  @Test func anOverrideDoesNotPutAPartnerOutsideTheLadderOnIt() throws {
    let records = [IncentiveFixture.partner(), IncentiveFixture.partner("P2", type: "msp")]
    let ev = try IncentiveFixture.evaluator(
      records, ProgramDefinitions(tiers: Self.ladder(.quarter, appliesTo: AppliesTo(types: ["reseller"]))),
      today: "2024-12-01")
    let o = TierOverride(
      partner: "P2", level: "silver", reason: "r", from: Day(iso: "2024-01-01")!, until: Day(iso: "2024-12-31")!,
      setBy: "D", setAt: "t")
    let h = try IncentiveFixture.tiers(ev, overrides: [o])
    #expect(h.tier(of: "P2", on: Day(iso: "2024-06-01")!) == nil)
    #expect(h.tier(of: "P1", on: Day(iso: "2024-06-01")!) == "registered")
  }
}
