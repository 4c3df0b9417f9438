import ChannelKPI
import Foundation
import Testing

/// Four partners whose deals close in 2025-Q3 and 2025-Q4 (each created in the month it closes):
///
/// | partner | type, region | Q3 won (amounts) / lost | Q4 won (amounts) / lost |
/// |---|---|---|---|
/// | A | reseller, emea | 2 (100, 200) / 2 | 1 (400) / 1 |
/// | B | reseller, na | 1 (50) / 1 | 3 (10, 20, 30) / 1 |
/// | C | msp, emea | — | 1 (500) / 1 (appears) |
/// | D | msp, na | 1 (70) / 0 | — (vanishes) |
private enum ChangeFixture {
  static func records() -> [FactRecord] {
    var r = [
      Row.partner("A", type: "reseller", region: "emea", tier: "gold", joined: "2024-01-01"),
      Row.partner("B", type: "reseller", region: "na", joined: "2024-01-01"),
      Row.partner("C", type: "msp", region: "emea", joined: "2024-01-01"),
      Row.partner("D", type: "msp", region: "na", joined: "2024-01-01"),
    ]
    var n = 0
    func deal(_ p: String, _ stage: String, _ day: String, _ amount: String, source: String = "sourced") {
      n += 1
      r.append(Row.deal("X\(n)", p, source: source, created: day, stage: stage, closed: day, amount: amount))
    }
    deal("A", "won", "2025-07-10", "100")
    deal("A", "won", "2025-08-10", "200", source: "co_sell")
    deal("A", "lost", "2025-08-11", "5")
    deal("A", "lost", "2025-09-11", "5")
    deal("B", "won", "2025-07-20", "50")
    deal("B", "lost", "2025-07-21", "5")
    deal("D", "won", "2025-09-01", "70", source: "co_sell")
    deal("A", "won", "2025-10-10", "400")
    deal("A", "lost", "2025-11-10", "5")
    deal("B", "won", "2025-10-20", "10")
    deal("B", "won", "2025-11-20", "20", source: "co_sell")
    deal("B", "won", "2025-12-20", "30")
    deal("B", "lost", "2025-12-21", "5")
    deal("C", "won", "2025-11-01", "500", source: "co_sell")
    deal("C", "lost", "2025-11-02", "5")
    return r
  }

  static func engine(_ catalog: Catalog = .builtin) throws -> KPIEngine {
    let e = KPIEngine(
      catalog: try CatalogCompiler.compile(catalog), extraColumns: SegmentDimension.engineColumns)
    e.load(records())
    e.finishLoading()
    return e
  }

