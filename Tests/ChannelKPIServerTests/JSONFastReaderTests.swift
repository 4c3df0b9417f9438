import ChannelKPI
import Foundation
import Testing

@testable import ChannelKPIServer

/// Bodies are read without Foundation when they have the usual shape; whatever the fast reader
/// returns must be what Foundation's decoder makes of the same bytes, and the rest is left to it.
@Suite struct JSONFastReaderTests {
  static func foundation(_ data: Data) -> JSONInput? { try? JSONDecoder().decode(JSONInput.self, from: data) }

  /// A few random byte edits (a byte dropped, one of JSON's own inserted, one replaced).
  static func edit(_ bytes: inout [UInt8], times: ClosedRange<Int>, using g: inout SystemRandomNumberGenerator) {
    for _ in 0..<Int.random(in: times, using: &g) where !bytes.isEmpty {
      let k = Int.random(in: 0..<bytes.count, using: &g)
      switch Int.random(in: 0..<3, using: &g) {
      case 0: bytes.remove(at: k)
      case 1: bytes.insert(Array("{}[],:\"\\ 0e-n".utf8).randomElement(using: &g)!, at: k)
      default: bytes[k] = UInt8.random(in: 0...255, using: &g)
      }
    }
  }

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
      if round % 2 == 1 { Self.edit(&bytes, times: 1...3, using: &g) }
      let data = Data(bytes)
      guard let v = JSONFastReader.read(data) else { continue }
      fast += 1
      #expect(Self.foundation(data) == v, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
    }
    // Most well-formed bodies take the fast way.
    #expect(fast > 1_000)
  }

  /// Batches of deals, usual and not, many broken by a few byte edits: read straight into texts
  /// or through the general reader, a body gives the same records or the same problems.
  @Test func recordsAgreeWithTheGeneralReader() throws {
    var g = SystemRandomNumberGenerator()
    let known: [CanonicalTable: Set<String>] = [.partners: ["P1", "P2"], .campaigns: []]
    func pick(_ xs: [String]) -> String { xs.randomElement(using: &g)! }
    func member() -> String {
      switch Int.random(in: 0..<12, using: &g) {
      case 0: return #""deal_id": "# + pick([#""D1""#, #""D\u0032""#, #""""#, "null", "7", #""D 1""#])
      case 1: return #""partner_id": "# + pick([#""P1""#, #""P2""#, #""P9""#, "null", "true"])
      case 2: return #""source": "# + pick([#""sourced""#, #""influenced""#, #""Sourced""#, "[]"])
      case 3: return #""created_on": "# + pick([#""2025-01-31""#, #""2025-02-30""#, #""""#, "20250131"])
      case 4: return #""stage": "# + pick([#""won""#, #""open""#, #""lost""#, "null"])
      case 5: return #""closed_on": "# + pick([#""2025-03-01""#, "null", #""2025-13-01""#])
      case 6: return #""amount": "# + pick([#""12.50""#, "12.5", "-3", "1e3", #""abc""#, "0", "12.345", "{}"])
      case 7: return #""product": "# + pick([#""Suite \"X\"""#, #""""#, "null", #""caf\u00e9""#])
      case 8: return #""registration_status": "# + pick([#""approved""#, "null"])
      case 9: return #""customer_id": "# + pick([#""C1""#, "null", "1.5"])
      case 10: return #""x": 1"#
      default: return #""deal_id": "D2""#
      }
    }
    func record() -> String {
      if Int.random(in: 0..<20, using: &g) == 0 { return pick(["1", "null", "[]"]) }
      let usual = [
        #""deal_id": "D1""#, #""partner_id": "P1""#, #""source": "sourced""#, #""created_on": "2025-01-31""#,
        #""stage": "won""#, #""closed_on": "2025-03-01""#, #""amount": "12.50""#,
      ]
      var members = usual.filter { _ in Int.random(in: 0..<8, using: &g) > 0 }
      for _ in 0..<Int.random(in: 0...2, using: &g) {
        members.insert(member(), at: Int.random(in: 0...members.count, using: &g))
      }
      return "{" + members.joined(separator: pick([",", ", ", " ,\n"])) + "}"
    }
    func body() -> String {
      let records = "[" + (0..<Int.random(in: 0...4, using: &g)).map { _ in record() }.joined(separator: ",") + "]"
      switch Int.random(in: 0..<12, using: &g) {
      case 0: return #"{"records": "# + records + #", "more": 1}"#
      case 1: return records
      case 2: return #"{"recs": "# + records + "}"
      default: return #" {"records" : "# + records + "} "
      }
    }
    func outcome(_ read: () throws(APIError) -> [FactRecord]) -> String {
      do { return "\(try read())" } catch { return "\(error)" }
    }
    var (fast, accepted) = (0, 0)
    for round in 0..<1_000 {
      var bytes = Array(body().utf8)
      if round % 3 == 2 { Self.edit(&bytes, times: 1...2, using: &g) }
      let data = Data(bytes)
      let isFast =
        JSONFastReader.records(data, schema: CanonicalTable.deals.schema, limit: RecordsBody.maxRecords) != nil
      let both = outcome { () throws(APIError) in try RecordsBody.parse(data, table: .deals, known: known) }
      let general = outcome { () throws(APIError) in
        try RecordsBody.parse(try JSONInput.parse(data), table: .deals, known: known)
      }
      #expect(both == general, "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
      if (try? RecordsBody.parse(data, table: .deals, known: known)) != nil {
        accepted += 1
        if isFast { fast += 1 }
      }
    }
    // Most accepted bodies are read straight into texts (the others have an exponent).
    #expect(accepted > 100 && fast * 10 >= accepted * 7, "\(fast) of \(accepted)")
    // A hand-made one: texts as the general reader makes them (a number in its canonical text).
    let one = Data(#"{"records":[{"deal_id":"D1","partner_id":"P1","amount":12.50,"product":"","stage":null}]}"#.utf8)
    let texts = try #require(JSONFastReader.records(one, schema: CanonicalTable.deals.schema, limit: 10))
    let columns = CanonicalTable.deals.schema.columns.map(\.name)
    #expect(texts.count == 1)
    #expect(
      Dictionary(uniqueKeysWithValues: zip(columns, texts[0]).compactMap { k, v in v.map { (k, $0) } }) == [
        "deal_id": "D1", "partner_id": "P1", "amount": "12.5",
      ])
    // Left to the general reader: an unknown member, a member twice, a number for a text column.
    for text in [
      #"{"records":[{"deal_id":"D1","x":1}]}"#, #"{"records":[{"deal_id":"D1","deal_id":"D2"}]}"#,
      #"{"records":[{"deal_id":1}]}"#, #"{"records":[], "x": 1}"#,
    ] {
      #expect(JSONFastReader.records(Data(text.utf8), schema: CanonicalTable.deals.schema, limit: 10) == nil, "\(text)")
    }
  }
}
