import ChannelKPI

// MARK: - Insights: explanations of a change, peer benchmarks

extension OpenAPIDocument {
  static var insightPaths: [(String, V)] {
    [
      ("/api/v1/kpis/{id}/explain", ["get": explainChange]),
      ("/api/v1/kpis/{id}/benchmarks", ["get": peerBenchmarks]),
      ("/api/v1/kpis/{id}/forecast", ["get": forecastKPI]),
    ]
  }

  static let kpiId = pathParameter(
    "id", "The KPI's id.", ref("KPIId").with("examples", ["revenue"]), examples: [("unknown_kpi", "revenu")])

  static let unknownKPIExample: (String, V) = (
    "unknown_kpi",
    example(
      "A misspelt id", json: #"{"error":{"code":"not_found","message":"no KPI 'revenu'; did you mean 'revenue'?"}}"#)
  )

  static let unknownPartnerExample: (String, V) = (
    "unknown_partner",
    example("No such partner", json: #"{"error":{"code":"not_found","message":"no partner 'P9999'"}}"#)
  )

  static var explainChange: V {
    operation(
      "explainChange", tag: "Insights", summary: "Explain a KPI's change",
      description: """
        Why the KPI of a scope moved from `vs` (default: the period before) to `period`: for each \
        dimension its facts have (partner, type, region, tier and the fact table's own columns such \
        as `deals.source`, `deals.product`, `campaigns.channel`), each segment's contribution to the \
        change. A dimension's contributions add up to the change. For a sum, a segment contributes its \
        own change. For a ratio R = N/D, segment i contributes N_i′/D′ − N_i/D, split into a rate effect \
        w̄_i(r_i′ − r_i) (w_i = D_i/D, r_i = N_i/D_i, w̄ the mean of the two weights; a rate missing where \
        D_i = 0 is taken from the other period) and a mix effect (the rest). A KPI made of several measures \
        (`method: composite`) is first split by measure (log changes for products and quotients, Shapley \
        values otherwise), then the measures that moved most by segment (`dimension` \
        `region in count(…)`). What segments do not cover (a distinct count shared by partners) is one \
        `(shared)` line, so the parts still add up.

        `ranking` orders the dimensions: those where a few segments (each at least 10% of the change) \
        explain at least 67% of it come first, the fewest segments first and then the largest shift of \
        their shares (Jensen–Shannon divergence, as in Adtributor). The most telling segment is followed \
        two levels down (`drill_down`; its segments carry ` within D=S` in `dimension`). With \
        `Accept: text/csv` or `format=csv` the answer is CSV, one row per segment.

        A partner's staff may explain only its own partner's KPIs (`scope=partner:ID`), a manager of \
        some partners only theirs.
        """,
      parameters: [
        kpiId,
        query(
          "scope", "network (default), partner:ID, type:X, region:X or tier:X.", ref("Scope"),
          examples: [
            ("revenue", "network"), ("csv", "type:reseller"), ("bad_scope", "everyone"),
            ("unknown_partner", "partner:P9999"), ("unknown_type", "type:florist"),
          ]),
        period(
          "The period whose change is explained; default: the quarter of the latest data.",
          examples: [("revenue", "2025-Q4"), ("bad_period", "2025-Q5"), ("bad_vs", "2025-Q4")]),
        query(
          "vs", "The period it is compared with, of the same grain; default: the one before.", ref("Period"),
          examples: [("revenue", "2025-Q3"), ("bad_vs", "2025-11")]),
        query(
          "dimension",
          "Only these dimensions (comma-separated or repeated): \(SegmentDimension.all.map { "`\($0)`" }.joined(separator: ", ")).",
          array(string()), examples: [("revenue", .strings(["region"])), ("bad_dimension", .strings(["colour"]))],
          list: true),
        csvFormat,
      ],
      responses: [
        jsonOrCSV(
          "The explanation.", ref("ChangeExplanation"),
          [("revenue", example("Network revenue, 2025-Q3 → 2025-Q4, by region", json: OpenAPIExamples.explanation))],
          header: "`dimension,segment,before,after,contribution,rate_effect,mix_effect`, one row per segment.",
          csvSummary: "Resellers' revenue by segment",
          csv: """
            dimension,segment,before,after,contribution,rate_effect,mix_effect
            partner,P0052,875618.93,210010,-665608.93,,

            """),
        badRequest(
          "`scope`, `period`, `vs` or `dimension` is not valid (`parameter` names it), or `vs` is of another grain.",
          [
            badPeriodExample(),
            (
              "bad_scope",
              example(
                "Not a scope",
                json: #"""
                  {"error":{"code":"bad_request","message":"'everyone' is not a scope: network, partner:ID, type:X, region:X or tier:X",
                  "parameter":"scope"}}
                  """#)
            ),
            (
              "bad_vs",
              example(
                "A month against a quarter",
                json: #"""
                  {"error":{"code":"bad_request","message":"compare periods of one grain: 2025-11 is a month, 2025-Q4 a quarter"}}
                  """#)
            ),
            (
              "bad_dimension",
              example(
                "Not a dimension",
                json: #"""
                  {"error":{"code":"bad_request","message":"'colour' is not a dimension: \#(SegmentDimension.all.map(\.description).joined(separator: ", "))",
                  "parameter":"dimension"}}
                  """#)
            ),
          ]),
        notFound(
          "The KPI, or the partner, type, region or tier of `scope`, does not exist.",
          [
            unknownKPIExample,
            unknownPartnerExample,
            (
              "unknown_type",
              example(
                "No partner of this type",
                json: #"{"error":{"code":"not_found","message":"no partner has the type 'florist'"}}"#)
            ),
          ]),
        conflict("Without `period`, no data has been imported yet.", [noDataExample]),
      ])
  }

  static var peerBenchmarks: V {
    operation(
      "peerBenchmarks", tag: "Insights", summary: "Partners' positions among their peers",
      description: """
        For each partner in the program during `period` (or those of `partner`): its value of the KPI, \
        its `percentile` among its peers — the share (0–100) of the other peers with a value that do \
        worse, direction-aware — and the peers' cut points `p25`, `median`, `p75`, `p90` over every peer \
        with a value (linear interpolation between order statistics, numpy's default). Peers are the \
        partners of the same type (`peers=type`, the default), the same type and region \
        (`type_region`), or holding the same tier during the period (`tier`). `external` lists the \
        figures of the definitions' `benchmarks:` section that speak about the partner.

        Who does not see every partner (a partner's staff, a manager of some partners) gets only its \
        own partners, never how many peers there are, the percentile only where at least 5 other \
        peers with a value are partners it cannot see, and the cut points only where at least 10 are \
        (with fewer, cut points can be solved back for single partners' values). With \
        `Accept: text/csv` or `format=csv` the answer is CSV.
        """,
      parameters: [
        kpiId,
        period(
          "The period to compare in; default: the quarter of the latest data.",
          examples: [("p0007", "2025-Q4"), ("bad_period", "2025-Q5")]),
        query(
          "peers", "Who a partner is compared with.", enumeration(PeerGroup.allCases.map(\.rawValue)),
          examples: [("p0007", "type"), ("bad_peers", "size")]),
        query(
          "partner", "Only these partners (comma-separated or repeated).", array(ref("Id")),
          examples: [("p0007", .strings(["P0007"])), ("unknown_partner", .strings(["P9999"]))], list: true),
        csvFormat,
      ],
      responses: [
        jsonOrCSV(
          "The positions.", ref("Benchmarks"),
          [("p0007", example("P0007's revenue among MSPs", json: OpenAPIExamples.benchmarks))],
          header: "`partner,kpi,period,value,percentile,p25,median,p75,p90`, one row per partner.",
          csvSummary: "Every partner's revenue among its type",
          csv: """
            partner,kpi,period,value,percentile,p25,median,p75,p90
            P0001,revenue,2026-Q4,409300,44.44444444444444,33350,733477.55,1128741.74,1348380

            """),
        badRequest(
          "`period` or `peers` is not valid (`parameter` names it).",
          [
            badPeriodExample(),
            (
              "bad_peers",
              example(
                "Not a peer group",
                json: #"""
                  {"error":{"code":"bad_request","message":"'size' must be one of type, type_region, tier","parameter":"peers"}}
                  """#)
            ),
          ]),
        notFound(
          "The KPI, or a partner of `partner`, does not exist.",
          [
            unknownKPIExample,
            unknownPartnerExample,
          ]),
        conflict("Without `period`, no data has been imported yet.", [noDataExample]),
      ])
  }

  static var forecastKPI: V {
    operation(
      "forecastKPI", tag: "Insights", summary: "Forecast a KPI",
      description: """
        The next `horizon` periods (default: 6 months, 4 quarters, 2 years) of the KPI for a scope, \
        with 80% and 95% prediction intervals, from its history up to `as_of` (default: the last \
        period that has ended; only the periods up to it are read). The model is exponential \
        smoothing (ETS: simple, Holt, damped Holt; additive or multiplicative error and seasonality \
        once there are two full years of months or quarters), chosen by AICc, with its own intervals; \
        a rate is forecast from its numerator and denominator (`method: ratio`) when that did better \
        one period ahead over the last periods. Forecasts and intervals stay inside the KPI's bounds \
        (a share in 0–1, a sum at 0 or more).

        With `backtest` N, `backtest` holds one-period-ahead forecasts from rolling origins over the \
        last N periods of the history, each made from the periods before it, with MASE (against the \
        seasonal naive forecast), sMAPE and the shares of actuals inside the 80% and 95% intervals. \
        With `Accept: text/csv` or `format=csv` the answer is the forecast as CSV.
        """,
      parameters: [
        kpiId,
        query(
          "scope", "network (default), partner:ID, type:X, region:X or tier:X.", ref("Scope"),
          examples: [("quarters", "network"), ("unknown_partner", "partner:P9999")]),
        query(
          "grain", "month (default), quarter or year.", enumeration(Grain.allCases.map(\.rawValue)),
          examples: [("quarters", "quarter"), ("short_history", "year")]),
        query(
          "horizon", "Periods ahead, 1–60.", ["type": "integer", "minimum": 1, "maximum": 60],
          examples: [("quarters", 2), ("bad_horizon", 0)]),
        query(
          "as_of", "The last period read; one that has not ended or that the data does not reach answers 409.",
          ref("Period"), examples: [("quarters", "2025-Q4")]),
        query(
          "backtest", "Rolling-origin forecasts over the last N periods, 0–60.",
          ["type": "integer", "minimum": 0, "maximum": 60],
          examples: [("quarters", 2), ("short_history", 3)]),
        csvFormat,
      ],
      responses: [
        jsonOrCSV(
          "The forecast.", ref("KPIForecast"),
          [("quarters", example("Network revenue, two quarters ahead of 2025-Q4", json: OpenAPIExamples.forecast))],
          header: "`kpi,scope,period,forecast,lo80,hi80,lo95,hi95`, one row per period ahead.",
          csvSummary: "Resellers' revenue, six months ahead",
          csv: """
            kpi,scope,period,forecast,lo80,hi80,lo95,hi95
            revenue,type:reseller,2026-12,2428831.046916247,1166395.3094819018,3691266.7843505917,498102.1986267094,4359559.895205785

            """),
        badRequest(
          "`grain`, `horizon`, `as_of` or `backtest` is not valid (`parameter` names it).",
          [
            (
              "bad_horizon",
              example(
                "No period ahead",
                json: #"""
                  {"error":{"code":"bad_request","message":"'0' must be a whole number from 1 to 60","parameter":"horizon"}}
                  """#)
            )
          ]),
        notFound(
          "The KPI, or the partner, type, region or tier of `scope`, does not exist.",
          [
            unknownKPIExample,
            unknownPartnerExample,
          ]),
        conflict(
          "The history is too short for the backtest asked, `as_of` lies after the data, or there is no data yet.",
          [
            (
              "short_history",
              example(
                "Three years of backtest on two years of data",
                json: #"""
                  {"error":{"code":"conflict","message":"2 years of history up to 2025 are too few for a backtest of 3; forecast at a finer grain or a later period"}}
                  """#)
            )
          ]),
      ])
  }

  static var insightSchemas: [(String, V)] {
    let number: V = ["type": "number"]
    return [
      (
        "ChangeExplanation",
        object(
          [
            ("kpi", ref("KPIId")), ("name", string()), ("unit", string()),
            ("better", enumeration(["higher", "lower"])),
            ("scope", ref("Scope")), ("period", ref("Period")), ("versus", ref("Period")),
            ("before", number.with("description", "The KPI in `versus` (left out without a value).")),
            ("after", number.with("description", "The KPI in `period` (left out without a value).")),
            ("change", number.with("description", "after − before.")),
            ("method", enumeration(["sum", "ratio", "composite"], "How the change was split.")),
            ("measures", array(ref("MeasureEffect"), description: "For a composite KPI, each measure's part.")),
            ("segments", array(ref("SegmentChange"))),
            ("ranking", array(ref("DimensionRanking"), description: "The dimensions, most telling first.")),
            ("drill_down", array(ref("DrillStep"))),
            (
              "unavailable",
              [
                "type": "object", "additionalProperties": ["type": "string"],
                "description": "Dimensions that could not be split, with the reason.",
              ]
            ),
            ("summary", string("The change in words.")),
          ],
          required: [
            "kpi", "name", "unit", "better", "scope", "period", "versus", "method", "measures", "segments", "ranking",
            "drill_down", "unavailable", "summary",
          ])
      ),
      (
        "SegmentChange",
        object(
          [
            ("dimension", string()), ("segment", string()),
            ("before", number.with("description", "The segment's own value (its rate for a ratio) before.")),
            ("after", number), ("contribution", number), ("rate_effect", number), ("mix_effect", number),
            ("share", number.with("description", "contribution / change.")),
            ("surprise", number.with("description", "How much the segment's shares moved.")),
          ], required: ["dimension", "segment", "contribution"])
      ),
      (
        "DimensionRanking",
        object([
          ("dimension", string()), ("segments", integer), ("explaining", array(string())),
          ("explained", number.with("description", "The share of the change `explaining` explains.")),
          ("surprise", number),
        ])
      ),
      (
        "DrillStep",
        object(
          [
            ("dimension", string()), ("segment", string()), ("contribution", number), ("rate_effect", number),
            ("mix_effect", number),
          ], required: ["dimension", "segment", "contribution"])
      ),
      (
        "MeasureEffect",
        object(
          [
            ("measure", string("The aggregate as the formula writes it.")), ("before", number), ("after", number),
            ("effect", number),
          ],
          required: ["measure", "effect"])
      ),
      (
        "Benchmarks",
        object([
          ("kpi", ref("KPIId")), ("period", ref("Period")), ("peers", enumeration(PeerGroup.allCases.map(\.rawValue))),
          ("positions", array(ref("PeerPosition"))),
        ])
      ),
      (
        "PeerPosition",
        object(
          [
            ("partner", ref("Id")), ("kpi", ref("KPIId")), ("period", ref("Period")),
            ("group", string("The peer group, e.g. `type:reseller`.")),
            ("value", number.with("description", "Left out when the partner has no value.")),
            ("percentile", number.with("description", "The share (0–100) of the other peers that do worse.")),
            (
              "others",
              integer.with(
                "description", "How many other peers have a value (left out for those who do not see every partner).")
            ),
            ("cuts", ref("QuartileCuts")), ("external", array(ref("ExternalBenchmark"))),
          ], required: ["partner", "kpi", "period", "group", "external"])
      ),
      (
        "KPIForecast",
        object(
          [
            ("kpi", ref("KPIId")), ("name", string()), ("unit", string()), ("scope", ref("Scope")),
            ("grain", enumeration(Grain.allCases.map(\.rawValue))),
            ("as_of", ref("Period").with("description", "The last period read.")),
            (
              "model",
              string(
                "The ETS model, `numerator / denominator` models for a rate, or `empirical (last N periods)`.")
            ),
            (
              "method",
              enumeration(
                ["direct", "ratio", "intermittent"],
                """
                `direct`: the KPI's own series; `ratio`: its numerator and denominator forecast apart; \
                `intermittent`: a series 0 in at least half of its recent periods, whose forecast is the \
                median of those periods' values and whose intervals are their quantiles.
                """)
            ),
            ("history", array(object([("period", ref("Period")), ("value", number)], required: ["period"]))),
            ("points", array(ref("ForecastRow"))), ("backtest", ref("Backtest")),
          ],
          required: ["kpi", "name", "unit", "scope", "grain", "as_of", "model", "method", "history", "points"])
      ),
      (
        "ForecastRow",
        object([
          ("period", ref("Period")), ("forecast", number), ("lo80", number), ("hi80", number), ("lo95", number),
          ("hi95", number),
        ])
      ),
      (
        "Backtest",
        object(
          [
            ("origins", integer), ("mase", number), ("smape", number), ("coverage80", number), ("coverage95", number),
            (
              "points",
              array(
                object([
                  ("period", ref("Period")), ("actual", number), ("forecast", number), ("lo80", number),
                  ("hi80", number),
                  ("lo95", number), ("hi95", number), ("model", string()),
                  ("method", enumeration(["direct", "ratio", "intermittent"])),
                ]))
            ),
          ], required: ["origins", "points"])
      ),
      ("QuartileCuts", object([("p25", number), ("median", number), ("p75", number), ("p90", number)])),
      (
        "ExternalBenchmark",
        object(
          [
            ("kpi", ref("KPIId")), ("peers", ref("Scope")),
            ("grain", enumeration(Grain.allCases.map(\.rawValue))), ("value", number),
            ("source", string("Where the figure comes from.")),
          ], required: ["kpi", "peers", "value", "source"])
      ),
    ]
  }
}

extension OpenAPIExamples {
  static let forecast = #"""
    {"as_of":"2025-Q4","backtest":{"coverage80":1,"coverage95":1,"mase":1.2920282078727132,"origins":2,
    "points":[{"actual":25460011.04,"forecast":17312791.516666666,"hi80":31935829.04226444,"hi95":39676797.51167311,
    "lo80":2689753.991068892,"lo95":0,"method":"direct","model":"ETS(A,N,N)","period":"2025-Q3"},
    {"actual":31881833.03,"forecast":19349596.3975,"hi80":32300014.403817154,"hi95":39155551.58458941,
    "lo80":6399178.391182847,"lo95":0,"method":"direct","model":"ETS(A,N,N)","period":"2025-Q4"}],
    "smape":43.50967207535677},"grain":"quarter","history":[{"period":"2024-Q4","value":7311339.99},
    {"period":"2025-Q1","value":17556792.11},{"period":"2025-Q2","value":27070242.45},
    {"period":"2025-Q3","value":25460011.04},{"period":"2025-Q4","value":31881833.03}],"kpi":"revenue",
    "method":"direct","model":"ETS(A,N,N)","name":"Partner revenue","points":[{"forecast":31881190.8638938,
    "hi80":51706840.52171656,"hi95":62201905.491501294,"lo80":12055541.206071042,"lo95":1560476.236286305,
    "period":"2026-Q1"},{"forecast":31881190.8638938,"hi80":59917491.64276169,"hi95":74759012.76641089,
    "lo80":3844890.085025903,"lo95":0,"period":"2026-Q2"}],"scope":"network","unit":"money"}
    """#

  static let explanation = #"""
    {"after":31881833.03,"before":25460011.04,"better":"higher","change":6421821.99,"drill_down":[],"kpi":"revenue",
    "measures":[],"method":"sum","name":"Partner revenue","period":"2025-Q4",
    "ranking":[{"dimension":"region","explained":0.9395210844204667,"explaining":["apac","na"],"segments":4,
    "surprise":0.001933663171648148}],"scope":"network",
    "segments":[{"after":8835842.56,"before":5493883.79,"contribution":3341958.77,"dimension":"region","segment":"apac",
    "share":0.520406634628625,"surprise":0.001914411592469233},
    {"after":14422033.98,"before":11730555.59,"contribution":2691478.39,"dimension":"region","segment":"na",
    "share":0.41911444979184165,"surprise":0.000019251579178914974},
    {"after":8024612.05,"before":7613169.32,"contribution":411442.73,"dimension":"region","segment":"emea",
    "share":0.06406946979232593,"surprise":0.0010179869748734981},
    {"after":599344.44,"before":622402.34,"contribution":-23057.9,"dimension":"region","segment":"latam",
    "share":-0.0035905542127928113,"surprise":0.00018489739290459693}],
    "summary":"Partner revenue rose 6,421,821.99 (25,460,011.04 in 2025-Q3 → 31,881,833.03 in 2025-Q4). +3,341,958.77 from region apac.",
    "unavailable":{},"unit":"money","versus":"2025-Q3"}
    """#

  static let benchmarks = #"""
    {"kpi":"revenue","peers":"type","period":"2025-Q4","positions":[{"cuts":{"median":50016.82,"p25":14340,
    "p75":87300.9775,"p90":126534.025},"external":[],"group":"type:msp","kpi":"revenue","others":15,"partner":"P0007",
    "percentile":40,"period":"2025-Q4","value":34960.13}]}
    """#
}
