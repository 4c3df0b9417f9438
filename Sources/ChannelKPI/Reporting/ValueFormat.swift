/// How KPI values are written: exactly for machines, readably for people.
public enum ValueFormat {
  /// Full precision, no grouping: integers without a fraction, others in the shortest form that
  /// reads back to the same double. Empty for no value.
  public static func machine(_ v: Double?) -> String {
    guard let v, v.isFinite else { return "" }
    if v == v.rounded(), Swift.abs(v) < 9_007_199_254_740_992 { return String(Int64(v)) }
    return String(v)
  }

  /// Rounded and grouped for a screen, by unit; "—" for no value.
  public static func human(_ v: Double?, unit: KPIUnit) -> String {
    guard let v, v.isFinite else { return "—" }
    switch unit {
    case .money: return grouped(v, decimals: 2)
    case .moneyPerDay: return grouped(v, decimals: 2) + "/day"
    case .rate: return fixed(v * 100, decimals: 1) + "%"
    case .count: return v == v.rounded() ? grouped(v, decimals: 0) : grouped(v, decimals: 2)
    case .countPerPartner: return fixed(v, decimals: 2)
    case .days: return fixed(v, decimals: 1) + " d"
    case .hours: return fixed(v, decimals: 1) + " h"
    case .score: return fixed(v, decimals: 1)
    case .number: return grouped(v, decimals: v == v.rounded() ? 0 : 2)
    }
  }

  /// `v` rounded to `decimals` places, without grouping.
  public static func fixed(_ v: Double, decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let r = (Swift.abs(v) * scale).rounded()
    let negative = v < 0 && r != 0
    guard r < 9e18 else { return String(v) }
    let n = Int64(r)
    let whole = n / Int64(scale)
    var s = String(whole)
    if decimals > 0 {
      let frac = String(n % Int64(scale))
      s += "." + String(repeating: "0", count: decimals - frac.count) + frac
    }
    return (negative ? "-" : "") + s
  }

  /// `v` rounded to `decimals` places, with thousands separated by commas.
  public static func grouped(_ v: Double, decimals: Int) -> String {
    let s = fixed(v, decimals: decimals)
    let negative = s.hasPrefix("-")
    let body = negative ? String(s.dropFirst()) : s
    let parts = body.split(separator: ".", maxSplits: 1)
    var whole = String(parts[0])
    var out = ""
    while whole.count > 3 {
      out = "," + whole.suffix(3) + out
      whole = String(whole.dropLast(3))
    }
    out = whole + out
    if parts.count > 1 { out += "." + parts[1] }
    return (negative ? "-" : "") + out
  }
}
