import ChannelKPI
import Testing

extension ProgramEvaluatorTests {
  // MARK: Scorecards and ranking

  @Test func aPartnersCompositeWeighsCappedAttainments() throws {
    let defs = ProgramDefinitions(
      targets: [
        target("win_rate", "network", .value(0.5)), target("revenue", "partner:P1", .value(4000)),
        target("revenue", "network", .value(4000)),
      ],
      scorecards: [
        ScorecardDefinition(
          id: "reseller", name: "Reseller", partnerType: "reseller",
          items: [ScorecardItem(kpi: "win_rate", weight: 3), ScorecardItem(kpi: "revenue", weight: 1)]),
        ScorecardDefinition(
          id: "network", name: "Network", partnerType: nil,
          items: [ScorecardItem(kpi: "revenue", weight: 2), ScorecardItem(kpi: "win_rate", weight: 1)]),
      ])
    let ev = try F.evaluator(defs)
    let q1 = try #require(Period("2025-Q1"))
    // P1: win 0.75 / 0.5 = 1.5 → capped 1; revenue 3000 / 4000 = 0.75 → 100 × (3 × 1 + 1 × 0.75) / 4 = 93.75.
    // P2: win (1/3) / 0.5 = 0.6667; no revenue target (the network's revenue value is not P2's) → left out
    // → 66.67.
    let results = try ev.typeScorecards(type: "reseller", period: q1)
    #expect(results.map(\.partner?.id) == ["P1", "P2"])
    #expect(close(results[0].composite, 93.75))
    #expect(close(results[1].composite, 200.0 / 3))
    #expect(results.map(\.rank) == [1, 2])
    #expect(results.map(\.peers) == [2, 2])
    #expect(results.map(\.percentile) == [100, 0])
    #expect(results[0].items.map(\.weight) == [3, 1])
    let p2Revenue = try #require(results[1].items.first { $0.kpi == "revenue" })
    #expect(p2Revenue.status == .noData)
    // The same through the single-partner view.
    let one = try ev.partnerScorecard(id: "P2", period: q1)
    #expect(one.rank == 2)
    #expect(close(one.composite, 200.0 / 3))
    // The network: revenue 3800 / 4000 = 0.95 (at risk); win rate 5/8 / 0.5 = 1.25 → capped 1.
    // 100 × (2 × 0.95 + 1 × 1) / 3 = 96.667; the network is not ranked.
    let network = try ev.networkScorecard(period: q1)
    #expect(close(network.composite, 290.0 / 3))
    #expect(network.items.map(\.status) == [.atRisk, .onTrack])
    #expect(network.rank == nil)
    // MSPs have no scorecard in these definitions.
    #expect(throws: ProgramError.self) { try ev.typeScorecards(type: "msp", period: q1) }
  }

  /// Resellers with different win rates in 2025-Q1 (target 0.5, one KPI):
  /// R1 3/4 → 1.5 → 100 · R2 1/4 → 0.5 → 50 · R3 1/2 → 1 → 100 · R4 0/1 → 0 → 0 · R5 nothing closed → no
  /// composite · R6 joined 2025-04-01 and R7 left 2024-12-31: not in the program in Q1 · M1 is an MSP.
  static func rankingRecords(dealsOf: Set<String> = ["R1", "R2", "R3", "R4", "R7", "M1"]) -> [FactRecord] {
    var rows = [
      Row.partner("R1", type: "reseller", region: "emea", joined: "2024-01-01"),
      Row.partner("R2", type: "reseller", region: "emea", joined: "2024-01-01"),
      Row.partner("R3", type: "reseller", region: "na", joined: "2024-01-01"),
      Row.partner("R4", type: "reseller", region: "na", joined: "2024-01-01"),
      Row.partner("R5", type: "reseller", region: "na", joined: "2024-01-01"),
      Row.partner("R6", type: "reseller", region: "na", joined: "2025-04-01"),
      Row.partner("R7", type: "reseller", region: "na", joined: "2023-01-01", left: "2024-12-31"),
      Row.partner("M1", type: "msp", region: "na", joined: "2024-01-01"),
    ]
    var n = 0
    func deals(_ partner: String, won: Int, lost: Int, created: String = "2025-01-02", closed: String = "2025-02-15") {
      guard dealsOf.contains(partner) else { return }
      for i in 0..<(won + lost) {
        n += 1
        rows.append(
          Row.deal(
            "D\(n)", partner, created: created, stage: i < won ? "won" : "lost", closed: closed, amount: "100"))
      }
    }
    deals("R1", won: 3, lost: 1)
    deals("R2", won: 1, lost: 3)
    deals("R3", won: 1, lost: 1)
    deals("R4", won: 0, lost: 1)
    deals("M1", won: 1, lost: 0)
    deals("R7", won: 1, lost: 0, created: "2024-06-01", closed: "2024-06-15")
    return rows
  }

  @Test func partnersAreRankedWithinTheirType() throws {
    let defs = ProgramDefinitions(
      targets: [target("win_rate", "network", .value(0.5))],
      scorecards: [
        ScorecardDefinition(
          id: "reseller", name: "Reseller", partnerType: "reseller", items: [ScorecardItem(kpi: "win_rate")])
      ])
    let ev = try F.evaluator(defs, records: Self.rankingRecords())
    let q1 = try #require(Period("2025-Q1"))
    let results = try ev.typeScorecards(type: "reseller", period: q1)
    // R6 and R7 were not in the program in Q1; M1 is not a reseller. Ranked best first, equal scores
    // sharing a rank; the partner without a composite last and unranked.
    #expect(results.map(\.partner?.id) == ["R1", "R3", "R2", "R4", "R5"])
    #expect(results.map(\.composite) == [100, 100, 50, 0, nil])
    #expect(results.map(\.rank) == [1, 1, 3, 4, nil])
    #expect(results.map(\.peers) == [4, 4, 4, 4, nil])
    // Percentile: share of the other 3 ranked peers with a lower score: R1/R3 2/3, R2 1/3, R4 0.
    let pct = results.map(\.percentile)
    #expect(close(pct[0], 200.0 / 3) && close(pct[1], 200.0 / 3))
    #expect(close(pct[2], 100.0 / 3))
    #expect(pct[3] == 0)
    #expect(pct[4] == nil)
    // One partner's view keeps its rank among the type.
    #expect(try ev.partnerScorecard(id: "R2", period: q1).rank == 3)
    // A partner that had left is shown unranked.
    let gone = try ev.partnerScorecard(id: "R7", period: q1)
    #expect(gone.rank == nil && gone.peers == nil)
    // In 2025-Q2 nobody closed anything: no composites, nobody ranked; R6 has joined by then.
    let q2 = try ev.typeScorecards(type: "reseller", period: try #require(Period("2025-Q2")))
    #expect(q2.map(\.partner?.id) == ["R1", "R2", "R3", "R4", "R5", "R6"])
    #expect(q2.allSatisfy { $0.rank == nil && $0.composite == nil })
    // A single ranked partner is at the top: rank 1, percentile 100.
    let solo = try F.evaluator(defs, records: Self.rankingRecords(dealsOf: ["R1"]))
    let s = try solo.typeScorecards(type: "reseller", period: q1)
    #expect(s.first?.partner?.id == "R1")
    #expect(s.first?.rank == 1 && s.first?.peers == 1 && s.first?.percentile == 100)
  }
}
