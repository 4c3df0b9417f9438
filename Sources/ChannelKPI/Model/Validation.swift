/// Why a field of a record breaks the canonical format.
public struct FieldError: Hashable, Sendable, Error, CustomStringConvertible {
  /// The column the problem is in.
  public let column: String
  /// The rule broken, in words.
  public let message: String

  public init(column: String, message: String) {
    self.column = column
    self.message = message
  }

  public var description: String { "\(column): \(message)" }
}

/// Every problem found in one row.
public struct RecordErrors: Error, Hashable, Sendable {
  public let errors: [FieldError]
}

/// Checks raw field texts against the canonical format and turns them into typed records.
public enum RecordValidator {
  /// Allowed values of the enumerated slugs.
  public static let vocabularies: [CanonicalTable: [String: [String]]] = [
    .deals: [
      "source": ["sourced", "influenced", "co_sell"],
      "registration_status": ["pending", "approved", "rejected"],
      "stage": ["open", "won", "lost"],
    ]
  ]

  /// Validates one row given as texts in schema column order (`nil` or empty = absent).
  /// Returns the record or every problem found in it.
  public static func validate(_ table: CanonicalTable, texts: [String?]) -> Result<FactRecord, RecordErrors> {
    let schema = table.schema
    var errors: [FieldError] = []
    var values: [FieldValue] = Array(repeating: .absent, count: schema.columns.count)
    for (i, column) in schema.columns.enumerated() {
      let raw = i < texts.count ? texts[i] : nil
      guard let text = raw, !text.isEmpty else {
        if column.required { errors.append(FieldError(column: column.name, message: "is required")) }
        continue
      }
      switch parse(text, as: column) {
      case .success(let v): values[i] = v
      case .failure(let e): errors.append(e)
      }
    }
    let record = FactRecord(table: table, values: values)
    errors += rowRules(record)
    return errors.isEmpty ? .success(record) : .failure(RecordErrors(errors: errors))
  }

  /// Parses one non-empty field text.
  public static func parse(_ text: String, as column: Column) -> Result<FieldValue, FieldError> {
    func fail(_ m: String) -> Result<FieldValue, FieldError> { .failure(FieldError(column: column.name, message: m)) }
    switch column.type {
    case .id:
      // Nearly every id is printable ASCII: then it has as many characters as bytes and no
      // control character, which saves a Unicode lookup per character (a tenth of an import).
      if text.utf8.count <= 128, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return .success(.string(text)) }
      if text.count > 128 { return fail("must be at most 128 characters (it has \(text.count))") }
      if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
        return fail("must not contain control characters")
      }
      return .success(.string(text))
    case .text:
      // No database keeps U+0000 in text (PostgreSQL refuses it): refused here, for every store.
      if text.unicodeScalars.contains("\u{0}") { return fail("must not contain the NUL character (U+0000)") }
      return .success(.string(text))
    case .slug:
      let ok = text.utf8.allSatisfy {
        ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
      }
      if !ok { return fail("must be a slug: lowercase letters, digits, '_' or '-' (got '\(text)')") }
      return .success(.string(text))
    case .date:
      guard let d = Day(iso: text) else { return fail("must be a calendar date YYYY-MM-DD (got '\(text)')") }
      return .success(.day(d))
    case .datetime:
      guard let t = Timestamp(iso: text) else {
        return fail("must be an ISO 8601 date-time with an offset or Z, e.g. 2025-03-04T09:30:00Z (got '\(text)')")
      }
      return .success(.timestamp(t))
    case .money:
      guard let c = Money.parseCents(text) else {
        return fail(
          "must be an amount with at most 2 decimals, '.' as separator, no currency sign or thousands separator (got '\(text)')"
        )
      }
      return .success(.money(c))
    case .int:
      guard let i = Integer.parse(text) else { return fail("must be a whole number (got '\(text)')") }
      return .success(.int(i))
    case .month:
      guard let m = Month(iso: text) else { return fail("must be a month YYYY-MM (got '\(text)')") }
      return .success(.month(m))
    }
  }

  /// The rules that relate fields of one row, and value ranges.
  public static func rowRules(_ r: FactRecord) -> [FieldError] {
    var errors: [FieldError] = []
    typealias C = RuleColumn
    func err(_ c: RuleColumn, _ m: String) { errors.append(FieldError(column: c.name, message: m)) }
    func notBefore(_ later: RuleColumn, _ earlier: RuleColumn) {
      if let a = r[later].day, let b = r[earlier].day, a < b {
        err(later, "must be on or after \(earlier.name) (\(b)), got \(a)")
      }
    }
    func atLeast(_ c: RuleColumn, _ min: Int64, money: Bool = false) {
      let v = money ? r[c].money : r[c].int
      if let v, v < min { err(c, "must be ≥ \(money ? Money.format(cents: min) : String(min))") }
    }
    func within(_ c: RuleColumn, _ range: ClosedRange<Int64>) {
      if let v = r[c].int, !range.contains(v) {
        err(c, "must be between \(range.lowerBound) and \(range.upperBound), got \(v)")
      }
    }
    // In column order, so problems are always reported in the same order.
    for (c, allowed) in C.vocabularies[r.table.ordinal] {
      if let v = r[c].string, !allowed.contains(v) {
        err(c, "must be one of \(allowed.joined(separator: ", ")) (got '\(v)')")
      }
    }
    switch r.table {
    case .partners:
      if let c = r[C.country].string,
        c.utf8.count != 2 || !c.utf8.allSatisfy({ ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) })
      {
        err(C.country, "must be an ISO 3166-1 alpha-2 code: two letters such as DE (got '\(c)')")
      }
      notBefore(C.leftOn, C.joinedOn)
    case .deals:
      if r[C.registeredOn] != .absent && r[C.registrationStatus] == .absent {
        err(C.registrationStatus, "is required when registered_on is given")
      }
      switch r[C.stage].string {
      case "won", "lost":
        if r[C.closedOn] == .absent { err(C.closedOn, "is required when stage is \(r[C.stage])") }
      case "open":
        if r[C.closedOn] != .absent { err(C.closedOn, "must be empty while the deal is open") }
      default: break
      }
      notBefore(C.closedOn, C.dealCreatedOn)
      atLeast(C.amount, 0, money: true)
    case .leads:
      notBefore(C.convertedOn, C.leadCreatedOn)
    case .campaigns:
      notBefore(C.endedOn, C.startedOn)
      atLeast(C.cost, 0, money: true)
      atLeast(C.mdfAmount, 0, money: true)
      if let mdf = r[C.mdfAmount].money, let cost = r[C.cost].money, mdf > cost {
        err(C.mdfAmount, "must not exceed cost (\(Money.format(cents: cost)))")
      }
    case .webTraffic:
      atLeast(C.visits, 0)
    case .customers:
      notBefore(C.churnedOn, C.acquiredOn)
    case .surveys:
      within(C.score, 0...10)
    case .supportTickets:
      if let a = r[C.resolvedAt].timestamp, let b = r[C.openedAt].timestamp, a < b {
        err(C.resolvedAt, "must not be before opened_at (\(b))")
      }
      within(C.satisfaction, 1...5)
    case .certifications:
      notBefore(C.completedOn, C.enrolledOn)
    case .market:
      if let v = r[C.marketRevenue].money, v <= 0 { err(C.marketRevenue, "must be > 0") }
    }
    return errors
  }
}

