import ChannelKPI

// MARK: - Incentives: schemas

extension OpenAPIDocument {
  static var incentiveSchemas: [(String, V)] {
    [
      (
        "Money",
        [
          "type": "number",
          "description":
            "An exact amount of the reporting currency: a JSON number with at most 2 decimals (trailing zeros are not written).",
        ]
      ),
      (
        "ExactDecimal",
        ["type": "number", "description": "An exact value written as a decimal with at most 6 places."]
      ),
      (
        "LevelId",
        ["type": "string", "description": "The id of a level of the ladder.", "examples": ["silver"]]
      ),
      (
        "TierLadder",
        object(
          [
            ("evaluate", enumeration(Grain.allCases.map(\.rawValue), "The grain of the evaluation periods.")),
            (
              "window",
              integer.with(
                "description", "Requirements are measured over this many periods, the evaluated one included.")
            ),
            (
              "demotion_grace",
              integer.with("description", "Evaluations in a row below the held level before moving down.")
            ),
            ("starts", ref("Date").with("description", "The first evaluation is of the period holding this day.")),
            (
              "levels",
              array(
                object(
                  [
                    ("id", ref("LevelId")), ("name", string()),
                    (
                      "requires",
                      array(
                        object(
                          [
                            ("kpi", ref("KPIId")),
                            ("min", ["type": "number", "description": "Met by a value ≥ this."]),
                            ("max", ["type": "number", "description": "Met by a value ≤ this."]),
                          ], required: ["kpi"]),
                        description: "All must be met; the lowest level has none.")
                    ),
                    (
                      "benefits",
                      [
                        "type": "object", "additionalProperties": ["type": "string"],
                        "description": "Free-form, shown to partners.",
                      ]
                    ),
                  ]), description: "Lowest level first.")
            ),
          ], required: ["evaluate", "window", "demotion_grace", "levels"],
          description: "The ladder of the latest definitions.")
      ),
      (
        "TierRequirement",
        object(
          [
            ("level", ref("LevelId")), ("kpi", ref("KPIId")), ("bound", enumeration(["min", "max"])),
            ("threshold", ["type": "number"]),
            ("value", ["type": "number", "description": "The KPI over the window; left out when it has no value."]),
            (
              "shortfall",
              [
                "type": "number",
                "description":
                  "How much more (for `max`, how much less) is needed; 0 when met, left out without a value.",
              ]
            ),
            ("met", ["type": "boolean"]),
          ], required: ["level", "kpi", "bound", "threshold", "met"],
          description: "A requirement of a level, with the partner's standing.")
      ),
      (
        "TierEvaluation",
        object(
          [
            ("partner", ref("Id")), ("period", ref("Period")),
            ("window", ref("Window").with("description", "The months the requirements were measured over.")),
            ("held", ref("LevelId").with("description", "The level held before the evaluation.")),
            ("qualified", ref("LevelId").with("description", "The highest level whose requirements were all met.")),
            ("level", ref("LevelId").with("description", "The level held from the day after the period.")),
            ("change", enumeration(TierChange.allCases.map(\.rawValue))),
            ("misses", integer.with("description", "Evaluations in a row below the held level, this one included.")),
            (
              "failing",
              array(
                ref("TierRequirement"), description: "The requirements not met of every level above the qualified one.")
            ),
            ("override", string("The manager's override that set the level: `LEVEL by WHO: REASON`.")),
            ("version", integer.with("description", "The definitions version whose ladder was used.")),
          ], required: ["partner", "period", "window", "held", "qualified", "level", "change", "misses", "failing"],
          description: "One evaluation of one partner at the end of one period.")
      ),
      (
        "Tiers",
        object(
          [
            ("period", ref("Period").with("description", "The evaluated period.")),
            ("ladder", ref("TierLadder")),
            (
              "distribution",
              array(
                object([("level", ref("LevelId")), ("partners", integer)]),
                description: "Partners holding each level after the evaluation, highest level first.")
            ),
            ("moved", array(ref("TierEvaluation"), description: "Promoted and demoted partners.")),
            ("at_risk", array(ref("TierEvaluation"), description: "Partners below their level that keep it for now.")),
          ], required: ["ladder", "distribution", "moved", "at_risk"])
      ),
      ("TierHistory", object([("evaluations", array(ref("TierEvaluation")))])),
      (
        "PartnerTier",
        object(
          [
            ("partner", ref("Id")),
            ("level", ref("LevelId").with("description", "The level held today.")),
            ("benefits", ["type": "object", "additionalProperties": ["type": "string"]]),
            ("history", array(ref("TierEvaluation"), description: "Every evaluation, oldest first.")),
            (
              "gap",
              object(
                [("next", ref("LevelId")), ("requirements", array(ref("TierRequirement")))],
                description: "The requirements of the next level, with the values of the latest evaluated window.")
            ),
          ], required: ["partner", "benefits", "history"])
      ),
      (
        "StatementLine",
        object(
          [
            ("plan", string("The plan's id; empty for a total carried between statements.")),
            ("kind", enumeration(IncentiveKind.allCases.map(\.rawValue))),
            (
              "line",
              string(
                "What it pays for: `bracket 0.00-100000.00`, a KPI, a deal id, `cap`, `adjustment 2025-Q3`, `carried forward`, `carried from 2025-Q3`."
              )
            ),
            (
              "basis",
              ref("ExactDecimal").with("description", "The amount, attainment or deal amount it is computed on.")
            ),
            ("rate", ref("ExactDecimal").with("description", "The rate or curve value applied.")),
            ("amount", ref("Money")),
            ("corrects", ref("Period").with("description", "For an adjustment, the period it corrects.")),
            ("version", integer.with("description", "The definitions version that produced it.")),
          ], required: ["plan", "line", "amount"])
      ),
      (
        "Approval",
        object(
          [
            ("id", integer), ("partner", ref("Id")), ("period", ref("Period")),
            ("total", ref("Money")), ("approved_by", string()), ("approved_at", string("ISO 8601.")),
            ("revoked_by", string()), ("revoked_at", string("ISO 8601.")), ("revoke_reason", string()),
          ], required: ["id", "partner", "period", "total", "approved_by", "approved_at"],
          description: "An approval of a statement; the `revoked_…` members only once an admin revoked it.")
      ),
      (
        "Statement",
        object(
          [
            ("partner", ref("Id")), ("period", ref("Period")),
            ("estimate", ["type": "boolean", "description": "The period has not ended: it cannot be approved."]),
            ("approval", ref("Approval")),
            ("total", ref("Money")),
            ("lines", array(ref("StatementLine"))),
          ], required: ["partner", "period", "estimate", "total", "lines"])
      ),
      (
        "Statements",
        object([
          ("statements", array(ref("Statement"))),
          ("totals_by_plan", array(object([("plan", string()), ("amount", ref("Money"))]))),
        ])
      ),
      ("Approvals", object([("approvals", array(ref("Approval")))])),
      (
        "ApprovalRequest",
        [
          "type": "object", "required": ["period"],
          "properties": [
            "period": ref("Period").with("description", "An ended period of the statements' grain."),
            "partner": ["type": ["string", "null"], "minLength": 1, "description": "Only this partner's statement."],
            "by": [
              "type": ["string", "null"], "description": "Ignored: an approval is recorded in the caller's name.",
            ],
          ],
        ]
      ),
      (
        "RevokeRequest",
        [
          "type": "object", "required": ["reason"],
          "properties": [
            "by": [
              "type": ["string", "null"], "description": "Ignored: a revocation is recorded in the caller's name.",
            ],
            "reason": nonBlank,
          ],
        ]
      ),
      (
        "MDFFund",
        object(
          [
            ("plan", string()), ("partner", ref("Id")), ("period", ref("Period")),
            ("opening", ref("Money")), ("accrued", ref("Money")), ("claimed", ref("Money")),
            ("unfunded", ref("Money")), ("expired", ref("Money")), ("closing", ref("Money")),
            ("rate", ref("ExactDecimal")), ("basis", ref("Money")), ("campaign_revenue", ref("Money")),
            ("mdf_return", ref("ExactDecimal")),
          ],
          required: [
            "plan", "partner", "period", "opening", "accrued", "claimed", "unfunded", "expired", "closing",
            "campaign_revenue",
          ])
      ),
      ("MDFFunds", object([("funds", array(ref("MDFFund")))])),
      (
        "WhatIfRequest",
        [
          "type": "object", "required": ["files"],
          "properties": [
            "files": [
              "type": "object", "minProperties": 1, "additionalProperties": ["type": "string"],
              "description": "Draft definitions files, name → YAML text.",
            ],
            "from": nullable(ref: "Period", "The first period; default: the start of the data."),
            "to": nullable(ref: "Period", "The last period; default: the end of the data."),
          ],
        ]
      ),
      (
        "WhatIf",
        object([
          (
            "levels",
            array(
              object([
                ("period", ref("Period")), ("level", ref("LevelId")), ("current", integer), ("draft", integer),
              ]), description: "Partners holding each level after each evaluation, by period, highest level first.")
          ),
          (
            "moves",
            array(
              object(
                [
                  ("partner", ref("Id")), ("period", ref("Period")),
                  ("current", ref("LevelId").with("description", "Left out outside the ladder.")),
                  ("draft", ref("LevelId").with("description", "Left out outside the draft's ladder.")),
                  ("why", string()),
                ], required: ["partner", "period", "why"]),
              description: "Partners whose level differs.")
          ),
          (
            "payouts",
            array(
              object(
                [
                  ("period", ref("Period")), ("plan", string()), ("current", ref("Money")), ("draft", ref("Money")),
                  ("difference", ref("Money")),
                  ("approved", ref("Money").with("description", "The approved amount, when there is one.")),
                ], required: ["period", "plan", "current", "draft", "difference"]),
              description: "Each plan's total payout by period.")
          ),
        ])
      ),
    ]
  }
}

