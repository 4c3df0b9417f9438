import ChannelKPI
import Hummingbird

/// Why a KPI moved between two periods: the dimensions ranked, each one's segments with their
/// contributions, and the drill-down from the most telling segment.
enum ExplainPage {
  struct Model: Sendable {
    var chrome: PageChrome
    var definition: KPIDefinition
    var scope: Scope
    var versus: Period
    var explanation: ChangeExplanation
  }
}

extension DashboardController {
  /// `/kpis/{id}/explain?scope=S&grain=G&period=P[&vs=P2]`
  func explain(_ request: Request, _ context: AppContext) async throws -> HTMLPage {
    let q = DashboardQuery(raw: request.uri.query)
    let id = try Self.pathParameter(context, "id")
    guard let def = service.catalog.kpi(id) else {
      throw DashboardError.notFound(
        "KPI not found", "Name a KPI of the catalog to explain its change. The KPIs page lists every KPI there is.")
    }
    let scopeText = q.string("scope") ?? "network"
    guard let scope = Scope(scopeText) else {
      throw DashboardError.badRequest(
        "Not a scope", "“\(scopeText)” is not a scope: write network, partner:ID, type:X, region:X or tier:X.")
    }
    let partners = service.partners()
    if let vis = await Self.visibility(context, service: service), !vis.canSee(scope, partners: partners) {
      throw DashboardError(
        status: .forbidden, title: "Not available to you",
        message: "This scope holds partners other than yours. Explain your partners' KPIs from their pages.")
    }
    if scope != .network, !partners.contains(where: { $0.scope(scope.kind) == scope }) {
      throw DashboardError.notFound("Nothing to explain", "No partner belongs to “\(scope)”.")
    }
    guard let s = try await selection(q) else {
      throw DashboardError.notFound("No data yet", "Import some facts first: there is no period to explain.")
    }
    var versus = s.previous.period
    if let v = q.string("vs") {
      guard let p = Period(v), p.grain == s.grain else {
        throw DashboardError.badRequest(
          "Not a period to compare with", "“\(v)” is not a \(s.grain.rawValue) such as \(s.period.shifted(by: -1)).")
      }
      versus = p
    }
    let explanation: ChangeExplanation
    do {
      explanation = try await service.explain(
        kpi: id, scope: scope, period: s.period, versus: versus, dimensions: nil)
    } catch {
      throw DashboardError.badRequest("Cannot explain this change", error.message)
    }
    let chrome = await PageChrome.build(
      service: service, route: .explain(kpi: id, scope: scope, versus: q.string("vs").flatMap(Period.init)),
      selection: s, title: "Why \(def.name) moved")
    return HTMLPage(
      html: ExplainPage.View(
        model: ExplainPage.Model(
          chrome: chrome, definition: def, scope: scope, versus: versus, explanation: explanation)
      ).render())
  }
}
