import ChannelKPI
import Testing

/// Six resellers (R6 sold nothing, R7 left before the quarter) and one MSP, each with one won deal
/// in 2025-Q4:
///
/// | partner | amount | days from created to closed |
/// |---|---|---|
/// | R1 | 100 | 10 |
/// | R2 | 300 | 20 |
/// | R3 | 200 | 30 |
/// | R4 | 500 | 40 |
/// | R5 | 400 | 50 |
/// | R6 | — | — |
/// | M1 (msp) | 900 | 5 |
private enum PeerFixture {
  static func evaluator(benchmarks: [ExternalBenchmark] = []) throws -> ProgramEvaluator {
    var r: [FactRecord] = []
    for (i, tier) in ["gold", "gold", "silver", nil, "gold", "silver"].enumerated() {
      r.append(
        Row.partner("R\(i + 1)", type: "reseller", region: i < 3 ? "emea" : "na", tier: tier, joined: "2024-01-01"))
    }
    r.append(Row.partner("R7", type: "reseller", region: "na", joined: "2024-01-01", left: "2025-06-01"))
    r.append(Row.partner("M1", type: "msp", region: "emea", tier: "gold", joined: "2024-01-01"))
    let deals: [(String, String, String)] = [
      ("R1", "100", "2025-10-01"), ("R2", "300", "2025-09-21"), ("R3", "200", "2025-09-11"),
      ("R4", "500", "2025-09-01"), ("R5", "400", "2025-08-22"), ("M1", "900", "2025-10-06"),
    ]
    for (k, (p, amount, created)) in deals.enumerated() {
      r.append(Row.deal("D\(k)", p, created: created, stage: "won", closed: "2025-10-11", amount: amount))
    }
    let engine = try Fixture.engine(r)
    let version = ProgramVersion(
      number: 1, effective: try #require(Day(iso: "2024-01-01")), appliedAt: "",
      definitions: ProgramDefinitions(benchmarks: benchmarks))
    return ProgramEvaluator(
      engine: engine, history: ProgramHistory(versions: [version]), variantOfVersion: [1: 0],
      today: try #require(Day(iso: "2026-01-15")))
  }

  static let q4 = Period("2025-Q4")!
}

@Suite struct PeerBenchmarkTests {
  @Test func cutPointsInterpolateLikeNumpy() {
    // numpy.percentile([0, 100, 200, 300, 400, 500], [25, 50, 75, 90]) = 125, 250, 375, 450.
    let c = QuartileCuts([300, 0, 500, 100, 400, 200])
    #expect(c == QuartileCuts(p25: 125, median: 250, p75: 375, p90: 450))
    #expect(QuartileCuts([7]) == QuartileCuts(p25: 7, median: 7, p75: 7, p90: 7))
    #expect(QuartileCuts([]) == nil)
    // Two values: h = 0.25 → 1 + 0.25 × 2.
    #expect(QuartileCuts([1, 3])?.p25 == 1.5)
  }

  @Test func percentileIsTheShareOfOtherPeersDoingWorse() throws {
    let b = PeerBenchmarks(evaluator: try PeerFixture.evaluator())
    let positions = try b.positions(kpi: "revenue", period: PeerFixture.q4)
    // R7 left before the quarter: not a peer.
    #expect(positions.map(\.partner) == ["M1", "R1", "R2", "R3", "R4", "R5", "R6"])
    let r2 = try #require(positions.first { $0.partner == "R2" })
    // Resellers' revenue: 100, 300, 200, 500, 400, 0. R2's 300 beats 100, 200 and 0 of 5 others.
    #expect(r2.value == 300 && r2.others == 5 && r2.percentile == 60)
    #expect(r2.group == "type:reseller")
    #expect(r2.cuts == QuartileCuts(p25: 125, median: 250, p75: 375, p90: 450))
    #expect(positions.first { $0.partner == "R6" }?.percentile == 0)
    #expect(positions.first { $0.partner == "R4" }?.percentile == 100)
    // The MSP has no peer.
    let m1 = try #require(positions.first { $0.partner == "M1" })
    #expect(m1.others == 0 && m1.percentile == nil && m1.cuts?.median == 900)
  }

  @Test func lowerIsBetterTurnsTheOrderAround() throws {
    let b = PeerBenchmarks(evaluator: try PeerFixture.evaluator())
    let positions = try b.positions(kpi: "sales_cycle_days", period: PeerFixture.q4)
    // Cycles 10, 20, 30, 40, 50 days; R6 has none (no value, not counted among the others).
    let r2 = try #require(positions.first { $0.partner == "R2" })
    #expect(r2.value == 20 && r2.others == 4 && r2.percentile == 75)
    #expect(positions.first { $0.partner == "R1" }?.percentile == 100)
    #expect(r2.cuts == QuartileCuts(p25: 20, median: 30, p75: 40, p90: 46))
    let r6 = try #require(positions.first { $0.partner == "R6" })
    #expect(r6.value == nil && r6.percentile == nil && r6.others == 5)
  }

