import ChannelKPI
import Testing

@Suite struct ProgramEvaluatorTests {
  typealias F = EvaluatorFixture

  // MARK: Target resolution

  /// Win-rate targets (a rate: values apply to narrower scopes) at every level for P1.
  static let levels: [TargetDefinition] = [
    target("win_rate", "partner:P1", .value(0.9)), target("win_rate", "tier:gold", .value(0.8)),
    target("win_rate", "type:reseller", .value(0.7)), target("win_rate", "region:emea", .value(0.6)),
    target("win_rate", "network", .value(0.5)),
  ]

  @Test(arguments: [false, true]) func theMostSpecificScopeWinsForAPartner(reversed: Bool) throws {
    // Removing the winning level each time hands the target to the next one:
    // partner 0.9, then tier 0.8, then type 0.7, then region 0.6, then network 0.5, then none.
    let expected: [(Double?, String?)] = [
      (0.9, "partner:P1"), (0.8, "tier:gold"), (0.7, "type:reseller"), (0.6, "region:emea"), (0.5, "network"),
      (nil, nil),
    ]
    var targets = reversed ? Self.levels.reversed() : Self.levels
    for (value, scope) in expected {
      let s = try F.standing(try F.evaluator(ProgramDefinitions(targets: targets)), "win_rate", p1, "2025-Q1")
      #expect(s.target == value, "with \(targets.map(\.scope.description))")
      #expect(s.targetSource?.scope.description == scope)
      targets.removeAll { $0.scope.description == scope }
    }
  }

  @Test func theWinningTargetDecidesAttainmentAndStatus() throws {
    // P1's 2025-Q1 win rate is 0.75.
    // Against the partner's 0.9: 1 + (0.75 − 0.9) / 0.9 = 0.8333 → off track.
    // Against the tier's 0.8: 1 + (0.75 − 0.8) / 0.8 = 0.9375 → at risk.
    // Against the type's 0.7: 0.75 / 0.7 = 1.0714 → on track.
    var targets = Self.levels
    for (attainment, status) in [(0.75 / 0.9, TargetStatus.offTrack), (0.75 / 0.8, .atRisk), (0.75 / 0.7, .onTrack)] {
      let s = try F.standing(try F.evaluator(ProgramDefinitions(targets: targets)), "win_rate", p1, "2025-Q1")
      #expect(close(s.actual, 0.75))
      #expect(close(s.attainment, attainment))
      #expect(s.status == status)
      targets.removeFirst()
    }
  }

  @Test func removingALevelBelowTheWinnerChangesNothing() throws {
    for dropped in ["tier:gold", "type:reseller", "region:emea", "network"] {
      let defs = ProgramDefinitions(targets: Self.levels.filter { $0.scope.description != dropped })
      #expect(try F.standing(try F.evaluator(defs), "win_rate", p1, "2025-Q1").target == 0.9)
    }
  }

  @Test func eachPartnerMatchesItsOwnTierTypeAndRegion() throws {
    let others = Self.levels.filter { $0.scope != p1 }
    // P2 (reseller, na, no tier): gold and emea are not its own → the type's 0.7.
    let ev = try F.evaluator(ProgramDefinitions(targets: others))
    #expect(try F.standing(ev, "win_rate", p2, "2025-Q1").target == 0.7)
    // P3 (msp, emea, gold): the tier's 0.8.
    #expect(try F.standing(ev, "win_rate", p3, "2025-Q1").target == 0.8)
    // Without the type target, P2 falls to the network (emea is not its region); without the tier, P3
    // gets its region's 0.6 (the reseller target is not its type).
    let noType = try F.evaluator(ProgramDefinitions(targets: others.filter { $0.scope.kind != .type }))
    #expect(try F.standing(noType, "win_rate", p2, "2025-Q1").target == 0.5)
    let noTier = try F.evaluator(ProgramDefinitions(targets: others.filter { $0.scope.kind != .tier }))
    #expect(try F.standing(noTier, "win_rate", p3, "2025-Q1").target == 0.6)
  }

