import ChannelKPI
import ChannelKPIStore
import Testing

/// The errors of parsing one definitions file `p.yaml`.
private func errors(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) -> [DefinitionFileError] {
  do {
    _ = try ProgramFiles.parse(["p.yaml": yaml])
    Issue.record("the definitions parsed", sourceLocation: sourceLocation)
    return []
  } catch {
    return error.errors
  }
}

/// Expects an error at `needle` (plus `offset` columns) whose message contains `why`.
private func expectError(
  _ yaml: String, at needle: String, offset: Int = 0, _ why: String, sourceLocation: SourceLocation = #_sourceLocation
) {
  let found = errors(yaml, sourceLocation: sourceLocation)
  guard let p = position(of: needle, in: yaml) else {
    Issue.record("'\(needle)' is not in the file", sourceLocation: sourceLocation)
    return
  }
  let prefix = "p.yaml:\(p.line):\(p.column + offset): "
  #expect(
    found.contains { $0.description.hasPrefix(prefix) && $0.message.contains(why) },
    "expected \(prefix)…\(why)…; got \(found.map(\.description))", sourceLocation: sourceLocation)
}

/// A ladder with three levels, for files whose mistake lies elsewhere.
private let ladder = """
  tiers:
    evaluate: quarter
    window: 4
    demotion_grace: 2
    levels:
      - id: registered
      - id: silver
        requires:
          - {kpi: revenue, min: 250000}
      - id: gold
        requires:
          - {kpi: revenue, min: 1000000}
  """

@Suite struct IncentiveDefinitionErrorTests {
  @Test func anUnknownKPIInARequirement() {
    // Refused at `revenu` inside `- {kpi: revenu, min: 250000}`.
    let yaml = ladder.replacingOccurrences(of: "{kpi: revenue, min: 250000}", with: "{kpi: revenu, min: 250000}")
    expectError(yaml, at: "revenu,", "unknown KPI 'revenu'")
  }

  @Test func aRebateBasisThatIsNotMoney() {
    let yaml = """
      incentives:
        - id: r
          kind: rebate
          period: quarter
          basis: win_rate
          brackets:
            - {from: 0, rate: 0.02}
      """
    expectError(yaml, at: "win_rate", "the basis 'win_rate' is not a money KPI")
  }

  @Test func bracketsThatDoNotAscend() {
    // 100000 after 500000: refused at the second `from`'s value.
    let yaml = """
      incentives:
        - id: r
          kind: rebate
          period: quarter
          brackets:
            - {from: 0, rate: 0.02}
            - {from: 500000, rate: 0.03}
            - {from: 100000, rate: 0.04}
      """
    expectError(yaml, at: "100000, rate", "brackets must ascend")
  }

  @Test func bracketsWithTheSameFrom() {
    // A `from` equal to the previous one does not ascend either.
    let yaml = """
      incentives:
        - id: r
          kind: rebate
          period: quarter
          brackets:
            - {from: 0, rate: 0.02}
            - {from: 0, rate: 0.03}
      """
    expectError(yaml, at: "0, rate: 0.03", "brackets must ascend")
  }

  @Test func aFirstBracketNotFromZero() {
    let yaml = """
      incentives:
        - id: r
          kind: rebate
          period: quarter
          brackets:
            - {from: 1000, rate: 0.02}
      """
    expectError(yaml, at: "1000, rate", "the first bracket starts from 0")
  }

  @Test func weightsThatDoNotSumToOne() {
    // 0.6 + 0.3 = 0.9: refused at the `kpis` mapping.
    let yaml = """
      incentives:
        - id: b
          kind: attainment_bonus
          period: quarter
          target_bonus: 5000
          kpis: {revenue: 0.6, deal_registrations: 0.3}
      """
    expectError(yaml, at: "{revenue: 0.6", "sum to 0.9, not 1")
  }

  @Test func aDemotionGraceOfZero() {
    let yaml = ladder.replacingOccurrences(of: "demotion_grace: 2", with: "demotion_grace: 0")
    // The value `0` after `demotion_grace: ` (16 characters).
    expectError(yaml, at: "demotion_grace: 0", offset: 16, "'demotion_grace' must be at least 1")
  }

  @Test func perDealAndShareBothGiven() {
    let yaml = """
      incentives:
        - id: s
          kind: spiff
          period: month
          per_deal: 250
          share: 0.01
      """
    expectError(yaml, at: "share: 0.01", offset: 7, "not both")
  }

  @Test func anAppliesToTierNamingNoLevel() {
    let yaml =
      ladder + "\n"
        + """
        incentives:
          - id: s
            kind: spiff
            period: month
            applies_to: {tiers: [platinum]}
            per_deal: 250
        """
    expectError(yaml, at: "platinum", "'platinum' is not a level of the ladder")
  }

