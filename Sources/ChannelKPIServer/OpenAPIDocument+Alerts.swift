import ChannelKPI

// MARK: - Alerts: states of the definitions' alert rules, their history, acknowledgements

extension OpenAPIDocument {
  static var alertPaths: [(String, V)] {
    [
      ("/api/v1/alerts", ["get": listAlerts]),
      ("/api/v1/alerts/{id}", ["get": getAlert]),
      ("/api/v1/alerts/{id}/acknowledge", ["post": acknowledgeAlert]),
    ] + alertPages
  }

  /// The dashboard's alert pages and the acknowledgement form.
  static var alertPages: [(String, V)] {
    let html: V = ["text/html": ["schema": ["type": "string"]]]
    func answer(_ description: String) -> V { ["description": .string(description), "content": html] }
    return [
      (
        "/alerts",
        [
          "get": operation(
            "dashboardAlerts", tag: "Dashboard", summary: "Alerts",
            description: "The alerts that are not ok (or of one state), most severe first, each linked to its page.",
            parameters: [
              query("state", "Only alerts in this state.", enumeration(AlertState.allCases.map(\.rawValue)))
            ],
            responses: [("200", answer("The page.")), ("400", answer("A state that is none: a page that says so."))])
        ]
      ),
      (
        "/alerts/{id}",
        [
          "get": operation(
            "dashboardAlert", tag: "Dashboard", summary: "An alert",
            description: "An alert's state, its history, and for admins and managers the form that acknowledges it.",
            parameters: [alertId(withExamples: false)],
            responses: [("200", answer("The page.")), ("404", answer("No alert the viewer may see has this id."))])
        ]
      ),
      (
        "/alerts/{id}/acknowledge",
        [
          "post": operation(
            "dashboardAcknowledgeAlert", tag: "Dashboard", summary: "Acknowledge an alert (form)",
            description: "The alert page's form (`note`); answers with a 303 back to the alert's page.",
            parameters: [alertId(withExamples: false)],
            responses: [
              ("303", ["description": "Redirects (303) to the alert's page."]),
              ("400", answer("No note, or the alert is not firing.")),
              ("404", answer("No alert the viewer may see has this id.")),
            ])
        ]
      ),
    ]
  }

  /// The `{id}` of an alert; pages have no examples of their errors (they answer HTML).
  static func alertId(withExamples: Bool = true) -> V {
    pathParameter(
      "id", "The alert's id (see `GET /api/v1/alerts`).", ["type": "integer", "minimum": 1, "examples": [1]],
      examples: withExamples ? [("unknown_alert", 999_999), ("bad_id", "first")] : [])
  }

