/// Writes a what-if comparison for people (tables) or machines (CSV of payouts).
public enum WhatIfWriter {
  /// `period,plan,current,draft,difference,approved`.
  public static func payoutsCSV(_ r: WhatIfResult, to write: (String) -> Void) {
    write("period,plan,current,draft,difference,approved\n")
    for p in r.payouts {
      write(
        [
          p.period.description, CSVText.field(p.plan), Cents.text(p.current), Cents.text(p.draft),
          Cents.text(p.difference),
          p.approved.map(Cents.text) ?? "",
        ].joined(separator: ",") + "\n")
    }
  }

  public static func table(_ r: WhatIfResult, sections: Set<String>, to write: (String) -> Void) {
    write("What-if of a draft replacing \(sections.sorted().joined(separator: ", ")); nothing is stored.\n")
    if !r.levels.isEmpty {
      write("\nLevels after each evaluation (current → draft):\n")
      let periods = Array(Set(r.levels.map(\.period))).sorted()
      let shown = Set(r.levels.map(\.level))
      let rows = r.levelOrder.filter(shown.contains).map { level in
        [level]
          + periods.map { p in
            let c = r.levels.first { $0.period == p && $0.level == level }
            return "\(c?.current ?? 0) → \(c?.draft ?? 0)"
          }
      }
      write(TextTable.render(header: ["level"] + periods.map(\.description), rows: rows, rightAlignFrom: 1))
    }
    if r.moves.isEmpty {
      write("\nNo partner holds another level under the draft.\n")
    } else {
      write("\nPartners that would hold another level (\(r.moves.count)):\n")
      write(
        TextTable.render(
          header: ["period", "partner", "current", "draft", "why"],
          rows: r.moves.map { [$0.period.description, $0.partner, $0.current ?? "—", $0.draft ?? "—", $0.why] }))
    }
    if !r.payouts.isEmpty {
      write("\nPayouts by plan over the range:\n")
      write(
        TextTable.render(
          header: ["plan", "current", "draft", "difference"],
          rows: r.totalsByPlan.map {
            [$0.plan, Cents.text($0.current), Cents.text($0.draft), Cents.text($0.draft - $0.current)]
          },
          rightAlignFrom: 1))
    }
  }
}
