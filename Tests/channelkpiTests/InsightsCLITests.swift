import Foundation
import Testing

/// `explain`, `benchmark-peers` and `forecast` from the command line on a program worked out by
/// hand: two resellers and an MSP, with deals in 2024-Q3 and 2024-Q4.
@Suite struct InsightsCLITests {
  static let partners = """
    partner_id,name,type,region,joined_on
    P1,Acme,reseller,emea,2024-01-01
    P2,Beta,reseller,na,2024-01-01
    P3,Gamma,msp,emea,2024-01-01
    """

  /// Revenue: 2024-Q3 P1 300 (sourced 100, co_sell 200), P2 50; 2024-Q4 P1 400, P2 60, P3 500.
  static let deals = """
    deal_id,partner_id,source,created_on,stage,closed_on,amount,product
    D1,P1,sourced,2024-07-10,won,2024-07-10,100,Core
    D2,P1,co_sell,2024-08-10,won,2024-08-10,200,Edge
    D3,P1,sourced,2024-08-11,lost,2024-08-11,5,Core
    D4,P2,sourced,2024-07-20,won,2024-07-20,50,Core
    D5,P1,sourced,2024-10-10,won,2024-10-10,400,Core
    D6,P2,sourced,2024-10-20,won,2024-10-20,60,Edge
    D7,P3,co_sell,2024-11-01,won,2024-11-01,500,Edge
    D8,P3,co_sell,2024-11-02,lost,2024-11-02,5,Edge
    """

  static let benchmarks = """
    benchmarks:
      - {kpi: revenue, peers: type:reseller, grain: quarter, value: 250, source: Reseller study}
    """

  static func prepared() throws -> URL {
    let dir = try CLI.temporaryDirectory()
    let data = dir.appendingPathComponent("data")
    let defs = dir.appendingPathComponent("defs")
    try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: defs, withIntermediateDirectories: true)
    try CLI.write(partners + "\n", "partners.csv", in: data)
    try CLI.write(deals + "\n", "deals.csv", in: data)
    try CLI.write(benchmarks, "benchmarks.yaml", in: defs)
    try IncentiveCLITests.ok(["import", "data"], in: dir)
    try IncentiveCLITests.ok(["program", "apply", "defs", "--effective", "2024-01-01"], in: dir)
    return dir
  }

  @Test func explainSplitsTheChangeBySegment() throws {
    let dir = try Self.prepared()
    let csv = try IncentiveCLITests.ok(
      [
        "explain", "--kpi", "revenue", "--period", "2024-Q4", "--dimension", "type", "--dimension", "deals.source",
        "--format", "csv",
      ], in: dir)
    // Revenue 350 → 960: resellers +110 (350 → 460), MSPs +500; sourced 150 → 460, co_sell 200 → 500.
    #expect(csv.contains("type,msp,0,500,500,,") && csv.contains("type,reseller,350,460,110,,"))
    #expect(csv.contains("deals.source,sourced,150,460,310,,") && csv.contains("deals.source,co_sell,200,500,300,,"))
    let table = try IncentiveCLITests.ok(["explain", "--kpi", "revenue", "--period", "2024-Q4"], in: dir)
    #expect(table.hasPrefix("Partner revenue rose 610.00 (350.00 in 2024-Q3 → 960.00 in 2024-Q4)."), "\(table)")
    let bad = try CLI.run(["explain", "--kpi", "revenu", "--period", "2024-Q4"], in: dir)
    #expect(bad.status != 0 && bad.stderr.contains("unknown KPI 'revenu'; did you mean 'revenue'?"), "\(bad.stderr)")
    let nobody = try CLI.run(["explain", "--kpi", "revenue", "--scope", "partner:P9", "--period", "2024-Q4"], in: dir)
    #expect(nobody.status != 0 && nobody.stderr.contains("no partner 'P9'; did you mean"), "\(nobody.stderr)")
    let dimension = try CLI.run(["explain", "--kpi", "revenue", "--dimension", "colour"], in: dir)
    #expect(dimension.status != 0 && dimension.stderr.contains("--dimension 'colour' is not a dimension"))
  }

  @Test func benchmarkPeersPlacesEachPartner() throws {
    let dir = try Self.prepared()
    let csv = try IncentiveCLITests.ok(
      ["benchmark-peers", "--kpi", "revenue", "--period", "2024-Q4", "--format", "csv"], in: dir)
    // Resellers 400 and 60: P1 beats its one peer (100), P2 none (0); cut points over 60 and 400
    // (p25 = 60 + 0.25 × 340); P3 has no peer.
    #expect(
      csv.components(separatedBy: "\n") == [
        "partner,kpi,period,value,percentile,p25,median,p75,p90",
        "P1,revenue,2024-Q4,400,100,145,230,315,366",
        "P2,revenue,2024-Q4,60,0,145,230,315,366",
        "P3,revenue,2024-Q4,500,,500,500,500,500",
        "",
      ], "\(csv)")
    let table = try IncentiveCLITests.ok(["benchmark-peers", "--kpi", "revenue", "--period", "2024-Q4"], in: dir)
    #expect(table.contains("type:reseller: 250.00 (Reseller study)"), "\(table)")
    let bad = try CLI.run(["benchmark-peers", "--kpi", "revenue", "--peers", "size"], in: dir)
    #expect(bad.status != 0 && bad.stderr.contains("size"))
  }

  @Test func forecastWritesTheIntervalsItPromises() throws {
    let dir = try Self.prepared()
    let csv = try IncentiveCLITests.ok(
      [
        "forecast", "--kpi", "revenue", "--grain", "month", "--horizon", "3", "--today", "2025-01-15", "--format",
        "csv",
      ],
      in: dir)
    let lines = csv.split(separator: "\n").map(String.init)
    #expect(lines.first == "kpi,scope,period,forecast,lo80,hi80,lo95,hi95")
    #expect(
      lines.dropFirst().map { $0.split(separator: ",").prefix(3).joined(separator: ",") } == [
        // The data ends in 2024-11: December is forecast too, not taken for a month of nothing.
        "revenue,network,2024-12", "revenue,network,2025-01", "revenue,network,2025-02",
      ])
    for line in lines.dropFirst() {
      let v = line.split(separator: ",").dropFirst(3).compactMap { Double($0) }
      // forecast, lo80, hi80, lo95, hi95: nested intervals, none below 0.
      #expect(v.count == 5 && v[3] <= v[1] && v[1] <= v[0] && v[0] <= v[2] && v[2] <= v[4] && v[3] >= 0, "\(line)")
    }
    let short = try CLI.run(
      ["forecast", "--kpi", "revenue", "--grain", "quarter", "--backtest", "5", "--today", "2025-01-15"], in: dir)
    #expect(short.status != 0 && short.stderr.contains("too few for a backtest of 5"), "\(short.stderr)")
    let both = try CLI.run(["forecast", "--kpi", "revenue", "--by", "partner", "--scope", "partner:P1"], in: dir)
    #expect(both.status != 0 && both.stderr.contains("--by forecasts every scope of a kind"))
  }
}