/// A column the row rules read, found by position once rather than by name on every row.
struct RuleColumn: Sendable {
  let index: Int
  let name: String

  init(_ table: CanonicalTable, _ name: String) {
    index = table.schema.index[name]!
    self.name = name
  }

  static let country = RuleColumn(.partners, "country")
  static let joinedOn = RuleColumn(.partners, "joined_on")
  static let leftOn = RuleColumn(.partners, "left_on")
  static let registeredOn = RuleColumn(.deals, "registered_on")
  static let registrationStatus = RuleColumn(.deals, "registration_status")
  static let stage = RuleColumn(.deals, "stage")
  static let closedOn = RuleColumn(.deals, "closed_on")
  static let dealCreatedOn = RuleColumn(.deals, "created_on")
  static let amount = RuleColumn(.deals, "amount")
  static let leadCreatedOn = RuleColumn(.leads, "created_on")
  static let convertedOn = RuleColumn(.leads, "converted_on")
  static let startedOn = RuleColumn(.campaigns, "started_on")
  static let endedOn = RuleColumn(.campaigns, "ended_on")
  static let cost = RuleColumn(.campaigns, "cost")
  static let mdfAmount = RuleColumn(.campaigns, "mdf_amount")
  static let visits = RuleColumn(.webTraffic, "visits")
  static let acquiredOn = RuleColumn(.customers, "acquired_on")
  static let churnedOn = RuleColumn(.customers, "churned_on")
  static let score = RuleColumn(.surveys, "score")
  static let openedAt = RuleColumn(.supportTickets, "opened_at")
  static let resolvedAt = RuleColumn(.supportTickets, "resolved_at")
  static let satisfaction = RuleColumn(.supportTickets, "satisfaction")
  static let completedOn = RuleColumn(.certifications, "completed_on")
  static let enrolledOn = RuleColumn(.certifications, "enrolled_on")
  static let marketRevenue = RuleColumn(.market, "market_revenue")

  /// Per table (by ordinal), its enumerated columns in column order with their allowed values.
  static let vocabularies: [[(RuleColumn, [String])]] = CanonicalTable.allCases.map { t in
    let vocab = RecordValidator.vocabularies[t] ?? [:]
    return t.schema.columns.compactMap { c in vocab[c.name].map { (RuleColumn(t, c.name), $0) } }
  }
}

extension FactRecord {
  subscript(c: RuleColumn) -> FieldValue { values[c.index] }
}