  static func explain(
    _ engine: KPIEngine, _ kpi: String, scope: Scope = .network, dimensions: [SegmentDimension]? = nil
  ) throws -> ChangeExplanation {
    try ChangeExplainer(engine: engine).explain(
      kpi: kpi, scope: scope, period: try #require(Period("2025-Q4")), dimensions: dimensions)
  }
}

extension ChangeExplanation {
  func segment(_ dimension: String, _ segment: String) -> SegmentChange? {
    segments.first { $0.dimension == dimension && $0.segment == segment }
  }
}

@Suite struct ChangeExplainerTests {
  @Test func sumSegmentsContributeTheirOwnChange() throws {
    // Revenue: Q3 300 + 50 + 70 = 420, Q4 400 + 60 + 500 = 960.
    let r = try ChangeFixture.explain(try ChangeFixture.engine(), "revenue")
    #expect(r.method == "sum")
    #expect(close(r.before, 420) && close(r.after, 960) && close(r.change, 540))
    let expected: [(String, Double)] = [("A", 100), ("B", 10), ("C", 500), ("D", -70)]
    for (p, c) in expected { #expect(close(r.segment("partner", p)?.contribution, c), "partner \(p)") }
    #expect(close(r.segment("type", "reseller")?.contribution, 110))
    #expect(close(r.segment("type", "msp")?.contribution, 430))
    // Sources: Q3 sourced 150, co_sell 270; Q4 sourced 440, co_sell 520.
    #expect(close(r.segment("deals.source", "sourced")?.contribution, 290))
    #expect(close(r.segment("deals.source", "co_sell")?.contribution, 250))
    #expect(r.segment("partner", "A")?.rateEffect == nil)
  }

  @Test func ratioSplitsIntoRateAndMixWithSegmentsAppearingAndVanishing() throws {
    // Win rate: Q3 4 won of 7 closed, Q4 5 of 8. Segment i contributes Nᵢ′/8 − Nᵢ/7.
    let r = try ChangeFixture.explain(try ChangeFixture.engine(), "win_rate")
    #expect(r.method == "ratio")
    #expect(close(r.before, 4.0 / 7) && close(r.after, 5.0 / 8))
    let a = try #require(r.segment("partner", "A"))
    #expect(close(a.contribution, 1.0 / 8 - 2.0 / 7))
    #expect(close(a.rateEffect, 0) && close(a.mixEffect, 1.0 / 8 - 2.0 / 7))
    let b = try #require(r.segment("partner", "B"))
    #expect(close(b.contribution, 3.0 / 8 - 1.0 / 7))
    // w̄ = (2/7 + 4/8) / 2, rate 1/2 → 3/4.
    #expect(close(b.rateEffect, (2.0 / 7 + 0.5) / 2 * 0.25))
    #expect(close(b.mixEffect, (3.0 / 8 - 1.0 / 7) - (2.0 / 7 + 0.5) / 2 * 0.25))
    // C appears: no rate before, so its rate is taken from Q4 and the whole change is mix.
    let c = try #require(r.segment("partner", "C"))
    #expect(c.before == nil && close(c.after, 0.5))
    #expect(close(c.contribution, 1.0 / 8) && close(c.rateEffect, 0) && close(c.mixEffect, 1.0 / 8))
    // D vanishes.
    let d = try #require(r.segment("partner", "D"))
    #expect(close(d.before, 1) && d.after == nil)
    #expect(close(d.contribution, -1.0 / 7) && close(d.rateEffect, 0))
    // Regions: emea 2/4 → 2/4, na 2/3 → 3/4.
    let na = try #require(r.segment("region", "na"))
    #expect(close(na.contribution, 3.0 / 8 - 2.0 / 7))
    #expect(close(na.rateEffect, (3.0 / 7 + 0.5) / 2 * (0.75 - 2.0 / 3)))
    #expect(close(r.segment("region", "emea")?.contribution, 2.0 / 8 - 2.0 / 7))
    #expect(close(r.segment("region", "emea")?.rateEffect, 0))
  }

  @Test func everyDimensionAddsUpToTheChange() throws {
    let r = try ChangeFixture.explain(try ChangeFixture.engine(), "win_rate")
    let change = try #require(r.change)
    let dims = Set(r.segments.map(\.dimension)).filter { !$0.contains(" within ") }
    #expect(dims.isSuperset(of: ["partner", "type", "region", "tier", "deals.source", "deals.product"]))
    for d in dims {
      let total = r.segments.filter { $0.dimension == d }.reduce(0) { $0 + $1.contribution }
      #expect(close(total, change, tolerance: 1e-12), "dimension \(d)")
    }
  }

  @Test func productKPIIsSplitByLogChangesOfItsMeasures() throws {
    // won amount × deals created: Q3 420 × 7, Q4 960 × 8.
    var catalog = Catalog.builtin
    catalog.kpis.append(
      KPIDefinition(
        id: "won_times_created", name: "Won × created", family: "test", unit: .number, better: .higher,
        stages: [],
        formula:
          "sum(deals.amount where stage = 'won' and closed_on in period) * count(deals where created_on in period)"
      ))
    let r = try ChangeFixture.explain(try ChangeFixture.engine(catalog), "won_times_created")
    #expect(r.method == "composite")
    #expect(close(r.before, 420 * 7) && close(r.after, 960 * 8))
    let change = 960.0 * 8 - 420 * 7
    let logMean = change / log((960.0 * 8) / (420 * 7))
    let won = try #require(r.measures.first { $0.measure.hasPrefix("sum(deals.amount") })
    let created = try #require(r.measures.first { $0.measure.hasPrefix("count(deals where created_on") })
    #expect(close(won.effect, logMean * log(960.0 / 420)))
    #expect(close(created.effect, logMean * log(8.0 / 7)))
    #expect(close(won.effect + created.effect, change))
    // The segments of the won amount add up to its effect.
    let inWon = r.segments.filter { $0.dimension == "partner in \(won.measure)" }
    #expect(!inWon.isEmpty)
    #expect(close(inWon.reduce(0) { $0 + $1.contribution }, won.effect))
  }

  @Test func drillDownFollowsTheTopSegment() throws {
    let r = try ChangeFixture.explain(
      try ChangeFixture.engine(), "revenue", dimensions: [.region, .type, .column(.deals, "source")])
    // Revenue rose 540 (420 → 960). One segment explains it in two dimensions: region emea +600
    // (na −60) and type msp +430 (reseller +110). The surprise (Jensen–Shannon divergence of the
    // shares) decides: msp's share went 70/420 → 500/960 (0.048), emea's 300/420 → 900/960 (0.007).
    let top = try #require(r.ranking.first)
    #expect(top.dimension == "type" && top.explaining == ["msp"])
    #expect(r.summary.contains("rose 540.00") && r.summary.contains("+430.00 from type msp"))
    // Within msp (C: Q4 co_sell 500 in emea; D: Q3 co_sell 70 in na): emea +500, na −70; all of it
    // co_sell, whose share of msp did not move, so the drill-down follows emea (share 0 → 1).
    #expect(close(r.segment("region within type=msp", "emea")?.contribution, 500))
    #expect(close(r.segment("region within type=msp", "na")?.contribution, -70))
    #expect(close(r.segment("deals.source within type=msp", "co_sell")?.contribution, 430))
    let first = try #require(r.drillDown.first)
    #expect(first.dimension == "region" && first.segment == "emea" && close(first.contribution, 500))
    let within = r.segments.filter { $0.dimension.contains(" within ") }
    #expect(!within.isEmpty)
    // Within a segment, the parts add up to the segment's own contribution.
    let byDim = Dictionary(grouping: within, by: \.dimension)
    for (d, parts) in byDim {
      // "X within a=s, b=t" sums to segment t of "b within a=s" (or of "b" at the top).
      var constraints = try #require(d.components(separatedBy: " within ").last).components(separatedBy: ", ")
      let last = constraints.removeLast().components(separatedBy: "=")
      let parentDimension = last[0] + (constraints.isEmpty ? "" : " within " + constraints.joined(separator: ", "))
      let parent = try #require(r.segment(parentDimension, last[1]))
      #expect(close(parts.reduce(0) { $0 + $1.contribution }, parent.contribution), "\(d)")
    }
  }

  @Test func drillDownFollowsSegmentsWithoutAValue() throws {
    // Only A has a tier (gold, +100); the partners without one, (none), brought +440 of the 540,
    // and their share moved most (120/420 → 560/960), so the drill-down goes into them: C in emea
    // +500, B and D in na +10 − 70.
    let r = try ChangeFixture.explain(try ChangeFixture.engine(), "revenue", dimensions: [.tier, .region])
    #expect(r.ranking.first?.dimension == "tier" && r.ranking.first?.explaining == ["(none)"])
    #expect(close(r.segment("tier", "(none)")?.contribution, 440))
    #expect(close(r.segment("region within tier=(none)", "emea")?.contribution, 500))
    #expect(close(r.segment("region within tier=(none)", "na")?.contribution, -60))
    #expect(r.segment("region within tier=(none)", "(shared)") == nil)
  }

  @Test func periodsFarApartAreRefused() throws {
    let e = try ChangeFixture.engine()
    let error = #expect(throws: ExplainError.self) {
      try ChangeExplainer(engine: e).explain(
        kpi: "revenue", scope: .network, period: try #require(Period("2025-Q4")), versus: Period("1990-Q4"))
    }
    #expect(error?.message == "compare periods at most 10 years apart: 1990-Q4 and 2025-Q4 are 35 years apart")
  }

  @Test func aPeriodWithoutAValueStillSaysHowTheChangeWouldBeSplit() throws {
    let e = try ChangeFixture.engine()
    // Long before the fixture's facts: neither KPI has a value to split, but the method follows
    // from the formula (the API's schema allows only sum, ratio or composite).
    let q = try #require(Period("2019-Q4"))
    for (kpi, method) in [("revenue", "sum"), ("win_rate", "ratio"), ("pipeline_velocity", "composite")] {
      let x = try ChangeExplainer(engine: e).explain(kpi: kpi, scope: .network, period: q)
      #expect(x.method == method, "\(kpi)")
      #expect(x.segments.allSatisfy { $0.contribution == 0 }, "\(kpi)")
    }
  }

  @Test func badRequestsAreClearErrors() throws {
    let e = try ChangeFixture.engine()
    let q4 = try #require(Period("2025-Q4"))
    #expect(throws: ExplainError.self) {
      try ChangeExplainer(engine: e).explain(kpi: "nope", scope: .network, period: q4)
    }
    #expect(throws: ExplainError.self) {
      try ChangeExplainer(engine: e).explain(kpi: "revenue", scope: Scope(.partner, "ZZ"), period: q4)
    }
    #expect(throws: ExplainError.self) {
      try ChangeExplainer(engine: e).explain(kpi: "revenue", scope: .network, period: q4, versus: Period("2025-03"))
    }
  }
}

