import Testing

@testable import channelkpi

/// The import's progress line, worked out by hand.
struct ProgressBarTests {
  @Test func textHasRowsPerSecondAndTimeLeft() {
    // 42% of the bytes in 10 s: the other 58% take 10 × 58 / 42 = 13.8 s, said as 0:14.
    #expect(
      ProgressBar.text(done: 42, total: 100, rows: 1_234_567, seconds: 10)
        == "42%  1,234,567 rows  123,457 rows/s  0:14 left")
    #expect(ProgressBar.text(done: 0, total: 100, rows: 0, seconds: 0) == "0%  0 rows")
    #expect(ProgressBar.text(done: 100, total: 100, rows: 500, seconds: 2) == "100%  500 rows  250 rows/s")
    // An unknown size (0 bytes) is 0%, with no time left guessed.
    #expect(ProgressBar.text(done: 10, total: 0, rows: 30, seconds: 3) == "0%  30 rows  10 rows/s")
    #expect(
      ProgressBar.text(done: 100, total: 100, rows: 500, seconds: 62.5, read: true)
        == "100%  500 rows  8 rows/s  all read in 1:03, finishing")
    #expect(
      ProgressBar.text(done: 100, total: 100, rows: 500, seconds: 3.3, read: true)
        == "100%  500 rows  152 rows/s  all read in 0:03, finishing")
  }

  @Test func clockAndBar() {
    #expect(ProgressBar.clock(7) == "0:07")
    #expect(ProgressBar.clock(750) == "12:30")
    #expect(ProgressBar.clock(3723) == "1:02:03")
    #expect(ProgressBar.clock(0.2) == "0:01")
    #expect(ProgressBar.bar(done: 1, total: 2, width: 4) == "██░░")
    #expect(ProgressBar.bar(done: 5, total: 2, width: 4) == "████")
  }
}