  static let unknownAlertExample: (String, V) = (
    "unknown_alert", example("No such alert", json: #"{"error":{"code":"not_found","message":"no alert 999999"}}"#)
  )

  static let badAlertIdExample: (String, V) = (
    "bad_id",
    example(
      "An id that is not a number",
      json: #"{"error":{"code":"bad_request","message":"the alert id is a whole number","parameter":"id"}}"#)
  )

  static var listAlerts: V {
    operation(
      "listAlerts", tag: "Alerts", summary: "Alerts",
      description: """
        The (rule, scope) pairs of the definitions' `alerts:` rules that are, or were, not ok: the \
        state (`pending` while the condition has held for fewer periods than the rule's `for`, \
        `firing`, `resolved` once it has not held for `resolve_after` periods; a scope never stored \
        is ok), the period the state began in, the last period judged with the KPI's value, the limit \
        it was held against and the verdict in words, and who acknowledged it. Most severe first, \
        then the most recent change. Rules are evaluated after every import, batch of facts and \
        definitions change (the scopes a batch touched), and every few minutes for periods that end \
        with no new facts; only periods that have ended are judged. A manager sees the alerts of \
        their partners (and of groups made only of them).
        """,
      parameters: [
        query(
          "state", "Only alerts in this state.", enumeration(AlertState.allCases.map(\.rawValue)),
          examples: [("firing", "firing"), ("bad_state", "burning")])
      ],
      responses: [
        (
          "200",
          json(
            "The alerts.", ref("Alerts"),
            [("firing", example("Firing alerts of the demo program", json: OpenAPIExamples.alerts))])
        ),
        badRequest(
          "`state` is not a state.",
          [
            (
              "bad_state",
              example(
                "Not a state",
                json: #"""
                  {"error":{"code":"bad_request","message":"'burning' is not a state: ok, pending, firing or resolved",
                  "parameter":"state"}}
                  """#)
            )
          ]),
      ])
  }

  static var getAlert: V {
    operation(
      "getAlert", tag: "Alerts", summary: "An alert and its history",
      description: "The alert and every change of its state, oldest first, with the period, value and limit of each.",
      parameters: [alertId()],
      responses: [
        ("200", json("The alert and its changes.", ref("AlertWithHistory"))),
        badRequest("The id is not a whole number (`parameter` is `id`).", [badAlertIdExample]),
        notFound("No alert the caller may see has this id.", [unknownAlertExample]),
      ])
  }

  static var acknowledgeAlert: V {
    operation(
      "acknowledgeAlert", tag: "Alerts", summary: "Acknowledge a firing alert",
      description: """
        Acknowledges a firing alert in the caller's name with a note saying what is being done. The \
        same step records a review of the alert's partner (for a partner scope), KPI and period, the \
        trail the hygiene check's "ignored results" rule reads. An alert that fires again after it \
        resolved needs a new acknowledgement. Answers the alert and the review's id.
        """,
      parameters: [alertId()],
      body: body(
        "What is being done about it.", ref("AcknowledgeRequest"),
        [
          ("acknowledged", example("Alert 1", json: #"{"note":"Called the partner; pipeline review on Friday"}"#)),
          ("unknown_alert", example("No such alert", json: #"{"note":"typo"}"#)),
          ("bad_id", example("An id that is not a number", json: #"{"note":"typo"}"#)),
          ("missing_note", example("No note", json: #"{}"#)),
        ]),
      responses: [
        (
          "200",
          json(
            "The alert was acknowledged and the review recorded.", ref("AcknowledgedAlert"),
            [("acknowledged", example("Alert 1, acknowledged", json: OpenAPIExamples.acknowledgedAlert))])
        ),
        badRequest(
          "The id is not a whole number (`parameter` is `id`), or the body is not valid JSON.",
          [badAlertIdExample, invalidJSONExample]),
        notFound("No alert the caller may see has this id.", [unknownAlertExample]),
        conflict(
          "The alert is not firing (`alert 35 is pending, not firing: only a firing alert is acknowledged`).", []),
        unsupportedMediaType,
        unprocessable(
          "`note` is missing or blank. Nothing was changed.",
          [("missing_note", example("No note", json: #"{"errors":[{"path":"/note","message":"is required"}]}"#))]),
      ])
  }

  static var alertSchemas: [(String, V)] {
    let state = enumeration(AlertState.allCases.map(\.rawValue))
    let number: V = ["type": "number"]
    return [
      (
        "Alert",
        object(
          [
            ("id", integer), ("rule", string("The rule's id in the definitions.")), ("scope", ref("Scope")),
            ("state", state), ("severity", enumeration(AlertSeverity.allCases.map(\.rawValue))),
            ("since", ref("Period").with("description", "The period the state began in.")),
            ("period", ref("Period").with("description", "The last period judged.")),
            ("value", number.with("description", "The KPI's value there; left out without one.")),
            ("threshold", number.with("description", "The limit it was held against; left out without one.")),
            ("message", string("The last period's verdict in words.")),
            ("changed_at", string("When the state last changed (ISO 8601).")),
            ("acknowledged_by", string()), ("acknowledged_at", string()), ("note", string()),
            ("review", integer.with("description", "The review the acknowledgement recorded.")),
          ],
          required: [
            "id", "rule", "scope", "state", "severity", "since", "period", "message", "changed_at",
          ])
      ),
      (
        "AlertChange",
        object(
          [
            ("id", integer), ("alert", integer), ("rule", string()), ("scope", ref("Scope")), ("from", state),
            ("to", state), ("period", ref("Period")), ("value", number), ("threshold", number), ("message", string()),
            ("at", string("When it changed (ISO 8601).")),
          ], required: ["id", "alert", "rule", "scope", "from", "to", "period", "message", "at"])
      ),
      ("Alerts", object([("alerts", array(ref("Alert")))])),
      ("AlertWithHistory", object([("alert", ref("Alert")), ("events", array(ref("AlertChange")))])),
      ("AcknowledgedAlert", object([("alert", ref("Alert")), ("review", integer)])),
      (
        "AcknowledgeRequest",
        request(
          [
            (
              "note",
              nonBlank.with("maxLength", 4000).with(
                "description",
                "What is being done about it. Other members, such as `by`, are ignored: an acknowledgement is in the caller's name."
              )
            )
          ], required: ["note"])
      ),
    ]
  }
}

extension OpenAPIExamples {
  static let alerts = #"""
    {"alerts":[{"changed_at":"2026-01-15T08:00:00Z","id":34,"message":"Partner revenue at 20% of its target in 2025-Q4 (alert below 80%)",
    "period":"2025-Q4","rule":"reseller_revenue_off_target","scope":"partner:P0104","severity":"critical",
    "since":"2025-Q4","state":"firing","threshold":81867.166,"value":16373.43}]}
    """#

  static let acknowledgedAlert = #"""
    {"alert":{"acknowledged_at":"2026-01-15T09:12:00Z","acknowledged_by":"Sam Admin","changed_at":"2026-01-15T08:00:00Z",
    "id":1,"message":"Deal closure rate 19.0% in 2025-Q4 against 2025-Q3's 40.0%: worse than the limit 30.0% (25% below)",
    "note":"Called the partner; pipeline review on Friday","period":"2025-Q4","review":3,"rule":"partner_win_rate_drop",
    "scope":"partner:P0015","severity":"warning","since":"2025-Q4","state":"firing","threshold":0.3,
    "value":0.19047619047619047},"review":3}
    """#
}
