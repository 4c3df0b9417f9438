/// The running state of one demo generation: id counters, reusable row buffers, the current
/// partner's stream and book of customers, and the won revenue per region and month that sizes
/// the market. Nothing here grows with the number of partners or rows.
struct DemoGenerator {
  let seed: UInt64
  let partnerCount: Int
  let scale: Double
  let range: DemoRange
  let days: DemoDayTexts

  var next = DemoCounters()
  var rows = DemoRows()
  /// Won cents per region (major) and month of the range (minor).
  var wonCents: [Int64]
  /// The current partner's activity stream.
  var rng = DemoRandom(seed: 0, stream: 0)
  /// The current partner's customers that are or may still become active.
  var customers: [DemoCustomer] = []
  /// The current partner's campaigns that still bring website visits.
  var campaigns: [DemoCampaign] = []

  init(_ configuration: DemoConfiguration) {
    seed = configuration.seed
    partnerCount = max(0, configuration.partners)
    scale = configuration.scale.isFinite ? max(0, configuration.scale) : 0
    range = DemoRange(lastMonth: configuration.lastMonth, months: configuration.months)
    days = DemoDayTexts(from: range.start, through: range.end)
    wonCents = Array(repeating: 0, count: DemoRegion.allCases.count * range.months)
  }

  mutating func run<S: DemoSink>(into sink: inout S) {
    for i in 0..<partnerCount {
      writePartner(DemoPartner(index: i, seed: seed, range: range), into: &sink)
    }
    for i in 0..<partnerCount {
      simulate(DemoPartner(index: i, seed: seed, range: range), into: &sink)
    }
    writeMarket(into: &sink)
  }

  mutating func writePartner<S: DemoSink>(_ p: DemoPartner, into sink: inout S) {
    rows.partner[0] = p.id
    rows.partner[1] = p.name
    rows.partner[2] = p.type.slug
    rows.partner[3] = p.region.slug
    rows.partner[4] = p.country
    rows.partner[5] = p.tier?.slug ?? ""
    rows.partner[6] = DemoText.date(p.joined)
    rows.partner[7] = p.left.map { days[$0] } ?? ""
    rows.partner[8] = p.manager
    sink.write(.partners, rows.partner)
  }

  /// All of one partner's activity, month by month.
  mutating func simulate<S: DemoSink>(_ p: DemoPartner, into sink: inout S) {
    rng = DemoRandom(seed: seed, stream: 2, index: UInt64(p.index))
    customers.removeAll(keepingCapacity: true)
    campaigns.removeAll(keepingCapacity: true)
    certifyStaff(p, into: &sink)
    inheritPipeline(p, into: &sink)
    for k in 0..<range.months {
      let month = range.firstMonth + Int32(k)
      var first = month.firstDay
      var last = month.lastDay
      if p.joined > first { first = p.joined }
      if let left = p.left, left - 1 < last { last = left - 1 }
      guard first <= last else { continue }
      let window = DemoWindow(
        first: first, last: last,
        fraction: Double(last - first + 1) / Double(month.lastDay - month.firstDay + 1),
        season: p.region.season(month.monthOfYear))
      let mid = first + (last - first) / 2
      let selling = p.selling(on: mid, range) * window.season * window.fraction * scale
      let presence = p.presence(on: mid, range) * window.season * scale

      let activeCustomers = refreshCustomers(at: first)
      startCampaigns(p, window, presence: presence * window.fraction, into: &sink)
      organicLeads(p, window, presence: presence * window.fraction, into: &sink)
      directDeals(p, window, selling: selling, into: &sink)
      if p.hasWebsite { webTraffic(p, window, presence: presence, into: &sink) }
      surveys(p, window, customers: activeCustomers, presence: presence * window.fraction, into: &sink)
      tickets(p, window, customers: activeCustomers, presence: presence * window.fraction, into: &sink)
      newStaff(p, window, presence: presence * window.fraction, into: &sink)
      campaigns.removeAll { $0.lastVisitDay <= last }
    }
  }
}

/// The active days of one partner in one month.
struct DemoWindow {
  let first: Day
  let last: Day
  /// Share of the month's days the partner is active.
  let fraction: Double
  let season: Double

  var dayCount: Int { Int(last - first) + 1 }
}

/// The next number of every id kind.
struct DemoCounters {
  var deal = 1
  var lead = 1
  var campaign = 1
  var customer = 1
  var response = 1
  var ticket = 1
  var certification = 1
  var person = 1
}

/// One reusable field buffer per table: a sink that doesn't keep the array costs no allocation.
struct DemoRows {
  var partner = DemoRows.empty(.partners)
  var deal = DemoRows.empty(.deals)
  var lead = DemoRows.empty(.leads)
  var campaign = DemoRows.empty(.campaigns)
  var traffic = DemoRows.empty(.webTraffic)
  var customer = DemoRows.empty(.customers)
  var survey = DemoRows.empty(.surveys)
  var ticket = DemoRows.empty(.supportTickets)
  var certification = DemoRows.empty(.certifications)
  var market = DemoRows.empty(.market)

  static func empty(_ table: CanonicalTable) -> [String] {
    Array(repeating: "", count: table.schema.columns.count)
  }
}
