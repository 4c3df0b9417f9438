import ChannelKPI
import Foundation
import Yams

extension ImportMapping {
  /// The top-level keys of a mapping file.
  static let topKeys = [
    "table", "description", "fields", "date_format", "datetime_format", "timezone", "money", "skip_rows_without",
    "ends_at_blank_line",
  ]
  /// The options of one field.
  static let fieldKeys = [
    "column", "columns", "join", "split", "value", "default", "map", "otherwise", "case", "prefix", "suffix",
    "date_format", "timezone", "money", "only_if",
  ]
  static let moneyKeys = ["currency_symbols", "thousands", "decimal", "round"]

  /// Reads a mapping from YAML, reporting every problem at its line and column in `file`.
  public static func parse(yaml: String, file: String) throws(DefinitionFileErrors) -> ImportMapping {
    var parser = MappingParser(file: file, yaml: yaml)
    guard let root = try CatalogFile.compose(yaml, file: file) else {
      throw DefinitionFileErrors(errors: [
        DefinitionFileError(
          file: file, line: 1, column: 1, message: "the mapping is empty; it needs 'table:' and 'fields:'")
      ])
    }
    let mapping = parser.mapping(root)
    if let mapping, parser.errors.isEmpty { return mapping }
    throw DefinitionFileErrors(errors: parser.errors)
  }
}

/// Reads the YAML of an import mapping, collecting every problem (its checks of single values
/// are in ImportMapping+ParseValues.swift).
struct MappingParser {
  let file: String
  /// The length in characters of each line of the file, for keeping a place inside its line.
  let lineLengths: [Int]
  var errors: [DefinitionFileError] = []

  init(file: String, yaml: String) {
    self.file = file
    lineLengths = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(\.count)
  }

  /// An error at `mark`, moved `offset` characters right when that stays on the mark's line (a
  /// quoted or folded scalar can run over several lines, and then its start is the place).
  mutating func error(_ mark: Mark?, _ message: String, offset: Int = 0) {
    let line = mark?.line ?? 1
    var column = mark?.column ?? 1
    if offset > 0, line <= lineLengths.count, column + offset <= lineLengths[line - 1] { column += offset }
    errors.append(DefinitionFileError(file: file, line: line, column: column, message: message))
  }

  /// The mapping's defaults for fields that do not set their own.
  struct Defaults {
    var dateFormat: (DatePattern, Node)?
    var datetimeFormat: (DatePattern, Node)?
    var timeZone: MappingTimeZone?
    var money: MoneyPattern?
  }

