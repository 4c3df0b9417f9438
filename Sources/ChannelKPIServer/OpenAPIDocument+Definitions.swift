import ChannelKPI

// MARK: - Operations: definitions, reviews and the hygiene check

extension OpenAPIDocument {
  static var objectives: V {
    inForce(
      "listObjectives", summary: "Objectives",
      description: "The objectives of the definitions in force in the period, and whether each is active in it.",
      reading: "whose definitions to read", schema: "Objectives",
      example: ("Two of the demo's objectives", OpenAPIExamples.objectives))
  }

  static var targets: V {
    inForce(
      "listTargets", summary: "Targets",
      description: """
        The targets of the definitions in force that apply to the period, each with the baseline, target, \
        actual value, attainment and status of the scope it names.
        """,
      reading: "whose targets to read", schema: "Targets",
      example: ("Two of the demo's targets", OpenAPIExamples.targets))
  }

  /// A list from the definitions in force in a period (latest with data when none is given).
  private static func inForce(
    _ id: String, summary: String, description: String, reading: String, schema: String,
    example shown: (title: String, json: String)
  ) -> V {
    operation(
      id, tag: "Definitions", summary: summary, description: description,
      parameters: [latestPeriod(reading)],
      responses: [
        ("200", json("The \(summary.lowercased()).", ref(schema), [("q4", example(shown.title, json: shown.json))])),
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
}
