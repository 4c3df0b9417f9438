import ChannelKPI
import Testing

private typealias F = IncentiveFixture

/// The ladder of most tests: quarterly from 2024-Q1, window 1 quarter, registered → silver
/// (revenue ≥ 1000) → gold (revenue ≥ 5000).
private func ladder(
  grace: Int = 2, window: Int = 1, appliesTo: AppliesTo = AppliesTo(), silver: [TierRequirement]? = nil
) throws -> TierLadder {
  TierLadder(
    evaluate: .quarter, window: window, demotionGrace: grace, starts: try F.day("2024-01-01"), appliesTo: appliesTo,
    levels: [
      TierLevel(id: "registered"),
      TierLevel(id: "silver", requires: silver ?? [TierRequirement(kpi: "revenue", bound: .min(1000))]),
      TierLevel(id: "gold", requires: [TierRequirement(kpi: "revenue", bound: .min(5000))]),
    ])
}

/// A won deal in the middle of a quarter of 2024 (1…4).
private func wonIn(_ quarter: Int, _ amount: String, _ partner: String = "P1") -> FactRecord {
  let month = ["02", "05", "08", "11"][quarter - 1]
  return F.won("\(partner)-Q\(quarter)", partner, closed: "2024-\(month)-15", amount: amount)
}

private func day(_ text: String) throws -> Day { try F.day(text) }
private func period(_ text: String) throws -> Period { try F.period(text) }

@Suite struct TierEvaluationTests {
  @Test func promotionGoesStraightToTheQualifiedLevel() throws {
    // P1 starts registered (no attribute); 2024-Q1 revenue 6000 ≥ 5000 → qualifies for gold
    // (silver's 1000 is not also needed) → promoted registered → gold at once, skipping silver.
    let h = try F.tiers([F.partner(), wonIn(1, "6000")], try ladder(), today: "2024-04-01")
    let e = try #require(h.evaluations(of: "P1").first)
    #expect(e.period == (try period("2024-Q1")))
    #expect(e.held == "registered")
    #expect(e.qualified == "gold")
    #expect(e.level == "gold")
    #expect(e.change == .promoted)
    #expect(e.misses == 0)
  }

  @Test func demotionAfterAGraceOfTwoWithAtRiskInBetween() throws {
    // P1 starts gold. Revenue by quarter 2000, 6000, 2000, 2000:
    // Q1 silver < gold → at risk, misses 1, keeps gold; Q2 gold = held → held, misses 0;
    // Q3 silver → at risk, 1; Q4 silver → misses 2 = grace → demoted to silver, misses 0.
    let records = [F.partner(tier: "gold"), wonIn(1, "2000"), wonIn(2, "6000"), wonIn(3, "2000"), wonIn(4, "2000")]
    let h = try F.tiers(records, try ladder(grace: 2), today: "2025-01-01")
    let evs = Array(h.evaluations(of: "P1"))
    #expect(evs.map(\.qualified) == ["silver", "gold", "silver", "silver"])
    #expect(evs.map(\.change) == [.atRisk, .held, .atRisk, .demoted])
    #expect(evs.map(\.misses) == [1, 0, 1, 0])
    #expect(evs.map(\.level) == ["gold", "gold", "gold", "silver"])
    // Gold through 2024-12-31, silver from the day after Q4's end.
    #expect(h.tier(of: "P1", on: try day("2024-12-31")) == "gold")
    #expect(h.tier(of: "P1", on: try day("2025-01-01")) == "silver")
  }

  @Test func aGraceOfOneDemotesAtTheFirstMiss() throws {
    // P1 starts gold; Q1 revenue 2000 qualifies silver → with grace 1, demoted at once.
    let h = try F.tiers([F.partner(tier: "gold"), wonIn(1, "2000")], try ladder(grace: 1), today: "2024-04-01")
    let e = try #require(h.evaluations(of: "P1").first)
    #expect(e.change == .demoted)
    #expect(e.level == "silver")
    #expect(e.misses == 0)
    #expect(h.tier(of: "P1", on: try day("2024-04-01")) == "silver")
  }

  @Test func demotionGoesStraightToTheQualifiedLevel() throws {
    // P1 starts gold with no revenue: Q1 qualifies registered → at risk (1); Q2 → demoted to registered,
    // not one step to silver.
    let h = try F.tiers([F.partner(tier: "gold")], try ladder(grace: 2), today: "2024-07-01")
    let evs = Array(h.evaluations(of: "P1"))
    #expect(evs.map(\.change) == [.atRisk, .demoted])
    #expect(evs.map(\.level) == ["gold", "registered"])
  }

