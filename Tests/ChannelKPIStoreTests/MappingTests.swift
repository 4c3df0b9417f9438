import ChannelKPI
import ChannelKPIStore
import Foundation
import Testing

// MARK: Helpers

/// The repository's `mappings/` directory (example mappings and their sample exports).
private let mappingsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("mappings").path

private func example(_ name: String) -> String { (mappingsDirectory as NSString).appendingPathComponent(name) }

/// The 1-based line and column of the first appearance of `needle` in `text`.
private func place(of needle: String, in text: String) -> (line: Int, column: Int)? {
  for (i, line) in text.components(separatedBy: "\n").enumerated() {
    if let r = line.range(of: needle) { return (i + 1, line.distance(from: line.startIndex, to: r.lowerBound) + 1) }
  }
  return nil
}

/// The errors of parsing a mapping that must not parse.
private func parseErrors(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) -> [DefinitionFileError] {
  do {
    _ = try ImportMapping.parse(yaml: yaml, file: "map.yaml")
    Issue.record("the mapping parsed", sourceLocation: sourceLocation)
    return []
  } catch {
    return error.errors
  }
}

/// Expects a parse error whose message contains `message`, at the place of `needle` (plus an offset).
private func expectParseError(
  _ yaml: String, at needle: String, columnOffset: Int = 0, _ message: String,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  let errs = parseErrors(yaml, sourceLocation: sourceLocation)
  guard let expected = place(of: needle, in: yaml) else {
    Issue.record("'\(needle)' is not in the fixture", sourceLocation: sourceLocation)
    return
  }
  guard let e = errs.first(where: { $0.message.contains(message) }) else {
    Issue.record("no error says '\(message)'; got \(errs.map(\.description))", sourceLocation: sourceLocation)
    return
  }
  #expect(e.file == "map.yaml", sourceLocation: sourceLocation)
  #expect(
    e.line == expected.line && e.column == expected.column + columnOffset,
    "\(e.description) is not at \(expected.line):\(expected.column + columnOffset)", sourceLocation: sourceLocation)
}

