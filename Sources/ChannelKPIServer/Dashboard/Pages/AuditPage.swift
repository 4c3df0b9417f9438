import ChannelKPI
import ChannelKPIStore
import Foundation
import Hummingbird
import Plot

/// The audit log for admins: who wrote what, when and from where, and refused sign-ins.
enum AuditPage {
  struct Model: Hashable, Sendable {
    var chrome: PageChrome
    var entries: [AuditEntry]
    var action: String?
  }

  struct View {
    let model: Model

    func render() -> String {
      Layout.render(
        model.chrome,
        .group(
          .pageHeader(
            eyebrow: "Administration", title: "Audit log",
            lead:
              "Every write (imports, facts, definitions, approvals, reviews, users and keys) and every sign-in, newest first."
          ),
          .form(
            .attr("method", "get"), .attr("action", Route.dashboardAudit.path),
            .label(.for("action"), "Only the action"),
            .input(.type(.text), .id("action"), .name("action"), .value(model.action ?? "")),
            .button(.type(.submit), .class("btn"), "Filter")),
          .div(
            .class("table-wrap"),
            .table(
              .thead(.tr(.th("When (UTC)"), .th("Who"), .th("Action"), .th("Target"), .th("Detail"), .th("From"))),
              .tbody(
                .group(
                  model.entries.map { e in
                    .tr(
                      .td(.plain(Timestamp.iso(e.at))), .td(.plain(e.actor)), .td(.plain(e.action)),
                      .td(.plain(e.target)), .td(.plain(e.detail)), .td(.plain(e.address)))
                  }))))))
    }
  }
}

extension DashboardController {
  func audit(_ request: Request) async throws -> HTMLPage {
    let q = DashboardQuery(raw: request.uri.query)
    let action = q.string("action")
    let chrome = await PageChrome.build(
      service: service, route: .data, selection: try await selection(q), title: "Audit log")
    let entries = try await service.store.audit(limit: 500, actor: nil, action: action)
    return HTMLPage(
      html: AuditPage.View(model: AuditPage.Model(chrome: chrome, entries: entries, action: action)).render())
  }
}
