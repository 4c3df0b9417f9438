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
