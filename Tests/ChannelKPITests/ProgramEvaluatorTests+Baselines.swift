import ChannelKPI
import Testing

extension ProgramEvaluatorTests {
  // MARK: Baselines

  @Test func previousPeriodsBaselineSkipsPeriodsWithoutAValue() throws {
    // P1's win rate: 2024-Q1 0.5, Q2 none, Q3 1, Q4 0.25.
    func baseline(_ method: BaselineMethod?) throws -> KPIStanding {
      var defs = ProgramDefinitions(targets: [target("win_rate", "network", .delta(0))])
      if let method { defs.baselines["win_rate"] = method }
      return try F.standing(try F.evaluator(defs), "win_rate", p1, "2025-Q1")
    }
    // Default, previous 4: (0.5 + 1 + 0.25) / 3 = 0.58333 (Q2 has no value and is skipped, not counted as 0).
    let d = try baseline(nil)
    #expect(d.baselineMethod == .previousPeriods(4))
    #expect(close(d.baseline, 1.75 / 3))
    #expect(close(try baseline(.previousPeriods(2)).baseline, 0.625))  // (0.25 + 1) / 2
    #expect(close(try baseline(.previousPeriods(3)).baseline, 0.625))  // Q4, Q3; Q2 skipped
    #expect(close(try baseline(.previousPeriods(1)).baseline, 0.25))
    // Revenue has a value (0) in 2024-Q2, which counts: (1400 + 0 + 3000 + 2000) / 4 = 1600.
    let rev = try F.standing(try F.evaluator(ProgramDefinitions()), "revenue", p1, "2025-Q1")
    #expect(close(rev.baseline, 1600))
    // No earlier value at all (P3's first closed deal is in 2025-Q1): no baseline, so no target from a rule.
    let p3Rate = try F.standing(
      try F.evaluator(ProgramDefinitions(targets: [target("win_rate", "network", .delta(0.05))])), "win_rate", p3,
      "2025-Q1")
    #expect(p3Rate.baseline == nil)
    #expect(p3Rate.target == nil)
    #expect(p3Rate.status == .noData)
    #expect(p3Rate.actual == 1)
  }

  @Test func historyStartsWhenTheDataAndThePartnerDo() throws {
    // The partners joined in 2023, but the first fact (P1's deal A1) is of 2024-01-10: the quarters
    // of 2023 are before the data begins, not quarters of no revenue.
    let ev = try F.evaluator(ProgramDefinitions())
    #expect(try F.standing(ev, "revenue", p1, "2024-Q1").baseline == nil)
    // 2024-Q2: only 2024-Q1 counts → 1400 (not 1400 / 4 = 350).
    #expect(close(try F.standing(ev, "revenue", p1, "2024-Q2").baseline, 1400))
    #expect(close(try F.standing(ev, "revenue", .network, "2024-Q2").baseline, 1400))
    // 2024-Q3: 2024-Q1 (1400) and 2024-Q2 (0, inside the data: a real zero) → 700.
    #expect(close(try F.standing(ev, "revenue", p1, "2024-Q3").baseline, 700))
    var lastYear = ProgramDefinitions()
    lastYear.baselines["revenue"] = .samePeriodLastYear
    #expect(try F.standing(try F.evaluator(lastYear), "revenue", p1, "2024-Q3").baseline == nil)

    // P4 joins on 2024-07-01 and wins 500 in 2024-08. Its baseline for 2025-Q1 reads 2024-Q3 (500)
    // and 2024-Q4 (0); 2024-Q1 and Q2 ended before it joined → 250 (not 500 / 4 = 125).
    let records =
      F.records() + [
        Row.partner("P4", type: "msp", region: "na", joined: "2024-07-01"),
        Row.deal("G1", "P4", created: "2024-07-10", stage: "won", closed: "2024-08-10", amount: "500"),
      ]
    let joined = try F.evaluator(ProgramDefinitions(), records: records)
    #expect(close(try F.standing(joined, "revenue", Scope(.partner, "P4"), "2025-Q1").baseline, 250))
    // The msp type keeps every quarter of the data: P3 and P4 together, (0 + 0 + 500 + 0) / 4.
    #expect(close(try F.standing(joined, "revenue", Scope(.type, "msp"), "2025-Q1").baseline, 125))
  }

  @Test func samePeriodLastYearBaseline() throws {
    var defs = ProgramDefinitions()
    defs.baselines["revenue"] = .samePeriodLastYear
    let ev = try F.evaluator(defs)
    // Quarter: 2024-Q1 → 1400. Months: 2024-02 → 1000, 2024-03 → 400. Year: 2024 → 6400.
    #expect(close(try F.standing(ev, "revenue", p1, "2025-Q1").baseline, 1400))
    #expect(close(try F.standing(ev, "revenue", p1, "2025-02").baseline, 1000))
    #expect(close(try F.standing(ev, "revenue", p1, "2025-03").baseline, 400))
    #expect(close(try F.standing(ev, "revenue", p1, "2025").baseline, 6400))
    #expect(close(try F.standing(ev, "revenue", .network, "2025-Q1").baseline, 1400))
    // The default for a month is the mean of the 4 months before: 2024-10…2025-01 → (0 + 2000 + 0 + 1500) / 4.
    #expect(close(try F.standing(try F.evaluator(ProgramDefinitions()), "revenue", p1, "2025-02").baseline, 875))
  }

