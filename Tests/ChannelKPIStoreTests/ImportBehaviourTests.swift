import ChannelKPI
import ChannelKPIStore
import Foundation
import Testing

/// Import behaviours every store must show: part of the store contract suite.
@Suite struct ImportBehaviourTests {
  @Test(arguments: StoreKind.contract) func importingTheSameFilesTwiceChangesNothing(_ kind: StoreKind) async throws {
    try await StoreHarness.with(kind) { h in try await importingTheSameFilesTwiceChangesNothing(h) }
  }

  private func importingTheSameFilesTwiceChangesNothing(_ h: StoreHarness) async throws {
    try await Baseline.load(into: h)
    let data = try await h.snapshot()
    let counts = try await h.store.counts()
    let kpis = try await h.kpiValues()
    #expect(counts.values.reduce(0, +) == Baseline.rowCount)

    let n = try await h.importGood(Baseline.files)
    #expect(n == Baseline.rowCount)
    #expect(try await h.snapshot() == data)
    #expect(try await h.store.counts() == counts)
    #expect(try await h.kpiValues() == kpis)
  }

  @Test(arguments: StoreKind.contract) func reimportingAChangedRowReplacesIt(_ kind: StoreKind) async throws {
    try await StoreHarness.with(kind) { h in try await reimportingAChangedRowReplacesIt(h) }
  }

  private func reimportingAChangedRowReplacesIt(_ h: StoreHarness) async throws {
    try await Baseline.load(into: h)
    #expect(try await h.value("revenue", period: "2025-03") == 0)
    var files = Baseline.files
    files["deals.csv"] = CSVText.file(
      [Header.deals, Baseline.deals[0], "D2,P2,K7,co_sell,2025-01-10,,,won,2025-03-05,1250.25,Gizmo"])
    files["partners.csv"] = CSVText.file(
      [Header.partners, "P1,Alpha AG,system_integrator,emea,CH,,2024-01-15,2025-06-30,", Baseline.partners[1]])
    let n = try await h.importGood(files)
    #expect(n == Baseline.rowCount)
    #expect(try await h.store.counts().values.reduce(0, +) == Baseline.rowCount)

    let d2 = try #require(try await h.row(.deals, "D2"))
    #expect(d2["customer_id"] == "K7")
    #expect(d2["source"] == "co_sell")
    #expect(d2["stage"] == "won")
    #expect(d2["closed_on"] == "2025-03-05")
    #expect(d2["amount"] == "125025")
    #expect(d2["product"] == "Gizmo")
    // Cells left empty in the new row clear the old values.
    let p1 = try #require(try await h.row(.partners, "P1"))
    #expect(p1["name"] == "Alpha AG")
    #expect(p1["type"] == "system_integrator")
    #expect(p1["country"] == "CH")
    #expect(p1["tier"] == .some(nil))
    #expect(p1["manager"] == .some(nil))
    #expect(p1["left_on"] == "2025-06-30")

    #expect(try await h.value("revenue", period: "2025-03") == 1250.25)
    #expect(try await h.value("revenue", Scope(.type, "system_integrator"), period: "2025-02") == 5000.5)
  }

  @Test(arguments: StoreKind.contract) func skipInvalidStoresGoodRowsAndWritesRejects(_ kind: StoreKind) async throws {
    try await StoreHarness.with(kind) { h in try await skipInvalidStoresGoodRowsAndWritesRejects(h) }
  }

