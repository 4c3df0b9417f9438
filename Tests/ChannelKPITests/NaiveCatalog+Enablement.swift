import ChannelKPI

extension NaiveCatalog.Facts {
  // MARK: Enablement and onboarding

  func certifiedPartnerRate(_ p: MonthRange) -> Double? {
    let active = activePartners(p.end)
    if active.isEmpty { return nil }
    var certified = 0
    for x in active {
      var has = false
      for c in certifications
      where c.partner == x.id && c.program == "sales" && c.completed != nil && c.completed! <= p.end {
        has = true
      }
      if has { certified += 1 }
    }
    return Double(certified) / Double(active.count)
  }

  func timeToFirstDealDays(_ p: MonthRange) -> Double? {
    var n = 0
    var total = 0
    for x in partners {
      var first: Day? = nil
      for d in deals where d.partner == x.id && d.stage == "won" {
        if first == nil || d.closed! < first! { first = d.closed! }
      }
      guard let f = first, inP(f, p) else { continue }
      n += 1
      total += Int(f - x.joined)
    }
    if n == 0 { return nil }
    return Double(total) / Double(n)
  }

  func activePartnerRate(_ p: MonthRange) -> Double? {
    let active = activePartners(p.end)
    if active.isEmpty { return nil }
    var engaged = 0
    for x in active {
      var has = false
      for d in deals where d.partner == x.id {
        if inP(d.registered, p) || (d.stage == "won" && inP(d.closed, p)) { has = true }
      }
      if has { engaged += 1 }
    }
    return Double(engaged) / Double(active.count)
  }
}
