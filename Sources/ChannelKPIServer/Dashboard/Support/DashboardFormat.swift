import ChannelKPI

/// Numbers for people: currency, percentages, days; "—" for no value.
enum DashboardFormat {
  /// What precedes an amount: the sign of the reporting currency the server was started with
  /// (amounts are stored without one). Set for each request by the dashboard controller.
  @TaskLocal static var currency = Currency.usd.prefix
  static let minus = "\u{2212}"
  static let none = "—"

  /// The chance of reaching a target, in words: "likely to reach: 77%", "likely to miss: 23% to reach".
  static func chance(_ p: Double) -> String {
    p >= 0.5 ? "likely to reach: \(percent(p))" : "likely to miss: \(percent(p)) chance to reach"
  }

  /// External figures with their sources: `32.0% (Channel sales survey 2025); …`, or "—".
  static func external(_ figures: [ExternalBenchmark], unit: KPIUnit) -> String {
    figures.isEmpty ? none : figures.map { "\(value($0.value, unit: unit)) (\($0.source))" }.joined(separator: "; ")
  }

  /// The full value, as in tables: `$1,234,567`, `23.4%`, `42.1 days`.
  static func value(_ v: Double?, unit: KPIUnit) -> String {
    guard let v, v.isFinite else { return none }
    switch unit {
    case .money: return money(v)
    case .moneyPerDay: return money(v) + "/day"
    case .rate: return signed(ValueFormat.fixed(v * 100, decimals: 1)) + "%"
    case .count: return signed(ValueFormat.grouped(v, decimals: v == v.rounded() ? 0 : 1))
    case .countPerPartner: return signed(ValueFormat.fixed(v, decimals: 2))
    case .days: return signed(ValueFormat.fixed(v, decimals: 1)) + (v == 1 ? " day" : " days")
    case .hours: return signed(ValueFormat.fixed(v, decimals: 1)) + " h"
    case .score: return signed(ValueFormat.fixed(v, decimals: 1))
    case .number: return signed(ValueFormat.grouped(v, decimals: v == v.rounded() ? 0 : 2))
    }
  }

  /// A short value for tiles and chart axes: `$1.23M`, `23.4%`, `42 days`.
  static func compact(_ v: Double?, unit: KPIUnit) -> String {
    guard let v, v.isFinite else { return none }
    switch unit {
    case .money: return sign(v) + currency + abbreviated(Swift.abs(v))
    case .moneyPerDay: return sign(v) + currency + abbreviated(Swift.abs(v)) + "/day"
    case .count, .number:
      return Swift.abs(v) >= 10_000 ? sign(v) + abbreviated(Swift.abs(v)) : value(v, unit: unit)
    default: return value(v, unit: unit)
    }
  }

  /// A label of a chart axis tick: compact, without trailing zeros (`80%`, `$10M`, `42 days`).
  static func tick(_ v: Double, unit: KPIUnit) -> String {
    switch unit {
    case .rate: return signed(trimZeros(ValueFormat.fixed(v * 100, decimals: 1))) + "%"
    case .days: return signed(trimZeros(ValueFormat.fixed(v, decimals: 1))) + " d"
    case .hours: return signed(trimZeros(ValueFormat.fixed(v, decimals: 1))) + " h"
    case .score, .countPerPartner: return signed(trimZeros(ValueFormat.fixed(v, decimals: 2)))
    default: return compact(v, unit: unit)
    }
  }

  /// A compact value split into the number and a unit to set smaller: (`48.2`, `days`).
  static func compactParts(_ v: Double?, unit: KPIUnit) -> (number: String, unit: String) {
    guard let v, v.isFinite else { return (none, "") }
    switch unit {
    case .days: return (value(v, unit: .score), v == 1 ? "day" : "days")
    case .hours: return (value(v, unit: .score), "h")
    case .moneyPerDay: return (compact(v, unit: .money), "/day")
    default: return (compact(v, unit: unit), "")
    }
  }

  /// An amount of the currency, cents only below 1,000 when there are any.
  static func money(_ v: Double) -> String {
    let a = Swift.abs(v)
    let cents = a < 1000 && (a * 100).rounded() != (a.rounded() * 100)
    return sign(v) + currency + ValueFormat.grouped(a, decimals: cents ? 2 : 0)
  }