  @Test func groupScopesFallBackToTheNetworkOnly() throws {
    let all = try F.evaluator(ProgramDefinitions(targets: Self.levels))
    // A type has its own target or the network's; partner, tier and region targets say nothing about it.
    #expect(try F.standing(all, "win_rate", Scope(.type, "reseller"), "2025-Q1").target == 0.7)
    #expect(try F.standing(all, "win_rate", Scope(.type, "msp"), "2025-Q1").target == 0.5)
    #expect(try F.standing(all, "win_rate", Scope(.region, "emea"), "2025-Q1").target == 0.6)
    #expect(try F.standing(all, "win_rate", Scope(.region, "na"), "2025-Q1").target == 0.5)
    #expect(try F.standing(all, "win_rate", Scope(.tier, "gold"), "2025-Q1").target == 0.8)
    #expect(try F.standing(all, "win_rate", .network, "2025-Q1").target == 0.5)
    // Without a type target, the reseller type gets the network's 0.5 (not the tier's or region's).
    let noType = try F.evaluator(ProgramDefinitions(targets: Self.levels.filter { $0.scope.kind != .type }))
    let reseller = try F.standing(noType, "win_rate", Scope(.type, "reseller"), "2025-Q1")
    #expect(reseller.target == 0.5)
    #expect(reseller.targetSource?.scope == .network)
    // Without a network target either, it has none.
    let none = try F.evaluator(
      ProgramDefinitions(targets: Self.levels.filter { $0.scope.kind != .type && $0.scope.kind != .network }))
    let s = try F.standing(none, "win_rate", Scope(.type, "reseller"), "2025-Q1")
    #expect(s.target == nil)
    #expect(s.status == .noData)
    // Reseller win rate 2025-Q1: (3 + 1) / (4 + 3) = 4/7, still computed.
    #expect(close(s.actual, 4.0 / 7))
  }

  @Test func aFlowValueAtTheNetworkDoesNotApplyToAPartner() throws {
    // A network revenue of 10,000 says nothing about P1's revenue.
    let value = try F.evaluator(ProgramDefinitions(targets: [target("revenue", "network", .value(10_000))]))
    let partner = try F.standing(value, "revenue", p1, "2025-Q1")
    #expect(partner.target == nil)
    #expect(partner.targetSource == nil)
    #expect(partner.status == .noData)
    // The network itself: 3800 / 10000 = 0.38 → off track.
    let network = try F.standing(value, "revenue", .network, "2025-Q1")
    #expect(network.target == 10_000)
    #expect(close(network.attainment, 0.38))
    #expect(network.status == .offTrack)
    // Nor does a type's revenue value apply to the partners of the type; it holds for the type (3000 + 600).
    let typeValue = try F.evaluator(ProgramDefinitions(targets: [target("revenue", "type:reseller", .value(5000))]))
    #expect(try F.standing(typeValue, "revenue", p1, "2025-Q1").target == nil)
    let reseller = try F.standing(typeValue, "revenue", Scope(.type, "reseller"), "2025-Q1")
    #expect(reseller.target == 5000)
    #expect(close(reseller.attainment, 3600.0 / 5000))
    // A value for the partner itself applies.
    let own = try F.evaluator(ProgramDefinitions(targets: [target("revenue", "partner:P1", .value(2000))]))
    #expect(try F.standing(own, "revenue", p1, "2025-Q1").target == 2000)
  }

