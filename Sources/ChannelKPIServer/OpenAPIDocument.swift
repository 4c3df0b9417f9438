import ChannelKPI

/// The OpenAPI 3.1 description of the server, served at `/openapi.json`.
///
/// It is built in code so that it cannot drift from what it describes: the record schemas of
/// `POST /api/v1/facts/…` come from `CanonicalTable.schema` and `RecordValidator.vocabularies`,
/// and the enumerations from the types that parse them (`Grain`, `ScopeKind`, `KPIUnit`, …).
///
/// Examples are real requests and answers of `channelkpi serve --demo` (the default demo
/// program). Request examples are scenarios: a parameter or body example named `x` goes with the
/// response example named `x`, whose status is the one the request gets. Parameters without an
/// example of that name are left out, except path parameters, which then take the first value of
/// their schema's `examples`. The server tests send every scenario to a server over the demo
/// program and check the status and the answer against the schemas.
enum OpenAPIDocument {
  /// The document as JSON text.
  static let json: String = document.text + "\n"

  /// The document.
  static var document: OpenAPIValue {
    [
      "openapi": "3.1.0",
      "info": [
        "title": "ChannelKPI",
        "version": "1",
        "summary": "KPIs of channel-partner programs: values, partners, scorecards, definitions and live facts.",
        "description": .string(overview),
      ],
      "tags": [
        ["name": "KPIs", "description": "The KPI catalog and KPI values."],
        ["name": "Partners", "description": "Partners, with KPI values if asked."],
        ["name": "Scorecards", "description": "KPIs held against targets, composite scores and ranks."],
        ["name": "Definitions", "description": "Objectives, targets and scorecards, and their versions."],
        ["name": "Reviews", "description": "Reviews of results, and the KPI hygiene check."],
        ["name": "Facts", "description": .string(factsDescription)],
        ["name": "Incentives", "description": .string(incentivesDescription)],
        [
          "name": "Insights",
          "description":
            "Why a KPI moved (its change split by segment) and where partners stand among their peers.",
        ],
        [
          "name": "Alerts",
          "description": "States of the definitions' alert rules, their history, and acknowledgements.",
        ],
        ["name": "Access", "description": .string(securityDescription)],
        ["name": "Portal", "description": "The partner portal's pages, for a partner's staff."],
        ["name": "Operations", "description": "Health, metrics and this document."],
        ["name": "Dashboard", "description": "The dashboard's HTML pages, for people."],
      ],
      "paths": .object(paths),
      "components": [
        "schemas": .object(schemas),
        "securitySchemes": [
          "apiKey": [
            "type": "http", "scheme": "bearer",
            "description": "An API key made with `channelkpi keys create` or `POST /api/v1/keys`.",
          ],
          "session": [
            "type": "apiKey", "in": "cookie", "name": "ckpi_session",
            "description": "A browser's session after signing in at `/login`.",
          ],
        ],
      ],
    ]
  }

  static let overview = """
    The JSON API of ChannelKPI, under `/api/v1`, and the server's health, metrics and dashboard.

    - **Periods** are written `2025-03` (a month), `2025-Q1` (a quarter) or `2025` (a year). Routes \
    that take a `period` use the quarter of the latest data when it is left out; with no data at all \
    they answer 409.
    - **Scopes** are `network`, `partner:ID`, `type:X`, `region:X` and `tier:X`.
    - **Lists** in query parameters (`kpi`, `scope`, `kpis`) are comma-separated, or the parameter \
    is repeated; a comma inside an id is written `%2C`. An empty query parameter (`type=`) is the same as a missing one; unknown query \
    parameters are ignored.
    - **Errors** 400, 404, 405, 409 and 415 answer `{"error":{"code","message","parameter"?}}`; \
    `parameter` names the query parameter at fault when there is one. 422 answers \
    `{"errors":[{"path","message"}]}` with every problem found, at its JSON pointer (RFC 6901) in \
    the body, or at `file:line:column` in definitions files; nothing is stored then.
    - **Rules a schema cannot state.** What a request names must exist: a stored partner, \
    campaign, KPI, review, user or key (404 in a path, 400 in a query parameter, 422 in a body). \
    Ranges are not empty (`from` ≤ `to`); `window` replaces `from`, `to` and `grain`; the `period` \
    of tiers has the ladder's grain; facts follow the cross-field rules of the data format (a date \
    on or after another, a converted lead with its deal, money with at most two decimals…) and \
    definitions the rules of their files. A request of the right shape that breaks one of these \
    is refused with 400 or 422 and changes nothing.
    - **Bodies** of the API are JSON: a request with another `Content-Type` than `application/json` \
    gets 415 (one without a `Content-Type` is read as JSON).
    - A path under `/api/v1/` that matches no route answers 404 with the error body; a `GET` of \
    another unknown path, the dashboard's "page not found" (HTML), or an empty 404 for some (such as \
    `/api/x`). A route called with a method it does not take answers 405 with an `Allow` header \
    that lists the methods it takes, and under `/api/` the error body (`method_not_allowed`). Every \
    `GET` route also answers `HEAD` (same status and headers, no body).
    """

