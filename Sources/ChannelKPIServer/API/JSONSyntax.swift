import Foundation

/// Where and why a body is not JSON, in words a client can act on: the decoder only says that
/// it is not, so the body is parsed again (on this failure path only) by `JSONSerialization`,
/// whose error carries the byte offset or the text at fault, and the place is told as a line and
/// column.
enum JSONSyntax {
  static func problem(in data: Data) -> String {
    let bytes = [UInt8](data)
    let detail: String
    do {
      _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
      // The decoder refused what the parser takes: a NUL, or a number no Double holds (1e-400).
      if let at = firstControlByte(bytes) { return "a control character \(location(at, in: bytes))" }
      let number = firstUnreadableNumber(bytes).map { " \(location($0, in: bytes))" } ?? ""
      return "a number is too large or too small for a double\(number)"
    } catch {
      detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? ""
    }
    let badText = detail.lowercased().contains("utf") || detail.contains("surrogate") || detail.contains("hex")
    let offset =
      characterOffset(detail)
      ?? (detail.contains("not representable") ? firstUnreadableNumber(bytes) : nil)
      ?? (badText ? firstBadEscape(bytes) ?? firstInvalidUTF8(bytes) ?? firstControlByte(bytes) : nil)
      ?? (detail.contains("end of file") ? bytes.count : nil)
    let what =
      if detail.contains("end of file") {
        "it ends before the JSON is complete"
      } else if detail.contains("control character") {
        "a string holds a control character (write it as an escape such as \\n)"
      } else if detail.contains("nested") {
        "it nests arrays and objects more than 512 deep"
      } else if detail.contains("not representable") {
        "a number is too large"
      } else if badText {
        "the text is not valid UTF-8 or has a bad \\u escape"
      } else {
        "unexpected text"
      }
    guard let offset else { return what }
    return "\(what) \(location(offset, in: bytes))"
  }

  /// "at line L, column C" for a 0-based byte offset.
  private static func location(_ offset: Int, in bytes: [UInt8]) -> String {
    let (line, column) = place(of: min(offset, bytes.count), in: bytes)
    return "at line \(line), column \(column)"
  }

  /// The offset of the first control character JSON allows nowhere (not a tab or line break).
  static func firstControlByte(_ bytes: [UInt8]) -> Int? {
    bytes.firstIndex { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
  }

  /// The offset of the first number outside strings that a Double cannot hold: one that
  /// overflows, or one with a nonzero digit that underflows to zero (1e-400).
  static func firstUnreadableNumber(_ bytes: [UInt8]) -> Int? {
    var i = 0
    var inString = false
    while i < bytes.count {
      let b = bytes[i]
      if inString {
        if b == UInt8(ascii: "\\") { i += 1 } else if b == UInt8(ascii: "\"") { inString = false }
        i += 1
        continue
      }
      if b == UInt8(ascii: "\"") {
        inString = true
        i += 1
        continue
      }
      guard b == UInt8(ascii: "-") || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) else {
        i += 1
        continue
      }
      let start = i
      while i < bytes.count, "0123456789+-.eE".utf8.contains(bytes[i]) { i += 1 }
      let text = String(decoding: bytes[start..<i], as: UTF8.self)
      let mantissa = text.prefix { $0 != "e" && $0 != "E" }
      if let v = Double(text), v.isFinite, v != 0 || !mantissa.contains(where: { "123456789".contains($0) }) {
        continue
      }
      return start
    }
    return nil
  }

  /// The offset of the first `\u` escape in a string that is not four hex digits, or is half
  /// of a surrogate pair without its other half.
  static func firstBadEscape(_ bytes: [UInt8]) -> Int? {
    func hex(at i: Int) -> UInt32? {
      guard i + 6 <= bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else { return nil }
      return UInt32(String(decoding: bytes[(i + 2)..<(i + 6)], as: UTF8.self), radix: 16)
    }
    var i = 0
    var inString = false
    while i < bytes.count {
      let b = bytes[i]
      if !inString {
        if b == UInt8(ascii: "\"") { inString = true }
        i += 1
        continue
      }
      if b == UInt8(ascii: "\"") {
        inString = false
      } else if b == UInt8(ascii: "\\"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "u") {
        guard let unit = hex(at: i) else { return i }
        if (0xDC00...0xDFFF).contains(unit) { return i }
        if (0xD800...0xDBFF).contains(unit) {
          guard let low = hex(at: i + 6), (0xDC00...0xDFFF).contains(low) else { return i }
          i += 6
        }
        i += 5
      } else if b == UInt8(ascii: "\\") {
        i += 1
      }
      i += 1
    }
    return nil
  }

  /// The offset of the first byte that does not start or continue a UTF-8 sequence validly.
  static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
    var decoder = UTF8()
    var iterator = bytes.makeIterator()
    var offset = 0
    while true {
      switch decoder.decode(&iterator) {
      case .scalarValue(let scalar): offset += UTF8.width(scalar)
      case .emptyInput: return nil
      case .error: return offset
      }
    }
  }

  /// The number after "character " in a parser message ("Invalid value around character 12.").
  static func characterOffset(_ detail: String) -> Int? {
    guard let r = detail.range(of: "character ", options: .backwards) else { return nil }
    return Int(detail[r.upperBound...].prefix { $0.isNumber })
  }

  /// The 1-based line and column (in bytes) of a 0-based byte offset.
  static func place(of offset: Int, in bytes: [UInt8]) -> (Int, Int) {
    var line = 1
    var start = 0
    for i in 0..<offset where bytes[i] == UInt8(ascii: "\n") {
      line += 1
      start = i + 1
    }
    return (line, offset - start + 1)
  }
}
