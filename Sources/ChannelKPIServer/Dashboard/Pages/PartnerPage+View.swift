import ChannelKPI
import Plot

extension PartnerPage {
  /// Renders a partner page.
  struct View {
    let model: Model

    func render() -> String { Layout.render(model.chrome, content) }

    var selection: PeriodSelection? { model.chrome.selection }
    var p: PartnerInfo { model.partner }
    /// Whether the period is under way, so some KPIs are held against their projection.
    var hasPace: Bool { model.items.contains { $0.pace != nil } }

    var content: Node<HTML.BodyContext> {
      .group(
        header,
        AlertsPage.badges(model.alerts),
        .unwrap(model.lifecycle) { l in
          .p(
            .class("lifecycle-stage"),
            .a(.href(DashboardRoute.lifecycle.path + "?stage=" + l.stage.rawValue), .text("Lifecycle")), .text(" "),
            LifecyclePage.badge(l.stage), .text(" since \(l.since): \(l.reason)"))
        },
        .if(selection == nil, .noDataYet(nil)),
        .unwrap(model.tier) { tier($0) },
        .unwrap(selection) { s in
          .group(scorecard(s), Self.trainings(model.trainings, you: false), peers(s), trends(s), activity(s))
        },
        deals,
        .unwrap(selection) { s in .if(!model.comparisons.isEmpty, comparisons(s)) })
    }

    /// The recommended trainings, each with the off-track KPIs it is for; nothing without any.
    static func trainings(_ list: [TrainingRecommendation], you: Bool) -> Node<HTML.BodyContext> {
      .if(
        !list.isEmpty,
        .section(
          .class("section"), .attr("aria-labelledby", "trainings"),
          .h2(.id("trainings"), .plain("Recommended training")),
          .p(.class("sub"), .plain(you ? "For the results behind their targets:" : "For the KPIs off track:")),
          .ul(
            .group(
              list.map { t in
                .li(
                  t.link.map { .a(.href($0), .plain(t.training)) } ?? .strong(.plain(t.training)),
                  .plain(" — for " + t.kpis.joined(separator: ", ")))
              }))))
    }

    var header: Node<HTML.BodyContext> {
      var facts: [(String, String)] = [
        ("Id", p.id), ("Type", Segments.label(.type, p.type)), ("Region", Segments.label(.region, p.region)),
      ]
      if let c = p.country { facts.append(("Country", c)) }
      if let t = p.tier { facts.append(("Tier", Segments.label(.tier, t))) }
      if let m = p.manager { facts.append(("Manager", m)) }
      facts.append(("Joined", PeriodLabel.day(p.joinedOn)))
      if let l = p.leftOn { facts.append(("Left", PeriodLabel.day(l))) }
      return .pageHeader(
        eyebrow: "Partner" + (selection.map { " · \(PeriodLabel.long($0.period))" } ?? ""), title: p.name,
        lead: nil,
        .p(.class("crumbs"), .link(.partnerList, selection, "‹ All partners")),
        .ul(
          .class("facts"), .attr("aria-label", "Partner details"),
          .group(
            facts.map {
              .li(
                .class("pill"), .span(.class("sr-only"), .plain("\($0.0): ")),
                .plain($0.0 == "Id" || $0.0 == "Type" || $0.0 == "Region" ? $0.1 : "\($0.0) \($0.1)"))
            })))
    }

    func tier(_ t: TierSection) -> Node<HTML.BodyContext> {
      .section(
        .class("section"), .attr("aria-labelledby", "tier"),
        .h2(.id("tier"), .plain("Tier: \(t.level)")),
        .if(!t.benefits.isEmpty, .p(.class("sub"), .plain("Benefits: " + t.benefits.joined(separator: ", ")))),
        .unwrap(
          t.next,
          { next in
            .div(
              .class("table-wrap"),
              .table(
                .caption(.plain("To reach \(next)\(t.window.map { " (over \($0))" } ?? "")")),
                .thead(.tr(.col("Requirement"), .col("Value", numeric: true), .col("Progress"), .col("Gap"))),
                .tbody(
                  .group(
                    t.requirements.map { r in
                      .tr(
                        .th(.attr("scope", "row"), .plain(r.text)), .num(r.value),
                        .td(.bar(r.progress, cls: r.met ? "on_track" : "at_risk")), .td(.plain(r.shortfall)))
                    }))))
          }, else: .p(.class("sub"), "At the top level.")),
        .if(
          !t.history.isEmpty,
          .div(
            .class("table-wrap"),
            .table(
              .caption("Evaluations"),
              .thead(.tr(.col("Period"), .col("Held"), .col("Level"), .col("Change"), .col("Why"))),
              .tbody(
                .group(
                  t.history.map { e in
                    .tr(
                      .td(.plain(PeriodLabel.short(e.period))), .td(.plain(e.held)), .td(.plain(e.level)),
                      .td(.plain(e.change.rawValue.replacingOccurrences(of: "_", with: " "))), .td(.plain(e.why)))
                  }))))))
    }

