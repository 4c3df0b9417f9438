import ChannelKPI
import ChannelKPIStore
import Foundation
import Testing

/// One rule of the data format, broken by one row (or the header, or the file) of an import that
/// otherwise holds good rows, some of which update the baseline and some of which are new.
struct RuleCase: Sendable, CustomTestStringConvertible {
  var name: String
  /// Files of the bad import besides `partners.update.csv`.
  var files: [String: [UInt8]]
  /// The file the problem is in.
  var file: String
  var line: Int
  var column: Int?
  var field: String?
  /// Words of the message that name the rule.
  var message: String
  var problemCount = 1
  var options = ImportOptions()

  var testDescription: String { name }

  /// A file of `table` with the canonical header: good row, bad row (line 3), good row.
  static func row(
    _ name: String, _ table: CanonicalTable, _ bad: String, column: Int?, field: String?, _ message: String
  ) -> RuleCase {
    let good = RuleCase.good[table]!
    return RuleCase(
      name: name, files: [table.fileName: CSVText.file([Header.of(table), good[0], bad, good[1]])],
      file: table.fileName, line: 3, column: column, field: field, message: message)
  }

  /// Good rows per table: the first replaces a baseline row, the second is new (of partner P9,
  /// which only `partners.update.csv` of the same import holds).
  static let good: [CanonicalTable: [String]] = [
    .partners: ["P1,Alpha Two,reseller,emea,DE,gold,2024-01-15,,Ann", "P8,Delta,msp,apac,AU,silver,2024-06-01,,"],
    .deals: ["D2,P2,,influenced,2025-01-10,,,won,2025-03-01,1300,", "D3,P9,,sourced,2025-02-01,,,open,,250,Gadget"],
    .leads: ["L1,P1,C1,2025-01-12,2025-01-21,D1", "L2,P9,,2025-02-01,,"],
    .campaigns: ["C1,P1,Spring push 2,email,2025-01-10,2025-02-10,1100,400", "C2,P9,Launch,web,2025-02-01,,300,"],
    .webTraffic: ["P1,2025-01-12,,9", "P9,2025-01-13,,3"],
    .customers: ["K1,P1,2025-02-01,,mid_market", "K2,P9,2025-03-01,,"],
    .surveys: ["R1,P1,K1,2025-02-15,10", "R2,P9,,2025-03-01,6"],
    .supportTickets: [
      "T1,P1,K1,2025-02-03T09:30:00Z,2025-02-03T18:00:00+02:00,5", "T2,P9,,2025-03-01T08:00:00-05:00,,",
    ],
    .certifications: ["X1,P2,E1,sales,2025-01-02,2025-02-28", "X2,P9,E2,technical,2025-02-01,"],
    .market: ["emea,2025-02,1200000", "na,2025-02,800000"],
  ]

  /// Good partner rows in every bad import: a changed baseline partner and a new one.
  static let partnersUpdate = CSVText.file(
    Header.partners, "P1,Alpha Renamed,reseller,emea,DE,platinum,2024-01-15,,Ann",
    "P9,Omega,referral,latam,BR,,2025-01-01,,")

  static let all: [RuleCase] = values + structure + references

  // MARK: Values and row rules

