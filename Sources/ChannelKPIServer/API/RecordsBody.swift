public import ChannelKPI
public import Foundation

/// `{"records": [{…}, …]}` for one canonical table, checked like a CSV import: every rule of the
/// format, references to partners and campaigns, and each problem at its JSON path.
public enum RecordsBody {
  static let maxRecords = 100_000

  /// A body as read, before its records are checked against what is stored.
  enum Read: Sendable {
    /// The usual shape, read straight into each record's field texts by column.
    case texts([[String?]])
    /// Anything else, read as JSON (its problems are reported when checked).
    case json(JSONInput)
  }

  /// Reads a body for `table`: straight into texts when it has the usual shape, else as JSON (a
  /// body that is not JSON is refused here).
  static func read(_ data: Data, table: CanonicalTable) throws(APIError) -> Read {
    if let rows = JSONFastReader.records(data, schema: table.schema, limit: maxRecords) { return .texts(rows) }
    return .json(try JSONInput.parse(data))
  }

  public static func parse(_ data: Data, table: CanonicalTable, known: [CanonicalTable: Set<String>]) throws(APIError)
    -> [FactRecord]
  {
    try parse(try read(data, table: table), table: table, known: known)
  }

  /// The records of a body read by `read`.
  static func parse(_ body: Read, table: CanonicalTable, known: [CanonicalTable: Set<String>]) throws(APIError)
    -> [FactRecord]
  {
    let rows: [[String?]]
    switch body {
    case .json(let json): return try parse(json, table: table, known: known)
    case .texts(let read): rows = read
    }
    var problems: [APIProblem] = []
    var records: [FactRecord] = []
    records.reserveCapacity(rows.count)
    for (i, texts) in rows.enumerated() {
      check(texts, at: "/records/\(i)", bad: false, table: table, known: known, into: &records, &problems)
    }
    if !problems.isEmpty { throw APIError.unprocessable(problems) }
    return records
  }

  /// The records of a body already read as JSON.
  static func parse(_ body: JSONInput, table: CanonicalTable, known: [CanonicalTable: Set<String>]) throws(APIError)
    -> [FactRecord]
  {
    guard case .object(let top) = body else {
      throw APIError.unprocessable([APIProblem(path: "", message: "the body must be an object: {\"records\": [...]}")])
    }
    for key in top.keys.sorted() where key != "records" {
      throw APIError.unprocessable([
        APIProblem(path: "/\(escape(key))", message: "unknown member; the body has only 'records'")
      ])
    }
    guard case .array(let items)? = top["records"] else {
      throw APIError.unprocessable([APIProblem(path: "/records", message: "must be an array of records")])
    }
    guard items.count <= maxRecords else {
      throw APIError.unprocessable([
        APIProblem(path: "/records", message: "has \(items.count) records; send at most \(maxRecords) per request")
      ])
    }
    let schema = table.schema
    var problems: [APIProblem] = []
    var records: [FactRecord] = []
    for (i, item) in items.enumerated() {
      let base = "/records/\(i)"
      guard case .object(let fields) = item else {
        problems.append(APIProblem(path: base, message: "must be an object, not \(item.kind)"))
        continue
      }
      var texts = [String?](repeating: nil, count: schema.columns.count)
      var bad = false
      for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
        guard let c = schema.index[name] else {
          problems.append(
            APIProblem(
              path: "\(base)/\(escape(name))",
              message:
                "is not a field of \(table.rawValue); its fields are \(schema.columns.map(\.name).joined(separator: ", "))"
            ))
          bad = true
          continue
        }
        guard let text = value.scalarText else {
          problems.append(
            APIProblem(path: "\(base)/\(escape(name))", message: "must be a string or a number, not \(value.kind)"))
          bad = true
          continue
        }
        if case .number = value, ![.money, .int].contains(schema.columns[c].type) {
          problems.append(APIProblem(path: "\(base)/\(escape(name))", message: "must be a string, not a number"))
          bad = true
          continue
        }
        texts[c] = text.flatMap { $0.isEmpty ? nil : $0 }
      }
      check(texts, at: base, bad: bad, table: table, known: known, into: &records, &problems)
    }
    if !problems.isEmpty { throw APIError.unprocessable(problems) }
    return records
  }

  /// Checks one record's texts (at JSON path `base`; `bad` when its shape was refused already):
  /// its references, then every rule of its table. A record without problems is added.
  private static func check(
    _ texts: [String?], at base: String, bad: Bool, table: CanonicalTable, known: [CanonicalTable: Set<String>],
    into records: inout [FactRecord], _ problems: inout [APIProblem]
  ) {
    var bad = bad
    for (c, column) in table.schema.columns.enumerated() {
      guard let target = column.references, let v = texts[c] else { continue }
      // A batch holds one table and no table refers to itself, so references resolve
      // against what is already stored.
      if known[target]?.contains(v) != true {
        problems.append(
          APIProblem(
            path: "\(base)/\(column.name)",
            message:
              "'\(v)' names no \(target == .partners ? "partner" : "campaign") (not stored and not in this request)"))
        bad = true
      }
    }
    switch RecordValidator.validate(table, texts: texts) {
    case .success(let r):
      if !bad { records.append(r) }
    case .failure(let e):
      for err in e.errors { problems.append(APIProblem(path: "\(base)/\(err.column)", message: err.message)) }
    }
  }

  /// RFC 6901 escaping of a member name in a JSON pointer.
  static func escape(_ s: String) -> String {
    s.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
  }
}
