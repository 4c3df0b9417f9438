/// The form of an exponential smoothing state-space model, ETS(error, trend, season), in the
/// taxonomy of Hyndman, Koehler, Ord and Snyder, "Forecasting with Exponential Smoothing" (2008).
public struct ETSSpec: Hashable, Sendable, CustomStringConvertible {
  /// How the random error enters: added to the one-step forecast, or proportional to it.
  public enum ErrorKind: String, Hashable, Sendable, CaseIterable {
    case additive = "A"
    case multiplicative = "M"
  }

  /// The growth of the level: none, additive, or additive and damped towards flat.
  public enum TrendKind: String, Hashable, Sendable, CaseIterable {
    case none = "N"
    case additive = "A"
    case damped = "Ad"
  }

  /// The seasonal pattern: none, added to the level, or multiplying it.
  public enum SeasonKind: String, Hashable, Sendable, CaseIterable {
    case none = "N"
    case additive = "A"
    case multiplicative = "M"
  }

  public var error: ErrorKind
  public var trend: TrendKind
  public var season: SeasonKind

  public init(error: ErrorKind, trend: TrendKind, season: SeasonKind) {
    self.error = error
    self.trend = trend
    self.season = season
  }

  /// Reads the usual short codes: "ANN", "AAdN", "MAM", with or without "ETS(", commas and ")".
  public init?(_ code: String) {
    var text = code.uppercased()
    if text.hasPrefix("ETS(") && text.hasSuffix(")") { text = String(text.dropFirst(4).dropLast()) }
    text = String(text.filter { $0 != "," && $0 != " " })
    guard let first = text.first, let last = text.last, text.count >= 3 else { return nil }
    let middle = String(text.dropFirst().dropLast())
    guard let error = ErrorKind(rawValue: String(first)), let season = SeasonKind(rawValue: String(last)) else {
      return nil
    }
    let trend: TrendKind
    switch middle {
    case "N": trend = .none
    case "A": trend = .additive
    case "AD": trend = .damped
    default: return nil
    }
    self.init(error: error, trend: trend, season: season)
  }

  /// The name in the book's notation, e.g. "ETS(A,Ad,N)".
  public var description: String { "ETS(\(error.rawValue),\(trend.rawValue),\(season.rawValue))" }

  /// Whether the model is one of those forecast::ets leaves out by default because their
  /// likelihood is numerically unstable: additive error with multiplicative seasonality.
  public var isRestricted: Bool { error == .additive && season == .multiplicative }

  var hasTrend: Bool { trend != .none }
  var hasSeason: Bool { season != .none }

  /// Models whose point forecasts and variances are linear in the errors (Hyndman et al. class 1).
  var isLinear: Bool { error == .additive && season != .multiplicative }

  /// How many smoothing parameters and initial states the fit estimates for season length `m`.
  func freeParameterCount(seasonLength m: Int) -> Int {
    var count = 2
    if hasTrend { count += 2 }
    if trend == .damped { count += 1 }
    if hasSeason { count += m }
    return count
  }

  /// Every model automatic selection considers, in the order forecast::ets tries them.
  static let candidates: [ETSSpec] = {
    var specs: [ETSSpec] = []
    for error in ErrorKind.allCases {
      for trend in [TrendKind.none, .damped, .additive] {
        for season in SeasonKind.allCases {
          let spec = ETSSpec(error: error, trend: trend, season: season)
          if !spec.isRestricted { specs.append(spec) }
        }
      }
    }
    return specs
  }()
}
