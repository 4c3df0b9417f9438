import ChannelKPI
import ChannelKPIStore
import Foundation
import Hummingbird
import Logging
import Testing

@testable import ChannelKPIServer

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// A small program to check the dashboard by hand: five partners, a few deals a quarter from
/// 2024-Q1 to 2025-Q2, and definitions with targets and a reseller scorecard.
///
/// Revenue of the network by quarter (won deals closed in it): 2024-Q1 700, Q2 1,500, Q3 900,
/// Q4 1,100, 2025-Q1 2,000, Q2 3,000 (P1 1,500 + P2 600 + P3 900). Win rate 2025-Q2: 3 won of
/// 4 closed = 75%; 2025-Q1: 2 of 3.
enum DashboardFixture {
  static let today = Day(iso: "2025-07-15")!

  /// A service on a fresh database in a temporary directory, removed with the returned value;
  /// with `incentives`, the definitions also hold `incentiveDefinitions` (a ladder and a rebate).
  static func make(incentives: Bool = false) async throws -> FixtureService {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("channelkpi-dash-\(UUID().uuidString)")
      .path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let store = try SQLiteStore(path: (dir as NSString).appendingPathComponent("facts.sqlite"))
    _ = try await store.upsert(records)
    try await store.recordImport(
      ImportSummary(
        files: ["fixture/partners.csv", "fixture/deals.csv"], rowsRead: records.count,
        rowsStored: records.count, rowsRejected: 0, rowsByTable: ["partners": 5, "deals": 14]),
      finishedAt: "2025-07-01T10:00:00Z")
    let files = incentives ? definitions.merging(incentiveDefinitions) { a, _ in a } : definitions
    _ = try await store.addProgramVersion(
      files: files, effective: Day(iso: "2024-01-01")!, appliedAt: "2025-07-01T10:05:00Z", note: "fixture")
    if incentives {
      _ = try await store.recordTierBaselineIfNeeded(
        for: try ProgramFiles.parse(files), at: "2025-07-01T10:05:00Z")
    }
    var logger = Logger(label: "dashboard-tests")
    logger.logLevel = .critical
    let service = try await KPIService(store: store, today: { today }, logger: logger)
    return FixtureService(service: service, directory: dir)
  }

  static func row(_ table: CanonicalTable, _ fields: [String: String]) -> FactRecord {
    let texts = table.schema.columns.map { fields[$0.name] }
    switch RecordValidator.validate(table, texts: texts) {
    case .success(let r): return r
    case .failure(let e):
      Issue.record("invalid fixture row \(fields): \(e.errors)")
      return FactRecord(table: table, values: Array(repeating: .absent, count: table.schema.columns.count))
    }
  }

  static func partner(
    _ id: String, _ name: String, _ type: String, _ region: String, tier: String?, joined: String,
    left: String? = nil, manager: String? = nil
  ) -> FactRecord {
    var f = ["partner_id": id, "name": name, "type": type, "region": region, "joined_on": joined, "country": "DE"]
    f["tier"] = tier
    f["left_on"] = left
    f["manager"] = manager
    return row(.partners, f)
  }

  static func deal(
    _ id: String, _ partner: String, stage: String, created: String, closed: String? = nil,
    amount: String, registered: String? = nil, status: String? = nil
  ) -> FactRecord {
    var f = [
      "deal_id": id, "partner_id": partner, "source": "sourced", "stage": stage, "created_on": created,
      "amount": amount, "product": "Suite",
    ]
    f["closed_on"] = closed
    f["registered_on"] = registered
    f["registration_status"] = status
    return row(.deals, f)
  }