  /// An exact amount in cents, always with its cents: payouts are read to the cent.
  static func cents(_ c: Int64) -> String {
    let text = Cents.text(c.magnitude > UInt64(Int64.max) ? 0 : Swift.abs(c))
    let parts = text.split(separator: ".")
    var whole = String(parts[0])
    var grouped = ""
    while whole.count > 3 {
      grouped = "," + whole.suffix(3) + grouped
      whole = String(whole.dropLast(3))
    }
    return (c < 0 ? "−" : "") + currency + whole + grouped + "." + parts[1]
  }

  /// Three significant digits with K, M or B.
  static func abbreviated(_ a: Double) -> String {
    let steps: [(Double, String)] = [(1e9, "B"), (1e6, "M"), (1e3, "K")]
    for (scale, suffix) in steps where a >= scale * 0.9995 {
      let x = a / scale
      let decimals = x >= 99.95 ? 0 : x >= 9.995 ? 1 : 2
      return trimZeros(ValueFormat.fixed(x, decimals: decimals)) + suffix
    }
    let decimals = a == a.rounded() ? 0 : a >= 100 ? 0 : 2
    return ValueFormat.fixed(a, decimals: decimals)
  }

  static func trimZeros(_ s: String) -> String {
    guard s.contains(".") else { return s }
    var t = Substring(s)
    while t.hasSuffix("0") { t = t.dropLast() }
    if t.hasSuffix(".") { t = t.dropLast() }
    return String(t)
  }

  private static func sign(_ v: Double) -> String { v <= -0.005 ? minus : "" }

  private static func signed(_ s: String) -> String { s.hasPrefix("-") ? minus + s.dropFirst() : s }

  /// A fraction as a percentage: `87%`, `112.5%`.
  static func percent(_ fraction: Double?, decimals: Int = 0) -> String {
    guard let fraction, fraction.isFinite else { return none }
    return signed(ValueFormat.fixed(fraction * 100, decimals: decimals)) + "%"
  }

  /// An integer with thousands separators.
  static func count(_ n: Int) -> String { signed(ValueFormat.grouped(Double(n), decimals: 0)) }

  static func unitLabel(_ u: KPIUnit) -> String {
    switch u {
    case .money: "amount (\(currency))"
    case .moneyPerDay: "amount per day (\(currency))"
    case .rate: "percentage"
    case .count: "count"
    case .countPerPartner: "count per partner"
    case .days: "days"
    case .hours: "hours"
    case .score: "score"
    case .number: "number"
    }
  }

  /// `partner_performance` → `Partner performance`.
  static func humanize(_ slug: String) -> String {
    let words = slug.replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "-", with: " ")
    guard let f = words.first else { return slug }
    return f.uppercased() + words.dropFirst()
  }
}

/// How a value moved between two periods, and whether that is good for the KPI.
struct ValueChange: Hashable, Sendable {
  enum Movement: String, Sendable { case up, down, flat }
  enum Tone: String, Sendable { case good, bad, neutral }

  let direction: Movement
  let tone: Tone
  /// `+12.4%`, `−1.2 pts`, `0.0%`.
  let text: String

  /// Rates and scores change by points, other units by a relative percentage (none from 0).
  static func between(_ current: Double?, _ previous: Double?, unit: KPIUnit, better: Direction) -> ValueChange? {
    guard let c = current, let p = previous, c.isFinite, p.isFinite else { return nil }
    let amount: Double
    let suffix: String
    switch unit {
    case .rate:
      amount = (c - p) * 100
      suffix = " pts"
    case .score:
      amount = c - p
      suffix = " pts"
    default:
      guard p != 0 else { return nil }
      amount = (c - p) / Swift.abs(p) * 100
      suffix = "%"
    }
    let rounded = ValueFormat.fixed(Swift.abs(amount), decimals: 1)
    let direction: Movement = rounded == "0.0" ? .flat : amount > 0 ? .up : .down
    let tone: Tone =
      switch direction {
      case .flat: .neutral
      case .up: better == .higher ? .good : .bad
      case .down: better == .lower ? .good : .bad
      }
    let sign = direction == .up ? "+" : direction == .down ? DashboardFormat.minus : "±"
    return ValueChange(direction: direction, tone: tone, text: sign + rounded + suffix)
  }

  var arrow: String {
    switch direction {
    case .up: "▲"
    case .down: "▼"
    case .flat: "▶"
    }
  }

  /// Words for screen readers, since colour and arrows are not enough.
  var spoken: String {
    let d = direction == .up ? "up" : direction == .down ? "down" : "unchanged"
    let t = tone == .good ? ", better" : tone == .bad ? ", worse" : ""
    return d + t
  }
}
