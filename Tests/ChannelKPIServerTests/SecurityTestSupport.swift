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

/// A clock the tests move, for session expiry.
final class TestClock: @unchecked Sendable {
  private let lock = NSLock()
  private var seconds: Int64
  init(_ start: Int64 = 1_750_000_000) { seconds = start }
  var now: Int64 { lock.withLock { seconds } }
  func advance(_ s: Int64) { lock.withLock { seconds += s } }
}

/// An answer, with its headers and every `Set-Cookie`.
struct RawAnswer: Sendable {
  var status: Int
  var headers: [String: String]
  var cookies: [String]
  var body: String

  var location: String? { headers["location"] }
  /// The value a `Set-Cookie` gives a cookie (nil when not set).
  func cookie(_ name: String) -> String? {
    for c in cookies {
      let first = c.split(separator: ";").first.map(String.init) ?? ""
      if first.hasPrefix(name + "=") { return String(first.dropFirst(name.count + 1)) }
    }
    return nil
  }
  func setCookie(_ name: String) -> String? { cookies.first { $0.hasPrefix(name + "=") } }
  var json: JSONNode { (try? JSONNode.parse(body)) ?? .null }
}

/// Requests as a browser or a program would make them, but with nothing done behind the test's
/// back: no redirect followed, no cookie kept.
final class RawClient: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
  let base: String
  private lazy var session: URLSession = {
    let c = URLSessionConfiguration.ephemeral
    c.httpShouldSetCookies = false
    c.httpCookieAcceptPolicy = .never
    c.httpCookieStorage = nil
    return URLSession(configuration: c, delegate: self, delegateQueue: nil)
  }()

  init(base: String) { self.base = base }

  func urlSession(
    _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
    newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
  ) {
    completionHandler(nil)
  }

  func send(
    _ method: String, _ path: String, headers: [String: String] = [:], body: String? = nil
  ) async throws -> RawAnswer {
    var request = URLRequest(url: URL(string: base + path)!)
    request.httpMethod = method
    for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
    if let body { request.httpBody = Data(body.utf8) }
    let (data, response) = try await session.data(for: request)
    let http = response as! HTTPURLResponse
    var fields: [String: String] = [:]
    var cookies: [String] = []
    for (k, v) in http.allHeaderFields {
      guard let k = k as? String, let v = v as? String else { continue }
      fields[k.lowercased()] = v
      if k.lowercased() == "set-cookie" { cookies += Self.splitCookies(v) }
    }
    return RawAnswer(
      status: http.statusCode, headers: fields, cookies: cookies, body: String(decoding: data, as: UTF8.self))
  }

  /// Several `Set-Cookie` headers arrive joined by commas; none of ours has a comma of its own.
  static func splitCookies(_ v: String) -> [String] {
    v.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
  }
}

/// How a test caller proves who it is.
enum Credential: Sendable {
  case none
  case key(String)
  /// A session token and its CSRF token.
  case session(String, csrf: String)

  var headers: [String: String] {
    switch self {
    case .none: [:]
    case .key(let k): ["Authorization": "Bearer \(k)"]
    case .session(let t, let csrf): ["Cookie": "ckpi_session=\(t)", "X-CSRF-Token": csrf]
    }
  }
}

/// The dashboard fixture with incentives, its users and keys, served with a clock the test moves.
struct SecureServer: Sendable {
  static let password = "correct horse battery"
  let client: RawClient
  let service: KPIService
  let clock: TestClock
  let policy: AuthPolicy
  let store: any Store

  /// Users (username, name, grant); all have `password`.
  static let users: [(String, String, Grant)] = [
    ("root", "Root Admin", Grant(role: .admin)),
    ("ann", "Ann Lee", Grant(role: .manager)),
    ("leader", "Lee Leader", Grant(role: .manager, allPartners: true)),
    ("analyst", "Ana Lyst", Grant(role: .analyst)),
    ("p1", "Staff of P1", Grant(role: .partner, partner: "P1")),
    ("p2", "Staff of P2", Grant(role: .partner, partner: "P2")),
  ]

