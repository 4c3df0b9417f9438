import ChannelKPI

// MARK: - The partner lifecycle: stages, onboarding cohorts, the ideal partner profile

extension OpenAPIDocument {
  static var lifecyclePaths: [(String, V)] {
    [
      ("/api/v1/lifecycle", ["get": listLifecycle]),
      ("/api/v1/lifecycle/cohorts", ["get": lifecycleCohorts]),
      ("/api/v1/lifecycle/profile", ["get": lifecycleProfile]),
      ("/api/v1/enablement", ["get": enablementReport]),
      ("/lifecycle", ["get": lifecyclePage]),
    ]
  }

  static var stageNames: [String] { PartnerStage.allCases.map(\.rawValue) }

  static func prospectParameters(withExamples: Bool = true) -> [V] {
    [
      query(
        "type", "A prospect's partner type, to score it.", string(),
        examples: withExamples ? [("prospect", "msp")] : []),
      query("region", "A prospect's region.", string()),
      query("country", "A prospect's country (two letters).", string()),
      query("tier", "A prospect's tier.", string()),
      query(
        "certified_90d", "Whether the prospect expects a certification within its first days.",
        enumeration(["yes", "no"]), examples: withExamples ? [("bad_certified", "maybe")] : []),
      query("first_deal", "The amount of the prospect's first deal, e.g. 25000.", string()),
    ]
  }

