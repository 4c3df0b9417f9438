import ChannelKPIStore
import Foundation

/// The rule for a clear rejection: every error says why in words, and where: a place that points
/// into the input (file, line and column for CSV and YAML; a JSON pointer into the body, or a
/// line and column for JSON that does not parse). Each check returns what a message lacks, nil
/// when it is clear.
enum Clarity {
  /// Text that means an internal error's dump reached the user instead of a message.
  static let internalMarkers = [
    "Optional(", "Swift.", "DecodingError", "CodingKeys", "Error Domain=", "NSCocoaErrorDomain",
    "The operation could not be completed", "couldn’t be completed", "(extension in", "YamlError", "Yams.",
  ]

  /// What the message lacks to say why: words, and no internal error's dump.
  static func why(_ message: String) -> String? {
    let text = message.trimmingCharacters(in: .whitespacesAndNewlines)
    if text.isEmpty { return "the message is empty" }
    if !text.contains(where: \.isLetter) { return "the message has no words: \(text)" }
    if let marker = internalMarkers.first(where: { text.contains($0) }) {
      return "the message shows an internal error (\(marker)): \(text)"
    }
    return nil
  }

  /// The shape of a text, for checking places, lenient where conventions differ: YAML's marks
  /// count NEL, LS and PS as line breaks, the formula place finder counts only \n.
  struct Shape {
    /// Line breaks of any kind YAML or CSV knows (\n, \r, NEL, LS, PS).
    var breaks = 0
    /// The longest line between two \n, in bytes.
    var longestLine = 0
    var commas = 0

    init(_ bytes: [UInt8]) {
      var current = 0
      var i = 0
      while i < bytes.count {
        let b = bytes[i]
        if b == 0x0A || b == 0x0D || (b == 0xC2 && i + 1 < bytes.count && bytes[i + 1] == 0x85)
          || (b == 0xE2 && i + 2 < bytes.count && bytes[i + 1] == 0x80
            && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9))
        {
          breaks += 1
        }
        if b == 0x0A {
          current = 0
        } else {
          current += 1
          longestLine = max(longestLine, current)
          if b == UInt8(ascii: ",") { commas += 1 }
        }
        i += 1
      }
    }
  }

  /// What a place (1-based line and column) lacks to point into a text of this shape.
  static func place(line: Int, column: Int, in shape: Shape) -> String? {
    if line < 1 { return "no line (line \(line))" }
    if line > shape.breaks + 2 { return "line \(line) is past the end (\(shape.breaks + 1) lines)" }
    if column < 1 { return "no column (column \(column))" }
    if column > shape.longestLine + 2 { return "column \(column) is past every line (longest \(shape.longestLine))" }
    return nil
  }

  /// A YAML definitions or mapping error: in the file fed, at a place in it, saying why.
  static func check(_ e: DefinitionFileError, file: String, shape: Shape) -> String? {
    if e.file != file { return "names file '\(e.file)' instead of '\(file)': \(e)" }
    if let lacking = place(line: e.line, column: e.column, in: shape) ?? why(e.message) { return "\(lacking): \(e)" }
    return nil
  }

  /// A rejection of a YAML file: clear when it has errors and each passes `check`.
  static func judge(_ errors: DefinitionFileErrors, file: String, bytes: [UInt8]) -> FuzzOutcome {
    let shape = Shape(bytes)
    if errors.errors.isEmpty { return .unclear(["a rejection with no error in it"]) }
    return .rejected.judging(errors.errors.compactMap { check($0, file: file, shape: shape) })
  }

  /// An import problem: the file fed, a line in it and, when given, a field position in its rows.
  static func check(_ p: ImportProblem, file: String, shape: Shape) -> String? {
    if p.file != file { return "names file '\(p.file)' instead of '\(file)': \(p)" }
    if p.line < 1 || p.line > shape.breaks + 2 { return "line \(p.line) is not in the file: \(p)" }
    if let c = p.column, c < 1 || c > shape.commas + 1 { return "field \(c) is not in the file: \(p)" }
    if !p.description.hasPrefix("\(file):\(p.line)") { return "does not start with file:line: \(p)" }
    if let lacking = why(p.message) { return "\(lacking): \(p)" }
    return nil
  }

  /// A JSON pointer's place: nil when everything but its last member resolves in `body` (the last
  /// may name a member the record lacks, such as a required field).
  static func pointer(_ path: String, in body: Any?) -> String? {
    // By scalars: a member name may start with a combining mark, which joins the '/' before it.
    let scalars = path.unicodeScalars
    guard scalars.first == "/" else { return path.isEmpty ? nil : "'\(path)' is not a JSON pointer" }
    let tokens = scalars.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
      String(String.UnicodeScalarView($0)).replacingOccurrences(of: "~1", with: "/")
        .replacingOccurrences(of: "~0", with: "~")
    }
    var node = body
    for token in tokens.dropLast() {
      if let o = node as? [String: Any] {
        node = o[token]
      } else if let a = node as? [Any], let i = Int(token), a.indices.contains(i) {
        node = a[i]
      } else {
        return "'\(path)' does not lead into the body (stops at '\(token)')"
      }
    }
    return node is [String: Any] || node is [Any] ? nil : "'\(path)' does not end in an object or array of the body"
  }
}
