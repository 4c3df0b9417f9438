import ChannelKPI
import Testing

/// Partners with won deals month by month, July to December 2025 (each closed on the 10th);
/// evaluated on 2026-01-15, so December is the last month that has ended.
private enum AlertFixture {
  /// A: 100 a month, then 60 in November and 50 in December. B: 100 every month. C (an MSP):
  /// 100 from July to October, nothing after. D: 100 a month, then 400 in December.
  static let revenue: [String: [Int?]] = [
    "A": [100, 100, 100, 100, 60, 50], "B": [100, 100, 100, 100, 100, 100], "C": [100, 100, 100, 100, nil, nil],
    "D": [100, 100, 100, 100, 100, 400],
  ]

  static func evaluator(rules: [AlertRule], targets: [TargetDefinition] = []) throws -> AlertEvaluator {
    var r: [FactRecord] = []
    for id in revenue.keys.sorted() {
      r.append(Row.partner(id, type: id == "C" ? "msp" : "reseller", region: "emea", joined: "2024-01-01"))
      for (i, amount) in (revenue[id] ?? []).enumerated() {
        guard let amount else { continue }
        let day = "2025-\(String(format: "%02d", 7 + i))-10"
        r.append(Row.deal("\(id)\(i)", id, created: day, stage: "won", closed: day, amount: "\(amount)"))
      }
    }
    let engine = try Fixture.engine(r)
    let version = ProgramVersion(
      number: 1, effective: try #require(Day(iso: "2024-01-01")), appliedAt: "",
      definitions: ProgramDefinitions(targets: targets, alerts: rules))
    let evaluator = ProgramEvaluator(
      engine: engine, history: ProgramHistory(versions: [version]), variantOfVersion: [1: 0],
      today: try #require(Day(iso: "2026-01-15")))
    return AlertEvaluator(evaluator: evaluator, partners: engine.partners())
  }

  static func rule(
    _ condition: AlertCondition, for n: Int = 1, resolveAfter: Int = 2,
    selector: AlertSelector = .each(.partner, AlertFilter())
  ) -> AlertRule {
    AlertRule(
      id: "r", name: "Rule", kpi: "revenue", selector: selector, grain: .month, condition: condition, forPeriods: n,
      resolveAfter: resolveAfter)
  }

  /// Each partner's state and the month it began.
  static func states(_ rule: AlertRule, targets: [TargetDefinition] = []) throws -> [String: (AlertState, String)] {
    var out: [String: (AlertState, String)] = [:]
    for e in try evaluator(rules: [rule], targets: targets).evaluate([rule]) {
      out[e.scope.value ?? "network"] = (e.state, e.since.description)
    }
    return out
  }
}

@Suite struct AlertStateMachineTests {
  @Test func pendingThenFiringThenResolvedWithForAndResolveAfter() {
    func run(_ s: String, _ n: Int, _ r: Int) -> (AlertState, Int) {
      AlertStateMachine.run(s.map { $0 == "x" }, forPeriods: n, resolveAfter: r)
    }
    // for 2: one period holding is pending, the second fires.
    #expect(run("..x", 2, 1) == (.pending, 2))
    #expect(run("..xx", 2, 1) == (.firing, 3))
    // A pending condition that stops holding goes back to ok.
    #expect(run(".x.", 2, 1) == (.ok, 2))
    // resolve_after 2: one period without keeps it firing; the second resolves it.
    #expect(run("xx.", 1, 2) == (.firing, 0))
    #expect(run("xx..", 1, 2) == (.resolved, 3))
    #expect(run("xx.x.", 1, 2) == (.firing, 0))
    // Resolved stays until the condition holds again.
    #expect(run("x.....", 1, 1) == (.resolved, 1))
    #expect(run("x.x", 1, 1) == (.firing, 2))
    #expect(run("", 1, 1) == (.ok, 0))
  }

  @Test func aFiringAlertThatNoLongerHoldsIsResolvedEvenWhenThePastChanged() {
    #expect(AlertState.firing.next(.ok) == .resolved)
    #expect(AlertState.resolved.next(.ok) == .resolved)
    #expect(AlertState.resolved.next(.pending) == .pending)
    #expect(AlertState.pending.next(.ok) == .ok)
    #expect(AlertState.ok.next(.firing) == .firing)
    // Never told as firing: no resolution to tell either.
    #expect(AlertState.ok.next(.resolved) == .ok && AlertState.pending.next(.resolved) == .ok)
    #expect(AlertState.firing.next(.pending) == .resolved)
  }
}

@Suite struct AlertEvaluatorTests {
  @Test func dropAgainstThePreviousPeriodByAShareOrAnAmount() throws {
    // A: November 60 against October's 100 is 40% down (limit 80 at 20%); December 50 against
    // 60 is 17% down (limit 48): it stops holding, and with resolve_after 2 one month keeps it firing.
    let share = try AlertFixture.states(AlertFixture.rule(.dropShare(.previousPeriod, 0.2)))
    #expect(share["A"]! == (.firing, "2025-11"))
    #expect(share["B"]?.0 == .ok && share["D"]?.0 == .ok)
    // C sold nothing in November: 0 against 100 is a drop too.
    #expect(share["C"]! == (.firing, "2025-11"))
    // With resolve_after 1 the December month resolves it.
    let quick = try AlertFixture.states(AlertFixture.rule(.dropShare(.previousPeriod, 0.2), resolveAfter: 1))
    #expect(quick["A"]! == (.resolved, "2025-12"))
    // By more than 30: November (60 < 70) but not December (50 ≥ 30).
    let amount = try AlertFixture.states(AlertFixture.rule(.dropAmount(.previousPeriod, 30), resolveAfter: 1))
    #expect(amount["A"]! == (.resolved, "2025-12"))
    let stricter = try AlertFixture.states(AlertFixture.rule(.dropAmount(.previousPeriod, 45)))
    #expect(stricter["A"]?.0 == .ok)
  }

