/// A typed value of one field of a canonical record.
public enum FieldValue: Hashable, Sendable, CustomStringConvertible {
  case absent
  /// An id, slug or text.
  case string(String)
  case day(Day)
  case month(Month)
  /// Money in cents.
  case money(Int64)
  case int(Int64)
  case timestamp(Timestamp)

  public var isAbsent: Bool { self == .absent }

  public var string: String? { if case .string(let s) = self { s } else { nil } }
  public var day: Day? { if case .day(let d) = self { d } else { nil } }
  public var month: Month? { if case .month(let m) = self { m } else { nil } }
  public var money: Int64? { if case .money(let m) = self { m } else { nil } }
  public var int: Int64? { if case .int(let i) = self { i } else { nil } }
  public var timestamp: Timestamp? { if case .timestamp(let t) = self { t } else { nil } }

  /// The value in the canonical textual form (empty when absent).
  public var description: String {
    switch self {
    case .absent: ""
    case .string(let s): s
    case .day(let d): d.description
    case .month(let m): m.description
    case .money(let c): Money.format(cents: c)
    case .int(let i): String(i)
    case .timestamp(let t): t.description
    }
  }
}

/// A validated row of a canonical table, its values in schema column order.
public struct FactRecord: Hashable, Sendable {
  public let table: CanonicalTable
  public var values: [FieldValue]

  public init(table: CanonicalTable, values: [FieldValue]) {
    self.table = table
    self.values = values
  }

  public subscript(name: String) -> FieldValue {
    guard let i = table.schema.index[name] else { return .absent }
    return values[i]
  }

  /// The key values, joined for use as a dictionary key.
  public var key: [FieldValue] { table.schema.keyIndexes.map { values[$0] } }
}
