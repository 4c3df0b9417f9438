import ChannelKPI

extension NaiveCatalog.Facts {
  // MARK: Customer satisfaction

  func nps(_ p: MonthRange) -> Double? {
    var all = 0
    var promoters = 0
    var detractors = 0
    for s in surveys where inP(s.responded, p) {
      all += 1
      if s.score >= 9 { promoters += 1 }
      if s.score <= 6 { detractors += 1 }
    }
    if all == 0 { return nil }
    return 100 * Double(promoters - detractors) / Double(all)
  }

  func customerRetentionRate(_ p: MonthRange) -> Double? {
    let dayBefore = p.start - 1
    var base = 0
    var still = 0
    for c in customers where c.isActive(on: dayBefore) {
      base += 1
      if c.isActive(on: p.end) { still += 1 }
    }
    if base == 0 { return nil }
    return Double(still) / Double(base)
  }

  func avgResolutionHours(_ p: MonthRange) -> Double? {
    var n = 0
    var micros: Int64 = 0
    for t in tickets {
      guard let r = t.resolved, inP(r.utcDay, p) else { continue }
      n += 1
      micros += r.microseconds - t.opened.microseconds
    }
    if n == 0 { return nil }
    return Double(micros) / 3_600_000_000 / Double(n)
  }

  func supportCSAT(_ p: MonthRange) -> Double? {
    var n = 0
    var total: Int64 = 0
    for t in tickets {
      guard let r = t.resolved, inP(r.utcDay, p), let s = t.satisfaction else { continue }
      n += 1
      total += s
    }
    if n == 0 { return nil }
    return Double(total) / Double(n)
  }
}