  static let factsDescription = """
    Facts arrive in batches of one canonical table, as `{"records":[…]}` (at most 100,000 records). \
    Each record is an object with the table's field names; values take the textual forms of the CSV \
    format (dates as `YYYY-MM-DD`), and money and integers may also be JSON numbers. `null`, an \
    empty string or a missing field is absent. A batch is checked like a CSV import, against every \
    rule of the data format and the references to partners and campaigns (stored ones); if any record \
    is bad, nothing is stored and the answer is 422 with every problem at its JSON path. Records are \
    upserted by key, so sending a batch twice changes nothing. The next KPI read includes an accepted \
    batch. `POST /api/v1/facts/{table}` with any other table name than the ten documented here \
    answers 404.
    """
}

// MARK: - Values

/// The document is written with `JSONValue` literals, object members in the order written.
typealias OpenAPIValue = JSONValue

// MARK: - Building blocks

extension OpenAPIDocument {
  typealias V = OpenAPIValue

  static func ref(_ name: String) -> V { ["$ref": .string("#/components/schemas/\(name)")] }

  /// An object schema with exactly these members.
  static func object(_ properties: [(String, V)], required: [String], description: String? = nil) -> V {
    var pairs: [(String, V)] = [("type", "object")]
    if let description { pairs.append(("description", .string(description))) }
    pairs.append(("required", .strings(required)))
    pairs.append(("properties", .object(properties)))
    pairs.append(("additionalProperties", false))
    return .object(pairs)
  }

  /// An object schema whose members are all required.
  static func object(_ properties: [(String, V)], description: String? = nil) -> V {
    object(properties, required: properties.map(\.0), description: description)
  }

  static func array(_ items: V, description: String? = nil) -> V {
    var pairs: [(String, V)] = [("type", "array")]
    if let description { pairs.append(("description", .string(description))) }
    pairs.append(("items", items))
    return .object(pairs)
  }

  static func string(_ description: String? = nil) -> V {
    description.map { ["type": "string", "description": .string($0)] } ?? ["type": "string"]
  }

  static func nullable(_ type: String, _ description: String? = nil) -> V {
    var pairs: [(String, V)] = [("type", [.string(type), "null"])]
    if let description { pairs.append(("description", .string(description))) }
    return .object(pairs)
  }

  static func nullable(ref name: String, _ description: String? = nil) -> V {
    var pairs: [(String, V)] = [("oneOf", [ref(name), ["type": "null"]])]
    if let description { pairs.append(("description", .string(description))) }
    return .object(pairs)
  }

  static func enumeration(_ values: [String], nullable: Bool = false, _ description: String? = nil) -> V {
    var pairs: [(String, V)] = [
      ("type", nullable ? ["string", "null"] : "string"),
      ("enum", .array(values.map { .string($0) } + (nullable ? [.null] : []))),
    ]
    if let description { pairs.append(("description", .string(description))) }
    return .object(pairs)
  }

  static let integer: V = ["type": "integer"]
  static let nullableNumber: V = ["type": ["number", "null"]]
  static let nullableInteger: V = ["type": ["integer", "null"]]

  /// An example object.
  static func example(_ summary: String, _ value: V) -> V { ["summary": .string(summary), "value": value] }

  /// An example object whose value is JSON text.
  static func example(_ summary: String, json: String) -> V { example(summary, .raw(json)) }

  /// A response with a JSON body.
  static func json(_ description: String, _ schema: V, _ examples: [(String, V)] = []) -> V {
    var media: [(String, V)] = [("schema", schema)]
    if !examples.isEmpty { media.append(("examples", .object(examples))) }
    return ["description": .string(description), "content": ["application/json": .object(media)]]
  }

  static func badRequest(_ description: String, _ examples: [(String, V)]) -> (String, V) {
    ("400", json(description, ref("BadRequest"), examples))
  }

  static func notFound(_ description: String, _ examples: [(String, V)]) -> (String, V) {
    ("404", json(description, ref("NotFound"), examples))
  }

  static func conflict(_ description: String, _ examples: [(String, V)]) -> (String, V) {
    ("409", json(description, ref("Conflict"), examples))
  }

  static func unprocessable(_ description: String, _ examples: [(String, V)]) -> (String, V) {
    ("422", json(description, ref("Problems"), examples))
  }

  static func badPeriod(_ name: String = "period") -> (String, V) {
    badRequest("`\(name)` is not a period.", [badPeriodExample(name)])
  }

