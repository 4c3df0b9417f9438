import ChannelKPI

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
