import ChannelKPI
import Testing

/// Ids: at most 128 characters, no control character. The check has a fast path for printable
/// ASCII; it must answer exactly as the rule does, checked here against the rule written out.
@Suite struct IdValidationTests {
  static func rule(_ text: String) -> String? {
    if text.count > 128 { return "must be at most 128 characters (it has \(text.count))" }
    if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
      return "must not contain control characters"
    }
    return nil
  }

  @Test func fastPathAnswersAsTheRule() throws {
    let schema = CanonicalTable.deals.schema
    let column = schema.columns[try #require(schema.index["deal_id"])]
    let a = String(repeating: "a", count: 128)
    let cases = [
      "D1", "deal 42", a, a + "b", String(repeating: "é", count: 128), String(repeating: "é", count: 129),
      "tab\there", "line\r\nbreak", String(repeating: "x", count: 127) + "\r\n", "del\u{7F}", "nul\u{0}",
      "emoji 🚀", "~!@#$%^&*()_+{}|:\"<>?", " ", String(repeating: "🚀", count: 128) + "x",
    ]
    for text in cases {
      let expected = Self.rule(text)
      switch RecordValidator.parse(text, as: column) {
      case .success(let v): #expect(expected == nil && v == .string(text), "\(text.debugDescription)")
      case .failure(let e): #expect(e.message == expected, "\(text.debugDescription)")
      }
    }
  }
}
