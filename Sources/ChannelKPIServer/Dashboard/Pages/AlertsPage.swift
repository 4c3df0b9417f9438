import ChannelKPI
import ChannelKPIStore
import Foundation
import Hummingbird
import Plot

/// The alerts of the definitions' rules, and one alert with its history and acknowledgement.
enum AlertsPage {
  struct Row: Hashable, Sendable {
    var alert: StoredAlert
    var ruleName: String
    /// The partner page, for a partner scope.
    var partner: String?
  }

  struct Model: Hashable, Sendable {
    var chrome: PageChrome
    var rows: [Row]
    var state: AlertState?
    var rules: Int
  }

  struct DetailModel: Hashable, Sendable {
    var chrome: PageChrome
    var row: Row
    var events: [AlertEvent]
    var canAcknowledge: Bool
  }

  static func badge(_ state: AlertState) -> Node<HTML.BodyContext> {
    // The scorecards' colours: firing is off track, pending at risk, resolved and ok on track.
    let tone =
      switch state {
      case .firing: "badge-off_track"
      case .pending: "badge-at_risk"
      case .resolved, .ok: "badge-on_track"
      }
    return .span(.class("badge \(tone)"), .text(state.rawValue))
  }

  static func scope(_ row: Row) -> Node<HTML.BodyContext> {
    guard let p = row.partner else { return .text(row.alert.scope) }
    return .a(.href(DashboardRoute.partner(p).path), .text(row.alert.scope))
  }

  /// The firing alerts of a page's partner or KPI, each linked to its page; nothing without any.
  static func badges(_ rows: [Row]) -> Node<HTML.BodyContext> {
    .if(
      !rows.isEmpty,
      .p(
        .class("alerts-firing"), .attr("aria-label", "Firing alerts"),
        .group(
          rows.map { r in
            .a(
              .href(DashboardRoute.alert(r.alert.id).path), .class("badge badge-off_track"),
              .text("\(r.ruleName) (\(r.alert.scope))"))
          })))
  }

  struct View {
    let model: Model

    func render() -> String {
      let filters: [(String, AlertState?)] =
        [("Not ok", nil)]
        + AlertState.allCases.filter { $0 != .ok }.map {
          ($0.rawValue.capitalized, $0)
        }
      return Layout.render(
        model.chrome,
        .group(
          .pageHeader(
            eyebrow: "Monitoring", title: "Alerts",
            lead:
              "The definitions' \(model.rules) alert rule\(model.rules == 1 ? "" : "s"), judged on the periods that have ended: what fires, what waits for its next period, what resolved. Most severe first."
          ),
          .p(
            .class("filters"),
            .group(
              filters.map { label, state in
                let href = DashboardRoute.alerts.path + (state.map { "?state=\($0.rawValue)" } ?? "")
                return state == model.state ? .strong(.text(label)) : .a(.href(href), .text(label))
              })),
          model.rows.isEmpty
            ? .p(
              .class("empty"),
              .text(model.rules == 0 ? "No alert rules: add an alerts: section to the definitions." : "No alerts here.")
            )
            : .div(
              .class("table-wrap"),
              .table(
                .thead(
                  .tr(
                    .th("State"), .th("Severity"), .th("Rule"), .th("Scope"), .th("Since"), .th("Last period"),
                    .th("Acknowledged"))),
                .tbody(
                  .group(
                    model.rows.map { r in
                      .tr(
                        .td(AlertsPage.badge(r.alert.state)), .td(.text(r.alert.severity.rawValue)),
                        .td(.a(.href(DashboardRoute.alert(r.alert.id).path), .text(r.ruleName))),
                        .td(AlertsPage.scope(r)), .td(.text(r.alert.since)), .td(.text(r.alert.message)),
                        .td(.text(r.alert.acknowledgedBy ?? "")))
                    })))))
      )
    }
  }

  struct DetailView {
    let model: DetailModel

