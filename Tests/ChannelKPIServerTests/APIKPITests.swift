import ChannelKPI
import Foundation
import Testing

/// `GET /api/v1/kpis` and `GET /api/v1/values` over the fixture.
@Suite struct APIKPITests {
  @Test func catalogListsTheBuiltinKPIs() async throws {
    try await withServer { server in
      let kpis = try await server.getJSON("/api/v1/kpis")["kpis"]?.array ?? []
      #expect(kpis.count == Catalog.builtin.kpis.count)
      #expect(kpis.compactMap { $0["id"]?.string } == Catalog.builtin.kpis.map(\.id))
      let revenue = try #require(kpis.first { $0["id"]?.string == "revenue" })
      #expect(
        revenue
          == .object([
            "id": .string("revenue"), "name": .string("Partner revenue"), "family": .string("partner_performance"),
            "unit": .string("money"), "better": .string("higher"), "stages": .array([.string("sell")]),
            "description": .string("Amount of the deals won in the period."),
            "formula": .string("sum(deals.amount where stage = 'won' and closed_on in period)"),
            "min": .number(0), "max": .null,
          ]))
      let cycle = try #require(kpis.first { $0["id"]?.string == "sales_cycle_days" })
      #expect(cycle["unit"]?.string == "days")
      #expect(cycle["better"]?.string == "lower")
      let win = try #require(kpis.first { $0["id"]?.string == "win_rate" })
      #expect(win["min"] == .number(0) && win["max"] == .number(1))
      let nps = try #require(kpis.first { $0["id"]?.string == "nps" })
      #expect(nps["min"] == .number(-100) && nps["max"] == .number(100))
    }
  }

  @Test func valuesByPartnerAndQuarter() async throws {
    try await withServer { server in
      let values =
        try await server.getJSON("/api/v1/values?kpi=revenue&by=partner&grain=quarter&from=2025-Q1&to=2025-Q2")[
          "values"]?.array ?? []
      // Revenue: P1 wins D1 + D2 in Q1 (15000) and D8 in Q2 (12000); P2 D4 (8000); P3 D7 in Q2 (6000); P4 nothing.
      let expected: [(String, String, Double)] = [
        ("partner:P1", "2025-Q1", 15000), ("partner:P1", "2025-Q2", 12000),
        ("partner:P2", "2025-Q1", 8000), ("partner:P2", "2025-Q2", 0),
        ("partner:P3", "2025-Q1", 0), ("partner:P3", "2025-Q2", 6000),
        ("partner:P4", "2025-Q1", 0), ("partner:P4", "2025-Q2", 0),
      ]
      #expect(values.count == expected.count)
      for (v, e) in zip(values, expected) {
        #expect(v["kpi"]?.string == "revenue")
        #expect(v["scope"]?.string == e.0)
        #expect(v["period"]?.string == e.1)
        #expect(v["value"]?.number == e.2, "\(e)")
      }
    }
  }

  @Test func valuesForTheNetworkByMonth() async throws {
    try await withServer { server in
      let values =
        try await server.getJSON("/api/v1/values?kpi=revenue&kpi=win_rate&grain=month&from=2025-01&to=2025-03")[
          "values"]?.array ?? []
      let got = values.map { "\($0["kpi"]!.string!) \($0["scope"]!.string!) \($0["period"]!.string!) \($0["value"]!)" }
      // Won in February: D1 (10000) and D4 (8000), nothing lost; in March: D2 won (5000), D3 and D5 lost.
      #expect(
        got == [
          "revenue network 2025-01 0", "revenue network 2025-02 18000", "revenue network 2025-03 5000",
          "win_rate network 2025-01 null", "win_rate network 2025-02 1",
          "win_rate network 2025-03 \(String(1.0 / 3))",
        ])
    }
  }

  @Test func valuesByTypeAndOtherKPIs() async throws {
    try await withServer { server in
      let values =
        try await server.getJSON("/api/v1/values?kpi=revenue,win_rate&by=type&grain=quarter&from=2025-Q1&to=2025-Q1")[
          "values"]?.array ?? []
      let got = values.map { "\($0["kpi"]!.string!) \($0["scope"]!.string!) \($0["value"]!)" }
      // Q1 closed deals are all resellers': 3 won of 5 closed.
      #expect(
        got == [
          "revenue type:msp 0", "revenue type:referral 0", "revenue type:reseller 23000", "win_rate type:msp null",
          "win_rate type:referral null", "win_rate type:reseller 0.6",
        ])
      #expect(try await server.value("win_rate", "network", "2025-Q1") == 0.6)
      #expect(close(try await server.value("win_rate", "partner:P1", "2025-Q1"), 2.0 / 3))
      #expect(try await server.value("win_rate", "network", "2025-Q2") == 2.0 / 3)
      // Two of the four Q1 leads converted; P1 has one of two.
      #expect(try await server.value("lead_conversion_rate", "network", "2025-Q1") == 0.5)
      #expect(try await server.value("lead_conversion_rate", "partner:P1", "2025-Q1") == 0.5)
      #expect(try await server.value("new_customers", "network", "2025-Q1") == 2)
      #expect(try await server.value("revenue", "region:emea", "2025") == 33000)
      #expect(try await server.value("revenue", "tier:gold", "2025-Q2") == 18000)
      // D6 (4000) is open at the end of Q1.
      #expect(try await server.value("open_pipeline", "network", "2025-Q1") == 4000)
    }
  }

  /// A scope that names no partner is a 404 naming the value (with the likely spelling), in the
  /// periods and the windows form alike, never values computed over nobody.
  @Test func scopesThatNameNothingAreNotFound() async throws {
    try await withServer { server in
      let range = "grain=quarter&from=2025-Q1&to=2025-Q1"
      for (query, message) in [
        ("kpi=revenue&by=partner&scope=partner:P1,partner:NOPE&\(range)", "no partner 'NOPE'"),
        ("kpi=revenue&by=partner&scope=partner:P9&\(range)", "no partner 'P9'; did you mean 'P1'?"),
        (
          "kpi=revenue&by=type&scope=type:resseller&\(range)",
          "no partner has the type 'resseller'; did you mean 'reseller'?"
        ),
        ("kpi=revenue&by=region&scope=region:mars&\(range)", "no partner has the region 'mars'"),
        ("kpi=revenue&by=tier&scope=tier:platinum&\(range)", "no partner has the tier 'platinum'"),
        ("kpi=revenue&by=partner&scope=partner:NOPE&window=2025-01:2025-03", "no partner 'NOPE'"),
      ] {
        let r = try await server.get("/api/v1/values?\(query)")
        expectError(r, 404, code: "not_found", message: message)
        #expect(r.json()["error"]?["message"]?.string == message, "\(query)")
      }
      // The scopes that exist still answer.
      #expect(try await server.value("revenue", "tier:gold", "2025-Q2") == 18000)
    }
  }

  @Test func valuesByDefaultCoverEveryKPIAndMonthOfTheData() async throws {
    try await withServer { server in
      let values = try await server.getJSON("/api/v1/values")["values"]?.array ?? []
      // The data runs from P1 joining (2024-01-15) to D9 closing (2025-06-10): 18 months.
      #expect(values.count == Catalog.builtin.kpis.count * 18)
      #expect(values.first?["period"]?.string == "2024-01")
      #expect(values.last?["period"]?.string == "2025-06")
      #expect(Set(values.compactMap { $0["scope"]?.string }) == ["network"])
    }
  }

  @Test func anIdWithACommaIsWrittenPercentEncodedInAList() async throws {
    try await withServer { server in
      let partner =
        #"{"records":[{"partner_id":"Smith, Jones & Co","name":"SJ","type":"msp","region":"emea","joined_on":"2024-01-01"}]}"#
      #expect(try await server.post("/api/v1/facts/partners", partner).status == 200)
      let deal =
        #"{"records":[{"deal_id":"SJ1","partner_id":"Smith, Jones & Co","source":"sourced","created_on":"2025-01-02","stage":"won","closed_on":"2025-02-01","amount":"1234.50"}]}"#
      #expect(try await server.post("/api/v1/facts/deals", deal).status == 200)
      let values =
        try await server.getJSON(
          "/api/v1/values?kpi=revenue&by=partner&scope=partner:Smith%2C%20Jones%20%26%20Co,partner:P2&grain=quarter&from=2025-Q1&to=2025-Q1"
        )["values"]?.array ?? []
      // Scopes come sorted by id.
      #expect(values.map { $0["scope"]?.string ?? "" } == ["partner:P2", "partner:Smith, Jones & Co"])
      #expect(values.map { $0["value"]?.number ?? -1 } == [8000, 1234.5])
      // A repeated parameter, and + for a space, work as well.
      let repeated =
        try await server.getJSON(
          "/api/v1/values?kpi=revenue&by=partner&scope=partner:Smith%2C+Jones+%26+Co&scope=partner:P2&grain=quarter&from=2025-Q1&to=2025-Q1"
        )["values"]?.array ?? []
      #expect(repeated.count == 2)
    }
  }

  @Test func valuesAsCSVAreTheCLIsCSV() async throws {
    try await withServer { server in
      let q = "kpi=revenue,win_rate&by=partner&scope=partner:P1,partner:P2&grain=quarter&from=2025-Q1&to=2025-Q1"
      let expected = """
        kpi,scope,period,value
        revenue,partner:P1,2025-Q1,15000
        revenue,partner:P2,2025-Q1,8000
        win_rate,partner:P1,2025-Q1,\(String(2.0 / 3))
        win_rate,partner:P2,2025-Q1,0.5

        """
      let byAccept = try await server.get("/api/v1/values?\(q)", accept: "text/csv")
      #expect(byAccept.status == 200)
      #expect(byAccept.contentType == "text/csv; charset=utf-8")
      #expect(byAccept.text == expected)
      let byFormat = try await server.get("/api/v1/values?\(q)&format=csv")
      #expect(byFormat.contentType == "text/csv; charset=utf-8")
      #expect(byFormat.text == expected)
      // Exactly what `channelkpi compute --format csv` writes for the same request.
      let result = try server.service.compute(
        ComputeRequest(
          kpis: ["revenue", "win_rate"], by: .partner, grain: .quarter, from: Period("2025-Q1"), to: Period("2025-Q1"),
          scopes: [Scope(.partner, "P1"), Scope(.partner, "P2")]))
      var cli = ""
      ResultWriter.csv(result, to: { cli += $0 })
      #expect(byAccept.text == cli)
      // Empty fields for no value.
      let none = try await server.get("/api/v1/values?kpi=win_rate&grain=month&from=2025-01&to=2025-01&format=csv")
      #expect(none.text == "kpi,scope,period,value\nwin_rate,network,2025-01,\n")
    }
  }

  @Test func valuesRejectBadParameters() async throws {
    try await withServer { server in
      expectError(
        try await server.get("/api/v1/values?grain=week"), 400, code: "bad_request", parameter: "grain",
        message: "'week' is not a grain: month, quarter or year")
      expectError(
        try await server.get("/api/v1/values?by=country"), 400, code: "bad_request", parameter: "by",
        message: "'country' is not a scope kind")
      expectError(
        try await server.get("/api/v1/values?from=2025-Q5"), 400, code: "bad_request", parameter: "from",
        message: "'2025-Q5' is not a period")
      expectError(
        try await server.get("/api/v1/values?to=2025-13"), 400, code: "bad_request", parameter: "to",
        message: "'2025-13' is not a period")
      expectError(
        try await server.get("/api/v1/values?scope=partner"), 400, code: "bad_request", parameter: "scope",
        message: "'partner' is not a scope")
      expectError(
        try await server.get("/api/v1/values?by=type&scope=partner:P1"), 400, code: "bad_request", parameter: "scope",
        message: "'partner:P1' is not of the kind by=type")
      expectError(
        try await server.get("/api/v1/values?from=2025-Q2&to=2025-Q1"), 400, code: "bad_request",
        message: "the range is empty")
      expectError(
        try await server.get("/api/v1/values?grain=month&from=1000&to=2025"), 400, code: "bad_request",
        message: "the range covers 12312 periods")
    }
  }

  /// An unknown KPI gives 400 naming the parameter, like `GET /api/v1/partners?kpis=`.
  @Test func valuesRejectUnknownKPIs() async throws {
    try await withServer { server in
      let r = try await server.get("/api/v1/values?kpi=revnue")
      #expect(r.status == 400)
      #expect(r.json()["error"]?["message"]?.string == "unknown KPI 'revnue'; did you mean 'revenue'?")
      #expect(r.json()["error"]?["parameter"]?.string == "kpi")
    }
  }

  @Test func valuesOfAnEmptyDatabaseAreEmpty() async throws {
    try await withServer(seed: Fixture.empty) { server in
      #expect(try await server.getJSON("/api/v1/values") == .object(["values": .array([])]))
      let csv = try await server.get("/api/v1/values", accept: "text/csv")
      #expect(csv.text == "kpi,scope,period,value\n")
    }
  }
}
