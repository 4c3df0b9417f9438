import Foundation
import Testing

/// Scorecards, objectives, targets, definitions versions and the hygiene check over the fixture.
@Suite struct APIScorecardTests {
  static func item(_ card: JSONNode, _ kpi: String) -> JSONNode? {
    card["kpis"]?.array?.first { $0["kpi"]?.string == kpi }
  }

  /// Peer positions are kept between reads and made again once a write reaches the peers.
  @Test func peerPositionsFollowAWrite() async throws {
    try await withServer { server in
      func positions() async throws -> [String: JSONNode] {
        let r = try await server.getJSON("/api/v1/kpis/revenue/benchmarks?period=2025-Q1")
        let list = r["positions"]?.array ?? []
        return Dictionary(uniqueKeysWithValues: list.compactMap { p in p["partner"]?.string.map { ($0, p) } })
      }
      // The resellers in 2025-Q1: P1 15,000, P2 8,000. P1 is above its one peer, P2 below.
      var first = try await positions()
      first = try await positions()
      #expect(first["P1"]?["value"] == .number(15000) && first["P1"]?["percentile"] == .number(100))
      #expect(first["P2"]?["value"] == .number(8000) && first["P2"]?["percentile"] == .number(0))
      // A deal of 10,000 won by P2 in the quarter: 18,000 puts P2 above P1.
      let posted = try await server.post(
        "/api/v1/facts/deals",
        #"{"records":[{"deal_id":"D90","partner_id":"P2","source":"sourced","created_on":"2025-02-01","stage":"won","closed_on":"2025-03-01","amount":10000}]}"#
      )
      #expect(posted.status == 200, "\(posted.text)")
      let after = try await positions()
      #expect(after["P2"]?["value"] == .number(18000) && after["P2"]?["percentile"] == .number(100))
      #expect(after["P1"]?["value"] == .number(15000) && after["P1"]?["percentile"] == .number(0))
    }
  }

