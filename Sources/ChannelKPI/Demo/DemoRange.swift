/// The months a demo covers, as days.
struct DemoRange {
  let firstMonth: Month
  let months: Int
  /// The first day covered.
  let start: Day
  /// The last day covered.
  let end: Day

  init(lastMonth: Month, months: Int) {
    self.months = max(1, months)
    firstMonth = lastMonth - Int32(self.months - 1)
    start = firstMonth.firstDay
    end = lastMonth.lastDay
  }

  /// Months since the range started, fractional.
  func monthsIn(_ day: Day) -> Double { Double(day - start) / 30.44 }

  /// The index of `day`'s month in the range; nil outside it.
  func monthOffset(_ day: Day) -> Int? {
    guard day >= start, day <= end else { return nil }
    return Int(day.month.index - firstMonth.index)
  }
}
