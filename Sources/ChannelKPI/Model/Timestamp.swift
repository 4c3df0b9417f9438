/// An instant, held as microseconds since 1970-01-01T00:00:00Z, with the offset it was written in.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
  public var microseconds: Int64
  /// The UTC offset of the original text, in minutes (kept so it can be written back as given).
  public var offsetMinutes: Int32

  public init(microseconds: Int64, offsetMinutes: Int32 = 0) {
    self.microseconds = microseconds
    self.offsetMinutes = offsetMinutes
  }

  public static let microsecondsPerDay: Int64 = 86_400_000_000

  /// The UTC calendar date of the instant.
  public var utcDay: Day {
    let d =
      microseconds >= 0
      ? microseconds / Self.microsecondsPerDay
      : (microseconds - Self.microsecondsPerDay + 1) / Self.microsecondsPerDay
    return Day(number: Int32(d))
  }

  /// Parses ISO 8601 `YYYY-MM-DDTHH:MM[:SS[.fff…]]` followed by `Z` or an offset `±HH:MM`, `±HHMM`, `±HH`
  /// (a space in place of the `T` is accepted too, as RFC 3339 allows).
  public init?(iso text: some StringProtocol) {
    guard let t = Array(text.utf8).withUnsafeBufferPointer({ Timestamp(utf8: $0) }) else { return nil }
    self = t
  }

  /// Parses the ISO 8601 forms `init(iso:)` takes from UTF-8 bytes.
  public init?(utf8 b: UnsafeBufferPointer<UInt8>) {
    guard b.count >= 17, let day = Day(utf8: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: b[0..<10]))),
      b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == UInt8(ascii: " ")
    else { return nil }
    var i = 11
    func two() -> Int? {
      guard i + 1 < b.count, (48...57).contains(b[i]), (48...57).contains(b[i + 1]) else { return nil }
      defer { i += 2 }
      return Int(b[i] - 48) * 10 + Int(b[i + 1] - 48)
    }
    guard let hh = two(), hh <= 23, i < b.count, b[i] == UInt8(ascii: ":"),
      {
        i += 1; return true
      }(),
      let mm = two(), mm <= 59
    else { return nil }
    var ss = 0
    var micros: Int64 = 0
    if i < b.count, b[i] == UInt8(ascii: ":") {
      i += 1
      guard let s = two(), s <= 59 else { return nil }
      ss = s
      if i < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
        i += 1
        var digits = 0
        while i < b.count, (48...57).contains(b[i]) {
          if digits < 6 { micros = micros * 10 + Int64(b[i] - 48) }
          digits += 1
          i += 1
        }
        guard digits > 0 else { return nil }
        for _ in digits..<max(digits, 6) { micros *= 10 }
      }
    }
    guard i < b.count else { return nil }
    var offset = 0
    if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
      i += 1
    } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
      let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
      i += 1
      guard let oh = two(), oh <= 23 else { return nil }
      var om = 0
      if i < b.count {
        if b[i] == UInt8(ascii: ":") { i += 1 }
        guard let m = two(), m <= 59 else { return nil }
        om = m
      }
      offset = sign * (oh * 60 + om)
    } else {
      return nil
    }
    guard i == b.count else { return nil }
    let localSeconds = Int64(day.number) * 86_400 + Int64(hh * 3600 + mm * 60 + ss)
    microseconds = (localSeconds - Int64(offset) * 60) * 1_000_000 + micros
    offsetMinutes = Int32(offset)
  }

  /// ISO 8601 in the original offset, e.g. `2025-03-04T09:30:00Z` or `2025-03-04T11:30:00+02:00`.
  public var description: String {
    let local = microseconds + Int64(offsetMinutes) * 60_000_000
    let day = Timestamp(microseconds: local).utcDay
    var rest = local - Int64(day.number) * Self.microsecondsPerDay
    let micros = rest % 1_000_000
    rest /= 1_000_000
    var s =
      day.description + "T" + Digits.pad(Int(rest / 3600), 2) + ":"
      + Digits.pad(Int(rest / 60 % 60), 2) + ":" + Digits.pad(Int(rest % 60), 2)
    if micros != 0 {
      var frac = Digits.pad(Int(micros), 6)
      while frac.hasSuffix("0") { frac.removeLast() }
      s += "." + frac
    }
    if offsetMinutes == 0 { return s + "Z" }
    let o = Int(offsetMinutes.magnitude)
    return s + (offsetMinutes < 0 ? "-" : "+") + Digits.pad(o / 60, 2) + ":" + Digits.pad(o % 60, 2)
  }

  /// Whether `description` is `YYYY-MM-DDTHH:MM:SSZ`, 20 bytes that `writeISO(to:)` writes: an
  /// instant in UTC, on a whole second, of a four-digit year. Nearly every stored timestamp is.
  public var isWholeUTCSecond: Bool {
    offsetMinutes == 0 && microseconds % 1_000_000 == 0 && utcDay.hasFourDigitYear
  }

  /// Writes `description` as 20 bytes of UTF-8 to `b` (no string made). Only for an instant that
  /// `isWholeUTCSecond`.
  public func writeISO(to b: UnsafeMutablePointer<UInt8>) {
    let day = utcDay
    day.writeISO(to: b)
    let seconds = Int((microseconds - Int64(day.number) * Self.microsecondsPerDay) / 1_000_000)
    func put(_ v: Int, at i: Int) {
      b[i] = UInt8(ascii: "0") + UInt8(v / 10)
      b[i + 1] = UInt8(ascii: "0") + UInt8(v % 10)
    }
    b[10] = UInt8(ascii: "T")
    put(seconds / 3600, at: 11)
    b[13] = UInt8(ascii: ":")
    put(seconds / 60 % 60, at: 14)
    b[16] = UInt8(ascii: ":")
    put(seconds % 60, at: 17)
    b[19] = UInt8(ascii: "Z")
  }

  public static func < (a: Timestamp, b: Timestamp) -> Bool { a.microseconds < b.microseconds }
}