  private func skipInvalidStoresGoodRowsAndWritesRejects(_ h: StoreHarness) async throws {
    try await Baseline.load(into: h)
    let rejects = h.path("rejects.csv")
    let badLine = "D11,P1,,sourced,2025-01-05,,,open,,\"-1\",\"Widget\""
    let multiLine = "D12,P1,,sourced,2025-01-05,,,won,2025-01-04,7,\"Two\nlines\""
    let files: [String: [UInt8]] = [
      "deals.csv": CSVText.file(
        Header.deals,
        "D10,P1,,sourced,2025-01-05,,,won,2025-01-25,100,",
        badLine,  // 3: amount
        multiLine,  // 4–5: closed_on before created_on
        "D13,P1,,sourced,2025-01-05,,,open,,10",  // 6: field count
        "D14,P2,,influenced,2025-01-07,,,lost,2025-01-30,55.5,Gadget"
      )
    ]
    let (dir, outcome) = try await h.importFiles(
      files, options: ImportOptions(skipInvalid: true, rejectsPath: rejects))
    #expect(outcome.rejected == nil)
    #expect(outcome.written == 2)
    #expect(outcome.source?.rowsRejected == 3)
    #expect(outcome.source?.problemCount == 3)
    #expect(try await h.row(.deals, "D10")?["amount"] == "10000")
    #expect(try await h.row(.deals, "D14")?["amount"] == "5550")
    for id in ["D11", "D12", "D13"] { #expect(try await h.row(.deals, id) == nil, "\(id) was stored") }
    #expect(try await h.store.counts()[.deals] == 4)

    let text = try String(contentsOfFile: rejects, encoding: .utf8)
    let records = CSVText.parse(text)
    try #require(records.count == 4, "\(records)")
    #expect(records[0] == ["file", "line", "problems", "record"])
    let deals = (dir as NSString).appendingPathComponent("deals.csv")
    #expect(records.dropFirst().allSatisfy { $0.count == 4 && $0[0] == deals })
    #expect(records.dropFirst().map { $0[1] } == ["3", "4", "6"])
    #expect(records[1][2].contains("amount") && records[1][2].contains("≥ 0"))
    #expect(records[2][2].contains("closed_on") && records[2][2].contains("on or after created_on"))
    #expect(records[3][2].contains("has 10 fields but the header has 11"))
    // The record column holds the original line, as it was written.
    #expect(records[1][3] == badLine)
    #expect(records[2][3] == multiLine)
    #expect(records[3][3] == "D13,P1,,sourced,2025-01-05,,,open,,10")
  }

  @Test(arguments: StoreKind.contract) func rejectedPartnerAlsoRejectsRowsReferringToIt(_ kind: StoreKind) async throws
  {
    try await StoreHarness.with(kind) { h in try await rejectedPartnerAlsoRejectsRowsReferringToIt(h) }
  }

  private func rejectedPartnerAlsoRejectsRowsReferringToIt(_ h: StoreHarness) async throws {
    try await Baseline.load(into: h)
    let rejects = h.path("rejects.csv")
    let files: [String: [UInt8]] = [
      "partners.csv": CSVText.file(
        Header.partners, "P5,Epsilon,distributor,apac,JP,,2025-01-01,,", "P6,Zeta,Distributor,apac,JP,,2025-01-01,,"),
      "deals.csv": CSVText.file(
        Header.deals, "D5,P5,,sourced,2025-01-05,,,won,2025-01-20,300,",
        "D6,P6,,sourced,2025-01-05,,,won,2025-01-20,400,"
      ),
      "campaigns.csv": CSVText.file(Header.campaigns, "C6,P6,Launch,web,2025-01-03,,50,"),
      "leads.csv": CSVText.file(Header.leads, "L6,P5,C6,2025-01-04,,"),
    ]
    let (dir, outcome) = try await h.importFiles(
      files, options: ImportOptions(skipInvalid: true, rejectsPath: rejects))
    #expect(outcome.rejected == nil)
    #expect(outcome.written == 2)
    #expect(outcome.source?.rowsRejected == 4)
    #expect(try await h.row(.partners, "P5") != nil)
    #expect(try await h.row(.deals, "D5") != nil)
    #expect(try await h.row(.partners, "P6") == nil)
    #expect(try await h.row(.deals, "D6") == nil)
    #expect(try await h.row(.campaigns, "C6") == nil)
    #expect(try await h.row(.leads, "L6") == nil)

    let problems = outcome.source?.problems ?? []
    func file(_ n: String) -> String { (dir as NSString).appendingPathComponent(n) }
    expectProblem(problems, file: file("partners.csv"), line: 3, column: 3, field: "type", message: "slug")
    expectProblem(
      problems, file: file("deals.csv"), line: 3, column: 2, field: "partner_id", message: "'P6' names no partner")
    expectProblem(
      problems, file: file("campaigns.csv"), line: 2, column: 2, field: "partner_id", message: "'P6' names no partner")
    expectProblem(
      problems, file: file("leads.csv"), line: 2, column: 3, field: "campaign_id", message: "'C6' names no campaign")

    let records = CSVText.parse(try String(contentsOfFile: rejects, encoding: .utf8))
    #expect(records.count == 5)
    #expect(
      Set(records.dropFirst().map { $0[3] }) == [
        "P6,Zeta,Distributor,apac,JP,,2025-01-01,,", "D6,P6,,sourced,2025-01-05,,,won,2025-01-20,400,",
        "C6,P6,Launch,web,2025-01-03,,50,", "L6,P5,C6,2025-01-04,,",
      ])
  }

  @Test(arguments: StoreKind.contract) func unattributedWebTrafficUpsertsByKey(_ kind: StoreKind) async throws {
    try await StoreHarness.with(kind) { h in try await unattributedWebTrafficUpsertsByKey(h) }
  }

