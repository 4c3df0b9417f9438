import ChannelKPI
import Plot

extension StatementsPage {
  /// Renders the statements page.
  struct View {
    let model: Model

    func render() -> String { Layout.render(model.chrome, content) }

    var content: Node<HTML.BodyContext> {
      let s = model.chrome.selection
      guard let period = model.period else { return .group(.pageHeader(title: "Statements"), .noDataYet(s)) }
      return .group(
        .pageHeader(
          eyebrow: PeriodLabel.long(period), title: "Statements",
          lead:
            "What each partner earns under the incentive plans for periods in \(PeriodLabel.long(period)). Amounts are exact, each line rounded once to the cent; approved statements never change, later differences show as adjustments.",
          .p(
            .a(.class("btn"), .href(.statementsExport(period), nil), "Download CSV"), " ",
            .link(.whatIf, s, "Compare a draft (what-if)"))),
        model.rows.isEmpty
          ? .empty(
            model.hasPlans ? "No payouts" : "No incentive plans",
            model.hasPlans
              ? "No partner earns anything under the plans in this period."
              : "Add an incentives: section to the program's definitions and apply it.")
          : .group(
            .section(
              .attr("aria-labelledby", "plan-totals"),
              .h2(.id("plan-totals"), .plain("Totals by plan: \(model.total)")),
              .div(
                .class("table-wrap"),
                .table(
                  .thead(.tr(.col("Plan"), .col("Kind"), .col("Total", numeric: true))),
                  .tbody(
                    .group(
                      model.plans.map { p in
                        .tr(.th(.attr("scope", "row"), .plain(p.name)), .td(.plain(p.kind)), .num(p.amount))
                      }))))),
            .section(
              .attr("aria-labelledby", "statement-list"),
              .h2(.id("statement-list"), .plain("Statements (\(model.rows.count))")),
              .div(
                .class("table-wrap"),
                .table(
                  .thead(
                    .tr(
                      .col("Partner"), .col("Period"), .col("Status"), .col("Lines"), .col("Total", numeric: true))),
                  .tbody(.group(model.rows.map { row($0, s) })))))))
    }

    func row(_ r: Row, _ s: PeriodSelection?) -> Node<HTML.TableContext> {
      .tr(
        .th(.attr("scope", "row"), .link(.partner(r.partner), s, .plain(r.name))),
        .td(.plain(PeriodLabel.short(r.period))),
        .td(.plain(r.status)),
        .td(
          .ul(
            .class("lines"),
            .group(
              r.lines.map { l in
                .li(
                  .plain(
                    [l.plan, l.line, l.basis.isEmpty ? nil : "on \(l.basis)", l.rate.isEmpty ? nil : "at \(l.rate)"]
                      .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · ") + ": " + l.amount))
              }))),
        .num(r.total))
    }
  }
}
