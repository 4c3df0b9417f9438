import ChannelKPI
import Foundation
import Testing

@testable import ChannelKPIServer

/// The page models hold the numbers the fixture gives by hand.
@Suite struct DashboardModelTests {
  static func chrome(
    _ f: FixtureService, _ route: DashboardRoute, grain: String? = nil, period: String? = nil, title: String = "Test"
  ) async throws -> PageChrome {
    let s = try PeriodSelection.resolve(grain: grain, period: period, coverage: f.service.coverage)
    return await PageChrome.build(service: f.service, route: route, selection: s, title: title)
  }

  @Test func defaultPeriodIsTheLatestQuarterOfTheData() async throws {
    let f = try await DashboardFixture.make()
    let c = try await Self.chrome(f, .overview)
    #expect(c.selection?.period.description == "2025-Q2")
    // The data starts with the first partner joining.
    #expect(c.coverage?.first.description == "2023-01")
    #expect(c.coverage?.last.description == "2025-06")
    #expect(c.definitionsVersion == 1)
    #expect(c.definitionsLabel == "Definitions v1, effective 1 Jan 2024")
    #expect(c.periodOptions.first?.description == "2025-Q2")
    #expect(c.periodOptions.last?.description == "2023-Q1")
    #expect(c.next == nil)
    #expect(c.previous?.period.description == "2025-Q1")
  }

  @Test func overviewRevenueTile() async throws {
    let f = try await DashboardFixture.make()
    let model = try await OverviewPage.build(service: f.service, chrome: try await Self.chrome(f, .overview))
    let revenue = try #require(model.tile("revenue"))
    // 2025-Q2: D6 1,500 + D7 600 + D8 900; 2025-Q1: D3 1,200 + D4 800; 2024-Q2: D1 1,000 + D2 500.
    #expect(revenue.value == 3000)
    #expect(revenue.previous == 2000)
    #expect(revenue.yearAgo == 1500)
    #expect(revenue.changeVsPrevious?.text == "+50.0%")
    #expect(revenue.changeVsPrevious?.tone == .good)
    #expect(revenue.changeVsYearAgo?.text == "+100.0%")
    // The last eight quarters, 2023-Q3 … 2025-Q2; none before 2024.
    #expect(revenue.trend.count == 8)
    #expect(Array(revenue.trend.suffix(6)) == [700, 1500, 900, 1100, 2000, 3000])
    #expect(revenue.trendLabels.last == "Q2 2025")
    // Baseline: mean of the four quarters before, (1,500 + 900 + 1,100 + 2,000) / 4 = 1,375; target +10%.
    let target = try #require(revenue.target)
    #expect(abs(target - 1512.5) < 1e-9)
    #expect(revenue.status == .onTrack)
    #expect(DashboardFormat.compact(revenue.value, unit: .money) == "$3K")
    #expect(model.previousLabel == "Q1 2025")
    #expect(model.yearAgoLabel == "Q2 2024")
  }

  @Test func overviewWinRateChangesByPoints() async throws {
    let f = try await DashboardFixture.make()
    let model = try await OverviewPage.build(service: f.service, chrome: try await Self.chrome(f, .overview))
    let win = try #require(model.tile("win_rate"))
    #expect(win.value == 0.75)  // 3 won of 4 closed
    #expect(win.changeVsPrevious?.text == "+8.3 pts")  // from 2 of 3
    #expect(win.status == .onTrack)  // target 70%
    #expect(model.families.first?.title == "Partner performance")
    #expect(model.families.map(\.id).contains("marketing_roi"))
  }