  static let records: [FactRecord] = [
    partner("P1", "Acme & Sons <Ltd>", "reseller", "emea", tier: "gold", joined: "2023-01-01", manager: "Ann Lee"),
    partner("P2", "Northwind", "msp", "na", tier: "silver", joined: "2023-01-01", manager: "Bo Chen"),
    partner("P3", "Contoso", "reseller", "na", tier: "gold", joined: "2023-06-01"),
    partner("P4", "Globex", "msp", "emea", tier: nil, joined: "2024-01-01", left: "2025-05-31"),
    partner("P5/x&y", "Initech \"Labs\"", "referral", "apac", tier: nil, joined: "2024-03-01"),
    deal("D11", "P1", stage: "won", created: "2024-01-10", closed: "2024-02-01", amount: "700"),
    deal("D1", "P1", stage: "won", created: "2024-04-01", closed: "2024-05-10", amount: "1000"),
    deal("D2", "P2", stage: "won", created: "2024-04-15", closed: "2024-06-01", amount: "500"),
    deal("D12", "P2", stage: "won", created: "2024-07-01", closed: "2024-08-15", amount: "900"),
    deal("D13", "P3", stage: "won", created: "2024-10-01", closed: "2024-11-20", amount: "1100"),
    deal("D3", "P1", stage: "won", created: "2025-01-05", closed: "2025-02-15", amount: "1200"),
    deal("D4", "P3", stage: "won", created: "2025-02-01", closed: "2025-03-20", amount: "800"),
    deal("D5", "P2", stage: "lost", created: "2025-01-20", closed: "2025-03-01", amount: "300"),
    deal(
      "D6", "P1", stage: "won", created: "2025-03-25", closed: "2025-04-10", amount: "1500",
      registered: "2025-03-26", status: "approved"),
    deal("D7", "P2", stage: "won", created: "2025-04-02", closed: "2025-05-05", amount: "600"),
    deal("D8", "P3", stage: "won", created: "2025-05-01", closed: "2025-06-30", amount: "900"),
    deal("D9", "P3", stage: "lost", created: "2025-04-20", closed: "2025-05-15", amount: "400"),
    deal(
      "D10", "P4", stage: "open", created: "2025-05-20", amount: "2000", registered: "2025-05-21",
      status: "pending"),
    deal("D14", "P1", stage: "open", created: "2025-06-12", amount: "450.50"),
    row(
      .campaigns,
      ["campaign_id": "C1", "partner_id": "P1", "name": "Spring push", "started_on": "2025-04-01", "cost": "500"]),
    row(
      .leads,
      [
        "lead_id": "L1", "partner_id": "P1", "campaign_id": "C1", "created_on": "2025-04-02",
        "converted_on": "2025-04-20", "deal_id": "D6",
      ]),
    row(.leads, ["lead_id": "L2", "partner_id": "P1", "created_on": "2025-05-03"]),
    row(.leads, ["lead_id": "L3", "partner_id": "P2", "created_on": "2025-01-10"]),
    row(.webTraffic, ["partner_id": "P1", "date": "2025-04-01", "visits": "100"]),
    row(.customers, ["customer_id": "CU1", "partner_id": "P1", "acquired_on": "2025-04-10"]),
    row(.customers, ["customer_id": "CU2", "partner_id": "P2", "acquired_on": "2024-06-01"]),
    row(.surveys, ["response_id": "S1", "partner_id": "P1", "responded_on": "2025-05-01", "score": "10"]),
    row(.surveys, ["response_id": "S2", "partner_id": "P1", "responded_on": "2025-05-02", "score": "9"]),
    row(.surveys, ["response_id": "S3", "partner_id": "P2", "responded_on": "2025-05-03", "score": "3"]),
    row(
      .supportTickets,
      [
        "ticket_id": "T1", "partner_id": "P1", "opened_at": "2025-05-01T09:00:00Z",
        "resolved_at": "2025-05-01T13:00:00Z", "satisfaction": "5",
      ]),
    row(
      .certifications,
      [
        "certification_id": "CE1", "partner_id": "P1", "person_id": "X1", "program": "sales",
        "enrolled_on": "2025-01-05", "completed_on": "2025-04-15",
      ]),
    row(.market, ["region": "emea", "month": "2025-04", "market_revenue": "10000"]),
    row(.market, ["region": "na", "month": "2025-04", "market_revenue": "10000"]),
  ]

