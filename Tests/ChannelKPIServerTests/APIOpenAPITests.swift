import ChannelKPI
import ChannelKPIServer
import ChannelKPIStore
import Foundation
import Hummingbird
import Testing

/// The OpenAPI document against the server: every route documented, every documented operation
/// routed, and every example a real request and answer of a server over the demo program.
@Suite struct APIOpenAPITests {
  static let methods = ["get", "put", "post", "delete", "patch", "head", "options"]

  /// The document the server serves.
  static func document() async throws -> JSONNode {
    try await withServer(seed: Fixture.empty) { server in try await server.getJSON("/openapi.json") }
  }

  /// Every operation of the document: path, method and the operation object.
  static func operations(_ doc: JSONNode) -> [(path: String, method: String, op: JSONNode)] {
    var out: [(String, String, JSONNode)] = []
    for (path, item) in (doc["paths"]?.object ?? [:]).sorted(by: { $0.key < $1.key }) {
      for m in methods { if let op = item[m] { out.append((path, m, op)) } }
    }
    return out
  }

  /// Whether a documented path is served by a route path (`{x}` in a route matches any segment).
  static func matches(_ documented: String, route: String) -> Bool {
    let d = documented.split(separator: "/", omittingEmptySubsequences: true)
    let r = route.split(separator: "/", omittingEmptySubsequences: true)
    guard d.count == r.count else { return false }
    return zip(d, r).allSatisfy { $0 == $1 || ($1.hasPrefix("{") && $1.hasSuffix("}")) || $1.hasPrefix(":") }
  }

  /// The routes the router serves, as `METHOD /path` with `{name}` captures; the dashboard's
  /// catch-all not-found page (`**`) is left out.
  static func routes() async throws -> [(method: String, path: String)] {
    try await withServer(seed: Fixture.empty) { server in
      buildRouter(service: server.service, metrics: nil).routes.map { r in
        let path =
          "/"
          + "\(r.path)".split(separator: "/").map { p in p.hasPrefix(":") ? "{\(p.dropFirst())}" : String(p) }
          .joined(separator: "/")
        return (r.method.rawValue.lowercased(), path)
      }.filter { !$0.path.contains("*") }
    }
  }

