import ChannelKPI

extension NaiveCatalog.Facts {
  // MARK: Partner performance

  func revenue(_ p: MonthRange) -> Double {
    var cents: Int64 = 0
    for d in won(p) { cents += d.amount }
    return units(cents)
  }

  func sourcedRevenue(_ p: MonthRange) -> Double {
    var cents: Int64 = 0
    for d in won(p) where d.source == "sourced" { cents += d.amount }
    return units(cents)
  }

  func winRate(_ p: MonthRange) -> Double? {
    let w = won(p).count
    let l = lost(p).count
    if w + l == 0 { return nil }
    return Double(w) / Double(w + l)
  }

  func newCustomers(_ p: MonthRange) -> Double {
    var n = 0
    for c in customers where inP(c.acquired, p) { n += 1 }
    return Double(n)
  }

  func marketShare(_ p: MonthRange) -> Double? {
    var regions: Set<String> = []
    for x in partners { regions.insert(x.region) }
    var matched = 0
    var marketCents: Int64 = 0
    for row in market where regions.contains(row.region) && p.first <= row.month && row.month <= p.last {
      matched += 1
      marketCents += row.revenue
    }
    if matched == 0 || marketCents == 0 { return nil }
    var wonCents: Int64 = 0
    for d in won(p) { wonCents += d.amount }
    return Double(wonCents) / Double(marketCents)
  }
}
