import ChannelKPI
import Testing

extension ProgramEvaluatorTests {
  // MARK: Versions

  /// v1 (effective 2024-01-01): built-in revenue, network target 3000.
  /// v2 (effective 2025-04-01): revenue redefined as sourced deals only, network target 1000.
  static func versioned() throws -> ProgramEvaluator {
    let card = ScorecardDefinition(
      id: "network", name: "Network", partnerType: nil, items: [ScorecardItem(kpi: "revenue")])
    let v1 = ProgramDefinitions(targets: [target("revenue", "network", .value(3000))], scorecards: [card])
    let redefined = KPIDefinition(
      id: "revenue", name: "Sourced revenue (v2)", family: "partner_performance", unit: .money, better: .higher,
      stages: [.sell], formula: "sum(deals.amount where stage = 'won' and closed_on in period and source = 'sourced')")
    let v2 = ProgramDefinitions(
      catalog: Catalog(kpis: [redefined]), targets: [target("revenue", "network", .value(1000))], scorecards: [card])
    // Given newest first: the history orders them.
    return try F.evaluator(
      F.records(), [F.version(2, effective: "2025-04-01", v2), F.version(1, effective: "2024-01-01", v1)])
  }

  @Test func aPastPeriodKeepsItsTargetAndKPIDefinition() throws {
    let ev = try Self.versioned()
    // 2025-Q1 ends 2025-03-31, before v2: v1's target 3000 and v1's revenue (all won deals, 3800).
    let q1 = try F.standing(ev, "revenue", .network, "2025-Q1")
    #expect(q1.version == 1)
    #expect(q1.target == 3000)
    #expect(q1.actual == 3800)
    #expect(q1.name == "Partner revenue")
    #expect(close(q1.attainment, 3800.0 / 3000))
    // P1 in 2025-Q1 with v1's formula: 1500 + 1000 (co-sell) + 500 = 3000 (v2's would be 2000).
    #expect(try F.standing(ev, "revenue", p1, "2025-Q1").actual == 3000)
    // 2025-Q2 with v2: sourced deals only — P1's 800, not P2's influenced 400 → 800 against 1000 → 0.8.
    let q2 = try F.standing(ev, "revenue", .network, "2025-Q2")
    #expect(q2.version == 2)
    #expect(q2.target == 1000)
    #expect(q2.actual == 800)
    #expect(q2.name == "Sourced revenue (v2)")
    #expect(q2.status == .offTrack)
    #expect(try F.standing(ev, "revenue", p2, "2025-Q2").actual == 0)
    // v2's baseline for 2025-Q2 reads the history with v2's formula: sourced revenue 2024-Q3 3000,
    // Q4 2000 + 300, 2025-Q1 1500 + 500 + 600 + 200 = 2800, 2024-Q2 0 → (0 + 3000 + 2300 + 2800) / 4 = 2025.
    #expect(close(q2.baseline, 2025))
    // Months: March 2025 is v1's, April v2's; the year 2025 ends after v2 took effect.
    #expect(try F.standing(ev, "revenue", .network, "2025-03").version == 1)
    #expect(try F.standing(ev, "revenue", .network, "2025-03").target == 3000)
    #expect(try F.standing(ev, "revenue", .network, "2025-04").version == 2)
    #expect(try F.standing(ev, "revenue", .network, "2025").version == 2)
    // Scorecards say which version produced them, and so does every standing on them.
    let card1 = try ev.networkScorecard(period: try #require(Period("2025-Q1")))
    #expect(card1.version?.number == 1)
    #expect(card1.items.allSatisfy { $0.version == 1 })
    let card2 = try ev.networkScorecard(period: try #require(Period("2025-Q2")))
    #expect(card2.version?.number == 2)
    #expect(card2.items.allSatisfy { $0.version == 2 })
  }

  @Test func standingsOfSeveralPeriodsAreThoseOfEachAlone() throws {
    let ev = try Self.versioned()
    // Quarters and months on both sides of v2 (2025-04-01), in no particular order.
    let periods = try ["2025-Q2", "2024-Q3", "2025-Q1", "2025-03", "2025-04", "2024-Q4", "2025-02"].map {
      try #require(Period($0))
    }
    for scopes in [[Scope.network], [p1, p2]] {
      let together = try ev.standings(kpis: ["revenue"], scopes: scopes, periods: periods)
      #expect(Set(together.keys) == Set(periods))
      for p in periods {
        #expect(together[p] == (try ev.standings(kpis: ["revenue"], scopes: scopes, period: p)), "\(p)")
      }
    }
    // The values worked out by hand above: v1's 3,800 in 2025-Q1, v2's 800 in 2025-Q2.
    let network = try ev.standings(kpis: ["revenue"], scopes: [.network], periods: periods)
    #expect(network[try #require(Period("2025-Q1"))]?[.network]?.first?.actual == 3800)
    #expect(network[try #require(Period("2025-Q2"))]?[.network]?.first?.actual == 800)
    #expect(close(network[try #require(Period("2025-Q2"))]?[.network]?.first?.baseline, 2025))
  }

  @Test func aNewVersionDoesNotChangeAnEarlierPeriod() throws {
    let onlyV1 = try F.evaluator(
      F.records(),
      [
        F.version(
          1, effective: "2024-01-01", ProgramDefinitions(targets: [target("revenue", "network", .value(3000))]))
      ])
    let both = try Self.versioned()
    for period in ["2024-Q3", "2024-Q4", "2025-Q1", "2025-02"] {
      let a = try F.standing(onlyV1, "revenue", .network, period)
      let b = try F.standing(both, "revenue", .network, period)
      #expect(a.actual == b.actual && a.target == b.target && a.baseline == b.baseline, "\(period)")
      #expect(b.version == 1)
    }
  }

  @Test func periodsBeforeTheFirstVersionUseTheFirst() throws {
    let ev = try Self.versioned()
    let old = try F.standing(ev, "revenue", .network, "2023-Q4")
    #expect(old.version == 1)
    #expect(old.target == 3000)
    #expect(old.actual == 0)
    let history = ev.history
    #expect(history.version(for: try #require(Period("2019"))).map(\.number) == 1)
    #expect(history.latest?.number == 2)
    #expect(history.versions.map(\.number) == [1, 2])
    // A quarter is under the version in force on its last day.
    #expect(history.version(for: try #require(Period("2025-Q1")))?.number == 1)
    #expect(history.version(for: try #require(Period("2025-Q2")))?.number == 2)
    // No versions at all: nothing in force, and the evaluator says how to fix it.
    let none = try F.evaluator(F.records(), [])
    #expect(none.definitions(for: try #require(Period("2025-Q1"))).0 == nil)
    #expect(throws: ProgramError.self) { try none.networkScorecard(period: try #require(Period("2025-Q1"))) }
  }
}
