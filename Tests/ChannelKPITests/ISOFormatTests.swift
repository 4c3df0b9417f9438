import ChannelKPI
import Testing

/// The byte-written ISO forms of a day and of an instant are their descriptions: for every day
/// from year 1 to 9999, and for instants on whole seconds in UTC.
struct ISOFormatTests {
  static func written(count: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Void) -> String {
    var bytes = [UInt8](repeating: 0, count: count)
    bytes.withUnsafeMutableBufferPointer { write($0.baseAddress!) }
    return String(decoding: bytes, as: UTF8.self)
  }

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
      #expect(Self.written(count: 10) { d.writeISO(to: $0) } == d.description)
    }
    let leap = try #require(Day(iso: "2024-02-29"))
    #expect(Self.written(count: 10) { leap.writeISO(to: $0) } == "2024-02-29")
  }

  @Test func wholeUTCSecondsAreWrittenAsTheirDescription() throws {
    let first = try #require(Timestamp(iso: "0001-01-01T00:00:00Z")).microseconds
    let last = try #require(Timestamp(iso: "9999-12-31T23:59:59Z")).microseconds
    var g = SystemRandomNumberGenerator()
    var samples = [first, last, 0, -1_000_000, 1_745_000_000_000_000]
    for _ in 0..<20_000 { samples.append(Int64.random(in: first...last, using: &g) / 1_000_000 * 1_000_000) }
    for us in samples {
      let t = Timestamp(microseconds: us)
      try #require(t.isWholeUTCSecond, "\(t)")
      #expect(Self.written(count: 20) { t.writeISO(to: $0) } == t.description)
    }
    let t = try #require(Timestamp(iso: "2025-03-04T09:05:07Z"))
    #expect(Self.written(count: 20) { t.writeISO(to: $0) } == "2025-03-04T09:05:07Z")
    // Not of that form: an offset, a fraction of a second, a year of five digits or before year 1.
    for text in ["2025-03-04T11:30:00+02:00", "2025-03-04T09:30:00.5Z"] {
      #expect(try !#require(Timestamp(iso: text)).isWholeUTCSecond, "\(text)")
    }
    #expect(!Timestamp(microseconds: last + 1_000_000).isWholeUTCSecond)
    #expect(!Timestamp(microseconds: first - 1_000_000).isWholeUTCSecond)
  }
}
