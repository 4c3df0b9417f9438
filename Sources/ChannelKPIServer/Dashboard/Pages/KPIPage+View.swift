import ChannelKPI
import Plot

extension KPIPage {
  /// Renders a KPI page.
  struct View {
    let model: Model

    func render() -> String { Layout.render(model.chrome, content) }

    var def: KPIDefinition { model.definition }

    var content: Node<HTML.BodyContext> {
      guard let s = model.chrome.selection else {
        return .group(header, .noDataYet(nil), definition)
      }
      return .group(
        header, AlertsPage.badges(model.alerts), stats(s), trend(s), forecast(s), breakdowns(s), peerGroups,
        rankings(s), distribution, definition)
    }

    var header: Node<HTML.BodyContext> {
      .pageHeader(
        eyebrow: Segments.familyTitle(def.family)
          + (model.chrome.selection.map { " · \(PeriodLabel.long($0.period))" } ?? ""),
        title: def.name, lead: def.description.isEmpty ? nil : def.description)
    }

    func stats(_ s: PeriodSelection) -> Node<HTML.BodyContext> {
      .div(
        .class("kpi-hero"),
        .div(
          .class("stat"),
          .p(.class("stat-label"), "Network"),
          .p(.class("stat-value"), .plain(DashboardFormat.value(model.value, unit: def.unit))),
          .p(.change(model.changeVsPrevious, versus: model.previousLabel)),
          .unwrap(model.yearAgoLabel) { .p(.change(model.changeVsYearAgo, versus: $0)) }),
        .div(
          .class("stat"),
          .p(.class("stat-label"), "Target"),
          .unwrap(
            model.standing,
            { st in
              .group(
                .p(.class("stat-value"), .plain(DashboardFormat.value(st.target, unit: def.unit))),
                .p(.statusBadge(st.status), .plain(" \(DashboardFormat.percent(st.attainment)) attained")),
                .unwrap(st.pace) { pace in
                  .p(
                    .class("card-note"),
                    .plain("On pace for \(DashboardFormat.value(pace, unit: def.unit)) by the end of the period"))
                },
                .p(.class("card-note"), .plain("Baseline \(DashboardFormat.value(st.baseline, unit: def.unit))")))
            },
            else: .group(.p(.class("stat-value"), "—"), .p(.class("card-note"), "No target applies to the network."))
          )),
        .div(
          .class("stat"),
          .p(.class("stat-label"), "Median partner"),
          .p(.class("stat-value"), .plain(DashboardFormat.value(model.median, unit: def.unit))),
          .p(.class("card-note"), .plain("Half the partners with a value are above, half below."))),
        .div(
          .class("stat"),
          .p(.class("stat-label"), "Partners with a value"),
          .p(.class("stat-value"), .plain(DashboardFormat.count(model.ranked.count))),
          .p(
            .class("card-note"),
            .plain("of \(DashboardFormat.count(model.partnersInScope)) in the program in \(PeriodLabel.long(s.period))")
          ))
      )
    }

    func trend(_ s: PeriodSelection) -> Node<HTML.BodyContext> {
      let labels = model.periods.map(PeriodLabel.long)
      var series = [LineChart.Series(name: def.name, values: model.actual, style: .actual)]
      if !model.target.isEmpty {
        series.append(LineChart.Series(name: "Baseline", values: model.baseline, style: .baseline))
        series.append(LineChart.Series(name: "Target", values: model.target, style: .target))
      }
      let chart = LineChart(
        axisLabels: model.periods.map(PeriodLabel.short), labels: labels, series: series, unit: def.unit,
        highlight: model.periods.firstIndex(of: s.period),
        title:
          "\(def.name) of the network by \(PeriodLabel.grainNoun(s.grain)), \(labels.first ?? "") to \(labels.last ?? "")"
      )
      return .section(
        .class("card section"), .attr("aria-labelledby", "trend"),
        .h2(.id("trend"), "Trend"),
        chart.node,
        .p(
          .link(
            .explain(kpi: def.id, scope: .network, versus: nil), s,
            .plain("Explain the change from \(PeriodLabel.long(s.previous.period)) to \(PeriodLabel.long(s.period))"),
            cls: "explain-link"),
          .plain(" · "),
          .unwrap(model.yearAgoLabel) { label in
            .link(
              .explain(kpi: def.id, scope: .network, versus: s.yearAgo.period), s,
              .plain("from \(label)"), cls: "explain-link")
          }),
        .ul(
          .class("legend"),
          .li(.span(.class("key")), .plain(def.name)),
          .if(
            !model.target.isEmpty,
            .group(
              .li(.span(.class("key key-baseline")), "Baseline"),
              .li(.span(.class("key key-target")), "Target"))),
          .li(.span(.class("key key-band")), .plain("Selected period"))),
        .element(
          named: "details",
          nodes: [
            .class("data-table"),
            .element(named: "summary", nodes: [.text("Show the values as a table")]),
            .div(
              .class("table-wrap"),
              .table(
                .thead(
                  .tr(
                    .col("Period"), .col(def.name, numeric: true),
                    .if(!model.target.isEmpty, .group(.col("Baseline", numeric: true), .col("Target", numeric: true))))),
                .tbody(
                  .group(
                    model.periods.indices.reversed().map { i in
                      .tr(
                        .th(.attr("scope", "row"), .plain(labels[i])),
                        .num(DashboardFormat.value(model.actual[i], unit: def.unit)),
                        model.target.isEmpty
                          ? .empty
                          : .group(
                            .num(DashboardFormat.value(model.baseline[i], unit: def.unit)),
                            .num(DashboardFormat.value(model.target[i], unit: def.unit))))
                    })))),
          ]))
    }

