import ChannelKPI
import ChannelKPIServer
import ChannelKPIStore
import Foundation
import Hummingbird
import Logging
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

// MARK: - A server on an ephemeral port

/// A running server over a temporary SQLite store.
struct APIServer: Sendable {
  let base: String
  let service: KPIService
  let store: any Store
}

/// API keys with known secrets, stored (hashed) in every test server's store: the tests send the
/// admin key unless they say otherwise.
enum TestKeys {
  static let admin = "ckpi_test_admin_key"
  static let analyst = "ckpi_test_analyst_key"

  /// Stores a key with a known secret, unless one with that secret is stored already.
  static func add(_ secret: String, _ grant: Grant, scopes: Set<KeyScope> = Set(KeyScope.allCases), to store: any Store)
    async throws
  {
    guard try await store.key(hash: Credentials.hash(secret)) == nil else { return }
    _ = try await store.addKey(
      APIKeyRecord(
        name: secret, prefix: String(secret.prefix(12)), hash: Credentials.hash(secret), grant: grant, scopes: scopes,
        createdAt: "2026-01-01T00:00:00Z", createdBy: "tests"))
  }

  /// The admin key (every scope) and a read-only analyst key.
  static func seed(_ store: any Store) async throws {
    try await add(admin, Grant(role: .admin), to: store)
    try await add(analyst, Grant(role: .analyst), scopes: [.read], to: store)
  }
}

/// Why a test server could not be started.
struct APIServerError: Error, CustomStringConvertible {
  let description: String
}

