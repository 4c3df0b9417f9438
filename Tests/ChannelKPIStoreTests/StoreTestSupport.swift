import ChannelKPI
import ChannelKPIStore
import ChannelKPITestSupport
import Foundation
import GRDB
import Testing

/// What one import did: the rows written, or the problems that stopped it.
struct ImportOutcome {
  /// Rows written, when the import went through.
  var written: Int?
  /// Why nothing was stored (also a resolve error, then `source` is nil).
  var rejected: ImportRejected?
  /// The source the import read (nil when the paths did not resolve).
  var source: CSVImportSource?

  var problems: [ImportProblem] { rejected?.problems ?? source?.problems ?? [] }
}

/// The stores a test runs on.
enum StoreKind: String, Sendable, CaseIterable, CustomTestStringConvertible {
  /// SQLite in memory, through GRDB's `DatabaseQueue` (quick; most tests).
  case sqliteMemory
  /// A SQLite file in WAL mode, through GRDB's `DatabasePool`, as the CLI and server open it.
  case sqlite
  /// A fresh PostgreSQL database on the server `CHANNELKPI_TEST_POSTGRES` names.
  case postgres

  /// The stores the contract suite runs on: SQLite always, PostgreSQL when configured or
  /// required (CI requires it, so there a missing server fails rather than skips).
  static var contract: [StoreKind] { [.sqlite] + (TestPostgres.isEnabled ? [.postgres] : []) }

  var testDescription: String { rawValue }
}

/// A temporary directory for CSV files and a store of some kind, and the CLI's import flow
/// (`channelkpi import`): resolve the paths, known keys = stored partners and campaigns, upsert.
final class StoreHarness {
  let root: String
  let kind: StoreKind
  let store: any Store
  /// The PostgreSQL database to drop on close.
  private let database: String?
  private var batches = 0

  /// A harness over an in-memory SQLite store.
  convenience init() throws {
    let root = Self.makeRoot()
    self.init(root: root, kind: .sqliteMemory, store: try SQLiteStore(DatabaseQueue()), database: nil)
  }

  private init(root: String, kind: StoreKind, store: any Store, database: String?) {
    self.root = root
    self.kind = kind
    self.store = store
    self.database = database
  }