  mutating func mapping(_ root: Node) -> ImportMapping? {
    guard case .mapping(let top) = root else {
      error(root.mark, "a mapping is a set of keys: 'table:', 'fields:' and optional defaults")
      return nil
    }
    var nodes: [String: (key: Node, value: Node)] = [:]
    for (k, v) in top {
      guard let key = k.string, ImportMapping.topKeys.contains(key) else {
        error(
          k.mark,
          "unknown key '\(k.string ?? "?")'; a mapping has \(ImportMapping.topKeys.map { "'\($0)'" }.joined(separator: ", "))"
        )
        continue
      }
      nodes[key] = (k, v)
    }
    guard let tableNode = nodes["table"]?.value else {
      error(root.mark, "the mapping needs 'table:', the canonical table it fills (\(tableList))")
      return nil
    }
    guard let tableName = scalar(tableNode, "table") else { return nil }
    guard let table = CanonicalTable(rawValue: tableName) else {
      error(tableNode.mark, "unknown table '\(tableName)'; the tables are \(tableList)")
      return nil
    }
    let schema = table.schema
    var defaults = Defaults()
    if let n = nodes["date_format"]?.value, let p = pattern(n, for: .date) { defaults.dateFormat = (p, n) }
    if let n = nodes["datetime_format"]?.value, let p = pattern(n, for: .datetime) { defaults.datetimeFormat = (p, n) }
    if let n = nodes["timezone"]?.value { defaults.timeZone = timeZone(n) }
    if let n = nodes["money"]?.value { defaults.money = money(n) }
    let about = nodes["description"].flatMap { scalar($0.value, "description") }
    var endsAtBlankLine = false
    if let n = nodes["ends_at_blank_line"]?.value { endsAtBlankLine = bool(n, "ends_at_blank_line") ?? false }

    guard let (fieldsKey, fieldsNode) = nodes["fields"] else {
      error(
        root.mark, "the mapping needs 'fields:', the canonical fields of \(table.rawValue) and where each comes from")
      return nil
    }
    guard case .mapping(let fieldPairs) = fieldsNode else {
      error(fieldsNode.mark, "'fields' maps canonical fields to their sources, e.g. deal_id: {column: Opportunity ID}")
      return nil
    }
    var rules = [FieldRule?](repeating: nil, count: schema.columns.count)
    var conditionNodes: [Int: Node] = [:]
    var present: Set<Int> = []
    for (k, v) in fieldPairs {
      guard let name = k.string, let c = schema.index[name] else {
        error(
          k.mark,
          "\(table.rawValue) has no field '\(k.string ?? "?")'\(suggestion(k.string ?? "", schema.columns.map(\.name))); its fields are \(schema.columns.map(\.name).joined(separator: ", "))"
        )
        continue
      }
      present.insert(c)
      if let (rule, onlyIf) = field(v, column: schema.columns[c], table: table, defaults: defaults) {
        rules[c] = rule
        if let onlyIf { conditionNodes[c] = onlyIf }
      }
    }
    // Conditions are read once every field is known.
    for (c, node) in conditionNodes.sorted(by: { $0.key < $1.key }) {
      let filled = rules.map { $0 != nil }
      rules[c]?.onlyIf = conditions(node, table: table, filled: filled, conditional: Set(conditionNodes.keys))
    }
    for (i, column) in schema.columns.enumerated() where column.required && !present.contains(i) {
      error(
        fieldsKey.mark,
        "\(table.rawValue) needs '\(column.name)': read it from a column ({column: …}) or give it a value ({value: …})"
      )
    }
    var skipWithout: [Int] = []
    if let n = nodes["skip_rows_without"]?.value {
      for item in list(n) {
        guard let name = item.string, let c = schema.index[name] else {
          error(item.mark, "skip_rows_without names '\(item.string ?? "?")', which is not a field of \(table.rawValue)")
          continue
        }
        if rules[c] == nil {
          error(
            item.mark, "skip_rows_without names '\(name)', which the mapping does not fill: every row would be skipped")
        }
        skipWithout.append(c)
      }
    }
    return ImportMapping(
      table: table, file: file, about: about, rules: rules, skipWithout: skipWithout, endsAtBlankLine: endsAtBlankLine)
  }

  private var tableList: String { CanonicalTable.allCases.map(\.rawValue).joined(separator: ", ") }

  // MARK: One field

