import ChannelKPI
import Testing

/// A small random partner program: 2–6 partners over about two years (2024–2025, with some facts
/// spilling into late 2023 and 2026), only valid records, in an order where references resolve, with
/// duplicate keys (the later record replaces the earlier one).
struct RandomProgram {
  let seed: UInt64
  /// Every record in import order, duplicates included.
  var records: [FactRecord]

  init(seed: UInt64) {
    var g = ProgramGenerator(seed: seed)
    self.seed = seed
    self.records = g.program()
  }

  init(seed: UInt64, records: [FactRecord]) {
    self.seed = seed
    self.records = records
  }

  /// The first and last month of any date in the records.
  var monthRange: (first: Month, last: Month) {
    var lo: Month? = nil
    var hi: Month? = nil
    func see(_ m: Month) {
      if lo == nil || m < lo! { lo = m }
      if hi == nil || m > hi! { hi = m }
    }
    for r in records {
      for v in r.values {
        switch v {
        case .day(let d): see(d.month)
        case .month(let m): see(m)
        case .timestamp(let t): see(t.utcDay.month)
        default: break
        }
      }
    }
    return (lo ?? Month(year: 2024, month: 1), hi ?? Month(year: 2025, month: 12))
  }

  /// The text of a record, one line: `deals: deal_id=D3 partner_id=P1 stage=won …` (absent fields left out).
  static func line(_ r: FactRecord) -> String {
    var parts = [r.table.rawValue + ":"]
    for (i, c) in r.table.schema.columns.enumerated() where !r.values[i].isAbsent {
      parts.append("\(c.name)=\(r.values[i].description)")
    }
    return parts.joined(separator: " ")
  }

  /// The column texts of a record (nil = absent), in schema order.
  static func texts(_ r: FactRecord) -> [String?] { r.values.map { $0.isAbsent ? nil : $0.description } }

  /// The table and key of a record, as one string.
  static func key(_ r: FactRecord) -> String {
    var k = r.table.rawValue
    for v in r.key { k += "\u{1}" + (v.isAbsent ? "\u{2}" : v.description) }
    return k
  }

  /// SplitMix64: a small seeded generator, so that a program is reproducible from its seed.
  struct RNG: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }
}

/// Builds the records of a random program; also makes modified versions of records (same key).
struct ProgramGenerator {
  var rng: RandomProgram.RNG

  // Some values are shared between vocabularies and id domains ("msp" is a type and a region,
  // "D1" a partner and a deal, "P1" a partner and a customer): each must stay in its own domain.
  let types = ["reseller", "msp", "referral"]
  let regions = ["emea", "na", "apac", "msp"]
  let tiers: [String?] = [nil, "gold", "silver", "platinum"]
  /// Ids that differ only by case or contain spaces and non-ASCII letters are all valid and distinct.
  let partnerIDPool = ["P1", "p1", "P 2", "Ω-3", "D1", "partner,5", "C1"]

  var partnerIDs: [String] = []
  var campaignIDs: [String] = []
  var dealIDs: [String] = []
  var customerIDs: [String] = []

  init(seed: UInt64) { rng = RandomProgram.RNG(seed: seed) }

  // MARK: Randomness helpers

