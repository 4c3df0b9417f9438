import Foundation
import Testing

@testable import ChannelKPIServer

/// Query components are decoded without Foundation when they hold no `%`; the result must be
/// Foundation's (`+` as a space, then percent-decoding, left as written when invalid), and trimming
/// must be `trimmingCharacters(in: .whitespaces)`.
@Suite struct QueryDecodingTests {
  static func reference(_ s: Substring) -> String {
    let spaced = s.replacingOccurrences(of: "+", with: " ")
    return spaced.removingPercentEncoding ?? spaced
  }

  @Test func examples() {
    #expect(Query.decode("revenue") == "revenue")
    #expect(Query.decode("a+b") == "a b")
    #expect(Query.decode("Smith%2C+Jones") == "Smith, Jones")
    #expect(Query.decode("%zz+1") == "%zz 1")
    #expect(Query.decode("caf%C3%A9") == "café")
    // Non-ASCII components are Foundation's to read: a byte order mark goes, a + before a
    // combining mark stays.
    #expect(Query.decode("\u{FEFF}revenue") == "revenue")
    #expect(Query.decode("a+\u{301}b") == Self.reference("a+\u{301}b"))
    #expect(Query.trimmed(" x\t") == "x")
    #expect(Query.trimmed("\u{00A0}x y\u{3000}") == "x y")
    #expect(Query.trimmed("x") == "x")
    #expect(Query.trimmed("") == "")
  }

  @Test func agreesWithFoundation() {
    let alphabet: [String] = [
      "a", "Z", "0", "9", "-", ":", ",", "+", "%", "2", "C", "f", " ", "\t", "é", "\u{00A0}", "\u{3000}", "\n", "_",
      "\u{FEFF}", "\u{301}",
    ]
    var g = SystemRandomNumberGenerator()
    for _ in 0..<5_000 {
      let s = (0..<Int.random(in: 0...8, using: &g)).map { _ in alphabet.randomElement(using: &g)! }.joined()
      let sub = Substring(s)
      #expect(Query.decode(sub) == Self.reference(sub), "decode \(s.debugDescription)")
      #expect(Query.trimmed(s) == s.trimmingCharacters(in: .whitespaces), "trim \(s.debugDescription)")
    }
  }
}