  @Test func forCountsPeriodsTheConditionHeld() throws {
    // 10% down: November (60 < 90) and December (50 < 54) both hold.
    let two = try AlertFixture.states(AlertFixture.rule(.dropShare(.previousPeriod, 0.1), for: 2))
    #expect(two["A"]! == (.firing, "2025-12"))
    let three = try AlertFixture.states(AlertFixture.rule(.dropShare(.previousPeriod, 0.1), for: 3))
    #expect(three["A"]! == (.pending, "2025-11"))
  }

  @Test func belowBaselineAndAttainment() throws {
    // The baseline is the mean of the 4 months before: November's (July–October, 100) gives a
    // limit of 70 at 30%; December's (August–November, 90) a limit of 63. Both months hold.
    let baseline = try AlertFixture.states(AlertFixture.rule(.belowBaseline(share: 0.3)))
    #expect(baseline["A"]! == (.firing, "2025-11"))
    #expect(baseline["B"]?.0 == .ok)
    // A target of 100 a month for A: December's 50 is 50% of it, below 80%; November's 60% too.
    // B has no target: no verdict, so ok.
    let target = TargetDefinition(kpi: "revenue", scope: Scope(.partner, "A"), grain: .month, rule: .value(100))
    let attainment = try AlertFixture.states(AlertFixture.rule(.attainmentBelow(0.8)), targets: [target])
    #expect(attainment["A"]! == (.firing, "2025-11"))
    #expect(attainment["B"]?.0 == .ok)
    let low = try AlertFixture.states(AlertFixture.rule(.attainmentBelow(0.55)), targets: [target])
    #expect(low["A"]! == (.firing, "2025-12"))
  }

  @Test func noDataForSomePeriods() throws {
    // C has nothing in November and December: two months without data hold in December only.
    let two = try AlertFixture.states(AlertFixture.rule(.noData(periods: 2)))
    #expect(two["C"]! == (.firing, "2025-12"))
    #expect(two["A"]?.0 == .ok)
    let three = try AlertFixture.states(AlertFixture.rule(.noData(periods: 3)))
    #expect(three["C"]?.0 == .ok)
  }

  @Test func outsideTheForecastInterval() throws {
    // B and D sold 100 in each of July to November, a constant series whose forecast is 100 with
    // no spread: B's December 100 is inside, D's 400 outside.
    let e = try AlertFixture.evaluator(rules: [])
    let rule = AlertFixture.rule(.outsideForecast, resolveAfter: 1)
    let states = Dictionary(
      uniqueKeysWithValues: try e.evaluate([rule]).map { ($0.scope.value ?? "", $0) })
    #expect(states["D"]?.state == .firing && states["D"]?.since == Period("2025-12"))
    #expect(states["D"]?.value == 400 && states["D"]?.threshold == 100)
    #expect(states["B"]?.state == .ok)
  }

  @Test func onlyTouchedScopesAreEvaluated() throws {
    let rule = AlertFixture.rule(.dropShare(.previousPeriod, 0.2))
    let e = try AlertFixture.evaluator(rules: [rule])
    #expect(try e.evaluate([rule]).map(\.scope.value) == ["A", "B", "C", "D"])
    #expect(try e.evaluate([rule], touched: [Scope(.partner, "B")]).map(\.scope.value) == ["B"])
    #expect(try e.evaluate([rule], touched: [Scope(.type, "msp")]).isEmpty)
    // A rule on types: only the types touched.
    let byType = AlertFixture.rule(.dropShare(.previousPeriod, 0.2), selector: .each(.type, AlertFilter()))
    let types = try e.evaluate([byType], touched: [Scope(.type, "msp"), Scope(.partner, "A")])
    #expect(types.map(\.scope) == [Scope(.type, "msp")] && types[0].state == .firing)
    // Filters narrow each partner.
    let msp = AlertFixture.rule(
      .dropShare(.previousPeriod, 0.2), selector: .each(.partner, AlertFilter(types: ["msp"])))
    #expect(try e.evaluate([msp]).map(\.scope.value) == ["C"])
    #expect(
      try e.evaluate([msp], touched: [Scope(.partner, "A"), Scope(.partner, "C"), Scope(.partner, "NOPE")]).map(
        \.scope.value) == ["C"])
  }

  @Test func touchedScopesGiveWhatEveryScopeGivesForThem() throws {
    // Every subset of a few scopes (one unknown): the evaluations of the touched scopes are those
    // of an evaluation of every scope, narrowed to them.
    let rules = [
      AlertFixture.rule(.dropShare(.previousPeriod, 0.2)),
      AlertFixture.rule(.dropShare(.previousPeriod, 0.2), selector: .each(.partner, AlertFilter(types: ["msp"]))),
      AlertFixture.rule(.dropShare(.previousPeriod, 0.2), selector: .each(.type, AlertFilter())),
    ]
    let e = try AlertFixture.evaluator(rules: rules)
    let all = try e.evaluate(rules)
    let candidates = ["A", "B", "C", "D", "NOPE"].map { Scope(.partner, $0) } + [Scope(.type, "msp")]
    for mask in 0..<(1 << candidates.count) {
      let touched = Set(candidates.indices.filter { mask & (1 << $0) != 0 }.map { candidates[$0] })
      let some = try e.evaluate(rules, touched: touched)
      #expect(some == all.filter { touched.contains($0.scope) }, "touched: \(touched)")
    }
  }
}
