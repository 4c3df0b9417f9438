import ChannelKPI
import Foundation

/// Checks JSON values against the subset of JSON Schema 2020-12 that the OpenAPI document uses,
/// resolving `$ref`s into the document. A schema with a keyword outside the subset is an error
/// rather than something silently ignored.
struct SchemaChecker {
  let document: JSONNode

  /// Keywords that constrain values.
  static let assertions: Set<String> = [
    "$ref", "type", "enum", "const", "pattern", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "items", "minItems", "maxItems", "required", "properties", "additionalProperties",
    "minProperties", "oneOf", "anyOf", "allOf", "if", "then", "else", "format",
  ]

  /// Keywords that only describe.
  static let annotations: Set<String> = ["description", "title", "examples", "default", "contentMediaType"]

  /// The formats checked, with the server's own parsers.
  static let formats: Set<String> = ["date", "date-time"]

  /// The schema a `$ref` such as `#/components/schemas/Partner` points to.
  func resolve(_ ref: String) -> JSONNode? {
    guard ref.hasPrefix("#/") else { return nil }
    var node: JSONNode? = document
    for part in ref.dropFirst(2).split(separator: "/") {
      let key = part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
      node = node?[key]
    }
    return node
  }

  /// Every way `value` breaks `schema`, each at its JSON pointer; empty when it is valid.
  func errors(_ value: JSONNode, _ schema: JSONNode, at path: String = "") -> [String] {
    guard case .object(let s) = schema else {
      if schema == .bool(true) { return [] }
      if schema == .bool(false) { return ["\(path): nothing is allowed here"] }
      return ["\(path): the schema \(schema) is not an object"]
    }
    var out: [String] = []
    func fail(_ m: String) { out.append("\(path.isEmpty ? "(root)" : path): \(m)") }
    for k in s.keys where !Self.assertions.contains(k) && !Self.annotations.contains(k) {
      fail("unsupported keyword '\(k)'")
    }
    if let ref = s["$ref"]?.string {
      if let target = resolve(ref) { out += errors(value, target, at: path) } else { fail("cannot resolve \(ref)") }
    }
    if let type = s["type"] {
      let types = type.array?.compactMap(\.string) ?? [type.string ?? "?"]
      if !types.contains(where: { Self.has(value, type: $0) }) { fail("\(value) is not of type \(types)") }
    }
    if let allowed = s["enum"]?.array, !allowed.contains(value) { fail("\(value) is not one of \(allowed)") }
    if let c = s["const"], c != value { fail("\(value) is not \(c)") }
    if case .string(let text) = value {
      let length = text.unicodeScalars.count
      if let min = s["minLength"]?.number, Double(length) < min { fail("'\(text)' is shorter than \(min)") }
      if let max = s["maxLength"]?.number, Double(length) > max { fail("'\(text)' is longer than \(max)") }
      if let pattern = s["pattern"]?.string {
        if let re = try? NSRegularExpression(pattern: pattern) {
          let range = NSRange(text.startIndex..., in: text)
          if re.firstMatch(in: text, range: range) == nil { fail("'\(text)' does not match \(pattern)") }
        } else {
          fail("the pattern \(pattern) is not a regular expression")
        }
      }
      if let format = s["format"]?.string {
        switch format {
        case "date": if Day(iso: text) == nil { fail("'\(text)' is not a date") }
        case "date-time": if Timestamp(iso: text) == nil { fail("'\(text)' is not a date-time") }
        default: fail("unsupported format '\(format)'")
        }
      }
    }
    if case .number(let n) = value {
      if let min = s["minimum"]?.number, n < min { fail("\(n) < \(min)") }
      if let max = s["maximum"]?.number, n > max { fail("\(n) > \(max)") }
      if let min = s["exclusiveMinimum"]?.number, n <= min { fail("\(n) ≤ \(min)") }
      if let max = s["exclusiveMaximum"]?.number, n >= max { fail("\(n) ≥ \(max)") }
    }
    if case .array(let items) = value {
      if let min = s["minItems"]?.number, Double(items.count) < min { fail("fewer than \(min) items") }
      if let max = s["maxItems"]?.number, Double(items.count) > max { fail("more than \(max) items") }
      if let itemSchema = s["items"] {
        for (i, item) in items.enumerated() { out += errors(item, itemSchema, at: "\(path)/\(i)") }
      }
    }
    if case .object(let members) = value {
      for name in s["required"]?.array?.compactMap(\.string) ?? [] where members[name] == nil {
        fail("'\(name)' is required")
      }
      if let min = s["minProperties"]?.number, Double(members.count) < min { fail("fewer than \(min) members") }
      let properties = s["properties"]?.object ?? [:]
      for (name, member) in members.sorted(by: { $0.key < $1.key }) {
        let at = "\(path)/\(name.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1"))"
        if let p = properties[name] {
          out += errors(member, p, at: at)
        } else if let additional = s["additionalProperties"] {
          out += errors(member, additional, at: at)
        }
      }
    }
    if let all = s["allOf"]?.array {
      for sub in all { out += errors(value, sub, at: path) }
    }
    if let any = s["anyOf"]?.array, !any.contains(where: { errors(value, $0, at: path).isEmpty }) {
      fail("\(value) matches none of anyOf: \(any.map { errors(value, $0, at: path) })")
    }
    if let one = s["oneOf"]?.array {
      let matches = one.filter { errors(value, $0, at: path).isEmpty }.count
      if matches != 1 { fail("\(value) matches \(matches) of oneOf, not 1") }
    }
    if let condition = s["if"] {
      if errors(value, condition, at: path).isEmpty {
        if let then = s["then"] { out += errors(value, then, at: path) }
      } else if let otherwise = s["else"] {
        out += errors(value, otherwise, at: path)
      }
    }
    return out
  }

  static func has(_ value: JSONNode, type: String) -> Bool {
    switch (type, value) {
    case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object),
      ("number", .number):
      return true
    case ("integer", .number(let n)): return n == n.rounded() && n.isFinite
    default: return false
    }
  }

  /// Keywords of `schema` and its subschemas that the checker does not know.
  func unsupported(_ schema: JSONNode, at path: String) -> [String] {
    guard case .object(let s) = schema else { return [] }
    var out: [String] = []
    for k in s.keys.sorted() where !Self.assertions.contains(k) && !Self.annotations.contains(k) {
      out.append("\(path): '\(k)'")
    }
    if let f = s["format"]?.string, !Self.formats.contains(f) { out.append("\(path): format '\(f)'") }
    for k in ["items", "additionalProperties", "if", "then", "else"] {
      if let sub = s[k] { out += unsupported(sub, at: "\(path)/\(k)") }
    }
    for k in ["properties"] {
      for (name, sub) in s[k]?.object ?? [:] { out += unsupported(sub, at: "\(path)/\(k)/\(name)") }
    }
    for k in ["oneOf", "anyOf", "allOf"] {
      for (i, sub) in (s[k]?.array ?? []).enumerated() { out += unsupported(sub, at: "\(path)/\(k)/\(i)") }
    }
    return out
  }
}
