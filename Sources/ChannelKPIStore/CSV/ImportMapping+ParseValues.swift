import ChannelKPI
import Foundation
import Yams

/// The mapping parser's checks of single values: canonical texts, date and money patterns, time
/// zones, scalars, and suggestions for misspelt names.
extension MappingParser {
  /// Checks a canonical text the mapping writes (a value, default, map value) against the format.
  mutating func canonical(_ text: String, _ column: Column, _ table: CanonicalTable, _ node: Node, _ what: String) {
    if case .failure(let e) = RecordValidator.parse(text, as: column) {
      error(node.mark, "the \(what) '\(text)' does not fit \(column.name): it \(e.message)")
      return
    }
    if let allowed = RecordValidator.vocabularies[table]?[column.name], !allowed.contains(text) {
      error(
        node.mark, "the \(what) '\(text)' is not a \(column.name); it must be one of \(allowed.joined(separator: ", "))"
      )
    }
  }

  mutating func pattern(_ node: Node, for type: FieldType) -> DatePattern? {
    guard let text = scalar(node, "date_format") else { return nil }
    let p: DatePattern
    do { p = try DatePattern(text) } catch {
      // Place the error at the offending character when the pattern is on one line.
      var offset = 0
      if case .scalar(let s) = node, !text.contains("\n") {
        offset = error.offset + (s.style == .singleQuoted || s.style == .doubleQuoted ? 1 : 0)
      }
      self.error(node.mark, "the date_format '\(text)' \(error.message)", offset: offset)
      return nil
    }
    if type != .month && !p.hasDay {
      error(node.mark, "the date_format '\(text)' has no day (D or DD)")
      return nil
    }
    if type == .month && p.hasTime {
      error(node.mark, "the date_format '\(text)' reads a time, but the field is a month")
      return nil
    }
    return p
  }

  mutating func timeZone(_ node: Node) -> MappingTimeZone? {
    guard let text = scalar(node, "timezone") else { return nil }
    guard let tz = MappingTimeZone(text) else {
      error(node.mark, "unknown timezone '\(text)'; use UTC, an offset such as +02:00, or a name such as Europe/Berlin")
      return nil
    }
    return tz
  }

  mutating func money(_ node: Node) -> MoneyPattern? {
    guard case .mapping(let pairs) = node else {
      error(node.mark, "'money' is a set of options such as {currency_symbols: true, thousands: \",\"}")
      return nil
    }
    var m = MoneyPattern()
    for (k, v) in pairs {
      switch k.string {
      case "currency_symbols":
        if case .sequence = v {
          m.currencies = .only(list(v).compactMap { scalar($0, "currency_symbols") })
        } else if let b = bool(v, "currency_symbols") {
          m.currencies = b ? .any : .none
        }
      case "thousands":
        if v.null != nil { continue }
        guard let s = scalar(v, "thousands") else { continue }
        if s == "none" || s.isEmpty { continue }
        guard s.count == 1, let c = s.first, [",", ".", " ", "'"].contains(c) else {
          error(v.mark, "'thousands' is one of \",\", \".\", \" \", \"'\" or none, not '\(s)'")
          continue
        }
        m.thousands = c
      case "decimal":
        guard let s = scalar(v, "decimal") else { continue }
        guard s == "." || s == "," else {
          error(v.mark, "'decimal' is \".\" or \",\", not '\(s)'")
          continue
        }
        m.decimal = s == "," ? "," : "."
      case "round":
        m.round = bool(v, "round") ?? false
      default:
        error(
          k.mark,
          "unknown money option '\(k.string ?? "?")'; the options are \(ImportMapping.moneyKeys.joined(separator: ", "))"
        )
      }
    }
    if m.thousands == m.decimal {
      error(node.mark, "'thousands' and 'decimal' must differ (both are '\(m.decimal)')")
      return nil
    }
    return m
  }

  mutating func scalar(_ n: Node, _ key: String) -> String? {
    guard case .scalar = n, let s = n.string else {
      error(n.mark, "'\(key)' must be a single value")
      return nil
    }
    return s
  }

  mutating func bool(_ n: Node, _ key: String) -> Bool? {
    guard let b = n.bool else {
      error(n.mark, "'\(key)' is true or false")
      return nil
    }
    return b
  }

  /// A sequence's items, or a single scalar as a list of one.
  func list(_ n: Node) -> [Node] {
    if case .sequence(let s) = n { return Array(s) }
    return [n]
  }

  /// `; did you mean 'stage'?` when a name is close to a known one.
  func suggestion(_ name: String, _ known: [String]) -> String {
    let lower = name.lowercased().replacingOccurrences(of: " ", with: "_")
    if let exact = known.first(where: { $0 == lower }) { return " (did you mean '\(exact)'?)" }
    if lower.count >= 3,
      let near = known.first(where: { $0.count >= 3 && (lower.hasPrefix($0) || $0.hasPrefix(lower)) })
    {
      return " (did you mean '\(near)'?)"
    }
    let best = known.map { ($0, distance(lower, $0)) }.min { $0.1 < $1.1 }
    guard let (k, d) = best, d <= max(1, k.count / 3) else { return "" }
    return " (did you mean '\(k)'?)"
  }

  private func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    var row = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
      var prev = row[0]
      row[0] = i
      for j in 1...max(b.count, 1) where !b.isEmpty {
        let cur = row[j]
        row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1))
        prev = cur
      }
    }
    return row[b.count]
  }
}
