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