  /// A list may be one value (`types: reseller`), not a mapping.
  @Test func anAppliesToListThatIsAMapping() {
    let yaml = """
      incentives:
        - id: s
          kind: spiff
          period: month
          applies_to: {types: {reseller: 1}}
          per_deal: 250
      """
    expectError(yaml, at: "{reseller: 1}", "'types' must be a list such as [a, b]")
  }

  @Test func aRateByTierNamingNoLevel() {
    let yaml =
      ladder + "\n"
        + """
        incentives:
          - id: r
            kind: rebate
            period: quarter
            brackets:
              - {from: 0, rate: 0.02}
            rate_by_tier: {platinum: 0.01}
        """
    expectError(yaml, at: "platinum", "'platinum' is not a level of the ladder")
  }

  @Test(arguments: ["1", "1.0", "1.2"])
  func aThresholdOfAtLeastOne(threshold: String) {
    let yaml = """
      incentives:
        - id: b
          kind: attainment_bonus
          period: quarter
          target_bonus: 5000
          kpis: {revenue: 1}
          threshold: \(threshold)
      """
    // The value after `threshold: ` (11 characters).
    expectError(yaml, at: "threshold: \(threshold)", offset: 11, "'threshold' must be below 1")
  }

  @Test func anAtThresholdAboveOne() {
    let yaml = """
      incentives:
        - id: b
          kind: attainment_bonus
          period: quarter
          target_bonus: 5000
          kpis: {revenue: 1}
          threshold: 0.8
          at_threshold: 1.5
      """
    expectError(yaml, at: "at_threshold: 1.5", offset: 14, "'at_threshold' must be from 0 to 1")
  }

  @Test func aCapBelowOne() {
    let yaml = """
      incentives:
        - id: b
          kind: attainment_bonus
          period: quarter
          target_bonus: 5000
          kpis: {revenue: 1}
          cap: 0.5
      """
    expectError(yaml, at: "cap: 0.5", offset: 5, "'cap' must be at least 1")
  }

  @Test func overlappingMDFPlans() {
    // Neither plan has applies_to or dates: both can apply to any partner. Refused at the second plan.
    let yaml = """
      incentives:
        - id: mdf-a
          kind: mdf
          period: quarter
          accrual_rate: 0.02
        - id: mdf-b
          kind: mdf
          period: quarter
          accrual_rate: 0.03
      """
    expectError(yaml, at: "id: mdf-b", "the MDF plans 'mdf-a' and 'mdf-b' can apply to the same partner")
  }

  @Test func disjointMDFPlansAreAccepted() throws {
    // Resellers and MSPs: no partner can be both.
    let yaml = """
      incentives:
        - id: mdf-a
          kind: mdf
          period: quarter
          accrual_rate: 0.02
          applies_to: {types: [reseller]}
        - id: mdf-b
          kind: mdf
          period: quarter
          accrual_rate: 0.03
          applies_to: {types: [msp]}
      """
    let defs = try ProgramFiles.parse(["p.yaml": yaml])
    #expect(defs.incentives.map(\.id) == ["mdf-a", "mdf-b"])
  }

  @Test func aLadderAppliesToWithTiers() {
    // A ladder's applies_to takes types, regions and partners, not tiers (its own levels).
    let yaml = ladder.replacingOccurrences(
      of: "demotion_grace: 2", with: "demotion_grace: 2\n  applies_to: {tiers: [gold]}")
    expectError(yaml, at: "tiers: [gold]", "unknown key 'tiers'")
  }

  @Test func requirementsOnTheLowestLevel() {
    let yaml = """
      tiers:
        evaluate: quarter
        window: 1
        demotion_grace: 1
        levels:
          - id: registered
            requires:
              - {kpi: revenue, min: 1}
          - id: silver
            requires:
              - {kpi: revenue, min: 1000}
      """
    // The requirements' list starts at the `-` of line 8.
    expectError(yaml, at: "- {kpi: revenue, min: 1}", "the lowest level ('registered') has no requirements")
  }