  @Test func kpiPageRanksPartnersAndBreaksDownBySegment() async throws {
    let f = try await DashboardFixture.make()
    let def = try #require(f.service.catalog.kpi("revenue"))
    let model = try await KPIPage.build(
      service: f.service, chrome: try await Self.chrome(f, .kpi("revenue")), definition: def)
    #expect(model.value == 3000)
    // Partners without won deals have a revenue of 0.
    #expect(model.ranked.map(\.id) == ["P1", "P3", "P2", "P4", "P5/x&y"])
    #expect(model.ranked.map(\.value) == [1500, 900, 600, 0, 0])
    #expect(model.worst.isEmpty)
    #expect(model.median == 600)
    let types = try #require(model.breakdowns.first { $0.kind == .type })
    #expect(types.rows.first { $0.value == "reseller" }?.amount == 2400)
    #expect(types.rows.first { $0.value == "msp" }?.amount == 600)
    #expect(types.rows.first { $0.value == "reseller" }?.partners == 2)
    // The series runs from the data's first quarter to the selected one, with targets.
    // The series starts with the first quarter with revenue (the data starts in 2023 with partners).
    #expect(model.periods.map(\.description) == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2"])
    #expect(model.actual == [700, 1500, 900, 1100, 2000, 3000])
    #expect(model.target.count == 6)
    let lastTarget = try #require(model.target.last ?? nil)
    #expect(abs(lastTarget - 1512.5) < 1e-9)
    #expect(model.standing?.status == .onTrack)
    #expect(model.histogram.map(\.count).reduce(0, +) == 5)
  }

  @Test func partnerListFiltersSortsAndPages() async throws {
    let f = try await DashboardFixture.make()
    let chrome = try await Self.chrome(f, .partnerList)
    let all = try await PartnerListPage.build(service: f.service, chrome: chrome, filter: PartnerFilter())
    #expect(all.total == 5)
    // By revenue, best first; partners without revenue last.
    #expect(all.rows.map(\.partner.id).prefix(3) == ["P1", "P3", "P2"])
    #expect(all.rows[0].values.first == 1500)
    let msp = try await PartnerListPage.build(
      service: f.service, chrome: chrome, filter: PartnerFilter(type: "msp", sort: "name", descending: false))
    #expect(msp.rows.map(\.partner.id) == ["P4", "P2"])  // Globex, Northwind
    let search = try await PartnerListPage.build(
      service: f.service, chrome: chrome, filter: PartnerFilter(search: "ACME"))
    #expect(search.rows.map(\.partner.id) == ["P1"])
    #expect(search.matching == 1)
    #expect(all.types == ["msp", "referral", "reseller"])
  }

  @Test func partnerListQueryIsValidated() throws {
    let ok = try PartnerListPage.filter(DashboardQuery(raw: "q=acme+corp&sort=name&page=2"))
    #expect(ok.search == "acme corp")
    #expect(ok.sort == "name")
    #expect(ok.descending == false)
    #expect(ok.page == 2)
    #expect(throws: DashboardError.self) { try PartnerListPage.filter(DashboardQuery(raw: "sort=password")) }
    #expect(throws: DashboardError.self) { try PartnerListPage.filter(DashboardQuery(raw: "page=0")) }
    #expect(throws: DashboardError.self) { try PartnerListPage.filter(DashboardQuery(raw: "order=up")) }
  }

  @Test func partnerPageScorecardAndActivity() async throws {
    let f = try await DashboardFixture.make()
    let p1 = try #require(f.service.partner("P1"))
    let model = try await PartnerPage.build(
      service: f.service, chrome: try await Self.chrome(f, .partner("P1")), partner: p1,
      logger: .init(label: "test"))
    #expect(model.scorecardName == "Reseller scorecard")
    #expect(model.items.map(\.kpi) == ["revenue", "win_rate", "nps"])
    #expect(model.items.first?.actual == 1500)
    #expect(model.peers == 2)  // P1 and P3
    #expect(model.version == 1)
    #expect(model.trends.map(\.id) == ["revenue", "win_rate", "nps"])
    #expect(model.trends.first?.value == 1500)
    #expect(model.deals.map(\.id) == ["D14", "D6", "D3", "D1", "D11"])
    #expect(model.deals.first?.amount == "$450.50")
    let activity = Dictionary(uniqueKeysWithValues: model.activity.map { ($0.label, $0.count) })
    #expect(activity["Leads"] == 2)
    #expect(activity["Campaigns started"] == 1)
    #expect(activity["Support tickets opened"] == 1)
    #expect(activity["Deals created"] == 1)  // D14 (D6 was created in March)
    #expect(activity["Survey responses"] == 2)
    #expect(activity["Certifications completed"] == 1)
    #expect(model.activity.count == 7)  // every table counted, from the engine's columns
  }

