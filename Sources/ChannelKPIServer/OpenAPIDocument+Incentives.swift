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
    example("A truncated body", json: #"{"error":{"code":"bad_request","message":"the body is not valid JSON"}}"#)
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
            (
              "bad_period",
              example(
                "A quarter that does not exist",
                json: #"""
                  {"error":{"code":"bad_request","message":"'2025-Q5' is not a period: write 2025-03, 2025-Q1 or 2025",
                  "parameter":"period"}}
                  """#)
            ),
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

  // MARK: Statements

  static var statementList: V {
    operation(
      "listStatements", tag: "Incentives", summary: "Incentive statements",
      description: """
        The incentive statements of the periods that lie within `from`…`to`, of every partner or of one: \
        one per partner, period and plan grain (a monthly spiff and quarterly plans give monthly and \
        quarterly statements), for the periods in which the partner was in the program, by partner and \
        then by period (by first month, the shorter first). Each has a line \
        per payout (a rebate bracket, a KPI of an attainment bonus, a qualifying deal of a spiff, a spiff \
        `cap`), and a total that is the sum of its lines, each rounded once to cents. `totals_by_plan` \
        sums the lines of the statements by plan. Lines of 0 are left out; MDF plans pay nothing out \
        (see `GET /api/v1/mdf`).

        Statements are computed from the facts and definitions as they are now, and settled against the \
        approvals: an approved statement shows its approved lines and its `approval`. When facts or \
        definitions change after an approval, the difference from what was approved for that period \
        appears as an `adjustment PERIOD` line (with `corrects`), one per plan and corrected period, on \
        the partner's next statement of the same grain that is not approved. A negative total is carried \
        to the next statement (`carried forward` and `carried from PERIOD` lines, with an empty \
        `plan`), never paid. Statements of a period under way are estimates (`estimate: true`) and \
        cannot be approved.

        \(moneyNote) With `Accept: text/csv` or `format=csv` the answer is CSV, one row per line.
        """,
      parameters: [
        partnerFilter(
          "the statements", examples: [("p0007", "P0007"), ("csv", "P0007"), ("unknown_partner", "P9999")]),
        rangeStart(examples: [
          ("p0007", "2025-Q4"), ("csv", "2025-Q4"), ("bad_period", "2025-Q5"), ("empty_range", "2025-Q4"),
        ]),
        rangeEnd(examples: [("p0007", "2025-Q4"), ("csv", "2025-Q4"), ("empty_range", "2025-Q1")]),
        csvFormat,
      ],
      responses: [
        jsonOrCSV(
          "The statements.", ref("Statements"),
          [
            ("p0007", example("P0007's statements of 2025-Q4", json: OpenAPIExamples.statements)),
            (
              "adjusted",
              example(
                "After P0007's statements of 2025-11 and 2025-Q4 were approved, a won deal of 2025-11 was added",
                json: OpenAPIExamples.adjustedStatements)
            ),
          ],
          header:
            "`partner,period,plan,kind,line,basis,rate,amount`, one row per line; amounts with 2 decimals, no basis or rate is an empty field.",
          csvSummary: "P0007's statements of 2025-Q4", csv: OpenAPIExamples.statementsCSV),
        badRange,
        unknownPartnerFilter,
        conflict("Without `from`, no data has been imported yet.", [noDataExample]),
      ])
  }

  static var approveStatements: V {
    operation(
      "approveStatements", tag: "Incentives", summary: "Approve statements",
      description: """
        Approves the statements of a period as they stand now, in the name of `by`: the statement of one \
        partner (`partner`), or every statement of the period that has lines and is not approved yet \
        (a whole period at once). Only periods that have ended (by the server's today) can be approved; \
        a period under way answers 422. The approvals are stored all or none, in one transaction, with \
        the time they were made. An approved statement never changes: later changes of facts or \
        definitions show as adjustment lines on the next statement, and a wrong approval is revoked \
        (`POST /api/v1/statements/approvals/{id}/revoke`), never edited.

        With `partner`, a statement that is already approved answers 409. Without it, statements \
        already approved are left as they are and the answer lists only the new approvals (none when \
        every statement was approved: `{"approvals":[]}`). Statements without lines are not approved.
        """,
      body: body(
        "What to approve, and who approves it.", ref("ApprovalRequest"),
        [
          (
            "approved",
            example(
              "P0007's statement of 2025-Q4",
              json: #"{"period":"2025-Q4","partner":"P0007","by":"Dana Reyes"}"#)
          ),
          (
            "approved_twice",
            example(
              "P0007's statement of 2025-Q4 again",
              json: #"{"period":"2025-Q4","partner":"P0007","by":"Dana Reyes"}"#)
          ),
          (
            "not_ended",
            example("A quarter under way", json: #"{"period":"2026-Q1","by":"Dana Reyes"}"#)
          ),
          (
            "rejected",
            example(
              "No approver, a bad period and an unknown partner",
              json: #"{"period":"2025-Q5","partner":"P9999"}"#)
          ),
          ("whole_period", example("Every statement of 2025-Q4", json: #"{"period":"2025-Q4","by":"Dana Reyes"}"#)),
        ]),
      responses: [
        (
          "201",
          json(
            "The approvals made, oldest first.", ref("Approvals"),
            [
              ("approved", example("One approval", json: OpenAPIExamples.approval)),
              (
                "whole_period",
                example("The other statements of 2025-Q4 (two of them)", json: OpenAPIExamples.wholePeriod)
              ),
            ])
        ),
        invalidJSON,
        conflict(
          "The partner's statement of the period is already approved.",
          [
            (
              "approved_twice",
              example(
                "P0007's statement of 2025-Q4 again",
                json: #"""
                  {"error":{"code":"conflict",
                  "message":"the statement of P0007 for 2025-Q4 is already approved; an approved statement never changes (an admin can revoke a wrong approval)"}}
                  """#)
            )
          ]),
        unsupportedMediaType,
        unprocessable(
          "The body is incomplete, names what does not exist, or the period has not ended. Nothing was approved.",
          [
            (
              "not_ended",
              example(
                "A quarter under way",
                json: #"""
                  {"errors":[{"path":"/period",
                  "message":"2026-Q1 has not ended: its statements are estimates and cannot be approved"}]}
                  """#)
            ),
            (
              "rejected",
              example(
                "No approver, a bad period and an unknown partner",
                json: #"""
                  {"errors":[{"path":"/by","message":"is required"},
                  {"path":"/period","message":"'2025-Q5' is not a period: write 2025-03, 2025-Q1 or 2025"},
                  {"path":"/partner","message":"no partner 'P9999'"}]}
                  """#)
            ),
          ]),
      ])
  }

  static var approvedStatements: V {
    operation(
      "listApprovals", tag: "Incentives", summary: "Approved statements",
      description: """
        The approvals in force, oldest first; with `revoked=true`, the revoked ones too, with who revoked \
        them, when and why. With `Accept: text/csv` or `format=csv`, the export for finance: one row per \
        approval and plan, the plan's approved lines summed (adjustments included), amounts with 2 \
        decimals. \(moneyNote)
        """,
      parameters: [
        query(
          "revoked", "`true` lists revoked approvals too.", enumeration(["true", "false"]).with("default", "false"),
          examples: [("with_revoked", "true")]),
        csvFormat,
      ],
      responses: [
        jsonOrCSV(
          "The approvals.", ref("Approvals"),
          [
            (
              "with_revoked",
              example("A revoked approval and one in force", json: OpenAPIExamples.approvals)
            )
          ],
          header: "`partner,period,plan,amount,approved_by,approved_at`, one row per approval and plan.",
          csvSummary: "Two approvals", csv: OpenAPIExamples.approvalsCSV)
      ])
  }

  static var revokeApproval: V {
    operation(
      "revokeApproval", tag: "Incentives", summary: "Revoke an approval",
      description: """
        Undoes a wrong approval, in the name of an admin (`by`) with a reason: the approval is marked \
        revoked with who, when and why, and stays on record (`GET /api/v1/statements/approved?revoked=true`); \
        it is never edited. The statement is computed again from then on, and can be approved anew. \
        Answers the revoked approval.
        """,
      parameters: [
        pathParameter(
          "id", "The approval's id (see `GET /api/v1/statements/approved`).",
          ["type": "integer", "minimum": 1, "examples": [1]],
          examples: [("unknown_approval", 9999), ("bad_id", "first")])
      ],
      body: body(
        "Who revokes it, and why.", ref("RevokeRequest"),
        [
          (
            "revoked",
            example(
              "Approval 1",
              json: #"{"by":"Sam Admin","reason":"approved before the December deals were booked"}"#)
          ),
          (
            "revoked_twice",
            example(
              "Approval 1 again",
              json: #"{"by":"Sam Admin","reason":"approved before the December deals were booked"}"#)
          ),
          ("unknown_approval", example("No such approval", json: #"{"by":"Sam Admin","reason":"typo"}"#)),
          ("bad_id", example("An id that is not a number", json: #"{"by":"Sam Admin","reason":"typo"}"#)),
          ("missing_reason", example("No reason", json: #"{"by":"Sam Admin"}"#)),
        ]),
      responses: [
        (
          "200",
          json(
            "The approval was revoked.", ref("Approval"),
            [("revoked", example("Approval 1, revoked", json: OpenAPIExamples.revoked))])
        ),
        badRequest(
          "The id is not a whole number (`parameter` is `id`), or the body is not valid JSON.",
          [
            (
              "bad_id",
              example(
                "An id that is not a number",
                json: #"""
                  {"error":{"code":"bad_request","message":"the approval id is a whole number","parameter":"id"}}
                  """#)
            ),
            invalidJSONExample,
          ]),
        notFound(
          "No approval has this id.",
          [
            (
              "unknown_approval",
              example(
                "No such approval", json: #"{"error":{"code":"not_found","message":"there is no approval 9999"}}"#)
            )
          ]),
        conflict(
          "The approval is already revoked.",
          [
            (
              "revoked_twice",
              example(
                "Approval 1 again",
                json: #"{"error":{"code":"conflict","message":"approval 1 is already revoked"}}"#)
            )
          ]),
        unsupportedMediaType,
        unprocessable(
          "`by` or `reason` is missing or blank. Nothing was changed.",
          [
            (
              "missing_reason",
              example(
                "No reason",
                json: #"{"errors":[{"path":"/reason","message":"is required"}]}"#)
            )
          ]),
      ])
  }

  // MARK: MDF and what-if

  static var mdfFunds: V {
    operation(
      "listMDFFunds", tag: "Incentives", summary: "Market development funds",
      description: """
        The fund statements of the mdf plans for the periods that lie within `from`…`to`, of every \
        partner or of one, one per plan, partner and period: the opening balance; `accrued`, the \
        accrual `rate` × `basis` (the plan's basis KPI) credited at the period's end (`rate` and `basis` \
        are left out when the plan did not apply to the partner in the period); `claimed`, the funded \
        part of the claims (the `mdf_amount` of the partner's campaigns started in the period, drawn \
        from the oldest unexpired credits, never from the period's own accrual); `unfunded`, the part of \
        the claims above the balance; `expired`, credits unused `expires_after` periods after they were \
        made; and the closing balance, never negative. `campaign_revenue` is the revenue counted in the \
        period for the partner's campaigns with MDF, and `mdf_return` that revenue ÷ the funded claims \
        (left out when nothing was funded). \(moneyNote) With `Accept: text/csv` or `format=csv` the \
        answer is CSV.
        """,
      parameters: [
        partnerFilter("the funds", examples: [("p0072", "P0072"), ("csv", "P0007"), ("unknown_partner", "P9999")]),
        rangeStart(examples: [("p0072", "2025-Q3"), ("csv", "2025-Q3"), ("bad_period", "2025-Q5")]),
        rangeEnd(examples: []),
        csvFormat,
      ],
      responses: [
        jsonOrCSV(
          "The fund statements.", ref("MDFFunds"),
          [
            (
              "p0072",
              example("P0072's fund since 2025-Q3: a claim partly unfunded, then an accrual", json: OpenAPIExamples.mdf)
            )
          ],
          header:
            "`plan,partner,period,opening,accrued,claimed,unfunded,expired,closing`, one row per fund statement; amounts with 2 decimals.",
          csvSummary: "P0007's fund since 2025-Q3", csv: OpenAPIExamples.mdfCSV),
        badRequest(
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
            )
          ]),
        unknownPartnerFilter,
        conflict("Without `from`, no data has been imported yet.", [noDataExample]),
      ])
  }

  static var whatIf: V {
    operation(
      "runWhatIf", tag: "Incentives", summary: "What-if of draft definitions",
      description: """
        Runs draft definitions files, which are not applied, over past periods against the stored facts, \
        and stores nothing. A draft may have the sections \
        \(WhatIf.replaceable.sorted().map { "`\($0)`" }.joined(separator: ", ")); each replaces the same \
        section of every version of the definitions, and the sections it does not have stay as they are \
        (tier-dependent plans follow the draft's tiers). For the periods within `from`…`to` (default: the \
        data's months), the answer gives how many partners hold each level under the current definitions \
        and under the draft, the partners whose level would differ and why, and the total payout of each \
        plan under both (recomputed amounts), the difference (draft − current) and, beside them, the \
        amount approved when there is one. \(moneyNote)

        Problems in the files answer 422 at `file:line:column`, as `POST /api/v1/program` does; a section \
        that a draft cannot replace (such as `kpis`) answers 422 at `/files`.
        """,
      body: body(
        "The draft files and the range.", ref("WhatIfRequest"),
        [
          (
            "draft_ladder",
            example("A ladder with lower gold and platinum bars, over 2025-Q4", json: OpenAPIExamples.whatIfRequest)
          ),
          (
            "invalid_yaml",
            example(
              "A key indented one space too little",
              json: #"""
                {"files":{"tiers.yaml":"tiers:\n  evaluate: quarter\n  window: 4\n levels:\n    - id: registered\n"}}
                """#)
          ),
          (
            "invalid_definitions",
            example(
              "A grace of 0 and a misspelt KPI",
              json: #"""
                {"files":{"tiers.yaml":"tiers:\n  evaluate: quarter\n  window: 4\n  demotion_grace: 0\n  levels:\n    - id: registered\n    - id: silver\n      requires:\n        - {kpi: revnue, min: 200000}\n"}}
                """#)
          ),
          (
            "not_a_draft",
            example(
              "A section that must be applied",
              json: #"{"files":{"kpis.yaml":"kpis: []\n"}}"#)
          ),
          ("missing_files", example("No files", json: #"{"from":"2025-Q1","to":"2025-Q4"}"#)),
          (
            "bad_period",
            example(
              "A quarter that does not exist",
              json: #"""
                {"files":{"tiers.yaml":"tiers:\n  evaluate: quarter\n  window: 4\n  levels:\n    - id: registered\n"},
                "from":"2025-Q5"}
                """#)
          ),
        ]),
      responses: [
        (
          "200",
          json(
            "The comparison.", ref("WhatIf"),
            [
              (
                "draft_ladder",
                example("2025-Q4 under the draft ladder (two of the moves)", json: OpenAPIExamples.whatIf)
              )
            ])
        ),
        invalidJSON,
        conflict("No data has been imported yet.", [noDataExample]),
        unsupportedMediaType,
        unprocessable(
          "The body or the draft files are wrong: problems in files are at `file:line:column`. Nothing was run.",
          [
            (
              "invalid_yaml",
              example(
                "A key indented one space too little",
                json: #"""
                  {"errors":[{"path":"tiers.yaml:4:2",
                  "message":"not valid YAML: did not find expected key (while parsing a block mapping)"}]}
                  """#)
            ),
            (
              "invalid_definitions",
              example(
                "A grace of 0 and a misspelt KPI",
                json: #"""
                  {"errors":[{"path":"tiers.yaml:4:19",
                  "message":"'demotion_grace' must be at least 1 (1 demotes at the first miss); 0 is not allowed"},
                  {"path":"tiers.yaml:9:17","message":"unknown KPI 'revnue'; did you mean 'revenue'?"}]}
                  """#)
            ),
            (
              "not_a_draft",
              example(
                "A section that must be applied",
                json: #"""
                  {"errors":[{"path":"/files",
                  "message":"a draft replaces hygiene, incentives, kpi_settings, objectives, scorecards, targets, tiers; kpis must be applied"}]}
                  """#)
            ),
            (
              "missing_files",
              example(
                "No files",
                json: #"{"errors":[{"path":"/files","message":"must be an object of file names to YAML texts"}]}"#)
            ),
            (
              "bad_period",
              example(
                "A quarter that does not exist",
                json: #"""
                  {"errors":[{"path":"/from","message":"'2025-Q5' is not a period: write 2025-03, 2025-Q1 or 2025"}]}
                  """#)
            ),
          ]),
      ])
  }
}

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
          "type": "object", "required": ["period", "by"],
          "properties": [
            "period": ref("Period").with("description", "An ended period of the statements' grain."),
            "partner": ["type": ["string", "null"], "minLength": 1, "description": "Only this partner's statement."],
            "by": nonBlank.with("description", "Who approves."),
          ],
        ]
      ),
      (
        "RevokeRequest",
        [
          "type": "object", "required": ["by", "reason"],
          "properties": ["by": nonBlank.with("description", "The admin who revokes it."), "reason": nonBlank],
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
