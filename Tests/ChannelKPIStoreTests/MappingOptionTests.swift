import ChannelKPI
import ChannelKPIStore
import Foundation
import Testing

// MARK: Helpers

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

/// Positions of deals columns used above.
private enum DealsColumn {
  static let customer = 2
  static let product = 10
}
