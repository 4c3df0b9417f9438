/// The built-in KPI catalog, written in the KPI language.
extension Catalog {
  /// The 27 built-in KPIs and the partner facts they use.
  public static let builtin = Catalog(
    kpis: (BuiltinKPIs.partnerPerformance + BuiltinKPIs.salesEffectiveness + BuiltinKPIs.marketing
      + BuiltinKPIs.satisfaction + BuiltinKPIs.enablement + BuiltinKPIs.value).map(BuiltinKPIs.bounded),
    partnerFacts: [
      PartnerFactDefinition(
        name: "first_won_on", description: "The day the partner's first won deal closed, over all data.",
        formula: "min(deals.closed_on where stage = 'won')"),
      PartnerFactDefinition(
        name: "sales_certified_on",
        description: "The day the partner's first sales certification was completed.",
        formula: "min(certifications.completed_on where program = 'sales')"),
    ])
}

/// The built-in KPIs by family.
enum BuiltinKPIs {
  static let won = "stage = 'won' and closed_on in period"

  /// The values each built-in KPI can take, where it is bounded: shares lie in 0…1, sums, counts
  /// and durations are not negative, NPS lies in −100…100, a 1–5 rating in 1…5 and ROI cannot lose
  /// more than everything spent. Time to first deal can be negative (a deal won before joining) and
  /// visits to leads is not a share (leads need not come from visits), so they are open.
  static let bounds: [String: (min: Double?, max: Double?)] = [
    "revenue": (0, nil), "sourced_revenue": (0, nil), "win_rate": (0, 1), "new_customers": (0, nil),
    "market_share": (0, 1), "lead_conversion_rate": (0, 1), "avg_deal_size": (0, nil),
    "sales_cycle_days": (0, nil), "co_sell_cycle_days": (0, nil), "open_pipeline": (0, nil),
    "pipeline_velocity": (0, nil), "deal_registrations": (0, nil), "registration_approval_rate": (0, 1),
    "registrations_per_partner": (0, nil), "leads_generated": (0, nil), "web_visits": (0, nil),
    "visit_to_lead_rate": (0, nil), "cost_per_acquisition": (0, nil), "marketing_roi": (-1, nil),
    "nps": (-100, 100), "customer_retention_rate": (0, 1), "avg_resolution_hours": (0, nil),
    "support_csat": (1, 5), "certified_partner_rate": (0, 1), "active_partner_rate": (0, 1),
    "customer_lifetime_value": (0, nil),
  ]

  static func bounded(_ k: KPIDefinition) -> KPIDefinition {
    var k = k
    (k.minimum, k.maximum) = bounds[k.id] ?? (nil, nil)
    return k
  }

  static let partnerPerformance = [
    KPIDefinition(
      id: "revenue", name: "Partner revenue", family: "partner_performance", unit: .money, better: .higher,
      stages: [.sell], description: "Amount of the deals won in the period.",
      formula: "sum(deals.amount where \(won))"),
    KPIDefinition(
      id: "sourced_revenue", name: "Partner-sourced revenue", family: "partner_performance", unit: .money,
      better: .higher, stages: [.sell], description: "Amount of the won deals the partner found itself.",
      formula: "sum(deals.amount where \(won) and source = 'sourced')"),
    KPIDefinition(
      id: "win_rate", name: "Deal closure rate", family: "partner_performance", unit: .rate, better: .higher,
      stages: [.sell], description: "Won deals over all deals closed (won or lost) in the period.",
      formula: "count(deals where \(won)) / count(deals where stage in ('won', 'lost') and closed_on in period)"),
    KPIDefinition(
      id: "new_customers", name: "Customer acquisition", family: "partner_performance", unit: .count,
      better: .higher, stages: [.sell], description: "Customers acquired in the period.",
      formula: "count(customers where acquired_on in period)"),
    KPIDefinition(
      id: "market_share", name: "Market share", family: "partner_performance", unit: .rate, better: .higher,
      stages: [.recruit],
      description: "Revenue over the market's revenue in the period and the regions of the scope's partners.",
      formula: "revenue / sum(market.market_revenue where month in period)"),
  ]

