import Testing

@testable import ChannelKPI

/// The periods the API, the CLI and the definitions accept: `2025`, `2025-Q1` (or `q1`) and
/// `2025-01`, with spaces around; nothing else.
@Suite struct PeriodParsingTests {
  @Test(arguments: [
    ("2025", Grain.year, 2025, 1), ("2025-Q1", .quarter, 2025, 1), ("2025-q4", .quarter, 2025, 10),
    ("  2024-Q3 ", .quarter, 2024, 7), ("2025-12", .month, 2025, 12), ("0001-01", .month, 1, 1),
    ("9999", .year, 9999, 1),
  ])
  func accepted(_ text: String, _ grain: Grain, _ year: Int, _ month: Int) throws {
    let p = try #require(Period(text))
    #expect(p.grain == grain && p.firstMonth == Month(year: year, month: month))
  }

  @Test(arguments: [
    "", "0000", "+202", "+202-Q1", "202", "20250", "2025-Q0", "2025-Q5", "2025-X1", "2025Q1", "2025-Q", "2025-Q12",
    "2025-00", "2025-13", "2025-1", "2025_Q1", "２０２５", "2025-Ｑ1",
  ])
  func refused(_ text: String) {
    #expect(Period(text) == nil)
  }
}
