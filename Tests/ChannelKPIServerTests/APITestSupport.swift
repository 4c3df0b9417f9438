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
