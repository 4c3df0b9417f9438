import ChannelKPI

extension OpenAPIDocument {
  /// `GET /api/v1/values`: KPI values for scopes and periods or windows.
  static var values: V {
    operation(
      "getValues", tag: "KPIs", summary: "KPI values",
      description: """
        The values of KPIs for scopes of one kind and periods of one grain: one item (or CSV row) per KPI, \
        scope and period, ordered by KPI (as asked), scope and period. A scope that names no partner \
        (`partner:NOPE`, a type no partner has) is a 404 that names it, for callers who see every partner (others \
        get the 403 of a scope that is not theirs). With `Accept: text/csv` or `format=csv` the answer is the CSV \
        of `channelkpi compute --format csv`.
        """,
      parameters: [
        query(
          "kpi", "KPI ids (see `GET /api/v1/kpis`); default: every KPI.", array(ref("KPIId")),
          examples: [
            ("network_by_quarter", .strings(["revenue", "win_rate"])), ("by_type", ["revenue"]), ("csv", ["revenue"]),
            ("unknown_kpi", ["revnue"]), ("trailing_year", ["revenue", "win_rate"]),
          ], list: true),
        query(
          "by", "The kind of scope.", enumeration(ScopeKind.allCases.map(\.rawValue)).with("default", "network"),
          examples: [
            ("by_type", "type"), ("csv", "partner"), ("scope_of_another_kind", "type"), ("unknown_scope", "type"),
          ]),
        query(
          "grain", "The grain of the periods.", enumeration(Grain.allCases.map(\.rawValue)).with("default", "month"),
          examples: [("network_by_quarter", "quarter"), ("by_type", "year"), ("csv", "quarter"), ("bad_grain", "week")]
        ),
        query(
          "from", "The first period (any grain: its first month counts); default: the start of the data.",
          ref("Period"),
          examples: [
            ("network_by_quarter", "2025-Q3"), ("by_type", "2025"), ("csv", "2025-Q3"), ("bad_period", "2025-Q5"),
            ("empty_range", "2025-Q4"),
          ]),
        query(
          "to", "The last period (any grain: its last month counts); default: the end of the data.", ref("Period"),
          examples: [
            ("network_by_quarter", "2025-Q4"), ("by_type", "2025"), ("csv", "2025-Q4"), ("empty_range", "2025-Q1"),
          ]),
        query(
          "window",
          "Windows of whole months (`2024-04:2025-03`, `2024-Q2:2025-Q1`) instead of `grain`, `from` and `to`: each KPI is computed once per window, exactly as for a period that long. The `period` of each item is the window as written `FIRST:LAST` in months.",
          array(ref("Window")),
          examples: [("trailing_year", .strings(["2024-04:2025-03"])), ("bad_window", ["2025-04:2024-03"])], list: true),
        query(
          "scope", "Only these scopes, all of the kind `by`; default: every scope of that kind.", array(ref("Scope")),
          examples: [
            ("csv", .strings(["partner:P0007", "partner:P0012"])), ("scope_of_another_kind", ["partner:P0007"]),
            ("unknown_scope", ["type:florist"]),
          ], list: true),
        query(
          "format", "`csv` answers CSV, like `Accept: text/csv`.",
          enumeration(["json", "csv"]).with("default", "json"),
          examples: [("csv", "csv")]),
      ],
      responses: [
        (
          "200",
          [
            "description": "The values.",
            "content": [
              "application/json": [
                "schema": ref("Values"),
                "examples": [
                  "network_by_quarter": example(
                    "Two KPIs for the network, by quarter", json: OpenAPIExamples.networkByQuarter),
                  "by_type": example("Revenue by partner type in 2025", json: OpenAPIExamples.byType),
                  "trailing_year": example(
                    "Two KPIs for the network over the twelve months to March 2025",
                    json: OpenAPIExamples.trailingYear),
                ],
              ],
              "text/csv": [
                "schema": [
                  "type": "string",
                  "description":
                    "`kpi,scope,period,value`, one row per KPI, scope and period; no value is an empty field.",
                ],
                "examples": ["csv": example("Two partners' revenue by quarter", .string(OpenAPIExamples.csv))],
              ],
            ],
          ]
        ),
        badRequest(
          "A parameter cannot be used (`parameter` names it), an unknown KPI, or an empty or too long range (no `parameter`).",
          [
            (
              "bad_grain",
              example(
                "A grain that does not exist",
                json: #"""
                  {"error":{"code":"bad_request","message":"'week' is not a grain: month, quarter or year","parameter":"grain"}}
                  """#)
            ),
            (
              "bad_period",
              example(
                "A quarter that does not exist",
                json: #"""
                  {"error":{"code":"bad_request","message":"'2025-Q5' is not a period: write 2025-03, 2025-Q1 or 2025",
                  "parameter":"from"}}
                  """#)
            ),
            (
              "bad_window",
              example(
                "A window that ends before it starts",
                json: #"""
                  {"error":{"code":"bad_request","message":"'2025-04:2024-03' is not a window: write FIRST:LAST with months, quarters or years, e.g. 2024-04:2025-03",
                  "parameter":"window"}}
                  """#)
            ),
            (
              "scope_of_another_kind",
              example(
                "A partner scope with by=type",
                json: #"""
                  {"error":{"code":"bad_request","message":"'partner:P0007' is not of the kind by=type","parameter":"scope"}}
                  """#)
            ),
            (
              "unknown_kpi",
              example(
                "A misspelt KPI",
                json: #"""
                  {"error":{"code":"bad_request",
                  "message":"unknown KPI 'revnue'; did you mean 'revenue'?","parameter":"kpi"}}
                  """#)
            ),
            (
              "empty_range",
              example(
                "from after to",
                json: #"""
                  {"error":{"code":"bad_request","message":"the range is empty: --from 2025-Q4 is after --to 2025-Q1"}}
                  """#)
            ),
          ]),
        notFound(
          "A scope names no partner (the message names it).",
          [
            (
              "unknown_scope",
              example(
                "A type no partner has",
                json: #"{"error":{"code":"not_found","message":"no partner has the type 'florist'"}}"#)
            )
          ]),
      ])
  }
}
