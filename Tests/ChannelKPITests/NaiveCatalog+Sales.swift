import ChannelKPI

extension NaiveCatalog.Facts {
  // MARK: Sales effectiveness

  func leadConversionRate(_ p: MonthRange) -> Double? {
    var all = 0
    var converted = 0
    for l in leads where inP(l.created, p) {
      all += 1
      if l.converted != nil { converted += 1 }
    }
    if all == 0 { return nil }
    return Double(converted) / Double(all)
  }

  func avgDealSize(_ p: MonthRange) -> Double? {
    let w = won(p)
    if w.isEmpty { return nil }
    var cents: Int64 = 0
    for d in w { cents += d.amount }
    return units(cents) / Double(w.count)
  }

  func salesCycleDays(_ p: MonthRange, coSellOnly: Bool) -> Double? {
    var n = 0
    var total = 0
    for d in won(p) where !coSellOnly || d.source == "co_sell" {
      n += 1
      total += Int(d.closed! - d.created)
    }
    if n == 0 { return nil }
    return Double(total) / Double(n)
  }

  /// Deals open at the end of day `day`: created_on ≤ day and (closed_on absent or closed_on > day).
  func openDeals(_ day: Day) -> [NaiveCatalog.Deal] {
    var out: [NaiveCatalog.Deal] = []
    for d in deals where d.created <= day && (d.closed == nil || d.closed! > day) { out.append(d) }
    return out
  }

  func openPipeline(_ p: MonthRange) -> Double {
    var cents: Int64 = 0
    for d in openDeals(p.end) { cents += d.amount }
    return units(cents)
  }

  func pipelineVelocity(_ p: MonthRange) -> Double? {
    let openCount = Double(openDeals(p.end).count)
    guard let wr = winRate(p), let size = avgDealSize(p), let cycle = salesCycleDays(p, coSellOnly: false) else {
      return nil
    }
    if cycle == 0 { return nil }
    return openCount * wr * size / cycle
  }

  func dealRegistrations(_ p: MonthRange) -> Double {
    var n = 0
    for d in deals where inP(d.registered, p) { n += 1 }
    return Double(n)
  }

  func registrationApprovalRate(_ p: MonthRange) -> Double? {
    var approved = 0
    var decided = 0
    for d in deals where inP(d.registered, p) {
      if d.status == "approved" {
        approved += 1
        decided += 1
      } else if d.status == "rejected" {
        decided += 1
      }
    }
    if decided == 0 { return nil }
    return Double(approved) / Double(decided)
  }

  func registrationsPerPartner(_ p: MonthRange) -> Double? {
    let active = activePartners(p.end).count
    if active == 0 { return nil }
    return dealRegistrations(p) / Double(active)
  }
}