// MARK: - Incentives: examples

extension OpenAPIExamples {
  static let tiers = #"""
    {"at_risk":[{"change":"at_risk","failing":[{"bound":"min","kpi":"win_rate","level":"silver","met":false,
    "shortfall":0.005102040816326536,"threshold":0.25,"value":0.24489795918367346},{"bound":"min","kpi":"revenue",
    "level":"gold","met":false,"shortfall":626169.11,"threshold":1000000,"value":373830.89}],"held":"silver",
    "level":"silver","misses":1,"partner":"P0003","period":"2025-Q4","qualified":"registered","version":1,
    "window":"2025-01:2025-12"}],"distribution":[{"level":"platinum","partners":2},{"level":"gold","partners":19},
    {"level":"silver","partners":43},{"level":"registered","partners":46}],"ladder":{"demotion_grace":2,
    "evaluate":"quarter","levels":[{"benefits":{"discount":"0.10","support":"standard"},"id":"registered",
    "name":"registered","requires":[]},{"benefits":{"discount":"0.20","mdf_rate":"0.02","support":"standard"},
    "id":"silver","name":"silver","requires":[{"kpi":"revenue","min":150000},{"kpi":"win_rate","min":0.25}]},
    {"benefits":{"discount":"0.30","mdf_rate":"0.03","support":"priority"},"id":"gold","name":"gold",
    "requires":[{"kpi":"revenue","min":1000000},{"kpi":"win_rate","min":0.3},{"kpi":"certified_partner_rate","min":1}]},
    {"benefits":{"discount":"0.35","mdf_rate":"0.04","support":"dedicated"},"id":"platinum","name":"platinum",
    "requires":[{"kpi":"revenue","min":3000000},{"kpi":"win_rate","min":0.35},{"kpi":"certified_partner_rate","min":1},
    {"kpi":"sales_cycle_days","max":60}]}],"starts":"2024-10-01","window":4},"moved":[{"change":"promoted",
    "failing":[{"bound":"min","kpi":"win_rate","level":"gold","met":false,"shortfall":0.029681978798586584,
    "threshold":0.3,"value":0.2703180212014134}],"held":"registered","level":"silver","misses":0,"partner":"P0002",
    "period":"2025-Q4","qualified":"silver","version":1,"window":"2025-01:2025-12"}],"period":"2025-Q4"}
    """#

  static let tierHistory = #"""
    {"evaluations":[{"change":"held","failing":[{"bound":"min","kpi":"revenue","level":"gold","met":false,
    "shortfall":705843.0900000001,"threshold":1000000,"value":294156.91}],"held":"silver","level":"silver","misses":0,
    "partner":"P0007","period":"2025-Q3","qualified":"silver","version":1,"window":"2024-10:2025-09"},
    {"change":"held","failing":[{"bound":"min","kpi":"revenue","level":"gold","met":false,"shortfall":720087.0900000001,
    "threshold":1000000,"value":279912.91}],"held":"silver","level":"silver","misses":0,"partner":"P0007",
    "period":"2025-Q4","qualified":"silver","version":1,"window":"2025-01:2025-12"}]}
    """#

  static let tierHistoryCSV = """
    partner,period,held,qualified,level,change,misses
    P0007,2025-Q3,silver,silver,silver,held,0
    P0007,2025-Q4,silver,silver,silver,held,0

