import ChannelKPI

extension NaiveCatalog.Facts {
  // MARK: Customer value

  func customerLifetimeValue(_ p: MonthRange) -> Double? {
    let wFirst = p.last - 11
    let wStart = wFirst.firstDay
    let wEnd = p.last.lastDay
    func inW(_ d: Day?) -> Bool { d != nil && wStart <= d! && d! <= wEnd }

    var cents: Int64 = 0
    var buyers: Set<String> = []
    for d in deals where d.stage == "won" && inW(d.closed) && d.customer != nil {
      cents += d.amount
      buyers.insert(d.customer!)
    }
    if buyers.isEmpty { return nil }
    let arpc = units(cents) / Double(buyers.count)

    var churned = 0
    for c in customers where inW(c.churned) { churned += 1 }
    var base = 0
    for c in customers where c.isActive(on: wStart - 1) { base += 1 }
    if base == 0 { return nil }
    let churn = Double(churned) / Double(base)
    let lifetime = churn == 0 ? 10 : Swift.min(1 / churn, 10)
    return arpc * lifetime
  }
}