  @Test func peerGroupsByTypeAndRegionOrTier() throws {
    let b = PeerBenchmarks(evaluator: try PeerFixture.evaluator())
    let byRegion = try b.positions(kpi: "revenue", period: PeerFixture.q4, peers: .typeRegion)
    // Resellers in emea: R1 100, R2 300, R3 200.
    let r2 = try #require(byRegion.first { $0.partner == "R2" })
    #expect(r2.group == "type:reseller region:emea" && r2.others == 2 && r2.percentile == 100)
    #expect(r2.cuts?.median == 200)
    let byTier = try b.positions(kpi: "revenue", period: PeerFixture.q4, peers: .tier)
    // Gold: R1 100, R2 300, R5 400, M1 900 (tier peers cross types); R4 has no tier.
    let gold = try #require(byTier.first { $0.partner == "R2" })
    #expect(gold.group == "tier:gold" && gold.others == 3 && abs((gold.percentile ?? 0) - 100.0 / 3) < 1e-9)
    let none = try #require(byTier.first { $0.partner == "R4" })
    #expect(none.group == "(no tier)" && none.percentile == nil && none.cuts == nil)
  }

  @Test func externalFiguresApplyByGroupAndGrain() throws {
    let network = ExternalBenchmark(kpi: "revenue", peers: .network, grain: .quarter, value: 250, source: "Study A")
    let resellers = ExternalBenchmark(
      kpi: "revenue", peers: Scope(.type, "reseller"), grain: nil, value: 220, source: "Study B")
    let yearly = ExternalBenchmark(kpi: "revenue", peers: .network, grain: .year, value: 1000, source: "Study C")
    let other = ExternalBenchmark(kpi: "win_rate", peers: .network, grain: nil, value: 0.3, source: "Study D")
    let b = PeerBenchmarks(evaluator: try PeerFixture.evaluator(benchmarks: [network, resellers, yearly, other]))
    let positions = try b.positions(kpi: "revenue", period: PeerFixture.q4)
    #expect(positions.first { $0.partner == "R1" }?.external == [network, resellers])
    #expect(positions.first { $0.partner == "M1" }?.external == [network])
  }

  @Test func whoSeesSomePartnersGetsFiguresOnlyWithEnoughPeersItCannotSee() throws {
    let b = PeerBenchmarks(evaluator: try PeerFixture.evaluator())
    // R1's own staff: the 5 other resellers all have a revenue and are hidden from it: enough for
    // its percentile (R1's 100 beats only R6's 0), not for cut points (those need 10), and never
    // the count.
    let own = try b.positions(kpi: "revenue", period: PeerFixture.q4, partners: ["R1"], seenBy: { $0 == "R1" })
    #expect(own.count == 1 && own.first?.percentile == 20 && own.first?.cuts == nil && own.first?.others == nil)
    #expect(own.first?.value == 100)
    // A manager of R1 and R2: only 4 resellers it cannot see, so no percentile either.
    let managed = try b.positions(
      kpi: "revenue", period: PeerFixture.q4, partners: ["R1", "R2"], seenBy: { $0 == "R1" || $0 == "R2" })
    #expect(managed.allSatisfy { $0.percentile == nil && $0.cuts == nil && $0.others == nil })
    // Without the limit nothing is hidden.
    let vendor = try b.positions(kpi: "revenue", period: PeerFixture.q4, partners: ["R1"])
    #expect(vendor.first?.percentile == 20 && vendor.first?.cuts != nil && vendor.first?.others == 5)
    // Ten hidden peers show the cut points.
    let p = PeerPosition(
      partner: "X", kpi: "revenue", period: "2025-Q4", group: "type:reseller", value: 1, percentile: 50, others: 12,
      cuts: QuartileCuts([1, 2, 3]), external: [])
    #expect(p.anonymized(hiddenOthers: 10).cuts != nil && p.anonymized(hiddenOthers: 9).cuts == nil)
    #expect(p.anonymized(hiddenOthers: 5).percentile == 50 && p.anonymized(hiddenOthers: 4).percentile == nil)
  }

  @Test func unknownKPIOrPartnerIsAnError() throws {
    let b = PeerBenchmarks(evaluator: try PeerFixture.evaluator())
    let typo = #expect(throws: ProgramError.self) { try b.positions(kpi: "revenu", period: PeerFixture.q4) }
    #expect(typo?.message == "unknown KPI 'revenu'; did you mean 'revenue'?")
    let unknown = #expect(throws: ProgramError.self) {
      try b.positions(kpi: "revenue", period: PeerFixture.q4, partners: ["ZZ"])
    }
    #expect(unknown?.message == "no partner 'ZZ'")
    let gone = #expect(throws: ProgramError.self) {
      try b.positions(kpi: "revenue", period: PeerFixture.q4, partners: ["R7"])
    }
    #expect(gone?.message == "partner 'R7' is not in the program during 2025-Q4")
  }
}