/// Runs `body` against the real application, started on an ephemeral port over a fresh store
/// that `seed` fills, then stops the server and removes the store.
func withServer<T>(
  today: String = Fixture.today, metrics: ServerMetrics? = nil,
  seed: (any Store) async throws -> Void = Fixture.seed, _ body: (APIServer) async throws -> T
) async throws -> T {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("channelkpi-api-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: dir) }
  let store = try SQLiteStore(path: dir.appendingPathComponent("facts.sqlite").path)
  try await seed(store)
  return try await withServer(on: store, today: today, metrics: metrics, body)
}

/// Runs `body` against the real application, started on an ephemeral port over a given store
/// (left open), then stops the server.
func withServer<T>(
  on store: any Store, today: String = Fixture.today, metrics: ServerMetrics? = nil,
  _ body: (APIServer) async throws -> T
) async throws -> T {
  guard let day = Day(iso: today) else { throw APIServerError(description: "'\(today)' is not a date") }
  var logger = Logger(label: "channelkpi-api-tests")
  // Cancelling the server at the end logs errors about the channels it closes.
  logger.logLevel = .critical
  try await TestKeys.seed(store)
  let service = try await KPIService(store: store, today: { day }, logger: logger, metrics: metrics)
  let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
  let app = buildApplication(
    service: service, configuration: ServerConfiguration(port: 0), metrics: metrics, logger: logger,
    onServerRunning: { port in
      continuation.yield(port)
      continuation.finish()
    })
  let task = Task {
    defer { continuation.finish() }
    try await app.runService(gracefulShutdownSignals: [])
  }
  var iterator = ports.makeAsyncIterator()
  guard let port = await iterator.next() else {
    task.cancel()
    let outcome = await task.result
    throw APIServerError(description: "the server did not start: \(outcome)")
  }
  let server = APIServer(base: "http://127.0.0.1:\(port)", service: service, store: store)
  let result: Result<T, any Error>
  do { result = .success(try await body(server)) } catch { result = .failure(error) }
  task.cancel()
  _ = await task.result
  return try result.get()
}

/// Polls `condition` until it holds or `seconds` pass; true when it held.
func eventually(seconds: Double = 10, _ condition: () async throws -> Bool) async throws -> Bool {
  let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
  while ContinuousClock.now < deadline {
    if try await condition() { return true }
    try await Task.sleep(for: .milliseconds(20))
  }
  return try await condition()
}

// MARK: - HTTP

/// An answer of the server.
struct HTTPResult: Sendable {
  let status: Int
  let headers: [String: String]
  let data: Data

  var text: String { String(decoding: data, as: UTF8.self) }
  var contentType: String? { headers["content-type"] }

  /// The body as JSON; a test failure (and null) when it is not JSON.
  func json(sourceLocation: SourceLocation = #_sourceLocation) -> JSONNode {
    do { return try JSONNode.parse(data) } catch {
      Issue.record("the body is not JSON (\(error)): \(text)", sourceLocation: sourceLocation)
      return .null
    }
  }
}

extension APIServer {
  static let session = URLSession(configuration: .ephemeral)

  /// Sends a request with a key (the admin's unless `key` says otherwise; nil: none); `path`
  /// includes the query, already percent-encoded.
  func request(
    _ method: String, _ path: String, headers: [String: String] = [:], body: Data? = nil,
    key: String? = TestKeys.admin
  ) async throws -> HTTPResult {
    guard let url = URL(string: base + path) else { throw APIServerError(description: "bad path \(path)") }
    var request = URLRequest(url: url)
    request.httpMethod = method
    if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
    for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
    request.httpBody = body
    let (data, response) = try await Self.session.data(for: request)
    guard let http = response as? HTTPURLResponse else { throw APIServerError(description: "not an HTTP answer") }
    var fields: [String: String] = [:]
    for (k, v) in http.allHeaderFields {
      if let k = k as? String, let v = v as? String { fields[k.lowercased()] = v }
    }
    return HTTPResult(status: http.statusCode, headers: fields, data: data)
  }

  func get(_ path: String, accept: String? = nil) async throws -> HTTPResult {
    try await request("GET", path, headers: accept.map { ["Accept": $0] } ?? [:])
  }

  /// POSTs a JSON text (or whatever `contentType` says it is).
  func post(_ path: String, _ body: String, contentType: String = "application/json") async throws -> HTTPResult {
    try await request("POST", path, headers: ["Content-Type": contentType], body: Data(body.utf8))
  }

  /// The JSON answer of a GET that must succeed.
  func getJSON(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONNode {
    let r = try await get(path)
    #expect(r.status == 200, "GET \(path): \(r.status) \(r.text)", sourceLocation: sourceLocation)
    #expect(
      r.contentType?.hasPrefix("application/json") == true, "GET \(path): \(r.contentType ?? "no content type")",
      sourceLocation: sourceLocation)
    return r.json(sourceLocation: sourceLocation)
  }

  /// One KPI value of one scope in one period, read through `GET /api/v1/values`.
  func value(_ kpi: String, _ scope: String = "network", _ period: String) async throws -> Double? {
    let by = scope.split(separator: ":").first.map(String.init) ?? "network"
    let grain = Period(period).map(\.grain.rawValue) ?? "month"
    let q = "kpi=\(kpi)&by=\(by)&grain=\(grain)&from=\(period)&to=\(period)&scope=\(scope)"
    let values = try await getJSON("/api/v1/values?\(q)")["values"]?.array ?? []
    #expect(values.count == 1, "\(kpi) \(scope) \(period): \(values)")
    return values.first?["value"]?.number
  }

  /// Rows stored per table.
  func counts() async throws -> [CanonicalTable: Int] { try await store.counts() }
}

// MARK: - Expectations on errors

/// Expects an error answer `{"error":{"code","message","parameter"?}}`.
func expectError(
  _ r: HTTPResult, _ status: Int, code: String, parameter: String? = nil, message: String? = nil,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(r.status == status, "status of \(r.text)", sourceLocation: sourceLocation)
  #expect(r.contentType?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
  let json = r.json(sourceLocation: sourceLocation)
  let error = json["error"]
  #expect(json.object?.keys.sorted() == ["error"], "\(r.text)", sourceLocation: sourceLocation)
  #expect(error?["code"]?.string == code, "\(r.text)", sourceLocation: sourceLocation)
  #expect(error?["parameter"]?.string == parameter, "parameter of \(r.text)", sourceLocation: sourceLocation)
  if let message {
    let m = error?["message"]?.string ?? ""
    #expect(m.contains(message), "'\(m)' should say '\(message)'", sourceLocation: sourceLocation)
  }
}

/// Expects a 422 answer `{"errors":[{"path","message"}]}` with exactly these paths, in this order,
/// each message containing the text given.
func expectProblems(
  _ r: HTTPResult, _ expected: [(path: String, message: String)], sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(r.status == 422, "status of \(r.text)", sourceLocation: sourceLocation)
  let errors = r.json(sourceLocation: sourceLocation)["errors"]?.array ?? []
  let got = errors.map { ($0["path"]?.string ?? "?", $0["message"]?.string ?? "?") }
  #expect(got.map(\.0) == expected.map(\.path), "paths of \(r.text)", sourceLocation: sourceLocation)
  for (g, e) in zip(got, expected) {
    #expect(g.1.contains(e.message), "\(g.0): '\(g.1)' should say '\(e.message)'", sourceLocation: sourceLocation)
  }
}

/// Whether two numbers agree to 1e-9 (relative).
func close(_ a: Double?, _ b: Double?) -> Bool {
  switch (a, b) {
  case (nil, nil): return true
  case (let a?, let b?): return Swift.abs(a - b) <= 1e-9 * Swift.max(1, Swift.abs(a), Swift.abs(b))
  default: return false
  }
}

// MARK: - The fixture

/// A small hand-made program: four partners, nine deals in 2025-Q1 and Q2, leads, a campaign,
/// customers, surveys and the rest, with definitions in force from 2024. Every value the tests
/// expect is worked out by hand from these rows (see the comments).
enum Fixture {
  /// After the data, so that no period of the data is under way (no pace).
  static let today = "2025-07-15"

  static let rows: [CanonicalTable: [String]] = [
    // partner_id,name,type,region,country,tier,joined_on,left_on,manager
    .partners: [
      "P1,Alpha,reseller,emea,DE,gold,2024-01-15,,Ann",
      "P2,Beta,reseller,na,US,silver,2024-06-01,,Bob",
      "P3,Gamma,msp,emea,FR,gold,2024-03-01,,Ann",
      "P4,Delta,referral,apac,AU,,2025-01-10,2025-05-01,",
    ],
    // campaign_id,partner_id,name,channel,started_on,ended_on,cost,mdf_amount
    .campaigns: ["C1,P1,Spring push,email,2025-01-10,2025-02-10,1000,400"],
    // deal_id,partner_id,customer_id,source,created_on,registered_on,registration_status,stage,closed_on,amount,product
    // 2025-Q1: P1 wins D1 (10000, Feb) and D2 (5000, Mar), loses D3; P2 wins D4 (8000, Feb), loses D5, D6 is open.
    // 2025-Q2: P3 wins D7 (6000, May); P1 wins D8 (12000, Jun) and loses D9.
    .deals: [
      "D1,P1,K1,sourced,2025-01-05,2025-01-06,approved,won,2025-02-10,10000,Widget",
      "D2,P1,,influenced,2025-01-20,,,won,2025-03-15,5000,",
      "D3,P1,,sourced,2025-02-01,,,lost,2025-03-20,2000,",
      "D4,P2,K2,sourced,2025-01-10,,,won,2025-02-20,8000,",
      "D5,P2,,co_sell,2025-02-15,,,lost,2025-03-01,3000,",
      "D6,P2,,sourced,2025-03-01,,,open,,4000,",
      "D7,P3,,sourced,2025-04-01,,,won,2025-05-10,6000,",
      "D8,P1,,sourced,2025-04-05,,,won,2025-06-01,12000,",
      "D9,P1,,influenced,2025-04-10,,,lost,2025-06-10,1000,",
    ],
    // lead_id,partner_id,campaign_id,created_on,converted_on,deal_id: 2 of the 4 Q1 leads convert.
    .leads: [
      "L1,P1,C1,2025-01-12,2025-01-20,D2", "L2,P1,C1,2025-01-15,,", "L3,P2,,2025-02-01,2025-02-15,D5",
      "L4,P2,,2025-02-03,,",
    ],
    .webTraffic: ["P1,2025-01-12,C1,40"],
    .customers: ["K1,P1,2025-02-10,,smb", "K2,P2,2025-02-20,,mid_market"],
    .surveys: ["R1,P1,K1,2025-02-15,9", "R2,P2,K2,2025-03-01,6"],
    .supportTickets: ["T1,P1,K1,2025-02-03T09:30:00Z,2025-02-03T15:00:00+02:00,4"],
    .certifications: ["X1,P2,E1,sales,2025-01-02,2025-01-30"],
    .market: ["emea,2025-02,1000000"],
  ]

  static var rowCount: Int { rows.values.map(\.count).reduce(0, +) }

  /// The definitions: revenue's baseline is fixed at 20000. Targets for 2025-Q1:
  /// - network revenue: 20000 × 1.1 = 22000 (actual 23000); P1's revenue: 20000 (actual 15000);
  /// - network win rate 0.7 (actual 3/5); resellers' win rate 0.5 (P1: 2/3, P2: 1/2).
  /// P2's revenue target falls back to the network's growth rule: 22000 (actual 8000).
  static let definitions: [String: String] = [
    "program.yaml": """
    objectives:
      - id: grow
        name: Grow revenue
        description: More won business.
        owner: VP Sales
        from: 2025-Q1
        kpis: [revenue, win_rate]
    kpi_settings:
      revenue:
        baseline: 20000
    targets:
      - kpi: revenue
        scope: network
        grain: quarter
        growth: 0.1
      - kpi: revenue
        scope: partner:P1
        grain: quarter
        value: 20000
      - kpi: win_rate
        scope: network
        grain: quarter
        value: 0.7
      - kpi: win_rate
        scope: type:reseller
        grain: quarter
        value: 0.5
    scorecards:
      - id: resellers
        name: Reseller scorecard
        partner_type: reseller
        kpis:
          - {kpi: revenue, weight: 2}
          - win_rate
      - id: program
        name: Program scorecard
        network: true
        kpis: [revenue, win_rate]

    """
  ]

  /// The fixture's records.
  static func records() throws -> [FactRecord] {
    var out: [FactRecord] = []
    for t in CanonicalTable.dependencyOrder {
      for line in rows[t] ?? [] {
        let texts = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.isEmpty ? nil : String($0) }
        switch RecordValidator.validate(t, texts: texts) {
        case .success(let r): out.append(r)
        case .failure(let e): throw APIServerError(description: "\(t.rawValue) \(line): \(e.errors)")
        }
      }
    }
    return out
  }

  /// Facts, definitions (version 1, in force from 2024-01-01) and one import in the history.
  static func seed(_ store: any Store) async throws {
    try await facts(store)
    _ = try ProgramFiles.parse(definitions)
    _ = try await store.addProgramVersion(
      files: definitions, effective: Day(year: 2024, month: 1, day: 1)!, appliedAt: "2025-07-01T08:00:00Z",
      note: "fixture")
  }

  /// The facts and an import record, without definitions.
  static func facts(_ store: any Store) async throws {
    _ = try await store.upsert(try records())
    try await store.recordImport(
      ImportSummary(
        files: ["fixture/partners.csv", "fixture/deals.csv"], rowsRead: rowCount, rowsStored: rowCount,
        rowsRejected: 0, rowsByTable: ["partners": 4, "deals": 9]),
      finishedAt: "2025-07-01T07:00:00Z")
  }

  /// A definitions file with one KPI of its own: revenue of won deals above 6000 (in the
  /// fixture: D1, 10000, and D4, 8000, in 2025-Q1; D8, 12000, in 2025-Q2).
  static let bigRevenueKPI = """
    kpis:
      - id: big_revenue
        name: Big-deal revenue
        unit: money
        formula: sum(deals.amount where stage = 'won' and closed_on in period and amount > 6000)

    """

  /// An empty store: no facts, no definitions.
  static func empty(_ store: any Store) async throws {}
}