  private func unattributedWebTrafficUpsertsByKey(_ h: StoreHarness) async throws {
    let files: [String: [UInt8]] = [
      "partners.csv": CSVText.file(Header.partners, "P1,Alpha,reseller,emea,DE,,2024-01-15,,"),
      "campaigns.csv": CSVText.file(Header.campaigns, "C1,P1,Spring,email,2025-01-10,,100,"),
      "web_traffic.csv": CSVText.file(
        Header.webTraffic, "P1,2025-01-12,,7", "P1,2025-01-12,C1,40", "P1,2025-01-13,,5"),
    ]
    try await h.importGood(files)
    #expect(try await h.store.counts()[.webTraffic] == 3)
    try await h.importGood(files)
    #expect(try await h.store.counts()[.webTraffic] == 3)
    #expect(try await h.value("web_visits", period: "2025-01") == 52)

    // A column order where campaign_id comes first, and a changed count.
    try await h.importGood([
      "web_traffic.csv": CSVText.file("campaign_id,visits,date,partner_id", ",9,2025-01-12,P1")
    ])
    #expect(try await h.store.counts()[.webTraffic] == 3)
    #expect(try await h.value("web_visits", period: "2025-01") == 54)
    let unattributed = try await h.rows(.webTraffic).filter { $0["date"] == "2025-01-12" && $0["campaign_id"] != "C1" }
    #expect(unattributed.count == 1)
    #expect(unattributed.first?["visits"] == "9")
  }

  @Test(arguments: StoreKind.contract) func demoProgramImportsCleanlyAndRevenueMatchesTheCSV(_ kind: StoreKind)
    async throws
  {
    try await StoreHarness.with(kind) { h in try await demoProgramImportsCleanlyAndRevenueMatchesTheCSV(h) }
  }

  private func demoProgramImportsCleanlyAndRevenueMatchesTheCSV(_ h: StoreHarness) async throws {
    let config = DemoConfiguration(
      partners: 8, months: 6, seed: 7, scale: 0.4, lastMonth: Month(year: 2025, month: 6))
    var sink = try CSVDirectorySink(directory: h.path("demo"))
    DemoProgram.generate(config, into: &sink)
    sink.flush()

    let outcome = try await h.importPaths([h.path("demo")])
    #expect(outcome.rejected == nil, "\(outcome.rejected?.description ?? "")")
    let source = try #require(outcome.source)
    #expect(source.problemCount == 0)
    #expect(source.rowsRejected == 0)
    let generated = sink.counts.values.reduce(0, +)
    #expect(outcome.written == generated)
    #expect(source.rowsRead == generated)
    let counts = try await h.store.counts()
    for t in CanonicalTable.allCases {
      #expect(counts[t] ?? 0 == sink.counts[t] ?? 0, "\(t.rawValue)")
    }
    #expect((sink.counts[.deals] ?? 0) > 0)

    // Revenue straight from deals.csv: won deals by the month they closed.
    let text = try String(contentsOfFile: h.path("demo/deals.csv"), encoding: .utf8)
    let records = CSVText.parse(text)
    let header = try #require(records.first)
    let stage = try #require(header.firstIndex(of: "stage"))
    let closed = try #require(header.firstIndex(of: "closed_on"))
    let amount = try #require(header.firstIndex(of: "amount"))
    var byMonth: [String: Decimal] = [:]
    var total = Decimal(0)
    for r in records.dropFirst() where r[stage] == "won" {
      let a = try #require(Decimal(string: r[amount]), "amount '\(r[amount])'")
      byMonth[String(r[closed].prefix(7)), default: 0] += a
      total += a
    }
    #expect(total > 0)

    let engine = try await h.engine()
    let first = Period(grain: .month, containing: config.firstMonth)
    let last = Period(grain: .month, containing: config.lastMonth)
    let result = try engine.compute(
      ComputeRequest(kpis: ["revenue"], by: .network, grain: .month, from: first, to: last))
    var sum = 0.0
    for (i, p) in result.periods.enumerated() {
      let expected = NSDecimalNumber(decimal: byMonth[p.description] ?? 0).doubleValue
      let got = result.value(kpi: 0, scope: 0, period: i)
      #expect(got.map { abs($0 - expected) < 0.005 } == true, "revenue \(p): \(String(describing: got)) ≠ \(expected)")
      sum += got ?? 0
    }
    let inRange = byMonth.filter { $0.key >= first.description && $0.key <= last.description }.values.reduce(0, +)
    #expect(inRange == total, "won deals closed outside the demo's months")
    #expect(abs(sum - NSDecimalNumber(decimal: total).doubleValue) < 0.01)
    let year = try await h.value("revenue", period: "2025", engine: engine)
    #expect(year.map { abs($0 - NSDecimalNumber(decimal: total).doubleValue) < 0.01 } == true)
  }
}
