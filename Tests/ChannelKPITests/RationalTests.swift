import ChannelKPI
import Testing

/// A decimal text, the places allowed, and the fraction it stands for.
struct DecimalCase: Sendable, CustomTestStringConvertible {
  var text: String
  var places: Int
  var numerator: Int
  var denominator: Int
  init(_ text: String, _ places: Int, _ numerator: Int, _ denominator: Int) {
    self.text = text
    self.places = places
    self.numerator = numerator
    self.denominator = denominator
  }
  var testDescription: String { "\"\(text)\" (\(places) places) = \(numerator)/\(denominator)" }
}

/// Exact fractions: parsing the decimals of definitions, rounding once to cents half away from
/// zero, and recovering the exact value behind a KPI's `Double`.
@Suite struct RationalTests {
  // MARK: Parsing decimals

  static let parsingCases: [DecimalCase] = [
    // "250000" → 250000/1.
    DecimalCase("250000", 6, 250000, 1),
    // "0.035" → 35/1000 = 7/200 in lowest terms.
    DecimalCase("0.035", 6, 7, 200),
    // Underscores group digits: "100_000" = 100000; "1_000.5" = 10005/10 = 2001/2.
    DecimalCase("100_000", 2, 100000, 1),
    DecimalCase("1_000.5", 2, 2001, 2),
    // "-12.5" → −125/10 = −25/2.
    DecimalCase("-12.5", 2, -25, 2),
    // "+3" → 3.
    DecimalCase("+3", 2, 3, 1),
    // Exactly `places` digits after the point: "0.123456" with 6 → 123456/10⁶ = 1929/15625.
    DecimalCase("0.123456", 6, 1929, 15625),
    // "12.34" with 2 places → 1234/100 = 617/50.
    DecimalCase("12.34", 2, 617, 50),
    // Surrounding blanks are ignored: " 7 " → 7.
    DecimalCase(" 7 ", 2, 7, 1),
  ]

  @Test(arguments: parsingCases)
  func parsesPlainDecimals(_ c: DecimalCase) {
    #expect(Rational(decimal: c.text, places: c.places) == Rational(Int128(c.numerator), Int128(c.denominator)))
  }

  @Test(arguments: [
    // One digit too many after the point.
    ("0.1234567", 6), ("1.234", 2),
    // Exponents are not plain decimals, even when the value would fit.
    ("1e3", 6), ("1E3", 6), ("2.5e-1", 6),
    // Not numbers at all.
    ("", 2), ("-", 2), (".", 2), ("1.2.3", 2), ("abc", 2), ("12a", 2), ("0x10", 2), ("1,5", 2),
  ])
  func refusesAnythingElse(text: String, places: Int) {
    #expect(Rational(decimal: text, places: places) == nil)
  }

  @Test func keepsLowestTermsWithAPositiveDenominator() {
    // 6 / −4 = −3/2.
    let r = Rational(6, -4)
    #expect(r.numerator == -3)
    #expect(r.denominator == 2)
    // 1/3 + 1/6 = 2/6 + 1/6 = 3/6 = 1/2; 1/2 × 2/3 = 1/3; (1/3) / (1/6) = 2; 1/2 − 3/4 = −1/4.
    #expect(Rational(1, 3) + Rational(1, 6) == Rational(1, 2))
    #expect(Rational(1, 2) * Rational(2, 3) == Rational(1, 3))
    #expect(Rational(1, 3) / Rational(1, 6) == Rational(2))
    #expect(Rational(1, 2) - Rational(3, 4) == Rational(-1, 4))
    // Dividing by zero has no value.
    #expect(Rational(1) / .zero == nil)
  }

  // MARK: Rounding to cents

  static let roundingCases: [(Rational, Int64)] = [
    // 0.005 = half a cent → 1 cent (away from zero); −0.005 → −1 cent.
    (Rational(5, 1000), 1), (Rational(-5, 1000), -1),
    // 0.015 → 2; 0.025 → 3 (half-even would give 2), and their negatives.
    (Rational(15, 1000), 2), (Rational(25, 1000), 3), (Rational(-25, 1000), -3),
    // 1.525 → 153 (half-even: 152); −1.525 → −153.
    (Rational(1525, 1000), 153), (Rational(-1525, 1000), -153),
    // Just below half: 0.004999 → 0; −0.004999 → 0.
    (Rational(4999, 1_000_000), 0), (Rational(-4999, 1_000_000), 0),
    // Just above half: 0.005001 → 1.
    (Rational(5001, 1_000_000), 1),
    // 1/3 = 0.3333… → 33; 2/3 = 0.6666… → 67; −2/3 → −67.
    (Rational(1, 3), 33), (Rational(2, 3), 67), (Rational(-2, 3), -67),
    // Whole amounts: 1234.5 → 123450 cents; 0 → 0.
    (Rational(2469, 2), 123450), (.zero, 0),
  ]

  @Test(arguments: roundingCases)
  func roundsToCentsHalfAwayFromZero(value: Rational, cents: Int64) {
    #expect(value.roundedCents == cents)
  }

  @Test func centsRoundTrip() {
    // 12345 cents = 123.45 = 2469/20.
    #expect(Rational(cents: 12345) == Rational(2469, 20))
    #expect(Rational(cents: -5).roundedCents == -5)
    // 7/200 with 6 places → "0.035"; −25/2 with 2 → "-12.5"; 100000 → "100000".
    #expect(Rational(7, 200).decimal(places: 6) == "0.035")
    #expect(Rational(-25, 2).decimal(places: 2) == "-12.5")
    #expect(Rational(100000).decimal(places: 2) == "100000")
  }

  // MARK: From a KPI's Double

  @Test func recoversSevenFifteenths() {
    // 7 / 15 as a Double is not exactly 7/15; the simplest fraction within a few ulps is.
    #expect(Rational(approximating: 7.0 / 15.0) == Rational(7, 15))
  }

  @Test func recoversAnAmountInCents() {
    // 12345678.91 is 1234567891 cents: 1234567891/100 (1234567891 is odd and not a multiple of 5).
    #expect(Rational(approximating: 12345678.91) == Rational(1_234_567_891, 100))
  }

  @Test func recoversOneTenth() {
    // 0.1 as a Double is 3602879701896397/2⁵⁵; the value meant is 1/10.
    #expect(Rational(approximating: 0.1) == Rational(1, 10))
    #expect(Rational(approximating: -0.1) == Rational(-1, 10))
  }

  @Test func keepsWholeNumbersAndZero() {
    // 250000.0 → 250000; 0 → 0; a ratio of counts 3/8 = 0.375 is exact already.
    #expect(Rational(approximating: 250000) == Rational(250000))
    #expect(Rational(approximating: 0) == .zero)
    #expect(Rational(approximating: 3.0 / 8.0) == Rational(3, 8))
    // Not finite: no value.
    #expect(Rational(approximating: .nan) == nil)
    #expect(Rational(approximating: .infinity) == nil)
  }
}
