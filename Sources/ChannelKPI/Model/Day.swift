/// A calendar day, counted in days since 1970-01-01 (proleptic Gregorian, no time zone).
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// Days since 1970-01-01.
  public var number: Int32

  public init(number: Int32) { self.number = number }

  /// The day of a valid calendar date; nil when the date does not exist.
  public init?(year: Int, month: Int, day: Int) {
    guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
      day <= Day.daysIn(year: year, month: month)
    else { return nil }
    number = Int32(Day.daysFromCivil(year, month, day))
  }

  /// Parses `YYYY-MM-DD`.
  public init?(iso text: some StringProtocol) {
    var it = text.utf8.makeIterator()
    guard let y = Digits.read(&it, count: 4), it.next() == UInt8(ascii: "-"),
      let m = Digits.read(&it, count: 2), it.next() == UInt8(ascii: "-"),
      let d = Digits.read(&it, count: 2), it.next() == nil
    else { return nil }
    self.init(year: y, month: m, day: d)
  }

  /// Parses `YYYY-MM-DD` from raw UTF-8 bytes without allocating.
  public init?(utf8 bytes: UnsafeRawBufferPointer) {
    guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else {
      return nil
    }
    var it = bytes.makeIterator()
    guard let y = Digits.read(&it, count: 4) else { return nil }
    _ = it.next()
    guard let m = Digits.read(&it, count: 2) else { return nil }
    _ = it.next()
    guard let d = Digits.read(&it, count: 2) else { return nil }
    self.init(year: y, month: m, day: d)
  }

  public var civil: (year: Int, month: Int, day: Int) { Day.civilFromDays(Int(number)) }

  /// Days of the years 0001 to 9999, the ones `YYYY-MM-DD` can write.
  private static let fourDigitYears = Int32(daysFromCivil(1, 1, 1))...Int32(daysFromCivil(9999, 12, 31))

  /// Whether the day's year has four digits (without working out the year).
  public var hasFourDigitYear: Bool { Self.fourDigitYears.contains(number) }

  public var month: Month {
    let c = civil
    return Month(year: c.year, month: c.month)
  }

  public var description: String {
    let c = civil
    return Digits.pad(c.year, 4) + "-" + Digits.pad(c.month, 2) + "-" + Digits.pad(c.day, 2)
  }

  /// Writes the day as `YYYY-MM-DD` in UTF-8 to the 10 bytes at `b`. The year must have four
  /// digits (`hasFourDigitYear`).
  public func writeISO(to b: UnsafeMutablePointer<UInt8>) {
    let c = civil
    func put(_ v: Int, at i: Int, digits: Int) {
      var v = v
      for k in stride(from: i + digits - 1, through: i, by: -1) {
        b[k] = UInt8(ascii: "0") + UInt8(v % 10)
        v /= 10
      }
    }
    put(c.year, at: 0, digits: 4)
    b[4] = UInt8(ascii: "-")
    put(c.month, at: 5, digits: 2)
    b[7] = UInt8(ascii: "-")
    put(c.day, at: 8, digits: 2)
  }

  public static func < (a: Day, b: Day) -> Bool { a.number < b.number }

  public static func + (a: Day, days: Int32) -> Day { Day(number: a.number + days) }
  public static func - (a: Day, days: Int32) -> Day { Day(number: a.number - days) }
  public static func - (a: Day, b: Day) -> Int32 { a.number - b.number }

  static func isLeap(_ y: Int) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

  static func daysIn(year: Int, month: Int) -> Int {
    switch month {
    case 2: return isLeap(year) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  // Howard Hinnant's days_from_civil / civil_from_days.
  static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
    let y = m <= 2 ? y0 - 1 : y0
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (m + 9) % 12
    let doy = (153 * mp + 2) / 5 + d - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468
  }

  static func civilFromDays(_ z0: Int) -> (year: Int, month: Int, day: Int) {
    let z = z0 + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let doe = z - era * 146097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
    let y = yoe + era * 400
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (m <= 2 ? y + 1 : y, m, d)
  }
}

/// A calendar month, counted as `year * 12 + (month - 1)`.
public struct Month: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// `year * 12 + month - 1`.
  public var index: Int32

  public init(index: Int32) { self.index = index }
  public init(year: Int, month: Int) { index = Int32(year * 12 + month - 1) }

  /// Parses `YYYY-MM`.
  public init?(iso text: some StringProtocol) { self.init(utf8: text.utf8) }

  /// Parses `YYYY-MM` from UTF-8 bytes.
  public init?(utf8 text: some Sequence<UInt8>) {
    var it = text.makeIterator()
    guard let y = Digits.read(&it, count: 4), it.next() == UInt8(ascii: "-"),
      let m = Digits.read(&it, count: 2), it.next() == nil, (1...9999).contains(y), (1...12).contains(m)
    else { return nil }
    self.init(year: y, month: m)
  }

  public var year: Int { Int(index) / 12 }
  public var monthOfYear: Int { Int(index) % 12 + 1 }
  public var firstDay: Day { Day(number: Int32(Day.daysFromCivil(year, monthOfYear, 1))) }
  public var lastDay: Day {
    Day(number: Int32(Day.daysFromCivil(year, monthOfYear, Day.daysIn(year: year, month: monthOfYear))))
  }
  public var description: String { Digits.pad(year, 4) + "-" + Digits.pad(monthOfYear, 2) }

  public static func < (a: Month, b: Month) -> Bool { a.index < b.index }
  public static func + (a: Month, n: Int32) -> Month { Month(index: a.index + n) }
  public static func - (a: Month, n: Int32) -> Month { Month(index: a.index - n) }
}

/// Small helpers for fixed-width decimal digits.
enum Digits {
  static func read<I: IteratorProtocol>(_ it: inout I, count: Int) -> Int? where I.Element == UInt8 {
    var v = 0
    for _ in 0..<count {
      guard let c = it.next(), c >= 48, c <= 57 else { return nil }
      v = v * 10 + Int(c - 48)
    }
    return v
  }

  static func pad(_ v: Int, _ width: Int) -> String {
    let s = String(v)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
  }
}
