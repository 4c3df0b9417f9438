import ChannelKPI
import Testing

/// Three partners with deals over 2024–2025; every value the tests below use is worked out here.
///
/// P1 reseller, emea, gold · P2 reseller, na, no tier · P3 msp, emea, gold (all joined 2023).
///
/// P1 by quarter (won amounts; win rate = won / closed; sales cycle = mean days created → closed of won deals):
/// - 2024-Q1: won 1000 (01-10 → 02-01, 22 d), won 400 (03-01 → 03-20, 19 d), 2 lost → revenue 1400, win 2/4 = 0.5,
///   cycle 20.5; by month 2024-02: 1000, 2024-03: 400
/// - 2024-Q2: nothing closed → revenue 0, no win rate, no cycle
/// - 2024-Q3: won 2000 (07-01 → 08-01, 31 d), won 1000 (08-01 → 09-01, 31 d) → revenue 3000, win 1, cycle 31
/// - 2024-Q4: won 2000 (10-01 → 11-01, 31 d), 3 lost → revenue 2000, win 0.25, cycle 31
/// - 2025-Q1: won 1500 sourced (01-01 → 01-20, 19 d), 1000 co_sell (01-10 → 02-10, 31 d), 500 sourced
///   (02-01 → 03-01, 28 d), 1 lost (03-10) → revenue 3000, sourced revenue 2000, win 3/4, cycle 78/3 = 26;
///   by month 2025-01: 1500, 2025-02: 1000, 2025-03: 500
/// - 2025-Q2: won 800 sourced (05-05) → revenue 800, win 1
///
/// P2: 2024-Q4 won 300 (10-20); 2025-Q1 won 600 (01-15) and 2 lost → revenue 600, win 1/3;
/// 2025-Q2 won 400 influenced (06-10).
/// P3: 2025-Q1 won 200 (01-25) → revenue 200, win 1; nothing before.
///
/// Network revenue: 2024-Q1 1400, Q2 0, Q3 3000, Q4 2300, 2025-Q1 3800, 2025-Q2 1200.
/// Network won/closed 2025-Q1: (3 + 1 + 1) / (4 + 3 + 1) = 5/8.
enum EvaluatorFixture {
  static func records() -> [FactRecord] {
    [
      Row.partner("P1", type: "reseller", region: "emea", tier: "gold", joined: "2023-01-01"),
      Row.partner("P2", type: "reseller", region: "na", joined: "2023-01-01"),
      Row.partner("P3", type: "msp", region: "emea", tier: "gold", joined: "2023-01-01"),
      // P1, 2024
      Row.deal("A1", "P1", created: "2024-01-10", stage: "won", closed: "2024-02-01", amount: "1000"),
      Row.deal("A2", "P1", created: "2024-03-01", stage: "won", closed: "2024-03-20", amount: "400"),
      Row.deal("A3", "P1", created: "2024-01-10", stage: "lost", closed: "2024-02-15", amount: "50"),
      Row.deal("A4", "P1", created: "2024-01-10", stage: "lost", closed: "2024-03-25", amount: "50"),
      Row.deal("A5", "P1", created: "2024-07-01", stage: "won", closed: "2024-08-01", amount: "2000"),
      Row.deal("A6", "P1", created: "2024-08-01", stage: "won", closed: "2024-09-01", amount: "1000"),
      Row.deal("A7", "P1", created: "2024-10-01", stage: "won", closed: "2024-11-01", amount: "2000"),
      Row.deal("A8", "P1", created: "2024-10-01", stage: "lost", closed: "2024-11-05", amount: "50"),
      Row.deal("A9", "P1", created: "2024-10-01", stage: "lost", closed: "2024-12-01", amount: "50"),
      Row.deal("A10", "P1", created: "2024-10-01", stage: "lost", closed: "2024-12-15", amount: "50"),
      // P1, 2025
      Row.deal("B1", "P1", created: "2025-01-01", stage: "won", closed: "2025-01-20", amount: "1500"),
      Row.deal(
        "B2", "P1", source: "co_sell", created: "2025-01-10", stage: "won", closed: "2025-02-10", amount: "1000"),
      Row.deal("B3", "P1", created: "2025-02-01", stage: "won", closed: "2025-03-01", amount: "500"),
      Row.deal("B4", "P1", created: "2025-02-01", stage: "lost", closed: "2025-03-10", amount: "80"),
      Row.deal("B5", "P1", created: "2025-04-01", stage: "won", closed: "2025-05-05", amount: "800"),
      // P2
      Row.deal("C1", "P2", created: "2024-10-01", stage: "won", closed: "2024-10-20", amount: "300"),
      Row.deal("C2", "P2", created: "2025-01-02", stage: "won", closed: "2025-01-15", amount: "600"),
      Row.deal("C3", "P2", created: "2025-01-02", stage: "lost", closed: "2025-02-20", amount: "60"),
      Row.deal("C4", "P2", created: "2025-01-02", stage: "lost", closed: "2025-03-15", amount: "60"),
      Row.deal(
        "C5", "P2", source: "influenced", created: "2025-04-01", stage: "won", closed: "2025-06-10", amount: "400"),
      // P3
      Row.deal("E1", "P3", created: "2025-01-02", stage: "won", closed: "2025-01-25", amount: "200"),
    ]
  }