  static let values: [RuleCase] = [
    row(
      "id of 129 characters", .deals, String(repeating: "x", count: 129) + ",P1,,sourced,2025-01-05,,,open,,100,",
      column: 1, field: "deal_id", "at most 128 characters"),
    RuleCase(
      name: "id with a control character (header in another order)",
      files: [
        "partners.csv": CSVText.file(
          "name,partner_id,type,region,joined_on", "Alpha Two,P1,reseller,emea,2024-01-15",
          "Gamma,P\t7,reseller,emea,2024-05-01", "Delta,P8,msp,apac,2024-06-01")
      ], file: "partners.csv", line: 3, column: 2, field: "partner_id", message: "control characters"),
    row(
      "optional id with a control character", .deals, "D4,P1,K\u{7}9,sourced,2025-01-05,,,open,,100,", column: 3,
      field: "customer_id", "control characters"),
    row(
      "text with a NUL character", .deals, "D4,P1,,sourced,2025-01-05,,,open,,100,Wid\u{0}get", column: 11,
      field: "product", "NUL character"),
    row("required column empty", .deals, "D4,P1,,,2025-01-05,,,open,,100,", column: 4, field: "source", "is required"),
    RuleCase(
      name: "required column empty (header in another order)",
      files: [
        "campaigns.csv": CSVText.file(
          "cost,name,campaign_id,partner_id,started_on", "1100,Spring push 2,C1,P1,2025-01-10",
          "500,,C7,P1,2025-02-01", "300,Launch,C2,P9,2025-02-01")
      ], file: "campaigns.csv", line: 3, column: 2, field: "name", message: "is required"),
    row(
      "nonexistent date 2025-02-30", .customers, "K7,P1,2025-02-30,,smb", column: 3, field: "acquired_on",
      "calendar date YYYY-MM-DD"),
    row(
      "date without zero padding 2025-2-3", .certifications, "X7,P1,E7,sales,2025-2-3,", column: 5,
      field: "enrolled_on", "calendar date YYYY-MM-DD"),
    row(
      "date-time without an offset", .supportTickets, "T7,P1,,2025-02-03T09:30:00,,", column: 4, field: "opened_at",
      "ISO 8601"),
    row(
      "date-time with a bad offset", .supportTickets, "T7,P1,,2025-02-03T09:30:00Z,2025-02-03T10:00:00+25:00,",
      column: 5, field: "resolved_at", "ISO 8601"),
    row("month 2025-13", .market, "na,2025-13,5000", column: 2, field: "month", "month YYYY-MM"),
    row("month 2025-3", .market, "na,2025-3,5000", column: 2, field: "month", "month YYYY-MM"),
    row(
      "money with a thousands separator", .deals, "D4,P1,,sourced,2025-01-05,,,open,,\"1,234.00\",", column: 10,
      field: "amount", "at most 2 decimals"),
    row(
      "money with a currency sign", .deals, "D4,P1,,sourced,2025-01-05,,,open,,$12,", column: 10, field: "amount",
      "at most 2 decimals"),
    row(
      "money with 3 decimals", .deals, "D4,P1,,sourced,2025-01-05,,,open,,1.234,", column: 10, field: "amount",
      "at most 2 decimals"),
    row(
      "money ending with a dot", .deals, "D4,P1,,sourced,2025-01-05,,,open,,12.,", column: 10, field: "amount",
      "at most 2 decimals"),
    row("int with decimals", .webTraffic, "P1,2025-01-13,,12.5", column: 4, field: "visits", "whole number"),
    row("int in words", .webTraffic, "P1,2025-01-13,,ten", column: 4, field: "visits", "whole number"),
    row(
      "slug with uppercase", .partners, "P7,Gamma,Reseller,emea,DE,,2024-05-01,,", column: 3, field: "type",
      "must be a slug"),
    row(
      "region slug with uppercase", .partners, "P7,Gamma,reseller,EMEA,DE,,2024-05-01,,", column: 4, field: "region",
      "must be a slug"),
    row(
      "country of three letters", .partners, "P7,Gamma,reseller,emea,DEU,,2024-05-01,,", column: 5, field: "country",
      "ISO 3166-1"),
    row(
      "country with a digit", .partners, "P7,Gamma,reseller,emea,D1,,2024-05-01,,", column: 5, field: "country",
      "ISO 3166-1"),
    row(
      "left_on before joined_on", .partners, "P7,Gamma,reseller,emea,DE,,2024-05-01,2024-04-30,", column: 8,
      field: "left_on", "on or after joined_on"),
    row(
      "deal source not in the vocabulary", .deals, "D4,P1,,partner,2025-01-05,,,open,,100,", column: 4,
      field: "source", "must be one of sourced, influenced, co_sell"),
    row(
      "deal stage not in the vocabulary", .deals, "D4,P1,,sourced,2025-01-05,,,closed,2025-02-01,100,", column: 8,
      field: "stage", "must be one of open, won, lost"),
    row(
      "registration status not in the vocabulary", .deals, "D4,P1,,sourced,2025-01-05,2025-01-06,denied,open,,100,",
      column: 7, field: "registration_status", "must be one of pending, approved, rejected"),
    row(
      "registration status missing when registered", .deals, "D4,P1,,sourced,2025-01-05,2025-01-06,,open,,100,",
      column: 7, field: "registration_status", "required when registered_on is given"),
    row(
      "closed_on missing for a won deal", .deals, "D4,P1,,sourced,2025-01-05,,,won,,100,", column: 9,
      field: "closed_on", "required when stage is won"),
    row(
      "closed_on missing for a lost deal", .deals, "D4,P1,,sourced,2025-01-05,,,lost,,100,", column: 9,
      field: "closed_on", "required when stage is lost"),
    row(
      "closed_on present for an open deal", .deals, "D4,P1,,sourced,2025-01-05,,,open,2025-02-01,100,", column: 9,
      field: "closed_on", "must be empty while the deal is open"),
    RuleCase(
      name: "closed_on before created_on (header in another order, multi-line field before)",
      files: [
        "deals.csv": CSVText.file(
          "amount,stage,deal_id,created_on,closed_on,partner_id,source,product",
          "1300,won,D2,2025-01-10,2025-03-01,P2,influenced,\"Widget", "Pro, large\"",
          "100,lost,D4,2025-01-05,2025-01-04,P1,sourced,", "250,open,D3,2025-02-01,,P9,sourced,Gadget")
      ], file: "deals.csv", line: 4, column: 5, field: "closed_on", message: "on or after created_on"),
    row(
      "negative amount", .deals, "D4,P1,,sourced,2025-01-05,,,open,,-5,", column: 10, field: "amount", "≥ 0"),
    row(
      "converted_on before created_on", .leads, "L7,P1,,2025-02-10,2025-02-09,", column: 5, field: "converted_on",
      "on or after created_on"),
    row(
      "ended_on before started_on", .campaigns, "C7,P1,Fall,event,2025-03-01,2025-02-28,100,", column: 6,
      field: "ended_on", "on or after started_on"),
    row("negative cost", .campaigns, "C7,P1,Fall,event,2025-03-01,,-1,", column: 7, field: "cost", "≥ 0"),
    row(
      "negative MDF amount", .campaigns, "C7,P1,Fall,event,2025-03-01,,100,-1", column: 8, field: "mdf_amount", "≥ 0"),
    row(
      "MDF amount above cost", .campaigns, "C7,P1,Fall,event,2025-03-01,,100,100.01", column: 8, field: "mdf_amount",
      "must not exceed cost"),
    row("negative visits", .webTraffic, "P1,2025-01-13,,-3", column: 4, field: "visits", "≥ 0"),
    row(
      "churned_on before acquired_on", .customers, "K7,P1,2025-02-01,2025-01-31,", column: 4, field: "churned_on",
      "on or after acquired_on"),
    row("score above 10", .surveys, "R7,P1,,2025-02-15,11", column: 5, field: "score", "between 0 and 10"),
    row("score below 0", .surveys, "R7,P1,,2025-02-15,-1", column: 5, field: "score", "between 0 and 10"),
    row(
      "resolved_at before opened_at (other offset)", .supportTickets,
      "T7,P1,,2025-02-03T09:30:00Z,2025-02-03T10:00:00+02:00,", column: 5, field: "resolved_at",
      "must not be before opened_at"),
    row(
      "satisfaction above 5", .supportTickets, "T7,P1,,2025-02-03T09:30:00Z,2025-02-03T12:00:00Z,6", column: 6,
      field: "satisfaction", "between 1 and 5"),
    row(
      "satisfaction 0", .supportTickets, "T7,P1,,2025-02-03T09:30:00Z,2025-02-03T12:00:00Z,0", column: 6,
      field: "satisfaction", "between 1 and 5"),
    row(
      "completed_on before enrolled_on", .certifications, "X7,P1,E7,sales,2025-02-01,2025-01-31", column: 6,
      field: "completed_on", "on or after enrolled_on"),
    row("market revenue 0", .market, "na,2025-03,0", column: 3, field: "market_revenue", "> 0"),
    row("negative market revenue", .market, "na,2025-03,-100", column: 3, field: "market_revenue", "> 0"),
    RuleCase(
      name: "field position counts ignored unknown columns",
      files: [
        "deals.csv": CSVText.file(
          "note," + Header.deals, "a,D2,P2,,influenced,2025-01-10,,,won,2025-03-01,1300,",
          "b,D4,P1,,sourced,2025-01-05,,,open,,-5,", "c,D3,P9,,sourced,2025-02-01,,,open,,250,Gadget")
      ], file: "deals.csv", line: 3, column: 11, field: "amount", message: "≥ 0",
      options: ImportOptions(ignoreUnknownColumns: true)),
    RuleCase(
      name: "file with a byte-order mark",
      files: [
        "deals.csv": [0xEF, 0xBB, 0xBF]
          + CSVText.file(
            Header.deals, "D2,P2,,influenced,2025-01-10,,,won,2025-03-01,1300,",
            String(repeating: "y", count: 129) + ",P1,,sourced,2025-01-05,,,open,,100,")
      ], file: "deals.csv", line: 3, column: 1, field: "deal_id", message: "at most 128 characters"),
    RuleCase(
      name: "bad row after CRLF lines and a blank line",
      files: [
        "surveys.csv": CSVText.file(
          [Header.surveys, "R1,P1,K1,2025-02-15,10", "", "R2,P9,,2025-03-01,6", "R7,P1,,2025-02-15,12"],
          lineBreak: "\r\n", final: false)
      ], file: "surveys.csv", line: 5, column: 5, field: "score", message: "between 0 and 10"),
  ]