  /// A ladder on two quarters' revenue (and win rate for gold), evaluated from 2024-Q3, and a
  /// marginal rebate with a gold bonus. By hand (revenue over the window, level after):
  /// P1 (gold attribute) 2024-Q3 1,000 silver → at risk; Q4 0 → demoted to bronze; 2025-Q1 1,200 →
  /// silver; Q2 2,700 at a win rate of 100% → gold. P2 (silver) 1,400 held; 900 at risk; 0 demoted
  /// to bronze; 600 held. P3 (gold) 0 at risk; 1,100 demoted to silver; 1,900 and 1,700 held.
  /// P4 and P5 stay bronze; P4 left on 2025-05-31 and is not evaluated in 2025-Q2.
  /// Rebate 2025-Q2 (tiers held: P1 silver, P2 bronze, P3 silver): P1 100 + 100, P2 60, P3 90.
  /// A win-rate target for silver applies to the partners holding silver in a quarter.
  static let incentiveDefinitions: [String: String] = [
    "tiers.yaml": """
    tiers:
      evaluate: quarter
      window: 2
      demotion_grace: 2
      starts: 2024-07-01
      levels:
        - id: bronze
        - id: silver
          requires:
            - {kpi: revenue, min: 1000}
        - id: gold
          requires:
            - {kpi: revenue, min: 2000}
            - {kpi: win_rate, min: 0.7}
          benefits: {discount: 0.3}
    """,
    "tier-targets.yaml": """
    targets:
      - {kpi: win_rate, scope: "tier:silver", grain: quarter, value: 0.6}
    """,
    "incentives.yaml": """
    incentives:
      - id: rebate
        name: Resale rebate
        kind: rebate
        period: quarter
        brackets:
          - {from: 0, rate: 0.1}
          - {from: 1000, rate: 0.2}
        rate_by_tier: {gold: 0.05}
    """,
  ]

  static let definitions: [String: String] = [
    "targets.yaml": """
    targets:
      - kpi: revenue
        scope: network
        grain: quarter
        growth: 0.1
      - kpi: win_rate
        scope: network
        grain: quarter
        value: 0.7
      - kpi: nps
        scope: network
        grain: quarter
        value: 50
    """,
    "scorecards.yaml": """
    scorecards:
      - id: network
        name: Program scorecard
        network: true
        kpis:
          - {kpi: revenue, weight: 2}
          - {kpi: win_rate, weight: 1}
      - id: reseller
        name: Reseller scorecard
        partner_type: reseller
        kpis:
          - {kpi: revenue, weight: 2}
          - {kpi: win_rate, weight: 1}
          - {kpi: nps, weight: 1}
    """,
  ]
}

extension DashboardFixture {
  /// A CRM export mapping for tests: "Opp ID" becomes deal `T-…`, stages by name.
  static let testMapping = """
    description: Test CRM deals export
    table: deals
    fields:
      deal_id:    {column: Opp ID, prefix: "T-"}
      partner_id: Partner
      source:     {value: sourced}
      created_on: Created
      stage:      {column: Stage, map: {Closed Won: won, Closed Lost: lost}, otherwise: open}
      closed_on:  {column: Closed, only_if: {stage: [won, lost]}}
      amount:     Amount
    """

  /// A directory with the test mapping (`test-crm-deals`) beside the fixture's database.
  static func mappings(_ f: FixtureService) throws -> String {
    let dir = (f.directory as NSString).appendingPathComponent("mappings")
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try Data(testMapping.utf8).write(
      to: URL(fileURLWithPath: (dir as NSString).appendingPathComponent("test-crm-deals.yaml")))
    try Data("table: nowhere\n".utf8).write(
      to: URL(fileURLWithPath: (dir as NSString).appendingPathComponent("broken.yaml")))
    return dir
  }
}

/// A fixture service and the directory of its database.
final class FixtureService: Sendable {
  let service: KPIService
  let directory: String

  init(service: KPIService, directory: String) {
    self.service = service
    self.directory = directory
  }

  deinit { try? FileManager.default.removeItem(atPath: directory) }
}

