import Foundation

/// Where and why a body is not JSON, in words a client can act on: the decoder only says that
/// it is not, so the body is parsed again (on this failure path only) by `JSONSerialization`,
/// whose error carries the byte offset, and the offset is told as a line and column.
enum JSONSyntax {
  static func problem(in data: Data) -> String {
    let detail: String
    do {
      _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
      // The decoder refused what the parser takes: a number no Double holds, say.
      return "a value cannot be read (a number too large?)"
    } catch {
      detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? ""
    }
    let bytes = [UInt8](data)
    let offset =
      characterOffset(detail) ?? fragmentOffset(detail, in: bytes)
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
      } else if detail.lowercased().contains("utf") || detail.contains("surrogate") || detail.contains("hex") {
        "the text is not valid UTF-8 or has a bad \\u escape"
      } else {
        "unexpected text"
      }
    guard let offset else { return what }
    let (line, column) = place(of: min(offset, bytes.count), in: bytes)
    return "\(what) at line \(line), column \(column)"
  }

  /// The number after "character " in a parser message ("Invalid value around character 12.").
  static func characterOffset(_ detail: String) -> Int? {
    guard let r = detail.range(of: "character ", options: .backwards) else { return nil }
    return Int(detail[r.upperBound...].prefix { $0.isNumber })
  }

  /// Where the text a parser message quotes first appears in the body: the number of "Number
  /// 1e309 is not representable", the escape of "Invalid hex encoded sequence in "00zz" at 2".
  static func fragmentOffset(_ detail: String, in bytes: [UInt8]) -> Int? {
    let fragment: Substring
    if detail.hasPrefix("Number "), let end = detail.range(of: " is not") {
      fragment = detail[detail.index(detail.startIndex, offsetBy: 7)..<end.lowerBound]
    } else if let open = detail.range(of: "in \""), let close = detail[open.upperBound...].firstIndex(of: "\"") {
      fragment = detail[open.upperBound..<close]
    } else {
      return nil
    }
    let needle = Array(fragment.utf8)
    guard !needle.isEmpty, needle.count <= bytes.count else { return nil }
    return (0...(bytes.count - needle.count)).first { bytes[$0..<$0 + needle.count].elementsEqual(needle) }
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
