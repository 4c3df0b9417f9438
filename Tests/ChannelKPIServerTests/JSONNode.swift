import ChannelKPI
import Foundation

// MARK: - JSON

/// A parsed JSON value, with numbers as doubles.
indirect enum JSONNode: Equatable, Sendable, CustomStringConvertible {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONNode])
  case object([String: JSONNode])

  subscript(key: String) -> JSONNode? {
    if case .object(let o) = self { return o[key] }
    return nil
  }

  subscript(index: Int) -> JSONNode? {
    if case .array(let a) = self, a.indices.contains(index) { return a[index] }
    return nil
  }

  var string: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  var number: Double? {
    if case .number(let d) = self { return d }
    return nil
  }

  var bool: Bool? {
    if case .bool(let b) = self { return b }
    return nil
  }

  var array: [JSONNode]? {
    if case .array(let a) = self { return a }
    return nil
  }

  var object: [String: JSONNode]? {
    if case .object(let o) = self { return o }
    return nil
  }

  var isNull: Bool { self == .null }

  var description: String {
    switch self {
    case .null: return "null"
    case .bool(let b): return b ? "true" : "false"
    case .number(let d): return d == d.rounded() && Swift.abs(d) < 1e15 ? String(Int64(d)) : String(d)
    case .string(let s): return JSON.string(s)
    case .array(let a): return "[" + a.map(\.description).joined(separator: ",") + "]"
    case .object(let o):
      return "{" + o.keys.sorted().map { JSON.string($0) + ":" + o[$0]!.description }.joined(separator: ",") + "}"
    }
  }

  struct ParseError: Error, CustomStringConvertible {
    let description: String
  }

  static func parse(_ text: String) throws -> JSONNode { try parse(Data(text.utf8)) }

  static func parse(_ data: Data) throws -> JSONNode {
    var p = Parser(bytes: Array(data))
    p.space()
    let v = try p.value()
    p.space()
    guard p.i == p.bytes.count else { throw ParseError(description: "text after the value at byte \(p.i)") }
    return v
  }

  private struct Parser {
    let bytes: [UInt8]
    var i = 0

    mutating func space() {
      while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
    }

    func fail(_ m: String) -> ParseError { ParseError(description: "\(m) at byte \(i)") }

    mutating func literal(_ word: String, _ v: JSONNode) throws -> JSONNode {
      let w = Array(word.utf8)
      guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else { throw fail("expected \(word)") }
      i += w.count
      return v
    }

    mutating func value() throws -> JSONNode {
      guard i < bytes.count else { throw fail("unexpected end") }
      switch bytes[i] {
      case UInt8(ascii: "n"): return try literal("null", .null)
      case UInt8(ascii: "t"): return try literal("true", .bool(true))
      case UInt8(ascii: "f"): return try literal("false", .bool(false))
      case UInt8(ascii: "\""): return .string(try string())
      case UInt8(ascii: "["):
        i += 1
        var items: [JSONNode] = []
        space()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
          i += 1
          return .array(items)
        }
        while true {
          space()
          items.append(try value())
          space()
          guard i < bytes.count else { throw fail("unterminated array") }
          if bytes[i] == UInt8(ascii: ",") {
            i += 1
          } else if bytes[i] == UInt8(ascii: "]") {
            i += 1
            return .array(items)
          } else {
            throw fail("expected , or ]")
          }
        }
      case UInt8(ascii: "{"):
        i += 1
        var members: [String: JSONNode] = [:]
        space()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
          i += 1
          return .object(members)
        }
        while true {
          space()
          guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
          let k = try string()
          space()
          guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected :") }
          i += 1
          space()
          guard members[k] == nil else { throw fail("duplicate member '\(k)'") }
          members[k] = try value()
          space()
          guard i < bytes.count else { throw fail("unterminated object") }
          if bytes[i] == UInt8(ascii: ",") {
            i += 1
          } else if bytes[i] == UInt8(ascii: "}") {
            i += 1
            return .object(members)
          } else {
            throw fail("expected , or }")
          }
        }
      default:
        let start = i
        while i < bytes.count, "+-0123456789.eE".utf8.contains(bytes[i]) { i += 1 }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        guard !text.isEmpty, let d = Double(text) else { throw fail("bad value '\(text)'") }
        return .number(d)
      }
    }

    mutating func hex4() throws -> UInt32 {
      guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else {
        throw fail("bad \\u escape")
      }
      i += 4
      return v
    }

    mutating func string() throws -> String {
      i += 1
      var out: [UInt8] = []
      while i < bytes.count {
        let c = bytes[i]
        i += 1
        switch c {
        case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
        case UInt8(ascii: "\\"):
          guard i < bytes.count else { throw fail("unterminated escape") }
          let e = bytes[i]
          i += 1
          switch e {
          case UInt8(ascii: "n"): out.append(0x0A)
          case UInt8(ascii: "t"): out.append(0x09)
          case UInt8(ascii: "r"): out.append(0x0D)
          case UInt8(ascii: "b"): out.append(0x08)
          case UInt8(ascii: "f"): out.append(0x0C)
          case UInt8(ascii: "u"):
            var v = try hex4()
            if (0xD800..<0xDC00).contains(v), i + 6 <= bytes.count, bytes[i] == UInt8(ascii: "\\"),
              bytes[i + 1] == UInt8(ascii: "u")
            {
              i += 2
              let low = try hex4()
              v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
            }
            out += Array(String(Character(Unicode.Scalar(v) ?? "\u{FFFD}")).utf8)
          default: out.append(e)
          }
        default:
          guard c >= 0x20 else { throw fail("control character in a string") }
          out.append(c)
        }
      }
      throw fail("unterminated string")
    }
  }
}
