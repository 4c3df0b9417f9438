import ChannelKPI
import ChannelKPIStore
import Foundation
import Testing

// MARK: Helpers

/// Imports files through a mapping the way `channelkpi import --mapping` does.
private func importMapped(
  _ h: StoreHarness, _ paths: [String], mapping: ImportMapping, options: ImportOptions = ImportOptions()
) async throws -> ImportOutcome {
  let files: [ImportFile]
  do { files = try CSVImportSource.resolve(paths, mapping: mapping) } catch {
    return ImportOutcome(written: nil, rejected: error, source: nil)
  }
  var source = CSVImportSource(
    files: files, known: try await h.store.referencedKeys(), options: options, mapping: mapping)
  do {
    let n = try await h.store.upsert(from: &source).rows
    return ImportOutcome(written: n, rejected: nil, source: source)
  } catch let e as ImportRejected {
    return ImportOutcome(written: nil, rejected: e, source: source)
  }
}

/// A store holding the sample partners.
private func harnessWithPartners() async throws -> StoreHarness {
  let h = try StoreHarness()
  let outcome = try await h.importPaths([example("samples/partners.csv")])
  #expect(outcome.rejected == nil, "\(outcome.rejected?.description ?? "")")
  #expect(outcome.written == 4)
  return h
}

/// Stands for an empty (NULL) stored value in expected rows.
private let absent = "<absent>"

// MARK: Importing