    func scorecard(_ s: PeriodSelection) -> Node<HTML.BodyContext> {
      guard model.scorecardNote == nil else {
        return .section(
          .class("section"), .attr("aria-labelledby", "scorecard"), .h2(.id("scorecard"), "Scorecard"),
          .div(.class("notice notice-warn"), .p(.plain(model.scorecardNote ?? ""))))
      }
      let typeLabel = Segments.label(.type, p.type)
      return .section(
        .class("section"), .attr("aria-labelledby", "scorecard"),
        .h2(.id("scorecard"), .plain(model.scorecardName ?? "Scorecard")),
        .div(
          .class("scorecard-grid"),
          .div(
            .class("card"),
            .p(.class("stat-label"), "Composite score"),
            .div(
              .class("score"),
              .span(.class("score-value"), .plain(model.composite.map { ValueFormat.fixed($0, decimals: 0) } ?? "—")),
              .span(.class("score-of"), "/ 100")),
            .div(
              .class("meter"), .attr("aria-hidden", "true"),
              .span(.attr("style", "width: \(SVG.num(min(100, max(0, model.composite ?? 0))))%"))),
            .unwrap(
              model.rank,
              { rank in
                .group(
                  .p(.strong(.plain("Rank \(rank) of \(model.peers ?? 0)")), .plain(" \(typeLabel) partners")),
                  .p(
                    .class("card-note"),
                    .plain(
                      "Percentile \(model.percentile.map { ValueFormat.fixed($0, decimals: 0) } ?? "—"): scores higher than \(model.percentile.map { ValueFormat.fixed($0, decimals: 0) + "%" } ?? "—") of its peers."
                    )))
              }, else: .p(.class("card-note"), "Not ranked: no composite score, or not in the program in this period.")),
            .p(
              .class("card-note"),
              .plain(
                model.version.map { v in
                  "Definitions v\(v)" + (model.versionEffective.map { ", effective \(PeriodLabel.day($0))" } ?? "")
                } ?? "No definitions in force"))),
          .div(
            .class("table-wrap"),
            .table(
              .caption(.class("sr-only"), "Scorecard KPIs against their targets"),
              .thead(
                .tr(
                  .col("KPI"), .col("Weight", numeric: true), .col("Actual", numeric: true),
                  hasPace ? .col("On pace for", numeric: true) : .empty,
                  .col("Target", numeric: true), .col("Attainment"), .col("Status"))),
              .tbody(.group(model.items.map { item($0, s) })))))
      )
    }

    func item(_ i: KPIStanding, _ s: PeriodSelection) -> Node<HTML.TableContext> {
      .tr(
        .th(.attr("scope", "row"), .link(.kpi(i.kpi), s, .plain(i.name))),
        .num(i.weight.map { DashboardFormat.trimZeros(ValueFormat.fixed($0, decimals: 2)) } ?? "—"),
        .num(DashboardFormat.value(i.actual, unit: i.unit)),
        hasPace ? .num(DashboardFormat.value(i.pace, unit: i.unit)) : .empty,
        .num(DashboardFormat.value(i.target, unit: i.unit)),
        .td(
          .class("bar-cell"), .bar(i.attainment, cls: i.status.rawValue),
          .span(.class("sub"), .plain(DashboardFormat.percent(i.attainment)))),
        .td(
          i.target == nil ? .span(.class("badge badge-no_data"), "No target") : .statusBadge(i.status),
          .unwrap(model.chances[i.kpi]) { .span(.class("sub"), .plain(DashboardFormat.chance($0))) }))
    }

