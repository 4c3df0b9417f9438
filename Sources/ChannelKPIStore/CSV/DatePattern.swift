/// A date pattern of an import mapping, such as `M/D/YYYY` or `YYYY-MM-DD HH:mm`, read once and
/// applied to every cell.
///
/// Tokens: `YYYY`, `YY`, `M`/`MM` (month number), `MMM`/`MMMM` (English month name), `D`/`DD`,
/// `H`/`HH` (0–23), `h`/`hh` (1–12, with `a`), `m`/`mm`, `s`/`ss`, `S…` (fraction of a second),
/// `a` (AM/PM), `Z` (`Z`, `UTC` or an offset such as `+02:00`). `T` and any other non-letter are
/// literal, a space matches any run of spaces, `'text'` is literal text, `[…]` is optional.
/// Numeric tokens read one or two digits, so `M/D/YYYY` reads both `3/5/2024` and `03/05/2024`.
struct DatePattern: Sendable, Hashable {
  enum Token: Sendable, Hashable {
    case year4, year2, month, monthName, day, hour24, hour12, minute, second, fraction, meridiem, offset
    case literal([UInt8])
    case space
    indirect case optional([Token])
  }

  /// A pattern that cannot be used, with the 0-based character offset of the problem.
  struct PatternError: Error {
    var offset: Int
    var message: String
  }

  /// What a cell holds once read through the pattern.
  struct Reading {
    var year = 0
    var month = 0
    var day = 1
    var hour = 0
    var minute = 0
    var second = 0
    var micros = 0
    var meridiem: Int?
    /// The offset written in the cell, in minutes, when the pattern has `Z`.
    var offset: Int?
  }

  let text: String
  let tokens: [Token]
  /// The pattern reads a time of day.
  let hasTime: Bool
  /// The pattern reads a UTC offset.
  let hasOffset: Bool
  /// The pattern reads a day of the month.
  let hasDay: Bool
  /// Every cell the pattern reads has a UTC offset (`Z` outside an optional part).
  var alwaysHasOffset: Bool { tokens.contains(.offset) }

  static let tokenList = "YYYY, YY, M, MM, MMM, D, DD, H, HH, h, hh, mm, ss, SSS, a, Z"