@Suite struct MappingImportTests {
  @Test func salesforceSampleImportsAsExpected() async throws {
    let h = try await harnessWithPartners()
    let m = try ImportMapping.load(path: example("salesforce-opportunities.yaml"))
    let outcome = try await importMapped(h, [example("samples/salesforce-opportunities.csv")], mapping: m)
    #expect(outcome.rejected == nil, "\(outcome.rejected?.description ?? "")")
    #expect(outcome.written == 7)
    #expect(outcome.source?.rowsSkipped == 1)  // the direct deal; the footer is not read at all
    #expect(outcome.source?.rowsRead == 8)

    // "Closed Won" + "$12,345.50" + "3/5/2024" → won, 1234550 cents, 2024-03-05.
    let d1 = try #require(try await h.row(.deals, "SF-0068W00000LqZ1aQAF"))
    #expect(d1["partner_id"] == "0018W00001NrtHQAAZ")
    #expect(d1["customer_id"] == "0018W00001CuSt1AAB")
    #expect(d1["source"] == "sourced")
    #expect(d1["stage"] == "won")
    #expect(d1["amount"] == "1234550")
    #expect(d1["created_on"] == "2024-03-05")
    #expect(d1["closed_on"] == "2024-04-18")
    #expect(d1["registered_on"] == "2024-03-06")
    #expect(d1["registration_status"] == "approved")
    #expect(d1["product"] == "Analytics Suite")

    let expected: [String: [String: String]] = [
      "SF-0068W00000LqZ2bQAF": [
        "stage": "lost", "source": "co_sell", "amount": "800000", "created_on": "2024-01-22",
        "closed_on": "2024-03-29", "registered_on": absent, "registration_status": absent,
      ],
      // Open: the expected close date is dropped; "Partner Referral" is sourced; "Submitted" is pending.
      "SF-0068W00000LqZ3cQAF": [
        "stage": "open", "source": "sourced", "amount": "4500000", "closed_on": absent,
        "registered_on": "2024-02-15", "registration_status": "pending",
      ],
      // "Web" is not in the source map: the default.
      "SF-0068W00000LqZ4dQAF": ["stage": "open", "source": "influenced", "amount": "0", "closed_on": absent],
      // An empty Lead Source: the default too.
      "SF-0068W00000LqZ5eQAF": [
        "stage": "won", "source": "influenced", "amount": "12000000", "created_on": "2023-11-30",
        "closed_on": "2024-01-12",
      ],
      "SF-0068W00000LqZ6fQAF": [
        "stage": "won", "amount": "327525", "registered_on": "2023-09-02", "registration_status": "rejected",
        "partner_id": "0018W00001NrtJKAA1",
      ],
      "SF-0068W00000LqZ7gQAF": ["stage": "open", "source": "sourced", "amount": "1575000"],
    ]
    for (id, fields) in expected {
      let row = try #require(try await h.row(.deals, id), "\(id) is not stored")
      for (k, v) in fields { #expect(row[k] == (v == absent ? .some(nil) : .some(v)), "\(id).\(k)") }
    }
    #expect(try await h.row(.deals, "SF-0068W00000LqZ8hQAF") == nil)  // no partner: skipped
    #expect(try await h.store.counts()[.deals] == 7)
    // Importing the same export again changes nothing.
    let before = try await h.snapshot()
    let again = try await importMapped(h, [example("samples/salesforce-opportunities.csv")], mapping: m)
    #expect(again.written == 7)
    #expect(try await h.snapshot() == before)
  }

  @Test func hubspotSampleImportsAsExpected() async throws {
    let h = try await harnessWithPartners()
    let m = try ImportMapping.load(path: example("hubspot-deals.yaml"))
    let outcome = try await importMapped(h, [example("samples/hubspot-deals.csv")], mapping: m)
    #expect(outcome.rejected == nil, "\(outcome.rejected?.description ?? "")")
    #expect(outcome.written == 5)
    #expect(outcome.source?.rowsSkipped == 1)
    let expected: [String: [String: String]] = [
      "HS-15873920412": [
        "partner_id": "0018W00001NrtHQAAZ", "customer_id": "9876543210", "source": "sourced", "stage": "won",
        "created_on": "2024-03-05", "closed_on": "2024-04-18", "amount": "1234550",
      ],
      // Several associated companies: the first; Co-Sell.
      "HS-15873920988": [
        "customer_id": "9876543211", "source": "co_sell", "stage": "lost", "closed_on": "2024-03-29",
        "amount": "800000",
      ],
      // contractsent is open: the close date is dropped; an empty Deal Source is influenced.
      "HS-16001234567": ["stage": "open", "closed_on": absent, "source": "influenced", "amount": "4500000"],
      // 1899.999 rounds to 1900.00.
      "HS-16001239999": ["stage": "open", "source": "influenced", "amount": "190000", "created_on": "2024-03-01"],
      "HS-16001240001": [
        "stage": "won", "created_on": "2023-12-11", "closed_on": "2024-01-09", "amount": "25000",
        "partner_id": "0018W00001NsC4LAAV",
      ],
    ]
    for (id, fields) in expected {
      let row = try #require(try await h.row(.deals, id), "\(id) is not stored")
      for (k, v) in fields { #expect(row[k] == (v == absent ? .some(nil) : .some(v)), "\(id).\(k)") }
    }
    #expect(try await h.row(.deals, "HS-16001240777") == nil)
  }

  /// A small Salesforce-like export with bad rows (line 3: close before create; 4: unknown currency
  /// and a registration status the map lacks; 5: a partner that does not exist).
  static let badExport = CSVText.file(
    "Opportunity ID,Partner Account ID,Account ID,Lead Source,Created Date,Stage,Close Date,Amount,Deal Registration Date,Deal Registration Status,Product",
    "A1,0018W00001NrtHQAAZ,,Partner Sourced,3/5/2024,Closed Won,3/6/2024,\"$1,000\",,,",
    "A2,0018W00001NrtHQAAZ,,Partner Sourced,3/5/2024,Closed Won,3/2/2024,\"$1,000\",,,",
    "A3,0018W00001NrtHQAAZ,,Web,3/5/2024,Closed Lost,3/9/2024,€5,3/5/2024,Maybe,",
    "A4,P-404,,Web,3/5/2024,Prospecting,,$7,,,"
  )

  @Test func problemsOfMappedRowsCarrySourcePositions() async throws {
    let h = try await harnessWithPartners()
    let before = try await h.snapshot()
    let m = try ImportMapping.load(path: example("salesforce-opportunities.yaml"))
    let dir = try h.directory(["export.csv": Self.badExport])
    let outcome = try await importMapped(h, [dir], mapping: m)
    let rejected = try #require(outcome.rejected)
    let file = (dir as NSString).appendingPathComponent("export.csv")
    let p = rejected.problems
    let close = expectProblem(
      p, file: file, line: 3, column: 7, field: "closed_on", message: "must be on or after created_on (2024-03-05)")
    #expect(
      close?.description
        == "\(file):3:7: closed_on (from \"Close Date\" '3/2/2024') must be on or after created_on (2024-03-05), got 2024-03-02"
    )
    expectProblem(p, file: file, line: 4, column: 8, field: "amount", message: "(from \"Amount\") is in '€'")
    expectProblem(
      p, file: file, line: 4, column: 10, field: "registration_status",
      message: "'Maybe' is not in the mapping's map (it knows 'Submitted', 'Pending', 'Approved', 'Rejected')")
    expectProblem(
      p, file: file, line: 5, column: 2, field: "partner_id",
      message: "(from \"Partner Account ID\") 'P-404' names no partner")
    #expect(rejected.problemCount == 4)
    #expect(outcome.source?.rowsRejected == 3)
    // Nothing was stored, not even the good row.
    #expect(try await h.snapshot() == before)
  }

  @Test func missingSourceColumnStopsTheImportAtLineOne() async throws {
    let h = try await harnessWithPartners()
    let before = try await h.snapshot()
    let m = try ImportMapping.load(path: example("hubspot-deals.yaml"))
    let dir = try h.directory(["deals-march.csv": CSVText.file("Record ID,Deal Stage,Amount", "1,closedwon,5")])
    let outcome = try await importMapped(h, [dir], mapping: m, options: ImportOptions(skipInvalid: true))
    let rejected = try #require(outcome.rejected)
    let file = (dir as NSString).appendingPathComponent("deals-march.csv")
    let missing = rejected.problems.filter { $0.file == file && $0.line == 1 }
    #expect(missing.count == 5, "\(rejected.problems)")
    #expect(
      missing.contains {
        $0.description.hasPrefix("\(file):1: the header has no column \"Partner ID\"")
          && $0.message.contains("for partner_id")
      })
    #expect(try await h.snapshot() == before)
  }