  static let salesEffectiveness = [
    KPIDefinition(
      id: "lead_conversion_rate", name: "Lead conversion rate", family: "sales_effectiveness", unit: .rate,
      better: .higher, stages: [.sell], description: "Share of the period's leads that became opportunities.",
      formula:
        "count(leads where converted_on is present and created_on in period) / count(leads where created_on in period)"),
    KPIDefinition(
      id: "avg_deal_size", name: "Average deal size", family: "sales_effectiveness", unit: .money, better: .higher,
      stages: [.sell], description: "Mean amount of the deals won in the period.",
      formula: "mean(deals.amount where \(won))"),
    KPIDefinition(
      id: "sales_cycle_days", name: "Sales cycle length", family: "sales_effectiveness", unit: .days,
      better: .lower, stages: [.sell], description: "Mean days from creation to close of the deals won in the period.",
      formula: "mean(closed_on - created_on from deals where \(won))"),
    KPIDefinition(
      id: "co_sell_cycle_days", name: "Co-selling sales cycle length", family: "sales_effectiveness", unit: .days,
      better: .lower, stages: [.sell], description: "The sales cycle of won deals sold jointly with the vendor.",
      formula: "mean(closed_on - created_on from deals where \(won) and source = 'co_sell')"),
    KPIDefinition(
      id: "open_pipeline", name: "Open pipeline", family: "sales_effectiveness", unit: .money, better: .higher,
      stages: [.sell], description: "Amount of the deals open at the end of the period's last day.",
      formula: "sum(deals.amount where active(created_on, closed_on, end))"),
    KPIDefinition(
      id: "pipeline_velocity", name: "Pipeline velocity", family: "sales_effectiveness", unit: .moneyPerDay,
      better: .higher, stages: [.sell],
      description: "Open deals × win rate × average deal size / sales cycle: expected revenue per day.",
      formula: "count(deals where active(created_on, closed_on, end)) * win_rate * avg_deal_size / sales_cycle_days"),
    KPIDefinition(
      id: "deal_registrations", name: "Deal registrations", family: "sales_effectiveness", unit: .count,
      better: .higher, stages: [.sell], description: "Deals registered by partners in the period.",
      formula: "count(deals where registered_on in period)"),
    KPIDefinition(
      id: "registration_approval_rate", name: "Deal registration approval rate", family: "sales_effectiveness",
      unit: .rate, better: .higher, stages: [.sell],
      description: "Approved registrations over decided (approved or rejected) ones; pending ones are left out.",
      formula:
        "count(deals where registration_status = 'approved' and registered_on in period) / count(deals where registration_status in ('approved', 'rejected') and registered_on in period)"
    ),
    KPIDefinition(
      id: "registrations_per_partner", name: "Deal registrations per partner", family: "sales_effectiveness",
      unit: .countPerPartner, better: .higher, stages: [.sell],
      description: "Deal registrations over the partners active at the end of the period.",
      formula: "deal_registrations / count(partners where active(joined_on, left_on, end))"),
  ]

  static let marketing = [
    KPIDefinition(
      id: "leads_generated", name: "Lead generation", family: "marketing_roi", unit: .count, better: .higher,
      stages: [.market], description: "Leads created in the period.",
      formula: "count(leads where created_on in period)"),
    KPIDefinition(
      id: "web_visits", name: "Website traffic", family: "marketing_roi", unit: .count, better: .higher,
      stages: [.market], description: "Visits to partner sites in the period.",
      formula: "sum(web_traffic.visits where date in period)"),
    KPIDefinition(
      id: "visit_to_lead_rate", name: "Visit-to-lead conversion rate", family: "marketing_roi", unit: .rate,
      better: .higher, stages: [.market], description: "Leads generated over web visits.",
      formula: "leads_generated / web_visits"),
    KPIDefinition(
      id: "cost_per_acquisition", name: "Cost per acquisition", family: "marketing_roi", unit: .money,
      better: .lower, stages: [.market], description: "Cost of the campaigns started in the period per new customer.",
      formula: "sum(campaigns.cost where started_on in period) / new_customers"),
    KPIDefinition(
      id: "marketing_roi", name: "Marketing ROI", family: "marketing_roi", unit: .rate, better: .higher,
      stages: [.market],
      description: "Revenue of won deals that came from campaign leads, less campaign cost, over campaign cost.",
      formula: "(campaign_revenue - campaign_cost) / campaign_cost",
      lets: [
        NamedFormula(
          name: "campaign_revenue",
          formula: "sum(deals.amount where \(won) and deal_id in (leads.deal_id where campaign_id is present))"),
        NamedFormula(name: "campaign_cost", formula: "sum(campaigns.cost where started_on in period)"),
      ]),
  ]

