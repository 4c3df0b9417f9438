import ChannelKPI
import ChannelKPIStore
import Foundation
import Testing

@testable import ChannelKPIServer

/// A partner tries every way to reach another partner's data, with its key and with its browser
/// session, and gets nothing: no other partner's id (unless it named it), name, finding or value.
@Suite struct CrossPartnerTests {
  /// What belongs to the other partners of the fixture (P2 … P5).
  static let foreignIDs = ["P2", "P3", "P4", "P5"]
  static let foreignWords = ["Northwind", "Contoso", "Globex", "Initech", "Finding for P2", "Bo Chen"]

  /// Requests P1's staff makes for others' data, and the status each gets.
  static let attempts: [(method: String, path: String, body: String?, status: Int)] = [
    ("GET", "/api/v1/partners/P2", nil, 404),
    ("GET", "/api/v1/partners/P2/scorecard", nil, 404),
    ("GET", "/api/v1/partners/P2/tier", nil, 404),
    ("GET", "/api/v1/partners/P5%2Fx%26y", nil, 404),
    ("GET", "/api/v1/partners?type=msp", nil, 200),
    ("GET", "/api/v1/partners?q=north", nil, 200),
    ("GET", "/api/v1/values?kpi=revenue&by=partner&scope=partner:P2", nil, 403),
    ("GET", "/api/v1/values?kpi=revenue&by=partner", nil, 403),
    ("GET", "/api/v1/values?kpi=revenue&by=partner&scope=partner:P1,partner:P2", nil, 403),
    ("GET", "/api/v1/values?kpi=revenue&by=partner&scope=partner:P1&scope=partner:P2", nil, 403),
    ("GET", "/api/v1/values?kpi=revenue&by=type&scope=type:reseller", nil, 403),
    ("GET", "/api/v1/values?kpi=revenue&by=type", nil, 403),
    ("GET", "/api/v1/values?kpi=revenue", nil, 403),
    ("GET", "/api/v1/values?kpi=revenue&by=network&scope=network", nil, 403),
    ("GET", "/api/v1/values?kpi=revenue&by=region&scope=region:emea", nil, 403),
    ("GET", "/api/v1/values?kpi=revenue&by=tier&scope=tier:gold", nil, 403),
    ("GET", "/api/v1/values?kpi=revenue&by=partner&scope=partner:P2&window=2025-01:2025-06", nil, 403),
    ("GET", "/api/v1/values?kpi=revenue&by=partner&scope=partner:P2&format=csv", nil, 403),
    ("GET", "/api/v1/scorecards/network", nil, 403),
    ("GET", "/api/v1/scorecards/types/reseller", nil, 403),
    ("GET", "/api/v1/scorecards/types/msp", nil, 403),
    ("GET", "/api/v1/targets", nil, 403),
    ("GET", "/api/v1/check", nil, 403),
    ("GET", "/api/v1/tiers", nil, 403),
    ("GET", "/api/v1/tiers/history?partner=P2", nil, 404),
    ("GET", "/api/v1/statements?partner=P2", nil, 404),
    ("GET", "/api/v1/statements?partner=P2&format=csv", nil, 404),
    ("GET", "/api/v1/statements/approved", nil, 403),
    ("GET", "/api/v1/statements/approved?format=csv", nil, 403),
    ("GET", "/api/v1/mdf?partner=P2", nil, 404),
    ("GET", "/api/v1/imports", nil, 403),
    ("GET", "/api/v1/users", nil, 403),
    ("GET", "/api/v1/keys", nil, 403),
    ("GET", "/api/v1/audit", nil, 403),
    ("GET", "/api/v1/objectives", nil, 403),
    ("GET", "/api/v1/kpis/revenue/explain", nil, 403),
    ("GET", "/api/v1/kpis/revenue/explain?scope=partner:P2", nil, 404),
    ("GET", "/api/v1/kpis/revenue/explain?scope=type:reseller&format=csv", nil, 403),
    ("GET", "/api/v1/kpis/win_rate/explain?scope=region:emea", nil, 403),
    ("GET", "/api/v1/kpis/revenue/benchmarks?partner=P2", nil, 404),
    ("GET", "/api/v1/kpis/revenue/forecast", nil, 403),
    ("GET", "/api/v1/kpis/revenue/forecast?scope=partner:P2&format=csv", nil, 404),
    ("GET", "/api/v1/kpis/revenue/forecast?scope=type:msp", nil, 403),
    ("GET", "/api/v1/kpis/revenue/benchmarks?partner=P1,P2", nil, 404),
    ("GET", "/kpis/revenue/explain", nil, 403),
    ("GET", "/kpis/revenue/explain?scope=partner:P2", nil, 403),
    ("POST", "/api/v1/reviews/2/acknowledge", "{}", 404),
    ("POST", "/api/v1/reviews/3/acknowledge", "{}", 404),
    ("POST", "/api/v1/reviews/2/replies", #"{"text":"hello"}"#, 404),
    ("POST", "/api/v1/reviews/2/share", #"{"shared":true}"#, 403),
    ("POST", "/api/v1/statements/approve", #"{"period":"2025-Q2","partner":"P2"}"#, 403),
    ("POST", "/api/v1/whatif", #"{"files":{"t.yaml":"tiers: {}"}}"#, 403),
    ("POST", "/api/v1/facts/deals", #"{"records":[]}"#, 403),
    ("GET", "/partners/P2", nil, 403),
    ("GET", "/partners", nil, 403),
    ("GET", "/statements", nil, 403),
    ("GET", "/kpis/revenue", nil, 403),
    ("POST", "/portal/reviews/2/reply", "text=hello", 404),
    ("POST", "/portal/reviews/2/acknowledge", "", 404),
    ("POST", "/portal/reviews/3/acknowledge", "", 404),
  ]

  /// Reads of its own that must hold P1's data and nothing of anyone else's.
  static let own: [(path: String, mustContain: String)] = [
    ("/api/v1/me", "\"partner\":\"P1\""),
    ("/api/v1/partners", "\"id\":\"P1\""),
    ("/api/v1/partners?kpis=revenue&sort=revenue&period=2025-Q2", "\"id\":\"P1\""),
    ("/api/v1/partners/P1", "Acme"),
    ("/api/v1/partners/P1/scorecard?period=2025-Q2", "\"partner\""),
    ("/api/v1/partners/P1/tier", "\"partner\":\"P1\""),
    ("/api/v1/values?kpi=revenue&by=partner&scope=partner:P1&grain=quarter&from=2025-Q2&to=2025-Q2", "partner:P1"),
    ("/api/v1/values?kpi=revenue&by=partner&scope=partner:P1&window=2025-01:2025-06&format=csv", "partner:P1"),
    ("/api/v1/tiers/history", "\"partner\":\"P1\""),
    ("/api/v1/tiers/history?format=csv", "P1,"),
    ("/api/v1/statements?from=2025-Q2&to=2025-Q2", "\"partner\":\"P1\""),
    ("/api/v1/statements?from=2025-Q2&to=2025-Q2&format=csv", "P1,"),
    ("/api/v1/mdf", "\"funds\""),
    ("/api/v1/kpis/revenue/explain?scope=partner:P1&period=2025-Q2", "\"scope\":\"partner:P1\""),
    ("/api/v1/kpis/revenue/explain?scope=partner:P1&period=2025-Q2&format=csv", "partner,P1,"),
    ("/api/v1/kpis/revenue/benchmarks?period=2025-Q2", "\"partner\":\"P1\""),
    ("/api/v1/kpis/revenue/forecast?scope=partner:P1&grain=quarter&as_of=2025-Q2", "\"scope\":\"partner:P1\""),
    ("/api/v1/kpis/revenue/benchmarks?period=2025-Q2&format=csv", "P1,revenue,"),
    ("/api/v1/reviews", "Finding for P1"),
    ("/portal", "Acme &amp; Sons"),
    ("/portal?partner=P2", "Acme &amp; Sons"),
    ("/portal/report?period=2025-Q2", "Acme &amp; Sons"),
    ("/", ""),
  ]

  static func expectNothingForeign(_ r: RawAnswer, asked path: String, by who: String) {
    for word in foreignWords { #expect(!r.body.contains(word), "\(who) \(path) shows '\(word)'") }
    for id in foreignIDs where !path.contains(id) {
      #expect(!r.body.contains("\"\(id)\"") && !r.body.contains("\(id),"), "\(who) \(path) shows \(id)")
      #expect(!r.body.contains("partner:\(id)") && !r.body.contains("/partners/\(id)"), "\(who) \(path) shows \(id)")
    }
  }

  @Test func aPartnerReachesNothingOfAnotherPartner() async throws {
    try await SecureServer.run { server in
      let (_, session) = try await server.signIn("p1")
      let callers: [(String, Credential)] = [
        ("P1's key", .key("ckpi_sec_p1")), ("P1's session", try #require(session)),
      ]
      for (who, credential) in callers {
        for a in Self.attempts {
          let isForm = a.path.hasPrefix("/portal/")
          let r = try await server.send(
            a.method, a.path, as: credential, body: a.body,
            type: a.body == nil ? nil : isForm ? "application/x-www-form-urlencoded" : "application/json")
          #expect(r.status == a.status, "\(who) \(a.method) \(a.path): \(r.status) \(r.body.prefix(200))")
          Self.expectNothingForeign(r, asked: a.path, by: who)
        }
        for o in Self.own {
          let r = try await server.get(o.path, as: credential)
          if o.path == "/" {
            #expect(r.status == 303 && r.location == "/portal", "\(who): the home of a partner is its portal")
            continue
          }
          #expect(r.status == 200, "\(who) \(o.path): \(r.status) \(r.body.prefix(200))")
          #expect(
            r.body.contains(o.mustContain), "\(who) \(o.path) should show \(o.mustContain): \(r.body.prefix(300))")
          Self.expectNothingForeign(r, asked: o.path, by: who)
        }
        // Its scorecard places it among peers only anonymously: no rank, no count, and no
        // percentile with fewer than 5 others (resellers: P1 and P3).
        let card = try await server.get("/api/v1/partners/P1/scorecard?period=2025-Q2", as: credential).json
        #expect(card["rank"] == .null && card["peers"] == .null && card["percentile"] == .null, "\(card)")
        // Among peers it is placed only anonymously, and with one other reseller not at all.
        let bench = try await server.get("/api/v1/kpis/revenue/benchmarks?period=2025-Q2", as: credential).json
        let mine = bench["positions"]?.array ?? []
        #expect(mine.count == 1 && mine.first?["percentile"] == nil && mine.first?["cuts"] == nil, "\(bench)")
        #expect(mine.first?["others"] == nil && mine.first?["value"] == .number(1500), "\(bench)")
        // Its own list is itself alone; another type's list is empty, not another partner.
        #expect(try await server.get("/api/v1/partners", as: credential).json["total"]?.number == 1)
        #expect(try await server.get("/api/v1/partners?type=msp", as: credential).json["total"]?.number == 0)
        // The reviews it sees: its shared one only (not P2's, not its unshared one).
        let reviews = try await server.get("/api/v1/reviews", as: credential).json["reviews"]?.array ?? []
        #expect(reviews.map { $0["id"]?.number } == [1])
      }
      // The vendor's side sees the rank (P1 leads the resellers in 2025-Q2, 1,500 to 900).
      let vendorCard = try await server.get("/api/v1/partners/P1/scorecard?period=2025-Q2", as: .key("ckpi_sec_admin"))
      #expect(vendorCard.json["rank"] == .number(1) && vendorCard.json["peers"] == .number(2), "\(vendorCard.body)")
      // Nothing it tried changed anything: no review of P2 acknowledged or answered.
      let stored = try await server.store.reviews()
      #expect(stored.first { $0.id == 2 }?.acknowledgedBy == nil)
      #expect(try await server.store.reviewReplies().isEmpty)
      #expect(try await server.store.statementApprovals().isEmpty)
    }
  }

  @Test func aPartnerAnswersAndAcknowledgesItsOwnSharedReview() async throws {
    try await SecureServer.run { server in
      let (_, session) = try await server.signIn("p1")
      let credential = try #require(session)
      let ack = try await server.send(
        "POST", "/portal/reviews/1/acknowledge", as: credential, body: "", type: "application/x-www-form-urlencoded")
      #expect(ack.status == 303 && ack.location == "/portal#reviews")
      let reply = try await server.send(
        "POST", "/portal/reviews/1/reply", as: credential, body: "text=We+will+call+back",
        type: "application/x-www-form-urlencoded")
      #expect(reply.status == 303)
      let review = try #require(try await server.store.reviews().first { $0.id == 1 })
      #expect(review.acknowledgedBy == "Staff of P1")
      #expect(try await server.store.reviewReplies().map(\.text) == ["We will call back"])
      let portal = try await server.get("/portal", as: credential)
      #expect(portal.body.contains("We will call back") && portal.body.contains("Acknowledged by Staff of P1"))
      // The vendor's side sees the answer in the API.
      let seen = try await server.get("/api/v1/reviews", as: .key("ckpi_sec_admin")).json["reviews"]?.array ?? []
      #expect(seen.first { $0["id"]?.number == 1 }?["replies"]?[0]?["author"]?.string == "Staff of P1")
      // A partner's key acknowledges through the API too; a vendor's key may not (it is not the partner).
      let api = try await server.send("POST", "/api/v1/reviews/1/acknowledge", as: .key("ckpi_sec_p1"), body: "{}")
      #expect(api.status == 200 && api.json["acknowledged_by"]?.string == "ckpi_sec_p1")
      let vendor = try await server.send(
        "POST", "/api/v1/reviews/1/acknowledge", as: .key("ckpi_sec_admin"), body: "{}")
      #expect(vendor.status == 403)
    }
  }

  @Test func aManagerSeesOnlyTheirPartners() async throws {
    try await SecureServer.run { server in
      // Ann Lee manages P1 alone.
      let ann: Credential = .key("ckpi_sec_ann")
      let list = try await server.get("/api/v1/partners", as: ann).json
      #expect(list["partners"]?.array?.map { $0["id"]?.string } == ["P1"])
      let values = try await server.get(
        "/api/v1/values?kpi=revenue&by=partner&grain=quarter&from=2025-Q2&to=2025-Q2", as: ann)
      #expect(values.status == 200)
      // Revenue of P1 in 2025-Q2: D6, 1,500 (closed 2025-04-10); no other partner's row.
      #expect(
        values.json
          == .object([
            "values": .array([
              .object([
                "kpi": .string("revenue"), "scope": .string("partner:P1"), "period": .string("2025-Q2"),
                "value": .number(1500),
              ])
            ])
          ]))
      for (path, status) in [
        ("/api/v1/values?kpi=revenue&by=partner&scope=partner:P2", 403),
        ("/api/v1/values?kpi=revenue&by=type&scope=type:reseller", 403),
        ("/api/v1/values?kpi=revenue", 403),
        ("/api/v1/scorecards/network", 403),
        ("/api/v1/tiers", 403),
        ("/api/v1/partners/P2", 404),
        ("/api/v1/statements?partner=P2", 404),
        ("/partners/P2", 404),
        ("/kpis", 403),
        ("/whatif", 403),
        ("/data", 403),
        ("/api/v1/imports", 403),
        ("/metrics", 403),
        ("/api/v1/scorecards/types/nothing", 403),
      ] {
        let r = try await server.get(path, as: ann)
        #expect(r.status == status, "\(path): \(r.status) \(r.body.prefix(200))")
        for word in ["Northwind", "Contoso", "Globex", "Initech"] { #expect(!r.body.contains(word), "\(path)") }
      }
      let statements = try await server.get("/api/v1/statements?from=2025-Q2&to=2025-Q2", as: ann).json
      #expect(Set(statements["statements"]?.array?.compactMap { $0["partner"]?.string } ?? []) == ["P1"])
      let page = try await server.get("/partners", as: ann)
      #expect(page.status == 200 && page.body.contains("Acme &amp; Sons") && !page.body.contains("Northwind"))
      // Their partner's page, without the network's values beside its own.
      let p1 = try await server.get("/partners/P1", as: ann)
      let leader = try await server.get("/partners/P1", as: .key("ckpi_sec_leader"))
      #expect(p1.status == 200 && leader.body.contains("Network") && !p1.body.contains("Network"))
      let card = try await server.get("/api/v1/partners/P1/scorecard?period=2025-Q2", as: ann).json
      #expect(card["rank"] == .null && card["peers"] == .null && card["percentile"] == .null, "\(card)")
      let home = try await server.get("/", as: ann)
      #expect(home.status == 303 && home.location == "/partners")
      // Approving another manager's partner is refused; approving their own goes through, in their name.
      let other = try await server.send(
        "POST", "/api/v1/statements/approve", as: ann, body: #"{"period":"2025-Q2","partner":"P2"}"#)
      #expect(other.status == 422 && other.body.contains("no partner 'P2'"))
      let all = try await server.send("POST", "/api/v1/statements/approve", as: ann, body: #"{"period":"2025-Q2"}"#)
      #expect(all.status == 201, "\(all.body)")
      let approved = try await server.store.statementApprovals()
      #expect(approved.map(\.partner) == ["P1"] && approved.map(\.approvedBy) == ["ckpi_sec_ann"])
      // Revoking is an admin's, in the admin's name; a `by` of another type than a string is refused.
      let id = try #require(approved.first?.id)
      #expect(
        try await server.send("POST", "/api/v1/statements/approvals/\(id)/revoke", as: ann, body: #"{"reason":"r"}"#)
          .status == 403)
      let typed = try await server.send(
        "POST", "/api/v1/statements/approvals/\(id)/revoke", as: .key("ckpi_sec_admin"),
        body: #"{"reason":"r","by":{}}"#)
      #expect(typed.status == 422 && typed.json["errors"]?[0]?["path"]?.string == "/by")
      // The write is in the audit log, with who.
      let audit = try await server.store.audit(limit: 10, actor: "key:ckpi_sec_ann", action: "approveStatements")
      #expect(audit.count == 1)
      // Reads are not writes: an admin's look at users and at the log itself leaves no entry.
      _ = try await server.get("/api/v1/users", as: .key("ckpi_sec_admin"))
      _ = try await server.get("/audit", as: .key("ckpi_sec_admin"))
      #expect(try await server.store.audit(limit: 100, actor: "key:ckpi_sec_admin", action: nil).isEmpty)
      // Reviews of their partners only, and no review of no partner.
      let reviews = try await server.get("/api/v1/reviews", as: ann).json["reviews"]?.array ?? []
      #expect(reviews.compactMap { $0["id"]?.number } == [1, 3])
      // A manager reviews in their own name, whatever the body says.
      let spoof = try await server.send(
        "POST", "/api/v1/reviews", as: ann, body: #"{"partner":"P1","reviewer":"Bo Chen","finding":"f","action":"a"}"#)
      #expect(spoof.status == 201 && spoof.json["reviewer"]?.string == "ckpi_sec_ann")
      let kpiOnly = try await server.send(
        "POST", "/api/v1/reviews", as: ann, body: #"{"kpi":"revenue","finding":"f","action":"a"}"#)
      #expect(kpiOnly.status == 422 && kpiOnly.body.contains("name one of your partners"))
    }
  }
}
