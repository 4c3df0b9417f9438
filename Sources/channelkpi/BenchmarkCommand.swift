import ArgumentParser
import ChannelKPI
import ChannelKPIStore
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

struct BenchmarkCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "benchmark",
    abstract: "Measure import and compute speed on a generated program (about --deals deals).",
    discussion: """
      Generates a demo program with about the given number of deals (other tables in proportion), \
      imports it into a fresh database, then computes every KPI for every partner by quarter. \
      Reports import rows/s, load and compute seconds and peak memory. Build with -c release.
      """)

  @Option(help: "Approximate number of deals.")
  var deals = 10_000_000

  @Option(help: "Number of partners.")
  var partners = 5_000

  @Option(help: "Months of history.")
  var months = 36

  @Option(help: ArgumentHelp("Working directory for the data and the database.", valueName: "dir"))
  var dir = "bench-data"

  @Flag(
    help:
      "Reuse the generated data in --dir, and a database that already holds it (then measure load and compute only).")
  var reuse = false

  @Option(
    help: ArgumentHelp(
      "The database to import into: a SQLite file or a postgres:// URL of an empty database (default: DIR/bench.sqlite).",
      valueName: "path-or-url"))
  var database: String?

  @Flag(
    help:
      "Also time insights: forecast every partner's revenue by month, and explain the network's win rate and revenue over every dimension (the engine then keeps the columns facts are split by)."
  )
  var insights = false

  @Flag(
    help: """
      Side by side with DuckDB: import, whole-process compute (by partner and quarter) and the project's DuckDB \
      implementation of the catalog on the same CSV files, then serve until it answers; each step's time, its ratio \
      and peak memory (needs python3 with duckdb).
      """)
  var duckdb = false

  @Option(help: ArgumentHelp("The DuckDB implementation of the catalog (with --duckdb).", valueName: "path"))
  var duckdbScript = "benchmarks/duckdb/catalog.py"

  @Option(help: ArgumentHelp("The Python that runs it.", valueName: "path"))
  var python = "python3"

  @Option(help: "Runs of each timed step with --duckdb (the median is reported; import runs once).")
  var runs = 3

  func validate() throws {
    guard (1...20).contains(runs) else { throw ValidationError("--runs is 1 to 20") }
    guard deals > 0, partners > 0, months > 0 else {
      throw ValidationError("--deals, --partners and --months are positive")
    }
  }

  func run() async throws {
    let dataDir = (dir as NSString).appendingPathComponent("csv")
    let databaseText = database ?? (dir as NSString).appendingPathComponent("bench.sqlite")
    let location: StoreLocation
    do { location = try StoreLocation(databaseText) } catch { throw CLIError(error.message) }
    try generate(dataDir: dataDir, location: location)
    if duckdb {
      try await SideBySide(
        dataDir: dataDir, database: databaseText, location: location,
        workDir: (dir as NSString).appendingPathComponent("side-by-side"), python: python, script: duckdbScript,
        runs: runs, reuse: reuse
      ).run()
      return
    }
    try await importAndCompute(dataDir: dataDir, location: location)
  }

  /// Writes the program's CSV files (unless --reuse finds them).
  private func generate(dataDir: String, location: StoreLocation) throws {
    let fm = FileManager.default
    let haveData = fm.fileExists(atPath: dataDir)
    if !(reuse && haveData) {
      // Calibrate: deals per partner-month at scale 1, from a small sample.
      var counter = DemoRowCounter()
      DemoProgram.generate(DemoConfiguration(partners: 200, months: months, seed: 7, scale: 1), into: &counter)
      let perPartner = Double(counter[.deals]) / 200
      let scale = max(0.01, Double(deals) / (perPartner * Double(partners)))
      print("Generating \(partners) partners × \(months) months at scale \(ValueFormat.fixed(scale, decimals: 2)) …")
      try? fm.removeItem(atPath: dataDir)
      if case .sqlite(let path) = location { StoreLocation.removeSQLiteFiles(at: path) }
      let t = Date()
      var sink = try CSVDirectorySink(directory: dataDir)
      DemoProgram.generate(
        DemoConfiguration(partners: partners, months: months, seed: 42, scale: scale), into: &sink)
      sink.flush()
      let rows = sink.counts.values.reduce(0, +)
      print("  generated \(grouped(rows)) rows (\(grouped(sink.counts[.deals] ?? 0)) deals) in \(secs(t))")
    }
  }

  private func importAndCompute(dataDir: String, location: StoreLocation) async throws {
    // With --reuse, a database that already holds the facts is measured as it is.
    let target = try await location.open(logger: Console.storeLogger)
    let stored = try await target.hasFacts()
    if !reuse || !stored {
      guard !stored else {
        throw CLIError("\(target) already holds facts: the benchmark imports into an empty database")
      }
      let t = Date()
      var source = CSVImportSource(
        files: try CSVImportSource.resolve([dataDir]), known: [:], options: ImportOptions(soleWriter: true))
      let written = try await target.upsert(from: &source).rows
      let importSeconds = Date().timeIntervalSince(t)
      print(
        "  import into \(target): \(grouped(written)) rows in \(secs(t)) = \(grouped(Int(Double(written) / importSeconds))) rows/s; peak memory \(peakMB()) MB"
      )
    }
    try await target.close()
    let store = try await location.open(logger: Console.storeLogger)
    let catalog = try CatalogCompiler.compile(.builtin)
    var t = Date()
    let engine = KPIEngine(
      catalog: catalog, keepsKeys: false, extraColumns: insights ? SegmentDimension.engineColumns : [:])
    _ = try await store.load(into: engine)
    print("  load from \(store): \(secs(t))")
    try await store.close()
    t = Date()
    engine.finishLoading()
    let applySeconds = Date().timeIntervalSince(t)
    print("  build accumulators (one pass over all facts): \(secs(t))")
    t = Date()
    let result = try engine.compute(ComputeRequest(by: .partner, grain: .quarter))
    let computeSeconds = Date().timeIntervalSince(t)
    print(
      "  compute \(result.kpis.count) KPIs × \(grouped(result.scopes.count)) partners × \(result.periods.count) quarters = \(grouped(result.values.count)) values: \(secs(t))"
    )
    t = Date()
    let network = try engine.compute(ComputeRequest(by: .network, grain: .month))
    print("  compute every KPI for the network by month (\(grouped(network.values.count)) values): \(secs(t))")
    t = Date()
    var bytes = 0
    ResultWriter.csv(result, to: { bytes += $0.utf8.count })
    print("  format as CSV (\(grouped(bytes)) bytes): \(secs(t))")
    print(
      "  recompute the whole catalog for every partner from facts in memory: \(ValueFormat.fixed(applySeconds + computeSeconds, decimals: 2)) s; peak memory \(peakMB()) MB"
    )
    if insights { try await measureInsights(engine) }
  }

  /// Forecasts and explanations on the loaded program, as of the day after its data ends.
  private func measureInsights(_ engine: KPIEngine) async throws {
    guard let coverage = engine.coverage else { return }
    let today = Day(number: coverage.upperBound) + 1
    var t = Date()
    do {
      let all = try await KPIForecaster(engine: engine).forecastAll(
        kpi: "revenue", by: .partner, grain: .month, today: today)
      print("  forecast every partner's revenue by month, 6 ahead (\(grouped(all.count)) partners): \(secs(t))")
      let quarter = Period(grain: .quarter, containing: today.month).shifted(by: -1)
      for kpi in ["win_rate", "revenue"] {
        t = Date()
        let r = try ChangeExplainer(engine: engine).explain(kpi: kpi, scope: .network, period: quarter)
        print(
          "  explain the network's \(kpi) \(r.versus) → \(r.period) over \(r.ranking.count) dimensions (\(grouped(r.segments.count)) segments): \(secs(t))"
        )
      }
    } catch let e as ForecastError { throw CLIError(e.message) } catch let e as ExplainError {
      throw CLIError(e.message)
    }
    print("  peak memory \(peakMB()) MB")
  }

  private func secs(_ since: Date) -> String { ValueFormat.fixed(Date().timeIntervalSince(since), decimals: 2) + " s" }
  private func grouped(_ n: Int) -> String { ValueFormat.grouped(Double(n), decimals: 0) }
  private func peakMB() -> Int {
    var usage = rusage()
    getrusage(0, &usage)  // RUSAGE_SELF
    return usage.ru_maxrss / 1024
  }
}
