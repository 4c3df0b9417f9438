import ChannelKPI

/// A deliberately naive second implementation of the 27 built-in KPIs, written straight from
/// `kpi-catalog.md` and `data-format.md`: it keeps the latest version of every record (by key),
/// picks the facts of a scope, and answers every KPI of a period by looping over those facts.
/// Nothing here is shared with the engine; it is slow on purpose and only meant for small programs.
struct NaiveCatalog {
  /// The ids of the built-in KPIs, in the order of the catalog spec.
  static let kpiIDs: [String] = [
    "revenue", "sourced_revenue", "win_rate", "new_customers", "market_share",
    "lead_conversion_rate", "avg_deal_size", "sales_cycle_days", "co_sell_cycle_days", "open_pipeline",
    "pipeline_velocity", "deal_registrations", "registration_approval_rate", "registrations_per_partner",
    "leads_generated", "web_visits", "visit_to_lead_rate", "cost_per_acquisition", "marketing_roi",
    "nps", "customer_retention_rate", "avg_resolution_hours", "support_csat",
    "certified_partner_rate", "time_to_first_deal_days", "active_partner_rate",
    "customer_lifetime_value",
  ]

  struct Partner {
    var id: String
    var type: String
    var region: String
    var tier: String?
    var joined: Day
    var left: Day?
    /// `joined_on ≤ d` and (`left_on` absent or `d < left_on`).
    func isActive(on d: Day) -> Bool { joined <= d && (left == nil || d < left!) }
  }
  struct Deal {
    var id: String
    var partner: String
    var customer: String?
    var source: String
    var created: Day
    var registered: Day?
    var status: String?
    var stage: String
    var closed: Day?
    var amount: Int64
  }
  struct Lead {
    var id: String
    var partner: String
    var campaign: String?
    var created: Day
    var converted: Day?
    var deal: String?
  }
  struct Campaign {
    var id: String
    var partner: String
    var started: Day
    var cost: Int64
  }
  struct Traffic {
    var partner: String
    var date: Day
    var visits: Int64
  }
  struct Customer {
    var id: String
    var partner: String
    var acquired: Day
    var churned: Day?
    func isActive(on d: Day) -> Bool { acquired <= d && (churned == nil || d < churned!) }
  }
  struct Survey {
    var partner: String
    var responded: Day
    var score: Int64
  }
  struct Ticket {
    var partner: String
    var opened: Timestamp
    var resolved: Timestamp?
    var satisfaction: Int64?
  }
  struct Certification {
    var partner: String
    var program: String
    var completed: Day?
  }
  struct MarketRow {
    var region: String
    var month: Month
    var revenue: Int64
  }

  var partners: [Partner] = []
  var deals: [Deal] = []
  var leads: [Lead] = []
  var campaigns: [Campaign] = []
  var traffic: [Traffic] = []
  var customers: [Customer] = []
  var surveys: [Survey] = []
  var tickets: [Ticket] = []
  var certifications: [Certification] = []
  var market: [MarketRow] = []

  /// The latest version of every key of every table (a later record replaces an earlier one).
  static func latestVersions(_ records: [FactRecord]) -> [FactRecord] {
    var out: [FactRecord] = []
    var position: [String: Int] = [:]
    for r in records {
      var k = r.table.rawValue
      for v in r.key { k += "\u{1}" + (v.isAbsent ? "\u{2}" : v.description) }
      if let i = position[k] {
        out[i] = r
      } else {
        position[k] = out.count
        out.append(r)
      }
    }
    return out
  }

