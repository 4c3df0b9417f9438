import Foundation
import Testing

@testable import ChannelKPIServer

/// Bodies are read without Foundation when they have the usual shape; whatever the fast reader
/// returns must be what Foundation's decoder makes of the same bytes, and the rest is left to it.
@Suite struct JSONFastReaderTests {
  static func foundation(_ data: Data) -> JSONInput? { try? JSONDecoder().decode(JSONInput.self, from: data) }

  @Test func examples() throws {
    let body = Data(#"{"records": [{"deal_id": "D1", "amount": "12.50", "n": -3.25, "ok": true, "x": null}]}"#.utf8)
    let v = try #require(JSONFastReader.read(body))
    #expect(
      v
        == .object([
          "records": .array([
            .object([
              "deal_id": .string("D1"), "amount": .string("12.50"), "n": .number(-3.25), "ok": .bool(true),
              "x": .null,
            ])
          ])
        ]))
    #expect(JSONFastReader.read(Data(#""caf\u00e9 \"q\" \\ \/ \n""#.utf8)) == .string("café \"q\" \\ / \n"))
    // Left to Foundation: exponents, surrogates, duplicate keys, negative zero, bad JSON.
    for text in [#"1e3"#, #""\ud83d\ude00""#, #"{"a":1,"a":2}"#, "-0", "[1,]", "{\"a\" 1}", "01", "\"\u{01}\""] {
      #expect(JSONFastReader.read(Data(text.utf8)) == nil, "\(text)")
    }
  }

  /// Random bodies, many of them broken by a few random byte edits.
  @Test func agreesWithFoundation() {
    var g = SystemRandomNumberGenerator()
    let pieces = [
      "a", "é", "\\\"", "\\\\", "\\n", "\\u00e9", "\\u0041", "\\ud800", "\\u0001", " ", "\t", "/", "\u{7f}", "1",
    ]
    func scalar() -> String {
      switch Int.random(in: 0..<8, using: &g) {
      case 0: return "true"
      case 1: return "false"
      case 2: return "null"
      case 3:
        let n = ["0", "-1", "12.50", "3.0", "-0.001", "1e3", "123456789012345678901234567890", "0.1", "-0", "7"]
        return n.randomElement(using: &g)!
      default:
        return "\"" + (0..<Int.random(in: 0...4, using: &g)).map { _ in pieces.randomElement(using: &g)! }.joined()
          + "\""
      }
    }
    func value(_ depth: Int) -> String {
      switch depth > 3 ? 2 : Int.random(in: 0..<4, using: &g) {
      case 0:
        let keys = ["a", "b", "records", "deal_id", "a"]
        return "{"
          + (0..<Int.random(in: 0...3, using: &g)).map { _ in
            "\"\(keys.randomElement(using: &g)!)\" : \(value(depth + 1))"
          }.joined(separator: ",") + "}"
      case 1:
        return "[" + (0..<Int.random(in: 0...3, using: &g)).map { _ in value(depth + 1) }.joined(separator: ", ") + "]"
      default: return scalar()
      }
    }
    var fast = 0
    for round in 0..<4_000 {
      var bytes = Array(value(0).utf8)
      if round % 2 == 1 {
        for _ in 0..<Int.random(in: 1...3, using: &g) where !bytes.isEmpty {
          let k = Int.random(in: 0..<bytes.count, using: &g)
          switch Int.random(in: 0..<3, using: &g) {
          case 0: bytes.remove(at: k)
          case 1: bytes.insert(Array("{}[],:\"\\ 0e-".utf8).randomElement(using: &g)!, at: k)
          default: bytes[k] = UInt8.random(in: 0...255, using: &g)
          }
        }
      }
      let data = Data(bytes)
      guard let v = JSONFastReader.read(data) else { continue }
      fast += 1
      #expect(Self.foundation(data) == v, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
    }
    // Most well-formed bodies take the fast way.
    #expect(fast > 1_000)
  }
}
