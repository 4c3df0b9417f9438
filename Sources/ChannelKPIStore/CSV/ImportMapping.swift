public import ChannelKPI
import Foundation

/// A problem with one canonical field of a row read through an import mapping: the field, the
/// 1-based position of the source column it came from (when it came from one) and the rule.
public struct MappingIssue: Sendable, Hashable, CustomStringConvertible {
  /// The canonical field, e.g. `closed_on`.
  public var field: String?
  /// The 1-based position of the source column in the row.
  public var column: Int?
  /// The rule broken, starting with where the value came from: `(from "Close Date") …`.
  public var message: String

  public init(field: String?, column: Int?, message: String) {
    self.field = field
    self.column = column
    self.message = message
  }

  public var description: String { (field.map { "\($0) " } ?? "") + message }
}

/// Problems of a header or a row read through a mapping: missing source columns, values it cannot convert.
public struct MappingIssues: Error, Sendable, CustomStringConvertible {
  public var issues: [MappingIssue]
  public var description: String { issues.map(\.description).joined(separator: "\n") }
}

/// Reads a foreign CSV export, such as a CRM report, as one canonical table.
///
/// A mapping is a YAML file (see `docs/mappings.md`):
///
/// ```yaml
/// table: deals
/// date_format: M/D/YYYY
/// fields:
///   deal_id:    {column: Opportunity ID, prefix: "SF-"}
///   partner_id: Partner Account ID
///   stage:      {column: Stage, map: {Closed Won: won, Closed Lost: lost}, otherwise: open}
///   closed_on:  {column: Close Date, only_if: {stage: [won, lost]}}
///   amount:     {column: Amount, money: {currency_symbols: true, thousands: ","}}
/// ```
///
/// Parse it with ``parse(yaml:file:)``, then either give it to ``CSVImportSource`` or bind it to a
/// header with ``bind(header:)`` and map rows one at a time.
public struct ImportMapping: Sendable {
  /// The canonical table every mapped file holds.
  public let table: CanonicalTable
  /// Where the mapping was read from (for messages).
  public let file: String
  /// The mapping's `description:`, when it has one.
  public let about: String?
  /// The source columns the mapping reads, in the order the mapping names them.
  public let sourceColumns: [String]
  /// The fields whose absence makes a row one to skip (`skip_rows_without`).
  public var skipRowsWithout: [String] { skipWithout.map { table.schema.columns[$0].name } }
  /// Rows after the first blank line are a footer, not data (Salesforce report exports end so).
  public let endsAtBlankLine: Bool

  /// The rule of each canonical column (schema order); nil = not filled.
  let rules: [FieldRule?]
  /// Rows whose value of one of these columns is absent are skipped.
  let skipWithout: [Int]
  /// Columns in the order their values are worked out: conditions are read before the fields they govern.
  let order: [Int]

  init(
    table: CanonicalTable, file: String, about: String?, rules: [FieldRule?], skipWithout: [Int],
    endsAtBlankLine: Bool
  ) {
    self.table = table
    self.file = file
    self.about = about
    self.rules = rules
    self.skipWithout = skipWithout
    self.endsAtBlankLine = endsAtBlankLine
    var columns: [String] = []
    for rule in rules {
      if case .columns(let names)? = rule?.source {
        for n in names where !columns.contains(n) { columns.append(n) }
      }
    }
    sourceColumns = columns
    let indexes = Array(rules.indices)
    order =
      indexes.filter { rules[$0]?.onlyIf.isEmpty != false } + indexes.filter { rules[$0]?.onlyIf.isEmpty == false }
  }

  /// Reads a mapping file.
  public static func load(path: String) throws(DefinitionFileErrors) -> ImportMapping {
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
      throw DefinitionFileErrors(errors: [
        DefinitionFileError(file: path, line: 0, column: 0, message: "cannot read the mapping file")
      ])
    }
    return try parse(yaml: text, file: path)
  }

  /// Finds the mapping's source columns in a header. Names match exactly after trimming spaces, or
  /// else ignoring case and runs of spaces. Columns the mapping does not read are ignored.
  public func bind(header: [String]) throws(MappingIssues) -> Binding {
    var exact: [String: [Int]] = [:]
    var loose: [String: [Int]] = [:]
    for (i, raw) in header.enumerated() {
      let name = FieldRule.trim(raw)
      exact[name, default: []].append(i)
      loose[FieldRule.fold(name), default: []].append(i)
    }
    var issues: [MappingIssue] = []
    var found: [String: Int] = [:]
    for name in sourceColumns {
      let hits = exact[name] ?? loose[FieldRule.fold(name)] ?? []
      let users = rules.indices.filter { i in
        if case .columns(let names)? = rules[i]?.source { return names.contains(name) }
        return false
      }.map { table.schema.columns[$0].name }.joined(separator: ", ")
      if hits.isEmpty {
        issues.append(
          MappingIssue(
            field: nil, column: nil,
            message: "the header has no column \"\(name)\", which the mapping \(file) reads for \(users)"))
      } else if hits.count > 1 {
        issues.append(
          MappingIssue(
            field: nil, column: hits[1] + 1,
            message:
              "the column \"\(name)\" appears twice in the header (fields \(hits[0] + 1) and \(hits[1] + 1)), so the mapping cannot tell which to read for \(users)"
          ))
      } else {
        found[name] = hits[0]
      }
    }
    if !issues.isEmpty { throw MappingIssues(issues: issues) }
    let positions = rules.map { rule -> [Int] in
      guard case .columns(let names)? = rule?.source else { return [] }
      return names.compactMap { found[$0] }
    }
    return Binding(mapping: self, positions: positions, headerCount: header.count)
  }

  /// Maps one row of a file with this header (for a single row; bind once to map many).
  public func map(header: [String], row: [String]) throws(MappingIssues) -> MappedRow {
    try bind(header: header).map(row)
  }
}

