/// Escaping of text for HTML text nodes and attribute values.
///
/// Plot escapes text nodes but leaves entity-like sequences (`&amp;`) as they are and writes
/// attribute values verbatim, so every value that comes from data goes through here.
enum HTMLEscape {
  /// Text for an element's content: `&`, `<` and `>` escaped.
  static func text(_ s: String) -> String { escape(s, quotes: false) }

  /// Text for a double-quoted attribute value: `&`, `<`, `>`, `"` and `'` escaped.
  static func attribute(_ s: String) -> String { escape(s, quotes: true) }

  private static func escape(_ s: String, quotes: Bool) -> String {
    guard s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || (quotes && ($0 == 0x22 || $0 == 0x27)) })
    else { return s }
    var out = ""
    out.reserveCapacity(s.utf8.count + 8)
    for c in s.unicodeScalars {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"" where quotes: out += "&quot;"
      case "'" where quotes: out += "&#39;"
      default: out.unicodeScalars.append(c)
      }
    }
    return out
  }
}
