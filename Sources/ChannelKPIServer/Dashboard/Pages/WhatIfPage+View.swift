import ChannelKPI
import Plot

extension WhatIfPage {
  /// Renders the what-if page: the form, then the comparison.
  struct View {
    let model: Model

    func render() -> String { Layout.render(model.chrome, content) }

    var content: Node<HTML.BodyContext> {
      .group(
        .pageHeader(
          title: "What-if",
          lead:
            "Upload draft definitions (a stricter ladder, new plans) and see what they would have done over past periods, beside the current rules. Nothing is stored."
        ),
        form,
        .if(
          !model.problems.isEmpty,
          .div(
            .class("notice notice-error"), .attr("role", "alert"),
            .p(.plain("The draft cannot be run:")),
            .ul(.group(model.problems.map { .li(.plain($0)) })))),
        .if(model.ran, results))
    }

    var form: Node<HTML.BodyContext> {
      .form(
        .class("upload-form card section"), .attr("method", "post"), .attr("action", DashboardRoute.whatIf.path),
        .csrfField,
        .attr("enctype", "multipart/form-data"),
        .div(
          .class("row"),
          .div(
            .class("field"),
            .label(.for("draft"), "Draft YAML"),
            .element(
              named: "input",
              nodes: [
                .attr("type", "file"), .attr("id", "draft"), .attr("name", "draft"), .attr("accept", ".yaml,.yml"),
                .flag("multiple"), .flag("required"),
              ])),
          field("from", "From", model.from),
          field("to", "To", model.to)),
        .p(
          .class("hint"),
          .plain(
            "The draft's sections (tiers, incentives, targets…) replace the same sections of the definitions in force; the others stay as they are."
          )),
        .div(.button(.type(.submit), .class("btn"), "Compare")))
    }

    func field(_ name: String, _ label: String, _ value: String) -> Node<HTML.FormContext> {
      .div(
        .class("field"),
        .label(.for(name), .plain(label)),
        .element(
          named: "input",
          nodes: [
            .attr("type", "text"), .attr("id", name), .attr("name", name), .attr("value", value), .attr("size", "8"),
          ]))
    }

    var results: Node<HTML.BodyContext> {
      let s = model.chrome.selection
      return .group(
        .p(
          .class("sub"),
          .plain(
            "\(model.fileName ?? "The draft") replaces \(model.sections.joined(separator: ", ")) from \(model.from) to \(model.to)."
          )),
        .if(
          !model.periods.isEmpty,
          .section(
            .attr("aria-labelledby", "whatif-levels"),
            .h2(.id("whatif-levels"), "Partners by level: current → draft"),
            .div(
              .class("table-wrap"),
              .table(
                .thead(.tr(.col("Level"), .group(model.periods.map { .col(PeriodLabel.short($0), numeric: true) }))),
                .tbody(
                  .group(
                    model.levels.enumerated().map { i, l in
                      .tr(
                        .th(.attr("scope", "row"), .plain(l)),
                        .group(model.counts[i].map { .num("\($0.current) → \($0.draft)") }))
                    })))))),
        .section(
          .attr("aria-labelledby", "whatif-moves"),
          .h2(.id("whatif-moves"), .plain("Partners that would hold another level (\(model.moves.count))")),
          model.moves.isEmpty
            ? .p(.class("sub"), "None.")
            : .div(
              .class("table-wrap"),
              .table(
                .thead(.tr(.col("Period"), .col("Partner"), .col("Current"), .col("Draft"), .col("Why"))),
                .tbody(
                  .group(
                    model.moves.map { m in
                      .tr(
                        .td(.plain(PeriodLabel.short(m.period))),
                        .th(.attr("scope", "row"), .link(.partner(m.partner), s, .plain(m.partner))),
                        .td(.plain(m.current)), .td(.plain(m.draft)), .td(.plain(m.why)))
                    }))))),
        .section(
          .attr("aria-labelledby", "whatif-payouts"),
          .h2(.id("whatif-payouts"), "Payouts by plan over the range"),
          model.payouts.isEmpty
            ? .p(.class("sub"), "No plan pays anything in the range.")
            : .div(
              .class("table-wrap"),
              .table(
                .thead(
                  .tr(
                    .col("Plan"), .col("Current", numeric: true), .col("Draft", numeric: true),
                    .col("Difference", numeric: true))),
                .tbody(
                  .group(
                    model.payouts.map { p in
                      .tr(
                        .th(.attr("scope", "row"), .plain(p.plan)), .num(p.current), .num(p.draft),
                        .td(
                          .class("num chg chg-\(p.up == nil ? "none" : p.up! ? "up" : "down")"), .plain(p.difference)))
                    }))))))
    }
  }
}
