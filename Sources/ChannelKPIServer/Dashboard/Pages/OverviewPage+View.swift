import ChannelKPI
import Plot

extension OverviewPage {
  /// Renders the overview.
  struct View {
    let model: Model

    func render() -> String { Layout.render(model.chrome, content) }

    var content: Node<HTML.BodyContext> {
      guard let s = model.chrome.selection else {
        return .group(.pageHeader(title: "Overview"), .noDataYet(nil))
      }
      return .group(
        .pageHeader(
          eyebrow: "Network · \(PeriodLabel.long(s.period))", title: "Program overview",
          lead:
            "Every KPI of the partner network for \(PeriodLabel.long(s.period)), with its trend over the last \(OverviewPage.trendLength) \(PeriodLabel.grainNoun(s.grain, plural: true)) and its target where one is set.",
          summary),
        .group(model.families.filter { !$0.tiles.isEmpty }.map { family($0, s) })
      )
    }

    var summary: Node<HTML.BodyContext> {
      let total = model.statusCounts.values.reduce(0, +)
      guard total > 0 else {
        return .p(.class("summary-note"), "No targets apply to the network in this period.")
      }
      return .ul(
        .class("status-summary"), .attr("aria-label", "Targets"),
        .group(
          [TargetStatus.onTrack, .atRisk, .offTrack, .noData].compactMap { st in
            guard let n = model.statusCounts[st], n > 0 else { return nil }
            return .li(
              .class("badge badge-\(st.rawValue)"), .strong(.plain(String(n))),
              .plain(" \(Node<HTML.BodyContext>.statusLabel(st).lowercased())"))
          }))
    }

    func family(_ f: Family, _ s: PeriodSelection) -> Node<HTML.BodyContext> {
      .section(
        .class("family"), .attr("aria-labelledby", "family-\(f.id)"),
        .h2(.id("family-\(f.id)"), .plain(f.title)),
        .div(.class("tiles"), .group(f.tiles.map { tile($0, s) })))
    }

    func tile(_ t: Tile, _ s: PeriodSelection) -> Node<HTML.BodyContext> {
      .article(
        .class("tile"),
        .h3(.class("tile-title"), .link(.kpi(t.id), s, .plain(t.name), cls: "stretched")),
        .div(
          .class("tile-main"),
          .p(.class("tile-value"), .valueWithUnit(DashboardFormat.compactParts(t.value, unit: t.unit))),
          .component(
            Node<HTML.BodyContext>.div(
              .class("tile-spark"), Sparkline(values: t.trend, labels: t.trendLabels, unit: t.unit, name: t.name).node))
        ),
        .ul(
          .class("tile-changes"),
          .li(.change(t.changeVsPrevious, versus: model.previousLabel)),
          .unwrap(model.yearAgoLabel) { label in .li(.change(t.changeVsYearAgo, versus: label)) },
          .li(.link(.explain(kpi: t.id, scope: .network, versus: nil), s, "Explain this change", cls: "explain-link"))
        ),
        .unwrap(t.status) { status in
          .p(
            .class("tile-target"), .statusBadge(status),
            .span(
              .class("target-text"),
              .plain(" Target \(DashboardFormat.compact(t.target, unit: t.unit))"),
              .unwrap(t.attainment) { a in .plain(" · \(DashboardFormat.percent(a)) attained") }),
            .unwrap(t.pace) { pace in
              .span(.class("pace"), .plain("On pace for \(DashboardFormat.compact(pace, unit: t.unit))"))
            })
        }
      )
    }
  }
}
