public import ArgumentParser
import ChannelKPI
import ChannelKPIStore
import Foundation

/// Output formats of commands that print KPI data.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
  case table, csv, json
}

extension ScopeKind: ExpressibleByArgument {}
extension Grain: ExpressibleByArgument {}
extension PeerGroup: ExpressibleByArgument {}
extension AlertState: ExpressibleByArgument {}

struct ComputeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "compute",
    abstract: "Compute KPIs for scopes and periods.",
    discussion: """
      Values follow the catalog's definitions exactly; a scope's value comes from the scope's own \
      facts. In csv and json, rates are fractions, money is unrounded and an empty value means the \
      KPI has none (e.g. a rate with nothing to divide by). Periods are written 2025-03, 2025-Q1 or \
      2025; without --from/--to the range is every period the data covers. A --window computes each \
      KPI once over a range of whole months, exactly as for a period that long (a win rate over the \
      window is won over closed deals of the window, not a mean of monthly rates).

        channelkpi compute --grain quarter
        channelkpi compute --kpi revenue,win_rate --by type --format csv
        channelkpi compute --kpi revenue,win_rate --by partner --window 2024-04:2025-03
      """)

  @Option(
    name: .customLong("kpi"),
    help: ArgumentHelp(
      "KPI ids, comma-separated (default: every KPI; `channelkpi kpis` lists them).", valueName: "id,…"))
  var kpis: [String] = []

  @Option(help: "Scope kind: network, partner, type, region or tier.")
  var by: ScopeKind = .network

  @Option(help: "Period grain: month, quarter or year.")
  var grain: Grain = .month

  @Option(help: ArgumentHelp("First period, e.g. 2025-01, 2025-Q1 or 2025.", valueName: "period"))
  var from: String?

  @Option(help: ArgumentHelp("Last period.", valueName: "period"))
  var to: String?

  @Option(
    name: .customLong("window"),
    help: ArgumentHelp(
      "A window of whole months instead of periods, e.g. 2024-04:2025-03 or 2024-Q2:2025-Q1 (repeatable).",
      valueName: "first:last"))
  var windows: [String] = []

  @Option(
    name: .customLong("scope"),
    help: ArgumentHelp("Only these scopes of the --by kind, e.g. partner:P001 (repeatable).", valueName: "scope"))
  var scopes: [String] = []

  @Option(help: "Output format: table, csv or json.")
  var format: OutputFormat = .table

  @OptionGroup var db: DatabaseOptions
  @OptionGroup var definitions: CatalogOptions

  func validate() throws {
    for w in windows where MonthRange(window: w) == nil {
      throw ValidationError(
        "--window '\(w)' is not a window: write FIRST:LAST with months, quarters or years, e.g. 2024-04:2025-03, the first not after the last"
      )
    }
    if !windows.isEmpty, from != nil || to != nil {
      throw ValidationError("--window replaces --from and --to: give one or the other")
    }
    for (name, v) in [("--from", from), ("--to", to)] {
      if let v, Period(v) == nil {
        throw ValidationError("\(name) '\(v)' is not a period: write 2025-03 (month), 2025-Q1 (quarter) or 2025 (year)")
      }
    }
    for s in scopes {
      guard let scope = Scope(s) else {
        throw ValidationError("--scope '\(s)' is not a scope: write network, partner:ID, type:X, region:X or tier:X")
      }
      if scope.kind != by { throw ValidationError("--scope \(s) is not of the kind --by \(by.rawValue)") }
    }
  }

  func run() async throws {
    let catalog = try definitions.compiled()
    // The database's engine snapshot, when no fact changed since it, is read in large blocks.
    let engine = try await db.withStore { store in
      try await EngineSnapshotFile.load({ KPIEngine(catalog: catalog, keepsKeys: false) }, from: store).0
    }
    let ids = kpis.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
      .filter { !$0.isEmpty }
    if !windows.isEmpty {
      let result: WindowResult
      do {
        result = try engine.compute(
          kpis: ids, by: by, scopes: scopes.isEmpty ? nil : scopes.compactMap(Scope.init),
          windows: windows.compactMap { MonthRange(window: $0) })
      } catch { throw CLIError(error.message) }
      write(result, catalog: catalog.catalog, lastPeriods: nil)
      return
    }
    let request = ComputeRequest(
      kpis: ids, by: by, grain: grain, from: from.flatMap(Period.init), to: to.flatMap(Period.init),
      scopes: scopes.isEmpty ? nil : scopes.compactMap(Scope.init))
    let result: ComputeResult
    do { result = try engine.compute(request) } catch { throw CLIError(error.message) }
    if format == .table, result.periods.isEmpty {
      Console.error("No data: import some first (channelkpi import DIR), or give --from and --to.")
    }
    write(result, catalog: catalog.catalog, lastPeriods: from != nil || to != nil ? nil : 8)
  }

  private func write(_ result: some ValueGrid, catalog: Catalog, lastPeriods: Int?) {
    let out = Console.Output()
    switch format {
    case .csv: ResultWriter.csv(result, to: out.write)
    case .json: ResultWriter.json(result, to: out.write)
    case .table: ResultWriter.table(result, catalog: catalog, lastPeriods: lastPeriods, to: out.write)
    }
    out.flush()
  }
}
