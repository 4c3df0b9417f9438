import ChannelKPI
import ChannelKPIStore
import Foundation
import Testing

@Suite struct ImportRuleTests {
  /// Every rule: the import is rejected with the problem at its place, and the store (holding a
  /// previous good import) is left exactly as it was.
  @Test(arguments: RuleCase.all)
  func ruleIsEnforced(_ c: RuleCase) async throws {
    let h = try await Baseline.harness()
    let before = try await h.snapshot()
    let countsBefore = try await h.store.counts()
    let kpisBefore = try await h.kpiValues()
    #expect(before.values.map(\.count).reduce(0, +) == Baseline.rowCount)

    var files = c.files
    files["partners.update.csv"] = RuleCase.partnersUpdate
    let (dir, outcome) = try await h.importFiles(files, options: c.options)

    let rejected = try #require(outcome.rejected, "the import was accepted")
    expectProblem(
      rejected.problems, file: (dir as NSString).appendingPathComponent(c.file), line: c.line, column: c.column,
      field: c.field, message: c.message)
    #expect(rejected.problemCount == c.problemCount, "\(rejected.problems.map(\.description))")
    #expect(rejected.problems.count == rejected.problemCount)

    #expect(try await h.store.counts() == countsBefore)
    #expect(try await h.snapshot() == before, "the store changed after a rejected import")
    #expect(try await h.kpiValues() == kpisBefore)
    #expect(try await h.row(.partners, "P1")?["name"] == "Alpha")
    #expect(try await h.row(.partners, "P9") == nil)
  }

  /// The same imports without the bad row go through (so each case above fails for its rule only).
  @Test func goodRowsOfTheRuleCasesAreAccepted() async throws {
    let h = try await Baseline.harness()
    var files: [String: [UInt8]] = ["partners.update.csv": RuleCase.partnersUpdate]
    for (t, rows) in RuleCase.good where t != .partners {
      files[t.fileName] = CSVText.file([Header.of(t)] + rows)
    }
    files["partners.csv"] = CSVText.file([Header.partners] + RuleCase.good[.partners]!)
    let n = try await h.importGood(files)
    #expect(n == 2 + 2 * 10)
    #expect(try await h.row(.deals, "D2")?["stage"] == "won")
    #expect(try await h.row(.deals, "D3")?["partner_id"] == "P9")
    #expect(try await h.row(.campaigns, "C1")?["cost"] == "110000")
  }

  /// Values on the edge of each rule are accepted.
  @Test func boundaryValuesAreAccepted() async throws {
    let h = try await Baseline.harness()
    let n = try await h.importGood([
      "partners.csv": CSVText.file(Header.partners, "P5,Epsilon,distributor,apac,JP,,2025-01-01,2025-01-01,"),
      "deals.csv": CSVText.file(
        Header.deals,
        "D5,P5,,co_sell,2025-01-05,2025-01-01,pending,won,2025-01-05,0,",
        "D6,P5,,sourced,2025-01-05,,,lost,2025-01-06,1234.5,",
        "D7,P5,,influenced,2025-01-05,2025-01-06,rejected,open,,0.01,"
      ),
      "campaigns.csv": CSVText.file(Header.campaigns, "C5,P5,Kickoff,event,2025-01-03,2025-01-03,50,50"),
      "leads.csv": CSVText.file(Header.leads, "L5,P5,C5,2025-01-04,2025-01-04,D5"),
      "web_traffic.csv": CSVText.file(Header.webTraffic, "P5,2025-01-04,C5,0"),
      "customers.csv": CSVText.file(Header.customers, "K5,P5,2025-01-20,2025-01-20,"),
      "surveys.csv": CSVText.file(Header.surveys, "R5,P5,,2025-02-01,0", "R6,P5,,2025-02-01,10"),
      "support_tickets.csv": CSVText.file(
        Header.supportTickets, "T5,P5,,2025-02-01T10:00:00Z,2025-02-01T12:00:00+02:00,1",
        "T6,P5,,2025-02-01T10:00:00.250+05:30,2025-02-01T10:00:00.25+05:30,5"),
      "certifications.csv": CSVText.file(Header.certifications, "X5,P5,E5,presales,2025-01-02,2025-01-02"),
      "market.csv": CSVText.file(Header.market, "apac,2025-01,0.01"),
    ])
    #expect(n == 14)
    #expect(try await h.row(.deals, "D6")?["amount"] == "123450")
    #expect(try await h.row(.market, "apac")?["market_revenue"] == "1")
  }

