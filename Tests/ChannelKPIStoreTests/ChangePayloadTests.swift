import ChannelKPI
import Foundation
import Testing

@testable import ChannelKPIStore

/// The change log's payload, written by hand, reads back through Foundation's decoder as the same
/// payload that Foundation's encoder would have written.
struct ChangePayloadTests {
  @Test(arguments: 1...40 as ClosedRange<UInt64>)
  func aWrittenPayloadDecodesAsItself(seed: UInt64) throws {
    var state = seed &* 0x9E37_79B9_7F4A_7C15
    func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state >> 17
    }
    // Quotes, backslashes, every control character, slashes, non-ASCII and emoji.
    let pieces = ["a", "\"", "\\", "/", "é", "€", "😀", "\n", "\t", "\u{0}", "\u{1F}", "\u{7F}", "D00001", " ", ""]
    func text() -> String? {
      if next() % 6 == 0 { return nil }
      return (0..<Int(next() % 6)).map { _ in pieces[Int(next() % UInt64(pieces.count))] }.joined()
    }
    let tables = (0..<Int(next() % 3)).map { _ in
      ChangePayload.TableRows(
        table: CanonicalTable.allCases[Int(next() % 10)],
        rows: (0..<Int(next() % 4)).map { _ in (0..<Int(next() % 5)).map { _ in text() } })
    }
    let payload = ChangePayload(tables: tables)
    let ours = try JSONDecoder().decode(ChangePayload.self, from: Data(payload.json().utf8))
    let theirs = try JSONDecoder().decode(ChangePayload.self, from: JSONEncoder().encode(payload))
    #expect(ours.tables.map(\.table) == tables.map(\.table))
    #expect(ours.tables.map(\.rows) == tables.map(\.rows))
    #expect(theirs.tables.map(\.rows) == ours.tables.map(\.rows))
  }

  @Test func theLayoutIsPlainJSON() {
    let payload = ChangePayload(tables: [
      .init(table: .deals, rows: [["D1", nil, "say \"hi\"\\\n"]]), .init(table: .partners, rows: []),
    ])
    #expect(
      payload.json()
        == #"{"tables":[{"table":"deals","rows":[["D1",null,"say \"hi\"\\\u000a"]]},{"table":"partners","rows":[]}]}"#)
  }
}
