import ChannelKPI

// MARK: - Incentives: statements, MDF and what-if

extension OpenAPIDocument {
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
              "A bad period and an unknown partner",
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
                "A bad period and an unknown partner",
                json: #"""
                  {"errors":[{"path":"/period","message":"'2025-Q5' is not a period: write 2025-03, 2025-Q1 or 2025"},
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
          csvSummary: "Two approvals", csv: OpenAPIExamples.approvalsCSV),
        badRequest("`revoked` is not `true` or `false`, or `format` not `json` or `csv`.", []),
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
