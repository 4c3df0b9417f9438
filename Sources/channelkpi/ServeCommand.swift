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
      Everyone signs in: people at /login (the dashboard for the vendor, /portal for partners), \
      programs with an API key (channelkpi keys create). The server refuses to start until there is \
      an admin user, except with --demo. \
      The dashboard is at http://HOST:PORT/, the API under /api/v1 (described at /openapi.json), \
      health at /healthz and Prometheus metrics at /metrics. Facts posted to the API are visible in \
      the next KPI read. Stop with Ctrl-C; requests under way are finished first.

        channelkpi serve --demo            # the demo program, with one user per role (printed)
        channelkpi users add ana --role admin && channelkpi serve --port 9000
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

  @Flag(
    help:
      "Behind a reverse proxy: take the client's address from X-Forwarded-For and https from X-Forwarded-Proto (cookies are then Secure)."
  )
  var trustProxy = false

  @Option(
    help: ArgumentHelp(
      "The address people reach the dashboard at, for links in webhook notifications (default: $CHANNELKPI_PUBLIC_URL, else none).",
      valueName: "url"))
  var publicURL: String?

  @Option(
    help: ArgumentHelp(
      "A directory each day's digests are written to, one Markdown file per manager (default: $CHANNELKPI_DIGEST_DIR, else none).",
      valueName: "dir"))
  var digestDir: String?

  @Option(
    help: ArgumentHelp(
      "A webhook (channelkpi webhooks add) each day's digests are posted to as JSON (default: $CHANNELKPI_DIGEST_WEBHOOK, else none).",
      valueName: "name"))
  var digestWebhook: String?

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
    SQLiteFileLog.install(logger)
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
    do { store = try await location.open(snapshot: db.snapshot(for: location), logger: logger) } catch {
      throw CLIError.cannotOpen(location, error)
    }
    do {
      if demo {
        try await seedDemo(into: store, logger: logger)
        try await DemoUsers.create(in: store)
      } else if !(try await store.users().contains { $0.grant.role == .admin && !$0.disabled }) {
        throw CLIError(
          "no admin user yet: every route but /healthz needs one to sign in; make one with\n  channelkpi users add NAME --role admin\n(or try the demo: channelkpi serve --demo)"
        )
      }
      try await serve(store, logger: logger)
    } catch {
      try? await store.close()
      if let temporary { StoreLocation.removeSQLiteFiles(at: temporary) }
      if error is CLIError { throw error }
      throw StoreError(classifying: error, database: store.description).map { CLIError($0.description) } ?? error
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
    let digestWebhook = digestWebhook ?? ProcessInfo.processInfo.environment["CHANNELKPI_DIGEST_WEBHOOK"]
    if let name = digestWebhook, !(try await store.webhooks().contains { $0.name == name }) {
      throw CLIError(
        "the digest webhook '\(name)' does not exist: add it first (channelkpi webhooks add \(name) --url …)")
    }
    let host = host
    let served = store.description
    var auth = AuthPolicy()
    auth.trustProxy = trustProxy
    let app = buildApplication(
      service: service,
      configuration: ServerConfiguration(
        host: host, port: port, mappingsDirectory: mappings, currency: reportingCurrency ?? .usd, auth: auth,
        publicURL: (publicURL ?? ProcessInfo.processInfo.environment["CHANNELKPI_PUBLIC_URL"]).map {
          $0.hasSuffix("/") ? String($0.dropLast()) : $0
        },
        digests: DigestTarget(
          directory: digestDir ?? ProcessInfo.processInfo.environment["CHANNELKPI_DIGEST_DIR"],
          webhook: digestWebhook)),
      metrics: .shared, logger: logger,
      onServerRunning: { port in
        print("ChannelKPI is serving \(served) at http://\(host):\(port)/ (API: /api/v1, /openapi.json)")
        // Said at once, also when the output goes to a file or a pipe.
        fflush(nil)
      })
    // The next start reads the engine's snapshot rather than every row; written again on the way out.
    Task { await service.saveSnapshot() }
    try await app.runService()
    // Alerts of batches whose decision was paced are decided before the server goes.
    await service.decidePendingAlerts()
    await service.saveSnapshot()
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

/// The demo's users: one per role, with made passwords printed once, so the demo starts with one
/// command and every view of the product can be tried.
enum DemoUsers {
  static func create(in store: any Store) async throws {
    var managers: [String: Int] = [:]
    var firstPartner: String?
    let partners = Locked([(String, String?)]())
    try await store.forEachRow(of: [.partners]) { r in
      if let id = r["partner_id"].string { partners.withLock { $0.append((id, r["manager"].string)) } }
    }
    for (id, manager) in partners.withLock({ $0 }).sorted(by: { $0.0 < $1.0 }) {
      if firstPartner == nil { firstPartner = id }
      if let manager { managers[manager, default: 0] += 1 }
    }
    let manager = managers.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
    var users: [(String, String?, Grant)] = [
      ("admin", "Demo Admin", Grant(role: .admin)),
      ("leader", "Program Leader", Grant(role: .manager, allPartners: true)),
      ("analyst", "Demo Analyst", Grant(role: .analyst)),
    ]
    if let manager { users.insert(("manager", manager, Grant(role: .manager)), at: 1) }
    if let firstPartner {
      users.append(("partner", "Staff of \(firstPartner)", Grant(role: .partner, partner: firstPartner)))
    }
    print("Demo users (passwords made for this run):")
    for (username, name, grant) in users {
      let (_, password) = try await Accounts.addUser(
        username: username, name: name, grant: grant, password: nil, by: "demo", store: store)
      let what: String
      switch grant.role {
      case .admin: what = "everything"
      case .manager: what = grant.allPartners ? "every partner (program leader)" : "the partners of \(name ?? username)"
      case .analyst: what = "reads everything"
      case .partner: what = "the portal of \(grant.partner ?? "")"
      }
      print(
        "  \(username.padding(toLength: 8, withPad: " ", startingAt: 0)) \(password)  \(grant.role.rawValue): \(what)")
    }
    fflush(nil)
  }
}
