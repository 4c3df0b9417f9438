import ChannelKPI

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
}