  // MARK: Header and file structure

  static let structure: [RuleCase] = [
    RuleCase(
      name: "required column missing from the header",
      files: [
        "deals.csv": CSVText.file(
          "deal_id,partner_id,source,created_on,stage,closed_on", "D2,P2,influenced,2025-01-10,won,2025-03-01")
      ], file: "deals.csv", line: 1, column: nil, field: "amount", message: "header does not have it"),
    RuleCase(
      name: "unknown column",
      files: [
        "deals.csv": CSVText.file(
          Header.deals + ",discount", "D2,P2,,influenced,2025-01-10,,,won,2025-03-01,1300,,5")
      ], file: "deals.csv", line: 1, column: 12, field: "discount", message: "is not a column of deals"),
    RuleCase(
      name: "unknown column with --skip-invalid (a broken file stops the import)",
      files: [
        "deals.csv": CSVText.file(
          Header.deals + ",discount", "D2,P2,,influenced,2025-01-10,,,won,2025-03-01,1300,,5")
      ], file: "deals.csv", line: 1, column: 12, field: "discount", message: "is not a column of deals",
      options: ImportOptions(skipInvalid: true)),
    RuleCase(
      name: "duplicate header column",
      files: [
        "deals.csv": CSVText.file(
          "deal_id,partner_id,source,created_on,stage,amount,closed_on,amount",
          "D2,P2,influenced,2025-01-10,won,1300,2025-03-01,1300")
      ], file: "deals.csv", line: 1, column: 8, field: "amount", message: "appears twice"),
    row(
      "too many fields", .deals, "D4,P1,,sourced,2025-01-05,,,open,,100,Widget,extra", column: nil, field: nil,
      "has 12 fields but the header has 11"),
    row("too few fields", .deals, "D4,P1,sourced", column: nil, field: nil, "has 3 fields but the header has 11"),
    RuleCase(
      name: "unclosed quote",
      files: [
        "deals.csv": CSVText.file(
          Header.deals, "D2,P2,,influenced,2025-01-10,,,won,2025-03-01,1300,",
          "D4,P1,\"K9,sourced,2025-01-05,,,open,,100,", "D3,P9,,sourced,2025-02-01,,,open,,250,Gadget")
      ], file: "deals.csv", line: 3, column: 3, field: "customer_id", message: "not closed"),
    RuleCase(
      name: "unclosed quote with --skip-invalid (a broken file stops the import)",
      files: [
        "deals.csv": CSVText.file(
          Header.deals, "D2,P2,,influenced,2025-01-10,,,won,2025-03-01,1300,",
          "D4,P1,\"K9,sourced,2025-01-05,,,open,,100,", "D3,P9,,sourced,2025-02-01,,,open,,250,Gadget")
      ], file: "deals.csv", line: 3, column: 3, field: "customer_id", message: "not closed",
      options: ImportOptions(skipInvalid: true)),
    RuleCase(
      name: "invalid UTF-8",
      files: [
        "deals.csv": CSVText.file(Header.deals, "D2,P2,,influenced,2025-01-10,,,won,2025-03-01,1300,")
          + Array("D4,P1,,sourced,2025-01-05,,,open,,100,Wid".utf8) + [0xFF, 0xFE] + Array("get\n".utf8)
          + CSVText.file("D3,P9,,sourced,2025-02-01,,,open,,250,Gadget")
      ], file: "deals.csv", line: 3, column: 11, field: "product", message: "not valid UTF-8"),
    // The bytes are checked as they are read, before the row's other problems (here: a field
    // too many), and stop the import whatever --skip-invalid says.
    RuleCase(
      name: "invalid UTF-8 in a row with a field too many",
      files: [
        "deals.csv": CSVText.file(Header.deals, "D2,P2,,influenced,2025-01-10,,,won,2025-03-01,1300,")
          + Array("D4,P1,,sourced,2025-01-05,,,open,,100,Wid".utf8) + [0xFF] + Array("get,extra\n".utf8)
          + CSVText.file("D3,P9,,sourced,2025-02-01,,,open,,250,Gadget")
      ], file: "deals.csv", line: 3, column: 11, field: "product", message: "not valid UTF-8",
      options: ImportOptions(skipInvalid: true)),
    // Not a value the import keeps, but bytes of the file all the same (the quick path of rows
    // sends any byte outside ASCII to the full check).
    RuleCase(
      name: "invalid UTF-8 in an ignored column",
      files: [
        "deals.csv": CSVText.file(Header.deals + ",note", "D2,P2,,influenced,2025-01-10,,,won,2025-03-01,1300,,ok")
          + Array("D4,P1,,sourced,2025-01-05,,,open,,100,Widget,n".utf8) + [0xC3, 0x28] + Array("\n".utf8)
          + CSVText.file("D3,P9,,sourced,2025-02-01,,,open,,250,Gadget,")
      ], file: "deals.csv", line: 3, column: 12, field: nil, message: "field 12 is not valid UTF-8",
      options: ImportOptions(ignoreUnknownColumns: true)),
    RuleCase(
      name: "empty file", files: ["deals.csv": []], file: "deals.csv", line: 1, column: nil, field: nil,
      message: "is empty"),
  ]