  /// The engine learns of another writer's changes after the store does: a deal the store now
  /// gives another partner is not shown to its former partner, even before the engine catches up.
  @Test func aDealMovedElsewhereIsNotShownToItsFormerPartner() async throws {
    let f = try await DashboardFixture.make()
    func recent(_ partner: String) async throws -> [FieldValue] {
      try await f.service.recentRows(.deals, partner: partner, newestBy: "created_on", limit: 10).map { $0["deal_id"] }
    }
    let before = try await recent("P1")
    #expect(before == ["D14", "D6", "D3", "D1", "D11"].map { .string($0) })
    var moved = try #require(try await f.service.store.rows(.deals, keys: [[.string("D14")]]).first)
    moved.values[try #require(CanonicalTable.deals.schema.index["partner_id"])] = .string("P2")
    _ = try await f.service.store.upsert([moved])
    // The engine still gives D14 to P1; the page leaves it out.
    let keys = f.service.shared.read { $0.engine.newestKeys(.deals, partner: "P1", by: "created_on", limit: 10) }
    #expect(keys?.first == [.string("D14")])
    #expect(try await recent("P1") == Array(before.dropFirst()))
    try await f.service.catchUp()
    #expect(try await recent("P1") == Array(before.dropFirst()))
    #expect(try await recent("P2").contains(.string("D14")))
  }

  @Test func partnerWithoutScorecardSaysWhy() async throws {
    let f = try await DashboardFixture.make()
    let p2 = try #require(f.service.partner("P2"))
    let model = try await PartnerPage.build(
      service: f.service, chrome: try await Self.chrome(f, .partner("P2")), partner: p2,
      logger: .init(label: "test"))
    #expect(model.scorecardNote == "The definitions in force (v1) have no scorecard for MSP partners.")
    #expect(model.trends.map(\.id) == PartnerListPage.keyKPIs)
  }

  @Test func dataPageListsTablesAndImports() async throws {
    let f = try await DashboardFixture.make()
    let model = try await DataPage.build(
      service: f.service, chrome: try await Self.chrome(f, .data), report: nil,
      mappings: MappingCatalog.load(directory: nil))
    #expect(model.tables.first { $0.name == "deals" }?.stored == 14)
    #expect(model.history.count == 1)
    #expect(model.history.first?.files == ["partners.csv", "deals.csv"])
    #expect(model.history.first?.finishedAt == "1 Jul 2025, 10:00 UTC")
    #expect(model.mappings.isEmpty)
  }

  @Test func mappingsAreReadFromTheirDirectory() async throws {
    let f = try await DashboardFixture.make()
    let catalog = MappingCatalog.load(directory: try DashboardFixture.mappings(f))
    #expect(catalog.entries.map(\.id) == ["test-crm-deals"])
    #expect(catalog.entries.first?.label == "Test CRM deals export → deals")
    #expect(catalog.broken == ["broken"])
    #expect(catalog.mapping("test-crm-deals")?.1.table == .deals)
    #expect(catalog.mapping("../broken") == nil)
  }

  @Test func shippedMappingsLoad() throws {
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let dir = repo.appendingPathComponent("mappings").path
    try #require(FileManager.default.fileExists(atPath: dir), "the repository's mappings/ directory")
    let catalog = MappingCatalog.load(directory: dir)
    #expect(catalog.broken.isEmpty)
    #expect(catalog.entries.count >= 2)
    #expect(catalog.entries.allSatisfy { $0.table == .deals })
  }
}
