import ChannelKPI
import Testing

/// The stack-written ISO form of a day is its description, for every day from year 1 to 9999.
struct DayFormatTests {
  /// Exactly the days from 0001-01-01 to 9999-12-31 have a four-digit year.
  @Test func fourDigitYearsEndAtTheirFirstAndLastDay() throws {
    let first = try #require(Day(year: 1, month: 1, day: 1))
    let last = try #require(Day(year: 9999, month: 12, day: 31))
    #expect(first.hasFourDigitYear && last.hasFourDigitYear)
    #expect(!(first - 1).hasFourDigitYear && !(last + 1).hasFourDigitYear)
    #expect((first - 1).civil.year == 0 && (last + 1).civil.year == 10_000)
  }

  @Test func isoBytesAreTheDescription() throws {
    let first = try #require(Day(year: 1, month: 1, day: 1)).number
    let last = try #require(Day(year: 9999, month: 12, day: 31)).number
    for n in stride(from: first, through: last, by: 97) + [first, last, 0, -1, 19_783] {
      let d = Day(number: n)
      #expect(d.withISOBytes { String(decoding: $0, as: UTF8.self) } == d.description)
    }
    #expect(try #require(Day(iso: "2024-02-29")).withISOBytes { String(decoding: $0, as: UTF8.self) } == "2024-02-29")
  }
}