  static let satisfaction = [
    KPIDefinition(
      id: "nps", name: "Net Promoter Score", family: "customer_satisfaction", unit: .score, better: .higher,
      stages: [.accelerate], description: "Promoters (9–10) minus detractors (0–6), per 100 responses.",
      formula:
        "100 * (count(surveys where score >= 9 and responded_on in period) - count(surveys where score <= 6 and responded_on in period)) / count(surveys where responded_on in period)"
    ),
    KPIDefinition(
      id: "customer_retention_rate", name: "Customer retention rate", family: "customer_satisfaction", unit: .rate,
      better: .higher, stages: [.accelerate],
      description: "Of the customers active the day before the period, the share still active at its end.",
      formula:
        "count(customers where active(acquired_on, churned_on, start - 1) and active(acquired_on, churned_on, end)) / count(customers where active(acquired_on, churned_on, start - 1))"
    ),
    KPIDefinition(
      id: "avg_resolution_hours", name: "Support resolution time", family: "customer_satisfaction", unit: .hours,
      better: .lower, stages: [.accelerate],
      description: "Mean hours from opening to resolution of tickets resolved in the period.",
      formula: "mean(resolved_at - opened_at from support_tickets where resolved_at in period)"),
    KPIDefinition(
      id: "support_csat", name: "Support satisfaction", family: "customer_satisfaction", unit: .score,
      better: .higher, stages: [.accelerate], description: "Mean rating (1–5) of tickets resolved in the period.",
      formula: "mean(support_tickets.satisfaction where resolved_at in period)"),
  ]

  static let enablement = [
    KPIDefinition(
      id: "certified_partner_rate", name: "Sales-certified partners", family: "enablement", unit: .rate,
      better: .higher, stages: [.enable],
      description: "Share of active partners with a completed sales certification by the period's end.",
      formula:
        "count(partners where active(joined_on, left_on, end) and sales_certified_on <= end) / count(partners where active(joined_on, left_on, end))"
    ),
    KPIDefinition(
      id: "time_to_first_deal_days", name: "Time to first deal", family: "enablement", unit: .days, better: .lower,
      stages: [.onboard],
      description: "Mean days from joining to the first won deal, over partners whose first win falls in the period.",
      formula: "mean(first_won_on - joined_on from partners where first_won_on in period)"),
    KPIDefinition(
      id: "active_partner_rate", name: "Partner activation rate", family: "enablement", unit: .rate,
      better: .higher, stages: [.accelerate],
      description: "Share of active partners that registered or won a deal in the period.",
      formula:
        "count(partners where active(joined_on, left_on, end) and count(deals where registered_on in period) + count(deals where \(won)) > 0) / count(partners where active(joined_on, left_on, end))"
    ),
  ]

  static let value = [
    KPIDefinition(
      id: "customer_lifetime_value", name: "Customer lifetime value", family: "customer_value", unit: .money,
      better: .higher, stages: [.accelerate],
      description:
        "Average revenue per customer over the 12 months ending with the period, times the expected customer lifetime in years (1 / churn, at most 10).",
      formula: "arpc * if(churn = 0, 10, least(1 / churn, 10))",
      lets: [
        NamedFormula(
          name: "arpc",
          formula:
            "trailing(12, sum(deals.amount where \(won) and customer_id is present) / count_distinct(deals.customer_id where \(won)))"
        ),
        NamedFormula(
          name: "churn",
          formula:
            "trailing(12, count(customers where churned_on in period) / count(customers where active(acquired_on, churned_on, start - 1)))"
        ),
      ])
  ]
}