  @Test func aKPIWithoutAValueMeetsNoRequirement() throws {
    // Silver needs win_rate ≥ 0. P1 closed no deal in Q1: win_rate has no value → not met → registered.
    // P2 lost one deal: win_rate 0/1 = 0 ≥ 0 → silver.
    let records = [F.partner("P1"), F.partner("P2"), F.lost("L1", "P2", closed: "2024-02-01")]
    let silver = [TierRequirement(kpi: "win_rate", bound: .min(0))]
    let h = try F.tiers(records, try ladder(silver: silver), today: "2024-04-01")
    let p1 = try #require(h.evaluations(of: "P1").first)
    #expect(p1.qualified == "registered")
    #expect((p1.values["win_rate"] ?? nil) == nil)
    let standing = try #require(p1.failing.first { $0.requirement.kpi == "win_rate" })
    #expect(!standing.isMet)
    #expect(standing.shortfall == nil)
    let p2 = try #require(h.evaluations(of: "P2").first)
    #expect(p2.qualified == "silver")
    #expect((p2.values["win_rate"] ?? nil) == 0)
  }

  @Test func aPartnerJoiningMidRangeIsFirstEvaluatedAtTheFirstEndItIsIn() throws {
    // The ladder starts at 2024-Q1; nobody has revenue.
    // P2 joins 2024-05-15 (attribute silver): first evaluated at the end of Q2, from silver → at risk;
    // Q3 → demoted to registered (grace 2).
    // P3 joins 2024-06-30, the last day of Q2: evaluated at Q2's end too.
    // P4 joins 2024-07-01: first evaluated at Q3's end.
    let records = [
      F.partner("P1"), F.partner("P2", tier: "silver", joined: "2024-05-15"), F.partner("P3", joined: "2024-06-30"),
      F.partner("P4", joined: "2024-07-01"),
    ]
    let h = try F.tiers(records, try ladder(), today: "2025-01-01")
    let q = try ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"].map(period)
    #expect(h.evaluations(of: "P1").map(\.period) == q)
    #expect(h.evaluations(of: "P2").map(\.period) == Array(q[1...]))
    #expect(h.evaluations(of: "P3").map(\.period) == Array(q[1...]))
    #expect(h.evaluations(of: "P4").map(\.period) == Array(q[2...]))
    let p2 = Array(h.evaluations(of: "P2"))
    #expect(p2.first?.held == "silver")
    #expect(p2.map(\.change) == [.atRisk, .demoted, .held])
    #expect(p2.map(\.level) == ["silver", "registered", "registered"])
  }

  @Test func aPartnerThatLeftIsNoLongerEvaluated() throws {
    // P1 leaves on 2024-09-30, Q3's last day: left_on ≤ last day → not evaluated at Q3's end (Q1, Q2 only).
    // P2 leaves on 2024-10-01: still in on 2024-09-30 → evaluated through Q3, not Q4.
    let records = [F.partner("P1", left: "2024-09-30"), F.partner("P2", left: "2024-10-01")]
    let h = try F.tiers(records, try ladder(), today: "2025-01-01")
    #expect(h.evaluations(of: "P1").map(\.period) == (try ["2024-Q1", "2024-Q2"].map(period)))
    #expect(h.evaluations(of: "P2").map(\.period) == (try ["2024-Q1", "2024-Q2", "2024-Q3"].map(period)))
  }

  @Test func theStartingLevelComesFromTheTierAttribute() throws {
    // No revenue anywhere. P1's attribute silver is a level → starts silver (at risk at Q1);
    // P2's "platinum" is not → starts at the lowest, registered (held at Q1); P3 has none → registered.
    let records = [F.partner("P1", tier: "silver"), F.partner("P2", tier: "platinum"), F.partner("P3")]
    let h = try F.tiers(records, try ladder(), today: "2024-04-01")
    #expect(h.tier(of: "P1", on: try day("2024-02-01")) == "silver")
    #expect(h.tier(of: "P2", on: try day("2024-02-01")) == "registered")
    #expect(h.tier(of: "P3", on: try day("2024-02-01")) == "registered")
    #expect(h.evaluations(of: "P1").first?.held == "silver")
    #expect(h.evaluations(of: "P1").first?.change == .atRisk)
    #expect(h.evaluations(of: "P2").first?.held == "registered")
    #expect(h.evaluations(of: "P2").first?.change == .held)
  }

