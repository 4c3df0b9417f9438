/// The canonical texts of ids, dates, money and date-times, written straight into string storage:
/// the demo makes millions of fields, and these stay inline (≤ 15 bytes) or allocate once.
enum DemoText {
  /// `prefix` followed by `number` zero-padded to `width` digits, e.g. `D00012345`.
  static func id(_ prefix: StaticString, _ number: Int, width: Int) -> String {
    let p = prefix.utf8CodeUnitCount
    let n = max(digitCount(number), width)
    return String(unsafeUninitializedCapacity: p + n) { buffer in
      let source = prefix.utf8Start
      for i in 0..<p { buffer[i] = source[i] }
      var v = number
      var i = p + n - 1
      while i >= p {
        buffer[i] = UInt8(truncatingIfNeeded: 48 + v % 10)
        v /= 10
        i -= 1
      }
      return p + n
    }
  }

  /// Non-negative cents as `1234.50`.
  static func money(cents: Int64) -> String {
    guard cents >= 0 else { return Money.format(cents: cents) }
    let units = Int(cents / 100)
    let fraction = Int(cents % 100)
    let n = digitCount(units)
    return String(unsafeUninitializedCapacity: n + 3) { buffer in
      var v = units
      var i = n - 1
      while i >= 0 {
        buffer[i] = UInt8(truncatingIfNeeded: 48 + v % 10)
        v /= 10
        i -= 1
      }
      buffer[n] = UInt8(ascii: ".")
      buffer[n + 1] = UInt8(truncatingIfNeeded: 48 + fraction / 10)
      buffer[n + 2] = UInt8(truncatingIfNeeded: 48 + fraction % 10)
      return n + 3
    }
  }

  /// `YYYY-MM-DD`.
  static func date(_ day: Day) -> String {
    String(unsafeUninitializedCapacity: 10) { buffer in
      writeDate(day, into: buffer, at: 0)
      return 10
    }
  }

  /// `YYYY-MM-DDTHH:MM:SS` local time followed by `Z` or `±HH:MM`, for an instant given as
  /// seconds since the epoch (UTC) and the offset it is written in.
  static func dateTime(utcSeconds: Int64, offsetMinutes: Int32) -> String {
    let local = utcSeconds + Int64(offsetMinutes) * 60
    let dayNumber = floorDiv(local, 86_400)
    let seconds = Int(local - dayNumber * 86_400)
    let count = offsetMinutes == 0 ? 20 : 25
    return String(unsafeUninitializedCapacity: count) { buffer in
      writeDate(Day(number: Int32(dayNumber)), into: buffer, at: 0)
      buffer[10] = UInt8(ascii: "T")
      writeTwo(seconds / 3600, into: buffer, at: 11)
      buffer[13] = UInt8(ascii: ":")
      writeTwo(seconds / 60 % 60, into: buffer, at: 14)
      buffer[16] = UInt8(ascii: ":")
      writeTwo(seconds % 60, into: buffer, at: 17)
      if offsetMinutes == 0 {
        buffer[19] = UInt8(ascii: "Z")
      } else {
        let o = Int(offsetMinutes.magnitude)
        buffer[19] = offsetMinutes < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
        writeTwo(o / 60, into: buffer, at: 20)
        buffer[22] = UInt8(ascii: ":")
        writeTwo(o % 60, into: buffer, at: 23)
      }
      return count
    }
  }

  static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
  }

  @inline(__always)
  static func digitCount(_ value: Int) -> Int {
    var n = 1
    var v = value
    while v >= 10 {
      v /= 10
      n += 1
    }
    return n
  }

  private static func writeDate(_ day: Day, into buffer: UnsafeMutableBufferPointer<UInt8>, at i: Int) {
    let c = day.civil
    buffer[i] = UInt8(truncatingIfNeeded: 48 + c.year / 1000 % 10)
    buffer[i + 1] = UInt8(truncatingIfNeeded: 48 + c.year / 100 % 10)
    writeTwo(c.year % 100, into: buffer, at: i + 2)
    buffer[i + 4] = UInt8(ascii: "-")
    writeTwo(c.month, into: buffer, at: i + 5)
    buffer[i + 7] = UInt8(ascii: "-")
    writeTwo(c.day, into: buffer, at: i + 8)
  }

  @inline(__always)
  private static func writeTwo(_ v: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at i: Int) {
    buffer[i] = UInt8(truncatingIfNeeded: 48 + v / 10)
    buffer[i + 1] = UInt8(truncatingIfNeeded: 48 + v % 10)
  }
}

/// The texts of every day of the covered range, made once: nearly every row carries a date.
struct DemoDayTexts {
  private let first: Int32
  private let texts: [String]

  init(from start: Day, through end: Day) {
    first = start.number
    texts = (start.number...max(start.number, end.number)).map { DemoText.date(Day(number: $0)) }
  }

  subscript(_ day: Day) -> String {
    let i = Int(day.number - first)
    return i >= 0 && i < texts.count ? texts[i] : DemoText.date(day)
  }
}
