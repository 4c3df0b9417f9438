/// Writes tier histories, statements and MDF funds as CSV, streaming through `write`.
public enum IncentiveWriter {
  /// `partner,period,held,qualified,level,change,misses`.
  public static func tiersCSV(_ rows: some Sequence<TierEvaluation>, to write: (String) -> Void) {
    write("partner,period,held,qualified,level,change,misses\n")
    for r in rows {
      write(
        [
          CSVText.field(r.partner), r.period.description, CSVText.field(r.held), CSVText.field(r.qualified),
          CSVText.field(r.level), r.change.rawValue, String(r.misses),
        ].joined(separator: ",") + "\n")
    }
  }

  /// `partner,period,plan,kind,line,basis,rate,amount`, one row per line.
  public static func statementsCSV(_ statements: some Sequence<PayoutStatement>, to write: (String) -> Void) {
    write("partner,period,plan,kind,line,basis,rate,amount\n")
    for s in statements {
      for l in s.lines {
        write(
          [
            CSVText.field(s.partner), s.period.description, CSVText.field(l.plan), l.kind?.rawValue ?? "",
            CSVText.field(l.line),
            l.basis?.decimal(places: 6) ?? "", l.rate?.decimal(places: 6) ?? "", Cents.text(l.amount),
          ].joined(
            separator: ",") + "\n")
      }
    }
  }

  /// `plan,partner,period,opening,accrued,claimed,unfunded,expired,closing`.
  public static func mdfCSV(_ rows: some Sequence<MDFFundPeriod>, to write: (String) -> Void) {
    write("plan,partner,period,opening,accrued,claimed,unfunded,expired,closing\n")
    for r in rows {
      write(
        ([CSVText.field(r.plan), CSVText.field(r.partner), r.period.description]
          + [r.opening, r.accrued, r.claimed, r.unfunded, r.expired, r.closing].map(Cents.text)).joined(separator: ",")
          + "\n")
    }
  }

  /// The finance export of approved statements: `partner,period,plan,amount,approved_by,approved_at`,
  /// one row per statement and plan. Text cells that a spreadsheet would read as a formula
  /// (`=`, `+`, `-`, `@` first) are written with a leading apostrophe.
  public static func approvedCSV(_ approvals: some Sequence<StatementApproval>, to write: (String) -> Void) {
    write("partner,period,plan,amount,approved_by,approved_at\n")
    for a in approvals {
      var byPlan: [String: Int64] = [:]
      for l in a.lines { byPlan[l.plan] = Cents.sum([byPlan[l.plan] ?? 0, l.amount]) }
      for (plan, amount) in byPlan.sorted(by: { $0.key < $1.key }) {
        let cells =
          [a.partner, a.period.description, plan].map(spreadsheetSafe) + [Cents.text(amount)]
          + [a.approvedBy, a.approvedAt].map(spreadsheetSafe)
        write(cells.map(CSVText.field).joined(separator: ",") + "\n")
      }
    }
  }

  /// Text a spreadsheet will not run as a formula.
  static func spreadsheetSafe(_ s: String) -> String {
    guard let c = s.first, "=+-@\t\r".contains(c) else { return s }
    return "'" + s
  }
}