private func mapping(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ImportMapping {
  do { return try ImportMapping.parse(yaml: yaml, file: "map.yaml") } catch {
    Issue.record("the mapping does not parse: \(error.description)", sourceLocation: sourceLocation)
    throw error
  }
}

/// A deals mapping whose required fields are constants, plus the given field lines.
private func dealsMapping(_ fields: String, top: String = "") throws -> ImportMapping {
  let required: [String: String] = [
    "deal_id": "{value: D1}", "partner_id": "{value: P1}", "source": "{value: sourced}",
    "created_on": "{value: 2024-01-02}", "stage": "{value: open}", "amount": "{value: \"0\"}",
  ]
  var lines = fields.split(separator: "\n").map(String.init)
  for (k, v) in required.sorted(by: { $0.key < $1.key }) where !lines.contains(where: { $0.hasPrefix("  \(k):") }) {
    lines.append("  \(k): \(v)")
  }
  return try mapping("table: deals\n\(top)fields:\n" + lines.joined(separator: "\n") + "\n")
}

/// One row mapped through a mapping: header and cells as pairs.
private func mapRow(_ m: ImportMapping, _ cells: KeyValuePairs<String, String>) throws -> MappedRow {
  try m.map(header: cells.map(\.key), row: cells.map(\.value))
}

/// The canonical text of one field after mapping one cell through a one-field mapping.
private func mapped(
  _ field: String, _ options: String, cell: String, top: String = "", sourceLocation: SourceLocation = #_sourceLocation
) throws -> (text: String?, issues: [MappingIssue]) {
  let m = try dealsMapping("  \(field): \(options)", top: top)
  let row = try mapRow(m, ["Cell": cell])
  return (row[field], row.issues)
}

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

// MARK: Parsing

@Suite struct MappingParseTests {
  @Test func unknownTable() {
    let yaml = "table: opportunities\nfields:\n  deal_id: Id\n"
    expectParseError(yaml, at: "opportunities", "unknown table 'opportunities'; the tables are partners, deals")
  }

  @Test func missingTable() {
    expectParseError("fields:\n  deal_id: Id\n", at: "fields", "needs 'table:'")
  }

  @Test func unknownTopLevelKey() {
    expectParseError(
      "table: deals\ndate_fromat: M/D/YYYY\nfields: {}\n", at: "date_fromat", "unknown key 'date_fromat'")
  }

  @Test func unknownCanonicalFieldSuggestsOne() {
    let yaml = "table: deals\nfields:\n  sauce: Lead Source\n"
    expectParseError(yaml, at: "sauce", "deals has no field 'sauce' (did you mean 'source'?)")
  }

  @Test func unknownOption() {
    let yaml = "table: deals\nfields:\n  stage: {column: Stage, mapping: {Won: won}}\n"
    expectParseError(yaml, at: "mapping", "unknown option 'mapping' for stage (did you mean 'map'?)")
  }

  @Test func requiredFieldWithoutSource() {
    let yaml = """
      table: deals
      fields:
        deal_id: Opportunity ID
        partner_id: Partner Account ID
        source: {value: sourced}
        created_on: Created Date
        amount: Amount
      """
    expectParseError(yaml, at: "fields", "deals needs 'stage'")
    #expect(parseErrors(yaml).count == 1)
  }

  @Test func badDateFormatIsPlacedAtTheBadToken() {
    let yaml = "table: deals\nfields:\n  created_on: {column: Created, date_format: dd/MM/yyyy}\n"
    expectParseError(yaml, at: "dd/MM", "has 'dd', which is not a token")
    let quoted = "table: deals\nfields:\n  created_on: {column: Created, date_format: \"DD/MM/YYYYY\"}\n"
    expectParseError(quoted, at: "DD/MM", columnOffset: 6, "has 'YYYYY'")
  }

  @Test func dateFormatsThatCannotWork() {
    let base = "table: deals\nfields:\n  created_on: {column: Created, date_format: "
    expectParseError(base + "M/YYYY}\n", at: "M/YYYY", "has no day")
    expectParseError(base + "M/D/YYYY h:mm}\n", at: "M/D/YYYY", columnOffset: 9, "12-hour clock (h) without AM/PM")
    expectParseError(base + "'M/D/YYYY ['}\n", at: "'M/D", columnOffset: 10, "optional part '[' that is not closed")
    expectParseError(base + "M/D/YYYY mm}\n", at: "M/D/YYYY", columnOffset: 9, "minutes (m) without an hour")
    expectParseError(base + "M/D/M}\n", at: "M/D/M", columnOffset: 4, "reads the month twice")
  }

  @Test func optionsOnTheWrongKindOfField() {
    let yaml = """
      table: deals
      fields:
        deal_id: {column: Id, date_format: M/D/YYYY}
        amount: {column: Amount, prefix: "$"}
        created_on: {column: Created, money: {thousands: ","}}
      """
    expectParseError(yaml, at: "date_format", "'date_format' applies to date, datetime and month fields")
    expectParseError(yaml, at: "prefix", "'prefix' applies to id, text and slug fields; amount is a money")
    expectParseError(yaml, at: "money", "'money' applies to money fields")
  }

  @Test func canonicalValuesTheMappingWritesAreChecked() {
    let yaml = """
      table: deals
      fields:
        stage: {column: Stage, map: {Closed Won: Won, Closed Lost: lost}}
        source: {column: Lead Source, map: {Web: influenced}, default: partner}
        registration_status: {value: accepted}
        closed_on: {column: Close, only_if: {stage: [won, lsot]}}
      """
    expectParseError(yaml, at: "Won, Closed", "the map value 'Won' does not fit stage: it must be a slug")
    expectParseError(yaml, at: "partner}", "the default 'partner' is not a source; it must be one of sourced")
    expectParseError(yaml, at: "accepted", "the value 'accepted' is not a registration_status")
    expectParseError(yaml, at: "lsot", "the only_if value 'lsot' is not a stage")
  }

  @Test func conflictingOptions() {
    let yaml = """
      table: deals
      fields:
        stage: {column: Stage, map: {Closed Won: won}, case: lower}
        source: {value: sourced, column: Lead Source}
        product: {column: Product, otherwise: x}
        deal_id: {column: Id, join: "-"}
        customer_id: {column: Account, columns: [A, B]}
      """
    expectParseError(yaml, at: "map:", "cannot have 'case' too")
    expectParseError(yaml, at: "value:", "constant 'value', which takes no other options (it has column)")
    expectParseError(yaml, at: "otherwise", "'otherwise' is the value for source values not in 'map'")
    expectParseError(yaml, at: "join", "'join' goes with 'columns:'")
    expectParseError(yaml, at: "columns:", "both 'column' and 'columns'")
  }

  @Test func mapKeysThatDifferOnlyInCase() {
    let yaml = "table: deals\nfields:\n  stage: {column: Stage, map: {Closed Won: won, closed won: won}}\n"
    expectParseError(yaml, at: "closed won", "'closed won' is in the map twice (as 'Closed Won')")
  }

  @Test func onlyIfRules() {
    let yaml = """
      table: deals
      fields:
        registered_on: {column: Reg, only_if: {closed_on: "2024-01-01"}}
        closed_on: {column: Close, only_if: {stage: won}}
        product: {column: Product, only_if: {region: emea}}
        customer_id: {column: Account, only_if: {registration_status: approved}}
      """
    expectParseError(yaml, at: "closed_on: \"", "has an only_if of its own; conditions cannot be chained")
    expectParseError(yaml, at: "stage: won", "only_if names 'stage', which the mapping does not fill")
    expectParseError(yaml, at: "region", "only_if names 'region', which is not a field of deals")
    expectParseError(yaml, at: "registration_status: approved", "which the mapping does not fill")
  }

  @Test func datetimeNeedsATimeZone() {
    let yaml = """
      table: support_tickets
      fields:
        ticket_id: Id
        partner_id: Partner
        opened_at: {column: Created, date_format: YYYY-MM-DD HH:mm}
        resolved_at: {column: Solved, date_format: YYYY-MM-DD HH:mm, timezone: Mars/Olympus}
      """
    expectParseError(yaml, at: "YYYY-MM-DD HH:mm}", "opened_at is a datetime: give a timezone")
    expectParseError(yaml, at: "Mars/Olympus", "unknown timezone 'Mars/Olympus'")
  }

  @Test func moneyOptions() {
    let yaml = """
      table: deals
      money: {thousands: ",", decimal: ",", currency: EUR}
      fields:
        amount: {column: Amount, money: {thousands: "_"}}
      """
    expectParseError(yaml, at: "currency:", "unknown money option 'currency'")
    expectParseError(yaml, at: "{thousands: \",\"", "'thousands' and 'decimal' must differ")
    expectParseError(yaml, at: "\"_\"", "'thousands' is one of")
  }

  @Test func invalidYAML() {
    let errs = parseErrors("table: deals\nfields:\n  stage: {column: Stage\n")
    #expect(errs.count == 1)
    #expect(errs.first?.message.contains("not valid YAML") == true, "\(errs)")
    #expect(errs.first?.file == "map.yaml")
  }

  @Test func everyProblemIsReported() {
    let yaml = """
      table: deals
      fields:
        deal_id: {column: Id, prefx: SF-}
        sauce: x
        stage: {column: Stage, map: {Won: WON}}
      """
    let errs = parseErrors(yaml)
    #expect(errs.count == 7, "\(errs.map(\.description))")  // prefx, sauce, WON; partner_id, source, created_on, amount
  }

  @Test func examplesParse() throws {
    let sf = try ImportMapping.load(path: example("salesforce-opportunities.yaml"))
    #expect(sf.table == .deals)
    #expect(sf.endsAtBlankLine)
    #expect(sf.skipRowsWithout == ["partner_id"])
    #expect(sf.sourceColumns.contains("Opportunity ID") && sf.sourceColumns.contains("Deal Registration Status"))
    let hs = try ImportMapping.load(path: example("hubspot-deals.yaml"))
    #expect(hs.table == .deals)
    #expect(hs.sourceColumns.contains("Record ID"))
  }

  @Test func unreadableFile() {
    #expect(throws: DefinitionFileErrors.self) { try ImportMapping.load(path: "/nonexistent/map.yaml") }
  }
}

// MARK: Options

@Suite struct MappingOptionTests {
  @Test func columnShorthandAndHeaderMatching() throws {
    let m = try dealsMapping("  product: Product Name\n  customer_id: {column: Account ID}")
    // Header names match after trimming, or ignoring case and runs of spaces.
    let row = try m.map(header: [" Product Name ", "ACCOUNT  id", "Other"], row: ["  Gizmo ", "A-1", "x"])
    #expect(row["product"] == "Gizmo")
    #expect(row["customer_id"] == "A-1")
    #expect(row.positions[DealsColumn.product] == 1)
    #expect(row.positions[DealsColumn.customer] == 2)
    #expect(row["deal_id"] == "D1")
    #expect(row.positions[0] == nil)
  }

  @Test func missingAndDuplicatedSourceColumns() throws {
    let m = try dealsMapping("  product: Product\n  customer_id: Account")
    do {
      _ = try m.bind(header: ["Account", "Name"])
      Issue.record("bound")
    } catch {
      #expect(error.issues.count == 1)
      #expect(error.issues[0].message.contains("the header has no column \"Product\""))
      #expect(error.issues[0].message.contains("for product"))
    }
    do {
      _ = try m.bind(header: ["Account", "Product", "Product"])
      Issue.record("bound")
    } catch {
      #expect(error.issues.map(\.column) == [3])
      #expect(error.issues[0].message.contains("appears twice in the header (fields 2 and 3)"))
    }
  }

  @Test func prefixSuffixAndCase() throws {
    #expect(try mapped("deal_id", "{column: Cell, prefix: SF-, suffix: -x}", cell: "006A").text == "SF-006A-x")
    #expect(try mapped("product", "{column: Cell, case: upper}", cell: "gizmo").text == "GIZMO")
    #expect(try mapped("deal_id", "{column: Cell, prefix: SF-}", cell: " ").text == nil)
  }

  @Test func columnsJoinedAndSplit() throws {
    let m = try dealsMapping(
      "  deal_id: {columns: [Region, Number], join: \"/\"}\n  customer_id: {column: Companies, split: \";\"}")
    let row = try mapRow(m, ["Region": "EU", "Number": "42", "Companies": " ;987;654"])
    #expect(row["deal_id"] == "EU/42")
    #expect(row["customer_id"] == "987")
    #expect(row.positions[0] == 1)
    // An empty part is left out.
    let row2 = try mapRow(m, ["Region": "", "Number": "42", "Companies": ""])
    #expect(row2["deal_id"] == "42")
    #expect(row2["customer_id"] == nil)
    let dashes = try dealsMapping("  deal_id: {columns: [A, B]}")
    #expect(try mapRow(dashes, ["A": "x", "B": "y"])["deal_id"] == "x-y")
  }

  @Test func constantsAndDefaults() throws {
    let m = try dealsMapping(
      "  registration_status: {value: approved}\n  product: {column: Product, default: Platform}")
    let row = try mapRow(m, ["Product": ""])
    #expect(row["registration_status"] == "approved")
    #expect(row["product"] == "Platform")
    #expect(try mapRow(m, ["Product": "Gizmo"])["product"] == "Gizmo")
  }

  @Test func valueMaps() throws {
    let stage = "{column: Cell, map: {Closed Won: won, Closed Lost: lost}, otherwise: open}"
    #expect(try mapped("stage", stage, cell: "Closed Won").text == "won")
    #expect(try mapped("stage", stage, cell: "  closed   WON ").text == "won")
    #expect(try mapped("stage", stage, cell: "Negotiation/Review").text == "open")
    #expect(try mapped("stage", stage, cell: "").text == nil)
    // default covers empty cells and, without otherwise, values not in the map.
    let source = "{column: Cell, map: {Partner Sourced: sourced}, default: influenced}"
    #expect(try mapped("source", source, cell: "Web").text == "influenced")
    #expect(try mapped("source", source, cell: "").text == "influenced")
    #expect(try mapped("source", source, cell: "partner sourced").text == "sourced")
    // A map value of null (~) means absent.
    let status = "{column: Cell, map: {Approved: approved, None: ~}}"
    #expect(try mapped("registration_status", status, cell: "None").text == nil)
    #expect(try mapped("registration_status", status, cell: "None").issues.isEmpty)
  }

  @Test func valueNotInTheMapIsAProblemNamingTheKnownValues() throws {
    let r = try mapped("stage", "{column: Cell, map: {Closed Won: won, Closed Lost: lost}}", cell: "Negotiation")
    #expect(r.text == nil)
    try #require(r.issues.count == 1)
    #expect(r.issues[0].field == "stage")
    #expect(r.issues[0].column == 1)
    #expect(
      r.issues[0].message
        == "(from \"Cell\") 'Negotiation' is not in the mapping's map (it knows 'Closed Won', 'Closed Lost'); add it to the map, or set otherwise:"
    )
  }

  @Test(arguments: [
    ("M/D/YYYY", "3/5/2024", "2024-03-05"),
    ("M/D/YYYY", "03/05/2024", "2024-03-05"),
    ("MM/DD/YYYY", "3/5/2024", "2024-03-05"),
    ("D/M/YYYY", "5/3/2024", "2024-03-05"),
    ("DD.MM.YYYY", "05.03.2024", "2024-03-05"),
    ("YYYYMMDD", "20240305", "2024-03-05"),
    ("M/D/YY", "3/5/24", "2024-03-05"),
    ("M/D/YY", "3/5/99", "1999-03-05"),
    ("MMM D, YYYY", "Mar 5, 2024", "2024-03-05"),
    ("D MMMM YYYY", "5 march 2024", "2024-03-05"),
    ("YYYY-MM-DD", "2024-03-05 10:22", "2024-03-05"),  // a time the format does not read is ignored
    ("M/D/YYYY", "3/5/2024 10:22 AM", "2024-03-05"),
    ("M/D/YYYY h:mm a", "3/5/2024 10:22 PM", "2024-03-05"),
    ("YYYY-MM-DD[ HH:mm]", "2024-03-05", "2024-03-05"),
  ])
  func dateFormats(_ format: String, _ cell: String, _ expected: String) throws {
    let r = try mapped("created_on", "{column: Cell, date_format: \"\(format)\"}", cell: cell)
    #expect(r.text == expected, "\(r.issues)")
    #expect(r.issues.isEmpty)
  }

  @Test func datesThatDoNotFit() throws {
    let fmt = "{column: Cell, date_format: M/D/YYYY}"
    let wrong = try mapped("created_on", fmt, cell: "2024-03-05")
    #expect(wrong.issues.map(\.message) == ["(from \"Cell\") '2024-03-05' does not match the date format M/D/YYYY"])
    let notADay = try mapped("created_on", fmt, cell: "2/30/2024")
    #expect(notADay.issues.map(\.message) == ["(from \"Cell\") '2/30/2024' is not a calendar date"])
    #expect(try mapped("created_on", fmt, cell: "3/5/2024x").issues.count == 1)
    #expect(try mapped("created_on", fmt, cell: "13/5/2024").issues.count == 1)
  }

  @Test func mappingWideDateFormatAndFieldOverride() throws {
    let m = try dealsMapping(
      "  created_on: Created\n  closed_on: {column: Closed, date_format: YYYY-MM-DD}", top: "date_format: D.M.YYYY\n")
    let row = try mapRow(m, ["Created": "5.3.2024", "Closed": "2024-04-01"])
    #expect(row["created_on"] == "2024-03-05")
    #expect(row["closed_on"] == "2024-04-01")
  }

  @Test func datetimesWithATimeZone() throws {
    func ticket(_ options: String, _ cell: String, top: String = "") throws -> MappedRow {
      let m = try mapping(
        "table: support_tickets\n\(top)fields:\n  ticket_id: {value: T1}\n  partner_id: {value: P1}\n  opened_at: \(options)\n"
      )
      return try m.map(header: ["Created"], row: [cell])
    }
    // Salesforce-style 12-hour time, in a fixed offset.
    let a = try ticket("{column: Created, date_format: M/D/YYYY h:mm a, timezone: \"-05:00\"}", "3/5/2024 10:22 PM")
    #expect(a["opened_at"] == "2024-03-05T22:22:00-05:00")
    // HubSpot-style, in a named zone: CET in winter, CEST in summer.
    let tz = "{column: Created, date_format: YYYY-MM-DD HH:mm, timezone: Europe/Berlin}"
    #expect(try ticket(tz, "2024-03-05 10:22")["opened_at"] == "2024-03-05T10:22:00+01:00")
    #expect(try ticket(tz, "2024-07-05 10:22")["opened_at"] == "2024-07-05T10:22:00+02:00")
    // 12 AM is midnight, 12 PM noon.
    let utc = "{column: Created, date_format: M/D/YYYY h:mm a, timezone: UTC}"
    #expect(try ticket(utc, "3/5/2024 12:05 AM")["opened_at"] == "2024-03-05T00:05:00Z")
    #expect(try ticket(utc, "3/5/2024 12:05 pm")["opened_at"] == "2024-03-05T12:05:00Z")
    // The offset written in the cell, with seconds and fractions.
    let z = "{column: Created, date_format: \"YYYY-MM-DD HH:mm:ss.SSS Z\"}"
    #expect(try ticket(z, "2024-03-05 10:22:13.250 +0530")["opened_at"] == "2024-03-05T10:22:13.25+05:30")
    // Mapping-wide datetime format and timezone.
    let wide = try ticket(
      "Created", "05/03/2024 09:30", top: "datetime_format: DD/MM/YYYY HH:mm\ntimezone: \"+02:00\"\n")
    #expect(wide["opened_at"] == "2024-03-05T09:30:00+02:00")
    let own = try ticket(
      "{column: Created, timezone: UTC}", "05/03/2024 09:30",
      top: "datetime_format: DD/MM/YYYY HH:mm\ntimezone: \"+02:00\"\n")
    #expect(own["opened_at"] == "2024-03-05T09:30:00Z")
    let bad = try ticket(utc, "3/5/2024 13:05 PM")
    #expect(bad.issues.count == 1)
  }

  @Test func supportTicketExampleOfTheDocs() throws {
    let m = try mapping(
      """
      table: support_tickets
      datetime_format: YYYY-MM-DD HH:mm:ss
      timezone: Europe/Berlin
      fields:
        ticket_id:    {column: Ticket ID, prefix: "ZD-"}
        partner_id:   Partner ID
        customer_id:  Organization ID
        opened_at:    Created at
        resolved_at:  Solved at
        satisfaction: {column: Satisfaction, map: {Good: "5", Bad: "1", Offered: ~, Unoffered: ~}}
      """)
    let b = try m.bind(header: [
      "Ticket ID", "Partner ID", "Organization ID", "Created at", "Solved at", "Satisfaction",
    ])
    let r = try b.record(["812", "P1", "", "2024-03-05 10:22:00", "2024-03-05 16:00:00", "Offered"]).get()
    #expect(r["ticket_id"].string == "ZD-812")
    #expect(r["opened_at"].timestamp?.description == "2024-03-05T10:22:00+01:00")
    #expect(r["resolved_at"].timestamp?.description == "2024-03-05T16:00:00+01:00")
    #expect(r["satisfaction"] == .absent)
    #expect(try b.record(["813", "P1", "", "2024-03-05 10:22:00", "", "Good"]).get()["satisfaction"].int == 5)
  }

  @Test func monthFields() throws {
    let m = try mapping(
      "table: market\nfields:\n  region: {value: emea}\n  month: {column: Month, date_format: MMM YYYY}\n  market_revenue: Revenue\n"
    )
    let row = try m.map(header: ["Month", "Revenue"], row: ["Sep 2024", "1000"])
    #expect(row["month"] == "2024-09")
  }

  @Test(arguments: [
    ("{currency_symbols: true, thousands: \",\"}", "$12,345.50", "12345.50"),
    ("{currency_symbols: true, thousands: \",\"}", "USD 1,200", "1200.00"),
    ("{currency_symbols: true, thousands: \",\"}", "US$ 99.9", "99.90"),
    ("{currency_symbols: true, thousands: \",\"}", "(1,234.00)", "-1234.00"),
    ("{currency_symbols: true, thousands: \",\"}", "-$5", "-5.00"),
    ("{currency_symbols: true, thousands: \",\"}", "$-5", "-5.00"),
    ("{currency_symbols: true, thousands: \".\", decimal: \",\"}", "1.234,56 €", "1234.56"),
    ("{currency_symbols: [EUR, €], thousands: \" \", decimal: \",\"}", "1\u{00A0}234,5 EUR", "1234.50"),
    ("{thousands: \"'\"}", "1'234'567.10", "1234567.10"),
    ("{thousands: \",\"}", "12345.500", "12345.50"),
    ("{round: true}", "1899.999", "1900.00"),
    ("{round: true}", "10.004", "10.00"),
    ("{round: true}", "(10.005)", "-10.01"),
  ])
  func moneyFormats(_ options: String, _ cell: String, _ expected: String) throws {
    let r = try mapped("amount", "{column: Cell, money: \(options)}", cell: cell)
    #expect(r.text == expected, "\(r.issues)")
  }

  @Test(arguments: [
    ("{thousands: \",\"}", "$12", "has the currency sign '$'; add currency_symbols: true"),
    ("{currency_symbols: [USD, $]}", "€12", "is in '€', but the mapping accepts only USD, $"),
    ("{currency_symbols: true, thousands: \",\"}", "12,50", "digit groups that do not fit the thousands separator ','"),
    ("{thousands: \",\"}", "12.345", "more than 2 decimals; add round: true"),
    ("{thousands: \",\"}", "12k", "has 'k', which is not a digit or separator"),
  ])
  func moneyThatDoesNotFit(_ options: String, _ cell: String, _ message: String) throws {
    let r = try mapped("amount", "{column: Cell, money: \(options)}", cell: cell)
    #expect(r.text == nil)
    #expect(r.issues.count == 1)
    #expect(r.issues.first?.message.contains(message) == true, "\(r.issues)")
  }

  @Test func mappingWideMoneyOptions() throws {
    let m = try dealsMapping("  amount: Amount", top: "money: {currency_symbols: true, thousands: \",\"}\n")
    #expect(try mapRow(m, ["Amount": "$1,000"])["amount"] == "1000.00")
  }

  @Test func onlyIfEmptiesAFieldWhoseConditionFails() throws {
    let m = try dealsMapping(
      """
        stage: {column: Stage, map: {Closed Won: won, Closed Lost: lost}, otherwise: open}
        closed_on: {column: Close, date_format: M/D/YYYY, only_if: {stage: [won, lost]}}
      """)
    let won = try mapRow(m, ["Stage": "Closed Won", "Close": "4/18/2024"])
    #expect(won["closed_on"] == "2024-04-18")
    let open = try mapRow(m, ["Stage": "Prospecting", "Close": "6/28/2024"])
    #expect(open["closed_on"] == nil)
    // The condition drops the field's problems too: an open deal's expected close date is not checked.
    let garbage = try mapRow(m, ["Stage": "Prospecting", "Close": "next quarter"])
    #expect(garbage["closed_on"] == nil)
    #expect(garbage.issues.isEmpty)
  }

  @Test func rowsWithoutAFieldAreSkipped() throws {
    let m = try dealsMapping("  partner_id: Partner", top: "skip_rows_without: [partner_id]\n")
    #expect(try mapRow(m, ["Partner": ""]).skipped)
    #expect(try !mapRow(m, ["Partner": "P1"]).skipped)
  }

  @Test func bindingValidatesAndPlacesProblemsAtSourceColumns() throws {
    let m = try dealsMapping(
      """
        created_on: {column: Created, date_format: M/D/YYYY}
        stage: {column: Stage, map: {Closed Won: won}, otherwise: open}
        closed_on: {column: Close, date_format: M/D/YYYY}
      """)
    let b = try m.bind(header: ["Created", "Stage", "Close"])
    let ok = try b.record(["3/5/2024", "Closed Won", "4/1/2024"]).get()
    #expect(ok["closed_on"].day == Day(iso: "2024-04-01"))
    guard case .failure(let e) = b.record(["3/5/2024", "Closed Won", "3/1/2024"]) else {
      Issue.record("accepted")
      return
    }
    #expect(e.issues.map(\.field) == ["closed_on"])
    #expect(e.issues[0].column == 3)
    #expect(
      e.issues[0].message == "(from \"Close\" '3/1/2024') must be on or after created_on (2024-03-05), got 2024-03-01")
    // A field the mapping cannot read is reported once, not again as missing.
    guard case .failure(let e2) = b.record(["yesterday", "Closed Won", "3/1/2024"]) else {
      Issue.record("accepted")
      return
    }
    #expect(e2.issues.map(\.field) == ["created_on"])
    #expect(e2.issues[0].message.contains("does not match the date format"))
  }
}

/// Stands for an empty (NULL) stored value in expected rows.
private let absent = "<absent>"

/// Positions of deals columns used above.
private enum DealsColumn {
  static let customer = 2
  static let product = 10
}

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