// MARK: - JSON

/// A parsed JSON value, with numbers as doubles.
indirect enum JSONNode: Equatable, Sendable, CustomStringConvertible {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONNode])
  case object([String: JSONNode])

  subscript(key: String) -> JSONNode? {
    if case .object(let o) = self { return o[key] }
    return nil
  }

  subscript(index: Int) -> JSONNode? {
    if case .array(let a) = self, a.indices.contains(index) { return a[index] }
    return nil
  }

  var string: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  var number: Double? {
    if case .number(let d) = self { return d }
    return nil
  }

  var bool: Bool? {
    if case .bool(let b) = self { return b }
    return nil
  }

  var array: [JSONNode]? {
    if case .array(let a) = self { return a }
    return nil
  }

  var object: [String: JSONNode]? {
    if case .object(let o) = self { return o }
    return nil
  }

  var isNull: Bool { self == .null }

  var description: String {
    switch self {
    case .null: return "null"
    case .bool(let b): return b ? "true" : "false"
    case .number(let d): return d == d.rounded() && Swift.abs(d) < 1e15 ? String(Int64(d)) : String(d)
    case .string(let s): return JSON.string(s)
    case .array(let a): return "[" + a.map(\.description).joined(separator: ",") + "]"
    case .object(let o):
      return "{" + o.keys.sorted().map { JSON.string($0) + ":" + o[$0]!.description }.joined(separator: ",") + "}"
    }
  }

  struct ParseError: Error, CustomStringConvertible {
    let description: String
  }

  static func parse(_ text: String) throws -> JSONNode { try parse(Data(text.utf8)) }

  static func parse(_ data: Data) throws -> JSONNode {
    var p = Parser(bytes: Array(data))
    p.space()
    let v = try p.value()
    p.space()
    guard p.i == p.bytes.count else { throw ParseError(description: "text after the value at byte \(p.i)") }
    return v
  }

  private struct Parser {
    let bytes: [UInt8]
    var i = 0

    mutating func space() {
      while i < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
    }

    func fail(_ m: String) -> ParseError { ParseError(description: "\(m) at byte \(i)") }

    mutating func literal(_ word: String, _ v: JSONNode) throws -> JSONNode {
      let w = Array(word.utf8)
      guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else { throw fail("expected \(word)") }
      i += w.count
      return v
    }

    mutating func value() throws -> JSONNode {
      guard i < bytes.count else { throw fail("unexpected end") }
      switch bytes[i] {
      case UInt8(ascii: "n"): return try literal("null", .null)
      case UInt8(ascii: "t"): return try literal("true", .bool(true))
      case UInt8(ascii: "f"): return try literal("false", .bool(false))
      case UInt8(ascii: "\""): return .string(try string())
      case UInt8(ascii: "["):
        i += 1
        var items: [JSONNode] = []
        space()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
          i += 1
          return .array(items)
        }
        while true {
          space()
          items.append(try value())
          space()
          guard i < bytes.count else { throw fail("unterminated array") }
          if bytes[i] == UInt8(ascii: ",") {
            i += 1
          } else if bytes[i] == UInt8(ascii: "]") {
            i += 1
            return .array(items)
          } else {
            throw fail("expected , or ]")
          }
        }
      case UInt8(ascii: "{"):
        i += 1
        var members: [String: JSONNode] = [:]
        space()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
          i += 1
          return .object(members)
        }
        while true {
          space()
          guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a member name") }
          let k = try string()
          space()
          guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected :") }
          i += 1
          space()
          guard members[k] == nil else { throw fail("duplicate member '\(k)'") }
          members[k] = try value()
          space()
          guard i < bytes.count else { throw fail("unterminated object") }
          if bytes[i] == UInt8(ascii: ",") {
            i += 1
          } else if bytes[i] == UInt8(ascii: "}") {
            i += 1
            return .object(members)
          } else {
            throw fail("expected , or }")
          }
        }
      default:
        let start = i
        while i < bytes.count, "+-0123456789.eE".utf8.contains(bytes[i]) { i += 1 }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        guard !text.isEmpty, let d = Double(text) else { throw fail("bad value '\(text)'") }
        return .number(d)
      }
    }

    mutating func hex4() throws -> UInt32 {
      guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16) else {
        throw fail("bad \\u escape")
      }
      i += 4
      return v
    }

    mutating func string() throws -> String {
      i += 1
      var out: [UInt8] = []
      while i < bytes.count {
        let c = bytes[i]
        i += 1
        switch c {
        case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
        case UInt8(ascii: "\\"):
          guard i < bytes.count else { throw fail("unterminated escape") }
          let e = bytes[i]
          i += 1
          switch e {
          case UInt8(ascii: "n"): out.append(0x0A)
          case UInt8(ascii: "t"): out.append(0x09)
          case UInt8(ascii: "r"): out.append(0x0D)
          case UInt8(ascii: "b"): out.append(0x08)
          case UInt8(ascii: "f"): out.append(0x0C)
          case UInt8(ascii: "u"):
            var v = try hex4()
            if (0xD800..<0xDC00).contains(v), i + 6 <= bytes.count, bytes[i] == UInt8(ascii: "\\"),
              bytes[i + 1] == UInt8(ascii: "u")
            {
              i += 2
              let low = try hex4()
              v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
            }
            out += Array(String(Character(Unicode.Scalar(v) ?? "\u{FFFD}")).utf8)
          default: out.append(e)
          }
        default:
          guard c >= 0x20 else { throw fail("control character in a string") }
          out.append(c)
        }
      }
      throw fail("unterminated string")
    }
  }
}
