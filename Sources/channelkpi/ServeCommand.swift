import ArgumentParser
import ChannelKPI
import ChannelKPIServer
import ChannelKPIStore
import Foundation
import Hummingbird
import Logging

struct ServeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Serve the dashboard and the JSON API.",
    discussion: """
      The dashboard is at http://HOST:PORT/, the API under /api/v1 (described at /openapi.json), \
      health at /healthz and Prometheus metrics at /metrics. Facts posted to the API are visible in \
      the next KPI read. Stop with Ctrl-C; requests under way are finished first.

        channelkpi serve --demo            # serve a fresh database with the demo program
        channelkpi serve --port 9000       # serve channelkpi.sqlite
      """)

  @Option(help: "The address to listen on.")
  var host = "127.0.0.1"

  @Option(help: "The port to listen on.")
  var port = 8080

  @OptionGroup var db: DatabaseOptions

  @Flag(help: "Start on a fresh database seeded with the demo program and its definitions.")
  var demo = false

  @Option(help: "Partners in the demo program.")
  var demoPartners = 120

  @Option(
    help: ArgumentHelp(
      "Where the dashboard's upload finds CRM mappings (*.yaml; default: $CHANNELKPI_MAPPINGS, else ./mappings).",
      valueName: "dir"))
  var mappings: String?

  @Option(
    help: ArgumentHelp(
      "The program's reporting currency as an ISO 4217 code, for amounts on the dashboard (default: $CHANNELKPI_CURRENCY, else USD).",
      valueName: "code"))
  var currency: String?

  @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
  var logLevel = "info"

  @Option(help: ArgumentHelp("The day to treat as today, YYYY-MM-DD (default: today, UTC).", valueName: "date"))
  var today: String?

  /// The currency of --currency, else of $CHANNELKPI_CURRENCY, else US dollars.
  var reportingCurrency: Currency? {
    guard let code = currency ?? ProcessInfo.processInfo.environment["CHANNELKPI_CURRENCY"] else { return .usd }
    return Currency(code: code)
  }

  func validate() throws {
    guard reportingCurrency != nil else {
      let given = currency.map { "--currency '\($0)'" } ?? "CHANNELKPI_CURRENCY"
      throw ValidationError("\(given) is not a currency code: three letters such as USD, EUR or GBP")
    }
    guard Logger.Level(rawValue: logLevel) != nil else {
      throw ValidationError("--log-level must be trace, debug, info, notice, warning, error or critical")
    }
    guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
    if let today, Day(iso: today) == nil { throw ValidationError("--today '\(today)' is not a date YYYY-MM-DD") }
    guard (1...100_000).contains(demoPartners) else {
      throw ValidationError("--demo-partners must be from 1 to 100000")
    }
  }

  func run() async throws {
    let level = Logger.Level(rawValue: logLevel) ?? .info
    LoggingSystem.bootstrap { label in
      var h = StreamLogHandler.standardError(label: label)
      h.logLevel = level
      return h
    }
    let logger = Logger(label: "channelkpi")
    var location = try db.location
    // A demo without --database runs on a file made for this run, removed when it stops.
    var temporary: String?
    if demo {
      if db.database == nil {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
          "channelkpi-demo-\(getpid()).sqlite"
        ).path
        location = .sqlite(path: path)
        temporary = path
      } else if case .sqlite(let path) = location, FileManager.default.fileExists(atPath: path) {
        throw CLIError("--demo starts on a fresh database, but \(path) exists; give another --database or remove it")
      }
    }
    let store: any Store
    do { store = try await location.open(logger: logger) } catch {
      throw CLIError.cannotOpen(location, error)
    }
    do {
      if demo { try await seedDemo(into: store, logger: logger) }
      try await serve(store, logger: logger)
    } catch {
      try? await store.close()
      if let temporary { StoreLocation.removeSQLiteFiles(at: temporary) }
      throw error
    }
    try? await store.close()
    if let temporary { StoreLocation.removeSQLiteFiles(at: temporary) }
  }

  private func serve(_ store: any Store, logger: Logger) async throws {
    let fixedToday = today.flatMap { Day(iso: $0) }
    let service = try await KPIService(
      store: store,
      today: { fixedToday ?? Day(number: Int32((Date().timeIntervalSince1970 / 86_400).rounded(.down))) },
      logger: logger, metrics: .shared)
    let host = host
    let served = store.description
    let app = buildApplication(
      service: service,
      configuration: ServerConfiguration(
        host: host, port: port, mappingsDirectory: mappings, currency: reportingCurrency ?? .usd),
      metrics: .shared, logger: logger,
      onServerRunning: { port in
        print("ChannelKPI is serving \(served) at http://\(host):\(port)/ (API: /api/v1, /openapi.json)")
        // Said at once, also when the output goes to a file or a pipe.
        fflush(nil)
      })
    try await app.runService()
  }

  /// Writes the demo program, imports it and applies its definitions from the start of the data.
  private func seedDemo(into store: any Store, logger: Logger) async throws {
    if try await store.holdsProgram() {
      throw CLIError("--demo starts on an empty database, but \(store) already holds a program")
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("channelkpi-demo-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    // The demo's data ends with the last full month, so a fresh demo looks current.
    let config = DemoConfiguration(partners: demoPartners, lastMonth: ProgramOptions.utcToday().month - 1)
    var sink = try CSVDirectorySink(directory: dir)
    DemoProgram.generate(config, into: &sink)
    sink.flush()
    var source = CSVImportSource(files: try CSVImportSource.resolve([dir]), known: [:], options: ImportOptions())
    let write = try await store.upsert(from: &source)
    try await store.recordImport(source.summary, finishedAt: ISO8601DateFormatter().string(from: Date()))
    let files = DemoProgram.definitions(config)
    let defs = try ProgramFiles.parse(files)
    let at = ISO8601DateFormatter().string(from: Date())
    _ = try await store.addProgramVersion(
      files: files, effective: config.firstMonth.firstDay, appliedAt: at, note: "demo program")
    try await store.recordTierBaselineIfNeeded(for: defs, at: at)
    logger.info("seeded the demo program", metadata: ["rows": "\(write.rows)", "database": "\(store)"])
  }
}