  init(_ records: [FactRecord]) {
    for r in NaiveCatalog.latestVersions(records) {
      switch r.table {
      case .partners:
        partners.append(
          Partner(
            id: r["partner_id"].string!, type: r["type"].string!, region: r["region"].string!,
            tier: r["tier"].string, joined: r["joined_on"].day!, left: r["left_on"].day))
      case .deals:
        deals.append(
          Deal(
            id: r["deal_id"].string!, partner: r["partner_id"].string!, customer: r["customer_id"].string,
            source: r["source"].string!, created: r["created_on"].day!, registered: r["registered_on"].day,
            status: r["registration_status"].string, stage: r["stage"].string!, closed: r["closed_on"].day,
            amount: r["amount"].money!))
      case .leads:
        leads.append(
          Lead(
            id: r["lead_id"].string!, partner: r["partner_id"].string!, campaign: r["campaign_id"].string,
            created: r["created_on"].day!, converted: r["converted_on"].day, deal: r["deal_id"].string))
      case .campaigns:
        campaigns.append(
          Campaign(
            id: r["campaign_id"].string!, partner: r["partner_id"].string!, started: r["started_on"].day!,
            cost: r["cost"].money!))
      case .webTraffic:
        traffic.append(Traffic(partner: r["partner_id"].string!, date: r["date"].day!, visits: r["visits"].int!))
      case .customers:
        customers.append(
          Customer(
            id: r["customer_id"].string!, partner: r["partner_id"].string!, acquired: r["acquired_on"].day!,
            churned: r["churned_on"].day))
      case .surveys:
        surveys.append(
          Survey(partner: r["partner_id"].string!, responded: r["responded_on"].day!, score: r["score"].int!))
      case .supportTickets:
        tickets.append(
          Ticket(
            partner: r["partner_id"].string!, opened: r["opened_at"].timestamp!, resolved: r["resolved_at"].timestamp,
            satisfaction: r["satisfaction"].int))
      case .certifications:
        certifications.append(
          Certification(
            partner: r["partner_id"].string!, program: r["program"].string!, completed: r["completed_on"].day))
      case .market:
        market.append(
          MarketRow(region: r["region"].string!, month: r["month"].month!, revenue: r["market_revenue"].money!))
      }
    }
  }

  // MARK: Scopes

  /// Every scope of a kind: each partner, each type / region / tier (current values), or the network.
  func scopes(_ kind: ScopeKind) -> [Scope] {
    var values: Set<String> = []
    for p in partners {
      switch kind {
      case .network: break
      case .partner: values.insert(p.id)
      case .type: values.insert(p.type)
      case .region: values.insert(p.region)
      case .tier: if let t = p.tier { values.insert(t) }
      }
    }
    if kind == .network { return [.network] }
    return values.sorted().map { Scope(kind, $0) }
  }

  /// The partner ids of a scope.
  func members(_ scope: Scope) -> Set<String> {
    var out: Set<String> = []
    for p in partners {
      switch scope.kind {
      case .network: out.insert(p.id)
      case .partner: if p.id == scope.value { out.insert(p.id) }
      case .type: if p.type == scope.value { out.insert(p.id) }
      case .region: if p.region == scope.value { out.insert(p.id) }
      case .tier: if p.tier != nil && p.tier == scope.value { out.insert(p.id) }
      }
    }
    return out
  }

  /// The facts of one scope (facts whose `partner_id` is a member), plus what a KPI of the scope may
  /// look at outside it (every lead, for marketing_roi; the market table).
  struct Facts {
    var partners: [Partner] = []
    var deals: [Deal] = []
    var leads: [Lead] = []
    var allLeads: [Lead] = []
    var campaigns: [Campaign] = []
    var traffic: [Traffic] = []
    var customers: [Customer] = []
    var surveys: [Survey] = []
    var tickets: [Ticket] = []
    var certifications: [Certification] = []
    var market: [MarketRow] = []
  }

  func facts(_ scope: Scope) -> Facts {
    let m = members(scope)
    var f = Facts()
    f.partners = partners.filter { m.contains($0.id) }
    f.deals = deals.filter { m.contains($0.partner) }
    f.leads = leads.filter { m.contains($0.partner) }
    f.allLeads = leads
    f.campaigns = campaigns.filter { m.contains($0.partner) }
    f.traffic = traffic.filter { m.contains($0.partner) }
    f.customers = customers.filter { m.contains($0.partner) }
    f.surveys = surveys.filter { m.contains($0.partner) }
    f.tickets = tickets.filter { m.contains($0.partner) }
    f.certifications = certifications.filter { m.contains($0.partner) }
    f.market = market
    return f
  }

