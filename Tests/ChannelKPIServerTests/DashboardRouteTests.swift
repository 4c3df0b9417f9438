import ChannelKPI
import ChannelKPIStore
import Foundation
import Testing

@testable import ChannelKPIServer

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The dashboard served over HTTP: statuses, content types, links and uploads.
@Suite(.serialized) struct DashboardRouteTests {
  static let pages = [
    "/", "/kpis", "/kpis/revenue", "/partners", "/partners/P1", "/partners/P5%2Fx%26y", "/data",
    "/?grain=month&period=2025-04", "/partners?q=acme+sons&sort=name&order=asc", "/kpis/win_rate?grain=year",
  ]

  @Test func everyPageIsHTML() async throws {
    let f = try await DashboardFixture.make()
    try await TestServer.run(f.service) { base in
      for path in Self.pages {
        let r = try await TestServer.fetch(URL(string: base.absoluteString + path)!)
        #expect(r.status == 200, "\(path)")
        #expect(r.contentType == "text/html; charset=utf-8", "\(path)")
        #expect(r.body.hasPrefix("<!DOCTYPE html>"), "\(path)")
        #expect(
          r.contentSecurityPolicy.hasPrefix("default-src 'self';") && !r.contentSecurityPolicy.contains("unsafe"),
          "\(path): pages run no inline script or style")
        #expect(!r.body.contains("<script"), "\(path)")
        #expect(!r.body.contains("<Ltd>"), "\(path) must escape partner names")
      }
      let css = try await TestServer.fetch(URL(string: base.absoluteString + "/assets/app.css")!)
      #expect(css.status == 200)
      #expect(css.contentType.hasPrefix("text/css"))
    }
  }

  @Test func anEmptyProgramStillRenders() async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("channelkpi-empty-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let store = try SQLiteStore(path: dir.appendingPathComponent("facts.sqlite").path)
    let service = try await KPIService(store: store, today: { DashboardFixture.today }, logger: .init(label: "test"))
    try await TestServer.run(service) { base in
      for path in ["/", "/kpis", "/kpis/revenue", "/partners", "/data", "/?period=2025-Q1"] {
        let r = try await TestServer.fetch(URL(string: base.absoluteString + path)!)
        #expect(r.status == 200, "\(path)")
        #expect(r.body.contains("No data yet"), "\(path)")
      }
      #expect(try await TestServer.fetch(URL(string: base.absoluteString + "/partners/P1")!).status == 404)
    }
  }

  @Test func unknownThingsAre404AndBadPeriodsAre400() async throws {
    let f = try await DashboardFixture.make()
    try await TestServer.run(f.service) { base in
      let cases: [(String, Int, String)] = [
        ("/partners/NOPE", 404, "Partner not found"), ("/kpis/nope", 404, "KPI not found"),
        ("/no/such/page", 404, "Page not found"), ("/?period=2025-Q9", 400, "is not a period"),
        ("/kpis/revenue?grain=weekly", 400, "is not a grain"),
        ("/partners?period=1999", 400, "No data for that period"),
        ("/partners?sort=secret", 400, "is not a column"), ("/partners/%3Cscript%3E", 404, "&lt;script&gt;"),
      ]
      for (path, status, text) in cases {
        let r = try await TestServer.fetch(URL(string: base.absoluteString + path)!)
        #expect(r.status == status, "\(path)")
        #expect(r.contentType == "text/html; charset=utf-8", "\(path)")
        #expect(r.body.contains(text), "\(path)")
        #expect(!r.body.contains("<script>"), "\(path)")
      }
      // The API keeps its own 404s, never the HTML page.
      for path in ["/api/v1/nothing", "/api/v2"] {
        let api = try await TestServer.fetch(URL(string: base.absoluteString + path)!)
        #expect(api.status == 404, "\(path)")
        #expect(!api.contentType.hasPrefix("text/html"), "\(path)")
      }
    }
  }

  @Test func everyLinkAndFormActionResolves() async throws {
    let f = try await DashboardFixture.make()
    try await TestServer.run(f.service) { base in
      var checked: Set<String> = []
      for page in ["/", "/kpis", "/kpis/revenue", "/partners", "/partners/P1", "/partners/P2", "/data"] {
        let r = try await TestServer.fetch(URL(string: base.absoluteString + page)!)
        #expect(r.status == 200, "\(page)")
        for target in Links.targets(in: r.body) where !target.hasPrefix("#") {
          #expect(target.hasPrefix("/"), "\(page) links outside the dashboard: \(target)")
          guard target.hasPrefix("/"), checked.insert(target).inserted else { continue }
          let t = try await TestServer.fetch(URL(string: base.absoluteString + target)!)
          #expect(t.status == 200, "\(page) → \(target)")
        }
      }
      #expect(checked.count > 40)
      #expect(checked.contains("/data/upload?grain=quarter&period=2025-Q2"))
    }
  }

  @Test func uploadStoresAGoodFile() async throws {
    let f = try await DashboardFixture.make()
    try await TestServer.run(f.service) { base in
      let csv = "partner_id,name,type,region,joined_on\nP9,Umbrella,reseller,emea,2025-01-01\n"
      let (body, type) = TestServer.multipart(fields: [("table", "auto")], file: ("partners.csv", csv))
      let r = try await TestServer.fetch(
        URL(string: base.absoluteString + "/data/upload")!, method: "POST", body: body, contentType: type)
      #expect(r.status == 200)
      #expect(r.body.contains("“partners.csv” was imported: 1 rows stored."))
      #expect(f.service.partner("P9")?.name == "Umbrella")
      let page = try await TestServer.fetch(URL(string: base.absoluteString + "/partners/P9")!)
      #expect(page.status == 200)
    }
  }

  @Test func uploadWithProblemsStoresNothingUnlessAsked() async throws {
    let f = try await DashboardFixture.make()
    try await TestServer.run(f.service) { base in
      let csv = """
        deal_id,partner_id,source,created_on,stage,amount
        D90,P1,sourced,2025-06-01,open,100
        D91,P404,sourced,2025-06-01,open,12$

        """
      let url = URL(string: base.absoluteString + "/data/upload")!
      let (body, type) = TestServer.multipart(fields: [("table", "deals")], file: ("export <june>.csv", csv))
      let r = try await TestServer.fetch(url, method: "POST", body: body, contentType: type)
      #expect(r.status == 422)
      #expect(r.body.contains("was not imported"))
      #expect(r.body.contains("export &lt;june&gt;.csv"))
      #expect(r.body.contains("names no partner"))
      #expect(try await f.service.store.counts()[.deals] == 14)

      let (again, type2) = TestServer.multipart(
        fields: [("table", "deals"), ("store_good_rows", "on")], file: ("export <june>.csv", csv))
      let r2 = try await TestServer.fetch(url, method: "POST", body: again, contentType: type2)
      #expect(r2.status == 200)
      #expect(r2.body.contains("1 rows stored, 1 skipped"))
      #expect(try await f.service.store.counts()[.deals] == 15)
    }
  }

  @Test func amountsAreWrittenInTheReportingCurrency() async throws {
    let f = try await DashboardFixture.make()
    let paths = ["/", "/kpis/revenue", "/partners", "/partners/P1"]
    func bodies(_ currency: Currency) async throws -> [String] {
      let pages = Pages()
      try await TestServer.run(f.service, controller: DashboardController(service: f.service, currency: currency)) {
        base in
        for path in paths { await pages.add(try await TestServer.fetch(URL(string: base.absoluteString + path)!).body) }
      }
      return await pages.bodies
    }
    let usd = try await bodies(.usd)
    #expect(usd[1].contains("$1,500"))
    // The same pages, with each dollar sign written as the other currency's.
    let eur = try await bodies(try #require(Currency(code: "eur")))
    let chf = try await bodies(try #require(Currency(code: "CHF")))
    for (i, path) in paths.enumerated() {
      #expect(eur[i] == usd[i].replacingOccurrences(of: "$", with: "€"), "\(path)")
      #expect(chf[i] == usd[i].replacingOccurrences(of: "$", with: "CHF\u{00A0}"), "\(path)")
    }
    #expect(eur[1].contains("€1,500"))
  }

  private actor Pages {
    var bodies: [String] = []
    func add(_ body: String) { bodies.append(body) }
  }

  @Test func currencyCodes() {
    #expect(Currency(code: "eur")?.code == "EUR")
    #expect(Currency(code: "EUR")?.prefix == "€")
    #expect(Currency(code: "GBP")?.prefix == "£")
    #expect(Currency(code: "SEK")?.prefix == "SEK\u{00A0}")
    for bad in ["", "EU", "EURO", "E1R", "€", "US$"] { #expect(Currency(code: bad) == nil, "\(bad)") }
  }

  @Test func uploadGoesThroughACRMMapping() async throws {
    let f = try await DashboardFixture.make()
    let controller = DashboardController(service: f.service, mappingsDirectory: try DashboardFixture.mappings(f))
    try await TestServer.run(f.service, controller: controller) { base in
      let data = try await TestServer.fetch(URL(string: base.absoluteString + "/data")!)
      #expect(data.body.contains("<option value=\"test-crm-deals\">Test CRM deals export → deals</option>"))
      let export = "Opp ID,Partner,Created,Stage,Closed,Amount,Owner\n77,P1,2025-06-01,Closed Won,2025-06-20,250,Ann\n"
      let (body, type) = TestServer.multipart(
        fields: [("table", "auto"), ("mapping", "test-crm-deals")], file: ("Opportunities Report.csv", export))
      let r = try await TestServer.fetch(
        URL(string: base.absoluteString + "/data/upload")!, method: "POST", body: body, contentType: type)
      #expect(r.status == 200)
      #expect(r.body.contains("was imported: 1 rows stored through the mapping test-crm-deals."))
      #expect(try await f.service.store.counts()[.deals] == 15)
      let (wrong, type2) = TestServer.multipart(
        fields: [("table", "leads"), ("mapping", "test-crm-deals")], file: ("x.csv", export))
      let r2 = try await TestServer.fetch(
        URL(string: base.absoluteString + "/data/upload")!, method: "POST", body: wrong, contentType: type2)
      #expect(r2.status == 400)
      #expect(r2.body.contains("reads deals, not leads"))
    }
  }

  @Test func badUploadsAreExplained() async throws {
    let f = try await DashboardFixture.make()
    try await TestServer.run(f.service) { base in
      let url = URL(string: base.absoluteString + "/data/upload")!
      let (noFile, t1) = TestServer.multipart(fields: [("table", "auto")], file: nil)
      let r1 = try await TestServer.fetch(url, method: "POST", body: noFile, contentType: t1)
      #expect(r1.status == 400)
      #expect(r1.body.contains("Choose a CSV file"))
      let (unknown, t2) = TestServer.multipart(fields: [("table", "auto")], file: ("export.csv", "a,b\n"))
      let r2 = try await TestServer.fetch(url, method: "POST", body: unknown, contentType: t2)
      #expect(r2.status == 422)
      #expect(r2.body.contains("cannot be told from the file name"))
      let r3 = try await TestServer.fetch(url, method: "POST", body: Data("{}".utf8), contentType: "application/json")
      #expect(r3.status == 415)
      let (mapped, t4) = TestServer.multipart(fields: [("mapping", "../salesforce")], file: ("deals.csv", "a\n"))
      let r4 = try await TestServer.fetch(url, method: "POST", body: mapped, contentType: t4)
      #expect(r4.status == 400)
      #expect(r4.body.contains("There is no CRM mapping"))
    }
  }
}
