/// A deal decided but not yet written.
struct DemoDeal {
  var created: Day
  /// Index into `DemoVocabulary.sources`.
  var source: Int
  /// Index into the partner's customers, `newProspect` or `noCustomer`.
  var customer: Int
  /// Index into `DemoVocabulary.segments`.
  var segment: Int
  var cents: Int64
  /// nil while the deal is open.
  var closed: Day?
  var won: Bool
  /// Index into `DemoVocabulary.products`, -1 for none.
  var product: Int
  var registered: Day?
  /// "pending", "approved" or "rejected" when registered.
  var status: String = ""

  static let newProspect = -1
  static let noCustomer = -2
}

/// A customer of the current partner, kept while it is or may become active.
struct DemoCustomer {
  let number: Int
  let acquired: Day
  /// `DemoCustomer.never` while it has not churned within the range.
  let churned: Day
  let segment: Int

  static let never = Day(number: .max)
}

extension DemoGenerator {
  /// Deals the partner opens this month besides those from its leads.
  mutating func directDeals<S: DemoSink>(_ p: DemoPartner, _ w: DemoWindow, selling: Double, into sink: inout S) {
    let n = rng.poisson(p.type.dealsPerMonth * p.size * p.region.volumeFactor * selling)
    for _ in 0..<n {
      let created = w.first + Int32(rng.below(w.dayCount))
      var deal = planDeal(p, created: created, source: rng.pick(p.sourceWeights))
      register(&deal, p)
      writeDeal(deal, p, into: &sink)
    }
  }

  /// Opportunities opened before the range that close inside it, so that revenue doesn't start
  /// from nothing in the first months; they appear as imported in the range's first days.
  mutating func inheritPipeline<S: DemoSink>(_ p: DemoPartner, into sink: inout S) {
    let t = p.type
    let rate = (t.dealsPerMonth + t.leadsPerMonth * t.leadConversion) * p.size * p.region.volumeFactor * scale
    for back in stride(from: 6, through: 1, by: -1) {
      let month = range.firstMonth - Int32(back)
      let selling = p.selling(on: month.firstDay + 14, range) * p.region.season(month.monthOfYear)
      guard selling > 0 else { continue }
      let n = rng.poisson(rate * selling)
      for _ in 0..<n {
        let created = month.firstDay + Int32(rng.below(Int(month.lastDay - month.firstDay) + 1))
        var deal = planDeal(p, created: created, source: rng.pick(p.sourceWeights))
        if let closed = deal.closed, closed < range.start { continue }
        deal.created = range.start + Int32(rng.below(5))
        if let closed = deal.closed, closed < deal.created { deal.created = closed }
        register(&deal, p)
        writeDeal(deal, p, into: &sink)
      }
    }
  }

  /// Decides everything about a deal opened on `created` except its registration.
  mutating func planDeal(_ p: DemoPartner, created: Day, source: Int) -> DemoDeal {
    let t = p.type
    var customer = DemoDeal.noCustomer
    var segment = rng.pick(p.segmentWeights)
    let r = rng.unit()
    let anonymous = t == .referral ? 0.15 : 0.05
    if r >= anonymous {
      customer = DemoDeal.newProspect
      if r < anonymous + t.repeatShare, let c = pickCustomer(on: created) {
        customer = c
        segment = customers[c].segment
      }
    }

    var median = t.medianAmount * p.region.amountFactor * DemoVocabulary.segmentAmount[segment]
    median *= p.tier?.amountFactor ?? 0.85
    if customer >= 0 { median *= 0.6 }
    let units = min(50_000_000, rng.logNormal(median: median, sigma: t.amountSigma))
    let cents: Int64
    let shape = rng.unit()
    if shape < 0.003 {
      cents = 0
    } else if shape < 0.15 {
      cents = max(1, Int64(units * 100))
    } else {
      // Most amounts are quoted in round numbers, rounder the bigger they are.
      let step = units >= 20_000 ? 100.0 : units >= 1_000 ? 10.0 : 1.0
      cents = Int64(max(1, (units / step).rounded()) * step) * 100
    }

    var winChance = t.winRate + (p.tier?.winBonus ?? -0.06) + p.skill
    if source == 2 { winChance += 0.08 } else if source == 1 { winChance -= 0.03 }
    if p.growth < 0 { winChance += p.growth * 0.15 * max(0, range.monthsIn(created)) }
    var won = rng.chance(min(0.9, max(0.05, winChance)))

    // Bigger deals take longer; the vendor's sellers speed co-sell deals up; lost deals linger.
    let sizeEffect = DemoMath.pow(max(0.05, units / t.medianAmount), 0.25)
    var cycleMedian = t.cycleDays * p.region.cycleFactor * sizeEffect * (source == 2 ? 0.72 : 1)
    if !won { cycleMedian *= 1.15 }
    var cycle = rng.logNormal(median: cycleMedian, sigma: 0.5)
    if t == .distributor && rng.chance(0.12) { cycle = Double(rng.below(4)) }
    var closed: Day? = pushToQuarterEnd(created + Int32(min(720, cycle)))
    if rng.chance(0.025) { closed = nil }
    if let left = p.left, closed.map({ $0 >= left }) ?? true {
      // Whatever the partner hadn't closed when it left is lost.
      closed = left
      won = false
    }
    if let c = closed, c > range.end { closed = nil }
    let product = rng.chance(0.06) ? -1 : rng.pick(p.productWeights)
    return DemoDeal(
      created: created, source: source, customer: customer, segment: segment, cents: cents, closed: closed,
      won: won && closed != nil, product: product, registered: nil)
  }

