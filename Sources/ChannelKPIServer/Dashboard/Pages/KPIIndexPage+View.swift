import ChannelKPI
import Plot

extension KPIIndexPage {
  /// Renders the KPI list.
  struct View {
    let model: Model

    func render() -> String { Layout.render(model.chrome, content) }

    var content: Node<HTML.BodyContext> {
      let s = model.chrome.selection
      return .group(
        .pageHeader(
          eyebrow: s.map { "Network · \(PeriodLabel.long($0.period))" }, title: "KPIs",
          lead:
            "The \(model.count) KPIs of the catalog, by family. Open one to see its trend, its breakdown by segment and the partners that lead and trail."
        ),
        .group(model.families.filter { !$0.tiles.isEmpty }.map { family($0, s) }))
    }

    func family(_ f: OverviewPage.Family, _ s: PeriodSelection?) -> Node<HTML.BodyContext> {
      .section(
        .class("family"), .attr("aria-labelledby", "family-\(f.id)"),
        .h2(.id("family-\(f.id)"), .plain(f.title)),
        .div(
          .class("table-wrap"),
          .table(
            .class("kpi-table"),
            .thead(
              .tr(
                .col("KPI"), .col("Better"), .col("Value", numeric: true), .col("Trend"),
                .col("Change", numeric: true), .col("Target"))),
            .tbody(.group(f.tiles.map { row($0, s) })))))
    }

    func row(_ t: OverviewPage.Tile, _ s: PeriodSelection?) -> Node<HTML.TableContext> {
      .tr(
        .th(
          .attr("scope", "row"), .link(.kpi(t.id), s, .plain(t.name)),
          .span(.class("sub"), .plain(t.description))),
        .td(.plain(t.better == .higher ? "Higher" : "Lower")),
        .num(DashboardFormat.value(t.value, unit: t.unit)),
        .td(
          .if(
            !t.trend.isEmpty,
            Sparkline(values: t.trend, labels: t.trendLabels, unit: t.unit, name: t.name, width: 110, height: 28).node)),
        .td(.class("num"), .change(t.changeVsPrevious, versus: model.previousLabel)),
        .td(.unwrap(t.status, { .statusBadge($0) }, else: .span(.class("sub"), "No target")))
      )
    }
  }
}
