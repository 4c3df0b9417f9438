extension DemoProgram {
  /// The demo program's definitions as YAML files (name → text): objectives, targets and a
  /// scorecard per partner type, with a few deliberate hygiene problems for `channelkpi check`
  /// to find (a scorecard with too many KPIs, a KPI no objective asks for, a KPI few partners
  /// have data for, targets that ask for nothing or for the impossible, one everybody misses).
  public static func definitions(_ configuration: DemoConfiguration) -> [String: String] {
    let first = Period(grain: .quarter, containing: configuration.firstMonth)
    // The first tier evaluation has a whole year of history behind it.
    let tierStart = Period(grain: .quarter, containing: configuration.firstMonth + 11).start
    return [
      "objectives.yaml": """
      # Strategic objectives and the KPIs that measure them.
      objectives:
        - id: grow_revenue
          name: Grow channel revenue
          description: More won business through partners, with a healthy pipeline.
          owner: VP Channel Sales
          from: \(first)
          kpis: [revenue, sourced_revenue, win_rate, avg_deal_size, sales_cycle_days, open_pipeline,
                 pipeline_velocity, deal_registrations, registration_approval_rate, new_customers, market_share]
        - id: partner_marketing
          name: Make partner marketing pay
          description: Campaigns that bring leads that convert, at a cost that pays back.
          owner: Head of Partner Marketing
          from: \(first)
          kpis: [leads_generated, lead_conversion_rate, visit_to_lead_rate, cost_per_acquisition, marketing_roi]
        - id: customer_experience
          name: Keep customers happy and loyal
          description: Customers of partners recommend us, stay, and get good support.
          owner: VP Customer Success
          from: \(first)
          kpis: [nps, customer_retention_rate, support_csat, avg_resolution_hours, customer_lifetime_value]
        - id: enable_partners
          name: Enable and activate partners
          description: Certified partners that reach their first deal fast and stay active.
          owner: Partner Enablement Lead
          from: \(first)
          kpis: [certified_partner_rate, time_to_first_deal_days, active_partner_rate, registrations_per_partner,
                 co_sell_cycle_days]

      """,
      "targets.yaml": """
      # How baselines and statuses work per KPI (defaults: mean of the previous 4 periods;
      # on track at 100% of target, at risk from 90%).
      kpi_settings:
        nps:
          baseline: same period last year
        support_csat:
          on_track: 1.0
          at_risk: 0.95

      # Targets by quarter. The most specific scope wins: partner, tier, type, region, network.
      targets:
        - kpi: revenue
          scope: network
          grain: quarter
          growth: 0.05
        - kpi: revenue
          scope: tier:platinum
          grain: quarter
          growth: 0.08
        - kpi: revenue
          scope: type:reseller
          grain: quarter
          growth: -0.2          # deliberately asks for less than resellers already do
        - kpi: revenue
          scope: type:distributor
          grain: quarter
          growth: 3.0           # deliberately more growth than distributors ever had
        - kpi: sourced_revenue
          scope: network
          grain: quarter
          growth: 0.05
        - kpi: win_rate
          scope: network
          grain: quarter
          delta: 0.01
        - kpi: win_rate
          scope: type:msp
          grain: quarter
          value: 0.6            # out of reach for most MSPs, quarter after quarter
        - kpi: deal_registrations
          scope: network
          grain: quarter
          growth: 0.05
        - kpi: registration_approval_rate
          scope: network
          grain: quarter
          delta: 0.005
        - kpi: sales_cycle_days
          scope: network
          grain: quarter
          delta: -3
        - kpi: nps
          scope: network
          grain: quarter
          value: 30             # a fixed target left unchanged while NPS moved
        - kpi: customer_retention_rate
          scope: network
          grain: quarter
          delta: 0.005
        - kpi: support_csat
          scope: network
          grain: quarter
          delta: 0.05
        - kpi: active_partner_rate
          scope: network
          grain: quarter
          delta: 0.01
        - kpi: certified_partner_rate
          scope: network
          grain: quarter
          delta: 0.02
        - kpi: marketing_roi
          scope: network
          grain: quarter
          growth: 0.05
        - kpi: leads_generated
          scope: network
          grain: quarter
          growth: 0.05
        - kpi: lead_conversion_rate
          scope: network
          grain: quarter
          delta: 0.005
        - kpi: customer_retention_rate
          scope: type:msp
          grain: quarter
          delta: 0.005

      """,
      "scorecards.yaml": """
      # The few KPIs that matter to each partner type, with weights.
      scorecards:
        - id: network
          name: Program scorecard
          network: true
          kpis:
            - {kpi: revenue, weight: 3}
            - {kpi: win_rate, weight: 2}
            - {kpi: active_partner_rate, weight: 2}
            - {kpi: nps, weight: 1}
            - {kpi: customer_retention_rate, weight: 1}
            - {kpi: marketing_roi, weight: 1}
        - id: reseller
          name: Reseller scorecard
          partner_type: reseller
          kpis:
            - {kpi: revenue, weight: 3}
            - {kpi: win_rate, weight: 2}
            - {kpi: deal_registrations, weight: 1}
            - {kpi: nps, weight: 1}
        - id: msp
          name: MSP scorecard
          partner_type: msp
          kpis:
            - {kpi: customer_retention_rate, weight: 3}
            - {kpi: revenue, weight: 2}
            - {kpi: support_csat, weight: 2}
            - {kpi: win_rate, weight: 1}
        - id: referral
          name: Referral partner scorecard
          partner_type: referral
          kpis:
            - {kpi: leads_generated, weight: 2}
            - {kpi: lead_conversion_rate, weight: 2}
            - {kpi: sourced_revenue, weight: 2}
            - {kpi: web_visits, weight: 1}            # no objective asks for web visits
            - {kpi: co_sell_cycle_days, weight: 1}    # referral partners rarely co-sell: little data
        - id: system_integrator
          name: System integrator scorecard
          partner_type: system_integrator
          kpis:                                      # eight KPIs: more than a scorecard should carry
            - {kpi: revenue, weight: 3}
            - {kpi: avg_deal_size, weight: 2}
            - {kpi: win_rate, weight: 2}
            - {kpi: sales_cycle_days, weight: 1}
            - {kpi: open_pipeline, weight: 1}
            - {kpi: co_sell_cycle_days, weight: 1}
            - {kpi: nps, weight: 1}
            - {kpi: certified_partner_rate, weight: 1}
        - id: distributor
          name: Distributor scorecard
          partner_type: distributor
          kpis:
            - {kpi: revenue, weight: 3}
            - {kpi: deal_registrations, weight: 2}
            - {kpi: registration_approval_rate, weight: 1}
            - {kpi: market_share, weight: 1}

      """,
      "alerts.yaml": """
      # Alert rules: evaluated after every import, batch of facts and definitions change, and every
      # few minutes by a running server. 'for' and 'resolve_after' count periods. See
      # docs/monitoring.md.
      alerts:
        - id: partner_win_rate_drop
          name: A partner's win rate fell by a quarter or more from the quarter before
          kpi: win_rate
          scope: each partner
          grain: quarter
          when: {drop: 0.25, versus: previous_period}
          severity: warning
          notify: [channel-ops]
        - id: reseller_revenue_off_target
          name: A reseller below 80% of its revenue target two quarters running
          kpi: revenue
          scope: each partner
          where: {type: reseller}
          grain: quarter
          when: {attainment_below: 0.8}
          for: 2
          severity: critical
          notify: [channel-ops]
        - id: registrations_stopped
          name: No deal registrations for two months
          kpi: deal_registrations
          scope: each partner
          grain: month
          when: {no_data: 2}
          severity: info
        - id: network_revenue_unexpected
          name: Network revenue outside its forecast
          kpi: revenue
          scope: network
          grain: month
          when: {outside_forecast: true}
          severity: warning
          notify: [channel-ops]

      """,
      "benchmarks.yaml": """
      # External figures shown beside partners' and peers' values (illustrative, not real studies).
      benchmarks:
        - kpi: win_rate
          peers: network
          grain: quarter
          value: 0.32
          source: "Channel sales survey 2025 (illustrative)"
        - kpi: win_rate
          peers: type:reseller
          grain: quarter
          value: 0.30
          source: "Reseller benchmark study 2025 (illustrative)"
        - kpi: avg_deal_size
          peers: type:system_integrator
          value: 60000
          source: "Integrator economics report 2025 (illustrative)"
        - kpi: nps
          peers: network
          value: 40
          source: "B2B software NPS benchmark 2025 (illustrative)"

      """,
      "enablement.yaml": """
      # Trainings recommended on the partner page and in the portal for KPIs off track; 'program'
      # names the certifications.csv program a training is. Links are illustrative.
      enablement:
        - kpi: win_rate
          training: Solution selling
          program: sales
          link: https://academy.example.com/solution-selling
        - kpi: avg_deal_size
          training: Solution selling
          program: sales
          link: https://academy.example.com/solution-selling
        - kpi: lead_conversion_rate
          training: Lead follow-up playbook
        - kpi: deal_registrations
          training: Deal registration workshop
        - kpi: certified_partner_rate
          training: Sales certification
          program: sales
        - kpi: nps
          training: Customer success fundamentals
          program: technical
        - kpi: support_csat
          training: Customer success fundamentals
          program: technical

      """,
      "hygiene.yaml": """
      # Thresholds of channelkpi check.
      hygiene:
        max_scorecard_kpis: 7
        recent_periods: 3
        min_data_coverage: 0.5
        off_track_periods: 3
        static_target_periods: 4
        static_actual_change: 0.2
        unattainable_margin: 0.1

      """,
      "tiers.yaml": """
      # The partner tier ladder: evaluated at each quarter's end on the trailing twelve months.
      # A partner below its level for two evaluations in a row moves down; one that qualifies
      # higher moves up at once. See docs/tiers-and-incentives.md.
      tiers:
        evaluate: quarter
        window: 4
        demotion_grace: 2
        starts: \(tierStart)
        levels:
          - id: registered
            benefits: {discount: 0.10, support: standard}
          - id: silver
            requires:
              - {kpi: revenue, min: 150000}
              - {kpi: win_rate, min: 0.25}
            benefits: {discount: 0.20, mdf_rate: 0.02, support: standard}
          - id: gold
            requires:
              - {kpi: revenue, min: 1000000}
              - {kpi: win_rate, min: 0.3}
              - {kpi: certified_partner_rate, min: 1}
            benefits: {discount: 0.30, mdf_rate: 0.03, support: priority}
          - id: platinum
            requires:
              - {kpi: revenue, min: 3000000}
              - {kpi: win_rate, min: 0.35}
              - {kpi: certified_partner_rate, min: 1}
              - {kpi: sales_cycle_days, max: 60}
            benefits: {discount: 0.35, mdf_rate: 0.04, support: dedicated}

      """,
      "incentives.yaml": """
      # Incentive plans: what partners earn on their KPIs. Amounts are in the reporting currency.
      incentives:
        - id: resale-rebate
          name: Resale rebate
          kind: rebate
          period: quarter
          basis: revenue
          mode: marginal
          brackets:
            - {from: 0, rate: 0.01}
            - {from: 100000, rate: 0.02}
            - {from: 500000, rate: 0.03}
          rate_by_tier: {gold: 0.005, platinum: 0.01}
          applies_to: {types: [reseller, distributor, system_integrator]}

        - id: growth-bonus
          name: Growth bonus
          kind: attainment_bonus
          period: quarter
          target_bonus: 5000
          kpis: {revenue: 0.7, deal_registrations: 0.3}
          threshold: 0.8
          at_threshold: 0.5
          accelerator: 2
          cap: 2
          applies_to: {types: [reseller, msp]}

        - id: security-spiff
          name: Security Edge launch spiff
          kind: spiff
          period: month
          deals: {product: [Security Edge], source: [sourced], min_amount: 10000}
          per_deal: 250
          cap: 1500

        - id: mdf
          name: Market development funds
          kind: mdf
          period: quarter
          accrual_rate: 0.02
          rate_by_tier: {gold: 0.03, platinum: 0.04}
          expires_after: 4
          applies_to: {tiers: [silver, gold, platinum]}

      """,
    ]
  }
}
