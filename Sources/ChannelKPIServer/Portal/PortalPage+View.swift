import ChannelKPI
import ChannelKPIStore
import Plot

extension PortalPage {
  /// Renders the portal page, or the printable quarterly report.
  struct View {
    let model: Model
    /// The stylesheet inside the page (a file sent by mail) rather than linked (the server's page).
    var embeddedStyles = false

    var partner: PartnerInfo { model.partner.partner }

    func render() -> String {
      let title = model.printable ? "Quarterly report · \(partner.name)" : partner.name
      return HTML(
        .lang(.english),
        Layout.head(title, embeddedStyles: embeddedStyles),
        .body(
          .class(model.printable ? "portal report" : "portal"),
          .header(
            .class("site-header"),
            .div(.class("bar"), .span(.class("brand"), .plain("\(Layout.productName) partner portal")))),
          .if(!model.printable, Layout.account),
          .main(.id("main"), content),
          .footer(
            .class("site-footer"),
            .p(
              .plain(
                "Figures for \(partner.name) only. Questions? Reply to a review below or contact your channel manager.")
            ))
        )
      ).render(indentedBy: .spaces(1))
    }

    var periodText: String { model.period.map { PeriodLabel.long($0) } ?? "no data yet" }

    var content: Node<HTML.BodyContext> {
      .group(
        .h1(.plain(model.printable ? "\(partner.name): report for \(periodText)" : "Welcome, \(partner.name)")),
        .if(
          !model.printable,
          .p(
            .class("lead"),
            .plain("Your results for \(periodText). "),
            .unwrap(model.period) { p in
              .a(
                .attr("href", Route.portalReport.path + "?period=\(p.description)"), "Printable report for this period")
            })),
        scorecard,
        PartnerPage.View.trainings(model.partner.trainings, you: true),
        peers,
        trends,
        .unwrap(model.partner.tier) { PartnerPage.View(model: model.partner).tier($0) },
        statements,
        funds,
        .if(!model.printable, reviews))
    }

    var scorecard: Node<HTML.BodyContext> {
      let items = model.partner.items
      return .section(
        .class("section"), .attr("aria-labelledby", "scorecard"),
        .h2(.id("scorecard"), .plain(model.partner.scorecardName ?? "Your scorecard")),
        .unwrap(model.partner.percentile) { p in
          .p(.class("sub"), .plain("Your overall score is ahead of \(Int(p.rounded()))% of partners like you."))
        },
        .if(
          items.isEmpty,
          .p(.plain(model.partner.scorecardNote ?? "There is no scorecard for your partner type yet."))),
        .if(
          !items.isEmpty,
          .div(
            .class("table-wrap"),
            .table(
              .thead(.tr(.th("KPI"), .th("Your result"), .th("Target"), .th("Status"), .th("What to do next"))),
              .tbody(
                .group(
                  items.map { s in
                    .tr(
                      .td(.plain(s.name)), .td(.class("num"), .plain(DashboardFormat.value(s.actual, unit: s.unit))),
                      .td(.class("num"), .plain(s.target.map { DashboardFormat.value($0, unit: s.unit) } ?? "—")),
                      .td(
                        s.target == nil ? .span(.class("badge badge-no_data"), "No target") : .statusBadge(s.status),
                        .unwrap(model.partner.chances[s.kpi]) {
                          .span(.class("sub"), .plain(DashboardFormat.chance($0)))
                        }),
                      .td(
                        .plain(PortalPage.advice(s) ?? (s.status == .onTrack && s.target != nil ? "Keep it up." : "—")))
                    )
                  }))))))
    }

    /// Where it stands among partners like it: anonymous figures only, with at least 5 others.
    var peers: Node<HTML.BodyContext> {
      .if(
        !model.partner.benchmarks.isEmpty,
        .section(
          .class("section"), .attr("aria-labelledby", "peers"),
          .h2(.id("peers"), "Among partners like you"),
          .p(
            .class("sub"),
            "The box spans the middle half of partners of your type (no names, no single partner's value); the dot is you."
          ),
          .div(
            .class("table-wrap"),
            .table(
              .thead(.tr(.th("KPI"), .th("You"), .th("Ahead of"), .th("Partners like you"), .th("Median"))),
              .tbody(
                .group(
                  model.partner.benchmarks.map { b in
                    .tr(
                      .td(.plain(b.name)),
                      .td(.class("num"), .plain(DashboardFormat.value(b.position.value, unit: b.unit))),
                      .td(
                        .class("num"), .plain(b.position.percentile.map { DashboardFormat.percent($0 / 100) } ?? "—")),
                      .td(
                        .unwrap(b.position.cuts) {
                          PeerBox(
                            cuts: $0, value: b.position.value, external: b.position.external.map(\.value), unit: b.unit,
                            label: "\(b.name): you against partners like you"
                          ).node
                        }),
                      .td(.class("num"), .plain(DashboardFormat.value(b.position.cuts?.median, unit: b.unit))))
                  }))))))
    }

