/// The type of a field of the canonical format.
public enum FieldType: String, Sendable {
  /// 1–128 characters, no control characters, case-sensitive.
  case id
  /// Free text.
  case text
  /// Lowercase letters, digits, `_` and `-`.
  case slug
  /// `YYYY-MM-DD`.
  case date
  /// ISO 8601 with an offset or `Z`.
  case datetime
  /// Decimal with at most two decimal places, held in cents.
  case money
  /// Base-10 integer.
  case int
  /// `YYYY-MM`.
  case month

  /// Whether values of this type are strings in the engine (dictionary-encoded).
  public var isString: Bool { self == .id || self == .text || self == .slug }
}

/// One column of a canonical table (a class: rows are checked column by column, and a copy of
/// a reference costs one count where a copy of the value cost one per string in it).
public final class Column: Sendable, Hashable {
  public let name: String
  public let type: FieldType
  /// Required on every row (conditional requirements are rules of the table).
  public let required: Bool
  /// Values with the same domain share one dictionary, so that references compare equal.
  public let domain: String
  /// The table whose key this column must name, when it is a checked reference.
  public let references: CanonicalTable?

  init(
    _ name: String, _ type: FieldType, required: Bool = false, domain: String? = nil,
    references: CanonicalTable? = nil, table: String
  ) {
    self.name = name
    self.type = type
    self.required = required
    self.domain = domain ?? "\(table).\(name)"
    self.references = references
  }

  public static func == (a: Column, b: Column) -> Bool {
    a.name == b.name && a.type == b.type && a.required == b.required && a.domain == b.domain
      && a.references == b.references
  }

  public func hash(into h: inout Hasher) {
    h.combine(name)
    h.combine(domain)
  }
}

/// The ten canonical tables of a partner program.
public enum CanonicalTable: String, CaseIterable, Sendable, Hashable, Codable {
  case partners, deals, leads, campaigns
  case webTraffic = "web_traffic"
  case customers, surveys
  case supportTickets = "support_tickets"
  case certifications, market

  /// The CSV file name of the table.
  public var fileName: String { rawValue + ".csv" }

  /// The table's schema.
  public var schema: TableSchema { TableSchema.byTable[ordinal] }

  /// The table's position in `allCases`, for dense per-table arrays.
  public var ordinal: Int {
    switch self {
    case .partners: 0
    case .deals: 1
    case .leads: 2
    case .campaigns: 3
    case .webTraffic: 4
    case .customers: 5
    case .surveys: 6
    case .supportTickets: 7
    case .certifications: 8
    case .market: 9
    }
  }

  /// Tables in an order where every reference points to a table earlier in the list.
  public static let dependencyOrder: [CanonicalTable] = [
    .partners, .campaigns, .deals, .leads, .webTraffic, .customers, .surveys, .supportTickets,
    .certifications, .market,
  ]
}

/// Columns and key of one canonical table (a class, for the same reason as `Column`).
public final class TableSchema: Sendable {
  public let table: CanonicalTable
  public let columns: [Column]
  /// Names of the key columns.
  public let key: [String]
  /// Column index by name.
  public let index: [String: Int]
  /// Indexes of the key columns.
  public let keyIndexes: [Int]
  /// The column of the partner that owns a row, when the table has one.
  public let partnerColumn: Int?

  init(_ table: CanonicalTable, key: [String], _ columns: [(String, FieldType, Bool, String?, CanonicalTable?)]) {
    self.table = table
    self.columns = columns.map {
      Column($0.0, $0.1, required: $0.2, domain: $0.3, references: $0.4, table: table.rawValue)
    }
    self.key = key
    var index: [String: Int] = [:]
    for (i, c) in self.columns.enumerated() { index[c.name] = i }
    self.index = index
    keyIndexes = key.map { index[$0]! }
    partnerColumn = table == .market ? nil : index["partner_id"]
  }

  public subscript(name: String) -> Column? { index[name].map { columns[$0] } }