  @Test func aValidFileParsesToTheExpectedValues() throws {
    let yaml = """
      tiers:
        evaluate: quarter
        window: 4
        demotion_grace: 2
        starts: 2025-01-01
        applies_to: {types: [reseller, msp]}
        levels:
          - id: registered
          - id: silver
            requires:
              - {kpi: revenue, min: 250000}
              - {kpi: win_rate, min: 0.3}
          - id: gold
            name: Gold partner
            requires:
              - {kpi: revenue, min: 1000000}
              - {kpi: sales_cycle_days, max: 60}
            benefits: {discount: 0.35, mdf_rate: 0.03, support: priority}
      incentives:
        - id: resale-rebate
          name: Resale rebate
          kind: rebate
          period: quarter
          basis: revenue
          mode: marginal
          brackets:
            - {from: 0, rate: 0.02}
            - {from: 100_000, rate: 0.03}
            - {from: 500000, rate: 0.04}
          rate_by_tier: {gold: 0.01}
        - id: growth-bonus
          kind: attainment_bonus
          period: quarter
          applies_to: {tiers: [silver, gold], regions: [emea]}
          target_bonus: 5000
          kpis: {revenue: 0.7, deal_registrations: 0.3}
          threshold: 0.8
          at_threshold: 0.5
          accelerator: 2.0
          cap: 2.0
        - id: q3-new-product
          kind: spiff
          period: month
          starts: 2025-07-01
          ends: 2025-09-30
          deals: {product: [Edge X1, Edge X2], source: [sourced], min_amount: 10000}
          per_deal: 250
          cap: 5000
        - id: referral-share
          kind: spiff
          period: year
          applies_to: {partners: [P1, P2]}
          share: 0.01
        - id: mdf
          kind: mdf
          period: quarter
          accrual_rate: 0.02
          rate_by_tier: {gold: 0.03}
          expires_after: 4
      """
    let defs = try ProgramFiles.parse(["p.yaml": yaml])
    let day = { (s: String) throws -> Day in try #require(Day(iso: s)) }
    let ladder = TierLadder(
      evaluate: .quarter, window: 4, demotionGrace: 2, starts: try day("2025-01-01"),
      appliesTo: AppliesTo(types: ["reseller", "msp"]),
      levels: [
        TierLevel(id: "registered"),
        TierLevel(
          id: "silver",
          requires: [
            TierRequirement(kpi: "revenue", bound: .min(250000)), TierRequirement(kpi: "win_rate", bound: .min(0.3)),
          ]
        ),
        TierLevel(
          id: "gold", name: "Gold partner",
          requires: [
            TierRequirement(kpi: "revenue", bound: .min(1_000_000)),
            TierRequirement(kpi: "sales_cycle_days", bound: .max(60)),
          ],
          benefits: [("discount", "0.35"), ("mdf_rate", "0.03"), ("support", "priority")]),
      ])
    #expect(defs.tiers == ladder)
    let plans = [
      IncentivePlan(
        id: "resale-rebate", name: "Resale rebate", period: .quarter,
        rule: .rebate(
          RebateRule(
            basis: "revenue", mode: .marginal,
            brackets: [
              RebateBracket(from: .zero, rate: Rational(2, 100)),
              RebateBracket(from: Rational(100000), rate: Rational(3, 100)),
              RebateBracket(from: Rational(500000), rate: Rational(4, 100)),
            ], rateByTier: ["gold": Rational(1, 100)]))),
      IncentivePlan(
        id: "growth-bonus", period: .quarter, appliesTo: AppliesTo(tiers: ["silver", "gold"], regions: ["emea"]),
        rule: .attainmentBonus(
          AttainmentBonusRule(
            targetBonus: Rational(5000),
            weights: [
              AttainmentBonusRule.KPIWeight(kpi: "revenue", weight: Rational(7, 10)),
              AttainmentBonusRule.KPIWeight(kpi: "deal_registrations", weight: Rational(3, 10)),
            ], threshold: Rational(4, 5), atThreshold: Rational(1, 2), accelerator: Rational(2), cap: Rational(2)))),
      IncentivePlan(
        id: "q3-new-product", period: .month, starts: try day("2025-07-01"), ends: try day("2025-09-30"),
        rule: .spiff(
          SpiffRule(
            products: ["Edge X1", "Edge X2"], sources: ["sourced"], minAmount: Rational(10000),
            reward: .perDeal(Rational(250)), cap: Rational(5000)))),
      IncentivePlan(
        id: "referral-share", period: .year, appliesTo: AppliesTo(partners: ["P1", "P2"]),
        rule: .spiff(SpiffRule(reward: .share(Rational(1, 100))))),
      IncentivePlan(
        id: "mdf", period: .quarter,
        rule: .mdf(
          MDFRule(
            basis: "revenue", accrualRate: Rational(2, 100), rateByTier: ["gold": Rational(3, 100)], expiresAfter: 4))),
    ]
    #expect(defs.incentives.count == plans.count)
    for (got, want) in zip(defs.incentives, plans) {
      #expect(got == want, "plan \(want.id)")
    }
  }
}