  @Test func aGrowthRuleOrARateValueAtTheNetworkDoesApplyToAPartner() throws {
    // Growth 10% on P1's own baseline: mean of 2024-Q1…Q4 revenue (1400 + 0 + 3000 + 2000) / 4 = 1600 → 1760.
    let growth = try F.evaluator(ProgramDefinitions(targets: [target("revenue", "network", .growth(0.1))]))
    let s = try F.standing(growth, "revenue", p1, "2025-Q1")
    #expect(close(s.baseline, 1600))
    #expect(close(s.target, 1760))
    #expect(s.targetSource?.scope == .network)
    // The network's own: (1400 + 0 + 3000 + 2300) / 4 = 1675 → 1842.5.
    #expect(close(try F.standing(growth, "revenue", .network, "2025-Q1").target, 1842.5))
    // A delta applies too: 1600 + 100.
    let delta = try F.evaluator(ProgramDefinitions(targets: [target("revenue", "network", .delta(100))]))
    #expect(close(try F.standing(delta, "revenue", p1, "2025-Q1").target, 1700))
    // A rate's value applies as it is.
    let rate = try F.evaluator(ProgramDefinitions(targets: [target("win_rate", "network", .value(0.5))]))
    #expect(try F.standing(rate, "win_rate", p1, "2025-Q1").target == 0.5)
    // A type's revenue value is passed over for P1, and the network's growth rule applies instead.
    let mixed = try F.evaluator(
      ProgramDefinitions(targets: [
        target("revenue", "network", .growth(0.1)), target("revenue", "type:reseller", .value(5000)),
      ]))
    let m = try F.standing(mixed, "revenue", p1, "2025-Q1")
    #expect(close(m.target, 1760))
    #expect(m.targetSource?.scope == .network)
  }

  @Test func grainAndRangeRestrictTargets() throws {
    // A quarterly target does not apply to a month, and a monthly one not to a quarter.
    let quarterly = try F.evaluator(
      ProgramDefinitions(targets: [target("revenue", "partner:P1", .value(2000), grain: .quarter)]))
    #expect(try F.standing(quarterly, "revenue", p1, "2025-Q1").target == 2000)
    #expect(try F.standing(quarterly, "revenue", p1, "2025-02").target == nil)
    let monthly = try F.evaluator(
      ProgramDefinitions(targets: [target("revenue", "partner:P1", .value(700), grain: .month)]))
    let feb = try F.standing(monthly, "revenue", p1, "2025-02")
    #expect(feb.target == 700)
    #expect(close(feb.attainment, 1000.0 / 700))  // P1 won 1000 in February 2025
    #expect(try F.standing(monthly, "revenue", p1, "2025-Q1").target == nil)
    // From 2025-Q2 to 2025-Q3 the partner's 0.9 holds; outside, the network's 0.5.
    let ranged = try F.evaluator(
      ProgramDefinitions(targets: [
        target("win_rate", "partner:P1", .value(0.9), from: "2025-Q2", to: "2025-Q3"),
        target("win_rate", "network", .value(0.5)),
      ]))
    for (period, value) in [
      ("2025-Q1", 0.5), ("2025-Q2", 0.9), ("2025-Q3", 0.9), ("2025-Q4", 0.5), ("2025-03", 0.5), ("2025-04", 0.9),
      ("2025-09", 0.9), ("2025-10", 0.5),
    ] {
      #expect(try F.standing(ranged, "win_rate", p1, period).target == value, "\(period)")
    }
  }

  @Test func targetDefinitionsCoverTheirGrainAndRange() throws {
    let q = try #require(Period("2025-Q2"))
    let t = target("revenue", "network", .value(1), grain: .quarter, from: "2025-Q2", to: "2025-Q3")
    #expect(t.applies(to: q))
    #expect(t.applies(to: try #require(Period("2025-Q3"))))
    #expect(!t.applies(to: try #require(Period("2025-Q1"))))
    #expect(!t.applies(to: try #require(Period("2025-Q4"))))
    #expect(!t.applies(to: try #require(Period("2025-05"))))  // a month: wrong grain
    let open = target("revenue", "network", .value(1))
    #expect(open.applies(to: try #require(Period("1999-07"))))
    #expect(open.applies(to: try #require(Period("2031"))))
  }
}
