import ChannelKPI
import Foundation
import Testing

/// `POST /api/v1/facts/{table}`: all or nothing, errors at JSON paths, and live KPIs.
@Suite struct APIFactsTests {
  static let wonDeal = """
    {"records":[{"deal_id":"D10","partner_id":"P2","source":"sourced","created_on":"2025-03-02","stage":"won",
    "closed_on":"2025-03-25","amount":2000.5}]}
    """

  @Test func anAcceptedBatchIsInTheNextRead() async throws {
    try await withServer { server in
      #expect(try await server.value("revenue", "partner:P2", "2025-Q1") == 8000)
      let r = try await server.post("/api/v1/facts/deals", Self.wonDeal)
      #expect(r.status == 200)
      #expect(r.contentType == "application/json; charset=utf-8")
      #expect(
        r.json()
          == .object([
            "table": .string("deals"), "received": .number(1), "stored": .number(1), "alerts": .array([]),
            "alerts_deferred": .bool(false),
          ]))
      // P2 now won D4 (8000) and D10 (2000.50) and lost D5.
      #expect(try await server.value("revenue", "partner:P2", "2025-Q1") == 10000.5)
      #expect(close(try await server.value("win_rate", "partner:P2", "2025-Q1"), 2.0 / 3))
      #expect(try await server.value("revenue", "network", "2025-03") == 7000.5)
      // Scorecards read the same engine: P2's revenue attainment is now 10000.5 / 22000.
      let card = try await server.getJSON("/api/v1/partners/P2/scorecard?period=2025-Q1")
      let revenue = card["kpis"]?.array?.first { $0["kpi"]?.string == "revenue" }
      #expect(close(revenue?["attainment"]?.number, 10000.5 / 22000))
      #expect(try await server.counts()[.deals] == 10)
    }
  }

  @Test func sendingTheSameBatchTwiceChangesNothing() async throws {
    try await withServer { server in
      let first = try await server.post("/api/v1/facts/deals", Self.wonDeal)
      #expect(first.status == 200)
      let before = try await server.getJSON("/api/v1/values?by=partner&grain=quarter&from=2025-Q1&to=2025-Q2")
      let counts = try await server.counts()
      let again = try await server.post("/api/v1/facts/deals", Self.wonDeal)
      #expect(again.status == 200)
      #expect(again.json()["received"] == .number(1))
      #expect(try await server.getJSON("/api/v1/values?by=partner&grain=quarter&from=2025-Q1&to=2025-Q2") == before)
      #expect(try await server.counts() == counts)
    }
  }

  @Test func aRecordWithAStoredKeyReplacesTheRow() async throws {
    try await withServer { server in
      // Market rows are keyed by region and month: EMEA's February market doubles. P1 won D1 (10000) then.
      #expect(try await server.value("market_share", "region:emea", "2025-02") == 10000.0 / 1_000_000)
      let m = try await server.post(
        "/api/v1/facts/market", #"{"records":[{"region":"emea","month":"2025-02","market_revenue":2000000}]}"#)
      #expect(m.status == 200)
      #expect(try await server.counts()[.market] == 1)
      #expect(try await server.value("market_share", "region:emea", "2025-02") == 10000.0 / 2_000_000)
      // D1 (10000, won in February) becomes 11000.25 and is lost.
      let r = try await server.post(
        "/api/v1/facts/deals",
        """
        {"records":[{"deal_id":"D1","partner_id":"P1","source":"sourced","created_on":"2025-01-05","stage":"lost",
        "closed_on":"2025-02-10","amount":"11000.25"}]}
        """)
      #expect(r.status == 200)
      #expect(try await server.value("revenue", "partner:P1", "2025-Q1") == 5000)
      #expect(try await server.value("win_rate", "partner:P1", "2025-Q1") == 1.0 / 3)
      #expect(try await server.counts()[.deals] == 9)
    }
  }

  @Test func aRejectedBatchStoresNothing() async throws {
    try await withServer { server in
      let values = try await server.getJSON("/api/v1/values?by=partner&grain=month&from=2025-01&to=2025-06")
      let counts = try await server.counts()
      // The first record is valid: it is not stored either.
      let r = try await server.post(
        "/api/v1/facts/deals",
        """
        {"records":[
          {"deal_id":"D11","partner_id":"P1","source":"sourced","created_on":"2025-03-02","stage":"won",
           "closed_on":"2025-03-05","amount":700},
          {"deal_id":"D12","partner_id":"P9","source":"direct","created_on":"2025-03-02","stage":"won",
           "amount":"12,50","colour":"red"},
          "D13",
          {"deal_id":"D14","partner_id":"P1","source":"influenced","created_on":"2025-03-10","stage":"open",
           "closed_on":"2025-03-12","amount":-1,"registered_on":"2025-03-11","product":true}
        ]}
        """)
      #expect(r.contentType == "application/json; charset=utf-8")
      expectProblems(
        r,
        [
          ("/records/1/colour", "is not a field of deals; its fields are deal_id, partner_id, customer_id, source"),
          ("/records/1/partner_id", "'P9' names no partner (not stored and not in this request)"),
          ("/records/1/amount", "must be an amount with at most 2 decimals"),
          ("/records/1/source", "must be one of sourced, influenced, co_sell (got 'direct')"),
          ("/records/1/closed_on", "is required when stage is won"),
          ("/records/2", "must be an object, not a string"),
          ("/records/3/product", "must be a string or a number, not a boolean"),
          ("/records/3/registration_status", "is required when registered_on is given"),
          ("/records/3/closed_on", "must be empty while the deal is open"),
          ("/records/3/amount", "must be ≥ 0.00"),
        ])
      #expect(try await server.counts() == counts)
      #expect(try await server.getJSON("/api/v1/values?by=partner&grain=month&from=2025-01&to=2025-06") == values)
    }
  }

  @Test func everyTableChecksItsRules() async throws {
    try await withServer { server in
      let counts = try await server.counts()
      let cases: [(CanonicalTable, String, [(String, String)])] = [
        (
          .partners,
          #"{"partner_id":"P9","name":"","type":"Big Reseller","region":"emea","country":"DEU","joined_on":"2025-02-30"}"#,
          [
            ("/records/0/name", "is required"), ("/records/0/type", "must be a slug"),
            ("/records/0/joined_on", "must be a calendar date YYYY-MM-DD (got '2025-02-30')"),
            ("/records/0/country", "must be an ISO 3166-1 alpha-2 code"),
          ]
        ),
        (
          .leads,
          #"{"lead_id":"L9","partner_id":"P1","campaign_id":"C9","created_on":"2025-02-01","converted_on":"2025-01-01"}"#,
          [
            ("/records/0/campaign_id", "'C9' names no campaign"),
            ("/records/0/converted_on", "must be on or after created_on (2025-02-01), got 2025-01-01"),
          ]
        ),
        (
          .campaigns,
          #"{"campaign_id":"C9","partner_id":"P1","name":"X","started_on":"2025-01-01","cost":10,"mdf_amount":11}"#,
          [("/records/0/mdf_amount", "must not exceed cost (10.00)")]
        ),
        (
          .webTraffic, #"{"partner_id":"P1","date":"2025-01-01","visits":1.5}"#,
          [("/records/0/visits", "must be a whole number (got '1.5')")]
        ),
        (
          .customers, #"{"customer_id":"K9","partner_id":"P1","acquired_on":"2025-01-01","churned_on":"2024-12-31"}"#,
          [("/records/0/churned_on", "must be on or after acquired_on")]
        ),
        (
          .surveys, #"{"response_id":"R9","partner_id":"P1","responded_on":"2025-01-01","score":"11"}"#,
          [("/records/0/score", "must be between 0 and 10, got 11")]
        ),
        (
          .supportTickets,
          #"{"ticket_id":"T9","partner_id":"P1","opened_at":"2025-01-01T10:00:00Z","resolved_at":"2025-01-01T09:00:00Z","satisfaction":6}"#,
          [
            ("/records/0/resolved_at", "must not be before opened_at"),
            ("/records/0/satisfaction", "must be between 1 and 5, got 6"),
          ]
        ),
        (
          .certifications, #"{"certification_id":"X9","partner_id":"P1","program":"sales","enrolled_on":"2025-01-01"}"#,
          [("/records/0/person_id", "is required")]
        ),
        (
          .market, #"{"region":"emea","month":"2025-13","market_revenue":"0"}"#,
          [("/records/0/month", "must be a month YYYY-MM"), ("/records/0/market_revenue", "must be > 0")]
        ),
      ]
      for (table, record, problems) in cases {
        let r = try await server.post("/api/v1/facts/\(table.rawValue)", #"{"records":[\#(record)]}"#)
        expectProblems(r, problems.map { (path: $0.0, message: $0.1) })
      }
      #expect(try await server.counts() == counts)
    }
  }

  @Test func theBodyMustBeRecords() async throws {
    try await withServer { server in
      expectProblems(try await server.post("/api/v1/facts/deals", "[]"), [("", "the body must be an object")])
      expectProblems(
        try await server.post("/api/v1/facts/deals", #"{"records":[],"extra":1}"#),
        [("/extra", "unknown member; the body has only 'records'")])
      expectProblems(
        try await server.post("/api/v1/facts/deals", #"{"records":{}}"#), [("/records", "must be an array of records")])
      expectProblems(try await server.post("/api/v1/facts/deals", "{}"), [("/records", "must be an array of records")])
      // Member names are escaped in JSON pointers (RFC 6901).
      expectProblems(
        try await server.post(
          "/api/v1/facts/market", #"{"records":[{"a/b~c":1,"region":"na","month":"2025-01","market_revenue":5}]}"#),
        [("/records/0/a~1b~0c", "is not a field of market")])
      expectError(
        try await server.post("/api/v1/facts/deals", #"{"records":["#), 400, code: "bad_request",
        message: "the body is not valid JSON: it ends before the JSON is complete at line 1, column 13")
      // A missing comma: the parser stops at the next member's quote, line 3, column 4.
      expectError(
        try await server.post(
          "/api/v1/facts/deals", "{\"records\": [\n  {\"deal_id\": \"D1\"\n   \"stage\": \"won\"}]}"),
        400, code: "bad_request", message: "the body is not valid JSON: unexpected text at line 3, column 4")
      // Found by fuzzing: a member name with '/' is escaped at the top level too, and bodies the
      // decoder refuses but JSONSerialization takes are still told where.
      expectProblems(
        try await server.post("/api/v1/facts/deals", #"{"records":[],"re/cords":1}"#),
        [("/re~1cords", "unknown member; the body has only 'records'")])
      expectError(
        try await server.post("/api/v1/facts/deals", "{\"records\": [{\"amount\": 1e-400}]}"), 400,
        code: "bad_request",
        message: "the body is not valid JSON: a number is too large or too small for a double at line 1, column 25")
      expectError(
        try await server.post("/api/v1/facts/deals", "\u{0}11"), 400, code: "bad_request",
        message: "the body is not valid JSON: a control character at line 1, column 1")
      // A \u escape of no hex digits: at its backslash, the body's second byte.
      expectError(
        try await server.post("/api/v1/facts/deals", #""\u"1e308"#), 400, code: "bad_request",
        message: #"the body is not valid JSON: the text is not valid UTF-8 or has a bad \u escape at line 1, column 2"#)
      expectError(
        try await server.post("/api/v1/facts/deals", Self.wonDeal, contentType: "text/csv"), 415,
        code: "unsupported_media_type", message: "send the body as application/json, not text/csv")
      expectError(
        try await server.post("/api/v1/facts/deals", Self.wonDeal, contentType: "application/x-www-form-urlencoded"),
        415,
        code: "unsupported_media_type")
      let charset = try await server.post(
        "/api/v1/facts/deals", Self.wonDeal, contentType: "application/json; charset=utf-8")
      #expect(charset.status == 200)
      let empty = try await server.post("/api/v1/facts/deals", #"{"records":[]}"#)
      #expect(
        empty.json()
          == .object([
            "table": .string("deals"), "received": .number(0), "stored": .number(0), "alerts": .array([]),
            "alerts_deferred": .bool(false),
          ]))
      expectError(
        try await server.post("/api/v1/facts/orders", Self.wonDeal), 404, code: "not_found",
        message:
          "no table 'orders'; the tables are partners, deals, leads, campaigns, web_traffic, customers, surveys, support_tickets, certifications, market"
      )
      #expect(try await server.counts()[.deals] == 10)
    }
  }

  @Test func recordsMayReferToWhatEarlierRequestsStored() async throws {
    try await withServer { server in
      // A campaign of a partner that is not stored yet is rejected …
      let campaign = """
        {"records":[{"campaign_id":"C5","partner_id":"P5","name":"Launch","channel":"event","started_on":"2025-04-02",
        "cost":500}]}
        """
      expectProblems(
        try await server.post("/api/v1/facts/campaigns", campaign),
        [("/records/0/partner_id", "'P5' names no partner (not stored and not in this request)")])
      // … and accepted once the partner is.
      let partners = try await server.post(
        "/api/v1/facts/partners",
        """
        {"records":[{"partner_id":"P5","name":"Epsilon","type":"msp","region":"na","joined_on":"2025-04-01"},
        {"partner_id":"P6","name":"Zeta","type":"reseller","region":"na","joined_on":"2025-04-01","tier":null}]}
        """)
      #expect(
        partners.json()
          == .object([
            "table": .string("partners"), "received": .number(2), "stored": .number(2), "alerts": .array([]),
            "alerts_deferred": .bool(false),
          ])
      )
      #expect(try await server.getJSON("/api/v1/partners/P5")["name"]?.string == "Epsilon")
      #expect(try await server.getJSON("/api/v1/partners")["total"] == .number(6))
      #expect(try await server.post("/api/v1/facts/campaigns", campaign).status == 200)
      // Leads and traffic of the campaign posted in the previous request.
      let leads = try await server.post(
        "/api/v1/facts/leads",
        #"{"records":[{"lead_id":"L5","partner_id":"P5","campaign_id":"C5","created_on":"2025-04-03"}]}"#)
      #expect(leads.status == 200)
      let traffic = try await server.post(
        "/api/v1/facts/web_traffic",
        #"{"records":[{"partner_id":"P5","date":"2025-04-03","campaign_id":"C5","visits":"25"}]}"#)
      #expect(traffic.status == 200)
      #expect(try await server.value("leads_generated", "partner:P5", "2025-Q2") == 1)
      #expect(try await server.value("web_visits", "partner:P5", "2025-Q2") == 25)
      // The new reseller joins the resellers' scorecards.
      let cards = try await server.getJSON("/api/v1/scorecards/types/reseller?period=2025-Q2")["scorecards"]?.array
      #expect(cards?.contains { $0["scope"]?.string == "partner:P6" } == true)
      let counts = try await server.counts()
      #expect(counts[.partners] == 6)
      #expect(counts[.campaigns] == 2)
      #expect(counts[.leads] == 5)
    }
  }

  @Test func referencesResolveAgainstStoredRowsOnly() async throws {
    // A batch holds one table and no table refers to its own keys, so "the rows of the same
    // import" of the data format only ever means stored rows for the API: a lead cannot name a
    // campaign that is sent in the same request, since that request can only hold leads.
    try await withServer { server in
      let r = try await server.post(
        "/api/v1/facts/leads",
        #"{"records":[{"lead_id":"L7","partner_id":"P1","campaign_id":"C7","created_on":"2025-04-03"}]}"#)
      expectProblems(r, [("/records/0/campaign_id", "'C7' names no campaign (not stored and not in this request)")])
    }
  }
}