  mutating func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &rng) }
  mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
  mutating func pick<T>(_ a: [T]) -> T { a[int(0...a.count - 1)] }

  static let day0 = Day(year: 2024, month: 1, day: 1)!
  static let day1 = Day(year: 2025, month: 12, day: 31)!
  static let wide0 = Day(year: 2023, month: 10, day: 1)!
  static let wide1 = Day(year: 2026, month: 2, day: 28)!

  /// A random day: mostly in 2024–2025, often on a month's / quarter's / year's first or last day
  /// (or the day before a first day), sometimes a little outside the two years.
  mutating func day() -> Day {
    let roll = int(0...9)
    if roll < 6 {
      return Day(number: Int32(int(Int(Self.day0.number)...Int(Self.day1.number))))
    } else if roll < 9 {
      let m = Month(year: 2024, month: 1) + Int32(int(0...23))
      switch int(0...3) {
      case 0: return m.firstDay
      case 1: return m.lastDay
      case 2: return m.firstDay - 1
      default:
        // A quarter's or year's last day.
        let q = Period(grain: chance(0.7) ? .quarter : .year, containing: m)
        return q.end
      }
    } else {
      return Day(number: Int32(int(Int(Self.wide0.number)...Int(Self.wide1.number))))
    }
  }

  /// A day on or after `d`: the same day, a few days later, much later, or the last day of a later month.
  mutating func dayAfter(_ d: Day) -> Day {
    switch int(0...5) {
    case 0: return d
    case 1: return d + Int32(int(1...10))
    case 2: return d + Int32(int(1...120))
    case 3: return d + Int32(int(60...300))
    case 4: return (d.month + Int32(int(0...6))).lastDay
    default: return max(d, (d.month + Int32(int(1...6))).firstDay - Int32(int(0...1)))
    }
  }

  mutating func money(max: Int = 5_000_000) -> String {
    switch int(0...9) {
    case 0: return "0"
    case 1: return String(int(1...9999)) + "." + String(int(0...9))
    case 2: return String(int(1...99)) + ".0" + String(int(1...9))
    default: return Money.format(cents: Int64(int(1...max)))
    }
  }

  mutating func timestampText(_ microseconds: Int64) -> String {
    let offsets: [Int32] = [0, 0, 60, 330, -300, -480, 840, -720, 600, 345]
    return Timestamp(microseconds: microseconds, offsetMinutes: pick(offsets)).description
  }

  // MARK: Records

  func make(_ table: CanonicalTable, _ fields: [String: String?]) -> FactRecord? {
    let schema = table.schema
    for k in fields.keys where schema.index[k] == nil { Issue.record("\(table.rawValue) has no column \(k)") }
    let t: [String?] = schema.columns.map { fields[$0.name] ?? nil }
    switch RecordValidator.validate(table, texts: t) {
    case .success(let r): return r
    case .failure(let e):
      Issue.record("generator made an invalid \(table.rawValue) row \(fields): \(e.errors)")
      return nil
    }
  }

  mutating func partner(_ id: String) -> FactRecord? {
    let joined = day()
    var left: String? = nil
    if chance(0.3) { left = dayAfter(joined).description }
    return make(
      .partners,
      [
        "partner_id": id, "name": "Partner \(id)", "type": pick(types), "region": pick(regions),
        "country": chance(0.5) ? pick(["DE", "US", "BR", "JP"]) : nil, "tier": pick(tiers),
        "joined_on": joined.description, "left_on": left, "manager": chance(0.5) ? "Ann" : nil,
      ])
  }

  mutating func deal(_ id: String) -> FactRecord? {
    let created = day()
    let stage = pick(["open", "won", "won", "lost"])
    var closed: String? = nil
    if stage != "open" { closed = dayAfter(created).description }
    var registered: String? = nil
    var status: String? = nil
    if chance(0.6) {
      registered = (chance(0.3) ? day() : dayAfter(created)).description
      status = pick(["pending", "approved", "approved", "rejected"])
    }
    var customer: String? = nil
    if chance(0.75) { customer = pick(customerIDs + ["X1", "X2", "P1"]) }
    return make(
      .deals,
      [
        "deal_id": id, "partner_id": pick(partnerIDs), "customer_id": customer,
        "source": pick(["sourced", "influenced", "co_sell"]), "created_on": created.description,
        "registered_on": registered, "registration_status": status, "stage": stage, "closed_on": closed,
        "amount": money(), "product": chance(0.5) ? "Widget" : nil,
      ])
  }

  mutating func lead(_ id: String) -> FactRecord? {
    let created = day()
    var converted: String? = nil
    if chance(0.5) { converted = dayAfter(created).description }
    var dealID: String? = nil
    if chance(0.6) { dealID = pick(dealIDs + ["D-none"]) }
    var campaign: String? = nil
    if chance(0.6) && !campaignIDs.isEmpty { campaign = pick(campaignIDs) }
    return make(
      .leads,
      [
        "lead_id": id, "partner_id": pick(partnerIDs), "campaign_id": campaign,
        "created_on": created.description, "converted_on": converted, "deal_id": dealID,
      ])
  }

  mutating func campaign(_ id: String) -> FactRecord? {
    let started = day()
    let cost = money(max: 2_000_000)
    let costCents = Money.parseCents(cost)!
    var mdf: String? = nil
    if chance(0.4) { mdf = Money.format(cents: Int64(int(0...Int(costCents)))) }
    return make(
      .campaigns,
      [
        "campaign_id": id, "partner_id": pick(partnerIDs), "name": "Campaign \(id)",
        "channel": chance(0.5) ? pick(["email", "event", "web"]) : nil, "started_on": started.description,
        "ended_on": chance(0.5) ? dayAfter(started).description : nil, "cost": cost, "mdf_amount": mdf,
      ])
  }

  mutating func traffic(partner: String, date: String, campaign: String?) -> FactRecord? {
    make(
      .webTraffic,
      [
        "partner_id": partner, "date": date, "campaign_id": campaign,
        "visits": String(chance(0.1) ? 0 : int(1...1000)),
      ])
  }

  mutating func traffic() -> FactRecord? {
    var campaign: String? = nil
    if chance(0.4) && !campaignIDs.isEmpty { campaign = pick(campaignIDs) }
    return traffic(partner: pick(partnerIDs), date: day().description, campaign: campaign)
  }

  mutating func customer(_ id: String) -> FactRecord? {
    let acquired = day()
    var churned: String? = nil
    if chance(0.4) { churned = (chance(0.5) ? dayAfter(acquired) : max(acquired, day())).description }
    return make(
      .customers,
      [
        "customer_id": id, "partner_id": pick(partnerIDs), "acquired_on": acquired.description,
        "churned_on": churned, "segment": chance(0.5) ? pick(["smb", "enterprise"]) : nil,
      ])
  }

  mutating func survey(_ id: String) -> FactRecord? {
    make(
      .surveys,
      [
        "response_id": id, "partner_id": pick(partnerIDs),
        "customer_id": chance(0.5) ? pick(customerIDs + ["X1"]) : nil, "responded_on": day().description,
        "score": String(int(0...10)),
      ])
  }

  mutating func ticket(_ id: String) -> FactRecord? {
    let openedDay = day()
    var seconds = int(0...86_399)
    if chance(0.3) { seconds = pick([0, 1, 86_399, 86_340, 3_600, 82_800]) }
    let opened =
      Int64(openedDay.number) * Timestamp.microsecondsPerDay + Int64(seconds) * 1_000_000
      + (chance(0.2) ? Int64(int(0...999)) * 1000 : 0)
    var resolved: String? = nil
    if chance(0.7) {
      let delta: Int64
      switch int(0...3) {
      case 0: delta = 0
      case 1: delta = Int64(int(1...7200)) * 1_000_000
      case 2: delta = Int64(int(1...3 * 86_400)) * 1_000_000 + Int64(int(0...999_999))
      default: delta = Int64(int(1...40 * 86_400)) * 1_000_000
      }
      resolved = timestampText(opened + delta)
    }
    return make(
      .supportTickets,
      [
        "ticket_id": id, "partner_id": pick(partnerIDs),
        "customer_id": chance(0.5) ? pick(customerIDs + ["X1"]) : nil, "opened_at": timestampText(opened),
        "resolved_at": resolved, "satisfaction": chance(0.6) ? String(int(1...5)) : nil,
      ])
  }

  mutating func certification(_ id: String) -> FactRecord? {
    let enrolled = day()
    return make(
      .certifications,
      [
        "certification_id": id, "partner_id": pick(partnerIDs), "person_id": "person-\(int(1...5))",
        "program": pick(["sales", "sales", "technical", "presales"]), "enrolled_on": enrolled.description,
        "completed_on": chance(0.6) ? dayAfter(enrolled).description : nil,
      ])
  }

  mutating func market(region: String, month: String) -> FactRecord? {
    make(
      .market,
      ["region": region, "month": month, "market_revenue": Money.format(cents: Int64(int(1...900_000_000)))])
  }

  mutating func market() -> FactRecord? {
    let m = Month(year: 2023, month: 10) + Int32(int(0...29))
    return market(region: pick(regions + ["latam"]), month: m.description)
  }

  /// `count` ids from a pool 1.5 times as large, so that some repeat (upserts).
  mutating func ids(_ prefix: String, _ count: Int) -> [String] {
    let pool = max(1, count + count / 2)
    return (0..<count).map { _ in "\(prefix)\(int(1...pool))" }
  }

  // MARK: The program

  mutating func program() -> [FactRecord] {
    var out: [FactRecord] = []
    func add(_ r: FactRecord?) { if let r { out.append(r) } }

    let nPartners = int(2...6)
    partnerIDs = Array(partnerIDPool.shuffled(using: &rng).prefix(nPartners))
    for id in partnerIDs { add(partner(id)) }

    let nCustomers = int(0...30)
    customerIDs = Set(ids("C", nCustomers)).sorted()
    let nDeals = int(0...40)
    let dealIDList = ids("D", nDeals)
    dealIDs = Set(dealIDList).sorted()

    let nCampaigns = int(0...12)
    for id in ids("M", nCampaigns) {
      add(campaign(id))
      if let last = out.last, last.table == .campaigns { campaignIDs.append(id) }
    }
    campaignIDs = Set(campaignIDs).sorted()

    for id in dealIDList { add(deal(id)) }
    // One customer buying from two partners in the same month.
    if chance(0.6) {
      let c = pick(customerIDs + ["X1"])
      let closed = day()
      for (i, p) in partnerIDs.prefix(2).enumerated() {
        add(
          make(
            .deals,
            [
              "deal_id": "DX\(i)", "partner_id": p, "customer_id": c, "source": "sourced",
              "created_on": (closed - Int32(int(0...30))).description, "stage": "won",
              "closed_on": closed.description, "amount": money(),
            ]))
        dealIDs.append("DX\(i)")
      }
    }
    for id in ids("L", int(0...40)) { add(lead(id)) }
    for _ in 0..<int(0...40) { add(traffic()) }
    for id in customerIDs where chance(0.8) { add(customer(id)) }
    for id in ids("S", int(0...40)) { add(survey(id)) }
    for id in ids("T", int(0...40)) { add(ticket(id)) }
    for id in ids("Z", int(0...20)) { add(certification(id)) }
    for _ in 0..<int(0...40) { add(market()) }

    // Later versions of some partners (changed type, region, tier, dates), after all their facts.
    for _ in 0..<int(0...2) { add(partner(pick(partnerIDs))) }
    // Later versions of a few records of any table (upserts of an existing key).
    for _ in 0..<int(0...6) where !out.isEmpty { add(modified(pick(out))) }
    return out
  }

  // MARK: Modified versions

  /// A fresh record with the key of `r` and new random values.
  mutating func regenerate(_ r: FactRecord) -> FactRecord? {
    let k = r.key.map { $0.isAbsent ? nil : $0.description }
    switch r.table {
    case .partners: return partner(k[0]!)
    case .deals: return deal(k[0]!)
    case .leads: return lead(k[0]!)
    case .campaigns: return campaign(k[0]!)
    case .webTraffic: return traffic(partner: k[0]!, date: k[1]!, campaign: k[2])
    case .customers: return customer(k[0]!)
    case .surveys: return survey(k[0]!)
    case .supportTickets: return ticket(k[0]!)
    case .certifications: return certification(k[0]!)
    case .market: return market(region: k[0]!, month: k[1]!)
    }
  }

  /// A version of `r` with the same key where some fields (amounts, stages, dates, partner, campaign,
  /// deal, churn, …) changed; all of them when the mix of old and new fields would be invalid.
  mutating func modified(_ r: FactRecord) -> FactRecord? {
    guard let fresh = regenerate(r) else { return nil }
    if chance(0.3) { return fresh }
    var t = RandomProgram.texts(r)
    let n = RandomProgram.texts(fresh)
    let keys = Set(r.table.schema.keyIndexes)
    var changed = false
    for i in t.indices where !keys.contains(i) && chance(0.35) {
      t[i] = n[i]
      changed = true
    }
    if !changed { return fresh }
    switch RecordValidator.validate(r.table, texts: t) {
    case .success(let m): return m
    case .failure: return fresh
    }
  }
}