  /// The answer to `name=2025-Q5`.
  static func badPeriodExample(_ name: String = "period") -> (String, V) {
    (
      "bad_period",
      example(
        "A quarter that does not exist",
        json: #"""
          {"error":{"code":"bad_request","message":"'2025-Q5' is not a period: write 2025-03, 2025-Q1 or 2025",
          "parameter":"\#(name)"}}
          """#)
    )
  }

  static let noData: (String, V) = conflict(
    "No period was given and no data has been imported yet.",
    [
      (
        "no_data",
        example("An empty database", json: #"{"error":{"code":"conflict","message":"no data has been imported yet"}}"#)
      )
    ])

  static let invalidJSON: (String, V) = badRequest(
    "The body is not valid JSON.",
    [invalidJSONExample])

  static let unsupportedMediaType: (String, V) = (
    "415",
    json(
      "The body was sent with another `Content-Type` than `application/json`.", ref("UnsupportedMediaType"),
      [
        (
          "wrong_content_type",
          example(
            "A CSV body",
            json: #"""
              {"error":{"code":"unsupported_media_type","message":"send the body as application/json, not text/csv"}}
              """#)
        )
      ])
  )

  /// A query parameter.
  static func query(
    _ name: String, _ description: String, _ schema: V, examples: [(String, V)] = [], list: Bool = false
  ) -> V {
    var pairs: [(String, V)] = [
      ("name", .string(name)), ("in", "query"), ("description", .string(description)), ("required", false),
      ("allowEmptyValue", true),
    ]
    if list {
      pairs.append(("style", "form"))
      pairs.append(("explode", false))
    }
    pairs.append(("schema", schema))
    if !examples.isEmpty { pairs.append(("examples", .object(examples.map { ($0.0, ["value": $0.1]) }))) }
    return .object(pairs)
  }

  /// A path parameter; `schema` should carry `examples`, the value used by default.
  static func pathParameter(_ name: String, _ description: String, _ schema: V, examples: [(String, V)] = []) -> V {
    var pairs: [(String, V)] = [
      ("name", .string(name)), ("in", "path"), ("description", .string(description)), ("required", true),
      ("schema", schema),
    ]
    if !examples.isEmpty { pairs.append(("examples", .object(examples.map { ($0.0, ["value": $0.1]) }))) }
    return .object(pairs)
  }

  static func period(_ description: String, examples: [(String, V)]) -> V {
    query("period", description, ref("Period"), examples: examples)
  }

  /// The `period` of the routes that default to the quarter of the latest data.
  static func latestPeriod(_ what: String) -> V {
    period(
      "The period \(what); default: the quarter of the latest data.",
      examples: [("q4", "2025-Q4"), ("bad_period", "2025-Q5")])
  }

  static func operation(
    _ id: String, tag: String, summary: String, description: String, parameters: [V] = [], body: V? = nil,
    responses: [(String, V)]
  ) -> V {
    var pairs: [(String, V)] = [
      ("operationId", .string(id)), ("tags", [.string(tag)]), ("summary", .string(summary)),
      ("description", .string(description)),
    ]
    if !parameters.isEmpty { pairs.append(("parameters", .array(parameters))) }
    if let body { pairs.append(("requestBody", body)) }
    pairs.append(("responses", .object(responses)))
    return .object(pairs)
  }

  /// A JSON request body.
  static func body(_ description: String, _ schema: V, _ examples: [(String, V)]) -> V {
    [
      "description": .string(description), "required": true,
      "content": ["application/json": ["schema": schema, "examples": .object(examples)]],
    ]
  }
}

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

// MARK: - Schemas

extension OpenAPIDocument {
  static let periodPattern = #"^(?!0000)\d{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$"#
  static let windowPattern = #"^(?!0000)\d{4}(-(0[1-9]|1[0-2]|Q[1-4]))?(:(?!0000)\d{4}(-(0[1-9]|1[0-2]|Q[1-4]))?)?$"#
  static let datePattern = #"^(?!0000)\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"#

  static var schemas: [(String, V)] {
    var s: [(String, V)] = [
      (
        "Period",
        [
          "type": "string", "pattern": .string(periodPattern),
          "description": "A month `2025-03`, a quarter `2025-Q1` or a year `2025`.", "examples": ["2025-Q4"],
        ]
      ),
      (
        "Window",
        [
          "type": "string", "pattern": .string(windowPattern),
          "description":
            "A range of whole months `2024-04:2025-03`; on input either side may also be a quarter or a year (`2024-Q2:2025-Q1`), or the whole window one period.",
          "examples": ["2024-04:2025-03"],
        ]
      ),
      (
        "Scope",
        [
          "type": "string", "pattern": "^(network|(partner|type|region|tier):.+)$",
          "description": "`network`, `partner:ID`, `type:X`, `region:X` or `tier:X`.", "examples": ["type:reseller"],
        ]
      ),
      (
        "KPIId",
        [
          "type": "string", "pattern": "^[a-z][a-z0-9_]*$",
          "description": "The id of a KPI of the catalog (`GET /api/v1/kpis`).", "examples": ["revenue"],
        ]
      ),
      ("Id", idSchema(nullable: false)),
      ("Slug", slugSchema(nullable: false)),
      ("Date", dateSchema(nullable: false)),
      (
        "BadRequest",
        errorSchema(
          "bad_request",
          parameter: true, "A query parameter or the body cannot be used; `parameter` names the query parameter.")
      ),
      ("NotFound", errorSchema("not_found", parameter: false, "No such partner, partner type or table.")),
      ("Conflict", errorSchema("conflict", parameter: false, "The definitions or the data needed are missing.")),
      ("Unauthorized", errorSchema("unauthorized", parameter: false, "No credentials, or an unknown or revoked key.")),
      ("Forbidden", errorSchema("forbidden", parameter: false, "The caller may not do this or see what it names.")),
      ("PayloadTooLarge", errorSchema("payload_too_large", parameter: false, "The body is too large.")),
      ("DatabaseFull", errorSchema("database_full", parameter: false, "The database is full; nothing was stored.")),
      (
        "DatabaseUnavailable",
        errorSchema(
          "database_read_only", "database_unavailable", parameter: false,
          "The database is read-only, or cannot be reached; nothing was stored.")
      ),
      (
        "UnsupportedMediaType",
        errorSchema("unsupported_media_type", parameter: false, "The body is not sent as application/json.")
      ),
      (
        "Problems",
        object(
          [
            (
              "errors",
              array(
                object([
                  (
                    "path",
                    string(
                      "A JSON pointer (RFC 6901) into the body (`/records/3/amount`; empty for the whole body), or `file:line:column` in a definitions file."
                    )
                  ),
                  ("message", string("What is wrong.")),
                ])
              ).with("minItems", 1)
            )
          ], description: "Every problem found; nothing was stored.")
      ),
      ("Health", object([("status", enumeration(["ok"]))])),
      (
        "KPI",
        object([
          ("id", ref("KPIId")), ("name", string()),
          (
            "family",
            string("`partner_performance`, `sales_effectiveness`, `marketing_roi`, … or a family definitions add.")
          ),
          ("unit", enumeration(KPIUnit.allCases.map(\.rawValue))),
          ("better", enumeration(Direction.allCases.map(\.rawValue), "Whether higher or lower values are better.")),
          (
            "stages",
            array(enumeration(LifecycleStage.allCases.map(\.rawValue)), description: "Partner-lifecycle stages.")
          ),
          ("description", string()), ("formula", string("The formula in the KPI language.")),
          (
            "min",
            nullableNumber.with(
              "description", "The lowest value the KPI can take (null when unbounded); rule targets stay above it.")
          ),
          (
            "max",
            nullableNumber.with(
              "description", "The highest value the KPI can take (null when unbounded); rule targets stay below it.")
          ),
        ])
      ),
      ("KPIList", object([("kpis", array(ref("KPI")))])),
      (
        "Values",
        object([
          (
            "values",
            array(
              object([
                ("kpi", ref("KPIId")), ("scope", ref("Scope")),
                ("period", ["anyOf": [ref("Period"), ref("Window")]]),
                (
                  "value",
                  nullableNumber.with("description", "Null when the KPI has no value (e.g. a rate of nothing).")
                ),
              ]))
          )
        ])
      ),
      (
        "Partner",
        object(
          [
            ("id", ref("Id")), ("name", string()), ("type", ref("Slug")), ("region", ref("Slug")),
            ("country", nullable("string", "ISO 3166-1 alpha-2.")), ("tier", nullable("string")),
            ("joined_on", ref("Date")), ("left_on", nullable(ref: "Date")), ("manager", nullable("string")),
            (
              "kpis",
              [
                "type": "object", "additionalProperties": nullableNumber,
                "description": "With `kpis` in `GET /api/v1/partners`: each KPI's value in the period.",
              ]
            ),
          ],
          required: ["id", "name", "type", "region", "country", "tier", "joined_on", "left_on", "manager"])
      ),
      (
        "PartnerPage",
        object([
          ("total", integer.with("description", "Partners that pass the filters.")), ("limit", integer),
          ("offset", integer),
          ("period", nullable(ref: "Period", "The period of the KPI values; null without `kpis`.")),
          ("partners", array(ref("Partner"))),
        ])
      ),
      (
        "ScorecardKPI",
        object([
          ("kpi", ref("KPIId")), ("name", string()), ("unit", enumeration(KPIUnit.allCases.map(\.rawValue))),
          ("better", enumeration(Direction.allCases.map(\.rawValue))), ("weight", nullableNumber),
          ("actual", nullableNumber),
          (
            "pace",
            nullableNumber.with("description", "The value projected to the period's end, for a period under way.")
          ),
          ("target", nullableNumber), ("baseline", nullableNumber),
          ("baseline_method", string("How the baseline is found, e.g. `mean of the previous 4 periods`.")),
          ("target_rule", nullable("string", "The target definition that applied, e.g. `network: baseline + 0.01`.")),
          (
            "attainment",
            nullableNumber.with("description", "How far the actual (or pace) is toward the target; 1 = on target.")
          ),
          ("status", enumeration(TargetStatus.allCases.map(\.rawValue))),
          ("version", nullableInteger.with("description", "The definitions version of the target.")),
        ])
      ),
      (
        "Scorecard",
        object([
          ("scope", ref("Scope")), ("partner", nullable("string", "The partner's name; null for the network.")),
          ("period", ref("Period")), ("scorecard", nullable("string", "The scorecard's id.")),
          ("version", nullableInteger), ("effective", nullable(ref: "Date")),
          ("composite", nullableNumber.with("description", "0–100: the weighted mean of attainments capped to 0…1.")),
          ("rank", nullableInteger), ("peers", nullableInteger),
          (
            "percentile", nullableNumber.with("description", "The share of ranked peers with a lower composite, 0–100.")
          ),
          ("kpis", array(ref("ScorecardKPI"))),
        ])
      ),
      ("Scorecards", object([("scorecards", array(ref("Scorecard")))])),
      (
        "Objectives",
        object([
          ("period", ref("Period")), ("version", nullableInteger.with("description", "Null without definitions.")),
          (
            "objectives",
            array(
              object([
                ("id", string()), ("name", string()), ("description", string()), ("owner", string()),
                ("from", nullable(ref: "Period")), ("to", nullable(ref: "Period")),
                ("active", ["type": "boolean", "description": "Whether it is active in any part of the period."]),
                ("kpis", array(ref("KPIId"))),
              ]))
          ),
        ])
      ),
      (
        "Targets",
        object([
          ("period", ref("Period")), ("version", nullableInteger.with("description", "Null without definitions.")),
          (
            "targets",
            array(
              object([
                ("kpi", ref("KPIId")), ("scope", ref("Scope")),
                ("rule", string("`value 0.6`, `baseline × (1 + 0.05)` or `baseline + 0.01`.")),
                ("grain", enumeration(Grain.allCases.map(\.rawValue), nullable: true)),
                ("from", nullable(ref: "Period")), ("to", nullable(ref: "Period")), ("baseline", nullableNumber),
                ("target", nullableNumber), ("actual", nullableNumber), ("attainment", nullableNumber),
                ("status", enumeration(TargetStatus.allCases.map(\.rawValue), nullable: true)),
              ]))
          ),
        ])
      ),
      (
        "ProgramVersions",
        object([
          (
            "versions",
            array(
              object([
                ("version", integer), ("effective", ref("Date")),
                ("applied_at", string("When it was applied, ISO 8601.")), ("note", string()),
                ("objectives", integer), ("targets", integer), ("scorecards", integer),
              ]))
          )
        ])
      ),
      (
        "ProgramRequest",
        [
          "type": "object", "required": ["files"],
          "properties": [
            "files": [
              "type": "object", "minProperties": 1, "additionalProperties": ["type": "string"],
              "description":
                "Definitions files, name → YAML text, with any of the sections `kpis`, `partner_facts`, `objectives`, `kpi_settings`, `targets`, `scorecards` and `hygiene`.",
            ],
            "effective": [
              "type": "string", "pattern": .string(#"^(?!0000)\d{4}(-\d{2}-\d{2}|-(0[1-9]|1[0-2]|Q[1-4]))?$"#),
              "description": "The day it takes effect, or a period (its first day); default: today.",
            ],
            "note": ["type": ["string", "null"]],
          ],
        ]
      ),
      ("ProgramApplied", object([("version", integer), ("effective", ref("Date"))])),
      (
        "Review",
        object([
          ("id", integer), ("date", ref("Date")), ("reviewer", string()), ("partner", nullable(ref: "Id")),
          ("kpi", nullable(ref: "KPIId")), ("period", nullable(ref: "Period")), ("finding", string()),
          ("action", string()), ("shared", ["type": "boolean", "description": "Shown to the partner in its portal."]),
          ("acknowledged_by", nullable("string", "Who at the partner marked it read.")),
          ("acknowledged_at", nullable("string", "When, ISO 8601.")),
          ("replies", array(ref("ReviewReply"))),
        ])
      ),
      (
        "ReviewReply",
        object([("id", integer), ("author", string()), ("at", string("When, ISO 8601.")), ("text", string())])
      ),
      (
        "ReviewRequest",
        [
          "type": "object", "required": ["finding", "action"],
          "description": "A review of a partner, a KPI, or a partner's KPI.",
          "properties": [
            "partner": ["type": ["string", "null"], "minLength": 1, "description": "A stored partner's id."],
            "kpi": [
              "type": ["string", "null"], "pattern": "^[a-z][a-z0-9_]*$", "description": "A KPI of the catalog.",
            ],
            "period": nullable(ref: "Period"),
            "reviewer": [
              "type": ["string", "null"], "pattern": #"\S"#, "description": "Who reviewed; default: the caller's name.",
            ],
            "finding": nonBlank, "action": nonBlank,
            "date": nullable(ref: "Date", "The day of the review; default: today."),
            "shared": [
              "type": ["boolean", "null"], "description": "Share it with the partner (only a review of a partner).",
            ],
          ],
          "anyOf": [
            ["required": ["partner"], "properties": ["partner": ["type": "string"]]],
            ["required": ["kpi"], "properties": ["kpi": ["type": "string"]]],
          ],
        ]
      ),
      ("Reviews", object([("reviews", array(ref("Review")))])),
      (
        "Check",
        object([
          ("period", ref("Period")),
          (
            "findings",
            array(
              object([
                ("rule", enumeration(HygieneFinding.Rule.allCases.map(\.rawValue))),
                ("subject", string("What it is about: a scorecard, KPI, target or objective.")), ("message", string()),
                ("evidence", array(string())),
              ]))
          ),
        ])
      ),
      (
        "Imports",
        object([
          (
            "imports",
            array(
              object([
                ("id", integer), ("finished_at", string("ISO 8601.")), ("files", array(string())),
                ("rows_read", integer), ("rows_stored", integer), ("rows_rejected", integer),
              ]))
          )
        ])
      ),
      (
        "IngestResult",
        object([
          ("table", enumeration(CanonicalTable.allCases.map(\.rawValue))),
          ("received", integer.with("description", "Records in the batch.")),
          ("stored", integer.with("description", "Rows written (an unchanged record may count).")),
          (
            "alerts",
            array(ref("AlertChange")).with(
              "description", "The alerts whose state the batch changed, decided before the answer.")
          ),
          (
            "alerts_deferred",
            (["type": "boolean"] as V).with(
              "description",
              .string(
                "True when the server decides this batch's alerts after the answer, with the batches after "
                  + "it: it does so when alert work falls behind a stream of batches. The changes then reach "
                  + "the alert log and webhooks within about the time one decision takes."))
          ),
        ])
      ),
    ]
    s += incentiveSchemas
    s += insightSchemas
    s += alertSchemas
    s += lifecycleSchemas
    s += webhookSchemas
    s += accessSchemas
    for t in CanonicalTable.allCases {
      s.append((typeName(t) + "Record", record(t)))
      s.append(
        (
          typeName(t) + "Batch",
          object([
            ("records", array(ref(typeName(t) + "Record")).with("maxItems", .number(Double(RecordsBody.maxRecords))))
          ])
        ))
    }
    return s
  }

  static let nonBlank: V = ["type": "string", "pattern": #"\S"#]

  static func errorSchema(_ codes: String..., parameter: Bool, _ description: String) -> V {
    var members: [(String, V)] = [("code", enumeration(codes)), ("message", string("What is wrong, for people."))]
    if parameter { members.append(("parameter", string("The query parameter at fault."))) }
    return object(
      [("error", object(members, required: ["code", "message"]))], description: description)
  }

  /// `web_traffic` → `WebTraffic`.
  static func typeName(_ t: CanonicalTable) -> String {
    t.rawValue.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
  }
}

// MARK: - Records

extension OpenAPIDocument {
  /// What a field means and the rules that relate it to others (from the data format).
  static let fieldNotes: [String: String] = [
    "partners.type": "e.g. `reseller`, `msp`, `referral`, `system_integrator`, `distributor`.",
    "partners.region": "e.g. `emea`, `na`, `latam`, `apac`.",
    "partners.country": "ISO 3166-1 alpha-2.",
    "partners.tier": "The current tier, e.g. `platinum`, `gold`, `silver`, `registered`.",
    "partners.joined_on": "The day the partner joined the program.",
    "partners.left_on": "The day the partner left; on or after `joined_on`.",
    "partners.manager": "The channel account manager.",
    "deals.partner_id": "Must name a stored partner.",
    "deals.customer_id": "The end customer.",
    "deals.source":
      "`sourced` (the partner found it), `influenced` (helped) or `co_sell` (jointly with the vendor's sales).",
    "deals.created_on": "The day the opportunity was created.",
    "deals.registered_on": "The day the partner registered the deal.",
    "deals.registration_status": "Required when `registered_on` is given.",
    "deals.stage": "`open`, `won` or `lost`.",
    "deals.closed_on": "Required when the stage is `won` or `lost`, absent while `open`; on or after `created_on`.",
    "deals.amount": "≥ 0.",
    "leads.partner_id": "Must name a stored partner.",
    "leads.campaign_id": "The campaign that produced it; must name a stored campaign.",
    "leads.converted_on": "The day it became an opportunity; on or after `created_on`.",
    "leads.deal_id": "The opportunity it became.",
    "campaigns.partner_id": "The partner running it; must name a stored partner.",
    "campaigns.started_on": "Its whole cost counts on this day.",
    "campaigns.ended_on": "On or after `started_on`.",
    "campaigns.channel": "e.g. `email`, `event`, `web`, `paid_search`.",
    "campaigns.cost": "≥ 0, the total cost.",
    "campaigns.mdf_amount": "≥ 0 and ≤ `cost`: the part paid from the vendor's market development funds.",
    "web_traffic.partner_id": "Must name a stored partner.",
    "web_traffic.campaign_id": "Absent = not attributed (part of the key); must name a stored campaign.",
    "web_traffic.visits": "≥ 0.",
    "customers.partner_id": "The partner that acquired and serves the customer; must name a stored partner.",
    "customers.churned_on": "On or after `acquired_on`.",
    "customers.segment": "e.g. `smb`, `mid_market`, `enterprise`.",
    "surveys.partner_id": "Must name a stored partner.",
    "surveys.score": "0–10, the answer to \"how likely are you to recommend\".",
    "support_tickets.partner_id": "Must name a stored partner.",
    "support_tickets.opened_at": "It belongs to its UTC date.",
    "support_tickets.resolved_at": "Not before `opened_at`.",
    "support_tickets.satisfaction": "1–5, the customer's rating after resolution.",
    "certifications.partner_id": "Must name a stored partner.",
    "certifications.person_id": "The partner's employee.",
    "certifications.program": "e.g. `sales`, `technical`, `presales`.",
    "certifications.completed_on": "On or after `enrolled_on`; absent = not (yet) completed.",
    "market.market_revenue": "> 0, the whole market's revenue in the region and month.",
  ]

  /// Bounds of numeric fields: minimum, whether it is exclusive, maximum, and the pattern of the
  /// string form.
  static let bounds: [String: (minimum: Double, exclusive: Bool, maximum: Double?, pattern: String)] = [
    "deals.amount": (0, false, nil, #"^\d{1,15}(\.\d{1,2})?$"#),
    "campaigns.cost": (0, false, nil, #"^\d{1,15}(\.\d{1,2})?$"#),
    "campaigns.mdf_amount": (0, false, nil, #"^\d{1,15}(\.\d{1,2})?$"#),
    "market.market_revenue": (0, true, nil, #"^(?=.*[1-9])\d{1,15}(\.\d{1,2})?$"#),
    "web_traffic.visits": (0, false, nil, #"^\+?\d{1,18}$"#),
    "surveys.score": (0, false, 10, #"^\+?(0?[0-9]|10)$"#),
    "support_tickets.satisfaction": (1, false, 5, #"^\+?0?[1-5]$"#),
  ]

  /// Patterns of text fields with a format of their own.
  static let textPatterns: [String: String] = ["partners.country": "^[A-Za-z]{2}$"]

  static func idSchema(nullable: Bool) -> V {
    [
      "type": nullable ? ["string", "null"] : "string", "minLength": 1, "maxLength": 128,
      "pattern": #"^[^\u0000-\u001F\u007F-\u009F]+$"#,
      "description": "1–128 characters, no control characters; case-sensitive.",
    ]
  }

  static func slugSchema(nullable: Bool) -> V {
    [
      "type": nullable ? ["string", "null"] : "string", "pattern": "^[a-z0-9_-]+$",
      "description": "Lowercase letters, digits, `_` and `-`.",
    ]
  }

  static func dateSchema(nullable: Bool) -> V {
    [
      "type": nullable ? ["string", "null"] : "string", "format": "date", "pattern": .string(datePattern),
      "description": "A calendar date `YYYY-MM-DD`.",
    ]
  }

  /// The schema of one field, from its type in the canonical schema.
  static func field(_ table: CanonicalTable, _ column: Column) -> V {
    let key = "\(table.rawValue).\(column.name)"
    let optional = !column.required
    var schema: V
    switch column.type {
    case .id: schema = idSchema(nullable: optional)
    case .text:
      schema = ["type": optional ? ["string", "null"] : "string", "minLength": 1]
      if let pattern = textPatterns[key] { schema = schema.with("pattern", .string(pattern)) }
    case .slug:
      if let allowed = RecordValidator.vocabularies[table]?[column.name] {
        schema = enumeration(allowed, nullable: optional)
      } else {
        schema = slugSchema(nullable: optional)
      }
    case .date: schema = dateSchema(nullable: optional)
    case .datetime:
      schema = [
        "type": optional ? ["string", "null"] : "string", "format": "date-time",
        "pattern": .string(
          #"^\#(datePattern.dropFirst().dropLast())T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$"#
        ),
        "description": "ISO 8601 with an offset or `Z`, e.g. `2025-03-04T09:30:00Z`.",
      ]
    case .month:
      schema = [
        "type": optional ? ["string", "null"] : "string", "pattern": #"^(?!0000)\d{4}-(0[1-9]|1[0-2])$"#,
        "description": "A month `YYYY-MM`.",
      ]
    case .money, .int:
      let money = column.type == .money
      let b = bounds[key]
      var numeric: [(String, V)] = [("type", money ? "number" : "integer")]
      if let b { numeric.append((b.exclusive ? "exclusiveMinimum" : "minimum", .number(b.minimum))) }
      // Money: at most 15 digits before the point; integers: what a double holds exactly.
      if let max = b?.maximum {
        numeric.append(("maximum", .number(max)))
      } else if money {
        numeric.append(("exclusiveMaximum", .number(1e15)))
      } else {
        numeric.append(("maximum", .number(9_007_199_254_740_991)))
      }
      let pattern = b?.pattern ?? (money ? #"^-?\d{1,15}(\.\d{1,2})?$"# : #"^[-+]?\d{1,18}$"#)
      var alternatives: [V] = [.object(numeric), ["type": "string", "pattern": .string(pattern)]]
      if optional { alternatives.append(["type": "null"]) }
      schema = [
        "oneOf": .array(alternatives),
        "description": .string(
          money
            ? "An amount with at most 2 decimals and 15 digits before the point, as a JSON number or a string (`.` as separator, no currency sign or thousands separator). A number is read in its shortest form, so `1e-7` or `0.30000000000000004` are rejected."
            : "A whole number, as a JSON number or a string."),
      ]
    }
    // An empty string is absent, like null, in an optional field.
    if optional, column.type != .money, column.type != .int {
      let description = schema["description"]
      schema = ["anyOf": [schema.without("description"), ["const": ""]]]
      if let description { schema = schema.with("description", description) }
    } else if optional {
      if case .array(var alternatives)? = schema["oneOf"] {
        alternatives.append(["const": ""])
        schema = schema.with("oneOf", .array(alternatives))
      }
    }
    if let note = fieldNotes[key] {
      schema = schema.with(
        "description", .string((schema["description"].flatMap(\.stringValue).map { $0 + " " } ?? "") + note))
    }
    return schema
  }

  /// The schema of a record of a canonical table.
  static func record(_ t: CanonicalTable) -> V {
    let schema = t.schema
    var pairs: [(String, V)] = [
      ("type", "object"),
      (
        "description",
        .string(
          "A row of `\(t.fileName)` (key: \(schema.key.joined(separator: ", "))). Absent fields may be left out or null."
        )
      ),
      ("required", .strings(schema.columns.filter(\.required).map(\.name))),
      ("properties", .object(schema.columns.map { ($0.name, field(t, $0)) })),
      ("additionalProperties", false),
    ]
    if t == .deals {
      pairs.append(
        (
          "allOf",
          [
            [
              "if": ["required": ["stage"], "properties": ["stage": ["enum": ["won", "lost"]]]],
              "then": ["required": ["closed_on"], "properties": ["closed_on": ["type": "string"]]],
            ],
            [
              "if": ["required": ["stage"], "properties": ["stage": ["const": "open"]]],
              "then": ["properties": ["closed_on": ["type": "null"]]],
            ],
            [
              "if": ["required": ["registered_on"], "properties": ["registered_on": ["type": "string"]]],
              "then": ["required": ["registration_status"], "properties": ["registration_status": ["type": "string"]]],
            ],
          ]
        ))
    }
    return .object(pairs)
  }
}

extension OpenAPIValue {
  /// The value with an object member set (added, or replaced where it is).
  /// The object without a member.
  func without(_ key: String) -> OpenAPIValue {
    guard case .object(let pairs) = self else { return self }
    return .object(pairs.filter { $0.0 != key })
  }

  func with(_ key: String, _ value: OpenAPIValue) -> OpenAPIValue {
    guard case .object(var pairs) = self else { return self }
    if let i = pairs.firstIndex(where: { $0.0 == key }) {
      pairs[i].1 = value
    } else {
      pairs.append((key, value))
    }
    return .object(pairs)
  }

  subscript(key: String) -> OpenAPIValue? {
    guard case .object(let pairs) = self else { return nil }
    return pairs.first { $0.0 == key }?.1
  }

  var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }
}

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