  private static func makeRoot() -> String {
    let root =
      FileManager.default.temporaryDirectory.appendingPathComponent("channelkpi-store-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    return root
  }

  /// A harness over a new, empty store of a kind; `close()` it when done.
  static func open(_ kind: StoreKind) async throws -> StoreHarness {
    let root = makeRoot()
    switch kind {
    case .sqliteMemory:
      return StoreHarness(root: root, kind: kind, store: try SQLiteStore(DatabaseQueue()), database: nil)
    case .sqlite:
      let store = try SQLiteStore(path: (root as NSString).appendingPathComponent("facts.sqlite"))
      return StoreHarness(root: root, kind: kind, store: store, database: nil)
    case .postgres:
      let name = try await TestPostgres.createDatabase()
      do {
        let store = try await PostgresStore(url: try TestPostgres.url(database: name), logger: TestPostgres.quietLogger)
        return StoreHarness(root: root, kind: kind, store: store, database: name)
      } catch {
        await TestPostgres.dropDatabase(name)
        throw error
      }
    }
  }

  /// Runs `body` on a new store of a kind, then closes it (dropping a PostgreSQL database).
  static func with<T>(_ kind: StoreKind, _ body: (StoreHarness) async throws -> T) async throws -> T {
    let h = try await open(kind)
    do {
      let r = try await body(h)
      await h.close()
      return r
    } catch {
      await h.close()
      throw error
    }
  }

  /// Another store on the same database (a second process or instance).
  func reopen() async throws -> any Store {
    switch kind {
    case .sqliteMemory: store
    case .sqlite: try SQLiteStore(path: (root as NSString).appendingPathComponent("facts.sqlite"))
    case .postgres:
      try await PostgresStore(url: try TestPostgres.url(database: database ?? ""), logger: TestPostgres.quietLogger)
    }
  }

  func close() async {
    try? await store.close()
    if let database { await TestPostgres.dropDatabase(database) }
  }

  deinit { try? FileManager.default.removeItem(atPath: root) }

  /// A path inside the harness directory.
  func path(_ name: String) -> String { (root as NSString).appendingPathComponent(name) }

  /// Writes files (name → bytes) into a new directory and returns the directory.
  func directory(_ files: [String: [UInt8]]) throws -> String {
    batches += 1
    let dir = path("batch-\(batches)")
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    for (name, bytes) in files {
      let ok = FileManager.default.createFile(
        atPath: (dir as NSString).appendingPathComponent(name), contents: Data(bytes))
      #expect(ok, "cannot write \(name)")
    }
    return dir
  }

  /// Writes text files into a new directory and returns the directory.
  func directory(text files: [String: String]) throws -> String {
    try directory(files.mapValues { Array($0.utf8) })
  }

  /// Imports files or directories the way `channelkpi import` does.
  func importPaths(_ paths: [String], options: ImportOptions = ImportOptions()) async throws -> ImportOutcome {
    let files: [ImportFile]
    do { files = try CSVImportSource.resolve(paths) } catch {
      return ImportOutcome(written: nil, rejected: error, source: nil)
    }
    var source = CSVImportSource(files: files, known: try await store.referencedKeys(), options: options)
    do {
      let n = try await store.upsert(from: &source).rows
      return ImportOutcome(written: n, rejected: nil, source: source)
    } catch let e as ImportRejected {
      return ImportOutcome(written: nil, rejected: e, source: source)
    }
  }

  /// Writes the files into a new directory and imports that directory.
  func importFiles(_ files: [String: [UInt8]], options: ImportOptions = ImportOptions()) async throws -> (
    dir: String, outcome: ImportOutcome
  ) {
    let dir = try directory(files)
    return (dir, try await importPaths([dir], options: options))
  }

  /// Imports files that must be accepted without any problem.
  @discardableResult
  func importGood(
    _ files: [String: [UInt8]], options: ImportOptions = ImportOptions(),
    sourceLocation: SourceLocation = #_sourceLocation
  ) async throws -> Int {
    let (_, outcome) = try await importFiles(files, options: options)
    #expect(
      outcome.rejected == nil, "the import was rejected: \(outcome.rejected?.description ?? "")",
      sourceLocation: sourceLocation)
    #expect(outcome.source?.problemCount == 0, sourceLocation: sourceLocation)
    return outcome.written ?? 0
  }

  // MARK: Reading the store back

  /// Every stored row of a table, read back through the store, as column name → stored text:
  /// money in cents, nil for absent.
  func rows(_ table: CanonicalTable) async throws -> [[String: String?]] {
    let collected = Collected<[String: String?]>()
    let columns = table.schema.columns
    try await store.forEachRow(of: [table]) { r in
      var out: [String: String?] = [:]
      for (i, v) in r.values.enumerated() {
        switch v {
        case .absent: out[columns[i].name] = .some(nil)
        case .money(let c): out[columns[i].name] = String(c)
        default: out[columns[i].name] = v.description
        }
      }
      collected.items.append(out)
    }
    return collected.items
  }

  /// The stored row of a table with a single-column key.
  func row(_ table: CanonicalTable, _ key: String) async throws -> [String: String?]? {
    let k = table.schema.key[0]
    return try await rows(table).first { $0[k] == .some(key) }
  }

  /// The whole content of the store, table by table, each row rendered in schema column order.
  func snapshot() async throws -> [String: [String]] {
    var out: [String: [String]] = [:]
    for t in CanonicalTable.allCases {
      out[t.rawValue] = try await rows(t).map { r in
        t.schema.columns.map { c in (r[c.name] ?? nil).map { "\(c.name)=\($0)" } ?? "\(c.name)=NULL" }
          .joined(separator: "|")
      }.sorted()
    }
    return out
  }