    """

  static let partnerTier = #"""
    {"benefits":{"discount":"0.20","mdf_rate":"0.02","support":"standard"},"gap":{"next":"gold",
    "requirements":[{"bound":"min","kpi":"revenue","level":"gold","met":false,"shortfall":720087.0900000001,
    "threshold":1000000,"value":279912.91},{"bound":"min","kpi":"win_rate","level":"gold","met":true,"shortfall":0,
    "threshold":0.3,"value":0.3125},{"bound":"min","kpi":"certified_partner_rate","level":"gold","met":true,
    "shortfall":0,"threshold":1,"value":1}]},"history":[{"change":"held","failing":[{"bound":"min","kpi":"revenue",
    "level":"gold","met":false,"shortfall":720087.0900000001,"threshold":1000000,"value":279912.91}],"held":"silver",
    "level":"silver","misses":0,"partner":"P0007","period":"2025-Q4","qualified":"silver","version":1,
    "window":"2025-01:2025-12"}],"level":"silver","partner":"P0007"}
    """#

  static let statements = #"""
    {"statements":[{"estimate":false,"lines":[{"amount":2396.1,"basis":1.298701,"kind":"attainment_bonus",
    "line":"deal_registrations","plan":"growth-bonus","rate":1.597403,"version":1}],"partner":"P0007",
    "period":"2025-Q4","total":2396.1},{"estimate":false,"lines":[{"amount":250,"basis":22100,"kind":"spiff","line":"D00001964",
    "plan":"security-spiff","version":1}],"partner":"P0007","period":"2025-11","total":250}],
    "totals_by_plan":[{"amount":2396.1,"plan":"growth-bonus"},{"amount":250,"plan":"security-spiff"}]}
    """#

  static let adjustedStatements = #"""
    {"statements":[{"approval":{"approved_at":"2026-01-15T09:12:51Z","approved_by":"Dana Reyes","id":2,
    "partner":"P0007","period":"2025-11","total":250},"estimate":false,"lines":[{"amount":250,"basis":22100,
    "kind":"spiff","line":"D00001964","plan":"security-spiff","version":1}],"partner":"P0007","period":"2025-11",
    "total":250},
    {"estimate":false,"lines":[{"amount":250,"corrects":"2025-11","kind":"spiff","line":"adjustment 2025-11",
    "plan":"security-spiff"}],"partner":"P0007","period":"2025-12","total":250},{"estimate":true,
    "lines":[{"amount":7000,"corrects":"2025-Q4","kind":"attainment_bonus","line":"adjustment 2025-Q4",
    "plan":"growth-bonus"}],"partner":"P0007","period":"2026-Q1","total":7000}],
    "totals_by_plan":[{"amount":7000,"plan":"growth-bonus"},{"amount":500,"plan":"security-spiff"}]}
    """#

  static let statementsCSV = """
    partner,period,plan,kind,line,basis,rate,amount
    P0007,2025-Q4,growth-bonus,attainment_bonus,deal_registrations,1.298701,1.597403,2396.10
    P0007,2025-11,security-spiff,spiff,D00001964,22100,,250.00