  @Test func partnerScorecard() async throws {
    try await withServer { server in
      let card = try await server.getJSON("/api/v1/partners/P1/scorecard?period=2025-Q1")
      #expect(card["scope"]?.string == "partner:P1")
      #expect(card["partner"]?.string == "Alpha")
      #expect(card["period"]?.string == "2025-Q1")
      #expect(card["scorecard"]?.string == "resellers")
      #expect(card["version"] == .number(1))
      #expect(card["effective"]?.string == "2024-01-01")
      // Revenue 15000 against P1's own target 20000: 0.75; win rate 2/3 against 0.5: 4/3, capped to 1.
      // Composite: (2 × 0.75 + 1 × 1) / 3.
      #expect(close(card["composite"]?.number, 100 * 2.5 / 3))
      #expect(card["rank"] == .number(1))
      #expect(card["peers"] == .number(2))
      #expect(card["percentile"] == .number(100))
      let revenue = try #require(Self.item(card, "revenue"))
      #expect(
        revenue
          == .object([
            "kpi": .string("revenue"), "name": .string("Partner revenue"), "unit": .string("money"),
            "better": .string("higher"), "weight": .number(2), "actual": .number(15000), "pace": .null,
            "target": .number(20000), "baseline": .number(20000), "baseline_method": .string("fixed 20000"),
            "target_rule": .string("partner:P1: value 20000"), "attainment": .number(0.75),
            "status": .string("off_track"), "version": .number(1),
          ]))
      let winRate = try #require(Self.item(card, "win_rate"))
      #expect(winRate["weight"] == .number(1))
      #expect(close(winRate["actual"]?.number, 2.0 / 3))
      #expect(winRate["target"] == .number(0.5))
      #expect(close(winRate["attainment"]?.number, 4.0 / 3))
      #expect(winRate["status"]?.string == "on_track")
      #expect(winRate["target_rule"]?.string == "type:reseller: value 0.5")

      // P2: revenue 8000 against the network's growth rule, 20000 × 1.1 = 22000; win rate 1/2 against 0.5.
      let p2 = try await server.getJSON("/api/v1/partners/P2/scorecard?period=2025-Q1")
      #expect(close(Self.item(p2, "revenue")?["target"]?.number, 22000))
      #expect(close(Self.item(p2, "revenue")?["attainment"]?.number, 8000.0 / 22000))
      #expect(Self.item(p2, "revenue")?["target_rule"]?.string == "network: baseline × (1 + 0.1)")
      #expect(Self.item(p2, "win_rate")?["attainment"] == .number(1))
      let p2Composite: Double = 100 * (2 * 8000 / 22000 + 1) / 3
      #expect(close(p2["composite"]?.number, p2Composite))
      #expect(p2["rank"] == .number(2))
      #expect(p2["percentile"] == .number(0))

      // Without a period: the quarter of the latest data. P1 in 2025-Q2: 12000 and 1 of 2.
      let latest = try await server.getJSON("/api/v1/partners/P1/scorecard")
      #expect(latest["period"]?.string == "2025-Q2")
      #expect(Self.item(latest, "revenue")?["actual"] == .number(12000))
      #expect(Self.item(latest, "win_rate")?["actual"] == .number(0.5))
    }
  }

  @Test func partnerScorecardErrors() async throws {
    try await withServer { server in
      expectError(
        try await server.get("/api/v1/partners/NOPE/scorecard"), 404, code: "not_found", message: "no partner 'NOPE'")
      expectError(
        try await server.get("/api/v1/partners/P1/scorecard?period=2025-Q0"), 400, code: "bad_request",
        parameter: "period", message: "'2025-Q0' is not a period")
      // P3 is an MSP: the definitions have no scorecard for MSPs.
      expectError(
        try await server.get("/api/v1/partners/P3/scorecard?period=2025-Q1"), 409, code: "conflict",
        message: "the definitions v1 (effective 2024-01-01) have no scorecard for partner type 'msp'")
    }
  }

  @Test func networkScorecard() async throws {
    try await withServer { server in
      let card = try await server.getJSON("/api/v1/scorecards/network?period=2025-Q1")
      #expect(card["scope"]?.string == "network")
      #expect(card["partner"] == .null)
      #expect(card["scorecard"]?.string == "program")
      #expect(card["rank"] == .null)
      #expect(card["peers"] == .null)
      #expect(card["percentile"] == .null)
      // Revenue 23000 against 22000: 1 + 1/22, capped to 1; win rate 0.6 against 0.7: 6/7.
      let revenue = try #require(Self.item(card, "revenue"))
      #expect(close(revenue["target"]?.number, 22000))
      #expect(close(revenue["attainment"]?.number, 1 + 1000.0 / 22000))
      #expect(revenue["status"]?.string == "on_track")
      let winRate = try #require(Self.item(card, "win_rate"))
      #expect(winRate["actual"] == .number(0.6))
      #expect(close(winRate["attainment"]?.number, 6.0 / 7))
      #expect(winRate["status"]?.string == "off_track")
      #expect(winRate["baseline"] == .null)
      #expect(close(card["composite"]?.number, 100 * (1 + 6.0 / 7) / 2))
      expectError(
        try await server.get("/api/v1/scorecards/network?period=Q1"), 400, code: "bad_request", parameter: "period")
    }
  }

  @Test func typeScorecards() async throws {
    try await withServer { server in
      let cards = try await server.getJSON("/api/v1/scorecards/types/reseller?period=2025-Q1")["scorecards"]?.array
      #expect(cards?.map { $0["scope"]?.string } == ["partner:P1", "partner:P2"])
      #expect(cards?.map { $0["rank"] } == [.number(1), .number(2)])
      #expect(cards?.map { $0["peers"] } == [.number(2), .number(2)])
      #expect(close(cards?.first?["composite"]?.number, 100 * 2.5 / 3))
      expectError(
        try await server.get("/api/v1/scorecards/types/nope"), 404, code: "not_found",
        message: "no partner has the type 'nope'")
      expectError(
        try await server.get("/api/v1/scorecards/types/msp?period=2025-Q1"), 409, code: "conflict",
        message: "have no scorecard for partner type 'msp'")
      expectError(
        try await server.get("/api/v1/scorecards/types/reseller?period=2025-W1"), 400, code: "bad_request",
        parameter: "period")
      // No reseller was in the program in 2023: no scorecards.
      #expect(
        try await server.getJSON("/api/v1/scorecards/types/reseller?period=2023-Q1")
          == .object(["scorecards": .array([])]))
    }
  }

  @Test func withoutDefinitionsScorecardsConflict() async throws {
    try await withServer(seed: Fixture.facts) { server in
      let m = "no program definitions are in force for 2025-Q1: apply some with channelkpi program apply DIR"
      expectError(
        try await server.get("/api/v1/scorecards/network?period=2025-Q1"), 409, code: "conflict", message: m)
      expectError(
        try await server.get("/api/v1/scorecards/types/reseller?period=2025-Q1"), 409, code: "conflict", message: m)
      expectError(
        try await server.get("/api/v1/partners/P1/scorecard?period=2025-Q1"), 409, code: "conflict", message: m)
      // Objectives and targets are empty, with no version.
      #expect(
        try await server.getJSON("/api/v1/objectives?period=2025-Q1")
          == .object(["period": .string("2025-Q1"), "version": .null, "objectives": .array([])]))
      #expect(
        try await server.getJSON("/api/v1/targets?period=2025-Q1")
          == .object(["period": .string("2025-Q1"), "version": .null, "targets": .array([])]))
      #expect(try await server.getJSON("/api/v1/program/versions") == .object(["versions": .array([])]))
    }
  }

  @Test func withoutDataThePeriodCannotDefault() async throws {
    try await withServer(seed: Fixture.empty) { server in
      for path in ["/api/v1/scorecards/network", "/api/v1/objectives", "/api/v1/targets", "/api/v1/check"] {
        expectError(try await server.get(path), 409, code: "conflict", message: "no data has been imported yet")
      }
      // No partner has a type yet, nor is there a partner.
      expectError(try await server.get("/api/v1/scorecards/types/reseller"), 404, code: "not_found")
      expectError(try await server.get("/api/v1/partners/P1/scorecard"), 404, code: "not_found")
    }
  }

  @Test func objectives() async throws {
    try await withServer { server in
      let q1 = try await server.getJSON("/api/v1/objectives?period=2025-Q1")
      #expect(
        q1
          == .object([
            "period": .string("2025-Q1"), "version": .number(1),
            "objectives": .array([
              .object([
                "id": .string("grow"), "name": .string("Grow revenue"), "description": .string("More won business."),
                "owner": .string("VP Sales"), "from": .string("2025-Q1"), "to": .null, "active": .bool(true),
                "kpis": .array([.string("revenue"), .string("win_rate")]),
              ])
            ]),
          ]))
      let before = try await server.getJSON("/api/v1/objectives?period=2024-12")
      #expect(before["period"]?.string == "2024-12")
      #expect(before["objectives"]?[0]?["active"] == .bool(false))
      #expect(try await server.getJSON("/api/v1/objectives")["period"]?.string == "2025-Q2")
      expectError(
        try await server.get("/api/v1/objectives?period=25-Q1"), 400, code: "bad_request", parameter: "period")
    }
  }

  @Test func targets() async throws {
    try await withServer { server in
      let page = try await server.getJSON("/api/v1/targets?period=2025-Q1")
      #expect(page["period"]?.string == "2025-Q1")
      #expect(page["version"] == .number(1))
      let targets = page["targets"]?.array ?? []
      let rules: [String] = targets.map { t in
        [t["kpi"], t["scope"], t["rule"]].map { $0?.string ?? "?" }.joined(separator: " ")
      }
      #expect(
        rules == [
          "revenue network baseline × (1 + 0.1)", "revenue partner:P1 value 20000", "win_rate network value 0.7",
          "win_rate type:reseller value 0.5",
        ])
      #expect(targets.allSatisfy { $0["grain"]?.string == "quarter" && $0["from"] == .null && $0["to"] == .null })
      #expect(targets[0]["baseline"] == .number(20000))
      #expect(close(targets[0]["target"]?.number, 22000))
      #expect(targets[0]["actual"] == .number(23000))
      #expect(targets[0]["status"]?.string == "on_track")
      #expect(targets[1]["actual"] == .number(15000))
      #expect(targets[1]["attainment"] == .number(0.75))
      #expect(targets[1]["status"]?.string == "off_track")
      #expect(targets[2]["baseline"] == .null)
      #expect(close(targets[2]["attainment"]?.number, 6.0 / 7))
      // Resellers together: 3 won of 5 closed, against 0.5.
      #expect(targets[3]["actual"] == .number(0.6))
      #expect(close(targets[3]["attainment"]?.number, 1.2))
      #expect(targets[3]["status"]?.string == "on_track")
      // Quarter targets do not apply to months.
      #expect(try await server.getJSON("/api/v1/targets?period=2025-02")["targets"] == .array([]))
      expectError(
        try await server.get("/api/v1/targets?period=2025-00"), 400, code: "bad_request", parameter: "period")
    }
  }

  @Test func programVersions() async throws {
    try await withServer { server in
      let versions = try await server.getJSON("/api/v1/program/versions")
      #expect(
        versions
          == .object([
            "versions": .array([
              .object([
                "version": .number(1), "effective": .string("2024-01-01"),
                "applied_at": .string("2025-07-01T08:00:00Z"),
                "note": .string("fixture"), "objectives": .number(1), "targets": .number(4), "scorecards": .number(2),
              ])
            ])
          ]))
    }
  }

  @Test func hygieneCheck() async throws {
    try await withServer { server in
      let check = try await server.getJSON("/api/v1/check?period=2025-Q2")
      #expect(check["period"]?.string == "2025-Q2")
      let findings = check["findings"]?.array ?? []
      for f in findings {
        #expect(f["subject"]?.string?.isEmpty == false)
        #expect(f["message"]?.string?.isEmpty == false)
        #expect(f["evidence"]?.array != nil)
      }
      // Every scorecard KPI has an objective and no scorecard has too many KPIs.
      #expect(!findings.contains { $0["rule"]?.string == "too_many_kpis" })
      #expect(!findings.contains { $0["rule"]?.string == "kpi_without_objective" })
      #expect(try await server.getJSON("/api/v1/check")["period"]?.string == "2025-Q2")
      expectError(try await server.get("/api/v1/check?period=soon"), 400, code: "bad_request", parameter: "period")
    }
  }
}
