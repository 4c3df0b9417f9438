/// The calendar grain at which KPIs are reported.
public enum Grain: String, CaseIterable, Sendable, Codable {
  case month, quarter, year

  /// Number of months in one period of this grain.
  public var months: Int32 {
    switch self {
    case .month: 1
    case .quarter: 3
    case .year: 12
    }
  }
}

/// A reporting period: a month (`2025-03`), a quarter (`2025-Q1`) or a year (`2025`).
public struct Period: Hashable, Comparable, Sendable, CustomStringConvertible {
  public let grain: Grain
  /// The period's first month.
  public let firstMonth: Month

  /// The period of `grain` that contains `month`.
  public init(grain: Grain, containing month: Month) {
    self.grain = grain
    let i = month.index
    let n = grain.months
    firstMonth = Month(index: i - ((i % n) + n) % n)
  }

  /// Parses `2025-03`, `2025-Q1` or `2025`; the grain is read from the form.
  public init?(_ text: String) {
    // Read as bytes: every read of the API parses one, and searching the text was a percent of a
    // server under load.
    let b = Array(text.trimmingWhitespace().utf8)
    if b.count == 4 || (b.count == 7 && (b[5] == UInt8(ascii: "Q") || b[5] == UInt8(ascii: "q"))) {
      var it = b.makeIterator()
      guard let y = Digits.read(&it, count: 4), y >= 1 else { return nil }
      guard b.count == 7 else {
        self.init(grain: .year, containing: Month(year: y, month: 1))
        return
      }
      guard b[4] == UInt8(ascii: "-"), (UInt8(ascii: "1")...UInt8(ascii: "4")).contains(b[6]) else { return nil }
      self.init(grain: .quarter, containing: Month(year: y, month: Int(b[6] - UInt8(ascii: "1")) * 3 + 1))
    } else if let m = Month(utf8: b) {
      self.init(grain: .month, containing: m)
    } else {
      return nil
    }
  }

  public var lastMonth: Month { firstMonth + (grain.months - 1) }
  public var start: Day { firstMonth.firstDay }
  public var end: Day { lastMonth.lastDay }
  public var months: MonthRange { MonthRange(first: firstMonth, last: lastMonth) }

  public var next: Period { Period(grain: grain, containing: firstMonth + grain.months) }

  public var description: String {
    switch grain {
    case .month: return firstMonth.description
    case .quarter: return Digits.pad(firstMonth.year, 4) + "-Q" + String((firstMonth.monthOfYear - 1) / 3 + 1)
    case .year: return Digits.pad(firstMonth.year, 4)
    }
  }

  public static func < (a: Period, b: Period) -> Bool { a.firstMonth < b.firstMonth }

  /// Every period of `grain` from the one containing `from` to the one containing `to`.
  public static func range(_ grain: Grain, from: Month, to: Month) -> [Period] {
    var out: [Period] = []
    var p = Period(grain: grain, containing: from)
    let last = Period(grain: grain, containing: to)
    while p.firstMonth <= last.firstMonth {
      out.append(p)
      p = p.next
    }
    return out
  }
}

/// An inclusive range of calendar months.
public struct MonthRange: Hashable, Sendable {
  public var first: Month
  public var last: Month
  public init(first: Month, last: Month) {
    self.first = first
    self.last = last
  }
  public var start: Day { first.firstDay }
  public var end: Day { last.lastDay }
  /// The `count` calendar months ending with this range's last month.
  public func trailing(_ count: Int32) -> MonthRange { MonthRange(first: last - (count - 1), last: last) }
}

extension StringProtocol {
  func trimmingWhitespace() -> String {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" || f == "\r" || f == "\n" { s.removeFirst() }
    while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" { s.removeLast() }
    return String(s)
  }
}