  /// An engine holding the stored facts, with the built-in catalog (or another).
  func engine(_ catalog: CompiledCatalog? = nil) async throws -> KPIEngine {
    let e = KPIEngine(catalog: try catalog ?? CatalogCompiler.compile(.builtin))
    _ = try await store.load(into: e)
    return e
  }

  /// Every built-in KPI by `by` and month over a range, rendered as text (for before/after checks).
  func kpiValues(by: ScopeKind = .partner, from: String = "2024-12", to: String = "2025-04") async throws
    -> [String]
  {
    let r = try await engine().compute(
      ComputeRequest(kpis: [], by: by, grain: .month, from: Period(from), to: Period(to)))
    return r.rows.map { "\($0.kpi) \($0.scope) \($0.period) \($0.value.map { String($0) } ?? "—")" }
  }

  /// One KPI value for one scope and period.
  func value(_ kpi: String, _ scope: Scope = .network, period: String, engine: KPIEngine? = nil) async throws
    -> Double?
  {
    let p = try #require(Period(period))
    let e: KPIEngine
    if let engine { e = engine } else { e = try await self.engine() }
    let r = try e.compute(ComputeRequest(kpis: [kpi], by: scope.kind, grain: p.grain, from: p, to: p, scopes: [scope]))
    return r.value(kpi: 0, scope: 0, period: 0)
  }
}

/// CSV text helpers for fixtures.
enum CSVText {
  /// Lines joined with `\n`, with a final line break, as bytes.
  static func file(_ lines: [String], lineBreak: String = "\n", final: Bool = true) -> [UInt8] {
    Array((lines.joined(separator: lineBreak) + (final ? lineBreak : "")).utf8)
  }

  static func file(_ lines: String...) -> [UInt8] { file(lines) }

  /// RFC 4180 records of a text (for reading files the code under test writes).
  static func parse(_ text: String) -> [[String]] {
    var records: [[String]] = []
    var record: [String] = []
    var field = ""
    var inQuotes = false
    var fieldStarted = false
    let scalars = Array(text.unicodeScalars)
    var i = 0
    while i < scalars.count {
      let c = scalars[i]
      if inQuotes {
        if c == "\"" {
          if i + 1 < scalars.count && scalars[i + 1] == "\"" {
            field.unicodeScalars.append("\"")
            i += 1
          } else {
            inQuotes = false
          }
        } else {
          field.unicodeScalars.append(c)
        }
      } else if c == "\"" {
        inQuotes = true
        fieldStarted = true
      } else if c == "," {
        record.append(field)
        field = ""
        fieldStarted = true
      } else if c == "\n" || c == "\r" {
        if c == "\r" && i + 1 < scalars.count && scalars[i + 1] == "\n" { i += 1 }
        record.append(field)
        records.append(record)
        record = []
        field = ""
        fieldStarted = false
      } else {
        field.unicodeScalars.append(c)
        fieldStarted = true
      }
      i += 1
    }
    if fieldStarted || !record.isEmpty {
      record.append(field)
      records.append(record)
    }
    return records
  }
}

/// The canonical headers, in schema order.
enum Header {
  static let partners = "partner_id,name,type,region,country,tier,joined_on,left_on,manager"
  static let deals =
    "deal_id,partner_id,customer_id,source,created_on,registered_on,registration_status,stage,closed_on,amount,product"
  static let leads = "lead_id,partner_id,campaign_id,created_on,converted_on,deal_id"
  static let campaigns = "campaign_id,partner_id,name,channel,started_on,ended_on,cost,mdf_amount"
  static let webTraffic = "partner_id,date,campaign_id,visits"
  static let customers = "customer_id,partner_id,acquired_on,churned_on,segment"
  static let surveys = "response_id,partner_id,customer_id,responded_on,score"
  static let supportTickets = "ticket_id,partner_id,customer_id,opened_at,resolved_at,satisfaction"
  static let certifications = "certification_id,partner_id,person_id,program,enrolled_on,completed_on"
  static let market = "region,month,market_revenue"

