import ChannelKPI
import Testing

private func day(_ s: String) -> Day { Day(iso: s)! }
private func quarter(_ s: String) -> Period { Period(s)! }

private func partner(_ id: String, type: String = "reseller", joined: String, left: String? = nil) -> PartnerInfo {
  PartnerInfo(
    id: id, name: "Partner \(id)", type: type, region: "emea", country: nil, tier: nil, joinedOn: day(joined),
    leftOn: left.map(day), manager: nil)
}

private func active(_ months: String...) -> PartnerMilestones {
  var m = PartnerMilestones()
  m.activeMonths = Set(months.map { Period($0)!.firstMonth.index })
  return m
}

@Suite struct LifecycleStageTests {
  let classifier = LifecycleClassifier(rules: LifecycleRules())
  let periods = ["2025-Q1", "2025-Q2", "2025-Q3"].map(quarter)

  func stages(
    _ p: PartnerInfo, _ m: PartnerMilestones, scores: [Double?], median: Double? = 50, scorecard: Bool = true,
    alerting: Bool = false, today: String = "2026-01-15"
  ) -> [PartnerStage] {
    let byPeriod = Dictionary(uniqueKeysWithValues: zip(periods, scores))
    return classifier.history(
      partner: p, milestones: m, periods: periods,
      score: { LifecycleScore(score: byPeriod[$0] ?? nil, typeMedian: median, scorecard: scorecard) },
      alerting: alerting, today: day(today))?.history.map(\.stage) ?? []
  }

  @Test func onboardingUntilTheFirstWinOrNinetyDays() {
    // Joined 2025-05-01: on 2025-06-30 it has been in 61 days; by 2025-09-30, 153.
    let p = partner("A", joined: "2025-05-01")
    let m = active("2025-05", "2025-08")
    #expect(stages(p, m, scores: [nil, nil, 60]) == [.onboarding, .performing])
    // A first win on 2025-06-10 ends onboarding in the quarter it happens.
    var won = m
    won.firstWon = day("2025-06-10")
    #expect(stages(p, won, scores: [nil, 60, 60]) == [.performing, .performing])
  }

  @Test func inactiveAfterTwoQuartersWithoutActivity() {
    let p = partner("B", joined: "2024-01-01")
    // Active only in 2024-12 and 2025-02: 2025-Q3 closes a second quarter with nothing.
    #expect(stages(p, active("2024-12", "2025-02"), scores: [60, 60, 60]) == [.performing, .performing, .inactive])
    // Activity in 2025-07 keeps it out.
    #expect(stages(p, active("2025-02", "2025-07"), scores: [60, 60, 60]) == [.performing, .performing, .performing])
    // Quarters before the data begins say nothing: with data from 2025-05, 2025-Q2–Q3 is no
    // window of inactivity.
    let late = LifecycleClassifier(rules: LifecycleRules(), dataStart: day("2025-05-01"))
    let life = late.history(
      partner: p, milestones: active("2024-12"), periods: periods,
      score: { _ in LifecycleScore(score: 60, typeMedian: 50) }, alerting: false, today: day("2026-01-15"))
    #expect(life?.history.map(\.stage) == [.performing, .performing, .performing])
  }

  @Test func aPartnerThatLeftHasNoStage() {
    let p = partner("L", joined: "2024-01-01", left: "2025-06-15")
    #expect(
      classifier.history(
        partner: p, milestones: active("2025-01"), periods: periods,
        score: { _ in LifecycleScore(score: 60, typeMedian: 50) }, alerting: false, today: day("2026-01-15")) == nil)
  }

  @Test func atRiskWhenTheScoreFallsTwiceOrAnAlertFires() {
    let p = partner("C", joined: "2024-01-01")
    let m = active("2025-01", "2025-04", "2025-07")
    #expect(stages(p, m, scores: [80, 70, 60]) == [.performing, .performing, .atRisk])
    #expect(stages(p, m, scores: [80, 70, 75]) == [.performing, .performing, .performing])
    // An alert counts only for the last period.
    #expect(stages(p, m, scores: [80, 80, 80], alerting: true) == [.performing, .performing, .atRisk])
  }

  @Test func developingBelowTheTypeMedian() {
    let p = partner("D", joined: "2024-01-01")
    let m = active("2025-01", "2025-04", "2025-07")
    // At the median is performing; below it, developing; without a score or a scorecard, developing.
    #expect(stages(p, m, scores: [50, 40, nil]) == [.performing, .developing, .developing])
    #expect(stages(p, m, scores: [90, 90, 90], scorecard: false) == [.developing, .developing, .developing])
  }

  @Test func historySinceAndDaysInEachStage() throws {
    let p = partner("E", joined: "2025-05-01")
    let life = try #require(
      classifier.history(
        partner: p, milestones: active("2025-05"), periods: periods,
        score: { _ in LifecycleScore(score: 60, typeMedian: 50) }, alerting: false, today: day("2025-08-15")))
    // Not in the program in 2025-Q1; onboarding in Q2 (61 days: May and June), performing from
    // Q3 (2025-07-01 to today, 46 days).
    #expect(life.history.map(\.period) == ["2025-Q2", "2025-Q3"])
    #expect(life.stage == .performing && life.since == "2025-Q3")
    #expect(life.days == ["onboarding": 61, "performing": 46])
  }
}