  init(_ text: String) throws(PatternError) {
    self.text = text
    let chars = Array(text)
    var main: [Token] = []
    var group: [Token]?
    var groupStart = 0
    var seen: [String: Int] = [:]
    var i = 0
    func add(_ t: Token) {
      if group != nil { group?.append(t) } else { main.append(t) }
    }
    func once(_ kind: String, at offset: Int) throws(PatternError) {
      if let first = seen[kind] {
        throw PatternError(offset: offset, message: "reads the \(kind) twice (also at character \(first + 1))")
      }
      seen[kind] = offset
    }
    while i < chars.count {
      let c = chars[i]
      if c == "[" {
        guard group == nil else { throw PatternError(offset: i, message: "optional parts '[…]' cannot be nested") }
        group = []
        groupStart = i
        i += 1
        continue
      }
      if c == "]" {
        guard let g = group else { throw PatternError(offset: i, message: "has ']' without an opening '['") }
        main.append(.optional(g))
        group = nil
        i += 1
        continue
      }
      if c == "'" {
        guard let end = chars[(i + 1)...].firstIndex(of: "'") else {
          throw PatternError(offset: i, message: "opens a quoted text with ' that is not closed")
        }
        let lit = String(chars[(i + 1)..<end])
        add(.literal(Array(lit.utf8)))
        i = end + 1
        continue
      }
      if c.isWhitespace {
        while i < chars.count && chars[i].isWhitespace { i += 1 }
        add(.space)
        continue
      }
      guard c.isLetter else {
        add(.literal(Array(String(c).utf8)))
        i += 1
        continue
      }
      var j = i
      while j < chars.count && chars[j] == c { j += 1 }
      let run = String(chars[i..<j])
      let token: Token
      let kind: String
      switch run {
      case "YYYY": (token, kind) = (.year4, "year")
      case "YY": (token, kind) = (.year2, "year")
      case "M", "MM": (token, kind) = (.month, "month")
      case "MMM", "MMMM": (token, kind) = (.monthName, "month")
      case "D", "DD": (token, kind) = (.day, "day")
      case "H", "HH": (token, kind) = (.hour24, "hour")
      case "h", "hh": (token, kind) = (.hour12, "hour")
      case "m", "mm": (token, kind) = (.minute, "minute")
      case "s", "ss": (token, kind) = (.second, "second")
      case "a", "A": (token, kind) = (.meridiem, "AM/PM")
      case "Z": (token, kind) = (.offset, "offset")
      case "T": (token, kind) = (.literal([UInt8(ascii: "T")]), "")
      default:
        if run.allSatisfy({ $0 == "S" }) {
          (token, kind) = (.fraction, "fraction of a second")
        } else {
          var hint = ""
          if run.hasPrefix("y") || run.hasPrefix("d") {
            hint = " (tokens are upper-case: YYYY, D, DD; lower-case m is minutes)"
          }
          throw PatternError(
            offset: i, message: "has '\(run)', which is not a token\(hint); tokens are \(Self.tokenList)")
        }
      }
      if !kind.isEmpty { try once(kind, at: i) }
      add(token)
      i = j
    }
    if group != nil { throw PatternError(offset: groupStart, message: "opens an optional part '[' that is not closed") }
    if seen["hour"] != nil, seen["hour"].map({ chars[$0] == "h" }) == true, seen["AM/PM"] == nil {
      throw PatternError(
        offset: seen["hour"] ?? 0, message: "reads a 12-hour clock (h) without AM/PM (a); use H for 0–23")
    }
    if seen["AM/PM"] != nil, seen["hour"].map({ chars[$0] == "h" }) != true {
      throw PatternError(offset: seen["AM/PM"] ?? 0, message: "reads AM/PM (a) but no 12-hour clock hour (h)")
    }
    if seen["minute"] != nil && seen["hour"] == nil {
      throw PatternError(offset: seen["minute"] ?? 0, message: "reads minutes (m) without an hour; months are M")
    }
    // The date itself may not be optional: only a time or an offset can be.
    for case .optional(let g) in main {
      if g.contains(where: { [.year4, .year2, .month, .monthName, .day].contains($0) }) {
        throw PatternError(offset: groupStart, message: "makes part of the date optional; only a time can be optional")
      }
    }
    tokens = main
    hasTime = seen["hour"] != nil
    hasOffset = seen["offset"] != nil
    hasDay = seen["day"] != nil
    if seen["year"] == nil { throw PatternError(offset: 0, message: "has no year (YYYY or YY)") }
    if seen["month"] == nil { throw PatternError(offset: 0, message: "has no month (M, MM or MMM)") }
  }

  /// Reads a cell. With `trailingTime`, text after the date that starts with a space or `T` and a
  /// digit (a time the pattern does not describe) is ignored.
  func read(_ text: String, trailingTime: Bool = false) -> Reading? {
    let b = Array(text.utf8)
    var r = Reading()
    var i = 0
    guard match(tokens, b, &i, &r) else { return nil }
    if i < b.count {
      guard trailingTime, !hasTime, b[i] == UInt8(ascii: " ") || b[i] == UInt8(ascii: "T"), i + 1 < b.count,
        Self.isDigit(b[i + 1]) || b[i + 1] == UInt8(ascii: " ")
      else { return nil }
    }
    if let m = r.meridiem {
      guard (1...12).contains(r.hour) else { return nil }
      r.hour = r.hour % 12 + m
    }
    guard r.hour <= 23, r.minute <= 59, r.second <= 59 else { return nil }
    return r
  }

  private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

  private static let monthNames: [String: Int] = {
    let names = [
      "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
      "december",
    ]
    var out: [String: Int] = [:]
    for (n, name) in names.enumerated() {
      out[name] = n + 1
      out[String(name.prefix(3))] = n + 1
    }
    out["sept"] = 9
    return out
  }()