  static func version(_ number: Int, effective: String, _ defs: ProgramDefinitions) -> ProgramVersion {
    ProgramVersion(
      number: number, effective: Day(iso: effective)!, appliedAt: "2024-01-01T00:00:00Z", definitions: defs)
  }

  /// An evaluator over `records` with the versions given; one catalog variant per distinct catalog,
  /// the latest version's first (as `ProgramLoader` does).
  static func evaluator(
    _ records: [FactRecord], _ versions: [ProgramVersion], today: String = "2030-01-01"
  ) throws -> ProgramEvaluator {
    let history = ProgramHistory(versions: versions)
    var catalogs = [Catalog.builtin.merging(history.latest?.definitions.catalog ?? Catalog())]
    var variantOf: [Int: Int] = [:]
    for v in versions {
      let c = Catalog.builtin.merging(v.definitions.catalog)
      if let i = catalogs.firstIndex(of: c) {
        variantOf[v.number] = i
      } else {
        catalogs.append(c)
        variantOf[v.number] = catalogs.count - 1
      }
    }
    let engine = KPIEngine(catalog: try CatalogCompiler.compile(variants: catalogs))
    engine.load(records)
    engine.finishLoading()
    return ProgramEvaluator(
      engine: engine, history: history, variantOfVersion: variantOf, today: try #require(Day(iso: today)))
  }

  /// An evaluator with one version of definitions, effective 2024-01-01.
  static func evaluator(_ defs: ProgramDefinitions, records: [FactRecord]? = nil, today: String = "2030-01-01")
    throws -> ProgramEvaluator
  {
    try evaluator(records ?? Self.records(), [version(1, effective: "2024-01-01", defs)], today: today)
  }

  /// The standing of one KPI for one scope in a period.
  static func standing(
    _ ev: ProgramEvaluator, _ kpi: String, _ scope: Scope, _ period: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> KPIStanding {
    let partners = Dictionary(uniqueKeysWithValues: ev.engine.partners().map { ($0.id, $0) })
    let p = try #require(Period(period), sourceLocation: sourceLocation)
    let s = try ev.standings(kpis: [kpi], scopes: [scope], partners: partners, period: p)[scope]?.first
    return try #require(s, sourceLocation: sourceLocation)
  }
}

func target(
  _ kpi: String, _ scope: String, _ rule: TargetRule, grain: Grain? = nil, from: String? = nil,
  to: String? = nil
) -> TargetDefinition {
  TargetDefinition(
    kpi: kpi, scope: Scope(scope)!, grain: grain, from: from.flatMap(Period.init), to: to.flatMap(Period.init),
    rule: rule)
}

let p1 = Scope(.partner, "P1")
let p2 = Scope(.partner, "P2")
let p3 = Scope(.partner, "P3")