  @Test func skipInvalidStoresTheGoodRowsAndRejectsTheOriginalLines() async throws {
    let h = try await harnessWithPartners()
    let m = try ImportMapping.load(path: example("salesforce-opportunities.yaml"))
    let dir = try h.directory(["export.csv": Self.badExport])
    let rejects = h.path("rejects.csv")
    let outcome = try await importMapped(
      h, [dir], mapping: m, options: ImportOptions(skipInvalid: true, rejectsPath: rejects))
    #expect(outcome.rejected == nil)
    #expect(outcome.written == 1)
    #expect(outcome.source?.rowsRejected == 3)
    #expect(try await h.row(.deals, "SF-A1")?["amount"] == "100000")
    for id in ["SF-A2", "SF-A3", "SF-A4"] { #expect(try await h.row(.deals, id) == nil) }

    let records = CSVText.parse(try String(contentsOfFile: rejects, encoding: .utf8))
    try #require(records.count == 4, "\(records)")
    #expect(records[0] == ["file", "line", "problems", "record"])
    #expect(records.dropFirst().map { $0[1] } == ["3", "4", "5"])
    #expect(records[1][2].hasPrefix("closed_on (from \"Close Date\" '3/2/2024') must be on or after created_on"))
    #expect(records[2][2].hasPrefix("registration_status (from \"Deal Registration Status\") 'Maybe'"))
    #expect(records[2][2].contains("; amount (from \"Amount\") is in '€'"))
    #expect(records[3][3] == "A4,P-404,,Web,3/5/2024,Prospecting,,$7,,,")
  }

  @Test func aDirectoryMeansAllItsCSVFilesWhateverTheirNames() async throws {
    let h = try await harnessWithPartners()
    let m = try ImportMapping.load(path: example("hubspot-deals.yaml"))
    let header =
      "Record ID,Deal Name,Deal Stage,Amount,Create Date,Close Date,Associated Company IDs,Partner ID,Deal Source"
    let dir = try h.directory([
      "hubspot-crm-exports-all-deals-2024-03.csv": CSVText.file(
        header, "1,One,closedwon,10,2024-03-01 09:00,2024-03-02 10:00,,0018W00001NrtHQAAZ,"),
      "april.csv": CSVText.file(header, "2,Two,qualifiedtobuy,20,2024-04-01 09:00,,,0018W00001NrtJKAA1,Co-Sell"),
      "notes.txt": Array("not an export".utf8),
    ])
    let outcome = try await importMapped(h, [dir], mapping: m)
    #expect(outcome.rejected == nil, "\(outcome.rejected?.description ?? "")")
    #expect(outcome.written == 2)
    #expect(try await h.row(.deals, "HS-1")?["closed_on"] == "2024-03-02")
    #expect(try await h.row(.deals, "HS-2")?["source"] == "co_sell")
  }

  @Test func withoutAFooterOptionAFooterIsABadRow() async throws {
    let h = try await harnessWithPartners()
    let yaml = try String(contentsOfFile: example("salesforce-opportunities.yaml"), encoding: .utf8)
      .replacingOccurrences(of: "ends_at_blank_line: true", with: "ends_at_blank_line: false")
    let m = try ImportMapping.parse(yaml: yaml, file: "sf.yaml")
    let outcome = try await importMapped(h, [example("samples/salesforce-opportunities.csv")], mapping: m)
    let rejected = try #require(outcome.rejected)
    #expect(rejected.problems.allSatisfy { $0.message.contains("has 1 fields but the header has 16") })
    #expect(rejected.problemCount == 5)
  }
}
