import ChannelKPI

// MARK: - OpenAPIExamples

/// Requests and answers of `channelkpi serve --demo` (the default demo program), abridged where
/// they are long (fewer list items).
enum OpenAPIExamples {
  struct Facts {
    var count: Int
    var acceptedSummary: String
    var accepted: String
    var rejected: (summary: String, request: String, response: String)?
  }

  static let facts: [CanonicalTable: Facts] = [
    .partners: Facts(
      count: 1, acceptedSummary: "A new partner",
      accepted: #"""
        {"records":[{"partner_id":"P9001","name":"Northwind Cloud GmbH","type":"msp","region":"emea","country":"DE",
        "tier":"registered","joined_on":"2025-11-03","manager":"Lena Vogel"}]}
        """#,
      rejected: (
        "A missing region, a bad country and a departure before joining",
        #"""
        {"records":[{"partner_id":"P9002","name":"Fjord Systems AS","type":"reseller","country":"Norway",
        "joined_on":"2025-11-03","left_on":"2025-10-01"}]}
        """#,
        #"""
        {"errors":[{"path":"/records/0/region","message":"is required"},{"path":"/records/0/country",
        "message":"must be an ISO 3166-1 alpha-2 code: two letters such as DE (got 'Norway')"},
        {"path":"/records/0/left_on","message":"must be on or after joined_on (2025-11-03), got 2025-10-01"}]}
        """#
      )),
    .deals: Facts(
      count: 2, acceptedSummary: "A won deal and an open, registered one",
      accepted: #"""
        {"records":[
        {"deal_id":"D-9001","partner_id":"P0007","customer_id":"C0001140","source":"sourced","created_on":"2025-12-01",
        "stage":"won","closed_on":"2025-12-10","amount":12500.50,"product":"Backup & Recovery"},
        {"deal_id":"D-9002","partner_id":"P0007","source":"co_sell","created_on":"2025-12-05","registered_on":"2025-12-06",
        "registration_status":"pending","stage":"open","amount":"48000"}]}
        """#,
      rejected: (
        "A negative amount; an unknown partner, source and a won deal without closed_on",
        #"""
        {"records":[
        {"deal_id":"D-9003","partner_id":"P0007","source":"sourced","created_on":"2025-12-01","stage":"won",
        "closed_on":"2025-12-10","amount":-5},
        {"deal_id":"D-9004","partner_id":"P-77","source":"direct","created_on":"2025-12-01","stage":"won","amount":1000}]}
        """#,
        #"""
        {"errors":[{"path":"/records/0/amount","message":"must be ≥ 0.00"},{"path":"/records/1/partner_id",
        "message":"'P-77' names no partner (not stored and not in this request)"},{"path":"/records/1/source",
        "message":"must be one of sourced, influenced, co_sell (got 'direct')"},{"path":"/records/1/closed_on",
        "message":"is required when stage is won"}]}
        """#
      )),
    .leads: Facts(
      count: 1, acceptedSummary: "A converted lead of a campaign",
      accepted: #"""
        {"records":[{"lead_id":"L-9001","partner_id":"P0007","campaign_id":"CM000053","created_on":"2025-12-02",
        "converted_on":"2025-12-09","deal_id":"D-9001"}]}
        """#,
      rejected: (
        "An unknown campaign and a conversion before creation",
        #"""
        {"records":[{"lead_id":"L-9002","partner_id":"P0007","campaign_id":"CM-NONE","created_on":"2025-12-02",
        "converted_on":"2025-11-30"}]}
        """#,
        #"""
        {"errors":[{"path":"/records/0/campaign_id",
        "message":"'CM-NONE' names no campaign (not stored and not in this request)"},
        {"path":"/records/0/converted_on","message":"must be on or after created_on (2025-12-02), got 2025-11-30"}]}
        """#
      )),
    .campaigns: Facts(
      count: 1, acceptedSummary: "A webinar, half paid from MDF",
      accepted: #"""
        {"records":[{"campaign_id":"CM-9001","partner_id":"P0007","name":"2025-Q4 Backup & Recovery Webinar",
        "channel":"webinar","started_on":"2025-12-01","ended_on":"2025-12-01","cost":5000,"mdf_amount":"2500.00"}]}
        """#,
      rejected: (
        "MDF above the cost and an unknown member",
        #"""
        {"records":[{"campaign_id":"CM-9002","partner_id":"P0007","name":"Trade show","started_on":"2025-12-01",
        "cost":1000,"mdf_amount":1500,"budget":2000}]}
        """#,
        #"""
        {"errors":[{"path":"/records/0/budget",
        "message":"is not a field of campaigns; its fields are campaign_id, partner_id, name, channel, started_on, ended_on, cost, mdf_amount"},
        {"path":"/records/0/mdf_amount","message":"must not exceed cost (1000.00)"}]}
        """#
      )),
    .webTraffic: Facts(
      count: 2, acceptedSummary: "Visits of a day, attributed to a campaign and not",
      accepted: #"""
        {"records":[{"partner_id":"P0007","date":"2025-12-01","campaign_id":"CM000053","visits":120},
        {"partner_id":"P0007","date":"2025-12-01","visits":"35"}]}
        """#,
      rejected: (
        "Negative and fractional visits",
        #"""
        {"records":[{"partner_id":"P0007","date":"2025-12-02","visits":-3},
        {"partner_id":"P0007","date":"2025-12-03","visits":2.5}]}
        """#,
        #"""
        {"errors":[{"path":"/records/0/visits","message":"must be ≥ 0"},{"path":"/records/1/visits",
        "message":"must be a whole number (got '2.5')"}]}
        """#
      )),
    .customers: Facts(
      count: 1, acceptedSummary: "A new customer",
      accepted: #"""
        {"records":[{"customer_id":"C-9001","partner_id":"P0007","acquired_on":"2025-12-10","segment":"smb"}]}
        """#,
      rejected: (
        "A churn before the acquisition and a segment that is not a slug",
        #"""
        {"records":[{"customer_id":"C-9002","partner_id":"P0007","acquired_on":"2025-12-10","churned_on":"2025-12-01",
        "segment":"Mid Market"}]}
        """#,
        #"""
        {"errors":[{"path":"/records/0/segment",
        "message":"must be a slug: lowercase letters, digits, '_' or '-' (got 'Mid Market')"},
        {"path":"/records/0/churned_on","message":"must be on or after acquired_on (2025-12-10), got 2025-12-01"}]}
        """#
      )),
    .surveys: Facts(
      count: 1, acceptedSummary: "A promoter",
      accepted: #"""
        {"records":[{"response_id":"R-9001","partner_id":"P0007","customer_id":"C0001140","responded_on":"2025-12-15",
        "score":9}]}
        """#,
      rejected: (
        "A score out of range",
        #"""
        {"records":[{"response_id":"R-9002","partner_id":"P0007","responded_on":"2025-12-15","score":11}]}
        """#,
        #"""
        {"errors":[{"path":"/records/0/score","message":"must be between 0 and 10, got 11"}]}
        """#
      )),
    .supportTickets: Facts(
      count: 1, acceptedSummary: "A ticket resolved the same day",
      accepted: #"""
        {"records":[{"ticket_id":"T-9001","partner_id":"P0007","customer_id":"C0001140",
        "opened_at":"2025-12-03T09:30:00Z","resolved_at":"2025-12-03T15:00:00+01:00","satisfaction":5}]}
        """#,
      rejected: (
        "A time without an offset and a satisfaction out of range",
        #"""
        {"records":[{"ticket_id":"T-9002","partner_id":"P0007","opened_at":"2025-12-03T09:30:00","satisfaction":0}]}
        """#,
        #"""
        {"errors":[{"path":"/records/0/opened_at",
        "message":"must be an ISO 8601 date-time with an offset or Z, e.g. 2025-03-04T09:30:00Z (got '2025-12-03T09:30:00')"},
        {"path":"/records/0/satisfaction","message":"must be between 1 and 5, got 0"}]}
        """#
      )),
    .certifications: Facts(
      count: 1, acceptedSummary: "A completed certification",
      accepted: #"""
        {"records":[{"certification_id":"CE-9001","partner_id":"P0007","person_id":"E000037","program":"presales",
        "enrolled_on":"2025-11-20","completed_on":"2025-12-05"}]}
        """#,
      rejected: (
        "No person and a date that does not exist",
        #"""
        {"records":[{"certification_id":"CE-9002","partner_id":"P0007","program":"sales","enrolled_on":"2025-02-30"}]}
        """#,
        #"""
        {"errors":[{"path":"/records/0/person_id","message":"is required"},{"path":"/records/0/enrolled_on",
        "message":"must be a calendar date YYYY-MM-DD (got '2025-02-30')"}]}
        """#
      )),
    .market: Facts(
      count: 1, acceptedSummary: "A region's market revenue in a month",
      accepted: #"""
        {"records":[{"region":"apac","month":"2025-12","market_revenue":"12400000000.50"}]}
        """#,
      rejected: (
        "A month that is a day and no revenue",
        #"""
        {"records":[{"region":"apac","month":"2025-12-01","market_revenue":0}]}
        """#,
        #"""
        {"errors":[{"path":"/records/0/month","message":"must be a month YYYY-MM (got '2025-12-01')"},
        {"path":"/records/0/market_revenue","message":"must be > 0"}]}
        """#
      )),
  ]

  static let kpis = #"""
    {"kpis":[{"id":"revenue","name":"Partner revenue","family":"partner_performance","unit":"money",
    "better":"higher","stages":["sell"],"description":"Amount of the deals won in the period.",
    "formula":"sum(deals.amount where stage = 'won' and closed_on in period)","min":0,"max":null},
    {"id":"sourced_revenue",
    "name":"Partner-sourced revenue","family":"partner_performance","unit":"money","better":"higher",
    "stages":["sell"],"description":"Amount of the won deals the partner found itself.",
    "formula":"sum(deals.amount where stage = 'won' and closed_on in period and source = 'sourced')","min":0,
    "max":null}]}
    """#

  static let networkByQuarter = #"""
    {"values":[{"kpi":"revenue","scope":"network","period":"2025-Q3","value":37523077.07},{"kpi":"revenue",
    "scope":"network","period":"2025-Q4","value":37252808.1},{"kpi":"win_rate","scope":"network",
    "period":"2025-Q3","value":0.35873015873015873},{"kpi":"win_rate","scope":"network","period":"2025-Q4",
    "value":0.36536536536536535}]}
    """#

  static let trailingYear = #"""
    {"values":[{"kpi":"revenue","scope":"network","period":"2024-04:2025-03","value":121156304.52},
    {"kpi":"win_rate","scope":"network","period":"2024-04:2025-03","value":0.36201177100053505}]}
    """#

  static let byType = #"""
    {"values":[{"kpi":"revenue","scope":"type:distributor","period":"2025","value":17405662.18},
    {"kpi":"revenue","scope":"type:msp","period":"2025","value":3950881.06},{"kpi":"revenue",
    "scope":"type:referral","period":"2025","value":5464691.14},{"kpi":"revenue","scope":"type:reseller",
    "period":"2025","value":35288933.6},{"kpi":"revenue","scope":"type:system_integrator","period":"2025",
    "value":87863400.46}]}
    """#

  static let topResellers = #"""
    {"total":45,"limit":3,"offset":0,"period":"2025-Q4","partners":[{"id":"P0072",
    "name":"Söder Technologies SAS","type":"reseller","region":"emea","country":"FR","tier":"silver",
    "joined_on":"2025-03-24","left_on":null,"manager":"Amélie Laurent","kpis":{"revenue":1212685.53,
    "win_rate":0.4748201438848921}},{"id":"P0110","name":"Prairie IT Inc","type":"reseller","region":"na",
    "country":"US","tier":"gold","joined_on":"2023-09-08","left_on":null,"manager":"Daniel Kim",
    "kpis":{"revenue":963904.89,"win_rate":0.41346153846153844}},{"id":"P0067","name":"Maple IT Inc",
    "type":"reseller","region":"na","country":"US","tier":"platinum","joined_on":"2023-11-11","left_on":null,
    "manager":null,"kpis":{"revenue":886319.1,"win_rate":0.4224137931034483}}]}
    """#

  static let search = #"""
    {"total":6,"limit":50,"offset":0,"period":null,"partners":[{"id":"P0007","name":"Beacon Secure Pty Ltd",
    "type":"msp","region":"apac","country":"AU","tier":"silver","joined_on":"2023-07-05","left_on":null,
    "manager":"Arjun Mehta"},{"id":"P0025","name":"Rhein Secure Srl","type":"msp","region":"emea",
    "country":"IT","tier":"silver","joined_on":"2023-11-30","left_on":null,"manager":"Fatima Haddad"},
    {"id":"P0047","name":"Nordlicht Secure SL","type":"msp","region":"emea","country":"ES","tier":"registered",
    "joined_on":"2024-02-06","left_on":null,"manager":"Oliver Grant"}]}
    """#

  static let partner = #"""
    {"id":"P0007","name":"Beacon Secure Pty Ltd","type":"msp","region":"apac","country":"AU","tier":"silver",
    "joined_on":"2023-07-05","left_on":null,"manager":"Arjun Mehta"}
    """#

  static let partnerScorecard = #"""
    {"scope":"partner:P0007","partner":"Beacon Secure Pty Ltd","period":"2025-Q4","scorecard":"msp","version":1,
    "effective":"2024-01-01","composite":84.5786390559231,"rank":13,"peers":18,"percentile":29.41176470588235,
    "kpis":[{"kpi":"customer_retention_rate","name":"Customer retention rate","unit":"rate","better":"higher",
    "weight":3,"actual":1,"pace":null,"target":1.005,"baseline":1,
    "baseline_method":"mean of the previous 4 periods","target_rule":"type:msp: baseline + 0.005",
    "attainment":0.9950248756218907,"status":"at_risk","version":1},{"kpi":"revenue","name":"Partner revenue",
    "unit":"money","better":"higher","weight":2,"actual":51836,"pace":null,"target":77216.188875,
    "baseline":73539.22750000001,"baseline_method":"mean of the previous 4 periods",
    "target_rule":"network: baseline × (1 + 0.05)","attainment":0.6713100031900532,"status":"off_track",
    "version":1},{"kpi":"support_csat","name":"Support satisfaction","unit":"score","better":"higher",
    "weight":2,"actual":4,"pace":null,"target":3.841666666666667,"baseline":3.791666666666667,
    "baseline_method":"mean of the previous 4 periods","target_rule":"network: baseline + 0.05",
    "attainment":1.0412147505422993,"status":"on_track","version":1},{"kpi":"win_rate",
    "name":"Deal closure rate","unit":"rate","better":"higher","weight":1,"actual":0.2631578947368421,
    "pace":null,"target":0.6,"baseline":0.340221396250808,"baseline_method":"mean of the previous 4 periods",
    "target_rule":"type:msp: value 0.6","attainment":0.4385964912280702,"status":"off_track","version":1}]}
    """#

  static let networkScorecard = #"""
    {"scope":"network","partner":null,"period":"2025-Q4","scorecard":"network","version":1,
    "effective":"2024-01-01","composite":94.68866793522572,"rank":null,"peers":null,"percentile":null,
    "kpis":[{"kpi":"revenue","name":"Partner revenue","unit":"money","better":"higher","weight":3,
    "actual":37252808.1,"pace":null,"target":38110365.55725001,"baseline":36295586.245000005,
    "baseline_method":"mean of the previous 4 periods","target_rule":"network: baseline × (1 + 0.05)",
    "attainment":0.9774980521779102,"status":"at_risk","version":1},{"kpi":"win_rate",
    "name":"Deal closure rate","unit":"rate","better":"higher","weight":2,"actual":0.36536536536536535,
    "pace":null,"target":0.37496807489502526,"baseline":0.36496807489502525,
    "baseline_method":"mean of the previous 4 periods","target_rule":"network: baseline + 0.01",
    "attainment":0.9743905943663383,"status":"at_risk","version":1},{"kpi":"active_partner_rate",
    "name":"Partner activation rate","unit":"rate","better":"higher","weight":2,"actual":0.7909090909090909,
    "pace":null,"target":0.8117481009972788,"baseline":0.8017481009972788,
    "baseline_method":"mean of the previous 4 periods","target_rule":"network: baseline + 0.01",
    "attainment":0.9743282305648933,"status":"at_risk","version":1},{"kpi":"nps","name":"Net Promoter Score",
    "unit":"score","better":"higher","weight":1,"actual":26.75736961451247,"pace":null,"target":30,
    "baseline":22.54901960784314,"baseline_method":"same period last year","target_rule":"network: value 30",
    "attainment":0.891912320483749,"status":"off_track","version":1},{"kpi":"customer_retention_rate",
    "name":"Customer retention rate","unit":"rate","better":"higher","weight":1,"actual":0.9526986052152819,
    "pace":null,"target":0.9552184702892755,"baseline":0.9502184702892755,
    "baseline_method":"mean of the previous 4 periods","target_rule":"network: baseline + 0.005",
    "attainment":0.9973620013092602,"status":"at_risk","version":1},{"kpi":"marketing_roi",
    "name":"Marketing ROI","unit":"rate","better":"higher","weight":1,"actual":3.4196240090215,"pace":null,
    "target":4.56156254043396,"baseline":4.344345276603772,"baseline_method":"mean of the previous 4 periods",
    "target_rule":"network: baseline × (1 + 0.05)","attainment":0.7496606653333701,"status":"off_track",
    "version":1}]}
    """#

  static let typeScorecards = #"""
    {"scorecards":[{"scope":"partner:P0010","partner":"Copper Technologies LLC","period":"2025-Q4",
    "scorecard":"reseller","version":1,"effective":"2024-01-01","composite":100,"rank":1,"peers":39,
    "percentile":97.36842105263158,"kpis":[{"kpi":"revenue","name":"Partner revenue","unit":"money",
    "better":"higher","weight":3,"actual":0,"pace":null,"target":0,"baseline":0,
    "baseline_method":"mean of the previous 4 periods","target_rule":"type:reseller: baseline × (1 − 0.2)",
    "attainment":1,"status":"on_track","version":1},{"kpi":"win_rate","name":"Deal closure rate","unit":"rate",
    "better":"higher","weight":2,"actual":null,"pace":null,"target":null,"baseline":null,
    "baseline_method":"mean of the previous 4 periods","target_rule":"network: baseline + 0.01",
    "attainment":null,"status":"no_data","version":1}]},{"scope":"partner:P0120",
    "partner":"Liberty Systems LLC","period":"2025-Q4","scorecard":"reseller","version":1,
    "effective":"2024-01-01","composite":100,"rank":1,"peers":39,"percentile":97.36842105263158,
    "kpis":[{"kpi":"revenue","name":"Partner revenue","unit":"money","better":"higher","weight":3,"actual":9150,
    "pace":null,"target":0,"baseline":0,"baseline_method":"mean of the previous 4 periods",
    "target_rule":"type:reseller: baseline × (1 − 0.2)","attainment":1,"status":"on_track","version":1},
    {"kpi":"win_rate","name":"Deal closure rate","unit":"rate","better":"higher","weight":2,
    "actual":0.3333333333333333,"pace":null,"target":null,"baseline":null,
    "baseline_method":"mean of the previous 4 periods","target_rule":"network: baseline + 0.01",
    "attainment":null,"status":"no_data","version":1}]}]}
    """#

  static let objectives = #"""
    {"period":"2025-Q4","version":1,"objectives":[{"id":"grow_revenue","name":"Grow channel revenue",
    "description":"More won business through partners, with a healthy pipeline.","owner":"VP Channel Sales",
    "from":"2024-Q1","to":null,"active":true,"kpis":["revenue","sourced_revenue","win_rate","avg_deal_size",
    "sales_cycle_days","open_pipeline","pipeline_velocity","deal_registrations","registration_approval_rate",
    "new_customers","market_share"]},{"id":"partner_marketing","name":"Make partner marketing pay",
    "description":"Campaigns that bring leads that convert, at a cost that pays back.",
    "owner":"Head of Partner Marketing","from":"2024-Q1","to":null,"active":true,"kpis":["leads_generated",
    "lead_conversion_rate","visit_to_lead_rate","cost_per_acquisition","marketing_roi"]}]}
    """#

  static let targets = #"""
    {"period":"2025-Q4","version":1,"targets":[{"kpi":"revenue","scope":"network",
    "rule":"baseline × (1 + 0.05)","grain":"quarter","from":null,"to":null,"baseline":36295586.245000005,
    "target":38110365.55725001,"actual":37252808.1,"attainment":0.9774980521779102,"status":"at_risk"},
    {"kpi":"revenue","scope":"tier:platinum","rule":"baseline × (1 + 0.08)","grain":"quarter","from":null,
    "to":null,"baseline":11086978.1725,"target":11973936.4263,"actual":8536482.77,
    "attainment":0.7129220054359191,"status":"off_track"}]}
    """#

  static let versions = #"""
    {"versions":[{"version":1,"effective":"2024-01-01","applied_at":"2026-11-23T12:18:59Z",
    "note":"demo program","objectives":4,"targets":19,"scorecards":6}]}
    """#

  static let reviews = #"""
    {"reviews":[{"id":1,"date":"2026-01-12","reviewer":"Arjun Mehta","partner":"P0007","kpi":"win_rate",
    "period":"2025-Q4","finding":"Win rate fell to 26%: three large deals lost on price.",
    "action":"Joint pricing review with the partner in January.","shared":true,"acknowledged_by":"Lee Chen",
    "acknowledged_at":"2026-01-13T09:02:11Z","replies":[{"id":1,"author":"Lee Chen","at":"2026-01-13T09:05:40Z",
    "text":"Agreed; we will bring our pricing sheet."}]}]}
    """#

  static let check = #"""
    {"period":"2025-Q4","findings":[{"rule":"too_many_kpis","subject":"scorecard system_integrator",
    "message":"has 8 KPIs; more than 7 dilutes attention","evidence":["revenue (weight 3)",
    "avg_deal_size (weight 2)","win_rate (weight 2)","sales_cycle_days (weight 1)","open_pipeline (weight 1)",
    "co_sell_cycle_days (weight 1)","nps (weight 1)","certified_partner_rate (weight 1)"]},
    {"rule":"kpi_without_objective","subject":"scorecard referral: web_visits",
    "message":"Website traffic is on the scorecard but no objective active in 2025-Q2…2025-Q4 is measured by it",
    "evidence":["objective grow_revenue measures revenue, sourced_revenue, win_rate, avg_deal_size, sales_cycle_days, open_pipeline, pipeline_velocity, deal_registrations, registration_approval_rate, new_customers, market_share",
    "objective partner_marketing measures leads_generated, lead_conversion_rate, visit_to_lead_rate, cost_per_acquisition, marketing_roi",
    "objective customer_experience measures nps, customer_retention_rate, support_csat, avg_resolution_hours, customer_lifetime_value",
    "objective enable_partners measures certified_partner_rate, time_to_first_deal_days, active_partner_rate, registrations_per_partner, co_sell_cycle_days"]}]}
    """#

  static let imports = #"""
    {"imports":[{"id":1,"finished_at":"2026-11-23T12:18:59Z",
    "files":["/tmp/channelkpi-demo-C4050CEB/partners.csv","/tmp/channelkpi-demo-C4050CEB/campaigns.csv",
    "/tmp/channelkpi-demo-C4050CEB/deals.csv","/tmp/channelkpi-demo-C4050CEB/leads.csv",
    "/tmp/channelkpi-demo-C4050CEB/web_traffic.csv","/tmp/channelkpi-demo-C4050CEB/customers.csv",
    "/tmp/channelkpi-demo-C4050CEB/surveys.csv","/tmp/channelkpi-demo-C4050CEB/support_tickets.csv",
    "/tmp/channelkpi-demo-C4050CEB/certifications.csv","/tmp/channelkpi-demo-C4050CEB/market.csv"],
    "rows_read":106880,"rows_stored":106880,"rows_rejected":0}]}
    """#

  static let csv = """
    kpi,scope,period,value
    revenue,partner:P0007,2025-Q3,61667.51
    revenue,partner:P0007,2025-Q4,51836
    revenue,partner:P0012,2025-Q3,11030
    revenue,partner:P0012,2025-Q4,48530

    """

  static let programRequest = #"""
    {"files":{"program.yaml":"objectives:\n  - id: grow_revenue\n    name: Grow channel revenue\n    kpis: [revenue, win_rate]\ntargets:\n  - kpi: revenue\n    scope: network\n    grain: quarter\n    growth: 0.08\n  - kpi: win_rate\n    scope: network\n    grain: quarter\n    value: 0.4\nscorecards:\n  - id: network\n    name: Program scorecard\n    network: true\n    kpis:\n      - {kpi: revenue, weight: 2}\n      - win_rate\nalerts:\n  - id: partner_win_rate_drop\n    kpi: win_rate\n    scope: each partner\n    grain: quarter\n    when: {drop: 0.25}\n"},
    "effective":"2026-01-01","note":"2026 plan"}
    """#
}
