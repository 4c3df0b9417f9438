import ChannelKPI
import ChannelKPIStore
import Foundation
import Hummingbird
import Plot

/// Webhooks for admins: each with its recent deliveries and a button that sends a test, and a
/// form that adds one (its signing secret shown once, on the answer).
enum WebhooksPage {
  struct Hook: Sendable {
    var webhook: WebhookView
    var deliveries: [WebhookDelivery]
  }

  struct Model: Sendable {
    var chrome: PageChrome
    var hooks: [Hook]
    /// The webhook just added and its secret.
    var added: (name: String, secret: String)?
    var problem: String?
    var tested: String?
  }

  static func time(_ seconds: Int64?) -> String {
    seconds.map { Timestamp.iso(Int64($0)) } ?? "–"
  }

  struct View {
    let model: Model

    func render() -> String {
      Layout.render(
        model.chrome,
        .group(
          .pageHeader(
            eyebrow: "Administration", title: "Webhooks",
            lead:
              "Where alert changes and daily digests are posted, signed with X-ChannelKPI-Signature (HMAC-SHA256 of the body under the webhook's secret) and retried for about a day. Alert rules name them in their notify: list."
          ),
          .unwrap(model.added) { a in
            .div(
              .class("notice"), .attr("role", "status"),
              .p(.text("Webhook \(a.name) added. Its signing secret, shown only now:")),
              .p(.code(.text(a.secret))))
          },
          .unwrap(model.tested) { name in
            .p(
              .class("notice"), .attr("role", "status"),
              .text("A test delivery to \(name) is queued; it shows below within seconds."))
          },
          .unwrap(model.problem) { p in .p(.class("form-error"), .attr("role", "alert"), .text(p)) },
          model.hooks.isEmpty
            ? .empty("No webhook yet", "Add one below, or with channelkpi webhooks add NAME --url URL.")
            : .group(model.hooks.map(hook)),
          .section(
            .attr("aria-labelledby", "add-webhook"),
            .h2(.id("add-webhook"), "Add a webhook"),
            .form(
              .attr("method", "post"), .attr("action", Route.dashboardAddWebhook.path), .csrfField,
              .label(.for("webhook-name"), "Name (as rules' notify: lists it)"),
              .input(.type(.text), .id("webhook-name"), .name("name"), .required(true)),
              .label(.for("webhook-url"), "Address (http or https)"),
              .input(.type(.text), .id("webhook-url"), .name("url"), .required(true)),
              .button(.type(.submit), .class("btn"), "Add")))))
    }

    func hook(_ h: Hook) -> Node<HTML.BodyContext> {
      let id = "webhook-\(h.webhook.name)"
      return .section(
        .attr("aria-labelledby", id),
        .h2(.id(id), .text(h.webhook.name)),
        .p(.text("\(h.webhook.url), added \(h.webhook.createdAt) by \(h.webhook.createdBy)")),
        .form(
          .attr("method", "post"),
          .attr("action", "/webhooks/" + DashboardQuery.encode(h.webhook.name) + "/test"), .csrfField,
          .button(.type(.submit), .class("btn"), "Send a test")),
        h.deliveries.isEmpty
          ? .p(.class("muted"), .text("No delivery yet."))
          : .div(
            .class("table-wrap"),
            .table(
              .caption(.text("Recent deliveries")),
              .thead(
                .tr(
                  .th("Delivery"), .th("What"), .th("State"), .th("Attempts"), .th("Last status"),
                  .th("First try (UTC)"),
                  .th("Next try (UTC)"), .th("Error"))),
              .tbody(
                .group(
                  h.deliveries.map { d in
                    .tr(
                      .td(.plain(String(d.id))), .td(.plain(d.event.map { "alert change \($0)" } ?? "test or digest")),
                      .td(.plain(d.state)), .td(.plain(String(d.attempts))),
                      .td(.plain(d.lastStatus.map(String.init) ?? "–")),
                      .td(.plain(WebhooksPage.time(d.firstAttemptAt))),
                      .td(.plain(d.state == "pending" ? WebhooksPage.time(d.nextAttemptAt) : "–")),
                      .td(.plain(d.lastError ?? "")))
                  })))))
    }
  }
}

extension DashboardController {
  func webhooks(_ request: Request, added: (name: String, secret: String)?, problem: String?, tested: String? = nil)
    async throws -> HTMLPage
  {
    let q = DashboardQuery(raw: request.uri.query)
    let chrome = await PageChrome.build(
      service: service, route: .alerts, selection: try await selection(q), title: "Webhooks")
    var hooks: [WebhooksPage.Hook] = []
    for w in try await service.store.webhooks() {
      hooks.append(
        WebhooksPage.Hook(
          webhook: WebhookView(w), deliveries: try await service.store.deliveries(webhook: w.name, limit: 20)))
    }
    let model = WebhooksPage.Model(
      chrome: chrome, hooks: hooks, added: added, problem: problem, tested: tested ?? q.string("tested"))
    return HTMLPage(html: WebhooksPage.View(model: model).render())
  }

  /// The add form: the page again, with the new secret (shown once) or what was wrong.
  func addWebhook(_ request: Request, _ context: AppContext) async throws -> HTMLPage {
    var request = request
    let buffer = try await request.collectBody(upTo: 64 * 1024)
    let form = DashboardQuery(raw: String(decoding: buffer.readableBytesView, as: UTF8.self))
    let name = form.string("name") ?? ""
    let url = form.string("url") ?? ""
    if let problem = Webhook.problem(name: name, url: url) {
      return try await webhooks(request, added: nil, problem: problem)
    }
    let secret = Credentials.randomToken()
    do {
      _ = try await service.store.addWebhook(
        Webhook(
          name: name, url: url, secret: secret, createdAt: ISO8601DateFormatter().string(from: Date()),
          createdBy: context.identity?.actor ?? "dashboard"))
    } catch let e as WebhookError {
      return try await webhooks(request, added: nil, problem: e.description)
    }
    return try await webhooks(request, added: (name, secret), problem: nil)
  }

  /// The test button: queues a test delivery and goes back to the page.
  func testWebhook(_ request: Request, _ context: AppContext) async throws -> Response {
    let name = context.parameters.get("name").flatMap { $0.removingPercentEncoding } ?? ""
    do {
      _ = try await service.store.queueTestDelivery(webhook: name, at: Int64(Date().timeIntervalSince1970))
    } catch is WebhookError {
      throw DashboardError.notFound("No such webhook", "There is no webhook '\(name)'.")
    }
    return RouteGuard.redirect(to: Route.dashboardWebhooks.path + "?tested=" + DashboardQuery.encode(name))
  }
}