  @Test func everyRouteIsDocumented() async throws {
    let doc = try await Self.document()
    let routes = try await Self.routes()
    #expect(routes.count >= 19)
    let operations = Self.operations(doc)
    for route in routes {
      let documented = operations.filter { $0.method == route.method && Self.matches($0.path, route: route.path) }
      #expect(!documented.isEmpty, "\(route.method.uppercased()) \(route.path) is not in the OpenAPI document")
      if route.path == "/api/v1/facts/{table}" {
        // Documented table by table.
        #expect(
          Set(documented.map(\.path)) == Set(CanonicalTable.allCases.map { "/api/v1/facts/\($0.rawValue)" }),
          "the tables documented")
      }
    }
  }

  @Test func everyDocumentedOperationIsRouted() async throws {
    let doc = try await Self.document()
    let routes = try await Self.routes()
    for (path, method, op) in Self.operations(doc) {
      #expect(
        routes.contains { $0.method == method && Self.matches(path, route: $0.path) },
        "\(method.uppercased()) \(path) (\(op["operationId"]?.string ?? "?")) has no route")
      #expect(op["operationId"]?.string != nil, "\(method) \(path) has no operationId")
      #expect(op["responses"]?.object?.isEmpty == false, "\(method) \(path) has no responses")
    }
    let ids = Self.operations(doc).compactMap { $0.op["operationId"]?.string }
    #expect(Set(ids).count == ids.count, "operation ids are unique")
  }

  @Test func theSchemasUseOnlyWhatTheCheckerChecks() async throws {
    let doc = try await Self.document()
    let checker = SchemaChecker(document: doc)
    var problems: [String] = []
    for (name, schema) in doc["components"]?["schemas"]?.object ?? [:] {
      problems += checker.unsupported(schema, at: "#/components/schemas/\(name)")
    }
    for (path, method, op) in Self.operations(doc) {
      for p in op["parameters"]?.array ?? [] {
        problems += checker.unsupported(p["schema"] ?? .null, at: "\(method) \(path) \(p["name"]?.string ?? "?")")
      }
      for (type, media) in op["requestBody"]?["content"]?.object ?? [:] {
        problems += checker.unsupported(media["schema"] ?? .null, at: "\(method) \(path) body \(type)")
      }
      for (status, response) in op["responses"]?.object ?? [:] {
        for (type, media) in response["content"]?.object ?? [:] {
          problems += checker.unsupported(media["schema"] ?? .null, at: "\(method) \(path) \(status) \(type)")
        }
      }
    }
    #expect(problems == [])
  }

  @Test func recordSchemasAreTheCanonicalSchema() async throws {
    let doc = try await Self.document()
    let schemas = doc["components"]?["schemas"]
    for t in CanonicalTable.allCases {
      let name = t.rawValue.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
      let record = try #require(schemas?["\(name)Record"], "\(name)Record")
      #expect(Set(record["properties"]?.object?.keys.map { $0 } ?? []) == Set(t.schema.columns.map(\.name)))
      #expect(
        Set(record["required"]?.array?.compactMap(\.string) ?? [])
          == Set(t.schema.columns.filter(\.required).map(\.name)))
      #expect(record["additionalProperties"] == .bool(false))
      let op = try #require(doc["paths"]?["/api/v1/facts/\(t.rawValue)"]?["post"], "POST /api/v1/facts/\(t.rawValue)")
      #expect(
        op["requestBody"]?["content"]?["application/json"]?["schema"]
          == .object(["$ref": .string("#/components/schemas/\(name)Batch")]))
      #expect(
        Set(op["responses"]?.object?.keys.map { $0 } ?? [])
          == ["200", "400", "401", "403", "413", "415", "422", "503", "507"])
    }
    for (kpi, vocabulary) in RecordValidator.vocabularies[.deals] ?? [:] {
      // An optional field also takes "" (absent): its vocabulary is the first alternative.
      let field = schemas?["DealsRecord"]?["properties"]?[kpi]
      let e = (field?["anyOf"]?[0] ?? field)?["enum"]?.array?.compactMap(\.string)
      #expect(e == vocabulary, "deals.\(kpi)")
    }
  }

  // MARK: Examples

  /// One request the document describes: a named example (`nil`: the operation's default
  /// request), and the answer it documents.
  struct Scenario: CustomStringConvertible {
    var name: String?
    var method: String
    var template: String
    var target: String
    var body: JSONNode?
    /// `application/json` or `multipart/form-data`.
    var bodyType: String?
    var requestSchema: JSONNode?
    /// The status and media type whose examples hold `name`; for the default request, the first
    /// 2xx status and its first media type.
    var status: String
    var mediaType: String?
    var responseSchema: JSONNode?
    var example: JSONNode?

    var description: String { "\(method.uppercased()) \(template) [\(name ?? "default")]" }
  }

  static let queryAllowed = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+#"))

  static func text(_ v: JSONNode) -> String {
    switch v {
    case .string(let s): return s
    case .array(let items): return items.map(text).joined(separator: ",")
    default: return v.description
    }
  }

  /// Sign-in and the portal's forms answer with redirects and cookies; `AuthFlowTests` and
  /// `PortalTests` follow them.
  static let formFlows: Set<String> = [
    "login", "logout", "portalAcknowledge", "portalReply", "dashboardAcknowledgeAlert", "dashboardAddWebhook",
    "dashboardTestWebhook",
  ]

  /// The operations a partner's key calls (the others: the admin's).
  static let partnerOperations: Set<String> = ["portal", "portalReport", "acknowledgeReview"]

  static func scenarios(_ doc: JSONNode) -> [Scenario] {
    var out: [Scenario] = []
    for (path, method, op) in operations(doc) where !formFlows.contains(op["operationId"]?.string ?? "") {
      let parameters = op["parameters"]?.array ?? []
      let bodyType = ["application/json", "multipart/form-data"].first { op["requestBody"]?["content"]?[$0] != nil }
      let bodyMedia = bodyType.flatMap { op["requestBody"]?["content"]?[$0] }
      var names = Set<String>()
      for p in parameters { names.formUnion(p["examples"]?.object?.keys.map { $0 } ?? []) }
      names.formUnion(bodyMedia?["examples"]?.object?.keys.map { $0 } ?? [])
      let list: [String?] = (bodyMedia == nil ? [nil] : []) + names.sorted().map { $0 }
      let responses = op["responses"]?.object ?? [:]
      for name in list {
        var target = path
        var query: [String] = []
        for p in parameters {
          let pname = p["name"]?.string ?? "?"
          let value = name.flatMap { p["examples"]?[$0]?["value"] }
          if p["in"]?.string == "path" {
            let v = value ?? p["schema"]?["examples"]?[0] ?? .string("?")
            let encoded = text(v).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "?"
            target = target.replacingOccurrences(of: "{\(pname)}", with: encoded)
          } else if let value {
            query.append("\(pname)=\(text(value).addingPercentEncoding(withAllowedCharacters: queryAllowed) ?? "?")")
          }
        }
        if !query.isEmpty { target += "?" + query.joined(separator: "&") }
        var scenario = Scenario(
          name: name, method: method, template: path, target: target,
          body: name.flatMap { bodyMedia?["examples"]?[$0]?["value"] }, bodyType: bodyType,
          requestSchema: bodyMedia?["schema"], status: "?")
        for (status, response) in responses.sorted(by: { $0.key < $1.key }) {
          for (type, media) in (response["content"]?.object ?? [:]).sorted(by: { $0.key < $1.key }) {
            if let name, let example = media["examples"]?[name] {
              scenario.status = status
              scenario.mediaType = type
              scenario.responseSchema = media["schema"]
              scenario.example = example["value"]
            } else if name == nil, scenario.status == "?", status.hasPrefix("2") {
              scenario.status = status
              scenario.mediaType = type
              scenario.responseSchema = media["schema"]
            }
          }
          if name == nil, scenario.status == "?", status.hasPrefix("2") { scenario.status = status }
        }
        out.append(scenario)
      }
    }
    // Reads first, then writes; writes to what a path parameter names (an approval to revoke) after
    // those that create it.
    let writes = out.filter { $0.method != "get" }
    return out.filter { $0.method == "get" } + writes.filter { !$0.template.contains("{") }
      + writes.filter { $0.template.contains("{") }
  }

  @Test func examplesMatchTheirSchemas() async throws {
    let doc = try await Self.document()
    let checker = SchemaChecker(document: doc)
    var checked = 0
    for (path, method, op) in Self.operations(doc) {
      for (status, response) in op["responses"]?.object ?? [:] {
        for (type, media) in response["content"]?.object ?? [:] where type.hasSuffix("json") {
          for (name, example) in media["examples"]?.object ?? [:] {
            let errors = checker.errors(example["value"] ?? .null, media["schema"] ?? .null)
            #expect(errors == [], "\(method) \(path) \(status) example \(name)")
            checked += 1
          }
        }
      }
    }
    // Request examples that get a 2xx are valid requests.
    for s in Self.scenarios(doc) where s.status.hasPrefix("2") {
      if let body = s.body, let schema = s.requestSchema, s.bodyType == "application/json" {
        #expect(checker.errors(body, schema) == [], "\(s) body")
        checked += 1
      }
      let op = doc["paths"]?[s.template]?[s.method]
      for p in op?["parameters"]?.array ?? [] {
        guard let name = s.name, let value = p["examples"]?[name]?["value"] else { continue }
        #expect(checker.errors(value, p["schema"] ?? .null) == [], "\(s) parameter \(p["name"]?.string ?? "?")")
        checked += 1
      }
    }
    #expect(checked > 60)
  }

  /// The demo program, as `channelkpi serve --demo` seeds it.
  static func seedDemo(_ store: any Store) async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("channelkpi-api-demo-\(UUID().uuidString)")
      .path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let config = DemoConfiguration()
    var sink = try CSVDirectorySink(directory: dir)
    DemoProgram.generate(config, into: &sink)
    sink.flush()
    var source = CSVImportSource(files: try CSVImportSource.resolve([dir]), known: [:], options: ImportOptions())
    _ = try await store.upsert(from: &source)
    try await store.recordImport(source.summary, finishedAt: "2026-01-15T08:00:00Z")
    let files = DemoProgram.definitions(config)
    _ = try ProgramFiles.parse(files)
    _ = try await store.addProgramVersion(
      files: files, effective: config.firstMonth.firstDay, appliedAt: "2026-01-15T08:00:00Z", note: "demo program")
    // The webhook the demo's alert rules notify, which the webhook examples test and list.
    _ = try await store.addWebhook(
      Webhook(
        name: "channel-ops", url: "https://hooks.example.com/channel-ops", secret: "s",
        createdAt: "2026-01-15T08:00:00Z",
        createdBy: "admin"))
    // Keys 1 and 2 (admin, analyst) and 3 (P0007's staff); the examples revoke key 4, the one they make.
    try await TestKeys.seed(store)
    try await TestKeys.add(partnerKey, Grant(role: .partner, partner: "P0007"), scopes: [.read, .admin], to: store)
  }

  static let partnerKey = "ckpi_test_partner_P0007"

  /// A form of the members of `value`; members whose schema has a `contentMediaType` are files.
  static func multipart(_ value: JSONNode, schema: JSONNode?) -> (Data, String) {
    let boundary = "----channelkpi-\(UUID().uuidString)"
    var out = ""
    for (name, v) in (value.object ?? [:]).sorted(by: { $0.key < $1.key }) {
      out += "--\(boundary)\r\n"
      if let type = schema?["properties"]?[name]?["contentMediaType"]?.string {
        out +=
          "Content-Disposition: form-data; name=\"\(name)\"; filename=\"upload.csv\"\r\nContent-Type: \(type)\r\n\r\n"
      } else {
        out += "Content-Disposition: form-data; name=\"\(name)\"\r\n\r\n"
      }
      out += text(v) + "\r\n"
    }
    out += "--\(boundary)--\r\n"
    return (Data(out.utf8), "multipart/form-data; boundary=\(boundary)")
  }

  @Test func everyScenarioGetsItsDocumentedAnswer() async throws {
    try await withServer(today: "2026-01-15", seed: Self.seedDemo) { server in
      // A running server evaluates the alert rules on start (its scheduler); the examples name
      // the alerts that evaluation stores.
      try await server.service.evaluateAllAlerts()
      let doc = try await server.getJSON("/openapi.json")
      let checker = SchemaChecker(document: doc)
      let scenarios = Self.scenarios(doc)
      #expect(scenarios.count > 60)
      var answered = Set<String>()
      for s in scenarios {
        guard s.status != "?" else {
          Issue.record("\(s): no response documents the example")
          continue
        }
        let r: HTTPResult
        let id = doc["paths"]?[s.template]?[s.method]?["operationId"]?.string ?? ""
        let key = Self.partnerOperations.contains(id) ? Self.partnerKey : TestKeys.admin
        if let body = s.body, s.bodyType == "multipart/form-data" {
          let (data, type) = Self.multipart(body, schema: s.requestSchema)
          r = try await server.request("POST", s.target, headers: ["Content-Type": type], body: data, key: key)
        } else if let body = s.body {
          r = try await server.request(
            "POST", s.target, headers: ["Content-Type": "application/json"], body: Data(body.description.utf8), key: key
          )
        } else {
          r = try await server.request(s.method.uppercased(), s.target, key: key)
        }
        #expect("\(r.status)" == s.status, "\(s) \(s.target): \(r.status) \(r.text.prefix(300))")
        if let type = s.mediaType {
          #expect(r.contentType?.hasPrefix(type) == true, "\(s): \(r.contentType ?? "no content type")")
        }
        if s.mediaType?.hasSuffix("json") == true, let schema = s.responseSchema {
          let json = r.json()
          #expect(checker.errors(json, schema) == [], "\(s): \(r.text.prefix(300))")
          // Error examples are the answers themselves.
          if r.status >= 400, let example = s.example { #expect(json == example, "\(s)") }
        } else if s.mediaType == "text/csv", case .string(let example)? = s.example {
          #expect(r.text.split(separator: "\n").first == example.split(separator: "\n").first, "\(s) CSV header")
        }
        if r.status < 300 { answered.insert("\(s.method) \(s.template)") }
      }
      // Every operation answered at least once with a success: none is missing (404, 405).
      for (path, method, op) in Self.operations(doc) where !Self.formFlows.contains(op["operationId"]?.string ?? "") {
        #expect(answered.contains("\(method) \(path)"), "\(method.uppercased()) \(path) never succeeded")
      }
    }
  }
}