  @Test func fixedBaseline() throws {
    var defs = ProgramDefinitions(targets: [target("revenue", "partner:P1", .growth(0.25))])
    defs.baselines["revenue"] = .fixed(1200)
    let ev = try F.evaluator(defs)
    // 1200 × 1.25 = 1500, whatever the history; 3000 / 1500 = 2 → on track.
    for period in ["2025-Q1", "2025-Q2", "2020-Q1"] {
      let s = try F.standing(ev, "revenue", p1, period)
      #expect(s.baseline == 1200)
      #expect(close(s.target, 1500))
      #expect(s.baselineMethod == .fixed(1200))
    }
    #expect(close(try F.standing(ev, "revenue", p1, "2025-Q1").attainment, 2))
  }

  @Test func growthAndDeltaRulesStartFromTheBaseline() throws {
    func standing(_ kpi: String, _ rule: TargetRule) throws -> KPIStanding {
      try F.standing(
        try F.evaluator(ProgramDefinitions(targets: [target(kpi, "partner:P1", rule)])), kpi, p1, "2025-Q1")
    }
    // Revenue baseline 1600: +10% → 1760 (3000 / 1760 = 1.7045); −50% → 800; +250 → 1850.
    let up = try standing("revenue", .growth(0.1))
    #expect(close(up.target, 1760))
    #expect(close(up.attainment, 3000.0 / 1760))
    #expect(close(try standing("revenue", .growth(-0.5)).target, 800))
    #expect(close(try standing("revenue", .delta(250)).target, 1850))
    // Win rate baseline 0.58333 + 0.05 = 0.63333; 0.75 / 0.63333 = 1.1842 → on track.
    let win = try standing("win_rate", .delta(0.05))
    #expect(close(win.target, 1.75 / 3 + 0.05))
    #expect(close(win.attainment, 0.75 / (1.75 / 3 + 0.05)))
    #expect(win.status == .onTrack)
    // Sales cycle (lower is better): baseline (20.5 + 31 + 31) / 3 = 27.5; delta −3 → 24.5 days.
    // Actual 26: 1 + (24.5 − 26) / 24.5 = 0.93878 → at risk.
    let cycle = try standing("sales_cycle_days", .delta(-3))
    #expect(cycle.better == .lower)
    #expect(close(cycle.actual, 26))
    #expect(close(cycle.baseline, 27.5))
    #expect(close(cycle.target, 24.5))
    #expect(close(cycle.attainment, 1 - 1.5 / 24.5))
    #expect(cycle.status == .atRisk)
    // A value of 30 days for the same actual: 1 + 4/30 → on track.
    #expect(try standing("sales_cycle_days", .value(30)).status == .onTrack)
  }

  @Test func aRuleNeverAsksForWhatTheKPICannotBe() throws {
    func standing(_ kpi: String, _ rule: TargetRule, _ period: String = "2025-Q1") throws -> KPIStanding {
      try F.standing(
        try F.evaluator(ProgramDefinitions(targets: [target(kpi, "partner:P1", rule)])), kpi, p1, period)
    }
    // Win rate baseline 0.58333: +0.5 would be 1.0833, a share above 100%; the target is 1, and the
    // actual 0.75 attains 0.75 of it.
    let win = try standing("win_rate", .delta(0.5))
    #expect(win.target == 1)
    #expect(close(win.attainment, 0.75))
    // +100% growth: 1.16667 → 1 as well.
    #expect(try standing("win_rate", .growth(1)).target == 1)
    // Sales cycle baseline 27.5 − 40 days would be negative: the target is 0 days.
    #expect(try standing("sales_cycle_days", .delta(-40)).target == 0)
    // Revenue −150%: below 0, so 0.
    #expect(try standing("revenue", .growth(-1.5)).target == 0)
    // Inside the bounds nothing changes: 0.58333 + 0.4 = 0.98333.
    #expect(close(try standing("win_rate", .delta(0.4)).target, 1.75 / 3 + 0.4))
    // A fixed value is taken as written (the hygiene check reports it when it is out of reach).
    #expect(try standing("win_rate", .value(1.2)).target == 1.2)
    // A KPI without bounds is not clamped: a custom KPI with the win rate's formula.
    var defs = ProgramDefinitions(targets: [target("my_rate", "partner:P1", .delta(0.5))])
    defs.catalog = Catalog(kpis: [
      KPIDefinition(
        id: "my_rate", name: "My rate", family: "custom", unit: .rate, better: .higher, stages: [],
        formula: Catalog.builtin.kpi("win_rate")!.formula)
    ])
    #expect(close(try F.standing(try F.evaluator(defs), "my_rate", p1, "2025-Q1").target, 1.75 / 3 + 0.5))
  }
}