/// One source row turned into canonical texts, with where each came from.
public struct MappedRow: Sendable, Hashable {
  /// The table the texts belong to.
  public let table: CanonicalTable
  /// Canonical texts in schema column order; nil = absent.
  public var texts: [String?]
  /// For each canonical column, the 1-based position of the source column it was read from.
  public var positions: [Int?]
  /// Values the mapping could not convert (an unknown value, a date in another format, …).
  public var issues: [MappingIssue]
  /// The row lacks a field the mapping's `skip_rows_without` names: it is not data to import.
  public var skipped = false
  /// The source text each canonical value was made from.
  var sources: [String?]

  /// The canonical text of a field.
  public subscript(field: String) -> String? { table.schema.index[field].flatMap { texts[$0] } }
}

extension ImportMapping {
  /// A mapping applied to one file's header: it knows where each source column is.
  public struct Binding: Sendable {
    /// The mapping.
    public let mapping: ImportMapping
    /// The 0-based positions of the source columns of each canonical column.
    let positions: [[Int]]
    /// The number of fields of the header (and so of every row).
    public let headerCount: Int

    /// Turns one source row into canonical texts. Cells past the row's end read as empty.
    public func map(_ row: [String]) -> MappedRow {
      let schema = mapping.table.schema
      let n = schema.columns.count
      var out = MappedRow(
        table: mapping.table, texts: Array(repeating: nil, count: n), positions: Array(repeating: nil, count: n),
        issues: [], sources: Array(repeating: nil, count: n))
      for c in mapping.order {
        guard let rule = mapping.rules[c] else { continue }
        let cells = positions[c]
        out.positions[c] = cells.first.map { $0 + 1 }
        // A condition on other fields (closed_on only when won or lost) empties the field, problems and all.
        guard rule.onlyIf.allSatisfy({ cond in out.texts[cond.field].map(cond.values.contains) ?? false }) else {
          continue
        }
        switch rule.source {
        case .constant(let v):
          out.texts[c] = v
        case .columns:
          let raw = rule.read(cells.map { $0 < row.count ? row[$0] : "" })
          out.sources[c] = raw
          switch rule.convert(raw, as: schema.columns[c]) {
          case .success(let v): out.texts[c] = v
          case .failure(let problem):
            out.issues.append(
              MappingIssue(
                field: schema.columns[c].name, column: out.positions[c],
                message: origin(c, out, withText: false) + problem.message))
          }
        }
      }
      let failed = Set(out.issues.compactMap(\.field))
      out.skipped = mapping.skipWithout.contains {
        out.texts[$0] == nil && !failed.contains(schema.columns[$0].name)
      }
      return out
    }

    /// Maps a row and checks it against the canonical format (not references: those need the store).
    public func record(_ row: [String]) -> Result<FactRecord, MappingIssues> {
      validate(map(row))
    }

    /// Checks a mapped row against the canonical format; every problem is placed at its source column.
    public func validate(_ row: MappedRow) -> Result<FactRecord, MappingIssues> {
      let result = RecordValidator.validate(mapping.table, texts: row.texts)
      var issues = row.issues
      if case .failure(let errs) = result {
        // A field the mapping could not convert is absent; "is required" would say the same again.
        let failed = Set(row.issues.compactMap(\.field))
        issues += errs.errors.filter { !failed.contains($0.column) }.map { issue(for: $0, in: row) }
      }
      if issues.isEmpty, case .success(let record) = result { return .success(record) }
      return .failure(MappingIssues(issues: issues))
    }

    /// A problem of a canonical field, placed at the source column it came from and saying so.
    public func issue(for error: FieldError, in row: MappedRow) -> MappingIssue {
      guard let c = mapping.table.schema.index[error.column] else {
        return MappingIssue(field: error.column, column: nil, message: error.message)
      }
      return MappingIssue(field: error.column, column: row.positions[c], message: origin(c, row) + error.message)
    }

    /// `(from "Close Date" '2/27/2024') `: the source column and, when the mapping changed it, its text.
    func origin(_ c: Int, _ row: MappedRow, withText: Bool = true) -> String {
      guard let rule = mapping.rules[c] else { return "(not filled by the mapping) " }
      switch rule.source {
      case .constant: return "(the mapping's value) "
      case .columns(let names):
        let from = names.map { "\"\($0)\"" }.joined(separator: " + ")
        if withText, let s = row.sources[c], !s.isEmpty, s != row.texts[c] { return "(from \(from) '\(s)') " }
        return "(from \(from)) "
      }
    }
  }
}
