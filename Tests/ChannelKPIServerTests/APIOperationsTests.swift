import ChannelKPIServer
import Foundation
import Testing

/// Health, metrics, the import history, the OpenAPI document and paths without a route.
@Suite struct APIOperationsTests {
  @Test func health() async throws {
    try await withServer(seed: Fixture.empty) { server in
      let r = try await server.get("/healthz")
      #expect(r.status == 200)
      #expect(r.contentType == "application/json")
      #expect(r.text == "{\"status\":\"ok\"}\n")
    }
  }

  @Test func metricsCountRequestsAndStoredFacts() async throws {
    try await withServer(metrics: .shared) { server in
      _ = try await server.get("/api/v1/kpis")
      _ = try await server.get("/api/v1/partners/NOPE")
      let before = try await server.get("/metrics")
      #expect(before.status == 200)
      #expect(before.contentType == "text/plain; version=0.0.4")
      let text = before.text
      #expect(text.contains("# TYPE hb_requests counter"))
      #expect(
        text.contains(
          #"hb_requests{http_route="/api/v1/kpis",http_request_method="GET",http_response_status_code="200"}"#))
      #expect(
        text.contains(
          #"hb_requests{http_route="/api/v1/partners/{id}",http_request_method="GET",http_response_status_code="404"}"#
        ))
      // Error answers have their duration recorded like any other.
      #expect(
        (Self.sample(
          text,
          #"http_server_request_duration_count{http_route="/api/v1/partners/{id}",http_request_method="GET",http_response_status_code="404"}"#
        ) ?? 0) >= 1)
      #expect(text.contains("# TYPE channelkpi_facts_stored gauge"))
      #expect(Self.sample(text, #"channelkpi_facts_stored{table="deals"}"#) == 9)
      #expect(Self.sample(text, #"channelkpi_facts_stored{table="partners"}"#) == 4)
      let ingest = try await server.post(
        "/api/v1/facts/deals",
        #"{"records":[{"deal_id":"D10","partner_id":"P1","source":"sourced","created_on":"2025-05-01","stage":"open","amount":1}]}"#
      )
      #expect(ingest.status == 200)
      let after = try await server.get("/metrics").text
      #expect(Self.sample(after, #"channelkpi_facts_stored{table="deals"}"#) == 10)
      #expect((Self.sample(after, "channelkpi_engine_update_seconds_count") ?? 0) >= 1)
      #expect(
        after.contains(
          #"hb_requests{http_route="/api/v1/facts/{table}",http_request_method="POST",http_response_status_code="200"}"#
        ))
    }
  }

  /// The value of the sample whose name and labels are `series`.
  static func sample(_ text: String, _ series: String) -> Double? {
    for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
      return Double(line.dropFirst(series.count + 1).split(separator: " ").first ?? "")
    }
    return nil
  }

  @Test func metricsAreEmptyWithoutMetrics() async throws {
    try await withServer(seed: Fixture.empty) { server in
      let r = try await server.get("/metrics")
      #expect(r.status == 200)
      #expect(r.text == "")
    }
  }

  @Test func importHistory() async throws {
    try await withServer { server in
      let imports = try await server.getJSON("/api/v1/imports")
      #expect(
        imports
          == .object([
            "imports": .array([
              .object([
                "id": .number(1), "finished_at": .string("2025-07-01T07:00:00Z"),
                "files": .array([.string("fixture/partners.csv"), .string("fixture/deals.csv")]),
                "rows_read": .number(Double(Fixture.rowCount)), "rows_stored": .number(Double(Fixture.rowCount)),
                "rows_rejected": .number(0),
              ])
            ])
          ]))
      #expect(try await server.getJSON("/api/v1/imports?limit=1")["imports"]?.array?.count == 1)
      for limit in ["0", "1001", "x"] {
        expectError(
          try await server.get("/api/v1/imports?limit=\(limit)"), 400, code: "bad_request", parameter: "limit",
          message: "must be a whole number from 1 to 1000")
      }
      // Facts sent through the API are not imports.
      _ = try await server.post("/api/v1/facts/market", #"{"records":[]}"#)
      #expect(try await server.getJSON("/api/v1/imports")["imports"]?.array?.count == 1)
    }
  }

  @Test func theOpenAPIDocumentIsServed() async throws {
    try await withServer(seed: Fixture.empty) { server in
      let r = try await server.get("/openapi.json")
      #expect(r.status == 200)
      #expect(r.contentType == "application/json")
      let doc = r.json()
      #expect(doc["openapi"]?.string == "3.1.0")
      #expect(doc["info"]?["title"]?.string == "ChannelKPI")
      #expect((doc["paths"]?.object?.count ?? 0) > 20)
    }
  }

  @Test func pathsWithoutARouteAre404() async throws {
    try await withServer(seed: Fixture.empty) { server in
      expectError(
        try await server.get("/api/v1/nothing"), 404, code: "not_found",
        message: "no route GET /api/v1/nothing; see /openapi.json")
      expectError(
        try await server.post("/api/v1/partners/P1/notes", "{}"), 404, code: "not_found",
        message: "no route POST /api/v1/partners/P1/notes")
      let page = try await server.get("/nothing")
      #expect(page.status == 404)
      #expect(page.contentType == "text/html; charset=utf-8")
      // Nothing takes PUT outside the API: the router's plain 404.
      #expect(try await server.request("PUT", "/nothing/here").status == 404)
    }
  }

  @Test func aRouteCalledWithAnotherMethodIs405() async throws {
    try await withServer(seed: Fixture.empty) { server in
      let delete = try await server.request("DELETE", "/api/v1/kpis")
      expectError(
        delete, 405, code: "method_not_allowed", message: "/api/v1/kpis does not take DELETE; it takes GET, HEAD")
      #expect(delete.headers["allow"] == "GET, HEAD")
      let post = try await server.post("/api/v1/kpis", "{}")
      expectError(post, 405, code: "method_not_allowed", message: "/api/v1/kpis does not take POST; it takes GET, HEAD")
      // Captures match any value; routes that take both methods list both, GET first.
      let put = try await server.request("PUT", "/api/v1/facts/deals")
      expectError(put, 405, code: "method_not_allowed", message: "/api/v1/facts/deals does not take PUT; it takes POST")
      let reviews = try await server.request("DELETE", "/api/v1/reviews")
      expectError(reviews, 405, code: "method_not_allowed", message: "it takes GET, HEAD, POST")
      #expect(reviews.headers["allow"] == "GET, HEAD, POST")
      let program = try await server.get("/api/v1/program")
      expectError(program, 405, code: "method_not_allowed", message: "it takes POST")
      // A dashboard page: 405 with Allow too.
      let page = try await server.request("PUT", "/partners/P1")
      #expect(page.status == 405)
      #expect(page.headers["allow"] == "GET, HEAD")
      // HEAD is answered wherever GET is: the same status and headers, no body.
      let head = try await server.request("HEAD", "/api/v1/kpis")
      #expect(head.status == 200)
      #expect(head.contentType == "application/json; charset=utf-8")
      #expect(head.text.isEmpty)
      #expect(try await server.request("HEAD", "/api/v1/partners/NOPE").status == 404)
      #expect(try await server.request("HEAD", "/kpis").status == 200)
      // The upload takes both.
      let upload = try await server.request("DELETE", "/data/upload")
      #expect(upload.status == 405)
      #expect(upload.headers["allow"] == "GET, HEAD, POST")
    }
  }
}