  mutating func field(_ node: Node, column: Column, table: CanonicalTable, defaults: Defaults) -> (FieldRule, Node?)? {
    // `partner_id: Partner Account ID` is short for `{column: Partner Account ID}`.
    if case .scalar = node {
      guard node.null == nil, let name = node.string, !name.isEmpty else {
        error(node.mark, "\(column.name) needs a source: a column name, or {column: …} or {value: …}")
        return nil
      }
      var rule = FieldRule(source: .columns([name]))
      applyDefaults(&rule, column, defaults)
      if let d = rule.date, d.type == .datetime, !d.pattern.alwaysHasOffset, d.timeZone == nil {
        error(
          defaults.datetimeFormat?.1.mark,
          "\(column.name) is a datetime: give a timezone (UTC, +02:00, Europe/Berlin) or read the offset with Z in the format"
        )
      }
      return (rule, nil)
    }
    guard case .mapping(let pairs) = node else {
      error(node.mark, "\(column.name) is a column name or a set of options such as {column: Stage, map: {…}}")
      return nil
    }
    var o: [String: (key: Node, value: Node)] = [:]
    for (k, v) in pairs {
      guard let key = k.string, ImportMapping.fieldKeys.contains(key) else {
        error(
          k.mark,
          "unknown option '\(k.string ?? "?")' for \(column.name)\(suggestion(k.string ?? "", ImportMapping.fieldKeys)); the options are \(ImportMapping.fieldKeys.joined(separator: ", "))"
        )
        continue
      }
      o[key] = (k, v)
    }
    var rule: FieldRule
    if let (key, v) = o["value"] {
      let others = o.keys.filter { $0 != "value" && $0 != "only_if" }.sorted()
      if !others.isEmpty {
        error(
          key.mark,
          "\(column.name) has a constant 'value', which takes no other options (it has \(others.joined(separator: ", ")))"
        )
      }
      guard v.null == nil, let text = v.string, !text.isEmpty else {
        error(v.mark, "\(column.name): 'value' needs a value; leave the field out to keep it empty")
        return nil
      }
      canonical(text, column, table, v, "value")
      rule = FieldRule(source: .constant(text))
    } else if let (_, v) = o["column"] {
      if let (k, _) = o["columns"] { error(k.mark, "\(column.name) has both 'column' and 'columns'; keep one") }
      guard let name = scalar(v, "column"), !name.isEmpty else { return nil }
      rule = FieldRule(source: .columns([name]))
    } else if let (_, v) = o["columns"] {
      let names = list(v).compactMap { scalar($0, "columns") }
      if names.isEmpty {
        error(v.mark, "\(column.name): 'columns' is a list of column names, e.g. [First Name, Last Name]")
      }
      rule = FieldRule(source: .columns(names))
    } else {
      error(node.mark, "\(column.name) needs 'column:' (or 'columns:', or a constant 'value:')")
      return nil
    }
    if let (k, v) = o["join"] {
      if case .columns(let names) = rule.source, names.count > 1 {
        rule.join = v.null == nil ? v.string ?? "" : ""
      } else {
        error(k.mark, "'join' goes with 'columns:' (several columns)")
      }
    }
    if let (_, v) = o["split"], let s = scalar(v, "split") {
      if s.isEmpty { error(v.mark, "'split' needs the text between values, e.g. \";\"") } else { rule.split = s }
    }
    if let (_, v) = o["default"], let s = scalar(v, "default") {
      canonical(s, column, table, v, "default")
      rule.defaultValue = s
    }
    let textual = column.type == .id || column.type == .text || column.type == .slug
    if let (k, v) = o["map"] {
      for other in ["date_format", "money", "prefix", "suffix", "case"] where o[other] != nil {
        error(k.mark, "\(column.name) has a 'map', whose values are canonical already: it cannot have '\(other)' too")
      }
      readMap(v, into: &rule, column, table)
    }
    if let (k, v) = o["otherwise"] {
      if rule.map == nil {
        error(k.mark, "'otherwise' is the value for source values not in 'map'; \(column.name) has no map")
      }
      if v.null != nil {
        rule.otherwise = .some(nil)
      } else if let s = scalar(v, "otherwise") {
        canonical(s, column, table, v, "otherwise")
        rule.otherwise = .some(s)
      }
    }
    if let (k, v) = o["case"], let s = scalar(v, "case") {
      if !textual {
        error(k.mark, "'case' applies to id, text and slug fields; \(column.name) is a \(column.type.rawValue)")
      }
      if let lc = FieldRule.LetterCase(rawValue: s) {
        rule.letterCase = lc
      } else {
        error(v.mark, "'case' is lower or upper, not '\(s)'")
      }
    }
    for key in ["prefix", "suffix"] {
      guard let (k, v) = o[key], let s = scalar(v, key) else { continue }
      if !textual {
        error(k.mark, "'\(key)' applies to id, text and slug fields; \(column.name) is a \(column.type.rawValue)")
      }
      if key == "prefix" { rule.prefix = s } else { rule.suffix = s }
    }
    let isDate = column.type == .date || column.type == .datetime || column.type == .month
    if let (k, v) = o["date_format"] {
      if isDate {
        if let p = pattern(v, for: column.type) { rule.date = FieldRule.DateRule(pattern: p, type: column.type) }
      } else {
        error(
          k.mark,
          "'date_format' applies to date, datetime and month fields; \(column.name) is a \(column.type.rawValue)")
      }
    }
    var fieldTimeZone: MappingTimeZone?
    if let (k, v) = o["timezone"] {
      if column.type == .datetime {
        fieldTimeZone = timeZone(v)
        if rule.date == nil && defaults.datetimeFormat == nil {
          error(k.mark, "'timezone' needs a date_format for \(column.name) (or a datetime_format for the mapping)")
        }
      } else {
        error(k.mark, "'timezone' applies to datetime fields; \(column.name) is a \(column.type.rawValue)")
      }
    }
    if let (k, v) = o["money"] {
      if column.type == .money {
        rule.money = money(v)
      } else {
        error(k.mark, "'money' applies to money fields; \(column.name) is a \(column.type.rawValue)")
      }
    }
    if case .columns = rule.source, rule.map == nil {
      applyDefaults(&rule, column, defaults)
      if let fieldTimeZone { rule.date?.timeZone = fieldTimeZone }
      if let d = rule.date, d.type == .datetime, !d.pattern.alwaysHasOffset, d.timeZone == nil {
        error(
          (o["date_format"]?.value ?? defaults.datetimeFormat?.1)?.mark,
          "\(column.name) is a datetime: give a timezone (UTC, +02:00, Europe/Berlin) or read the offset with Z in the format"
        )
      }
    }
    return (rule, o["only_if"]?.value)
  }

