/// The common case of validation, straight from the bytes of a CSV row.
///
/// Nearly every row of an import is well formed, and nearly every field is ASCII. For those rows
/// the record is made from the fields' bytes, with no string made for a date, an amount or a
/// number, and no list of texts in between. Any row this does not accept goes to
/// `RecordValidator.validate(_:texts:)`, which decides again and says why: this path accepts only
/// rows that one accepts, with the same values (a property test holds the two together), and
/// adds no rule of its own.
extension RecordValidator {
  /// The fields of one row: their bytes one after another and where each ends (field `i` spans
  /// `ends[i - 1]..<ends[i]`, the first from 0).
  public struct RowBytes {
    public let bytes: UnsafeBufferPointer<UInt8>
    public let ends: UnsafeBufferPointer<Int>
    /// Whether every byte is ASCII: the CSV reader knows it from its UTF-8 check of each field.
    public let isASCII: Bool

    public init(bytes: UnsafeBufferPointer<UInt8>, ends: UnsafeBufferPointer<Int>, isASCII: Bool) {
      self.bytes = bytes
      self.ends = ends
      self.isASCII = isASCII
    }

    @inline(__always) func field(_ i: Int) -> UnsafeBufferPointer<UInt8> {
      UnsafeBufferPointer(rebasing: bytes[(i == 0 ? 0 : ends[i - 1])..<ends[i]])
    }
  }

  /// The record of a row that breaks no rule of its table, or nil when a rule fails or a field is
  /// outside the common case (text that is not ASCII, an id outside printable ASCII).
  ///
  /// `fieldOf[c]` is the field that holds column `c`, or -1 when the file has no such column.
  /// References to other tables are not checked here (the importer knows which keys exist).
  public static func quickRecord(_ table: CanonicalTable, _ row: RowBytes, fieldOf: [Int]) -> FactRecord? {
    // Bytes outside ASCII anywhere in the row (even in a column the import ignores) are checked
    // as UTF-8 on the way to `validate`.
    guard row.isASCII else { return nil }
    let columns = quickColumns[table.ordinal]
    var values: [FieldValue] = []
    values.reserveCapacity(columns.count)
    for c in 0..<columns.count {
      let column = columns[c]
      let f = fieldOf[c]
      let bytes = f < 0 ? UnsafeBufferPointer(start: nil, count: 0) : row.field(f)
      if bytes.isEmpty {
        if column.required { return nil }
        values.append(.absent)
        continue
      }
      guard let v = quickValue(bytes, column.type) else { return nil }
      values.append(v)
    }
    let record = FactRecord(table: table, values: values)
    return rowRules(record).isEmpty ? record : nil
  }

  /// Per table (by ordinal), each column's type and whether it is required: what `quickRecord`
  /// reads of every field, as plain values (reading a `Column`, a class, counts a reference).
  private static let quickColumns: [[(type: FieldType, required: Bool)]] = CanonicalTable.allCases.map { t in
    t.schema.columns.map { ($0.type, $0.required) }
  }

  /// A non-empty ASCII field's value under the rules of `parse(_:as:)`, or nil when it breaks them.
  @inline(__always)
  static func quickValue(_ b: UnsafeBufferPointer<UInt8>, _ type: FieldType) -> FieldValue? {
    switch type {
    case .id:
      guard b.count <= 128, b.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
      return .string(String(decoding: b, as: UTF8.self))
    case .text:
      guard !b.contains(0) else { return nil }
      return .string(String(decoding: b, as: UTF8.self))
    case .slug:
      guard b.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 || $0 == 45 }) else {
        return nil
      }
      return .string(String(decoding: b, as: UTF8.self))
    case .date: return Day(utf8: UnsafeRawBufferPointer(b)).map { .day($0) }
    case .datetime: return Timestamp(utf8: b).map { .timestamp($0) }
    case .money: return Money.parseCents(utf8: b).map { .money($0) }
    case .int: return Integer.parse(utf8: b).map { .int($0) }
    case .month: return Month(utf8: b).map { .month($0) }
    }
  }
}