    var trends: Node<HTML.BodyContext> {
      .if(
        !model.partner.trends.isEmpty,
        .section(
          .class("section"), .attr("aria-labelledby", "trends"),
          .h2(.id("trends"), "Your trends"),
          .ul(
            .class("trend-list"),
            .group(
              model.partner.trends.map { t in
                .li(
                  .span(.class("trend-name"), .plain(t.name)),
                  Sparkline(values: t.values, labels: t.labels, unit: t.unit, name: t.name).node,
                  .span(.class("num"), .plain(DashboardFormat.value(t.value, unit: t.unit))))
              }))))
    }

    var statements: Node<HTML.BodyContext> {
      .section(
        .class("section"), .attr("aria-labelledby", "statements"),
        .h2(.id("statements"), "Your incentive statements"),
        .if(model.statements.isEmpty, .p("No incentives earned in these periods yet.")),
        .group(
          model.statements.map { s in
            .div(
              .class("table-wrap"),
              .table(
                .caption(.plain("\(s.period): \(s.total) (\(s.state))")),
                .thead(.tr(.th("Plan"), .th("Line"), .th("Amount"))),
                .tbody(
                  .group(
                    s.lines.map { l in
                      .tr(.td(.plain(l.plan)), .td(.plain(l.line)), .td(.class("num"), .plain(l.amount)))
                    }))))
          }))
    }

    var funds: Node<HTML.BodyContext> {
      .if(
        !model.funds.isEmpty,
        .section(
          .class("section"), .attr("aria-labelledby", "mdf"),
          .h2(.id("mdf"), "Your marketing development funds"),
          .div(
            .class("table-wrap"),
            .table(
              .thead(.tr(.th("Period"), .th("Plan"), .th("Earned"), .th("Claimed"), .th("Expired"), .th("Available"))),
              .tbody(
                .group(
                  model.funds.map { f in
                    .tr(
                      .td(.plain(f.period)), .td(.plain(f.plan)), .td(.class("num"), .plain(f.accrued)),
                      .td(.class("num"), .plain(f.claimed)), .td(.class("num"), .plain(f.expired)),
                      .td(.class("num"), .plain(f.closing)))
                  }))))))
    }

    var reviews: Node<HTML.BodyContext> {
      .section(
        .class("section"), .attr("aria-labelledby", "reviews"),
        .h2(.id("reviews"), "Reviews from your channel manager"),
        .if(model.reviews.isEmpty, .p("No reviews have been shared with you yet.")),
        .group(
          model.reviews.map { r in
            .article(
              .class("card review"),
              .h3(.plain("\(r.date)\(r.about.isEmpty ? "" : " · \(r.about)")")),
              .p(.strong("Finding: "), .plain(r.finding)),
              .p(.strong("Agreed action: "), .plain(r.action)),
              .group(r.replies.map { .p(.class("reply"), .strong(.plain("\($0.author): ")), .plain($0.text)) }),
              .unwrap(r.acknowledged) { .p(.class("muted"), .plain($0)) },
              .if(
                r.acknowledged == nil,
                .form(
                  .attr("method", "post"), .attr("action", "/portal/reviews/\(r.id)/acknowledge"), .csrfField,
                  .button(.type(.submit), .class("btn"), "Mark as read"))),
              .form(
                .attr("method", "post"), .attr("action", "/portal/reviews/\(r.id)/reply"), .csrfField,
                .label(.for("reply-\(r.id)"), "Your reply"),
                .textarea(.id("reply-\(r.id)"), .name("text"), .attribute(named: "maxlength", value: "4000")),
                .button(.type(.submit), .class("btn"), "Send reply")))
          }))
    }
  }
}
