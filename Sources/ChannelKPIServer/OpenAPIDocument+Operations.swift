import ChannelKPI

// MARK: - Operations

extension OpenAPIDocument {

  static var healthz: V {
    operation(
      "getHealth", tag: "Operations", summary: "Health", description: "Answers while the server is up.",
      responses: [("200", json("The server is up.", ref("Health"), [("up", example("Up", json: #"{"status":"ok"}"#))]))]
    )
  }

  static var metrics: V {
    operation(
      "getMetrics", tag: "Operations", summary: "Prometheus metrics",
      description: """
        Metrics in the Prometheus text format: requests by route, method and status (`hb_requests`), \
        their durations (`http_server_request_duration`), requests under way, rows stored per \
        canonical table (`channelkpi_facts_stored`) and the engine's update times \
        (`channelkpi_engine_update_seconds`). Empty when the server runs without metrics.
        """,
      responses: [
        (
          "200",
          [
            "description": "The metrics.",
            "content": [
              "text/plain": [
                "schema": ["type": "string"],
                "examples": [
                  "metrics": example(
                    "A few lines",
                    .string(
                      """
                      # HELP channelkpi_facts_stored Rows stored per canonical table
                      # TYPE channelkpi_facts_stored gauge
                      channelkpi_facts_stored{table="deals"} 21607.0
                      # TYPE hb_requests counter
                      hb_requests{http_route="/api/v1/values",http_request_method="GET",http_response_status_code="200"} 3

                      """))
                ],
              ]
            ],
          ]
        )
      ])
  }

  static var openAPI: V {
    operation(
      "getOpenAPI", tag: "Operations", summary: "This document",
      description: "The OpenAPI 3.1 description of the server.",
      responses: [
        (
          "200",
          json(
            "The document.",
            object(
              [
                ("openapi", enumeration(["3.1.0"])), ("info", ["type": "object"]),
                ("tags", ["type": "array"]), ("paths", ["type": "object"]), ("components", ["type": "object"]),
              ], required: ["openapi", "info", "paths"]))
        )
      ])
  }

  static var kpis: V {
    operation(
      "listKPIs", tag: "KPIs", summary: "The KPI catalog",
      description:
        "The KPIs the latest definitions define: the \(Catalog.builtin.kpis.count) built-in ones and those the definitions add.",
      responses: [
        (
          "200",
          json("The KPIs.", ref("KPIList"), [("catalog", example("Two of the KPIs", json: OpenAPIExamples.kpis))])
        )
      ])
  }

  static var partners: V {
    operation(
      "listPartners", tag: "Partners", summary: "Partners",
      description: """
        Partners, filtered, sorted and paged; with `kpis`, each partner carries the values of those KPIs in \
        `period`, and the list can be sorted by one of them (partners without a value last, whatever the order).
        """,
      parameters: [
        query("type", "Only partners of this type.", ref("Slug"), examples: [("top_resellers", "reseller")]),
        query("region", "Only partners of this region.", ref("Slug")),
        query("tier", "Only partners of this tier.", ref("Slug")),
        query(
          "q", "Only partners whose id or name contains this text (ignoring case).", string(),
          examples: [("search", "secure")]),
        query(
          "kpis", "KPIs whose values each partner carries.", array(ref("KPIId")),
          examples: [("top_resellers", .strings(["revenue", "win_rate"])), ("unknown_kpi", ["revnue"])], list: true),
        query(
          "period", "The period of the KPI values (with `kpis`); default: the quarter of the latest data.",
          ref("Period"), examples: [("top_resellers", "2025-Q4")]),
        query(
          "sort", "The sort key: a partner field, or one of the KPIs of `kpis`.",
          [
            "anyOf": [
              enumeration(APIController.partnerSorts), ref("KPIId").with("description", "A KPI of `kpis`."),
            ],
            "default": "id",
          ], examples: [("top_resellers", "revenue"), ("bad_sort", "size")]),
        query(
          "order", "The order.", enumeration(["asc", "desc"]).with("default", "asc"),
          examples: [("top_resellers", "desc")]
        ),
        query(
          "limit", "At most this many partners.", ["type": "integer", "minimum": 1, "maximum": 1000, "default": 50],
          examples: [("top_resellers", 3), ("bad_limit", 0)]),
        query(
          "offset", "Leave out this many first partners.",
          ["type": "integer", "minimum": 0, "maximum": 10_000_000, "default": 0]),
      ],
      responses: [
        (
          "200",
          json(
            "A page of partners.", ref("PartnerPage"),
            [
              ("top_resellers", example("The best resellers by revenue", json: OpenAPIExamples.topResellers)),
              ("search", example("Partners whose name contains 'secure'", json: OpenAPIExamples.search)),
            ])
        ),
        badRequest(
          "A parameter cannot be used; `parameter` names it.",
          [
            (
              "bad_sort",
              example(
                "A sort key that is neither a field nor a KPI of kpis",
                json: #"""
                  {"error":{"code":"bad_request","message":"'size' must be one of id, name, type, region, tier, joined_on",
                  "parameter":"sort"}}
                  """#)
            ),
            (
              "bad_limit",
              example(
                "A limit out of range",
                json: #"""
                  {"error":{"code":"bad_request","message":"'0' must be a whole number from 1 to 1000","parameter":"limit"}}
                  """#)
            ),
            (
              "unknown_kpi",
              example(
                "A misspelt KPI",
                json: #"""
                  {"error":{"code":"bad_request","message":"unknown KPI 'revnue'; did you mean 'revenue'?","parameter":"kpis"}}
                  """#)
            ),
            badPeriodExample(),
          ]),
        noData,
      ])
  }

  static let partnerId = pathParameter(
    "id", "The partner's id.", ref("Id").with("examples", ["P0007"]), examples: [("unknown", "P9999")])

  /// The 409 of the scorecard routes when the definitions have no scorecard for the type.
  static let noScorecardExample: (String, V) = (
    "no_scorecard",
    example(
      "Definitions without a scorecard for the type",
      json: #"""
        {"error":{"code":"conflict",
        "message":"the definitions v2 (effective 2026-01-01) have no scorecard for partner type 'msp'"}}
        """#)
  )

  static let unknownPartner: (String, V) = notFound(
    "No partner has this id.",
    [("unknown", example("No such partner", json: #"{"error":{"code":"not_found","message":"no partner 'P9999'"}}"#))])

  static var partner: V {
    operation(
      "getPartner", tag: "Partners", summary: "A partner", description: "A partner's fields.",
      parameters: [partnerId],
      responses: [
        (
          "200",
          json("The partner.", ref("Partner"), [("found", example("Partner P0007", json: OpenAPIExamples.partner))])
        ),
        unknownPartner,
      ])
  }
}
