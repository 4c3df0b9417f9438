import ChannelKPI
import Plot

extension ExplainPage {
  /// Renders the explanation of a change.
  struct View {
    let model: Model
    /// How many segments each dimension lists.
    static let perDimension = 8

    var def: KPIDefinition { model.definition }
    var r: ChangeExplanation { model.explanation }

    func render() -> String { Layout.render(model.chrome, content) }

    var content: Node<HTML.BodyContext> {
      .group(
        .pageHeader(
          eyebrow: "Explain a change · \(scopeLabel)",
          title:
            "\(def.name): \(PeriodLabel.long(model.versus)) → \(model.chrome.selection.map { PeriodLabel.long($0.period) } ?? r.period)",
          lead: r.summary),
        stats, measures, ranking, dimensions, notes)
    }

    var scopeLabel: String {
      switch model.scope.kind {
      case .network: "Whole network"
      case .partner: "Partner \(model.scope.value ?? "")"
      default: "\(Segments.kindTitle(model.scope.kind)) \(Segments.label(model.scope.kind, model.scope.value ?? ""))"
      }
    }

    func signed(_ v: Double?) -> String { v.map { ChangeExplanation.signed($0, unit: def.unit) } ?? "—" }

    var stats: Node<HTML.BodyContext> {
      .div(
        .class("kpi-hero"),
        .div(
          .class("stat"), .p(.class("stat-label"), .plain(PeriodLabel.long(model.versus))),
          .p(.class("stat-value"), .plain(DashboardFormat.value(r.before, unit: def.unit)))),
        .div(
          .class("stat"),
          .p(.class("stat-label"), .plain(model.chrome.selection.map { PeriodLabel.long($0.period) } ?? r.period)),
          .p(.class("stat-value"), .plain(DashboardFormat.value(r.after, unit: def.unit)))),
        .div(
          .class("stat"), .p(.class("stat-label"), "Change"),
          .p(.class("stat-value"), .plain(signed(r.change))),
          .p(
            .class("card-note"),
            .plain(
              r.method == "ratio"
                ? "A ratio: each segment's part splits into its own rate and its weight in the mix."
                : r.method == "sum"
                  ? "A sum: each segment's part is its own change."
                  : "Several measures: first split by measure, then the measures that moved most by segment."))),
        .div(
          .class("stat"), .p(.class("stat-label"), "Download"),
          .p(
            .a(
              .href(.explainExport(kpi: def.id, scope: model.scope, versus: model.versus), model.chrome.selection),
              "CSV of every segment")))
      )
    }

    var measures: Node<HTML.BodyContext> {
      guard !r.measures.isEmpty else { return .empty }
      let largest = r.measures.map { Swift.abs($0.effect) }.max() ?? 0
      return .section(
        .class("card section"), .attr("aria-labelledby", "measures"),
        .h2(.id("measures"), "By measure"),
        .div(
          .class("table-wrap"),
          .table(
            .thead(
              .tr(
                .col("Measure"), .col("Before", numeric: true), .col("After", numeric: true),
                .col("Part of the change", numeric: true), .th(.srOnly("Bar")))),
            .tbody(
              .group(
                r.measures.sorted { Swift.abs($0.effect) > Swift.abs($1.effect) }.map { m in
                  .tr(
                    .th(.attr("scope", "row"), .code(.plain(m.measure))),
                    .num(DashboardFormat.value(m.before, unit: .number)),
                    .num(DashboardFormat.value(m.after, unit: .number)),
                    .num(signed(m.effect)),
                    .td(ContributionBar(value: m.effect, largest: largest, label: signed(m.effect)).node))
                })))))
    }

    var ranking: Node<HTML.BodyContext> {
      guard !r.ranking.isEmpty else { return .empty }
      return .section(
        .class("card section"), .attr("aria-labelledby", "ranking"),
        .h2(.id("ranking"), "Where the change is concentrated"),
        .p(
          .class("card-note"),
          "Dimensions where a few segments explain most of the change come first; among them, those whose segments' shares moved most."
        ),
        .div(
          .class("table-wrap"),
          .table(
            .thead(
              .tr(
                .col("Dimension"), .col("Segments that explain it"), .col("Share explained", numeric: true),
                .col("Segments", numeric: true))),
            .tbody(
              .group(
                r.ranking.map { d in
                  .tr(
                    .th(.attr("scope", "row"), .a(.attr("href", "#dim-\(anchor(d.dimension))"), .plain(d.dimension))),
                    .td(.plain(d.explaining.isEmpty ? "none stands out" : d.explaining.joined(separator: ", "))),
                    .num(DashboardFormat.percent(d.explained)),
                    .num(DashboardFormat.count(d.segments)))
                })))))
    }