  func value(_ kpi: String, _ scope: Scope, _ period: Period) -> Double? {
    facts(scope).value(kpi, period.months)
  }

  /// A KPI over a window of whole months, computed as for a period that long.
  func value(_ kpi: String, _ scope: Scope, window: MonthRange) -> Double? {
    facts(scope).value(kpi, window)
  }
}

// MARK: The KPIs

extension NaiveCatalog.Facts {
  func value(_ kpi: String, _ p: MonthRange) -> Double? {
    guard let i = NaiveCatalog.kpiIDs.firstIndex(of: kpi) else { fatalError("naive catalog has no KPI \(kpi)") }
    return value(kpiIndex: i, p)
  }

  /// The value of the KPI `NaiveCatalog.kpiIDs[kpiIndex]`.
  func value(kpiIndex: Int, _ p: MonthRange) -> Double? {
    switch kpiIndex {
    case 0: return revenue(p)  // revenue
    case 1: return sourcedRevenue(p)  // sourced_revenue
    case 2: return winRate(p)  // win_rate
    case 3: return newCustomers(p)  // new_customers
    case 4: return marketShare(p)  // market_share
    case 5: return leadConversionRate(p)  // lead_conversion_rate
    case 6: return avgDealSize(p)  // avg_deal_size
    case 7: return salesCycleDays(p, coSellOnly: false)  // sales_cycle_days
    case 8: return salesCycleDays(p, coSellOnly: true)  // co_sell_cycle_days
    case 9: return openPipeline(p)  // open_pipeline
    case 10: return pipelineVelocity(p)  // pipeline_velocity
    case 11: return dealRegistrations(p)  // deal_registrations
    case 12: return registrationApprovalRate(p)  // registration_approval_rate
    case 13: return registrationsPerPartner(p)  // registrations_per_partner
    case 14: return leadsGenerated(p)  // leads_generated
    case 15: return webVisits(p)  // web_visits
    case 16: return visitToLeadRate(p)  // visit_to_lead_rate
    case 17: return costPerAcquisition(p)  // cost_per_acquisition
    case 18: return marketingROI(p)  // marketing_roi
    case 19: return nps(p)  // nps
    case 20: return customerRetentionRate(p)  // customer_retention_rate
    case 21: return avgResolutionHours(p)  // avg_resolution_hours
    case 22: return supportCSAT(p)  // support_csat
    case 23: return certifiedPartnerRate(p)  // certified_partner_rate
    case 24: return timeToFirstDealDays(p)  // time_to_first_deal_days
    case 25: return activePartnerRate(p)  // active_partner_rate
    case 26: return customerLifetimeValue(p)  // customer_lifetime_value
    default: fatalError("naive catalog has no KPI number \(kpiIndex)")
    }
  }

  func inP(_ d: Day?, _ p: MonthRange) -> Bool {
    guard let d else { return false }
    return p.start <= d && d <= p.end
  }

  func units(_ cents: Int64) -> Double { Double(cents) / 100 }

  // won(P): stage = won and closed_on ∈ P.
  func won(_ p: MonthRange) -> [NaiveCatalog.Deal] {
    var out: [NaiveCatalog.Deal] = []
    for d in deals where d.stage == "won" && inP(d.closed, p) { out.append(d) }
    return out
  }

  func lost(_ p: MonthRange) -> [NaiveCatalog.Deal] {
    var out: [NaiveCatalog.Deal] = []
    for d in deals where d.stage == "lost" && inP(d.closed, p) { out.append(d) }
    return out
  }

  func activePartners(_ day: Day) -> [NaiveCatalog.Partner] {
    var out: [NaiveCatalog.Partner] = []
    for x in partners where x.isActive(on: day) { out.append(x) }
    return out
  }

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
