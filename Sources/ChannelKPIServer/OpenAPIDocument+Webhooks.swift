import ChannelKPI

// MARK: - Webhooks: where alert changes and digests are posted, and their delivery log

extension OpenAPIDocument {
  static var webhookPaths: [(String, V)] {
    [
      ("/api/v1/webhooks", ["get": listWebhooks, "post": addWebhook]),
      ("/api/v1/webhooks/{name}/test", ["post": testWebhook]),
      ("/api/v1/webhooks/{name}/deliveries", ["get": webhookDeliveries]),
      ("/api/v1/webhooks/{name}/remove", ["post": removeWebhook]),
    ] + webhookPages
  }

  /// The `{name}` of a webhook (the examples' server has `channel-ops`, which the demo's rules name).
  static func webhookName(default name: String = "channel-ops", withExamples: Bool = true) -> V {
    pathParameter(
      "name", "The webhook's name.", ["type": "string", "examples": [.string(name)]],
      examples: withExamples ? [("unknown_webhook", "nobody")] : [])
  }

  static let unknownWebhookExample: (String, V) = (
    "unknown_webhook",
    example("No such webhook", json: #"{"error":{"code":"not_found","message":"no webhook 'nobody'"}}"#)
  )

  static var listWebhooks: V {
    operation(
      "listWebhooks", tag: "Webhooks", summary: "Webhooks",
      description: "Every webhook by name, with its address and who added it when; never its secret. Admins only.",
      responses: [("200", json("The webhooks.", ref("Webhooks")))])
  }

  static var addWebhook: V {
    operation(
      "addWebhook", tag: "Webhooks", summary: "Add a webhook",
      description: """
        Adds a webhook that alert rules can name in `notify:` (and digests can be posted to). The \
        answer holds its signing secret, shown only here: each body posted to it carries \
        `X-ChannelKPI-Signature: sha256=` and the hex HMAC-SHA256 of the body under that secret.
        """,
      body: body(
        "Its name (ASCII letters, digits, `_` and `-`) and address (http or https).", ref("AddWebhookRequest"),
        [
          ("added", example("A webhook", json: #"{"name":"ops-test","url":"https://hooks.example.com/channelkpi"}"#)),
          ("bad_url", example("Not http", json: #"{"name":"ops-ftp","url":"ftp://files.example.com/in"}"#)),
        ]),
      responses: [
        (
          "201",
          json(
            "The webhook was added; `secret` is its signing secret.", ref("AddedWebhook"),
            [
              (
                "added",
                example(
                  "A webhook",
                  json: #"""
                    {"secret":"ckpi_5b0c1d2e3f405162738495a6b7c8d9e0","webhook":{"created_at":"2026-01-15T08:00:00Z",
                    "created_by":"admin","name":"ops-test","url":"https://hooks.example.com/channelkpi"}}
                    """#)
              )
            ])
        ),
        invalidJSON, unsupportedMediaType,
        conflict("A webhook of that name exists already.", []),
        unprocessable(
          "The name or the address is not one a webhook can have; nothing was stored.",
          [
            (
              "bad_url",
              example(
                "Not http",
                json: #"""
                  {"errors":[{"path":"/url","message":"the url must be an http or https address, not 'ftp://files.example.com/in'"}]}
                  """#)
            )
          ]),
      ])
  }

  static var testWebhook: V {
    operation(
      "testWebhook", tag: "Webhooks", summary: "Send a test",
      description: """
        Queues a test delivery (`"kind": "test"`), which the server posts within a second or so, \
        signed like every delivery; its outcome shows in the delivery log.
        """,
      parameters: [webhookName()],
      responses: [
        ("202", json("Queued.", ref("QueuedDelivery"))),
        notFound("No webhook has this name.", [unknownWebhookExample]),
      ])
  }

  static var webhookDeliveries: V {
    operation(
      "webhookDeliveries", tag: "Webhooks", summary: "A webhook's delivery log",
      description: """
        Its deliveries, newest first: the alert change it tells of (none for tests and digests), \
        the state (`pending` until delivered or given up after about a day of retries), the \
        attempts, the last HTTP status or error, and when.
        """,
      parameters: [
        webhookName(),
        query(
          "limit", "How many (1–1000, default 100).", ["type": "integer", "minimum": 1, "maximum": 1000],
          examples: [("bad_limit", "lots")]),
      ],
      responses: [
        ("200", json("The deliveries.", ref("Deliveries"))),
        badRequest(
          "`limit` is not a whole number from 1 to 1000.",
          [
            (
              "bad_limit",
              example(
                "Not a number",
                json: #"""
                  {"error":{"code":"bad_request","message":"'lots' must be a whole number from 1 to 1000",
                  "parameter":"limit"}}
                  """#)
            )
          ]),
        notFound("No webhook has this name.", [unknownWebhookExample]),
      ])
  }

  static var removeWebhook: V {
    operation(
      "removeWebhook", tag: "Webhooks", summary: "Remove a webhook",
      description: "Removes a webhook and its delivery log; rules that name it notify nobody there any more.",
      parameters: [webhookName(default: "ops-test")],
      responses: [
        ("200", json("Removed.", ref("RemovedWebhook"))),
        notFound("No webhook has this name.", [unknownWebhookExample]),
      ])
  }

  static var webhookPages: [(String, V)] {
    let html: V = ["text/html": ["schema": ["type": "string"]]]
    func answer(_ description: String) -> V { ["description": .string(description), "content": html] }
    return [
      (
        "/webhooks",
        [
          "get": operation(
            "dashboardWebhooks", tag: "Dashboard", summary: "Webhooks",
            description:
              "Each webhook with its recent deliveries and a button that sends a test, and a form that adds one.",
            responses: [("200", answer("The page."))]),
          "post": operation(
            "dashboardAddWebhook", tag: "Dashboard", summary: "Add a webhook (form)",
            description:
              "The page's form (`name`, `url`): the page again, with the new secret shown once or what was wrong.",
            responses: [("200", answer("The page."))]),
        ]
      ),
      (
        "/webhooks/{name}/test",
        [
          "post": operation(
            "dashboardTestWebhook", tag: "Dashboard", summary: "Send a test (form)",
            description: "The page's test button: queues a test delivery and answers with a 303 back to the page.",
            parameters: [webhookName(withExamples: false)],
            responses: [
              ("303", ["description": "Redirects (303) to the webhooks page."]),
              ("404", answer("No webhook has this name.")),
            ])
        ]
      ),
    ]
  }

  static var webhookSchemas: [(String, V)] {
    let integer: V = ["type": "integer"]
    return [
      (
        "AddWebhookRequest",
        request(
          [
            ("name", ["type": "string", "pattern": "^[A-Za-z0-9_-]{1,100}$"]),
            ("url", ["type": "string", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#\\s]+", "maxLength": 2000]),
          ], required: ["name", "url"])
      ),
      (
        "Webhook",
        object([("name", string()), ("url", string()), ("created_at", string()), ("created_by", string())])
      ),
      ("Webhooks", object([("webhooks", array(ref("Webhook")))])),
      ("AddedWebhook", object([("webhook", ref("Webhook")), ("secret", string("The signing secret, shown once."))])),
      ("QueuedDelivery", object([("delivery", integer)])),
      ("Deliveries", object([("deliveries", array(ref("Delivery")))])),
      (
        "Delivery",
        object(
          [
            ("id", integer), ("webhook", string()),
            ("event", integer.with("description", "The alert change it tells of.")),
            ("state", enumeration(["pending", "delivered", "failed"])), ("attempts", integer),
            ("first_attempt_at", integer.with("description", "Unix seconds.")), ("next_attempt_at", integer),
            ("last_status", integer), ("last_error", string()), ("delivered_at", integer),
          ], required: ["id", "webhook", "state", "attempts", "next_attempt_at"])
      ),
      ("RemovedWebhook", object([("removed", string())])),
    ]
  }
}