    func anchor(_ s: String) -> String {
      String(s.map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }

    /// The dimensions in the order of the ranking (those not ranked last), top level or within a drill-down.
    func dimensionNames(drill: Bool) -> [String] {
      var order: [String] = []
      for s in r.segments where s.dimension != "measure" && s.dimension.contains(" within ") == drill {
        if !order.contains(s.dimension) { order.append(s.dimension) }
      }
      let ranked = r.ranking.map(\.dimension)
      return order.sorted {
        (ranked.firstIndex(of: $0) ?? Int.max, $0) < (ranked.firstIndex(of: $1) ?? Int.max, $1)
      }
    }

    var dimensions: Node<HTML.BodyContext> {
      .section(
        .class("section"), .attr("aria-labelledby", "segments"),
        .h2(.id("segments"), "Segments"),
        .group(dimensionNames(drill: false).map(dimension)))
    }

    func dimension(_ name: String) -> Node<HTML.BodyContext> {
      let rows = r.segments.filter { $0.dimension == name }
      let shown = Array(rows.prefix(Self.perDimension))
      let largest = shown.map { Swift.abs($0.contribution) }.max() ?? 0
      let ratio = rows.contains { $0.rateEffect != nil }
      return .div(
        .class("table-wrap"), .id("dim-\(anchor(name))"),
        .table(
          .caption(
            .plain("By \(name)" + (rows.count > shown.count ? " (largest \(shown.count) of \(rows.count))" : ""))),
          .thead(
            .tr(
              .col("Segment"), .col(ratio ? "Rate before" : "Before", numeric: true),
              .col(ratio ? "Rate after" : "After", numeric: true), .col("Part", numeric: true),
              .if(ratio, .group(.col("Rate", numeric: true), .col("Mix", numeric: true))), .th(.srOnly("Bar")))),
          .tbody(
            .group(
              shown.map { s in
                .tr(
                  .th(.attr("scope", "row"), segmentLabel(name, s.segment)),
                  .num(DashboardFormat.value(s.before, unit: r.method == "composite" ? .number : def.unit)),
                  .num(DashboardFormat.value(s.after, unit: r.method == "composite" ? .number : def.unit)),
                  .num(signed(s.contribution)),
                  .if(ratio, .group(.num(signed(s.rateEffect)), .num(signed(s.mixEffect)))),
                  .td(ContributionBar(value: s.contribution, largest: largest, label: signed(s.contribution)).node))
              }))))
    }

    func segmentLabel(_ dimension: String, _ segment: String) -> Node<HTML.BodyContext> {
      if dimension == "partner", segment != KPIEngine.noSegment {
        return .link(.partner(segment), model.chrome.selection, .plain(segment))
      }
      return .plain(segment)
    }

    var notes: Node<HTML.BodyContext> {
      let within = dimensionNames(drill: true)
      guard !r.unavailable.isEmpty || !r.drillDown.isEmpty || !within.isEmpty else { return .empty }
      return .section(
        .class("card section"), .attr("aria-labelledby", "drill"),
        .h2(.id("drill"), "Drill-down"),
        .if(
          !r.drillDown.isEmpty,
          .ol(
            .group(
              r.drillDown.map { step in
                .li(.plain("\(step.dimension) \(step.segment): \(signed(step.contribution))"))
              }))),
        .group(
          within.map { d in
            .element(
              named: "details",
              nodes: [
                .class("data-table"), .element(named: "summary", nodes: [.text("By " + d)]), dimension(d),
              ])
          }),
        .if(
          !r.unavailable.isEmpty,
          .group(
            .h3("Not split"),
            .ul(.group(r.unavailable.sorted { $0.key < $1.key }.map { .li(.plain("\($0.key): \($0.value)")) })))))
    }
  }
}
