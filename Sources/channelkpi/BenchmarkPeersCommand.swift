import ArgumentParser
import ChannelKPI
import ChannelKPIStore
import Foundation

struct BenchmarkPeersCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "benchmark-peers",
    abstract: "Each partner's position among its peers for a KPI: percentile and peer quartiles.",
    discussion: """
      The percentile is the share of the other peers with a value that do worse (direction-aware: \
      for a KPI where lower is better, a higher value is worse). The cut points p25, median, p75 \
      and p90 are taken over every peer with a value, by linear interpolation between order \
      statistics (numpy's default). Peers are the partners in the program during the period of the \
      same type (default), the same type and region, or the same tier. External figures from the \
      definitions' 'benchmarks:' section are listed beside them.

        channelkpi benchmark-peers --kpi win_rate --period 2025-Q4 --format csv
        channelkpi benchmark-peers --kpi revenue --period 2025 --peers tier --partner P0007
      """)

  @Option(help: ArgumentHelp("The KPI id.", valueName: "id"))
  var kpi: String

  @Option(help: ArgumentHelp("The period (default: the quarter of the latest data).", valueName: "period"))
  var period: String?

  @Option(help: "The peer group: type, type_region or tier.")
  var peers: PeerGroup = .type

  @Option(help: ArgumentHelp("Only this partner (repeatable).", valueName: "id"))
  var partner: [String] = []

  @Option(help: "Output format: table, csv or json.")
  var format: OutputFormat = .table

  @OptionGroup var options: ProgramOptions

  func run() async throws {
    let ctx = try await ProgramContext(options)
    let p = try ctx.period(period)
    let positions: [PeerPosition]
    do {
      positions = try PeerBenchmarks(evaluator: ctx.evaluator).positions(
        kpi: kpi, period: p, peers: peers, partners: partner.isEmpty ? nil : Set(partner))
    } catch { throw CLIError(error.message) }
    switch format {
    case .csv: print(PeerPosition.csv(positions), terminator: "")
    case .json: print(try JSONOutput.encode(positions))
    case .table:
      let unit = ctx.engine.compiled.catalog.kpi(kpi)?.unit ?? .number
      func v(_ x: Double?) -> String { x.map { ValueFormat.human($0, unit: unit) } ?? "—" }
      var rows: [[String]] = []
      for q in positions {
        rows.append([
          q.partner, q.group, v(q.value), q.percentile.map { ValueFormat.fixed($0, decimals: 0) } ?? "—",
          v(q.cuts?.p25), v(q.cuts?.median), v(q.cuts?.p75), v(q.cuts?.p90),
        ])
      }
      print(
        TextTable.render(
          header: ["partner", "group", "value", "percentile", "p25", "median", "p75", "p90"], rows: rows,
          rightAlignFrom: 2),
        terminator: "")
      let external = Set(positions.flatMap(\.external))
      for e in external.sorted(by: { $0.peers < $1.peers }) {
        print("\(e.peers): \(v(e.value)) (\(e.source))")
      }
    }
  }
}