  private func match(_ tokens: [Token], _ b: [UInt8], _ i: inout Int, _ r: inout Reading) -> Bool {
    func number(min: Int, max: Int) -> Int? {
      var n = 0
      var digits = 0
      while digits < max, i < b.count, Self.isDigit(b[i]) {
        n = n * 10 + Int(b[i] - 48)
        digits += 1
        i += 1
      }
      return digits >= min ? n : nil
    }
    for t in tokens {
      switch t {
      case .year4:
        guard let y = number(min: 4, max: 4) else { return false }
        r.year = y
      case .year2:
        // As POSIX strptime: 69–99 are 1969–1999, 00–68 are 2000–2068.
        guard let y = number(min: 2, max: 2) else { return false }
        r.year = y >= 69 ? 1900 + y : 2000 + y
      case .month:
        guard let m = number(min: 1, max: 2) else { return false }
        r.month = m
      case .day:
        guard let d = number(min: 1, max: 2) else { return false }
        r.day = d
      case .hour24, .hour12:
        guard let h = number(min: 1, max: 2) else { return false }
        r.hour = h
      case .minute:
        guard let m = number(min: 1, max: 2) else { return false }
        r.minute = m
      case .second:
        guard let s = number(min: 1, max: 2) else { return false }
        r.second = s
      case .fraction:
        var micros = 0
        var digits = 0
        while i < b.count, Self.isDigit(b[i]) {
          if digits < 6 { micros = micros * 10 + Int(b[i] - 48) }
          digits += 1
          i += 1
        }
        guard digits > 0 else { return false }
        for _ in digits..<max(digits, 6) { micros *= 10 }
        r.micros = micros
      case .monthName:
        var j = i
        while j < b.count, (b[j] | 0x20) >= 97, (b[j] | 0x20) <= 122 { j += 1 }
        let word = String(decoding: b[i..<j], as: UTF8.self).lowercased()
        guard let m = Self.monthNames[word] else { return false }
        r.month = m
        i = j
        if i < b.count, b[i] == UInt8(ascii: ".") { i += 1 }  // "Sept."
      case .meridiem:
        var j = i
        var letters: [UInt8] = []
        while j < b.count, letters.count < 2,
          (b[j] | 0x20) == 97 || (b[j] | 0x20) == 112 || (b[j] | 0x20) == 109
            || b[j] == UInt8(ascii: ".")
        {
          if b[j] != UInt8(ascii: ".") { letters.append(b[j] | 0x20) }
          j += 1
        }
        while j < b.count, b[j] == UInt8(ascii: ".") { j += 1 }
        guard letters.count == 2, letters[1] == 109, letters[0] == 97 || letters[0] == 112 else { return false }
        r.meridiem = letters[0] == 112 ? 12 : 0
        i = j
      case .offset:
        if i < b.count, b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
          i += 1
          r.offset = 0
        } else if b.count - i >= 3, b[i..<(i + 3)].elementsEqual("UTC".utf8) || b[i..<(i + 3)].elementsEqual("GMT".utf8)
        {
          i += 3
          r.offset = 0
          if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            guard let o = signedOffset(b, &i) else { return false }
            r.offset = o
          }
        } else {
          guard let o = signedOffset(b, &i) else { return false }
          r.offset = o
        }
      case .literal(let lit):
        guard b.count - i >= lit.count, b[i..<(i + lit.count)].elementsEqual(lit) else { return false }
        i += lit.count
      case .space:
        let start = i
        while let n = Self.spaceLength(b, i) { i += n }
        if i == start { return false }
      case .optional(let group):
        let (savedI, savedR) = (i, r)
        if !match(group, b, &i, &r) { (i, r) = (savedI, savedR) }
      }
    }
    return true
  }

  /// A space, a tab, a no-break space or a narrow no-break space (which newer exports put before AM/PM).
  private static func spaceLength(_ b: [UInt8], _ i: Int) -> Int? {
    guard i < b.count else { return nil }
    if b[i] == 0x20 || b[i] == 0x09 { return 1 }
    if b[i] == 0xC2, i + 1 < b.count, b[i + 1] == 0xA0 { return 2 }
    if b[i] == 0xE2, i + 2 < b.count, b[i + 1] == 0x80, b[i + 2] == 0xAF { return 3 }
    return nil
  }

  /// `+02:00`, `+0200`, `+02`, `-05:30`, in minutes.
  private func signedOffset(_ b: [UInt8], _ i: inout Int) -> Int? {
    guard i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") else { return nil }
    let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
    i += 1
    func two() -> Int? {
      guard i + 1 < b.count, Self.isDigit(b[i]), Self.isDigit(b[i + 1]) else { return nil }
      defer { i += 2 }
      return Int(b[i] - 48) * 10 + Int(b[i + 1] - 48)
    }
    guard let h = two(), h <= 23 else { return nil }
    var m = 0
    if i < b.count, b[i] == UInt8(ascii: ":") { i += 1 }
    if i < b.count, Self.isDigit(b[i]) {
      guard let mm = two(), mm <= 59 else { return nil }
      m = mm
    }
    return sign * (h * 60 + m)
  }
}