  static let all: [CanonicalTable: TableSchema] = {
    let r = true
    let o = false
    let p: CanonicalTable? = .partners
    let schemas = [
      TableSchema(
        .partners, key: ["partner_id"],
        [
          ("partner_id", .id, r, "partner", nil), ("name", .text, r, nil, nil),
          ("type", .slug, r, nil, nil), ("region", .slug, r, "region", nil),
          ("country", .text, o, nil, nil), ("tier", .slug, o, nil, nil),
          ("joined_on", .date, r, nil, nil), ("left_on", .date, o, nil, nil),
          ("manager", .text, o, nil, nil),
        ]),
      TableSchema(
        .deals, key: ["deal_id"],
        [
          ("deal_id", .id, r, "deal", nil), ("partner_id", .id, r, "partner", p),
          ("customer_id", .id, o, "customer", nil), ("source", .slug, r, nil, nil),
          ("created_on", .date, r, nil, nil), ("registered_on", .date, o, nil, nil),
          ("registration_status", .slug, o, nil, nil), ("stage", .slug, r, nil, nil),
          ("closed_on", .date, o, nil, nil), ("amount", .money, r, nil, nil),
          ("product", .text, o, nil, nil),
        ]),
      TableSchema(
        .leads, key: ["lead_id"],
        [
          ("lead_id", .id, r, "lead", nil), ("partner_id", .id, r, "partner", p),
          ("campaign_id", .id, o, "campaign", .campaigns), ("created_on", .date, r, nil, nil),
          ("converted_on", .date, o, nil, nil), ("deal_id", .id, o, "deal", nil),
        ]),
      TableSchema(
        .campaigns, key: ["campaign_id"],
        [
          ("campaign_id", .id, r, "campaign", nil), ("partner_id", .id, r, "partner", p),
          ("name", .text, r, nil, nil), ("channel", .slug, o, nil, nil),
          ("started_on", .date, r, nil, nil), ("ended_on", .date, o, nil, nil),
          ("cost", .money, r, nil, nil), ("mdf_amount", .money, o, nil, nil),
        ]),
      TableSchema(
        .webTraffic, key: ["partner_id", "date", "campaign_id"],
        [
          ("partner_id", .id, r, "partner", p), ("date", .date, r, nil, nil),
          ("campaign_id", .id, o, "campaign", .campaigns), ("visits", .int, r, nil, nil),
        ]),
      TableSchema(
        .customers, key: ["customer_id"],
        [
          ("customer_id", .id, r, "customer", nil), ("partner_id", .id, r, "partner", p),
          ("acquired_on", .date, r, nil, nil), ("churned_on", .date, o, nil, nil),
          ("segment", .slug, o, nil, nil),
        ]),
      TableSchema(
        .surveys, key: ["response_id"],
        [
          ("response_id", .id, r, "response", nil), ("partner_id", .id, r, "partner", p),
          ("customer_id", .id, o, "customer", nil), ("responded_on", .date, r, nil, nil),
          ("score", .int, r, nil, nil),
        ]),
      TableSchema(
        .supportTickets, key: ["ticket_id"],
        [
          ("ticket_id", .id, r, "ticket", nil), ("partner_id", .id, r, "partner", p),
          ("customer_id", .id, o, "customer", nil), ("opened_at", .datetime, r, nil, nil),
          ("resolved_at", .datetime, o, nil, nil), ("satisfaction", .int, o, nil, nil),
        ]),
      TableSchema(
        .certifications, key: ["certification_id"],
        [
          ("certification_id", .id, r, "certification", nil), ("partner_id", .id, r, "partner", p),
          ("person_id", .id, r, "person", nil), ("program", .slug, r, nil, nil),
          ("enrolled_on", .date, r, nil, nil), ("completed_on", .date, o, nil, nil),
        ]),
      TableSchema(
        .market, key: ["region", "month"],
        [
          ("region", .slug, r, "region", nil), ("month", .month, r, nil, nil),
          ("market_revenue", .money, r, nil, nil),
        ]),
    ]
    return Dictionary(uniqueKeysWithValues: schemas.map { ($0.table, $0) })
  }()

  static let byTable: [TableSchema] = CanonicalTable.allCases.map { all[$0]! }
}
