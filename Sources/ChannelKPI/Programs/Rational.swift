/// An exact fraction, so that money and rates are multiplied without error and rounded once.
public struct Rational: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// Numerator and denominator in lowest terms; the denominator is positive.
  public let numerator: Int128
  public let denominator: Int128

  public init(_ numerator: Int128, _ denominator: Int128 = 1) {
    precondition(denominator != 0, "a fraction with denominator 0")
    let g = Self.gcd(numerator.magnitude, denominator.magnitude)
    let sign: Int128 = denominator < 0 ? -1 : 1
    self.numerator = sign * numerator / Int128(g)
    self.denominator = sign * denominator / Int128(g)
  }

  public init(_ n: Int) { self.init(Int128(n)) }

  /// An amount of money given in cents.
  public init(cents: Int64) { self.init(Int128(cents), 100) }

  public static let zero = Rational(0)
  public static let one = Rational(1)

  static func gcd(_ a: UInt128, _ b: UInt128) -> UInt128 {
    var (a, b) = (a, b)
    while b != 0 { (a, b) = (b, a % b) }
    return a == 0 ? 1 : a
  }

  public static func + (a: Rational, b: Rational) -> Rational {
    let g = Int128(gcd(a.denominator.magnitude, b.denominator.magnitude))
    let (x, o1) = a.numerator.multipliedReportingOverflow(by: b.denominator / g)
    let (y, o2) = b.numerator.multipliedReportingOverflow(by: a.denominator / g)
    let (n, o3) = x.addingReportingOverflow(y)
    let (d, o4) = (a.denominator / g).multipliedReportingOverflow(by: b.denominator)
    guard !(o1 || o2 || o3 || o4) else { return nearest(a.doubleValue + b.doubleValue) }
    return Rational(n, d)
  }
  public static prefix func - (a: Rational) -> Rational { Rational(-a.numerator, a.denominator) }
  public static func - (a: Rational, b: Rational) -> Rational { a + (-b) }
  public static func * (a: Rational, b: Rational) -> Rational {
    let g1 = Int128(gcd(a.numerator.magnitude, b.denominator.magnitude))
    let g2 = Int128(gcd(b.numerator.magnitude, a.denominator.magnitude))
    let (n, o1) = (a.numerator / g1).multipliedReportingOverflow(by: b.numerator / g2)
    let (d, o2) = (a.denominator / g2).multipliedReportingOverflow(by: b.denominator / g1)
    guard !(o1 || o2) else { return nearest(a.doubleValue * b.doubleValue) }
    return Rational(n, d)
  }

  /// The fraction nearest a double beyond what exact arithmetic can hold (amounts far past any
  /// real program's): never a trap, at worst the double's own precision.
  static func nearest(_ x: Double) -> Rational {
    guard x.isFinite else { return Rational(x < 0 ? -Int128(Int64.max) : Int128(Int64.max)) }
    return Rational(approximating: x) ?? Rational(Int128(Swift.max(-9e37, Swift.min(9e37, x.rounded()))))
  }

  /// Nil when dividing by zero.
  public static func / (a: Rational, b: Rational) -> Rational? {
    b.numerator == 0 ? nil : a * Rational(b.denominator, b.numerator)
  }
  public static func < (a: Rational, b: Rational) -> Bool {
    let (x, o1) = a.numerator.multipliedReportingOverflow(by: b.denominator)
    let (y, o2) = b.numerator.multipliedReportingOverflow(by: a.denominator)
    return o1 || o2 ? a.doubleValue < b.doubleValue : x < y
  }

  public var magnitude: Rational { Rational(numerator < 0 ? -numerator : numerator, denominator) }
  public var isZero: Bool { numerator == 0 }
  public var doubleValue: Double { Double(numerator) / Double(denominator) }

  /// Cents, for an amount in currency units: rounded half away from zero.
  public var roundedCents: Int64 {
    let (scaled, overflow) = numerator.multipliedReportingOverflow(by: 100)
    guard !overflow else {
      return Int64(clamping: Int128(Swift.max(-9e18, Swift.min(9e18, (doubleValue * 100).rounded()))))
    }
    let q = scaled / denominator
    let r = scaled % denominator
    let twice = r.magnitude * 2
    var cents = q
    if twice >= denominator.magnitude { cents += numerator < 0 ? -1 : 1 }
    return Int64(clamping: cents)
  }

  /// A decimal with at most `places` digits after the point, rounded half away from zero.
  public func decimal(places: Int) -> String {
    var scale: Int128 = 1
    for _ in 0..<places { scale *= 10 }
    let (scaled, overflow) = numerator.multipliedReportingOverflow(by: scale)
    guard !overflow else { return ValueFormat.machine(doubleValue) }
    var q = scaled / denominator
    let r = scaled % denominator
    if r.magnitude * 2 >= denominator.magnitude { q += numerator < 0 ? -1 : 1 }
    let negative = q < 0
    let digits = String(q.magnitude)
    guard places > 0 else { return (negative ? "-" : "") + digits }
    let padded = String(repeating: "0", count: max(0, places + 1 - digits.count)) + digits
    var whole = String(padded.dropLast(places))
    var frac = String(padded.suffix(places))
    while frac.last == "0" { frac.removeLast() }
    if whole.isEmpty { whole = "0" }
    return (negative ? "-" : "") + whole + (frac.isEmpty ? "" : "." + frac)
  }

  public var description: String { denominator == 1 ? String(numerator) : "\(numerator)/\(denominator)" }

  /// Parses a plain decimal (`250000`, `0.035`, `-12.5`, `100_000`) with at most `places` digits
  /// after the point; nil for anything else (exponents, more digits, not a number).
  public init?(decimal text: String, places: Int) {
    var s = Substring(text.trimmingWhitespace().replacingUnderscores())
    var negative = false
    if s.first == "-" || s.first == "+" {
      negative = s.first == "-"
      s = s.dropFirst()
    }
    let parts = s.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count <= 2, let whole = parts.first, !(whole.isEmpty && (parts.count == 1 || parts[1].isEmpty)),
      whole.allSatisfy({ $0.isASCII && $0.isNumber }), whole.count <= 18
    else { return nil }
    let frac = parts.count == 2 ? parts[1] : ""
    guard frac.count <= places, frac.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
    var n: Int128 = 0
    for c in whole { n = n * 10 + Int128(c.wholeNumberValue!) }
    var d: Int128 = 1
    for c in frac {
      n = n * 10 + Int128(c.wholeNumberValue!)
      d *= 10
    }
    self.init(negative ? -n : n, d)
  }

  /// The simplest fraction that the floating-point value stands for: KPI values reach here as
  /// `Double`s computed from integers (cents, counts, days) by one or two correctly rounded
  /// operations, so the fraction with the smallest denominator within a few units in the last place
  /// is the exact value.
  public init?(approximating x: Double) {
    guard x.isFinite else { return nil }
    if x == 0 {
      self = .zero
      return
    }
    let e = Int(x.exponent) - 52
    let m = Int128(x.significandBitPattern | (x.isNormal ? 1 << 52 : 0)) * (x < 0 ? -1 : 1)
    if e >= 0 {
      guard e < 70 else { return nil }
      self.init(m << e)
      return
    }
    guard -e < 120 else {
      self.init(Int128(x * 1e18), 1_000_000_000_000_000_000)
      return
    }
    let exact = Rational(m, Int128(1) << -e)
    // Continued fraction of the exact value; stop at the first convergent within 2⁻⁴⁸ relative.
    var (p, q) = (exact.numerator, exact.denominator)
    var (h0, h1): (Int128, Int128) = (0, 1)
    var (k0, k1): (Int128, Int128) = (1, 0)
    while q != 0 {
      var a = p / q
      if p % q != 0, (p < 0) != (q < 0) { a -= 1 }
      (p, q) = (q, p - a * q)
      let (h, o1) = a.multipliedReportingOverflow(by: h1)
      let (k, o2) = a.multipliedReportingOverflow(by: k1)
      guard !o1, !o2 else { break }
      (h0, h1) = (h1, h + h0)
      (k0, k1) = (k1, k + k0)
      let candidate = Rational(h1, k1)
      if Swift.abs(candidate.doubleValue - x) <= Swift.abs(x) * 0x1p-48 || k1 > 1 << 40 {
        self = candidate
        return
      }
    }
    self = exact
  }
}

extension String {
  fileprivate func replacingUnderscores() -> String { filter { $0 != "_" } }
}