@Suite struct ChangeExplainerPropertyTests {
  /// On random programs, for every built-in KPI and scope kind, each dimension's contributions
  /// (and a composite KPI's measure effects) add up to the change.
  @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64]) func contributionsAddUp(seed: UInt64) throws {
    let program = RandomProgram(seed: seed)
    let engine = KPIEngine(
      catalog: try CatalogCompiler.compile(.builtin), extraColumns: SegmentDimension.engineColumns)
    engine.load(program.records)
    engine.finishLoading()
    let range = program.monthRange
    let mid = Period(grain: .quarter, containing: range.first + (range.last.index - range.first.index) / 2)
    let partner = engine.partners().first.map { Scope(.partner, $0.id) }
    var checked = 0
    for def in Catalog.builtin.kpis {
      for scope in [Scope.network, partner].compactMap({ $0 }) {
        for period in [mid, mid.shifted(by: 1)] {
          let r = try ChangeExplainer(engine: engine).explain(kpi: def.id, scope: scope, period: period)
          guard let change = r.change else { continue }
          let tolerance = 1e-9 * max(1, abs(r.before ?? 0), abs(r.after ?? 0))
          checked += 1
          var totals: [String: Double] = [:]
          for s in r.segments { totals[s.dimension, default: 0] += s.contribution }
          // Only facts counted in several segments (distinct counts) leave a `(shared)` line; a
          // fact of a sum belongs to exactly one segment, at every drill-down level.
          if !def.formula.contains("distinct") {
            let shared = r.segments.filter { $0.segment == "(shared)" }.map(\.dimension)
            #expect(shared.isEmpty, "seed \(seed) \(def.id) \(scope) \(period): (shared) in \(shared)")
          }
          for (d, total) in totals where !d.contains(" within ") && !d.contains(" in ") {
            #expect(
              abs(total - change) <= tolerance, "seed \(seed) \(def.id) \(scope) \(period) \(d): \(total) vs \(change)")
          }
          if r.method == "composite", r.measures.contains(where: { $0.effect != 0 }) {
            let sum = r.measures.reduce(0) { $0 + $1.effect }
            #expect(abs(sum - change) <= tolerance, "seed \(seed) \(def.id) \(scope) \(period) measures")
          }
        }
      }
    }
    // Most KPIs have a value in both quarters of a random program.
    #expect(checked >= 30, "only \(checked) changes had values")
  }
}