  /// Sellers pull closes into the last weeks of the quarter.
  mutating func pushToQuarterEnd(_ day: Day) -> Day {
    let c = day.civil
    let position = (c.month - 1) % 3
    if position < 2 {
      guard rng.chance(0.2) else { return day }
      return Month(year: c.year, month: c.month + 2 - position).lastDay - Int32(rng.below(14))
    }
    if c.day < 15, rng.chance(0.25) { return day.month.lastDay - Int32(rng.below(10)) }
    return day
  }

  /// Deal registration: most sourced deals, fewer influenced ones; fresh ones still pending.
  mutating func register(_ deal: inout DemoDeal, _ p: DemoPartner) {
    let bySource = deal.source == 0 ? 1 : deal.source == 1 ? 0.35 : 0.85
    guard rng.chance(p.type.registrationRate * bySource * (p.tier == nil ? 0.6 : 1)) else { return }
    var day = deal.created + (rng.chance(0.08) ? -Int32(1 + rng.below(5)) : Int32(rng.below(8)))
    if day < range.start { day = deal.created }
    if let closed = deal.closed, day > closed { day = closed }
    guard day <= range.end else { return }
    deal.registered = day
    if range.end - day < 7 && rng.chance(0.9) {
      deal.status = "pending"
      return
    }
    var reject = 0.06
    if p.tier == nil || p.tier == .registered { reject += 0.06 }
    if deal.won { reject -= 0.03 } else if deal.closed != nil { reject += 0.05 }
    let r = rng.unit()
    deal.status = r < 0.02 ? "pending" : r < 0.02 + reject ? "rejected" : "approved"
  }

  /// A customer of the partner active on `day`, if one turns up quickly.
  mutating func pickCustomer(on day: Day) -> Int? {
    guard !customers.isEmpty else { return nil }
    for _ in 0..<4 {
      let i = rng.below(customers.count)
      if customers[i].acquired <= day && day < customers[i].churned { return i }
    }
    return nil
  }

  /// Writes the deal (after the customer it makes, if it wins a new one) and returns its id.
  @discardableResult
  mutating func writeDeal<S: DemoSink>(_ deal: DemoDeal, _ p: DemoPartner, into sink: inout S) -> String {
    let id = DemoText.id("D", next.deal, width: 8)
    next.deal += 1
    var customerText = ""
    if deal.customer >= 0 {
      customerText = DemoText.id("C", customers[deal.customer].number, width: 7)
    } else if deal.customer == DemoDeal.newProspect {
      // Prospects get an id even when lost: the CRM knows them, customers.csv only lists winners.
      let number = next.customer
      next.customer += 1
      customerText = DemoText.id("C", number, width: 7)
      if deal.won, let closed = deal.closed {
        acquire(number: number, text: customerText, on: closed, segment: deal.segment, p, into: &sink)
      }
    }
    if deal.won, let closed = deal.closed, let k = range.monthOffset(closed) {
      wonCents[p.region.rawValue * range.months + k] += deal.cents
    }
    rows.deal[0] = id
    rows.deal[1] = p.id
    rows.deal[2] = customerText
    rows.deal[3] = DemoVocabulary.sources[deal.source]
    rows.deal[4] = days[deal.created]
    rows.deal[5] = deal.registered.map { days[$0] } ?? ""
    rows.deal[6] = deal.status
    rows.deal[7] = deal.closed == nil ? "open" : deal.won ? "won" : "lost"
    rows.deal[8] = deal.closed.map { days[$0] } ?? ""
    rows.deal[9] = DemoText.money(cents: deal.cents)
    rows.deal[10] = deal.product >= 0 ? DemoVocabulary.products[deal.product] : ""
    sink.write(.deals, rows.deal)
    return id
  }

  /// A new customer won on `day`; it churns after an exponential lifetime, or when its partner leaves.
  mutating func acquire<S: DemoSink>(
    number: Int, text: String, on day: Day, segment: Int, _ p: DemoPartner, into sink: inout S
  ) {
    var hazard = p.type.monthlyChurn * DemoVocabulary.segmentChurn[segment]
    if p.growth < -0.01 { hazard *= 1.6 }
    var churned = day + Int32(20 + min(3_650, rng.exponential(mean: 30.44 / hazard)))
    if let left = p.left, churned > left { churned = left }
    if churned > range.end { churned = DemoCustomer.never }
    customers.append(DemoCustomer(number: number, acquired: day, churned: churned, segment: segment))
    rows.customer[0] = text
    rows.customer[1] = p.id
    rows.customer[2] = days[day]
    rows.customer[3] = churned == DemoCustomer.never ? "" : days[churned]
    rows.customer[4] = rng.chance(0.04) ? "" : DemoVocabulary.segments[segment]
    sink.write(.customers, rows.customer)
  }

  /// Drops customers gone by `day` and counts those active on it.
  mutating func refreshCustomers(at day: Day) -> Int {
    customers.removeAll { $0.churned <= day }
    var n = 0
    for c in customers where c.acquired <= day { n += 1 }
    return n
  }
}
