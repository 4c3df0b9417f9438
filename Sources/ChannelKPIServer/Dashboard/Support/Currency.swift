/// The program's reporting currency, as the dashboard writes amounts: `$1.2M`, `€1.2M`, `CHF 1.2M`.
///
/// Amounts are stored without a currency (the data format has one reporting currency per program);
/// the server is told which it is with `channelkpi serve --currency CODE`.
public struct Currency: Sendable, Hashable {
  /// The ISO 4217 code, e.g. `EUR`.
  public let code: String
  /// What precedes an amount on screen: a sign such as `€`, or the code and a space (`CHF `).
  public let prefix: String

  public static let usd = Currency(code: "USD", prefix: "$")

  /// Signs of currencies commonly used as a program's reporting currency. Any other code is
  /// written before the amount as it is.
  static let signs: [String: String] = [
    "USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "CN¥", "INR": "₹", "AUD": "A$", "CAD": "CA$",
    "NZD": "NZ$", "HKD": "HK$", "SGD": "S$", "BRL": "R$", "MXN": "MX$", "KRW": "₩", "ILS": "₪",
  ]

  /// The currency of an ISO 4217 code (three letters, any case); nil for anything else.
  public init?(code text: String) {
    let code = text.uppercased()
    guard code.utf8.count == 3, code.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) else { return nil }
    self.code = code
    prefix = Self.signs[code] ?? code + "\u{00A0}"
  }

  init(code: String, prefix: String) {
    self.code = code
    self.prefix = prefix
  }
}