  /// Keys with known secrets.
  static let keys: [(String, Grant, Set<KeyScope>)] = [
    ("ckpi_sec_admin", Grant(role: .admin), Set(KeyScope.allCases)),
    ("ckpi_sec_ingest", Grant(role: .admin), [.ingest]),
    ("ckpi_sec_ann", Grant(role: .manager, manager: "Ann Lee"), [.read, .admin]),
    ("ckpi_sec_leader", Grant(role: .manager, allPartners: true), [.read, .admin]),
    ("ckpi_sec_analyst", Grant(role: .analyst), [.read]),
    ("ckpi_sec_p1", Grant(role: .partner, partner: "P1"), [.read, .admin]),
    ("ckpi_sec_revoked", Grant(role: .admin), Set(KeyScope.allCases)),
  ]

  static func run(
    trustProxy: Bool = false, _ body: @Sendable (SecureServer) async throws -> Void
  ) async throws {
    Credentials.bcryptCost = 4
    let f = try await DashboardFixture.make(incentives: true)
    let store = await f.service.store
    for (u, name, grant) in users {
      _ = try await Accounts.addUser(
        username: u, name: name, grant: grant, password: password, by: "tests", store: store)
    }
    for (secret, grant, scopes) in keys { try await TestKeys.add(secret, grant, scopes: scopes, to: store) }
    let revoked = try #require(try await store.key(hash: Credentials.hash("ckpi_sec_revoked"))?.id)
    try await store.revokeKey(id: revoked, at: "2025-07-01T00:00:00Z")
    // Review 1: P1's, shared; 2: P2's, shared; 3: P1's, not shared.
    for (partner, shared) in [("P1", true), ("P2", true), ("P1", false)] {
      _ = try await store.addReview(
        Review(
          date: Day(iso: "2025-07-01")!, reviewer: "Ann Lee", partner: partner, kpi: "revenue",
          finding: "Finding for \(partner)", action: "Action for \(partner)", shared: shared))
    }
    let clock = TestClock()
    var policy = AuthPolicy()
    policy.now = { clock.now }
    policy.trustProxy = trustProxy
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    var logger = Logger(label: "security-tests")
    logger.logLevel = .critical
    let app = buildApplication(
      service: f.service, configuration: ServerConfiguration(port: 0, auth: policy), metrics: nil, logger: logger,
      onServerRunning: { continuation.yield($0) })
    let task = Task { try await app.runService(gracefulShutdownSignals: []) }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next() else {
      task.cancel()
      Issue.record("the server did not start")
      return
    }
    let server = SecureServer(
      client: RawClient(base: "http://127.0.0.1:\(port)"), service: f.service, clock: clock, policy: policy,
      store: store)
    do { try await body(server) } catch {
      task.cancel()
      _ = await task.result
      throw error
    }
    task.cancel()
    _ = await task.result
    withExtendedLifetime(f) {}
  }

  func send(_ method: String, _ path: String, as credential: Credential, body: String? = nil, type: String? = nil)
    async throws -> RawAnswer
  {
    var headers = credential.headers
    if let type { headers["Content-Type"] = type } else if body != nil { headers["Content-Type"] = "application/json" }
    return try await client.send(method, path, headers: headers, body: body)
  }

  func get(_ path: String, as credential: Credential) async throws -> RawAnswer {
    try await send("GET", path, as: credential)
  }

  /// Signs in through the form as a browser does; the session's token and CSRF token.
  func signIn(_ username: String, password: String = SecureServer.password, headers: [String: String] = [:])
    async throws -> (answer: RawAnswer, credential: Credential?)
  {
    let page = try await client.send("GET", "/login", headers: headers)
    let token = try #require(page.cookie("ckpi_login"))
    var h = headers
    h["Cookie"] = ["ckpi_login=\(token)", headers["Cookie"]].compactMap { $0 }.joined(separator: "; ")
    h["Content-Type"] = "application/x-www-form-urlencoded"
    let form =
      "_csrf=\(token)&username=\(DashboardQuery.encode(username))&password=\(DashboardQuery.encode(password))&next=%2F"
    let answer = try await client.send("POST", "/login", headers: h, body: form)
    guard let session = answer.cookie("ckpi_session"), !session.isEmpty else { return (answer, nil) }
    let me = try await client.send("GET", "/api/v1/me", headers: ["Cookie": "ckpi_session=\(session)"])
    let csrf = me.json["csrf_token"]?.string ?? ""
    return (answer, .session(session, csrf: csrf))
  }
}