  @Test func theAttributeCountsAsRecordedWhenTheLadderWasApplied() throws {
    // P1's attribute is gold now (written back later), but was silver when the ladder was applied:
    // it starts silver. P2 had none recorded then (nil) → registered, whatever its gold attribute now.
    let records = [F.partner("P1", tier: "gold"), F.partner("P2", tier: "gold")]
    let h = try F.tiers(records, try ladder(), today: "2024-04-01", recorded: ["P1": "silver", "P2": String?.none])
    #expect(h.evaluations(of: "P1").first?.held == "silver")
    #expect(h.evaluations(of: "P2").first?.held == "registered")
  }

  @Test func partnersOutsideAppliesToHoldNoLevel() throws {
    // The ladder applies to resellers; P2 is an msp with revenue 6000: no evaluation, no tier on any day.
    let records = [F.partner("P1"), F.partner("P2", type: "msp", tier: "gold"), wonIn(1, "6000", "P2")]
    let h = try F.tiers(records, try ladder(appliesTo: AppliesTo(types: ["reseller"])), today: "2025-01-01")
    #expect(h.evaluations(of: "P2").isEmpty)
    #expect(h.tier(of: "P2", on: try day("2024-02-01")) == nil)
    #expect(h.tier(of: "P2", on: try day("2024-12-01")) == nil)
    #expect(h.tier(of: "P2", during: try period("2024-Q3")) == nil)
    // P1 is in: registered.
    #expect(h.tier(of: "P1", on: try day("2024-12-01")) == "registered")
  }

  @Test func theWindowCoversTheLastNPeriods() throws {
    // Window 2 quarters. P1 revenue 1000 in Q1 only.
    // Q1: window 2023-10…2024-03 (before the data counts as nothing) → 1000 → promoted to silver.
    // Q2: window 2024-01…2024-06 → 1000, met only thanks to Q1 → held silver.
    // Q3: window 2024-04…2024-09 → 0 → at risk.
    let h = try F.tiers([F.partner(), wonIn(1, "1000")], try ladder(window: 2), today: "2024-10-01")
    let evs = Array(h.evaluations(of: "P1"))
    #expect(evs.map(\.change) == [.promoted, .held, .atRisk])
    #expect(evs.map { $0.values["revenue"] ?? nil } == [1000, 1000, 0])
    #expect(evs[1].window == MonthRange(first: Month(year: 2024, month: 1), last: Month(year: 2024, month: 6)))
    #expect(evs[0].window == MonthRange(first: Month(year: 2023, month: 10), last: Month(year: 2024, month: 3)))
  }

  @Test func aRateOverTheWindowIsARatioOfSums() throws {
    // Window 2, silver needs win_rate ≥ 0.5. P1: Q1 1 won of 1 closed; Q2 3 lost.
    // Q2's window: 1 won / 4 closed = 0.25 < 0.5 → at risk (the mean of quarterly rates, 0.5, would meet it).
    let records = [
      F.partner(), wonIn(1, "100"), F.lost("L1", closed: "2024-04-10"), F.lost("L2", closed: "2024-05-10"),
      F.lost("L3", closed: "2024-06-10"),
    ]
    let silver = [TierRequirement(kpi: "win_rate", bound: .min(0.5))]
    let h = try F.tiers(records, try ladder(window: 2, silver: silver), today: "2024-07-01")
    let evs = Array(h.evaluations(of: "P1"))
    #expect(evs.map(\.change) == [.promoted, .atRisk])
    #expect(close(evs.last?.values["win_rate"] ?? nil, 0.25))
  }