    func peers(_ s: PeriodSelection) -> Node<HTML.BodyContext> {
      guard !model.benchmarks.isEmpty else { return .empty }
      return .section(
        .class("card section"), .attr("aria-labelledby", "peers"),
        .h2(.id("peers"), .plain("Among \(Segments.label(.type, p.type)) partners")),
        .p(
          .class("card-note"),
          "The box spans the middle half of its peers (25th to 75th percentile) with the median; the tick is the 90th percentile, the dot this partner, a square an external figure."
        ),
        .div(
          .class("table-wrap"),
          .table(
            .thead(
              .tr(
                .col("KPI"), .col("Value", numeric: true), .col("Better than", numeric: true), .col("Peers"),
                .col("Median", numeric: true), .col("External figures"))),
            .tbody(
              .group(
                model.benchmarks.map { b in
                  let q = b.position
                  return .tr(
                    .th(.attr("scope", "row"), .link(.kpi(b.kpi), s, .plain(b.name))),
                    .num(DashboardFormat.value(q.value, unit: b.unit)),
                    .num(
                      q.percentile.map { pc in
                        DashboardFormat.percent(pc / 100) + (q.others.map { " of \(DashboardFormat.count($0))" } ?? "")
                      } ?? "—"),
                    .td(
                      .unwrap(
                        q.cuts,
                        {
                          PeerBox(
                            cuts: $0, value: q.value, external: q.external.map(\.value), unit: b.unit,
                            label: "\(b.name) of this partner against its peers"
                          ).node
                        }, else: .plain("Too few peers to show"))),
                    .num(DashboardFormat.value(q.cuts?.median, unit: b.unit)),
                    .td(
                      .plain(DashboardFormat.external(q.external, unit: b.unit))))
                })))))
    }

    func trends(_ s: PeriodSelection) -> Node<HTML.BodyContext> {
      guard !model.trends.isEmpty else { return .empty }
      return .section(
        .class("section"), .attr("aria-labelledby", "trends"),
        .h2(
          .id("trends"),
          .plain("Trends over \(PartnerPage.trendLength) \(PeriodLabel.grainNoun(s.grain, plural: true))")),
        .div(
          .class("smalls"),
          .group(
            model.trends.map { t in
              .article(
                .class("small"),
                .h3(.link(.kpi(t.id), s, .plain(t.name))),
                .p(.class("v"), .valueWithUnit(DashboardFormat.compactParts(t.value, unit: t.unit))),
                Sparkline(values: t.values, labels: t.labels, unit: t.unit, name: t.name, width: 190, height: 40).node,
                .p(.change(t.change, versus: model.previousLabel)),
                .p(
                  .link(
                    .explain(kpi: t.id, scope: Scope(.partner, p.id), versus: nil), s, "Explain this change",
                    cls: "explain-link")))
            })))
    }

    func activity(_ s: PeriodSelection) -> Node<HTML.BodyContext> {
      .section(
        .class("section"), .attr("aria-labelledby", "activity"),
        .h2(.id("activity"), .plain("Activity in \(PeriodLabel.long(s.period))")),
        .ul(
          .class("counts"),
          .group(
            model.activity.map { a in
              .li(
                .span(.class("n"), .plain(DashboardFormat.count(a.count))),
                .span(.class("what"), .plain(a.label)))
            })))
    }

    var deals: Node<HTML.BodyContext> {
      .section(
        .class("section"), .attr("aria-labelledby", "deals"),
        .h2(.id("deals"), "Recent deals"),
        model.deals.isEmpty
          ? .empty("No deals", "This partner has not registered or created any deal yet.")
          : .div(
            .class("table-wrap"),
            .table(
              .caption(.class("sr-only"), "The partner’s ten most recently created deals"),
              .thead(
                .tr(
                  .col("Deal"), .col("Created"), .col("Stage"), .col("Closed"), .col("Source"), .col("Registration"),
                  .col("Product"), .col("Amount", numeric: true))),
              .tbody(
                .group(
                  model.deals.map { d in
                    .tr(
                      .th(.attr("scope", "row"), .plain(d.id), .span(.class("sub"), .plain(d.customer))),
                      .td(.plain(d.created)),
                      .td(
                        .span(
                          .class("pill stage-\(HTMLEscape.attribute(d.stage))"),
                          .plain(DashboardFormat.humanize(d.stage)))),
                      .td(.plain(d.closed)), .td(.plain(d.source)), .td(.plain(d.registration)), .td(.plain(d.product)),
                      .num(d.amount))
                  })))))
    }

    func comparisons(_ s: PeriodSelection) -> Node<HTML.BodyContext> {
      .section(
        .class("section"), .attr("aria-labelledby", "all-kpis"),
        .h2(.id("all-kpis"), "All KPIs"),
        .element(
          named: "details",
          nodes: [
            .class("data-table"),
            .element(named: "summary", nodes: [.text("Show every KPI of this partner beside the network")]),
            .div(
              .class("table-wrap"),
              .table(
                .thead(.tr(.col("KPI"), .col("This partner", numeric: true), .col("Network", numeric: true))),
                .tbody(
                  .group(
                    model.comparisons.map { c in
                      .tr(
                        .th(.attr("scope", "row"), .link(.kpi(c.id), s, .plain(c.name))),
                        .num(DashboardFormat.value(c.partner, unit: c.unit)),
                        .num(DashboardFormat.value(c.network, unit: c.unit)))
                    })))),
          ]))
    }
  }
}
