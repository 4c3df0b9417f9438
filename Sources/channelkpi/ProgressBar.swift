import ChannelKPI
import Foundation

/// How far a long job is: a bar redrawn in place on a terminal, plain lines every few seconds
/// otherwise (a log or CI output), each with rows/s and the time left.
final class ProgressBar {
  private let label: String
  private let started = Date()
  private var last = Date()
  private let terminal: Bool
  private let every: TimeInterval

  init(_ label: String, terminal: Bool = Console.isTerminal) {
    self.label = label
    self.terminal = terminal
    every = terminal ? 0.2 : 5
  }

  /// Whether every byte has been read: the rest is the store's (its last batches, its commit,
  /// PostgreSQL's merges), said once when the import has run long enough to show progress, since
  /// that can take minutes.
  private var read = false

  /// `done` of `total` bytes read, `rows` rows so far.
  func update(_ done: Int, _ total: Int, _ rows: Int) {
    let now = Date()
    let allRead = total > 0 && done >= total
    if allRead {
      guard !read, now.timeIntervalSince(started) >= every else { return }
      read = true
    } else {
      guard now.timeIntervalSince(last) >= every else { return }
    }
    last = now
    let text = Self.text(done: done, total: total, rows: rows, seconds: now.timeIntervalSince(started), read: allRead)
    if terminal {
      FileHandle.standardError.write(Data("\r\u{1B}[2K\(label) \(Self.bar(done: done, total: total)) \(text)".utf8))
    } else {
      FileHandle.standardError.write(Data("\(label): \(text)\n".utf8))
    }
  }

  func finish() {
    guard terminal else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
  }

  static func fraction(done: Int, total: Int) -> Double { total > 0 ? min(1, max(0, Double(done) / Double(total))) : 0 }

  static func bar(done: Int, total: Int, width: Int = 30) -> String {
    let filled = Int(fraction(done: done, total: total) * Double(width))
    return String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
  }

  /// `42%  1,234,567 rows  812,345 rows/s  0:14 left`: the time left assumes the rest of the bytes
  /// go as fast as those read so far. Once everything is `read`, says that the store finishes.
  static func text(done: Int, total: Int, rows: Int, seconds: Double, read: Bool = false) -> String {
    let f = fraction(done: done, total: total)
    var s = "\(Int(f * 100))%  \(ValueFormat.grouped(Double(rows), decimals: 0)) rows"
    if seconds > 0 {
      s += "  \(ValueFormat.grouped(Double(rows) / seconds, decimals: 0)) rows/s"
      if f > 0 && f < 1 { s += "  \(clock(seconds * (1 - f) / f)) left" }
    }
    // The time taken, to the nearest second (`clock` rounds up, as a time left should).
    if read { s += "  all read in \(clock(seconds.rounded())), finishing" }
    return s
  }

  /// `0:07`, `12:30`, `1:02:03`.
  static func clock(_ seconds: Double) -> String {
    let t = Int(seconds.rounded(.up))
    let (h, m, sec) = (t / 3600, t / 60 % 60, t % 60)
    let mm = h > 0 && m < 10 ? "0\(m)" : "\(m)"
    return (h > 0 ? "\(h):" : "") + "\(mm):" + (sec < 10 ? "0\(sec)" : "\(sec)")
  }
}
