import ChannelKPI

/// How an import mapping reads amounts written for people: `$12,345.50`, `USD 1,200`,
/// `1.234,56 €`, `(300.00)`. The result is the canonical text (`12345.50`).
struct MoneyPattern: Sendable, Hashable {
  /// Which currency signs and codes may stand next to an amount.
  enum Currencies: Sendable, Hashable {
    /// None: a sign or code is a problem.
    case none
    /// Any sign (`$`, `€`, `US$`) or three-letter code (`USD`) is dropped.
    case any
    /// Only these (compared without case); another one is a problem, since every amount must be in
    /// the reporting currency.
    case only([String])
  }

  var currencies: Currencies = .none
  /// The thousands separator, when amounts have one.
  var thousands: Character?
  var decimal: Character = "."
  /// Round more than two decimals to cents (half away from zero) instead of rejecting them.
  var round = false

  /// The canonical amount of a cell, or why it cannot be read.
  func canonical(_ cell: String) -> Result<String, ValueProblem> {
    var s = Substring(cell)
    var negative = false
    var currency: String?
    func trim() {
      while let f = s.first, f.isWhitespace { s = s.dropFirst() }
      while let l = s.last, l.isWhitespace { s = s.dropLast() }
    }
    trim()
    if s.hasPrefix("("), s.hasSuffix(")") {
      negative = true
      s = s.dropFirst().dropLast()
      trim()
    }
    // Signs and currencies may come in any order around the number: -$12, $-12, 12 USD, 12-.
    var changed = true
    while changed && !s.isEmpty {
      changed = false
      if s.first == "-" || s.first == "\u{2212}" {
        negative.toggle()
        s = s.dropFirst()
        changed = true
      } else if s.last == "-" {
        negative.toggle()
        s = s.dropLast()
        changed = true
      } else if let (c, rest) = Self.leadingCurrency(s) {
        if currency != nil { return .failure("has two currency signs") }
        currency = c
        s = rest
        changed = true
      } else if let (c, rest) = Self.trailingCurrency(s) {
        if currency != nil { return .failure("has two currency signs") }
        currency = c
        s = rest
        changed = true
      }
      trim()
    }
    if let currency {
      switch currencies {
      case .none:
        return .failure("has the currency sign '\(currency)'; add currency_symbols: true to the field's money options")
      case .any: break
      case .only(let allowed):
        if !allowed.contains(where: { $0.uppercased() == currency.uppercased() }) {
          return .failure(
            "is in '\(currency)', but the mapping accepts only \(allowed.joined(separator: ", ")): every amount must be in the reporting currency"
          )
        }
      }
    }
    if s.isEmpty { return .failure("has no digits") }
    var integer = ""
    var fraction = ""
    var inFraction = false
    var groups: [Int] = [0]
    for c in s {
      if c.isASCII, c.isNumber {
        if inFraction { fraction.append(c) } else { integer.append(c) }
        if !inFraction { groups[groups.count - 1] += 1 }
      } else if c == decimal, !inFraction {
        inFraction = true
      } else if !inFraction, let t = thousands, Self.sameSeparator(c, t) {
        groups.append(0)
      } else {
        let seps = "thousands \(thousands.map { "'\($0)'" } ?? "none"), decimal '\(decimal)'"
        return .failure("has '\(c)', which is not a digit or separator (\(seps))")
      }
    }
    if groups.count > 1 {
      // Digit groups catch a decimal comma read as a thousands separator: 12,50 is not 1250.
      let ok = (1...3).contains(groups[0]) && groups.dropFirst().allSatisfy { $0 == 3 }
      if !ok {
        return .failure(
          "has digit groups that do not fit the thousands separator '\(thousands.map(String.init) ?? "")'\(thousands == "," && decimal == "." ? "; if ',' is the decimal separator, set decimal: \",\"" : "")"
        )
      }
    }
    if integer.isEmpty { return .failure("has no digits before the decimal separator") }
    if inFraction && fraction.isEmpty { return .failure("has no digits after the decimal separator") }
    while fraction.count > 2 && fraction.hasSuffix("0") { fraction.removeLast() }
    var roundUp = false
    if fraction.count > 2 {
      guard round else { return .failure("has more than 2 decimals; add round: true to round to cents") }
      roundUp = fraction.dropFirst(2).first.map { $0 >= "5" } ?? false
      fraction = String(fraction.prefix(2))
    }
    guard var cents = Money.parseCents(fraction.isEmpty ? integer : integer + "." + fraction) else {
      return .failure("is too large")
    }
    if roundUp { cents += 1 }
    return .success(Money.format(cents: negative ? -cents : cents))
  }

  private static func sameSeparator(_ c: Character, _ t: Character) -> Bool {
    if c == t { return true }
    // Spaces as thousands separators come as no-break and narrow no-break spaces too; apostrophes curly.
    if t == " " { return c == "\u{00A0}" || c == "\u{202F}" || c == "\u{2009}" }
    if t == "'" { return c == "\u{2019}" }
    return false
  }

  private static func isCurrencySymbol(_ c: Character) -> Bool {
    c.unicodeScalars.count == 1 && c.unicodeScalars.first?.properties.generalCategory == .currencySymbol
  }

  /// A currency at the start: a sign with optional letters before it (`$`, `US$`, `R$`) or a
  /// three-letter upper-case code not followed by a letter (`USD 12`).
  private static func leadingCurrency(_ s: Substring) -> (String, Substring)? {
    let letters = s.prefix { $0.isASCII && $0.isLetter }
    let after = s.dropFirst(letters.count)
    if let c = after.first, isCurrencySymbol(c), letters.count <= 3 {
      return (String(letters) + String(c), after.dropFirst())
    }
    if letters.count == 3, letters.allSatisfy(\.isUppercase) { return (String(letters), after) }
    return nil
  }

  /// A currency at the end: `12 €`, `12 EUR`, `12€`.
  private static func trailingCurrency(_ s: Substring) -> (String, Substring)? {
    if let c = s.last, isCurrencySymbol(c) {
      let rest = s.dropLast()
      let letters = rest.reversed().prefix { $0.isASCII && $0.isLetter }
      return (String(letters.reversed()) + String(c), rest.dropLast(letters.count))
    }
    let letters = s.reversed().prefix { $0.isASCII && $0.isLetter }
    if letters.count == 3, letters.allSatisfy(\.isUppercase) {
      return (String(letters.reversed()), s.dropLast(3))
    }
    return nil
  }
}