  @Test func idOf128CharactersIsAccepted() async throws {
    let h = try await Baseline.harness()
    let id = String(repeating: "é", count: 128)
    try await h.importGood(["deals.csv": CSVText.file(Header.deals, "\(id),P1,,sourced,2025-01-05,,,open,,100,")])
    #expect(try await h.row(.deals, id)?["amount"] == "10000")
  }

  @Test func unknownColumnIsIgnoredWhenAsked() async throws {
    let h = try await Baseline.harness()
    let n = try await h.importGood(
      [
        "deals.csv": CSVText.file(
          "discount," + Header.deals + ",note", "5,D2,P2,,influenced,2025-01-10,,,won,2025-03-01,1300,,hello")
      ], options: ImportOptions(ignoreUnknownColumns: true))
    #expect(n == 1)
    let d2 = try #require(try await h.row(.deals, "D2"))
    #expect(d2["stage"] == "won")
    #expect(d2["amount"] == "130000")
    #expect(d2["closed_on"] == "2025-03-01")
    #expect(d2["product"] == .some(nil))
  }

  @Test func referenceToAPartnerOfTheSameImportIsAccepted() async throws {
    let h = try await Baseline.harness()
    let n = try await h.importGood([
      "partners.csv": CSVText.file(Header.partners, "P5,Epsilon,distributor,apac,JP,,2025-01-01,,"),
      "deals.csv": CSVText.file(Header.deals, "D5,P5,,co_sell,2025-01-05,,,won,2025-01-20,300,"),
      "campaigns.csv": CSVText.file(Header.campaigns, "C5,P5,Kickoff,event,2025-01-03,,50,"),
      "leads.csv": CSVText.file(Header.leads, "L5,P5,C5,2025-01-04,,"),
      "web_traffic.csv": CSVText.file(Header.webTraffic, "P5,2025-01-04,C5,11"),
      "customers.csv": CSVText.file(Header.customers, "K5,P5,2025-01-20,,"),
      "surveys.csv": CSVText.file(Header.surveys, "R5,P5,K5,2025-02-01,7"),
      "support_tickets.csv": CSVText.file(Header.supportTickets, "T5,P5,K5,2025-02-01T10:00:00Z,,"),
      "certifications.csv": CSVText.file(Header.certifications, "X5,P5,E5,presales,2025-01-02,"),
    ])
    #expect(n == 9)
    #expect(try await h.row(.deals, "D5")?["partner_id"] == "P5")
    #expect(try await h.row(.leads, "L5")?["campaign_id"] == "C5")
    #expect(try await h.value("revenue", Scope(.partner, "P5"), period: "2025-01") == 300)
  }

  @Test func referenceToAPartnerOfAnEarlierImportIsAccepted() async throws {
    let h = try await Baseline.harness()
    let n = try await h.importGood([
      "deals.csv": CSVText.file(Header.deals, "D6,P2,,sourced,2025-02-05,,,won,2025-02-20,700,"),
      "leads.csv": CSVText.file(Header.leads, "L6,P2,C1,2025-02-04,,"),
      "web_traffic.csv": CSVText.file(Header.webTraffic, "P2,2025-02-04,C1,13"),
      "campaigns.csv": CSVText.file(Header.campaigns, "C6,P2,Summer,web,2025-02-01,,80,80"),
    ])
    #expect(n == 4)
    #expect(try await h.row(.deals, "D6")?["partner_id"] == "P2")
    #expect(try await h.value("revenue", Scope(.partner, "P2"), period: "2025-02") == 700)
    #expect(try await h.value("web_visits", Scope(.partner, "P2"), period: "2025-02") == 13)
  }

