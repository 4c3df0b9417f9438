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
            (
              "bad_period",
              example(
                "A quarter that does not exist",
                json: #"""
                  {"error":{"code":"bad_request","message":"'2025-Q5' is not a period: write 2025-03, 2025-Q1 or 2025",
                  "parameter":"period"}}
                  """#)
            ),
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

  static var partnerScorecard: V {
    operation(
      "getPartnerScorecard", tag: "Scorecards", summary: "A partner's scorecard",
      description: """
        The scorecard of the partner's type, for the partner: each KPI against its target, the composite \
        score, and the rank among the partners of the type in the program during the period (none when \
        the partner was not).
        """,
      parameters: [partnerId, latestPeriod("of the scorecard")],
      responses: [
        (
          "200",
          json(
            "The scorecard.", ref("Scorecard"),
            [("q4", example("P0007 in 2025-Q4", json: OpenAPIExamples.partnerScorecard))])
        ),
        badPeriod(),
        unknownPartner,
        conflict(
          "No definitions are in force, they have no scorecard for the partner's type, or (without `period`) there is no data.",
          [noScorecardExample]),
      ])
  }

  static var networkScorecard: V {
    operation(
      "getNetworkScorecard", tag: "Scorecards", summary: "The network scorecard",
      description: "The program's scorecard for the whole network.",
      parameters: [latestPeriod("of the scorecard")],
      responses: [
        (
          "200",
          json("The scorecard.", ref("Scorecard"), [("q4", example("2025-Q4", json: OpenAPIExamples.networkScorecard))])
        ),
        badPeriod(),
        conflict(
          "No definitions are in force, they have no network scorecard, or (without `period`) there is no data.",
          [
            (
              "no_definitions",
              example(
                "A database without definitions",
                json: #"""
                  {"error":{"code":"conflict",
                  "message":"no program definitions are in force for 2025-Q4: apply some with channelkpi program apply DIR"}}
                  """#)
            )
          ]),
      ])
  }

  static var typeScorecards: V {
    operation(
      "getTypeScorecards", tag: "Scorecards", summary: "The scorecards of a partner type",
      description: """
        The scorecard of every partner of the type in the program during the period, ranked by composite \
        score (1 is the best; equal scores share a rank; partners without a score last).
        """,
      parameters: [
        pathParameter(
          "type", "The partner type.", ref("Slug").with("examples", ["reseller"]), examples: [("unknown_type", "nope")]),
        latestPeriod("of the scorecards"),
      ],
      responses: [
        (
          "200",
          json(
            "The scorecards.", ref("Scorecards"),
            [("q4", example("Two of the resellers", json: OpenAPIExamples.typeScorecards))])
        ),
        badPeriod(),
        notFound(
          "No partner has this type.",
          [
            (
              "unknown_type",
              example(
                "No such type", json: #"{"error":{"code":"not_found","message":"no partner has the type 'nope'"}}"#)
            )
          ]),
        conflict(
          "No definitions are in force, they have no scorecard for the type, or (without `period`) there is no data.",
          [noScorecardExample]),
      ])
  }

  static var objectives: V {
    operation(
      "listObjectives", tag: "Definitions", summary: "Objectives",
      description: "The objectives of the definitions in force in the period, and whether each is active in it.",
      parameters: [latestPeriod("whose definitions to read")],
      responses: [
        (
          "200",
          json(
            "The objectives.", ref("Objectives"),
            [("q4", example("Two of the demo's objectives", json: OpenAPIExamples.objectives))])
        ),
        badPeriod(), noData,
      ])
  }

  static var targets: V {
    operation(
      "listTargets", tag: "Definitions", summary: "Targets",
      description: """
        The targets of the definitions in force that apply to the period, each with the baseline, target, \
        actual value, attainment and status of the scope it names.
        """,
      parameters: [latestPeriod("whose targets to read")],
      responses: [
        (
          "200",
          json(
            "The targets.", ref("Targets"),
            [("q4", example("Two of the demo's targets", json: OpenAPIExamples.targets))])
        ),
        badPeriod(), noData,
      ])
  }

  static var programVersions: V {
    operation(
      "listProgramVersions", tag: "Definitions", summary: "Definitions versions",
      description: "Every stored version of the definitions, oldest first.",
      responses: [
        (
          "200",
          json(
            "The versions.", ref("ProgramVersions"),
            [("demo", example("The demo's definitions", json: OpenAPIExamples.versions))])
        )
      ])
  }

  static var applyProgram: V {
    operation(
      "applyProgram", tag: "Definitions", summary: "Apply definitions",
      description: """
        Stores definitions files (YAML, as read by `channelkpi program apply`) as a new version, in force \
        from `effective` (default: today), and recomputes with their KPIs. A version holds the whole \
        definitions: sections it lacks are empty from then on.
        """,
      body: body(
        "The definitions files.", ref("ProgramRequest"),
        [
          ("applied", example("New targets and scorecards from 2026", json: OpenAPIExamples.programRequest)),
          (
            "invalid_definitions",
            example(
              "A target for a KPI that does not exist",
              json: #"""
                {"files":{"targets.yaml":"targets:\n  - kpi: revnue\n    scope: network\n    value: 1\n"}}
                """#)
          ),
          ("missing_files", example("No files", json: #"{"effective":"2026-01-01"}"#)),
        ]),
      responses: [
        (
          "201",
          json(
            "The definitions were stored.", ref("ProgramApplied"),
            [("applied", example("Version 2", json: #"{"version":2,"effective":"2026-01-01"}"#))])
        ),
        invalidJSON,
        unsupportedMediaType,
        unprocessable(
          "The body or the definitions are wrong: problems in files are at `file:line:column`. Nothing was stored.",
          [
            (
              "invalid_definitions",
              example(
                "A target for a KPI that does not exist",
                json: #"""
                  {"errors":[{"path":"targets.yaml:2:10","message":"unknown KPI 'revnue'; did you mean 'revenue'?"}]}
                  """#)
            ),
            (
              "missing_files",
              example(
                "No files",
                json: #"{"errors":[{"path":"/files","message":"must be an object of file names to YAML texts"}]}"#)
            ),
          ]),
      ])
  }

  static var reviews: V {
    operation(
      "listReviews", tag: "Reviews", summary: "Reviews", description: "Every review, by date.",
      responses: [
        ("200", json("The reviews.", ref("Reviews"), [("one", example("One review", json: OpenAPIExamples.reviews))]))
      ])
  }

  static var addReview: V {
    operation(
      "addReview", tag: "Reviews", summary: "Record a review",
      description:
        "Records that someone reviewed a partner's or a KPI's results, what they found and what they will do.",
      body: body(
        "The review.", ref("ReviewRequest"),
        [
          (
            "recorded",
            example(
              "A review of a partner's win rate",
              json: #"""
                {"partner":"P0007","kpi":"win_rate","period":"2025-Q4","reviewer":"Arjun Mehta",
                "finding":"Win rate fell to 26%: three large deals lost on price.",
                "action":"Joint pricing review with the partner in January.","date":"2026-01-12","shared":true}
                """#)
          ),
          (
            "rejected",
            example(
              "No finding, an unknown partner and a bad period",
              json: #"""
                {"partner":"P9999","period":"2025-Q5","action":"Call the partner."}
                """#)
          ),
        ]),
      responses: [
        (
          "201",
          json(
            "The review was recorded.", ref("Review"),
            [
              (
                "recorded",
                example(
                  "The stored review",
                  json: #"""
                    {"id":1,"date":"2026-01-12","reviewer":"Arjun Mehta","partner":"P0007","kpi":"win_rate","period":"2025-Q4",
                    "finding":"Win rate fell to 26%: three large deals lost on price.",
                    "action":"Joint pricing review with the partner in January.","shared":true,"acknowledged_by":null,
                    "acknowledged_at":null,"replies":[]}
                    """#)
              )
            ])
        ),
        invalidJSON,
        unsupportedMediaType,
        unprocessable(
          "The review is incomplete or names what does not exist. Nothing was stored.",
          [
            (
              "rejected",
              example(
                "No reviewer, an unknown partner and a bad period",
                json: #"""
                  {"errors":[{"path":"/finding","message":"is required"},{"path":"/partner","message":"no partner 'P9999'"},
                  {"path":"/period","message":"'2025-Q5' is not a period"}]}
                  """#)
            )
          ]),
      ])
  }

  static var check: V {
    operation(
      "runCheck", tag: "Reviews", summary: "KPI hygiene check",
      description: """
        Checks the definitions and results against the pitfalls of KPI programs as of the period: too many \
        KPIs, KPIs no objective asks for, lack of data, ignored results, static targets and objectives, \
        and targets that cannot be reached or ask for nothing.
        """,
      parameters: [latestPeriod("to check as of")],
      responses: [
        (
          "200",
          json(
            "The findings.", ref("Check"), [("q4", example("Two of the demo's findings", json: OpenAPIExamples.check))])
        ),
        badPeriod(),
        conflict(
          "Without `period`, there is no data.",
          [
            (
              "no_data",
              example(
                "An empty database", json: #"{"error":{"code":"conflict","message":"no data has been imported yet"}}"#)
            )
          ]),
      ])
  }

  static var imports: V {
    operation(
      "listImports", tag: "Facts", summary: "Import history",
      description: "The latest CSV imports (`channelkpi import` and dashboard uploads), newest first.",
      parameters: [
        query(
          "limit", "At most this many imports.", ["type": "integer", "minimum": 1, "maximum": 1000, "default": 50],
          examples: [("bad_limit", 0)])
      ],
      responses: [
        (
          "200",
          json("The imports.", ref("Imports"), [("demo", example("The demo's import", json: OpenAPIExamples.imports))])
        ),
        badRequest(
          "`limit` is out of range.",
          [
            (
              "bad_limit",
              example(
                "A limit out of range",
                json: #"""
                  {"error":{"code":"bad_request","message":"'0' must be a whole number from 1 to 1000","parameter":"limit"}}
                  """#)
            )
          ]),
      ])
  }

  static func ingest(_ t: CanonicalTable) -> V {
    let name = t.rawValue
    let ex = OpenAPIExamples.facts[t]!
    var requestExamples: [(String, V)] = [("accepted", example(ex.acceptedSummary, json: ex.accepted))]
    var problems: [(String, V)] = []
    if let rejected = ex.rejected {
      requestExamples.append(("rejected", example(rejected.summary, json: rejected.request)))
      problems.append(("rejected", example(rejected.summary, json: rejected.response)))
    }
    return operation(
      "ingest" + typeName(t), tag: "Facts", summary: "Send \(name) facts",
      description: """
        Upserts a batch of `\(name)` records (key: \(t.schema.key.map { "`\($0)`" }.joined(separator: ", "))), \
        all or nothing; the next KPI read includes them. See the Facts tag for the rules.
        """,
      body: body("The records.", ref(typeName(t) + "Batch"), requestExamples),
      responses: [
        (
          "200",
          json(
            "The batch was stored.", ref("IngestResult"),
            [
              (
                "accepted",
                example(
                  "Stored",
                  json: #"{"table":"\#(name)","received":\#(ex.count),"stored":\#(ex.count),"alerts":[],"#
                    + #""alerts_deferred":false}"#)
              )
            ])
        ),
        invalidJSON,
        unsupportedMediaType,
        unprocessable(
          "The body or some records break the rules; every problem is listed. Nothing was stored.", problems),
      ])
  }

}
