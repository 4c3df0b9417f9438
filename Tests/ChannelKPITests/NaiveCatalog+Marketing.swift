import ChannelKPI

extension NaiveCatalog.Facts {
  // MARK: Marketing ROI

  func leadsGenerated(_ p: MonthRange) -> Double {
    var n = 0
    for l in leads where inP(l.created, p) { n += 1 }
    return Double(n)
  }

  func webVisits(_ p: MonthRange) -> Double {
    var n: Int64 = 0
    for t in traffic where inP(t.date, p) { n += t.visits }
    return Double(n)
  }

  func visitToLeadRate(_ p: MonthRange) -> Double? {
    let visits = webVisits(p)
    if visits == 0 { return nil }
    return leadsGenerated(p) / visits
  }

  func campaignCostCents(_ p: MonthRange) -> Int64 {
    var cents: Int64 = 0
    for c in campaigns where inP(c.started, p) { cents += c.cost }
    return cents
  }

  func costPerAcquisition(_ p: MonthRange) -> Double? {
    let n = newCustomers(p)
    if n == 0 { return nil }
    return units(campaignCostCents(p)) / n
  }

  func marketingROI(_ p: MonthRange) -> Double? {
    let cost = campaignCostCents(p)
    if cost == 0 { return nil }
    var revenue: Int64 = 0
    for d in won(p) {
      var named = false
      for l in allLeads where l.campaign != nil && l.deal == d.id { named = true }
      if named { revenue += d.amount }
    }
    return Double(revenue - cost) / Double(cost)
  }
}
