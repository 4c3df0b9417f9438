import ChannelKPI
import Plot

extension TiersPage {
  /// Renders the tiers page.
  struct View {
    let model: Model

    func render() -> String { Layout.render(model.chrome, content) }

    var content: Node<HTML.BodyContext> {
      let s = model.chrome.selection
      guard model.hasLadder else {
        return .group(
          .pageHeader(title: "Tiers"),
          .empty(
            "No tier ladder yet",
            "Add a tiers: section to the program's definitions and apply it (channelkpi program apply DIR); docs/tiers-and-incentives.md shows how."
          ))
      }
      return .group(
        .pageHeader(
          eyebrow: model.evaluated.map { "After the evaluation of \(PeriodLabel.long($0))" }, title: "Tiers",
          lead: model.rules, .p(.link(.whatIf, s, "Try a different ladder (what-if)"))),
        .section(
          .attr("aria-labelledby", "tier-distribution"),
          .h2(.id("tier-distribution"), "Partners by level"),
          model.periods.isEmpty
            ? .empty("No evaluation yet", "The ladder's first evaluation period has not ended.")
            : .div(
              .class("table-wrap"),
              .table(
                .thead(.tr(.col("Level"), .group(model.periods.map { .col(PeriodLabel.short($0), numeric: true) }))),
                .tbody(
                  .group(
                    model.levels.enumerated().map { i, l in
                      .tr(
                        .th(.attr("scope", "row"), .plain(l.id)),
                        .group(model.counts[i].map { .num(String($0)) }))
                    }))))),
        rows("tier-moved", "Moved", "Nobody changed level at this evaluation.", model.moved, s, showMisses: false),
        rows(
          "tier-at-risk", "At risk", "Nobody is below their level.", model.atRisk, s, showMisses: true,
          note: "Below their level at this evaluation, not yet demoted: the grace counts the evaluations in a row."),
        .section(
          .attr("aria-labelledby", "tier-levels"),
          .h2(.id("tier-levels"), "Levels"),
          .div(
            .class("table-wrap"),
            .table(
              .thead(.tr(.col("Level"), .col("Requires"), .col("Benefits"))),
              .tbody(
                .group(
                  model.levels.map { l in
                    .tr(
                      .th(.attr("scope", "row"), .plain(l.id)),
                      .td(.plain(l.requires.isEmpty ? "Every partner" : l.requires.joined(separator: ", "))),
                      .td(.plain(l.benefits.joined(separator: ", "))))
                  }))))))
    }

    func rows(
      _ id: String, _ title: String, _ none: String, _ rows: [Row], _ s: PeriodSelection?, showMisses: Bool,
      note: String? = nil
    ) -> Node<HTML.BodyContext> {
      .section(
        .attr("aria-labelledby", id),
        .h2(.id(id), .plain("\(title) (\(rows.count))")),
        .unwrap(note) { .p(.class("sub"), .plain($0)) },
        rows.isEmpty
          ? .p(.class("sub"), .plain(none))
          : .div(
            .class("table-wrap"),
            .table(
              .thead(
                .tr(
                  .col("Partner"), .col("Was"), .col(showMisses ? "Qualifies for" : "Now"),
                  .if(showMisses, .col("Misses")), .col("Why"))),
              .tbody(
                .group(
                  rows.map { r in
                    .tr(
                      .th(.attr("scope", "row"), .link(.partner(r.partner), s, .plain(r.name))),
                      .td(.plain(r.held)), .td(.plain(showMisses ? r.qualified : r.level)),
                      .if(showMisses, .td(.plain(r.misses))), .td(.plain(r.why)))
                  })))))
    }
  }
}