    func breakdowns(_ s: PeriodSelection) -> Node<HTML.BodyContext> {
      guard !model.breakdowns.isEmpty else { return .empty }
      return .section(
        .class("section"), .attr("aria-labelledby", "segments"),
        .h2(.id("segments"), "By segment"),
        .div(.class("grid-3"), .group(model.breakdowns.map { breakdown($0) })))
    }

    func breakdown(_ b: Breakdown) -> Node<HTML.BodyContext> {
      let top = b.rows.compactMap { $0.amount.map(Swift.abs) }.max() ?? 0
      return .div(
        .class("table-wrap"),
        .table(
          .class("segment-table"),
          .caption(.plain("By \(Segments.kindTitle(b.kind).lowercased())")),
          .thead(
            .tr(
              .col(Segments.kindTitle(b.kind)), .col("Value", numeric: true),
              .th(.class("bar-cell"), .srOnly("Share of the largest")))),
          .tbody(
            .group(
              b.rows.map { r in
                .tr(
                  .th(
                    .attr("scope", "row"), .plain(r.label),
                    .span(
                      .class("sub"),
                      .plain("\(DashboardFormat.count(r.partners)) \(r.partners == 1 ? "partner" : "partners")"))),
                  .num(DashboardFormat.value(r.amount, unit: def.unit)),
                  .td(.class("bar-cell"), .bar(top > 0 ? r.amount.map { Swift.abs($0) / top } : nil, cls: "")))
              }))))
    }

    func rankings(_ s: PeriodSelection) -> Node<HTML.BodyContext> {
      guard !model.ranked.isEmpty else {
        return .section(
          .class("section"), .h2("Partners"),
          .empty("No partner has a value", "No partner has a value of this KPI in \(PeriodLabel.long(s.period))."))
      }
      let worst = model.worst
      return .section(
        .class("section"), .attr("aria-labelledby", "partners"),
        .h2(.id("partners"), "Partners"),
        .div(
          .class("grid-2"),
          ranking(model.best, caption: worst.isEmpty ? "All partners, best first" : "Best 10", s),
          .if(!worst.isEmpty, ranking(worst, caption: "Worst 10", s))))
    }

    func ranking(_ rows: [RankedPartner], caption: String, _ s: PeriodSelection) -> Node<HTML.BodyContext> {
      .div(
        .class("table-wrap"),
        .table(
          .caption(.plain(caption)),
          .thead(.tr(.col("#", numeric: true), .col("Partner"), .col("Type"), .col("Value", numeric: true))),
          .tbody(
            .group(
              rows.map { r in
                .tr(
                  .td(.class("num rank"), .plain(String(r.rank))),
                  .th(
                    .attr("scope", "row"), .link(.partner(r.id), s, .plain(r.name)), .span(.class("sub"), .plain(r.id))),
                  .td(.plain(Segments.label(.type, r.type))),
                  .num(DashboardFormat.value(r.value, unit: def.unit)))
              }))))
    }

