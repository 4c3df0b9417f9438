import ChannelKPI
import Foundation
import Testing

@testable import ChannelKPIServer

/// Every page of the dashboard rendered on the fixture, compared to its snapshot.
@Suite struct DashboardSnapshotTests {
  static func chrome(_ f: FixtureService, _ route: DashboardRoute, title: String, grain: String? = nil) async throws
    -> PageChrome
  {
    try await DashboardModelTests.chrome(f, route, grain: grain, title: title)
  }

  @Test func overview() async throws {
    let f = try await DashboardFixture.make()
    let model = try await OverviewPage.build(
      service: f.service, chrome: try await Self.chrome(f, .overview, title: "Overview"))
    Snapshot.check(OverviewPage.View(model: model).render(), named: "overview")
  }

  @Test func overviewByMonth() async throws {
    let f = try await DashboardFixture.make()
    let model = try await OverviewPage.build(
      service: f.service, chrome: try await Self.chrome(f, .overview, title: "Overview", grain: "month"))
    Snapshot.check(OverviewPage.View(model: model).render(), named: "overview-month")
  }

  @Test func kpiIndex() async throws {
    let f = try await DashboardFixture.make()
    let model = try await KPIIndexPage.build(service: f.service, chrome: try await Self.chrome(f, .kpis, title: "KPIs"))
    Snapshot.check(KPIIndexPage.View(model: model).render(), named: "kpis")
  }

  @Test func kpiPage() async throws {
    let f = try await DashboardFixture.make()
    let def = try #require(f.service.catalog.kpi("revenue"))
    let model = try await KPIPage.build(
      service: f.service, chrome: try await Self.chrome(f, .kpi("revenue"), title: def.name), definition: def)
    Snapshot.check(KPIPage.View(model: model).render(), named: "kpi-revenue")
  }

  @Test func partnerList() async throws {
    let f = try await DashboardFixture.make()
    let filter = PartnerFilter()
    let model = try await PartnerListPage.build(
      service: f.service, chrome: try await Self.chrome(f, .partners(filter), title: "Partners"), filter: filter)
    Snapshot.check(PartnerListPage.View(model: model).render(), named: "partners")
  }

  @Test func partnerListFiltered() async throws {
    let f = try await DashboardFixture.make()
    let filter = PartnerFilter(search: "o", type: "msp", sort: "name", descending: false)
    let model = try await PartnerListPage.build(
      service: f.service, chrome: try await Self.chrome(f, .partners(filter), title: "Partners"), filter: filter)
    Snapshot.check(PartnerListPage.View(model: model).render(), named: "partners-filtered")
  }

  @Test func partnerPage() async throws {
    let f = try await DashboardFixture.make()
    let p = try #require(f.service.partner("P1"))
    let model = try await PartnerPage.build(
      service: f.service, chrome: try await Self.chrome(f, .partner("P1"), title: p.name), partner: p,
      logger: .init(label: "test"))
    Snapshot.check(PartnerPage.View(model: model).render(), named: "partner-P1")
  }

  @Test func partnerPageWithoutScorecard() async throws {
    let f = try await DashboardFixture.make()
    let p = try #require(f.service.partner("P2"))
    let model = try await PartnerPage.build(
      service: f.service, chrome: try await Self.chrome(f, .partner("P2"), title: p.name), partner: p,
      logger: .init(label: "test"))
    Snapshot.check(PartnerPage.View(model: model).render(), named: "partner-P2")
  }

  @Test func dataPage() async throws {
    let f = try await DashboardFixture.make()
    let model = try await DataPage.build(
      service: f.service, chrome: try await Self.chrome(f, .data, title: "Data"), report: nil,
      mappings: MappingCatalog.load(directory: nil))
    Snapshot.check(DataPage.View(model: model).render(), named: "data")
  }

  @Test func dataPageWithRejectedUpload() async throws {
    let f = try await DashboardFixture.make()
    var report = DataPage.Report(outcome: .rejected, fileName: "deals <march>.csv", table: "deals")
    report.rowsRead = 2
    report.rowsRejected = 2
    report.problemCount = 2
    report.problems = [
      DataPage.Problem(file: "deals <march>.csv", line: 2, column: 10, field: "amount", message: "must be an amount"),
      DataPage.Problem(
        file: "deals <march>.csv", line: 3, column: 2, field: "partner_id", message: "'P9' names no partner"),
    ]
    let model = try await DataPage.build(
      service: f.service, chrome: try await Self.chrome(f, .data, title: "Data"), report: report,
      mappings: MappingCatalog.load(directory: try DashboardFixture.mappings(f)))
    Snapshot.check(DataPage.View(model: model).render(), named: "data-rejected")
  }

  @Test func errorPage() async throws {
    let f = try await DashboardFixture.make()
    let model = await ErrorPage.build(
      service: f.service, error: .notFound("Partner not found", "There is no partner with the id “<P9>”."),
      route: .overview, selection: try await Self.chrome(f, .overview, title: "").selection, section: .partners)
    Snapshot.check(ErrorPage.View(model: model).render(), named: "error-404")
  }
}
