/// A place in a KPI formula: 1-based line and column (in characters) and the length of the span.
public struct SourceRange: Hashable, Sendable {
  public var line: Int
  public var column: Int
  public var length: Int
  public init(line: Int, column: Int, length: Int) {
    self.line = line
    self.column = column
    self.length = length
  }
  static let none = SourceRange(line: 1, column: 1, length: 0)

  /// The range from the start of `self` to the end of `other` when both are on one line.
  func through(_ other: SourceRange) -> SourceRange {
    guard other.line == line, other.column >= column else { return self }
    return SourceRange(line: line, column: column, length: other.column + other.length - column)
  }
}

/// A problem in a KPI definition, with the place it was found.
public struct LanguageError: Error, Hashable, Sendable, CustomStringConvertible {
  public var message: String
  public var range: SourceRange
  public init(_ message: String, at range: SourceRange) {
    self.message = message
    self.range = range
  }
  public var description: String { "\(range.line):\(range.column): \(message)" }
}

/// One token of a formula.
struct Token: Hashable, Sendable {
  enum Kind: Hashable, Sendable {
    case identifier(String)
    case number(String)
    case string(String)
    case symbol(String)
    case end
  }
  var kind: Kind
  var range: SourceRange

  func isSymbol(_ s: String) -> Bool { kind == .symbol(s) }
  func isWord(_ w: String) -> Bool {
    if case .identifier(let id) = kind { return id.lowercased() == w }
    return false
  }
  var text: String {
    switch kind {
    case .identifier(let s), .number(let s), .symbol(let s): s
    case .string(let s): "'\(s)'"
    case .end: "the end of the formula"
    }
  }
}

/// Splits a formula into tokens.
enum Lexer {
  static func tokens(_ source: String) throws(LanguageError) -> [Token] {
    var out: [Token] = []
    let chars = Array(source)
    var i = 0
    var line = 1
    var col = 1
    func range(_ start: Int, _ startCol: Int) -> SourceRange {
      SourceRange(line: line, column: startCol, length: i - start)
    }
    while i < chars.count {
      let c = chars[i]
      if c == "\n" {
        i += 1
        line += 1
        col = 1
        continue
      }
      if c == " " || c == "\t" || c == "\r" {
        i += 1
        col += 1
        continue
      }
      if c == "#" {  // comment to the end of the line
        while i < chars.count, chars[i] != "\n" { i += 1 }
        continue
      }
      let start = i
      let startCol = col
      if c.isLetter || c == "_" {
        while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" { i += 1 }
        col += i - start
        out.append(Token(kind: .identifier(String(chars[start..<i])), range: range(start, startCol)))
      } else if c.isNumber || (c == "." && i + 1 < chars.count && chars[i + 1].isNumber) {
        while i < chars.count, chars[i].isNumber || chars[i] == "." { i += 1 }
        col += i - start
        let text = String(chars[start..<i])
        guard Double(text) != nil else {
          throw LanguageError("'\(text)' is not a number", at: range(start, startCol))
        }
        out.append(Token(kind: .number(text), range: range(start, startCol)))
      } else if c == "'" || c == "\"" {
        i += 1
        var text = ""
        while i < chars.count, chars[i] != c {
          if chars[i] == "\n" { break }
          text.append(chars[i])
          i += 1
        }
        guard i < chars.count, chars[i] == c else {
          col += i - start
          throw LanguageError("this text is not closed: add the closing \(c)", at: range(start, startCol))
        }
        i += 1
        col += i - start
        out.append(Token(kind: .string(text), range: range(start, startCol)))
      } else {
        let two = i + 1 < chars.count ? String(chars[i...i + 1]) : ""
        let symbol: String
        if ["<=", ">=", "!=", "<>", "=="].contains(two) {
          symbol = two == "<>" ? "!=" : (two == "==" ? "=" : two)
          i += 2
        } else if "+-*/(),.=<>".contains(c) {
          symbol = String(c)
          i += 1
        } else {
          i += 1
          col += 1
          throw LanguageError("unexpected character '\(c)'", at: range(start, startCol))
        }
        col += i - start
        out.append(Token(kind: .symbol(symbol), range: range(start, startCol)))
      }
    }
    out.append(Token(kind: .end, range: SourceRange(line: line, column: col, length: 0)))
    return out
  }
}