  @Test func theTierHeldDuringAPeriodIsThePreviousEvaluationsResult() throws {
    // P1 starts registered; Q1 revenue 6000 → gold from 2024-04-01 (the day after Q1's end), not before.
    let h = try F.tiers([F.partner(), wonIn(1, "6000")], try ladder(), today: "2025-01-01")
    #expect(h.tier(of: "P1", on: try day("2024-03-31")) == "registered")
    #expect(h.tier(of: "P1", on: try day("2024-04-01")) == "gold")
    #expect(h.tier(of: "P1", during: try period("2024-Q1")) == "registered")
    #expect(h.tier(of: "P1", during: try period("2024-Q2")) == "gold")
    // Q2–Q4 revenue 0 → at risk at Q2, demoted to registered at Q3 (from 2024-10-01).
    #expect(h.tier(of: "P1", during: try period("2024-Q4")) == "registered")
    // A month takes the tier held on its first day.
    #expect(h.tier(of: "P1", during: try period("2024-09")) == "gold")
  }

  @Test func aYearTakesTheTierHeldOnTheFirstOfJanuary() throws {
    // Quarterly ladder; P1's only revenue is 6000 in 2024-Q4 → gold from 2025-01-01.
    // The year 2024 is held registered (on 2024-01-01), the year 2025 gold (on 2025-01-01).
    let h = try F.tiers([F.partner(), wonIn(4, "6000")], try ladder(), today: "2025-01-01")
    #expect(h.tier(of: "P1", during: try period("2024")) == "registered")
    #expect(h.tier(of: "P1", during: try period("2025")) == "gold")
  }

  @Test(arguments: [
    // Today is Q2's last day: Q2 has not ended → only Q1 is evaluated.
    ("2024-06-30", ["2024-Q1"]),
    // The day after: Q2 has ended.
    ("2024-07-01", ["2024-Q1", "2024-Q2"]),
  ])
  func periodsNotYetEndedAreNotEvaluated(today: String, periods: [String]) throws {
    let h = try F.tiers([F.partner(), wonIn(1, "6000"), wonIn(2, "6000")], try ladder(), today: today)
    #expect(h.evaluations(of: "P1").map(\.period) == (try periods.map(period)))
  }

  @Test func anOverrideReplacesTheLevelForTheDaysItCovers() throws {
    // P1 starts registered with no revenue; a manager sets gold for 2024-04-01…2024-06-30 (all of Q2).
    let override = TierOverride(
      partner: "P1", level: "gold", reason: "strategic account", from: try day("2024-04-01"),
      until: try day("2024-06-30"), setBy: "alice", setAt: "2024-04-01T09:00:00Z")
    let h = try F.tiers([F.partner()], try ladder(grace: 1), today: "2025-01-01", overrides: [override])
    #expect(h.tier(of: "P1", on: try day("2024-03-31")) == "registered")
    #expect(h.tier(of: "P1", on: try day("2024-04-01")) == "gold")
    #expect(h.tier(of: "P1", on: try day("2024-06-30")) == "gold")
    #expect(h.tier(of: "P1", during: try period("2024-Q2")) == "gold")
  }

  @Test func evaluationResumesFromTheOverriddenLevelWhenTheOverrideEnds() throws {
    // Same override (gold through 2024-06-30), grace 1, no revenue. The override ends with Q2; the
    // evaluation at Q2's end decides the level from 2024-07-01, after the override: it starts from the
    // overridden level (held gold), qualifies registered, and grace 1 demotes at once → registered from
    // 2024-07-01. The override does not reach past its `until`.
    let override = TierOverride(
      partner: "P1", level: "gold", reason: "strategic account", from: try day("2024-04-01"),
      until: try day("2024-06-30"), setBy: "alice", setAt: "2024-04-01T09:00:00Z")
    let h = try F.tiers([F.partner()], try ladder(grace: 1), today: "2025-01-01", overrides: [override])
    let q2 = try #require(h.evaluations(of: "P1").first { $0.period == (try? period("2024-Q2")) })
    #expect(q2.held == "gold")
    #expect(h.tier(of: "P1", on: try day("2024-07-01")) == "registered")
    #expect(h.tier(of: "P1", during: try period("2024-Q3")) == "registered")
  }

  @Test func theGapToTheNextLevel() throws {
    // P1 starts registered; Q1 revenue 2000 → silver. Gold needs revenue ≥ 5000: value 2000, shortfall 3000.
    let h = try F.tiers([F.partner(), wonIn(1, "2000")], try ladder(), today: "2024-04-01")
    let gap = try #require(h.gap(of: "P1", today: try day("2024-04-01")))
    #expect(gap.level == "silver")
    #expect(gap.next.id == "gold")
    #expect(gap.standings.map(\.value) == [2000])
    #expect(gap.standings.map(\.shortfall) == [3000])
  }
}