    """

  static let approval = #"""
    {"approvals":[{"approved_at":"2026-01-15T09:12:45Z","approved_by":"Dana Reyes","id":1,"partner":"P0007",
    "period":"2025-Q4","total":2396.1}]}
    """#

  static let wholePeriod = #"""
    {"approvals":[{"approved_at":"2026-01-15T09:12:45Z","approved_by":"Dana Reyes","id":2,"partner":"P0001",
    "period":"2025-Q4","total":39097.5},{"approved_at":"2026-01-15T09:12:45Z","approved_by":"Dana Reyes","id":3,
    "partner":"P0002","period":"2025-Q4","total":25143.96}]}
    """#

  static let revoked = #"""
    {"approved_at":"2026-01-15T09:12:45Z","approved_by":"Dana Reyes","id":1,"partner":"P0007","period":"2025-Q4",
    "revoke_reason":"approved before the December deals were booked","revoked_at":"2026-01-15T09:20:03Z",
    "revoked_by":"Sam Admin","total":2396.1}
    """#

  static let approvals = #"""
    {"approvals":[{"approved_at":"2026-01-15T09:12:45Z","approved_by":"Dana Reyes","id":1,"partner":"P0007",
    "period":"2025-Q4","revoke_reason":"approved before the December deals were booked",
    "revoked_at":"2026-01-15T09:20:03Z","revoked_by":"Sam Admin","total":2396.1},
    {"approved_at":"2026-01-15T09:12:45Z","approved_by":"Dana Reyes","id":2,"partner":"P0001","period":"2025-Q4",
    "total":39097.5}]}
    """#

  static let approvalsCSV = """
    partner,period,plan,amount,approved_by,approved_at
    P0001,2025-Q4,resale-rebate,39097.50,Dana Reyes,2026-01-15T09:12:45Z
    P0002,2025-Q4,resale-rebate,25143.96,Dana Reyes,2026-01-15T09:12:45Z

