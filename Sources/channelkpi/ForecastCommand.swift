import ArgumentParser
import ChannelKPI
import ChannelKPIStore
import Foundation

struct ForecastCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "forecast",
    abstract: "Forecast a KPI for a scope, with 80% and 95% prediction intervals and an optional backtest.",
    discussion: """
      Fits exponential smoothing models (ETS: simple, Holt, damped Holt; additive or multiplicative \
      seasonality once there are two full years of months or quarters) to the KPI's history and picks \
      one by AICc. A rate is also forecast from its numerator and denominator when that did better \
      over the last periods. Forecasts and intervals stay inside the KPI's bounds. --as-of P reads \
      only the periods up to P. --backtest N forecasts each of the last N periods from the periods \
      before it and reports MASE, sMAPE and how many actuals fell inside the intervals.

        channelkpi forecast --kpi revenue --scope network --grain month --format csv
        channelkpi forecast --kpi win_rate --scope type:reseller --grain quarter --as-of 2025-Q2
        channelkpi forecast --kpi revenue --grain month --backtest 12
        channelkpi forecast --kpi revenue --by partner --grain month --format csv
      """)

  @Option(help: ArgumentHelp("The KPI id.", valueName: "id"))
  var kpi: String

  @Option(help: ArgumentHelp("network, partner:ID, type:X, region:X or tier:X.", valueName: "scope"))
  var scope: String = "network"

  @Option(help: "Forecast every scope of this kind instead of one: partner, type, region or tier.")
  var by: ScopeKind?

  @Option(help: "month, quarter or year.")
  var grain: Grain = .month

  @Option(help: ArgumentHelp("Periods ahead (default: 6 months, 4 quarters, 2 years).", valueName: "n"))
  var horizon: Int?

  @Option(
    name: .customLong("as-of"),
    help: ArgumentHelp(
      "Forecast from the periods up to this one (default: the last that has ended).", valueName: "period"))
  var asOf: String?

  @Option(help: ArgumentHelp("Also backtest over the last N periods.", valueName: "n"))
  var backtest: Int = 0

  @Option(help: "Output format: table, csv or json (with --backtest, csv lists the backtest).")
  var format: OutputFormat = .table

  @OptionGroup var options: ProgramOptions

  func validate() throws {
    guard Scope(scope) != nil else {
      throw ValidationError("--scope '\(scope)' is not a scope: write network, partner:ID, type:X, region:X or tier:X")
    }
    if by != nil && (scope != "network" || backtest > 0) {
      throw ValidationError("--by forecasts every scope of a kind: give it without --scope and --backtest")
    }
    if let asOf, Period(asOf) == nil {
      throw ValidationError("--as-of '\(asOf)' is not a period: write 2025-03, 2025-Q1 or 2025")
    }
  }

  func run() async throws {
    let ctx = try await ProgramContext(options)
    let result: KPIForecast
    let asOfPeriod = asOf.flatMap(Period.init)
    // The definitions in force for the last period read, as the server picks them.
    let from = asOfPeriod ?? Period(grain: grain, containing: ctx.today.month).shifted(by: -1)
    let variant = ctx.evaluator.definitions(for: from).variant
    if let by {
      let all: [KPIForecast]
      do {
        all = try await KPIForecaster(engine: ctx.engine, variant: variant).forecastAll(
          kpi: kpi, by: by, grain: grain, horizon: horizon, asOf: asOfPeriod, today: ctx.today)
      } catch { throw CLIError(error.message) }
      switch format {
      case .csv:
        print(all.first?.csv.split(separator: "\n").first.map { String($0) + "\n" } ?? "", terminator: "")
        for f in all { print(f.csv.split(separator: "\n").dropFirst().joined(separator: "\n")) }
      case .json: print(try JSONOutput.encode(all))
      case .table: print(ForecastTable.scopes(all), terminator: "")
      }
      return
    }
    do {
      result = try KPIForecaster(engine: ctx.engine, variant: variant).forecast(
        kpi: kpi, scope: Scope(scope)!, grain: grain, horizon: horizon, asOf: asOfPeriod, today: ctx.today,
        backtest: backtest)
    } catch { throw CLIError(error.message) }
    switch format {
    case .csv: print(backtest > 0 ? result.backtestCSV : result.csv, terminator: "")
    case .json: print(try JSONOutput.encode(result))
    case .table: print(ForecastTable.text(result), terminator: "")
    }
  }
}

/// A forecast for a terminal: the model, each period with its intervals, the backtest's figures.
enum ForecastTable {
  /// One line per scope: its model and the first period ahead.
  static func scopes(_ all: [KPIForecast]) -> String {
    guard let unit = all.first?.unit else { return "" }
    func v(_ x: Double) -> String { ValueFormat.human(x, unit: unit) }
    let rows = all.map { f in
      [
        f.scope, f.model, f.points.first?.period ?? "—", f.points.first.map { v($0.forecast) } ?? "—",
        f.points.first.map { "\(v($0.lo80)) – \(v($0.hi80))" } ?? "—",
      ]
    }
    return TextTable.render(
      header: ["scope", "model", "next period", "forecast", "80% interval"], rows: rows, rightAlignFrom: 3)
  }

  static func text(_ r: KPIForecast) -> String {
    func v(_ x: Double?) -> String { x.map { ValueFormat.human($0, unit: r.unit) } ?? "—" }
    var out = "\(r.name) of \(r.scope) by \(r.grain.rawValue), as of \(r.asOf): \(r.model)"
    switch r.method {
    case "ratio": out += " (numerator / denominator)\n"
    case "intermittent": out += " (mostly 0: the forecast is the median)\n"
    default: out += "\n"
    }
    let rows = r.points.map { p in
      [p.period, v(p.forecast), "\(v(p.lo80)) – \(v(p.hi80))", "\(v(p.lo95)) – \(v(p.hi95))"]
    }
    out += TextTable.render(
      header: ["period", "forecast", "80% interval", "95% interval"], rows: rows, rightAlignFrom: 1)
    if let b = r.backtest {
      func pct(_ x: Double?) -> String { x.map { ValueFormat.fixed($0 * 100, decimals: 0) + "%" } ?? "—" }
      out +=
        "\nBacktest over \(b.origins) periods, one ahead: MASE \(b.mase.map { ValueFormat.fixed($0, decimals: 2) } ?? "—"), "
      out += "sMAPE \(b.smape.map { ValueFormat.fixed($0, decimals: 1) } ?? "—")%, "
      out += "inside the 80% interval \(pct(b.coverage80)), the 95% interval \(pct(b.coverage95))\n"
    }
    return out
  }
}
