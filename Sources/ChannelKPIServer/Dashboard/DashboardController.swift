import ChannelKPI
import ChannelKPIStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The dashboard's HTML pages: overview, KPIs, partners and data, each a model built from the
/// service and a view that renders it.
struct DashboardController {
  let service: KPIService
  /// The reporting currency amounts are written in.
  var currency: Currency = .usd
  /// Where the CRM mappings uploads can go through are.
  var mappingsDirectory: String? = MappingCatalog.defaultDirectory

  /// A rendered page and its status.
  struct HTMLPage: Sendable {
    var status: HTTPResponse.Status = .ok
    var html: String
  }

  typealias Handler = @Sendable (Request, AppContext) async throws -> Response

  /// The answers to paths no route takes: a JSON 404 under the API, a friendly page elsewhere.
  func addFallbacks(to router: Router<AppContext>) {
    for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
      router.on("api/v1/**", method: method) { request, _ -> Response in
        throw APIError.notFound("no route \(request.method) \(request.uri.path); see /openapi.json")
      }
    }
    let notFound = page { r, _ in
      if r.uri.path.hasPrefix("/api/") { throw APIError.notFound("no route \(r.uri.path)") }
      throw DashboardError.noPage
    }
    router.get("**") { request, context in
      try await Viewer.$current.withValue(context.identity.map(Viewer.init)) { try await notFound(request, context) }
    }
  }

  static let stylesheet: RouteGuard.Handler = { _, _ in
    Response(
      status: .ok,
      headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
      body: ResponseBody(byteBuffer: ByteBuffer(string: Stylesheet.css)))
  }

  /// Pages that show the whole network are for those who see every partner.
  static func requireWholeNetwork(_ context: AppContext, service: KPIService) async throws(DashboardError) {
    guard let who = context.identity else { return }
    guard Visibility(who.grant, partners: service.partners()).all else {
      throw DashboardError(
        status: .forbidden, title: "Not available to you",
        message: "This page shows the whole network. Your partners are on the Partners page.")
    }
  }

  static func visibility(_ context: AppContext, service: KPIService) async -> Visibility? {
    guard let who = context.identity else { return nil }
    return Visibility(who.grant, partners: service.partners())
  }

  // MARK: Plumbing

  /// Pages run no script and load nothing from elsewhere; the policy says so to the browser.
  static var contentSecurityPolicy: String { SecurityHeadersMiddleware<AppContext>.contentSecurityPolicy }

  static func response(_ page: HTMLPage) -> Response {
    Response(
      status: page.status,
      headers: [
        .contentType: "text/html; charset=utf-8", .contentSecurityPolicy: contentSecurityPolicy,
        .xContentTypeOptions: "nosniff", .cacheControl: "no-store",
      ],
      body: ResponseBody(byteBuffer: ByteBuffer(string: page.html)))
  }

  /// Wraps a page builder: dashboard errors become friendly pages with their status, anything
  /// else a 500 page (the details go to the log).
  func page(_ build: @escaping @Sendable (Request, AppContext) async throws -> HTMLPage) -> Handler {
    let service = service
    let sign = currency.prefix
    return { request, context in
      try await DashboardFormat.$currency.withValue(sign) {
        try await Self.render(build, request: request, context: context, service: service)
      }
    }
  }

  private static func render(
    _ build: @Sendable (Request, AppContext) async throws -> HTMLPage, request: Request,
    context: AppContext, service: KPIService
  ) async throws -> Response {
    do {
      return Self.response(try await build(request, context))
    } catch let e as DashboardError {
      return await Self.errorResponse(e, request: request, service: service)
    } catch let e as APIError {
      throw e
    } catch {
      context.logger.error(
        "dashboard page failed", metadata: ["path": "\(request.uri.path)", "error": "\(StoreError.describe(error))"])
      return await Self.errorResponse(.internalError, request: request, service: service)
    }
  }

  static func errorResponse(_ error: DashboardError, request: Request, service: KPIService) async -> Response {
    // Only the vendor's people see the dashboard's frame around an error.
    guard let viewer = Viewer.current, viewer.role != Role.partner.rawValue else {
      let home = Viewer.current == nil ? Route.loginPage.path : Route.portal.path
      return response(HTMLPage(status: error.status, html: ErrorPage.minimal(error, home: home)))
    }
    let q = DashboardQuery(raw: request.uri.query)
    let coverage = service.coverage
    // Keep the period asked for when it is valid, else fall back to the default one.
    let selection =
      (try? PeriodSelection.resolve(grain: q.string("grain"), period: q.string("period"), coverage: coverage))
      ?? (try? PeriodSelection.resolve(grain: nil, period: nil, coverage: coverage)) ?? nil
    let path = request.uri.path
    let section = NavSection.allCases.first { s in
      s != .overview && (path == s.route.path || path.hasPrefix(s.route.path + "/"))
    }
    let model = await ErrorPage.build(
      service: service, error: error, route: .overview, selection: selection, section: section)
    return response(HTMLPage(status: error.status, html: ErrorPage.View(model: model).render()))
  }

  func selection(_ q: DashboardQuery) async throws(DashboardError) -> PeriodSelection? {
    try PeriodSelection.resolve(grain: q.string("grain"), period: q.string("period"), coverage: service.coverage)
  }

  /// A path parameter, percent-decoded.
  static func pathParameter(_ context: AppContext, _ name: String) throws(DashboardError) -> String {
    guard let raw = context.parameters.get(name), let id = DashboardQuery.decodePathSegment(raw), !id.isEmpty else {
      throw DashboardError.noPage
    }
    return id
  }

  // MARK: Pages

  func overview(_ request: Request, _ context: AppContext) async throws -> HTMLPage {
    try await Self.requireWholeNetwork(context, service: service)
    let s = try await selection(DashboardQuery(raw: request.uri.query))
    let chrome = await PageChrome.build(service: service, route: .overview, selection: s, title: "Overview")
    let model = try await OverviewPage.build(service: service, chrome: chrome)
    return HTMLPage(html: OverviewPage.View(model: model).render())
  }

  func kpiIndex(_ request: Request, _ context: AppContext) async throws -> HTMLPage {
    try await Self.requireWholeNetwork(context, service: service)
    let s = try await selection(DashboardQuery(raw: request.uri.query))
    let chrome = await PageChrome.build(service: service, route: .kpis, selection: s, title: "KPIs")
    let model = try await KPIIndexPage.build(service: service, chrome: chrome)
    return HTMLPage(html: KPIIndexPage.View(model: model).render())
  }

  func kpi(_ request: Request, _ context: AppContext) async throws -> HTMLPage {
    try await Self.requireWholeNetwork(context, service: service)
    let id = try Self.pathParameter(context, "id")
    let s = try await selection(DashboardQuery(raw: request.uri.query))
    guard let def = service.catalog.kpi(id) else {
      throw DashboardError.notFound(
        "KPI not found", "There is no KPI “\(id)” in the catalog. The KPIs page lists every KPI there is.")
    }
    let chrome = await PageChrome.build(service: service, route: .kpi(id), selection: s, title: def.name)
    var model = try await KPIPage.build(service: service, chrome: chrome, definition: def)
    let rules = Set(await service.alertRules.filter { $0.kpi == def.id }.map(\.id))
    model.alerts = try await alertRows(context, state: .firing).filter { rules.contains($0.alert.rule) }
    return HTMLPage(html: KPIPage.View(model: model).render())
  }

  func partnerList(_ request: Request, _ context: AppContext) async throws -> HTMLPage {
    let q = DashboardQuery(raw: request.uri.query)
    let filter = try PartnerListPage.filter(q)
    let s = try await selection(q)
    let chrome = await PageChrome.build(service: service, route: .partners(filter), selection: s, title: "Partners")
    let model = try await PartnerListPage.build(
      service: service, chrome: chrome, filter: filter, visibility: await Self.visibility(context, service: service))
    return HTMLPage(html: PartnerListPage.View(model: model).render())
  }

  func partner(_ request: Request, _ context: AppContext) async throws -> HTMLPage {
    let id = try Self.pathParameter(context, "id")
    let s = try await selection(DashboardQuery(raw: request.uri.query))
    let visible = await Self.visibility(context, service: service)?.canSee(partner: id) ?? true
    guard let info = service.partner(id), visible else {
      throw DashboardError.notFound(
        "Partner not found", "There is no partner with the id “\(id)”. Search for it on the Partners page.")
    }
    let chrome = await PageChrome.build(service: service, route: .partner(id), selection: s, title: info.name)
    let vis = await Self.visibility(context, service: service)
    var model = try await PartnerPage.build(
      service: service, chrome: chrome, partner: info, logger: context.logger, seenBy: vis?.partnerTest)
    // The network's values hold other managers' partners: only those who see every partner get them.
    if vis?.all == false {
      model.comparisons = []
      // Its position among others' partners only as an anonymous percentile, as a partner sees it.
      model.rank = nil
      if (model.peers ?? 0) <= 5 { model.percentile = nil }
      model.peers = nil
    }
    model.alerts = try await alertRows(context, state: .firing).filter { $0.partner == id }
    model.lifecycle = try await service.lifecycle(of: id)
    return HTMLPage(html: PartnerPage.View(model: model).render())
  }

  func tiers(_ request: Request, _ context: AppContext) async throws -> HTMLPage {
    try await Self.requireWholeNetwork(context, service: service)
    let s = try await selection(DashboardQuery(raw: request.uri.query))
    let chrome = await PageChrome.build(service: service, route: .tiers, selection: s, title: "Tiers")
    let model = try await TiersPage.build(service: service, chrome: chrome)
    return HTMLPage(html: TiersPage.View(model: model).render())
  }

  func lifecycle(_ request: Request, _ context: AppContext) async throws -> HTMLPage {
    let query = DashboardQuery(raw: request.uri.query)
    let s = try await selection(query)
    let chrome = await PageChrome.build(service: service, route: .lifecycle, selection: s, title: "Lifecycle")
    let model = try await LifecyclePage.build(
      service: service, chrome: chrome, query: query, visibility: await Self.visibility(context, service: service))
    return HTMLPage(html: LifecyclePage.View(model: model).render())
  }

  func statements(_ request: Request, _ context: AppContext) async throws -> HTMLPage {
    let s = try await selection(DashboardQuery(raw: request.uri.query))
    let chrome = await PageChrome.build(service: service, route: .statements, selection: s, title: "Statements")
    let model = try await StatementsPage.build(
      service: service, chrome: chrome, visibility: await Self.visibility(context, service: service))
    return HTMLPage(html: StatementsPage.View(model: model).render())
  }

  func data(_ request: Request) async throws -> HTMLPage {
    let s = try await selection(DashboardQuery(raw: request.uri.query))
    let chrome = await PageChrome.build(service: service, route: .data, selection: s, title: "Data")
    let model = try await DataPage.build(
      service: service, chrome: chrome, report: nil, mappings: MappingCatalog.load(directory: mappingsDirectory))
    return HTMLPage(html: DataPage.View(model: model).render())
  }
}