    func render() -> String {
      let a = model.row.alert
      return Layout.render(
        model.chrome,
        .group(
          .pageHeader(eyebrow: "Alert \(a.id)", title: model.row.ruleName, lead: a.message),
          .dl(
            .dt("State"), .dd(AlertsPage.badge(a.state), .text(" since \(a.since)")),
            .dt("Scope"), .dd(AlertsPage.scope(model.row)), .dt("Severity"), .dd(.text(a.severity.rawValue)),
            .dt("Acknowledged"),
            .dd(
              .text(
                a.acknowledgedBy.map { "by \($0)\(a.acknowledgedAt.map { " at \($0)" } ?? ""): \(a.note ?? "")" }
                  ?? "not yet"))),
          .if(
            model.canAcknowledge && a.state == .firing,
            .form(
              .attr("method", "post"), .attr("action", DashboardRoute.alertAcknowledge(a.id).path), .csrfField,
              .label(.for("note"), "What is being done about it (recorded as a review)"),
              .textarea(.id("note"), .name("note"), .attr("required", "required"), .attr("maxlength", "4000")),
              .button(.type(.submit), .class("btn"), "Acknowledge"))),
          .h2("History"),
          .div(
            .class("table-wrap"),
            .table(
              .thead(.tr(.th("When (UTC)"), .th("From"), .th("To"), .th("Period"), .th("What"))),
              .tbody(
                .group(
                  model.events.reversed().map { e in
                    .tr(
                      .td(.text(e.at)), .td(.text(e.from.rawValue)), .td(AlertsPage.badge(e.to)), .td(.text(e.period)),
                      .td(.text(e.message)))
                  }))))))
    }
  }
}

extension DashboardController {
  /// The alerts the viewer may see, with their rules' names.
  func alertRows(_ context: AppContext, state: AlertState?) async throws -> [AlertsPage.Row] {
    let rules = await service.alertRules
    let names = Dictionary(rules.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
    let partners = service.partners()
    let vis = Visibility(context.identity?.grant ?? Grant(role: .analyst), partners: partners)
    return try await service.alerts(state: state).compactMap { a in
      guard let scope = Scope(a.scope), vis.all || vis.canSee(scope, partners: partners) else { return nil }
      return AlertsPage.Row(
        alert: a, ruleName: names[a.rule] ?? a.rule, partner: scope.kind == .partner ? scope.value : nil)
    }
  }

  func alerts(_ request: Request, _ context: AppContext) async throws -> HTMLPage {
    let q = DashboardQuery(raw: request.uri.query)
    var state: AlertState?
    if let text = q.string("state") {
      guard let s = AlertState(rawValue: text) else {
        throw DashboardError.badRequest("No such state", "Alerts are ok, pending, firing or resolved, not '\(text)'.")
      }
      state = s
    }
    let rows = try await alertRows(context, state: state).filter { state != nil || $0.alert.state != .ok }
    let chrome = await PageChrome.build(
      service: service, route: .alerts, selection: try await selection(q), title: "Alerts")
    let rules = await service.alertRules.count
    return HTMLPage(
      html: AlertsPage.View(model: .init(chrome: chrome, rows: rows, state: state, rules: rules)).render())
  }

  func alertRow(_ context: AppContext) async throws -> AlertsPage.Row {
    let text = context.parameters.get("id") ?? ""
    guard let id = Int64(text), let row = try await alertRows(context, state: nil).first(where: { $0.alert.id == id })
    else { throw DashboardError.notFound("No such alert", "There is no alert \(text) you may see.") }
    return row
  }

  func alert(_ request: Request, _ context: AppContext) async throws -> HTMLPage {
    let q = DashboardQuery(raw: request.uri.query)
    let row = try await alertRow(context)
    let chrome = await PageChrome.build(
      service: service, route: .alert(row.alert.id), selection: try await selection(q), title: "Alert \(row.alert.id)")
    let role = context.identity?.grant.role
    return HTMLPage(
      html: AlertsPage.DetailView(
        model: .init(
          chrome: chrome, row: row, events: try await service.store.alertEvents(alert: row.alert.id),
          canAcknowledge: role == .admin || role == .manager)
      ).render())
  }

  /// The form's `note`: acknowledges the alert in the viewer's name, then back to its page.
  func acknowledgeAlert(_ request: Request, _ context: AppContext) async throws -> Response {
    let row = try await alertRow(context)
    var request = request
    let buffer = try await request.collectBody(upTo: 64 * 1024)
    let form = DashboardQuery(raw: String(decoding: buffer.readableBytesView, as: UTF8.self))
    guard let note = form.string("note"), !note.trimmingCharacters(in: .whitespaces).isEmpty, note.count <= 4000 else {
      throw DashboardError.badRequest(
        "Nothing to record", "Say what is being done (up to 4,000 characters), then acknowledge.")
    }
    do {
      _ = try await service.acknowledgeAlert(id: row.alert.id, by: context.identity?.displayName ?? "", note: note)
    } catch let e as AlertError {
      throw DashboardError.badRequest("Not acknowledged", e.description)
    }
    return RouteGuard.redirect(to: DashboardRoute.alert(row.alert.id).path)
  }
}