  @Test func fileNameThatIsNotATableIsRejected() async throws {
    let h = try await Baseline.harness()
    let before = try await h.snapshot()
    let dir = try h.directory([
      "dealz.csv": CSVText.file(Header.deals, "D4,P1,,sourced,2025-01-05,,,open,,100,"),
      "deals.csv": CSVText.file(Header.deals, "D5,P1,,sourced,2025-01-05,,,open,,100,"),
    ])
    let outcome = try await h.importPaths([dir])
    let rejected = try #require(outcome.rejected)
    let bad = (dir as NSString).appendingPathComponent("dealz.csv")
    #expect(rejected.problems.count == 1)
    let p = try #require(rejected.problems.first)
    #expect(p.file == bad)
    #expect(p.message.contains("is not a canonical table file"))
    // A problem of the whole file names the file alone, with no line to point at.
    #expect(p.description.hasPrefix(bad + ": is not a canonical table file"))
    #expect(outcome.source == nil)

    let single = try await h.importPaths([bad])
    #expect(single.rejected?.problems.first?.file == bad)
    #expect(single.rejected?.problems.first?.message.contains("is not a canonical table file") == true)
    #expect(try await h.snapshot() == before)
  }

  /// A row with a bad value and an unknown partner has both problems reported.
  @Test func everyProblemOfOneRowIsReported() async throws {
    let h = try await Baseline.harness()
    let before = try await h.snapshot()
    let (dir, outcome) = try await h.importFiles([
      "deals.csv": CSVText.file(Header.deals, "D4,P404,,partner,2025-01-05,,,open,,100,")
    ])
    let rejected = try #require(outcome.rejected)
    let deals = (dir as NSString).appendingPathComponent("deals.csv")
    expectProblem(rejected.problems, file: deals, line: 2, column: 4, field: "source", message: "must be one of")
    expectProblem(
      rejected.problems, file: deals, line: 2, column: 2, field: "partner_id", message: "'P404' names no partner")
    #expect(rejected.problemCount == 2, "\(rejected.problems.map(\.description))")
    #expect(try await h.snapshot() == before)
  }

  @Test func allProblemsAreReportedNotJustTheFirst() async throws {
    let h = try await Baseline.harness()
    let before = try await h.snapshot()
    let files: [String: [UInt8]] = [
      "deals.csv": CSVText.file(
        Header.deals,
        "D4,P1,,partner,2025-01-05,,,open,,100,",  // 2: source
        "D5,P1,,sourced,2025-01-05,,,open,,100,",
        "D6,P1,,sourced,2025-01-05,,,won,,-3,",  // 4: closed_on and amount
        "D7,P404,,sourced,2025-01-05,,,open,,100,"  // 5: partner
      ),
      "surveys.csv": CSVText.file(Header.surveys, "R7,P1,,2025-02-15,11"),  // 2: score
    ]
    let (dir, outcome) = try await h.importFiles(files)
    let rejected = try #require(outcome.rejected)
    let deals = (dir as NSString).appendingPathComponent("deals.csv")
    let surveys = (dir as NSString).appendingPathComponent("surveys.csv")
    #expect(rejected.problemCount == 5)
    #expect(rejected.problems.count == 5)
    expectProblem(rejected.problems, file: deals, line: 2, column: 4, field: "source", message: "must be one of")
    expectProblem(rejected.problems, file: deals, line: 4, column: 9, field: "closed_on", message: "is required")
    expectProblem(rejected.problems, file: deals, line: 4, column: 10, field: "amount", message: "≥ 0")
    expectProblem(rejected.problems, file: deals, line: 5, column: 2, field: "partner_id", message: "names no partner")
    expectProblem(rejected.problems, file: surveys, line: 2, column: 5, field: "score", message: "between 0 and 10")
    #expect(outcome.source?.rowsRejected == 4)
    #expect(try await h.snapshot() == before)

    // Beyond maxProblems the problems are counted, not listed.
    let limited = try await h.importPaths([dir], options: ImportOptions(maxProblems: 2))
    let r = try #require(limited.rejected)
    #expect(r.problems.count == 2)
    #expect(r.problemCount == 5)
    #expect(r.description.contains("… and 3 more problems"))
    #expect(try await h.snapshot() == before)
  }
}
