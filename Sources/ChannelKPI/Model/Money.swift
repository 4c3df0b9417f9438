/// Exact amounts of the reporting currency in integer minor units (cents).
public enum Money {
  /// Parses a decimal amount with at most two decimal places (`1234`, `1234.5`, `-3.25`) into cents.
  /// No currency sign, no thousands separator, `.` as separator.
  public static func parseCents(_ text: some StringProtocol) -> Int64? { parseCents(utf8: text.utf8) }

  /// `parseCents(_:)` of text given as UTF-8 bytes.
  public static func parseCents(utf8 text: some Sequence<UInt8>) -> Int64? {
    var negative = false
    var units: Int64 = 0
    var fraction: Int64 = 0
    var fractionDigits = 0
    var digits = 0
    var seenDot = false
    var first = true
    for c in text {
      defer { first = false }
      if first && c == UInt8(ascii: "-") {
        negative = true
        continue
      }
      if c == UInt8(ascii: ".") {
        if seenDot || digits == 0 { return nil }
        seenDot = true
        continue
      }
      guard c >= 48, c <= 57 else { return nil }
      let d = Int64(c - 48)
      if seenDot {
        fractionDigits += 1
        if fractionDigits > 2 { return nil }
        fraction = fraction * 10 + d
      } else {
        digits += 1
        // 9e16 cents is far above any real amount and keeps sums well inside Int64.
        if digits > 15 { return nil }
        units = units * 10 + d
      }
    }
    if digits == 0 || (seenDot && fractionDigits == 0) { return nil }
    if fractionDigits == 1 { fraction *= 10 }
    let cents = units * 100 + fraction
    return negative ? -cents : cents
  }

  /// Formats cents as a plain decimal: `1234.5` → `"1234.50"`.
  public static func format(cents: Int64) -> String {
    let sign = cents < 0 ? "-" : ""
    let m = cents.magnitude
    return sign + String(m / 100) + "." + Digits.pad(Int(m % 100), 2)
  }
}

/// Parsing of base-10 integers as the canonical format writes them.
public enum Integer {
  /// Parses an optional sign followed by 1–18 digits.
  public static func parse(_ text: some StringProtocol) -> Int64? { parse(utf8: text.utf8) }

  /// `parse(_:)` of text given as UTF-8 bytes.
  public static func parse(utf8 text: some Sequence<UInt8>) -> Int64? {
    var v: Int64 = 0
    var negative = false
    var digits = 0
    var first = true
    for c in text {
      defer { first = false }
      if first && (c == UInt8(ascii: "-") || c == UInt8(ascii: "+")) {
        negative = c == UInt8(ascii: "-")
        continue
      }
      guard c >= 48, c <= 57 else { return nil }
      digits += 1
      if digits > 18 { return nil }
      v = v * 10 + Int64(c - 48)
    }
    guard digits > 0 else { return nil }
    return negative ? -v : v
  }
}
