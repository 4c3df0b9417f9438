import ArgumentParser
import ChannelKPI
import ChannelKPIStore
import Foundation

struct ExplainCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain",
    abstract: "Explain the change of a KPI between two periods, segment by segment.",
    discussion: """
      Splits the change over every dimension the KPI's facts have (partner, type, region, tier and \
      the table's own columns such as deals.source or deals.product). For a sum, a segment contributes \
      its own change; for a ratio N/D, segment i contributes N_i'/D' - N_i/D, split into a rate \
      effect and a mix effect. Each dimension's contributions add up to the change. Other KPIs \
      (products of several measures) are first split by measure. Dimensions are ranked by how few \
      segments explain most of the change, and the most telling segment is followed two levels down.

        channelkpi explain --kpi win_rate --scope network --period 2025-Q4
        channelkpi explain --kpi revenue --scope type:reseller --period 2025-11 --vs 2024-11 --format csv
      """)

  @Option(help: ArgumentHelp("The KPI id.", valueName: "id"))
  var kpi: String

  @Option(help: ArgumentHelp("network, partner:ID, type:X, region:X or tier:X.", valueName: "scope"))
  var scope: String = "network"

  @Option(
    help: ArgumentHelp(
      "The period whose change is explained (default: the quarter of the latest data).", valueName: "period"))
  var period: String?

  @Option(
    name: .customLong("vs"),
    help: ArgumentHelp("The period it is compared with (default: the one before).", valueName: "period"))
  var versus: String?

  @Option(
    name: .customLong("dimension"),
    help: ArgumentHelp("Only these dimensions (repeatable), e.g. region or deals.source.", valueName: "dimension"))
  var dimensions: [String] = []

  @Option(help: "Output format: table, csv or json.")
  var format: OutputFormat = .table

  @OptionGroup var options: ProgramOptions

  func validate() throws {
    guard Scope(scope) != nil else {
      throw ValidationError("--scope '\(scope)' is not a scope: write network, partner:ID, type:X, region:X or tier:X")
    }
    for d in dimensions where SegmentDimension(d) == nil {
      throw ValidationError(
        "--dimension '\(d)' is not a dimension; the dimensions are \(SegmentDimension.all.map(\.description).joined(separator: ", "))"
      )
    }
    if let versus, Period(versus) == nil {
      throw ValidationError("--vs '\(versus)' is not a period: write 2025-03, 2025-Q1 or 2025")
    }
  }

  func run() async throws {
    let ctx = try await ProgramContext(options, extraColumns: SegmentDimension.engineColumns)
    let p = try ctx.period(period)
    let explainer = ChangeExplainer(engine: ctx.engine, variant: ctx.evaluator.definitions(for: p).variant)
    let result: ChangeExplanation
    do {
      result = try explainer.explain(
        kpi: kpi, scope: Scope(scope)!, period: p, versus: versus.flatMap(Period.init),
        dimensions: dimensions.isEmpty ? nil : dimensions.compactMap(SegmentDimension.init))
    } catch { throw CLIError(error.message) }
    switch format {
    case .csv: print(result.csv, terminator: "")
    case .json: print(try JSONOutput.encode(result))
    case .table: print(ExplainTable.text(result), terminator: "")
    }
  }
}

/// The explanation for a terminal: the summary, the dimensions ranked, each one's top segments.
enum ExplainTable {
  static func text(_ r: ChangeExplanation, perDimension: Int = 5) -> String {
    var out = r.summary + "\n"
    if !r.measures.isEmpty {
      out += "\nBy measure:\n"
      for m in r.measures.sorted(by: { abs($0.effect) > abs($1.effect) }) {
        out += "  \(ChangeExplanation.signed(m.effect, unit: r.unit))  \(m.measure)\n"
      }
    }
    if !r.ranking.isEmpty { out += "\nDimensions, most telling first:\n" }
    for d in r.ranking {
      out +=
        "  \(d.dimension): \(d.explaining.isEmpty ? "no few segments explain it" : d.explaining.joined(separator: ", ") + " explain \(ValueFormat.fixed(d.explained * 100, decimals: 0))%") (\(d.segments) segments)\n"
      for s in r.segments.filter({ $0.dimension == d.dimension }).prefix(perDimension) {
        var line = "      \(s.segment): \(ChangeExplanation.signed(s.contribution, unit: r.unit))"
        if let rate = s.rateEffect, let mix = s.mixEffect {
          line +=
            " (rate \(ChangeExplanation.signed(rate, unit: r.unit)), mix \(ChangeExplanation.signed(mix, unit: r.unit)))"
        }
        out += line + "\n"
      }
    }
    for (d, why) in r.unavailable.sorted(by: { $0.key < $1.key }) { out += "  \(d): not split (\(why))\n" }
    return out
  }
}
