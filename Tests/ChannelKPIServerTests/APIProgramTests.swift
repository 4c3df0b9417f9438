import ChannelKPI
import Foundation
import Testing

/// `POST /api/v1/program`: definitions applied as a new version.
@Suite struct APIProgramTests {
  /// A body with the files given (name → YAML), JSON-encoded, and more members.
  static func body(_ files: [String: String], _ more: String = "") -> String {
    let members = files.keys.sorted().map { "\(JSON.string($0)):\(JSON.string(files[$0]!))" }
    return "{\"files\":{\(members.joined(separator: ","))}\(more)}"
  }

  /// New targets from 2025-Q2 on, without scorecards.
  static let targets = """
    targets:
      - kpi: win_rate
        scope: network
        grain: quarter
        value: 0.5

    """

  @Test func appliesANewVersion() async throws {
    try await withServer { server in
      let r = try await server.post(
        "/api/v1/program", Self.body(["targets.yaml": Self.targets], #","effective":"2025-04-01","note":"Q2 plan""#))
      #expect(r.status == 201)
      #expect(r.json() == .object(["version": .number(2), "effective": .string("2025-04-01")]))
      let versions = try await server.getJSON("/api/v1/program/versions")["versions"]?.array ?? []
      #expect(versions.count == 2)
      #expect(versions.last?["note"]?.string == "Q2 plan")
      #expect(versions.last?["targets"] == .number(1))
      #expect(versions.last?["scorecards"] == .number(0))
      // 2025-Q1 still reads version 1; 2025-Q2 reads version 2, which has no scorecards.
      let q1 = try await server.getJSON("/api/v1/targets?period=2025-Q1")
      #expect(q1["version"] == .number(1))
      let q2 = try await server.getJSON("/api/v1/targets?period=2025-Q2")
      #expect(q2["version"] == .number(2))
      #expect(q2["targets"]?.array?.map { $0["rule"] } == [.string("value 0.5")])
      #expect(close(q2["targets"]?[0]?["attainment"]?.number, 4.0 / 3))
      #expect(try await server.get("/api/v1/scorecards/network?period=2025-Q1").status == 200)
      expectError(
        try await server.get("/api/v1/scorecards/network?period=2025-Q2"), 409, code: "conflict",
        message: "the definitions v2 (effective 2025-04-01) have no network scorecard")
    }
  }

  @Test func theEffectiveDayDefaultsToTodayAndMayBeAPeriod() async throws {
    try await withServer { server in
      let today = try await server.post("/api/v1/program", Self.body(["t.yaml": Self.targets]))
      #expect(today.json() == .object(["version": .number(2), "effective": .string(Fixture.today)]))
      let period = try await server.post(
        "/api/v1/program", Self.body(["t.yaml": Self.targets], #","effective":"2025-Q3""#))
      #expect(period.json() == .object(["version": .number(3), "effective": .string("2025-07-01")]))
    }
  }

  @Test func newKPIsAreComputedOnceApplied() async throws {
    try await withServer { server in
      let kpis = Fixture.bigRevenueKPI
      expectError(try await server.get("/api/v1/values?kpi=big_revenue"), 400, code: "bad_request", parameter: "kpi")
      let r = try await server.post("/api/v1/program", Self.body(["kpis.yaml": kpis], #","effective":"2024-01-01""#))
      #expect(r.status == 201)
      // Won deals above 6000: D1 (10000) and D4 (8000) in Q1, D8 (12000) in Q2.
      #expect(try await server.value("big_revenue", "network", "2025-Q1") == 18000)
      #expect(try await server.value("big_revenue", "network", "2025-Q2") == 12000)
      let catalog = try await server.getJSON("/api/v1/kpis")["kpis"]?.array ?? []
      #expect(catalog.contains { $0["id"]?.string == "big_revenue" })
    }
  }

  @Test func rejectsBadDefinitionsAndStoresNothing() async throws {
    try await withServer { server in
      let bad = """
        targets:
          - kpi: revnue
            value: 1

        """
      expectProblems(
        try await server.post("/api/v1/program", Self.body(["targets.yaml": bad])),
        [("targets.yaml:2:10", "unknown KPI 'revnue'; did you mean 'revenue'?")])
      expectProblems(
        try await server.post("/api/v1/program", #"{"effective":"2025-01-01"}"#),
        [("/files", "must be an object of file names to YAML texts")])
      expectProblems(
        try await server.post("/api/v1/program", #"{"files":{}}"#), [("/files", "must be an object of file names")])
      expectProblems(
        try await server.post("/api/v1/program", #"{"files":{"a/b.yaml":1}}"#),
        [("/files/a~1b.yaml", "must be the YAML text")])
      expectProblems(
        try await server.post("/api/v1/program", Self.body(["t.yaml": Self.targets], #","effective":"soon""#)),
        [("/effective", "must be a date YYYY-MM-DD or a period")])
      expectProblems(try await server.post("/api/v1/program", "[1]"), [("", "the body must be an object with 'files'")])
      expectError(
        try await server.post("/api/v1/program", "{\"files\":"), 400, code: "bad_request",
        message: "the body is not valid JSON: it ends before the JSON is complete at line 1, column 10")
      expectError(
        try await server.post("/api/v1/program", Self.body(["t.yaml": Self.targets]), contentType: "application/yaml"),
        415, code: "unsupported_media_type")
      let versions = try await server.getJSON("/api/v1/program/versions")["versions"]?.array
      #expect(versions?.count == 1)
    }
  }
}