  static var listLifecycle: V {
    operation(
      "listLifecycle", tag: "Lifecycle", summary: "Partners' lifecycle stages",
      description: """
        Every partner's stage in the current period of the `lifecycle:` rules' grain (a quarter by \
        default) and why: `onboarding` until its first won deal (at most 90 days after joining), \
        `inactive` after two periods without any activity, `at_risk` when its composite score fell \
        two periods in a row or an alert fires for it, `developing` below its type's median score, \
        `performing` otherwise. With the stage of each of the last 8 periods, the period its current \
        stage began and the days spent in each stage. A manager sees their partners only.
        """,
      parameters: [
        query(
          "stage", "Only partners in this stage (the counts are of every stage).", enumeration(stageNames),
          examples: [("at_risk", "at_risk"), ("bad_stage", "dormant")]),
        query(
          "period",
          "The period judged (default: the current one; read as the period of the rules' grain holding its end; never later than the current one). Alerts count only for the current period.",
          ref("Period"), examples: [("bad_period", "2025-Q5")]),
      ],
      responses: [
        (
          "200",
          json(
            "The stages.", ref("Lifecycle"),
            [("at_risk", example("The partners at risk", json: OpenAPIExamples.lifecycle))])
        ),
        badRequest(
          "`stage` is not a stage, or `period` not a period.",
          [
            badPeriodExample(),
            (
              "bad_stage",
              example(
                "Not a stage",
                json: #"""
                  {"error":{"code":"bad_request","message":"'dormant' is not a stage: onboarding, developing, performing, at_risk, inactive",
                  "parameter":"stage"}}
                  """#)
            ),
          ]),
      ])
  }

  static var lifecycleCohorts: V {
    operation(
      "lifecycleCohorts", tag: "Lifecycle", summary: "Onboarding by joining quarter",
      description: """
        Partners grouped by the quarter they joined: how many won a first deal and after how many \
        days (median and mean over those that did), and the shares that registered or won a deal, \
        and that completed a certification, within the onboarding window (the rules' \
        `onboarding_days`, 90 by default), over the partners whose window has passed. A manager's \
        cohorts hold their partners only.
        """,
      responses: [("200", json("The cohorts, oldest first.", ref("Cohorts")))])
  }

  static var lifecycleProfile: V {
    operation(
      "lifecycleProfile", tag: "Lifecycle", summary: "The ideal partner profile",
      description: """
        Which attributes (type, region, country, tier, a certification within the onboarding window, \
        the size of the first won deal by quartile) are over-represented among the top quartile of \
        partners by a KPI in a period (direction-aware; the cut is numpy's default percentile): for \
        each value, the partners that have it, those of them at the top, and the lift (its share of \
        the top over its share of all). With a prospect's attributes, its score: the product of their \
        lifts (values held by fewer than 3 partners do not count) and the chance of reaching the top \
        quartile that gives.
        """,
      parameters: [
        query(
          "kpi", "The KPI partners are ranked by (default revenue).", ref("KPIId").with("examples", ["revenue"]),
          examples: [("unknown_kpi", "revenu")]),
        query(
          "period", "The period (default: the last quarter that has ended).", ref("Period"),
          examples: [("bad_period", "2025-Q5")]),
      ] + prospectParameters(),
      responses: [
        (
          "200",
          json(
            "The profile, and the prospect's score when attributes were given.", ref("ProfileAnswer"),
            [("prospect", example("An MSP scored against the revenue profile", json: OpenAPIExamples.profile))])
        ),
        badRequest(
          "`kpi` is not a KPI, `period` not a period, or a prospect's attribute has a value it cannot take.",
          [
            (
              "unknown_kpi",
              example(
                "A misspelt KPI",
                json: #"""
                  {"error":{"code":"bad_request","message":"unknown KPI 'revenu'; did you mean 'revenue'?","parameter":"kpi"}}
                  """#)
            ),
            badPeriodExample(),
            (
              "bad_certified",
              example(
                "Neither yes nor no",
                json: #"{"error":{"code":"bad_request","message":"certified_90d is yes or no, not 'maybe'"}}"#)
            ),
          ]),
        conflict("Fewer than 4 partners have a value of the KPI in the period.", []),
      ])
  }

  static var enablementReport: V {
    operation(
      "enablementReport", tag: "Lifecycle", summary: "What trainings changed",
      description: """
        For each training of the definitions' `enablement:` section that is a certifications.csv \
        `program`: over the partners whose first completion of it has a whole quarter after it, the \
        KPI it is mapped to in the quarter before the quarter of completion and in the quarter after, \
        the mean change, and the mean change over the same quarters of comparable partners (the same \
        type, in the program in both quarters, not certified in it by then), with the number of \
        partners behind each figure. `difference` is the change less the comparable change. \
        Trainings that are no program, or that nobody has completed long enough ago, have a `note` \
        instead. A manager's report is over their partners.
        """,
      responses: [("200", json("One entry per training and KPI, in the definitions' order.", ref("Enablement")))])
  }

  static var lifecyclePage: V {
    let html: V = ["text/html": ["schema": ["type": "string"]]]
    return operation(
      "dashboardLifecycle", tag: "Dashboard", summary: "Lifecycle",
      description: """
        Partners by stage and why, onboarding by joining quarter, the ideal partner profile by \
        revenue with a form that scores a prospect, and (for those who see every partner) the \
        network's KPIs grouped by the program's lifecycle stages, Strategize to Accelerate.
        """,
      parameters: [query("stage", "Only partners in this stage.", enumeration(stageNames))]
        + prospectParameters(withExamples: false),
      responses: [("200", ["description": "The page.", "content": html])])
  }

  static var lifecycleSchemas: [(String, V)] {
    let number: V = ["type": "number"]
    let counts: V = ["type": "object", "additionalProperties": ["type": "integer"]]
    return [
      (
        "Lifecycle",
        object(
          [
            ("period", ref("Period").with("description", "The period judged (left out without partners).")),
            ("counts", counts.with("description", "Partners in each stage.")),
            ("partners", array(ref("PartnerLifecycle"))),
          ], required: ["counts", "partners"])
      ),
      (
        "PartnerLifecycle",
        object(
          [
            ("partner", string()), ("name", string()), ("type", string()), ("manager", string()),
            ("stage", enumeration(stageNames)), ("reason", string("Why, in words.")),
            ("since", ref("Period").with("description", "The first period of the current run of the stage.")),
            ("history", array(ref("StagePoint"), description: "The stage in each period it was in the program.")),
            ("days", counts.with("description", "Days in the program spent in each stage.")),
          ], required: ["partner", "name", "type", "stage", "reason", "since", "history", "days"])
      ),
      (
        "StagePoint",
        object(
          [
            ("period", ref("Period")), ("stage", enumeration(stageNames)), ("reason", string()),
            ("score", number.with("description", "The composite score, 0–100 (left out without one).")),
            ("type_median", number.with("description", "The median score of the partner's type.")),
          ], required: ["period", "stage", "reason"])
      ),
      ("Cohorts", object([("cohorts", array(ref("OnboardingCohort")))])),
      ("Enablement", object([("trainings", array(ref("EnablementEffect")))])),
      (
        "EnablementEffect",
        object(
          [
            ("training", string()), ("program", string()), ("kpi", ref("KPIId")), ("kpi_name", string()),
            ("partners", integer), ("before", number), ("after", number), ("change", number),
            ("comparison_partners", integer), ("comparison_change", number), ("difference", number),
            ("note", string("Why there is no figure.")),
          ], required: ["training", "kpi", "kpi_name", "partners", "comparison_partners"])
      ),
      (
        "OnboardingCohort",
        object(
          [
            ("cohort", ref("Period")), ("partners", integer), ("with_first_win", integer),
            ("median_days_to_first_win", number), ("mean_days_to_first_win", number),
            ("window_days", integer), ("past_window", integer),
            ("activated_share", number.with("description", "Over `past_window`.")),
            ("certified_share", number.with("description", "Over `past_window`.")),
            ("activated", integer), ("certified", integer),
          ],
          required: [
            "cohort", "partners", "with_first_win", "window_days", "past_window", "activated", "certified",
          ])
      ),
      (
        "ProfileAnswer",
        object(
          [("profile", ref("IdealPartnerProfile")), ("prospect", ref("ProspectScore"))], required: ["profile"])
      ),
      (
        "IdealPartnerProfile",
        object([
          ("kpi", ref("KPIId")), ("period", ref("Period")), ("better", enumeration(["higher", "lower"])),
          ("partners", integer), ("top", integer), ("threshold", number),
          ("attributes", array(ref("ProfileAttribute"))),
          ("first_deal_cuts", array(integer, description: "Quartiles of first won deals, in cents.")),
        ])
      ),
      (
        "ProfileAttribute",
        object([
          ("attribute", enumeration(IdealPartnerProfile.attributeNames)), ("value", string()), ("partners", integer),
          ("top", integer), ("share", number), ("top_share", number), ("lift", number),
        ])
      ),
      (
        "ProspectScore",
        object([
          ("lift", number), ("chance", number),
          (
            "parts",
            array(
              object(
                [
                  ("attribute", string()), ("value", string()),
                  ("lift", number.with("description", "Left out when too few partners have the value.")),
                  ("partners", integer),
                ], required: ["attribute", "value", "partners"]))
          ),
        ])
      ),
    ]
  }
}

extension OpenAPIExamples {
  static let lifecycle = #"""
    {"counts":{"at_risk":1,"developing":9,"inactive":2,"onboarding":3,"performing":11},"partners":[
    {"days":{"at_risk":12,"performing":628},"history":[{"period":"2026-Q3","reason":"score 71 at or above the msp median 64",
    "score":71.2,"stage":"performing","type_median":64.0},{"period":"2026-Q4","reason":"an alert fires for it","score":58.5,
    "stage":"at_risk","type_median":63.1}],"manager":"Dana Reyes","name":"Northwind IT","partner":"P0007",
    "reason":"an alert fires for it","since":"2026-Q4","stage":"at_risk","type":"msp"}],"period":"2026-Q4"}
    """#

  static let profile = #"""
    {"profile":{"attributes":[{"attribute":"type","lift":1.6,"partners":10,"share":0.4,"top":4,"top_share":0.64,
    "value":"msp"}],"better":"higher","first_deal_cuts":[1250000,2600000,4100000],"kpi":"revenue","partners":25,
    "period":"2026-Q3","threshold":182000.0,"top":7},"prospect":{"chance":0.448,"lift":1.6,"parts":[{"attribute":"type",
    "lift":1.6,"partners":10,"value":"msp"}]}}
    """#
}