@Suite struct OnboardingCohortTests {
  @Test func cohortsByTheQuarterPartnersJoined() throws {
    let records = [
      Row.partner("P1", type: "reseller", region: "emea", joined: "2025-01-10"),
      Row.partner("P2", type: "reseller", region: "emea", joined: "2025-02-01"),
      Row.partner("P3", type: "msp", region: "na", joined: "2025-04-05"),
      // P1 wins 40 days after joining; P2 registers after 120 days and wins after 150.
      Row.deal("D1", "P1", created: "2025-01-20", stage: "won", closed: "2025-02-19", amount: "100"),
      Row.deal(
        "D2", "P2", created: "2025-05-30", registered: "2025-06-01", status: "approved", stage: "won",
        closed: "2025-07-01", amount: "200"),
      Row.certification("C1", "P1", person: "a", program: "sales", enrolled: "2025-02-01", completed: "2025-03-01"),
      Row.certification("C2", "P3", person: "b", program: "sales", enrolled: "2025-08-01", completed: "2025-09-01"),
    ]
    let engine = try Fixture.engine(records)
    let program = ProgramEvaluator(
      engine: engine, history: ProgramHistory(versions: []), variantOfVersion: [:], today: day("2026-01-01"))
    let cohorts = LifecycleEvaluator(program: program).cohorts()
    #expect(cohorts.map(\.cohort) == ["2025-Q1", "2025-Q2"])
    let q1 = cohorts[0]
    #expect(q1.partners == 2 && q1.withFirstWin == 2)
    #expect(q1.medianDaysToFirstWin == 95 && q1.meanDaysToFirstWin == 95)  // (40 + 150) / 2
    #expect(q1.pastWindow == 2 && q1.activated == 1 && q1.activatedShare == 0.5)
    #expect(q1.certified == 1 && q1.certifiedShare == 0.5)
    let q2 = cohorts[1]
    // P3's certification came 149 days after joining: outside the 90-day window.
    #expect(q2.partners == 1 && q2.withFirstWin == 0 && q2.medianDaysToFirstWin == nil)
    #expect(q2.activatedShare == 0 && q2.certifiedShare == 0)
  }
}

@Suite struct IdealPartnerProfileTests {
  /// Eight partners with values 10…80: resellers P1–P4, MSPs P5–P8; first deals 1000…8000.
  func profile() throws -> IdealPartnerProfile {
    let partners = (1...8).map { partner("P\($0)", type: $0 <= 4 ? "reseller" : "msp", joined: "2024-01-01") }
    var milestones: [String: PartnerMilestones] = [:]
    for i in 1...8 {
      var m = PartnerMilestones()
      m.firstWonAmount = Int64(i) * 100_000
      m.firstWon = day("2024-03-01")
      if i >= 7 { m.certifications = [.init(day: day("2024-02-01"), program: "sales")] }
      milestones["P\(i)"] = m
    }
    let values = Dictionary(uniqueKeysWithValues: (1...8).map { ("P\($0)", Double($0 * 10)) })
    return try PartnerProfiler.profile(
      kpi: "revenue", period: quarter("2025-Q1"), better: .higher, values: values, partners: partners,
      milestones: milestones, onboardingDays: 90)
  }

  @Test func liftAmongTheTopQuartile() throws {
    let p = try profile()
    // numpy's p75 of 10…80: 60 + 0.25 × 10 = 62.5, so P7 and P8 are the top quartile.
    #expect(p.threshold == 62.5 && p.partners == 8 && p.top == 2)
    func row(_ a: String, _ v: String) -> ProfileAttribute? {
      p.attributes.first { $0.attribute == a && $0.value == v }
    }
    // MSPs are half of all partners and all of the top: lift 2; resellers 0; one region: 1.
    #expect(row("type", "msp")?.lift == 2 && row("type", "msp")?.partners == 4 && row("type", "msp")?.top == 2)
    #expect(row("type", "reseller")?.lift == 0)
    #expect(row("region", "emea")?.lift == 1)
    #expect(row("certified_90d", "yes")?.lift == 4)  // 2 of 8, but 2 of 2 at the top
    // First-deal quartiles of 1000…8000: 2750, 4500, 6250.
    #expect(p.firstDealCuts == [275_000, 450_000, 625_000])
    #expect(row("first_deal", "6250.00 and over")?.partners == 2 && row("first_deal", "6250.00 and over")?.lift == 4)
    #expect(p.attributes.first { $0.attribute == "type" }?.value == "msp")  // by lift, highest first
  }

