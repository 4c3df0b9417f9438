import ArgumentParser
import ChannelKPI
import ChannelKPIStore
import Foundation

struct ScorecardCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scorecard",
    abstract: "A partner's scorecard, the ranked scorecards of a partner type, or the network's.",
    discussion: """
      Each KPI of the scorecard is held against its target (the most specific of partner, tier, type, \
      region and network targets), with its baseline, attainment and status. The composite score is \
      the weighted mean of attainments capped at 100%; partners are ranked within their type. \
      Every value is computed with the definitions version in force on the period's last day.

        channelkpi scorecard --partner P0007 --period 2025-Q4
        channelkpi scorecard --type reseller --period 2025-Q4
        channelkpi scorecard --network --period 2025
      """)

  @Option(help: ArgumentHelp("A partner id.", valueName: "id"))
  var partner: String?

  @Option(
    name: .customLong("type"), help: ArgumentHelp("A partner type: every partner of it, ranked.", valueName: "type"))
  var partnerType: String?

  @Flag(help: "The network scorecard.")
  var network = false

  @Option(help: ArgumentHelp("The period (default: the quarter of the latest data).", valueName: "period"))
  var period: String?

  @Option(help: "Output format: table, csv or json.")
  var format: OutputFormat = .table

  @OptionGroup var options: ProgramOptions

  func validate() throws {
    let chosen = [partner != nil, partnerType != nil, network].filter { $0 }.count
    guard chosen == 1 else { throw ValidationError("give exactly one of --partner ID, --type T or --network") }
  }

  func run() async throws {
    let ctx = try await ProgramContext(options)
    let p = try ctx.period(period)
    let results: [ScorecardResult]
    do {
      if let partner {
        results = [try ctx.evaluator.partnerScorecard(id: partner, period: p)]
      } else if let partnerType {
        results = try ctx.evaluator.typeScorecards(type: partnerType, period: p)
      } else {
        results = [try ctx.evaluator.networkScorecard(period: p)]
      }
    } catch let e as ProgramError { throw CLIError(e.message) }
    switch format {
    case .csv: print(ScorecardWriter.csv(results), terminator: "")
    case .json: print(ScorecardWriter.json(results), terminator: "")
    case .table:
      if partnerType != nil {
        print(ScorecardWriter.ranking(results), terminator: "")
      } else {
        print(ScorecardWriter.table(results[0]), terminator: "")
        print(chances(results[0], ctx), terminator: "")
      }
    }
  }

  /// For a period under way or ahead, how likely each target is, from the KPI's forecast.
  func chances(_ r: ScorecardResult, _ ctx: ProgramContext) -> String {
    guard r.period.end >= ctx.today else { return "" }
    let forecaster = KPIForecaster(engine: ctx.engine, variant: ctx.evaluator.definitions(for: r.period).variant)
    var lines: [String] = []
    for item in r.items {
      guard let target = item.target,
        let p = forecaster.probability(
          kpi: item.kpi, scope: r.scope, period: r.period, target: target, better: item.better, today: ctx.today)
      else { continue }
      let words = p >= 0.5 ? "likely to reach" : "likely to miss"
      lines.append("  \(item.name): \(words) (\(ValueFormat.fixed(p * 100, decimals: 0))% chance to reach)")
    }
    guard !lines.isEmpty else { return "" }
    return "\nChance of reaching each target by the end of \(r.period), from the forecast:\n"
      + lines.joined(separator: "\n") + "\n"
  }
}
