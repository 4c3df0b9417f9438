/// A forecast request that cannot be answered (an unknown KPI, a scope with no partners, too
/// little history).
public struct ForecastError: Error, Hashable, Sendable, CustomStringConvertible {
  public let message: String
  public init(_ m: String) { message = m }
  public var description: String { message }
}

/// One forecast period with its 80% and 95% prediction intervals.
public struct ForecastRow: Hashable, Sendable, Codable {
  public var period: String
  public var forecast: Double
  public var lo80: Double
  public var hi80: Double
  public var lo95: Double
  public var hi95: Double
}

/// A period of the history a forecast was made from.
public struct HistoryPoint: Hashable, Sendable, Codable {
  public var period: String
  public var value: Double?
}

/// A rolling-origin forecast one period ahead, against what happened.
public struct BacktestPoint: Hashable, Sendable, Codable {
  /// The period forecast (from the facts up to the end of the period before it).
  public var period: String
  public var actual: Double
  public var forecast: Double
  public var lo80: Double
  public var hi80: Double
  public var lo95: Double
  public var hi95: Double
  /// The model and method the forecast from this origin used (see `KPIForecast`).
  public var model: String
  public var method: String
}

/// How well one-period-ahead forecasts did over the last periods.
public struct BacktestSummary: Hashable, Sendable, Codable {
  public var origins: Int
  /// Mean absolute error over the in-sample mean absolute error of the seasonal naive forecast.
  public var mase: Double?
  /// Symmetric mean absolute percentage error, 0–200.
  public var smape: Double?
  /// Shares of actuals inside the 80% and 95% intervals.
  public var coverage80: Double?
  public var coverage95: Double?
  public var points: [BacktestPoint]
}

/// The forecast of a KPI for a scope: the next periods with prediction intervals, the history it
/// was made from, the model chosen and, when asked, a backtest.
public struct KPIForecast: Hashable, Sendable, Codable {
  public var kpi: String
  public var name: String
  public var unit: KPIUnit
  public var scope: String
  public var grain: Grain
  /// The last period whose facts the forecast reads.
  public var asOf: String
  /// The model, e.g. `ETS(A,Ad,N)`, or for a rate forecast from its parts `ETS(…) / ETS(…)`.
  public var model: String
  /// `direct` (the KPI's own series), `ratio` (its numerator and denominator forecast apart) or
  /// `intermittent` (a series mostly 0: the quantiles of its recent values).
  public var method: String
  public var history: [HistoryPoint]
  public var points: [ForecastRow]
  public var backtest: BacktestSummary?
}

extension KPIForecast {
  /// `kpi,scope,period,forecast,lo80,hi80,lo95,hi95`, one line per forecast period.
  public var csv: String {
    var out = "kpi,scope,period,forecast,lo80,hi80,lo95,hi95\n"
    for p in points {
      out +=
        [
          CSVText.field(kpi), CSVText.field(scope), p.period, ValueFormat.machine(p.forecast),
          ValueFormat.machine(p.lo80), ValueFormat.machine(p.hi80), ValueFormat.machine(p.lo95),
          ValueFormat.machine(p.hi95),
        ].joined(separator: ",") + "\n"
    }
    return out
  }

  /// `kpi,scope,period,actual,forecast,lo80,hi80,lo95,hi95,model,method`, one line per backtest
  /// origin.
  public var backtestCSV: String {
    var out = "kpi,scope,period,actual,forecast,lo80,hi80,lo95,hi95,model,method\n"
    for p in backtest?.points ?? [] {
      out +=
        [
          CSVText.field(kpi), CSVText.field(scope), p.period, ValueFormat.machine(p.actual),
          ValueFormat.machine(p.forecast), ValueFormat.machine(p.lo80), ValueFormat.machine(p.hi80),
          ValueFormat.machine(p.lo95), ValueFormat.machine(p.hi95), CSVText.field(p.model), p.method,
        ].joined(separator: ",") + "\n"
    }
    return out
  }
}