  /// The mapping-wide date formats, timezone and money options, for a field that sets none of its own.
  func applyDefaults(_ rule: inout FieldRule, _ column: Column, _ defaults: Defaults) {
    switch column.type {
    case .date:
      if rule.date == nil, let (p, _) = defaults.dateFormat { rule.date = FieldRule.DateRule(pattern: p, type: .date) }
    case .datetime:
      if rule.date == nil, let (p, _) = defaults.datetimeFormat {
        rule.date = FieldRule.DateRule(pattern: p, type: .datetime)
      }
      if rule.date?.timeZone == nil { rule.date?.timeZone = defaults.timeZone }
    case .money:
      if rule.money == nil { rule.money = defaults.money }
    default: break
    }
  }

  mutating func readMap(_ v: Node, into rule: inout FieldRule, _ column: Column, _ table: CanonicalTable) {
    guard case .mapping(let pairs) = v else {
      error(v.mark, "'map' maps source values to canonical ones, e.g. {Closed Won: won, Closed Lost: lost}")
      return
    }
    var map: [String: String?] = [:]
    var seen: [String: String] = [:]
    for (k, target) in pairs {
      guard let key = k.string else {
        error(k.mark, "a key of 'map' must be a single source value")
        continue
      }
      let folded = FieldRule.fold(key)
      if let first = seen[folded] {
        error(k.mark, "'\(key)' is in the map twice (as '\(first)'); values are compared ignoring case and spaces")
        continue
      }
      seen[folded] = key
      rule.mapKeys.append(key)
      if target.null != nil {
        map[folded] = .some(nil)
      } else if let t = scalar(target, "a map value") {
        canonical(t, column, table, target, "map value")
        map[folded] = .some(t)
      }
    }
    rule.map = map
  }

  mutating func conditions(_ node: Node, table: CanonicalTable, filled: [Bool], conditional: Set<Int>)
    -> [FieldRule.Condition]
  {
    guard case .mapping(let pairs) = node else {
      error(node.mark, "'only_if' maps fields to the values they must have, e.g. {stage: [won, lost]}")
      return []
    }
    let schema = table.schema
    var out: [FieldRule.Condition] = []
    for (k, v) in pairs {
      guard let name = k.string, let c = schema.index[name] else {
        error(k.mark, "only_if names '\(k.string ?? "?")', which is not a field of \(table.rawValue)")
        continue
      }
      guard filled[c] else {
        error(k.mark, "only_if names '\(name)', which the mapping does not fill, so the condition never holds")
        continue
      }
      if conditional.contains(c) {
        error(k.mark, "only_if names '\(name)', which has an only_if of its own; conditions cannot be chained")
        continue
      }
      var values: Set<String> = []
      for item in list(v) {
        guard let s = scalar(item, "an only_if value") else { continue }
        canonical(s, schema.columns[c], table, item, "only_if value")
        values.insert(s)
      }
      out.append(FieldRule.Condition(field: c, values: values))
    }
    return out
  }
}
