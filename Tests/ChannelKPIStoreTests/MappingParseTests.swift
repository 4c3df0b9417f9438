import ChannelKPI
import ChannelKPIStore
import Foundation
import Testing

// MARK: Helpers

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
  expectPlacedError(
    parseErrors(yaml, sourceLocation: sourceLocation), in: "map.yaml", text: yaml, at: needle,
    columnOffset: columnOffset, message, sourceLocation: sourceLocation)
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
