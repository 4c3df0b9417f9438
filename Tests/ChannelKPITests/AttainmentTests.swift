import ChannelKPI
import Testing

/// Direction-aware attainment, statuses, composite scores and pace, with values worked out by hand.
@Suite struct AttainmentTests {
  private func day(_ iso: String) throws -> Day { try #require(Day(iso: iso)) }
  private func period(_ text: String) throws -> Period { try #require(Period(text)) }

  // MARK: Attainment and status

  @Test func higherIsBetterOnAboveAndBelowTarget() {
    // 1 + (actual − target) / |target|, i.e. actual / target for a positive target.
    #expect(close(Attainment.of(actual: 100, target: 100, better: .higher), 1))
    #expect(close(Attainment.of(actual: 120, target: 100, better: .higher), 1.2))  // 1 + 20/100
    #expect(close(Attainment.of(actual: 80, target: 100, better: .higher), 0.8))  // 1 − 20/100
    #expect(close(Attainment.of(actual: 0, target: 100, better: .higher), 0))
    #expect(Attainment.status(Attainment.of(actual: 100, target: 100, better: .higher)) == .onTrack)
    #expect(Attainment.status(Attainment.of(actual: 120, target: 100, better: .higher)) == .onTrack)
    #expect(Attainment.status(Attainment.of(actual: 95, target: 100, better: .higher)) == .atRisk)  // 0.95
    #expect(Attainment.status(Attainment.of(actual: 80, target: 100, better: .higher)) == .offTrack)  // 0.8
  }

  @Test func lowerIsBetterBeatsTheTargetByBeingBelowIt() {
    // 1 + (target − actual) / |target|: a sales cycle target of 10 days.
    #expect(close(Attainment.of(actual: 10, target: 10, better: .lower), 1))
    #expect(close(Attainment.of(actual: 8, target: 10, better: .lower), 1.2))  // 1 + 2/10
    #expect(close(Attainment.of(actual: 12, target: 10, better: .lower), 0.8))  // 1 − 2/10
    #expect(close(Attainment.of(actual: 25, target: 10, better: .lower), -0.5))  // 1 − 15/10
    #expect(Attainment.status(Attainment.of(actual: 8, target: 10, better: .lower)) == .onTrack)
    #expect(Attainment.status(Attainment.of(actual: 10.5, target: 10, better: .lower)) == .atRisk)  // 0.95
    #expect(Attainment.status(Attainment.of(actual: 12, target: 10, better: .lower)) == .offTrack)  // 0.8
    // The same numbers for a higher-is-better KPI go the other way.
    #expect(Attainment.status(Attainment.of(actual: 12, target: 10, better: .higher)) == .onTrack)
    #expect(Attainment.status(Attainment.of(actual: 8, target: 10, better: .higher)) == .offTrack)
  }

  @Test func aTargetOfZeroIsMetOrMissed() {
    // Higher is better, target 0: any actual ≥ 0 meets it (1), below misses it (0).
    #expect(Attainment.of(actual: 0, target: 0, better: .higher) == 1)
    #expect(Attainment.of(actual: 5, target: 0, better: .higher) == 1)
    #expect(Attainment.of(actual: -1, target: 0, better: .higher) == 0)
    // Lower is better (e.g. churn target 0): 0 or below meets it; anything above misses it.
    #expect(Attainment.of(actual: 0, target: 0, better: .lower) == 1)
    #expect(Attainment.of(actual: -0.5, target: 0, better: .lower) == 1)
    #expect(Attainment.of(actual: 0.1, target: 0, better: .lower) == 0)
    #expect(Attainment.status(Attainment.of(actual: 0, target: 0, better: .lower)) == .onTrack)
    #expect(Attainment.status(Attainment.of(actual: 0.1, target: 0, better: .lower)) == .offTrack)
  }

  @Test func aMissingActualOrTargetHasNoAttainmentAndNoData() {
    #expect(Attainment.of(actual: nil, target: 100, better: .higher) == nil)
    #expect(Attainment.of(actual: 100, target: nil, better: .higher) == nil)
    #expect(Attainment.of(actual: nil, target: nil, better: .lower) == nil)
    #expect(Attainment.of(actual: .nan, target: 1, better: .higher) == nil)
    #expect(Attainment.of(actual: 1, target: .infinity, better: .higher) == nil)
    #expect(Attainment.status(nil) == .noData)
    #expect(Attainment.status(nil, thresholds: StatusThresholds(onTrack: 0.5, atRisk: 0.1)) == .noData)
    #expect(Attainment.status(Attainment.of(actual: nil, target: 0, better: .higher)) == .noData)
  }

  @Test func negativeTargetsAndActualsOfMarketingROI() {
    // Target −10% ROI. Actual −20%: 1 + (−0.2 − (−0.1)) / 0.1 = 1 − 1 = 0 → off track.
    #expect(close(Attainment.of(actual: -0.2, target: -0.1, better: .higher), 0, tolerance: 1e-12))
    #expect(Attainment.status(Attainment.of(actual: -0.2, target: -0.1, better: .higher)) == .offTrack)
    // Actual +10%: 1 + (0.1 + 0.1) / 0.1 = 3 → on track (beating a negative target is good).
    #expect(close(Attainment.of(actual: 0.1, target: -0.1, better: .higher), 3))
    #expect(Attainment.status(Attainment.of(actual: 0.1, target: -0.1, better: .higher)) == .onTrack)
    // Exactly −10%: 1 → on track. −10.5%: 1 − 0.005 / 0.1 = 0.95 → at risk.
    #expect(close(Attainment.of(actual: -0.1, target: -0.1, better: .higher), 1))
    #expect(close(Attainment.of(actual: -0.105, target: -0.1, better: .higher), 0.95))
    #expect(Attainment.status(Attainment.of(actual: -0.105, target: -0.1, better: .higher)) == .atRisk)
    // A positive target with a negative actual: target 20%, actual −10% → 1 + (−0.3) / 0.2 = −0.5.
    #expect(close(Attainment.of(actual: -0.1, target: 0.2, better: .higher), -0.5))
    // Lower is better with a negative target (−5): −6 beats it, 1 + 1/5 = 1.2; −4 misses, 0.8.
    #expect(close(Attainment.of(actual: -6, target: -5, better: .lower), 1.2))
    #expect(close(Attainment.of(actual: -4, target: -5, better: .lower), 0.8))
  }

  @Test func defaultThresholdsAreAHundredAndNinetyPercent() {
    #expect(Attainment.status(1.0) == .onTrack)
    #expect(Attainment.status(3.0) == .onTrack)
    #expect(Attainment.status(0.999) == .atRisk)
    #expect(Attainment.status(0.9) == .atRisk)
    #expect(Attainment.status(0.8999) == .offTrack)
    #expect(Attainment.status(-2) == .offTrack)
    // 0.27 of a 0.3 target is 90% up to rounding: 1 + (0.27 − 0.3) / 0.3 = 0.8999999999999999 in doubles.
    #expect(Attainment.status(Attainment.of(actual: 0.27, target: 0.3, better: .higher)) == .atRisk)
    #expect(StatusThresholds.default == StatusThresholds(onTrack: 1.0, atRisk: 0.9))
  }

  @Test func customThresholdsMoveTheAtRiskBoundary() {
    // Support CSAT in the demo: on track at 100%, at risk from 95%.
    let strict = StatusThresholds(onTrack: 1.0, atRisk: 0.95)
    #expect(Attainment.status(1.0, thresholds: strict) == .onTrack)
    #expect(Attainment.status(0.96, thresholds: strict) == .atRisk)
    #expect(Attainment.status(0.95, thresholds: strict) == .atRisk)
    #expect(Attainment.status(0.94, thresholds: strict) == .offTrack)
    #expect(Attainment.status(0.92) == .atRisk)  // default: at risk
    #expect(Attainment.status(0.92, thresholds: strict) == .offTrack)
    // Lenient: on track from 90%, at risk from 70%.
    let lenient = StatusThresholds(onTrack: 0.9, atRisk: 0.7)
    #expect(Attainment.status(0.9, thresholds: lenient) == .onTrack)
    #expect(Attainment.status(0.8, thresholds: lenient) == .atRisk)
    #expect(Attainment.status(0.7, thresholds: lenient) == .atRisk)
    #expect(Attainment.status(0.69, thresholds: lenient) == .offTrack)
    // 53 days against a 50-day target (lower is better): 1 + (50 − 53)/50 = 0.94.
    #expect(Attainment.status(Attainment.of(actual: 53, target: 50, better: .lower), thresholds: strict) == .offTrack)
    #expect(Attainment.status(Attainment.of(actual: 53, target: 50, better: .lower)) == .atRisk)
  }

  // MARK: Composite

  @Test func compositeIsTheWeightedMeanOfCappedAttainments() {
    // (3 × 1.0 + 1 × 0.5) / 4 = 0.875 → 87.5.
    #expect(close(Attainment.composite([(3, 1.0), (1, 0.5)]), 87.5))
    // Capped at 1 and at 0: (1 × min(1, 1.5) + 1 × max(0, −0.5)) / 2 = 0.5 → 50.
    #expect(close(Attainment.composite([(1, 1.5), (1, -0.5)]), 50))
    // 3 × 2.0 (capped to 1) + 1 × 0.2 = 3.2 over 4 → 80; uncapped it would be over 100.
    #expect(close(Attainment.composite([(3, 2.0), (1, 0.2)]), 80))
    // Everything far above target: 100, not more.
    #expect(close(Attainment.composite([(2, 5.0), (1, 1.1)]), 100))
    // Everything far below: 0, not less.
    #expect(close(Attainment.composite([(2, -5.0), (1, -1)]), 0))
  }

  @Test func kpisWithoutAttainmentAreLeftOutOfTheComposite() {
    // Only the 0.8 counts (weight 2): 100 × 2 × 0.8 / 2 = 80 — the weight-5 KPI without data is left out.
    #expect(close(Attainment.composite([(2, 0.8), (5, nil)]), 80))
    // (1 × 0.6 + 3 × 1.0) / 4 = 0.9 → 90, the nil one (weight 10) ignored.
    #expect(close(Attainment.composite([(1, 0.6), (10, nil), (3, 1.0)]), 90))
    #expect(Attainment.composite([(1, nil), (2, nil)]) == nil)
    #expect(Attainment.composite([]) == nil)
  }

  // MARK: Pace

  @Test func paceProjectsAPeriodUnderWayToItsEnd() throws {
    let q1 = try period("2025-Q1")  // 2025-01-01 … 2025-03-31: 31 + 28 + 31 = 90 days
    // 2025-02-14: 31 + 14 = 45 days elapsed including today → 600 × 90 / 45 = 1200.
    #expect(close(Attainment.pace(actual: 600, period: q1, today: try day("2025-02-14")), 1200))
    // The first day: 1 day elapsed → 10 × 90 / 1 = 900.
    #expect(close(Attainment.pace(actual: 10, period: q1, today: try day("2025-01-01")), 900))
    // 2025-03-15: 31 + 28 + 15 = 74 days → 3000 × 90 / 74 = 3648.648…
    #expect(close(Attainment.pace(actual: 3000, period: q1, today: try day("2025-03-15")), 270_000.0 / 74))
    // A month: February 2025 has 28 days; on the 7th, 7 elapsed → 50 × 28 / 7 = 200.
    #expect(close(Attainment.pace(actual: 50, period: try period("2025-02"), today: try day("2025-02-07")), 200))
    // A leap February: 29 days; on the 10th → 100 × 29 / 10 = 290.
    #expect(close(Attainment.pace(actual: 100, period: try period("2024-02"), today: try day("2024-02-10")), 290))
    // A year: 2025 has 365 days; on 2025-03-01, 31 + 28 + 1 = 60 elapsed → 120 × 365 / 60 = 730.
    #expect(close(Attainment.pace(actual: 120, period: try period("2025"), today: try day("2025-03-01")), 730))
    // Nothing to project without a value.
    #expect(Attainment.pace(actual: nil, period: q1, today: try day("2025-02-14")) == nil)
  }

  @Test func noPaceForAFinishedOrFuturePeriod() throws {
    let q1 = try period("2025-Q1")
    #expect(Attainment.pace(actual: 600, period: q1, today: try day("2025-04-01")) == nil)  // finished
    #expect(Attainment.pace(actual: 600, period: q1, today: try day("2026-01-01")) == nil)
    #expect(Attainment.pace(actual: 600, period: q1, today: try day("2024-12-31")) == nil)  // not started
    #expect(Attainment.pace(actual: 0, period: q1, today: try day("2020-01-01")) == nil)
  }

  @Test func onThePeriodsLastDayThePaceIsTheActualValue() throws {
    // 2025-03-31 is in Q1, so Q1 is still under way; 90 of 90 days elapsed including today → 600 × 90 / 90.
    let q1 = try period("2025-Q1")
    #expect(close(Attainment.pace(actual: 600, period: q1, today: try day("2025-03-31")), 600))
  }

  // MARK: Periods

  @Test func shiftingAPeriodKeepsItsGrain() throws {
    #expect(try period("2025-Q1").shifted(by: -1) == period("2024-Q4"))
    #expect(try period("2025-Q1").shifted(by: -4) == period("2024-Q1"))
    #expect(try period("2025-Q1").shifted(by: 3) == period("2025-Q4"))
    #expect(try period("2025-01").shifted(by: -1) == period("2024-12"))
    #expect(try period("2025-02").shifted(by: -12) == period("2024-02"))
    #expect(try period("2025").shifted(by: -1) == period("2024"))
    #expect(try period("2025-Q3").shifted(by: 0) == period("2025-Q3"))
  }
}
