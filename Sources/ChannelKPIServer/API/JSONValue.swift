import ChannelKPI
import Foundation

/// A JSON value, written with explicit nulls and numbers at full precision; it can be written
/// with Swift literals, object members in the order written.
enum JSONValue: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
  ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
  case null
  case bool(Bool)
  case number(Double?)
  case string(String?)
  case array([JSONValue])
  case object([(String, JSONValue)])
  /// JSON text, written without its insignificant white space (examples copied from the server).
  case raw(String)

  init(stringLiteral value: String) { self = .string(value) }
  init(integerLiteral value: Int) { self = .number(Double(value)) }
  init(floatLiteral value: Double) { self = .number(value) }
  init(booleanLiteral value: Bool) { self = .bool(value) }
  init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
  init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(elements) }

  static func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }

  var text: String {
    var out = ""
    write(to: &out)
    return out
  }

  func write(to out: inout String) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .number(let v): out += JSON.number(v)
    case .string(let s): out += s.map(JSON.string) ?? "null"
    case .array(let items):
      out += "["
      for (i, v) in items.enumerated() {
        if i > 0 { out += "," }
        v.write(to: &out)
      }
      out += "]"
    case .object(let pairs):
      out += "{"
      for (i, (k, v)) in pairs.enumerated() {
        if i > 0 { out += "," }
        out += JSON.string(k) + ":"
        v.write(to: &out)
      }
      out += "}"
    case .raw(let text):
      var inString = false
      var escaped = false
      for c in text.unicodeScalars {
        if inString {
          if escaped {
            escaped = false
          } else if c == "\\" {
            escaped = true
          } else if c == "\"" {
            inString = false
          }
          out.unicodeScalars.append(c)
        } else if c == "\"" {
          inString = true
          out.unicodeScalars.append(c)
        } else if c != " " && c != "\n" && c != "\r" && c != "\t" {
          out.unicodeScalars.append(c)
        }
      }
    }
  }

  static func int(_ v: Int?) -> JSONValue { .number(v.map(Double.init)) }
}

/// A parsed JSON request body.
indirect enum JSONInput: Decodable, Equatable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONInput])
  case object([String: JSONInput])

  init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() {
      self = .null
    } else if let b = try? c.decode(Bool.self) {
      self = .bool(b)
    } else if let d = try? c.decode(Double.self) {
      self = .number(d)
    } else if let s = try? c.decode(String.self) {
      self = .string(s)
    } else if let a = try? c.decode([JSONInput].self) {
      self = .array(a)
    } else {
      self = .object(try c.decode([String: JSONInput].self))
    }
  }

  static func parse(_ data: Data) throws(APIError) -> JSONInput {
    if let v = JSONFastReader.read(data) { return v }
    do { return try JSONDecoder().decode(JSONInput.self, from: data) } catch {
      throw APIError.badRequest("the body is not valid JSON: \(JSONSyntax.problem(in: data))", parameter: nil)
    }
  }

  /// The canonical textual form of a scalar: strings as they are, numbers without a needless
  /// fraction, nil for null; other values are not scalars.
  var scalarText: String?? {
    switch self {
    case .null: return .some(nil)
    case .string(let s): return .some(s)
    case .number(let d): return .some(ValueFormat.machine(d))
    default: return nil
    }
  }

  var kind: String {
    switch self {
    case .null: "null"
    case .bool: "a boolean"
    case .number: "a number"
    case .string: "a string"
    case .array: "an array"
    case .object: "an object"
    }
  }
}

/// The fields of a JSON object body, read with the problems collected as the API reports them.
struct BodyFields {
  let object: [String: JSONInput]
  var problems: [APIProblem] = []

  /// A non-empty string member; a missing one is a problem only when `required`.
  mutating func text(_ key: String, required: Bool) -> String? {
    switch object[key] {
    case .string(let s)? where !s.trimmingCharacters(in: .whitespaces).isEmpty: return s
    case nil, .null?:
      if required { problems.append(APIProblem(path: "/\(key)", message: "is required")) }
      return nil
    default:
      problems.append(APIProblem(path: "/\(key)", message: "must be a non-empty string"))
      return nil
    }
  }

  /// A member the server no longer reads (a name it now takes from the caller), still held to its
  /// documented type: a string or null.
  mutating func ignoredText(_ key: String, _ why: String) {
    switch object[key] {
    case nil, .null?, .string?: break
    default: problems.append(APIProblem(path: "/\(key)", message: "must be a string (ignored: \(why))"))
    }
  }

  /// A boolean member, `fallback` when missing.
  mutating func bool(_ key: String, fallback: Bool) -> Bool {
    switch object[key] {
    case nil, .null?: return fallback
    case .bool(let b)?: return b
    default:
      problems.append(APIProblem(path: "/\(key)", message: "must be true or false"))
      return fallback
    }
  }
}