/// Compares rendered HTML to a file in `__Snapshots__` beside this file; records the file when it
/// is missing or when `RECORD_SNAPSHOTS=1`.
enum Snapshot {
  static func check(
    _ html: String, named name: String, filePath: String = #filePath, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let dir = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__")
    let file = dir.appendingPathComponent("\(name).html")
    let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
    if record || !FileManager.default.fileExists(atPath: file.path) {
      do {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data(html.utf8).write(to: file)
      } catch {
        Issue.record("cannot record the snapshot \(file.path): \(error)", sourceLocation: sourceLocation)
      }
      return
    }
    guard let data = FileManager.default.contents(atPath: file.path) else {
      Issue.record("cannot read the snapshot \(file.path)", sourceLocation: sourceLocation)
      return
    }
    let expected = String(decoding: data, as: UTF8.self)
    guard expected != html else { return }
    let a = expected.components(separatedBy: "\n")
    let b = html.components(separatedBy: "\n")
    let line = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
    let actual = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).actual.html")
    try? Data(html.utf8).write(to: actual)
    Issue.record(
      """
      \(name): the HTML differs from the snapshot at line \(line + 1)
        expected: \(line < a.count ? a[line] : "<end>")
        actual:   \(line < b.count ? b[line] : "<end>")
      (the page is in \(actual.path); run with RECORD_SNAPSHOTS=1 to accept it)
      """, sourceLocation: sourceLocation)
  }
}

/// A response of the running app.
struct Fetched: Sendable {
  var status: Int
  var contentType: String
  var contentSecurityPolicy: String
  var body: String
}

/// The app on an ephemeral port for the length of a body.
enum TestServer {
  /// Runs the app `buildApplication` makes, or one with only a given dashboard controller.
  static func run(
    _ service: KPIService, controller: DashboardController? = nil, _ body: @Sendable (URL) async throws -> Void
  ) async throws {
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    var logger = Logger(label: "dashboard-server-tests")
    logger.logLevel = .critical
    let task: Task<Void, any Error>
    try await TestKeys.seed(service.store)
    if let controller {
      let router = buildRouter(service: service, metrics: nil, dashboard: controller, policy: AuthPolicy())
      let app = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
      task = Task { try await app.runService(gracefulShutdownSignals: []) }
    } else {
      let app = buildApplication(
        service: service, configuration: ServerConfiguration(port: 0), metrics: nil, logger: logger,
        onServerRunning: { port in continuation.yield(port) })
      task = Task { try await app.runService(gracefulShutdownSignals: []) }
    }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next() else {
      task.cancel()
      Issue.record("the server did not start")
      return
    }
    do {
      try await body(URL(string: "http://127.0.0.1:\(port)")!)
    } catch {
      task.cancel()
      _ = await task.result
      throw error
    }
    task.cancel()
    _ = await task.result
  }

  static func fetch(_ url: URL, method: String = "GET", body: Data? = nil, contentType: String? = nil) async throws
    -> Fetched
  {
    var request = URLRequest(url: url)
    request.httpMethod = method
    request.httpBody = body
    request.timeoutInterval = 30
    request.setValue("Bearer \(TestKeys.admin)", forHTTPHeaderField: "Authorization")
    if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
    let (data, response) = try await URLSession.shared.data(for: request)
    let http = response as? HTTPURLResponse
    return Fetched(
      status: http?.statusCode ?? 0, contentType: http?.value(forHTTPHeaderField: "Content-Type") ?? "",
      contentSecurityPolicy: http?.value(forHTTPHeaderField: "Content-Security-Policy") ?? "",
      body: String(decoding: data, as: UTF8.self))
  }

  /// A multipart/form-data body of fields and one file.
  static func multipart(fields: [(String, String)], file: (name: String, content: String)?) -> (Data, String) {
    let boundary = "----channelkpi-test-\(UUID().uuidString)"
    var text = ""
    for (k, v) in fields {
      text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n"
    }
    if let file {
      text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\n"
      text += "Content-Type: text/csv\r\n\r\n\(file.content)\r\n"
    }
    text += "--\(boundary)--\r\n"
    return (Data(text.utf8), "multipart/form-data; boundary=\(boundary)")
  }
}

/// The links and form actions of a page, as paths with their query (`&amp;` decoded).
enum Links {
  static func targets(in html: String) -> [String] {
    var out: [String] = []
    for attribute in ["href=\"", "action=\""] {
      var rest = Substring(html)
      while let r = rest.range(of: attribute) {
        rest = rest[r.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { break }
        let value = String(rest[..<end])
          .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
          .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
          .replacingOccurrences(of: "&amp;", with: "&")
        out.append(value)
        rest = rest[end...]
      }
    }
    return out
  }
}