    """

  static let mdf = #"""
    {"funds":[{"accrued":0,"campaign_revenue":13854.72,"claimed":304.81,"closing":0,"expired":0,
    "mdf_return":45.453627,"opening":304.81,"partner":"P0072","period":"2025-Q3","plan":"mdf","unfunded":6095.19},
    {"accrued":24253.71,"basis":1212685.53,"campaign_revenue":85720,"claimed":0,"closing":24253.71,"expired":0,
    "opening":0,"partner":"P0072","period":"2025-Q4","plan":"mdf","rate":0.02,"unfunded":0}]}
    """#

  static let mdfCSV = """
    plan,partner,period,opening,accrued,claimed,unfunded,expired,closing
    mdf,P0007,2025-Q3,3328.19,1233.35,0.00,0.00,0.00,4561.54
    mdf,P0007,2025-Q4,4561.54,1036.72,0.00,0.00,0.00,5598.26

    """

  static let whatIfRequest = #"""
    {"files":{"tiers.yaml":"tiers:\n  evaluate: quarter\n  window: 4\n  demotion_grace: 2\n  starts: 2024-10-01\n  levels:\n    - id: registered\n    - id: silver\n      requires:\n        - {kpi: revenue, min: 200000}\n        - {kpi: win_rate, min: 0.25}\n    - id: gold\n      requires:\n        - {kpi: revenue, min: 800000}\n        - {kpi: win_rate, min: 0.3}\n    - id: platinum\n      requires:\n        - {kpi: revenue, min: 3000000}\n        - {kpi: win_rate, min: 0.35}\n"},
    "from":"2025-Q4","to":"2025-Q4"}
    """#

  static let whatIf = #"""
    {"levels":[{"current":2,"draft":17,"level":"platinum","period":"2025-Q4"},{"current":19,"draft":16,
    "level":"gold","period":"2025-Q4"},{"current":43,"draft":27,"level":"silver","period":"2025-Q4"},
    {"current":46,"draft":50,"level":"registered","period":"2025-Q4"}],"moves":[{"current":"silver","draft":"gold",
    "partner":"P0011","period":"2025-Q4","why":"under the current rules, gold needs revenue ≥ 1,000,000.00 (is 822,138.52)"},
    {"current":"silver","draft":"registered","partner":"P0029","period":"2025-Q4",
    "why":"under the draft, silver needs revenue ≥ 200,000.00 (is 152,584.54)"}],"payouts":[{"approved":221204.6,
    "current":228204.6,"difference":-2131.98,"draft":226072.62,"period":"2025-Q4","plan":"growth-bonus"},
    {"approved":944702.31,"current":944702.31,"difference":122051.3,"draft":1066753.61,"period":"2025-Q4",
    "plan":"resale-rebate"}]}
    """#
}