  // MARK: References

  static let references: [RuleCase] =
    [
      (CanonicalTable.deals, "D4,P404,,sourced,2025-01-05,,,open,,100,", 2),
      (.leads, "L7,P404,,2025-02-10,,", 2),
      (.campaigns, "C7,P404,Fall,event,2025-03-01,,100,", 2),
      (.webTraffic, "P404,2025-01-13,,3", 1),
      (.customers, "K7,P404,2025-02-01,,", 2),
      (.surveys, "R7,P404,,2025-02-15,8", 2),
      (.supportTickets, "T7,P404,,2025-02-03T09:30:00Z,,", 2),
      (.certifications, "X7,P404,E7,sales,2025-02-01,", 2),
    ].map { t, bad, column in
      row(
        "unknown partner_id in \(t.rawValue)", t, bad, column: column, field: "partner_id",
        "'P404' names no partner (not stored and not in this import)")
    } + [
      row(
        "unknown campaign_id in leads", .leads, "L7,P1,C404,2025-02-10,,", column: 3, field: "campaign_id",
        "'C404' names no campaign"),
      row(
        "unknown campaign_id in web_traffic", .webTraffic, "P1,2025-01-13,C404,3", column: 3, field: "campaign_id",
        "'C404' names no campaign"),
      row(
        "partner_id in another case (ids are case-sensitive)", .deals, "D4,p1,,sourced,2025-01-05,,,open,,100,",
        column: 2, field: "partner_id", "'p1' names no partner"),
      RuleCase(
        name: "unknown campaign_id in leads (header in another order)",
        files: [
          "leads.csv": CSVText.file(
            "created_on,campaign_id,lead_id,partner_id", "2025-01-12,C1,L1,P1", "2025-02-10,C404,L7,P1",
            "2025-02-01,,L2,P9")
        ], file: "leads.csv", line: 3, column: 2, field: "campaign_id", message: "'C404' names no campaign"),
    ]
}
