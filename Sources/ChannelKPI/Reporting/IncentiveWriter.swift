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
}
