import ChannelKPI

// MARK: - Incentives: paths

/// Tiers, incentive statements and their approvals, MDF funds and what-if runs
/// (`APIController+Incentives.swift`).
extension OpenAPIDocument {
  static var incentivePaths: [(String, V)] {
    [
      ("/api/v1/tiers", ["get": tierDistribution]),
      ("/api/v1/tiers/history", ["get": tierHistory]),
      ("/api/v1/partners/{id}/tier", ["get": partnerTier]),
      ("/api/v1/statements", ["get": statementList]),
      ("/api/v1/statements/approve", ["post": approveStatements]),
      ("/api/v1/statements/approved", ["get": approvedStatements]),
      ("/api/v1/statements/approvals/{id}/revoke", ["post": revokeApproval]),
      ("/api/v1/mdf", ["get": mdfFunds]),
      ("/api/v1/whatif", ["post": whatIf]),
    ]
  }

  static let incentivesDescription = """
    A partner's tier and its payouts follow from its KPIs, under the ladder (`tiers:`) and the \
    incentive plans (`incentives:`) of the versioned definitions. Statements are computed until \
    they are approved; an approved statement never changes, and later changes of facts or \
    definitions show as adjustment lines. Money is exact: JSON numbers with at most 2 decimals \
    (trailing zeros are not written: `2396.1` is 2,396.10), and CSV amounts with 2 decimals.
    """

  // MARK: Shared parameters and answers

  static let moneyNote = """
    Money is exact: JSON numbers with at most 2 decimals (trailing zeros are not written: `2396.1` \
    is 2,396.10); rates and bases are exact decimals with at most 6 places.
    """

  static func partnerFilter(_ what: String, examples: [(String, V)]) -> V {
    query("partner", "Only \(what) of this partner (a stored partner's id).", ref("Id"), examples: examples)
  }

  static func rangeStart(examples: [(String, V)]) -> V {
    query(
      "from", "The first period (any grain: its first month counts); default: the start of the data.", ref("Period"),
      examples: examples)
  }

  static func rangeEnd(examples: [(String, V)]) -> V {
    query(
      "to",
      "The last period (any grain: its last month counts); default: today's month, or the data's last month when it is later.",
      ref("Period"),
      examples: examples)
  }

  static let csvFormat = query(
    "format", "`csv` answers CSV, like `Accept: text/csv`.", enumeration(["json", "csv"]).with("default", "json"),
    examples: [("csv", "csv")])

  /// A 200 answer in JSON, or in CSV with `format=csv` or `Accept: text/csv`.
  static func jsonOrCSV(
    _ description: String, _ schema: V, _ examples: [(String, V)], header: String, csvSummary: String, csv: String
  ) -> (String, V) {
    (
      "200",
      [
        "description": .string(description),
        "content": [
          "application/json": ["schema": schema, "examples": .object(examples)],
          "text/csv": [
            "schema": ["type": "string", "description": .string(header)],
            "examples": ["csv": example(csvSummary, .string(csv))],
          ],
        ],
      ]
    )
  }

