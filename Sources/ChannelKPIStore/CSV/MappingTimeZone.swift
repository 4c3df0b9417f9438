import Foundation

/// The time zone an import mapping reads local date-times in: a fixed offset or a named zone
/// (whose offset follows daylight saving time).
enum MappingTimeZone: Sendable, Hashable {
  case fixed(minutes: Int)
  case named(TimeZone)

  /// `UTC`, `Z`, `+02:00`, `-0500`, `+05:30`, or a name such as `Europe/Berlin`.
  init?(_ text: String) {
    let t = text.trimmingCharacters(in: .whitespaces)
    if ["utc", "z", "gmt"].contains(t.lowercased()) {
      self = .fixed(minutes: 0)
      return
    }
    let b = Array(t.utf8)
    if let sign = b.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
      let digits = b.dropFirst().filter { $0 != UInt8(ascii: ":") }
      guard digits.count == 2 || digits.count == 4, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
      let n = digits.map { Int($0 - 48) }
      let h = n[0] * 10 + n[1]
      let m = n.count == 4 ? n[2] * 10 + n[3] : 0
      guard h <= 23, m <= 59 else { return nil }
      self = .fixed(minutes: (sign == UInt8(ascii: "-") ? -1 : 1) * (h * 60 + m))
      return
    }
    // Only region names: abbreviations such as EST or CET are ambiguous about daylight saving time.
    guard t.contains("/"), let zone = TimeZone(identifier: t) else { return nil }
    self = .named(zone)
  }

  /// The offset, in minutes, in force at a local time given as seconds since 1970-01-01 00:00 local.
  func offset(atLocal seconds: Int64) -> Int {
    switch self {
    case .fixed(let m): return m
    case .named(let zone):
      // Guess with the local time read as UTC, then correct once: exact except inside a
      // daylight-saving gap, where the later offset wins.
      let guess = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
      let corrected = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds - Int64(guess))))
      return corrected / 60
    }
  }
}