  @Test func prospectsScoredByTheLiftsOfTheirAttributes() throws {
    let p = try profile()
    let msp = try PartnerProfiler.score(["type": "msp", "region": "emea"], against: p)
    #expect(msp.lift == 2 && msp.chance == 0.5)  // 2/8 × 2 × 1
    // A value no partner has, or too few, does not count.
    let distributor = try PartnerProfiler.score(["type": "distributor", "first_deal": "7000"], against: p)
    #expect(distributor.parts.map(\.lift) == [nil, nil])  // first deal "6250.00 and over": only 2 partners
    #expect(distributor.lift == 1 && distributor.chance == 0.25)
    #expect(throws: ProfileError.self) { try PartnerProfiler.score(["sector": "retail"], against: p) }
    #expect(throws: ProfileError.self) { try PartnerProfiler.score(["first_deal": "lots"], against: p) }
    #expect(throws: ProfileError.self) { try PartnerProfiler.score([:], against: p) }
  }

  @Test func tooFewPartnersForAQuartile() {
    #expect(throws: ProfileError.self) {
      try PartnerProfiler.profile(
        kpi: "revenue", period: quarter("2025-Q1"), better: .higher, values: ["A": 1],
        partners: [partner("A", joined: "2024-01-01")], milestones: [:], onboardingDays: 90)
    }
  }
}

@Suite struct EnablementReportTests {
  @Test func beforeAndAfterAgainstComparablePartners() throws {
    func won(_ id: String, _ partner: String, _ day: String, _ amount: String) -> FactRecord {
      Row.deal(id, partner, created: day, stage: "won", closed: day, amount: amount)
    }
    let records = [
      Row.partner("P1", type: "reseller", region: "emea", joined: "2024-01-01"),
      Row.partner("P2", type: "reseller", region: "emea", joined: "2024-01-01"),
      Row.partner("P3", type: "reseller", region: "na", joined: "2024-01-01"),
      Row.partner("P4", type: "msp", region: "na", joined: "2024-01-01"),
      // P1 certifies in 2025-Q1: revenue 100 in 2024-Q4, 300 in 2025-Q2 (+200).
      Row.certification("C1", "P1", person: "a", program: "sales", enrolled: "2025-01-05", completed: "2025-02-10"),
      won("A1", "P1", "2024-11-01", "100"), won("A2", "P1", "2025-05-01", "300"),
      // The other resellers, not certified: +50 and 0; the MSP is not comparable (+1000).
      won("B1", "P2", "2024-11-01", "100"), won("B2", "P2", "2025-05-01", "150"),
      won("C1", "P3", "2024-11-01", "200"), won("C2", "P3", "2025-05-01", "200"),
      won("D1", "P4", "2024-11-01", "0"), won("D2", "P4", "2025-05-01", "1000"),
    ]
    let engine = try Fixture.engine(records)
    let effects = EnablementReport.effects(
      items: [
        EnablementItem(kpi: "revenue", training: "Solution selling", program: "sales"),
        EnablementItem(kpi: "nps", training: "Customer care"),
        EnablementItem(kpi: "revenue", training: "Technical deep dive", program: "technical"),
      ], engine: engine, milestones: engine.milestones(), today: Day(iso: "2025-08-01")!)
    let sales = effects[0]
    #expect(sales.partners == 1 && sales.before == 100 && sales.after == 300 && sales.change == 200)
    // The comparison: the mean of +50 and 0 over P2 and P3.
    #expect(sales.comparisonPartners == 2 && sales.comparisonChange == 25 && sales.difference == 175)
    #expect(effects[1].note?.contains("not a certifications.csv program") == true && effects[1].partners == 0)
    #expect(effects[2].note == "no partner has completed it with a whole quarter after")
    // Before the quarter after completion has ended, there is nothing to measure.
    let early = EnablementReport.effects(
      items: [EnablementItem(kpi: "revenue", training: "Solution selling", program: "sales")], engine: engine,
      milestones: engine.milestones(), today: Day(iso: "2025-06-15")!)
    #expect(early[0].partners == 0 && early[0].note != nil)
  }
}