  static func of(_ t: CanonicalTable) -> String {
    switch t {
    case .partners: partners
    case .deals: deals
    case .leads: leads
    case .campaigns: campaigns
    case .webTraffic: webTraffic
    case .customers: customers
    case .surveys: surveys
    case .supportTickets: supportTickets
    case .certifications: certifications
    case .market: market
    }
  }
}

/// A small, valid program covering all ten tables (13 rows), imported first by most tests.
enum Baseline {
  static let partners = ["P1,Alpha,reseller,emea,DE,gold,2024-01-15,,Ann", "P2,Beta,msp,na,US,,2024-03-01,,Bob"]
  static let campaigns = ["C1,P1,Spring push,email,2025-01-10,2025-02-10,1000,400"]
  static let deals = [
    "D1,P1,K1,sourced,2025-01-05,2025-01-06,approved,won,2025-02-01,5000.50,Widget",
    "D2,P2,,influenced,2025-01-10,,,open,,1200,",
  ]
  static let leads = ["L1,P1,C1,2025-01-12,2025-01-20,D1"]
  static let webTraffic = ["P1,2025-01-12,C1,40", "P1,2025-01-12,,7"]
  static let customers = ["K1,P1,2025-02-01,,smb"]
  static let surveys = ["R1,P1,K1,2025-02-15,9"]
  static let supportTickets = ["T1,P1,K1,2025-02-03T09:30:00Z,2025-02-03T15:00:00+02:00,4"]
  static let certifications = ["X1,P2,E1,sales,2025-01-02,2025-01-30"]
  static let market = ["emea,2025-02,1000000"]

  static let rows: [CanonicalTable: [String]] = [
    .partners: partners, .campaigns: campaigns, .deals: deals, .leads: leads, .webTraffic: webTraffic,
    .customers: customers, .surveys: surveys, .supportTickets: supportTickets, .certifications: certifications,
    .market: market,
  ]

  static let rowCount = 13

  /// The baseline as `TABLE.csv` files.
  static var files: [String: [UInt8]] {
    var out: [String: [UInt8]] = [:]
    for (t, rows) in rows { out[t.fileName] = CSVText.file([Header.of(t)] + rows) }
    return out
  }

  /// Imports the baseline into a harness's empty store.
  static func load(into h: StoreHarness, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    let n = try await h.importGood(files, sourceLocation: sourceLocation)
    #expect(n == rowCount, sourceLocation: sourceLocation)
  }

  /// A harness whose store holds the baseline.
  static func harness(_ kind: StoreKind = .sqliteMemory, sourceLocation: SourceLocation = #_sourceLocation)
    async throws -> StoreHarness
  {
    let h = try await StoreHarness.open(kind)
    let n = try await h.importGood(files, sourceLocation: sourceLocation)
    #expect(n == rowCount, sourceLocation: sourceLocation)
    return h
  }
}

/// Checks that a problem list holds the expected problem, and reports each wrong part separately.
@discardableResult
func expectProblem(
  _ problems: [ImportProblem], file: String, line: Int, column: Int?, field: String?, message: String,
  sourceLocation: SourceLocation = #_sourceLocation
) -> ImportProblem? {
  let inFile = problems.filter { $0.file == file }
  guard
    let p = inFile.first(where: { $0.message.contains(message) && $0.line == line })
      ?? inFile.first(where: { $0.message.contains(message) })
  else {
    Issue.record(
      "no problem in \(file) says '\(message)'; got: \(problems.map(\.description))", sourceLocation: sourceLocation)
    return nil
  }
  #expect(p.line == line, "line of \(p)", sourceLocation: sourceLocation)
  #expect(p.column == column, "field position of \(p)", sourceLocation: sourceLocation)
  #expect(p.field == field, "field name of \(p)", sourceLocation: sourceLocation)
  return p
}

/// Items gathered by a callback (the store calls it on the test's own task).
final class Collected<Item> {
  var items: [Item] = []
}
