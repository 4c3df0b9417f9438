import ChannelKPI

/// The grain and period a page shows, as given by the `grain` and `period` query parameters.
struct PeriodSelection: Hashable, Sendable {
  var grain: Grain { period.grain }
  var period: Period

  init(_ period: Period) { self.period = period }

  var queryItems: [(String, String)] { [("grain", grain.rawValue), ("period", period.description)] }

  /// The previous period of the same grain.
  var previous: PeriodSelection { PeriodSelection(period.shifted(by: -1)) }
  var next: PeriodSelection { PeriodSelection(period.shifted(by: 1)) }

  /// How many periods of the grain make a year.
  var periodsPerYear: Int { Int(12 / grain.months) }

  /// The same period a year before.
  var yearAgo: PeriodSelection { PeriodSelection(period.shifted(by: -periodsPerYear)) }

  /// The selection a request asks for: `grain` wins over the form of `period` (a quarter asked
  /// for by month becomes its last month with data), the default is the latest period of the
  /// data at the grain (a quarter when no grain is given). Nil when there is no data and no period.
  static func resolve(grain grainText: String?, period periodText: String?, coverage: MonthRange?)
    throws(DashboardError) -> PeriodSelection?
  {
    var grain: Grain?
    if let g = grainText {
      guard let parsed = Grain(rawValue: g.lowercased()) else {
        throw .badRequest(
          "That period cannot be shown", "“\(g)” is not a grain: choose month, quarter or year.")
      }
      grain = parsed
    }
    guard let periodText else {
      guard let coverage else { return nil }
      return PeriodSelection(Period(grain: grain ?? .quarter, containing: coverage.last))
    }
    guard let asked = Period(periodText) else {
      throw .badRequest(
        "That period cannot be shown",
        "“\(periodText)” is not a period: write a month (2025-03), a quarter (2025-Q1) or a year (2025).")
    }
    guard let coverage else { return PeriodSelection(Period(grain: grain ?? asked.grain, containing: asked.lastMonth)) }
    guard asked.lastMonth >= coverage.first && asked.firstMonth <= coverage.last else {
      throw .badRequest(
        "No data for that period",
        "There is no data for \(PeriodLabel.long(asked)): the data covers \(PeriodLabel.month(coverage.first)) to \(PeriodLabel.month(coverage.last))."
      )
    }
    let g = grain ?? asked.grain
    if g == asked.grain { return PeriodSelection(asked) }
    let month = asked.lastMonth > coverage.last ? coverage.last : asked.lastMonth
    return PeriodSelection(Period(grain: g, containing: month))
  }

  /// The periods of a grain the data covers, newest first.
  static func options(grain: Grain, coverage: MonthRange?) -> [Period] {
    guard let coverage else { return [] }
    return Period.range(grain, from: coverage.first, to: coverage.last).reversed()
  }
}

/// Periods in words: `Q1 2025`, `Mar 2025`, `2025`.
enum PeriodLabel {
  static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

  static func month(_ m: Month) -> String { monthNames[m.monthOfYear - 1] + " " + String(m.year) }

  static func long(_ p: Period) -> String {
    switch p.grain {
    case .month: month(p.firstMonth)
    case .quarter: "Q\((p.firstMonth.monthOfYear - 1) / 3 + 1) \(p.firstMonth.year)"
    case .year: String(p.firstMonth.year)
    }
  }

  /// A short label for chart axes: `Mar 25`, `Q1 25`, `2025`.
  static func short(_ p: Period) -> String {
    let yy = Digits2.pad(p.firstMonth.year % 100)
    switch p.grain {
    case .month: return monthNames[p.firstMonth.monthOfYear - 1] + " " + yy
    case .quarter: return "Q\((p.firstMonth.monthOfYear - 1) / 3 + 1) " + yy
    case .year: return String(p.firstMonth.year)
    }
  }

  static func grainNoun(_ g: Grain, plural: Bool = false) -> String {
    (plural ? ["months", "quarters", "years"] : ["month", "quarter", "year"])[Grain.allCases.firstIndex(of: g) ?? 0]
  }

  static func day(_ d: Day) -> String {
    let c = d.civil
    return "\(c.day) \(monthNames[c.month - 1]) \(c.year)"
  }
}

enum Digits2 {
  static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
}