  static let unknownPartnerFilter: (String, V) = notFound(
    "`partner` names no stored partner.",
    [
      (
        "unknown_partner",
        example("No such partner", json: #"{"error":{"code":"not_found","message":"no partner 'P9999'"}}"#)
      )
    ])

  /// The 400 of `from` and `to`.
  static let badRange: (String, V) = badRequest(
    "`from` or `to` is not a period (`parameter` names it), or `from` is after `to`.",
    [
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
        "empty_range",
        example(
          "from after to",
          json: #"""
            {"error":{"code":"bad_request","message":"the range is empty: it starts in 2025-10 and ends in 2025-03",
            "parameter":"to"}}
            """#)
      ),
    ])

  static let noLadderExample: (String, V) = (
    "no_ladder",
    example(
      "Definitions without a tiers: section",
      json: #"""
        {"error":{"code":"conflict","message":"the definitions have no ladder: apply definitions with a tiers: section"}}
        """#)
  )

  static let noDataExample: (String, V) = (
    "no_data",
    example("An empty database", json: #"{"error":{"code":"conflict","message":"no data has been imported yet"}}"#)
  )

  static let invalidJSONExample: (String, V) = (
    "invalid_json",
    example(
      "A truncated body",
      json: #"{"error":{"code":"bad_request","message":"the body is not valid JSON: "#
        + #"it ends before the JSON is complete at line 1, column 13"}}"#)
  )

  // MARK: Tiers

  static var tierDistribution: V {
    operation(
      "getTiers", tag: "Incentives", summary: "Tier ladder and distribution",
      description: """
        The tier ladder of the latest definitions, and the result of one evaluation: how many partners \
        hold each level after it (highest level first), the partners it promoted or demoted (`moved`), \
        and those at risk (`at_risk`: below their level, but keeping it until `demotion_grace` \
        evaluations in a row have missed it).

        Partners in the program are evaluated at the end of every period of the ladder's grain \
        (`evaluate`) that has ended by the server's today, on the ladder's KPIs over the last `window` \
        periods. A partner qualifies for a level when it meets every requirement of that level; one \
        that qualifies higher than its level is promoted at once, one that qualifies lower is demoted \
        after `demotion_grace` misses in a row, straight to the level it qualifies for. The level that \
        results holds from the day after the evaluated period.
        """,
      parameters: [
        query(
          "period",
          "The evaluated period, of the ladder's grain (a quarter for `evaluate: quarter`); default: the latest evaluated period.",
          ref("Period"), examples: [("q4", "2025-Q4"), ("bad_period", "2025-Q5"), ("wrong_grain", "2025-03")])
      ],
      responses: [
        (
          "200",
          json(
            "The ladder and the evaluation. A period without evaluations has counts of 0; `period` is left out when nothing has been evaluated yet.",
            ref("Tiers"),
            [("q4", example("The evaluation of 2025-Q4 (one partner of each list)", json: OpenAPIExamples.tiers))])
        ),
        badRequest(
          "`period` is not a period, or not of the ladder's grain; `parameter` names it.",
          [
            badPeriodExample(),
            (
              "wrong_grain",
              example(
                "A month under a quarterly ladder",
                json: #"""
                  {"error":{"code":"bad_request","message":"the ladder is evaluated by quarter; '2025-03' is a month",
                  "parameter":"period"}}
                  """#)
            ),
          ]),
        conflict("The definitions have no ladder.", [noLadderExample]),
      ])
  }

  static var tierHistory: V {
    operation(
      "getTierHistory", tag: "Incentives", summary: "Tier evaluations",
      description: """
        Every tier evaluation of the periods that lie within `from`…`to`, of every partner or of one, by \
        partner then period: the level held before it, the highest level qualified for, the level that \
        results, the change (`promoted`, `demoted`, `held` or `at_risk`), the misses in a row, and the \
        requirements not met of every level above the qualified one, each with the KPI's value over the \
        window and the shortfall. With `Accept: text/csv` or `format=csv` the answer is CSV.
        """,
      parameters: [
        partnerFilter(
          "the evaluations", examples: [("p0007", "P0007"), ("csv", "P0007"), ("unknown_partner", "P9999")]),
        rangeStart(examples: [
          ("p0007", "2025-Q3"), ("csv", "2025-Q3"), ("bad_period", "2025-Q5"), ("empty_range", "2025-Q4"),
        ]),
        rangeEnd(examples: [("empty_range", "2025-Q1")]),
        csvFormat,
      ],
      responses: [
        jsonOrCSV(
          "The evaluations.", ref("TierHistory"),
          [
            (
              "p0007",
              example(
                "P0007's evaluations since 2025-Q3 (one failing requirement each)", json: OpenAPIExamples.tierHistory)
            )
          ],
          header: "`partner,period,held,qualified,level,change,misses`, one row per evaluation.",
          csvSummary: "P0007's evaluations since 2025-Q3", csv: OpenAPIExamples.tierHistoryCSV),
        badRange,
        unknownPartnerFilter,
        conflict(
          "The definitions have no ladder, or (without `from`) no data has been imported yet.",
          [noLadderExample, noDataExample]),
      ])
  }

  static var partnerTier: V {
    operation(
      "getPartnerTier", tag: "Incentives", summary: "A partner's tier",
      description: """
        The level the partner holds today (from its latest evaluation of an ended period, or a manager's \
        override), the benefits of that level, every evaluation of the partner, and the gap to the next \
        level: for each requirement of the level above, the KPI's value over the latest evaluated window, \
        the requirement and the shortfall (how much more, or for a `max` how much less, is needed; 0 \
        when met). `level` is left out for a partner outside the ladder's `applies_to`, and `gap` at the \
        top level.
        """,
      parameters: [partnerId],
      responses: [
        (
          "200",
          json(
            "The partner's tier.", ref("PartnerTier"),
            [("found", example("P0007, silver (its latest evaluation only)", json: OpenAPIExamples.partnerTier))])
        ),
        unknownPartner,
        conflict("The definitions have no ladder.", [noLadderExample]),
      ])
  }
}