    func forecast(_ s: PeriodSelection) -> Node<HTML.BodyContext> {
      guard let f = model.forecast, !f.points.isEmpty else { return .empty }
      // The last periods of the history, then the forecast, one line joining them.
      let history = Array(f.history.suffix(KPIPage.seriesLength(s.grain)))
      let periods = history.map(\.period) + f.points.map(\.period)
      let labels = periods.map { Period($0).map(PeriodLabel.long) ?? $0 }
      let past = history.count
      var forecastLine: [Double?] = Array(repeating: nil, count: periods.count)
      forecastLine[past - 1] = history.last?.value
      var lo: [Double?] = Array(repeating: nil, count: periods.count)
      var hi = lo
      for (k, p) in f.points.enumerated() {
        forecastLine[past + k] = p.forecast
        lo[past + k] = p.lo80
        hi[past + k] = p.hi80
      }
      let chart = LineChart(
        axisLabels: periods.map { Period($0).map(PeriodLabel.short) ?? $0 }, labels: labels,
        series: [
          LineChart.Series(name: def.name, values: history.map(\.value) + f.points.map { _ in nil }, style: .actual),
          LineChart.Series(name: "Forecast", values: forecastLine, style: .forecast),
          LineChart.Series(name: "80% interval, low", values: lo, style: .interval),
          LineChart.Series(name: "80% interval, high", values: hi, style: .interval),
        ], unit: def.unit, highlight: past - 1,
        title: "\(def.name) of the network: history to \(labels[past - 1]) and forecast")
      return .section(
        .class("card section"), .attr("aria-labelledby", "forecast"),
        .h2(.id("forecast"), "Forecast"),
        .p(
          .class("card-note"),
          .plain(
            "From the \(PeriodLabel.grainNoun(s.grain, plural: true)) up to \(PeriodLabel.long(s.period)), by \(f.model)"
              + (f.method == "ratio" ? " (numerator and denominator forecast apart)" : "")
              + ". Dotted lines: the 80% prediction interval.")),
        chart.node,
        .ul(
          .class("legend"),
          .li(.span(.class("key")), .plain(def.name)),
          .li(.span(.class("key key-forecast")), "Forecast"),
          .li(.span(.class("key key-interval")), "80% interval")),
        .div(
          .class("table-wrap"),
          .table(
            .thead(
              .tr(
                .col("Period"), .col("Forecast", numeric: true), .col("80% interval", numeric: true),
                .col("95% interval", numeric: true))),
            .tbody(
              .group(
                f.points.map { p in
                  .tr(
                    .th(.attr("scope", "row"), .plain(Period(p.period).map(PeriodLabel.long) ?? p.period)),
                    .num(DashboardFormat.value(p.forecast, unit: def.unit)),
                    .num(
                      "\(DashboardFormat.value(p.lo80, unit: def.unit)) – \(DashboardFormat.value(p.hi80, unit: def.unit))"
                    ),
                    .num(
                      "\(DashboardFormat.value(p.lo95, unit: def.unit)) – \(DashboardFormat.value(p.hi95, unit: def.unit))"
                    ))
                })))))
    }

    var peerGroups: Node<HTML.BodyContext> {
      guard !model.peerGroups.isEmpty else { return .empty }
      return .section(
        .class("card section"), .attr("aria-labelledby", "peer-groups"),
        .h2(.id("peer-groups"), "Peer benchmarks by partner type"),
        .p(
          .class("card-note"),
          "Each box spans the middle half of a type's partners (25th to 75th percentile) with the median; the tick is the 90th percentile, a square an external figure from the definitions."
        ),
        .div(
          .class("table-wrap"),
          .table(
            .thead(
              .tr(
                .col("Type"), .col("Partners", numeric: true), .col("Distribution"), .col("p25", numeric: true),
                .col("Median", numeric: true), .col("p75", numeric: true), .col("p90", numeric: true),
                .col("External figures"))),
            .tbody(
              .group(
                model.peerGroups.map { g in
                  .tr(
                    .th(.attr("scope", "row"), .plain(Segments.label(.type, g.group))),
                    .num(DashboardFormat.count(g.partners)),
                    .td(
                      PeerBox(
                        cuts: g.cuts, value: nil, external: g.external.map(\.value), unit: def.unit,
                        label: "\(def.name) of \(Segments.label(.type, g.group)) partners"
                      ).node),
                    .num(DashboardFormat.value(g.cuts.p25, unit: def.unit)),
                    .num(DashboardFormat.value(g.cuts.median, unit: def.unit)),
                    .num(DashboardFormat.value(g.cuts.p75, unit: def.unit)),
                    .num(DashboardFormat.value(g.cuts.p90, unit: def.unit)),
                    .td(
                      .plain(DashboardFormat.external(g.external, unit: def.unit))))
                })))))
    }

    var distribution: Node<HTML.BodyContext> {
      guard !model.histogram.isEmpty else { return .empty }
      let h = Histogram(
        bins: model.histogram, unit: def.unit,
        title: "How \(model.ranked.count) partners spread over values of \(def.name)")
      return .section(
        .class("card section"), .attr("aria-labelledby", "distribution"),
        .h2(.id("distribution"), "Distribution across partners"),
        .p(.class("card-note"), .plain("How many partners fall in each range of values (hover a bar for its count).")),
        h.node)
    }

    var definition: Node<HTML.BodyContext> {
      .section(
        .class("card section"), .attr("aria-labelledby", "definition"),
        .h2(.id("definition"), "Definition"),
        .dl(
          .class("definition"),
          .dt("Id"), .dd(.code(.plain(def.id))),
          .dt("Formula"), .dd(.code(.plain(def.formula))),
          .dt("Unit"), .dd(.plain(DashboardFormat.unitLabel(def.unit))),
          .dt("Better"), .dd(.plain(def.better == .higher ? "Higher values" : "Lower values")),
          .dt("Family"), .dd(.plain(Segments.familyTitle(def.family))),
          .if(
            !def.stages.isEmpty,
            .group(
              .dt("Lifecycle"),
              .dd(.plain(def.stages.map { DashboardFormat.humanize($0.rawValue) }.joined(separator: ", ")))))))
    }
  }
}
