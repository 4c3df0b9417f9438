import Foundation
import Testing

/// `GET /api/v1/partners` and `GET /api/v1/partners/{id}` over the fixture.
@Suite struct APIPartnerTests {
  static func ids(_ page: JSONNode) -> [String] { page["partners"]?.array?.compactMap { $0["id"]?.string } ?? [] }

  @Test func listsEveryPartnerByDefault() async throws {
    try await withServer { server in
      let page = try await server.getJSON("/api/v1/partners")
      #expect(page["total"] == .number(4))
      #expect(page["limit"] == .number(50))
      #expect(page["offset"] == .number(0))
      #expect(page["period"] == .null)
      #expect(Self.ids(page) == ["P1", "P2", "P3", "P4"])
      #expect(
        page["partners"]?[3]
          == .object([
            "id": .string("P4"), "name": .string("Delta"), "type": .string("referral"), "region": .string("apac"),
            "country": .string("AU"), "tier": .null, "joined_on": .string("2025-01-10"),
            "left_on": .string("2025-05-01"), "manager": .null,
          ]))
    }
  }

  @Test func filtersSortsAndPages() async throws {
    try await withServer { server in
      #expect(Self.ids(try await server.getJSON("/api/v1/partners?type=reseller")) == ["P1", "P2"])
      #expect(Self.ids(try await server.getJSON("/api/v1/partners?region=emea")) == ["P1", "P3"])
      #expect(Self.ids(try await server.getJSON("/api/v1/partners?tier=gold")) == ["P1", "P3"])
      #expect(Self.ids(try await server.getJSON("/api/v1/partners?q=ALP")) == ["P1"])
      #expect(Self.ids(try await server.getJSON("/api/v1/partners?q=p3")) == ["P3"])
      #expect(Self.ids(try await server.getJSON("/api/v1/partners?type=reseller&region=na")) == ["P2"])
      #expect(Self.ids(try await server.getJSON("/api/v1/partners?sort=name&order=desc")) == ["P3", "P4", "P2", "P1"])
      #expect(Self.ids(try await server.getJSON("/api/v1/partners?sort=joined_on")) == ["P1", "P3", "P2", "P4"])
      // No tier sorts first; equal keys by id.
      #expect(Self.ids(try await server.getJSON("/api/v1/partners?sort=tier")) == ["P4", "P1", "P3", "P2"])
      #expect(Self.ids(try await server.getJSON("/api/v1/partners?sort=type&order=desc")) == ["P2", "P1", "P4", "P3"])
      let page = try await server.getJSON("/api/v1/partners?limit=2&offset=1")
      #expect(Self.ids(page) == ["P2", "P3"])
      #expect(page["total"] == .number(4))
      #expect(page["limit"] == .number(2))
      #expect(page["offset"] == .number(1))
      let beyond = try await server.getJSON("/api/v1/partners?offset=10")
      #expect(Self.ids(beyond) == [])
      #expect(beyond["total"] == .number(4))
    }
  }

  @Test func carriesKPIValuesAndSortsByThem() async throws {
    try await withServer { server in
      let page = try await server.getJSON(
        "/api/v1/partners?kpis=revenue,win_rate&period=2025-Q1&sort=revenue&order=desc")
      #expect(page["period"]?.string == "2025-Q1")
      #expect(Self.ids(page) == ["P1", "P2", "P3", "P4"])
      let kpis = page["partners"]?.array?.map { $0["kpis"] } ?? []
      #expect(kpis[0]?["revenue"] == .number(15000))
      #expect(close(kpis[0]?["win_rate"]?.number, 2.0 / 3))
      #expect(kpis[1] == .object(["revenue": .number(8000), "win_rate": .number(0.5)]))
      #expect(kpis[2] == .object(["revenue": .number(0), "win_rate": .null]))
      // Partners without a value go last whatever the order.
      #expect(
        Self.ids(try await server.getJSON("/api/v1/partners?kpis=win_rate&period=2025-Q1&sort=win_rate"))
          == ["P2", "P1", "P3", "P4"])
      #expect(
        Self.ids(try await server.getJSON("/api/v1/partners?kpis=win_rate&period=2025-Q1&sort=win_rate&order=desc"))
          == ["P1", "P2", "P3", "P4"])
      // Without a period: the quarter of the latest data (D9 closed on 2025-06-10).
      let latest = try await server.getJSON("/api/v1/partners?kpis=revenue&type=reseller")
      #expect(latest["period"]?.string == "2025-Q2")
      #expect(latest["partners"]?[0]?["kpis"] == .object(["revenue": .number(12000)]))
      // Any grain.
      let year = try await server.getJSON("/api/v1/partners?kpis=revenue&period=2025&q=P1")
      #expect(year["partners"]?[0]?["kpis"] == .object(["revenue": .number(27000)]))
    }
  }

  @Test func rejectsBadParameters() async throws {
    try await withServer { server in
      expectError(
        try await server.get("/api/v1/partners?sort=revenue"), 400, code: "bad_request", parameter: "sort",
        message: "'revenue' must be one of id, name, type, region, tier, joined_on")
      expectError(
        try await server.get("/api/v1/partners?order=up"), 400, code: "bad_request", parameter: "order",
        message: "must be one of asc, desc")
      for limit in ["0", "1001", "abc", "-1"] {
        expectError(
          try await server.get("/api/v1/partners?limit=\(limit)"), 400, code: "bad_request", parameter: "limit",
          message: "'\(limit)' must be a whole number from 1 to 1000")
      }
      expectError(
        try await server.get("/api/v1/partners?offset=-1"), 400, code: "bad_request", parameter: "offset",
        message: "must be a whole number from 0 to 10000000")
      expectError(
        try await server.get("/api/v1/partners?kpis=revnue"), 400, code: "bad_request", parameter: "kpis",
        message: "unknown KPI 'revnue'; did you mean 'revenue'?")
      expectError(
        try await server.get("/api/v1/partners?kpis=revenue&period=2025-Q5"), 400, code: "bad_request",
        parameter: "period", message: "'2025-Q5' is not a period")
    }
  }

  @Test func needsDataForKPIValuesWithoutAPeriod() async throws {
    try await withServer(seed: Fixture.empty) { server in
      expectError(
        try await server.get("/api/v1/partners?kpis=revenue"), 409, code: "conflict",
        message: "no data has been imported yet")
      let page = try await server.getJSON("/api/v1/partners")
      #expect(page["total"] == .number(0))
      #expect(page["partners"] == .array([]))
    }
  }

  @Test func onePartner() async throws {
    try await withServer { server in
      #expect(
        try await server.getJSON("/api/v1/partners/P1")
          == .object([
            "id": .string("P1"), "name": .string("Alpha"), "type": .string("reseller"), "region": .string("emea"),
            "country": .string("DE"), "tier": .string("gold"), "joined_on": .string("2024-01-15"), "left_on": .null,
            "manager": .string("Ann"),
          ]))
      expectError(
        try await server.get("/api/v1/partners/NOPE"), 404, code: "not_found", message: "no partner 'NOPE'")
      // Ids are case-sensitive.
      expectError(try await server.get("/api/v1/partners/p1"), 404, code: "not_found", message: "no partner 'p1'")
    }
  }
}
