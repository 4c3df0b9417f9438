import ChannelKPIStore

// MARK: - Who is asking: users, keys, the audit log, shared reviews, sign-in and the portal

extension OpenAPIDocument {
  static let securityDescription = """
    Every route but health, this document, the sign-in page and the stylesheet needs a caller. \
    Programs send an API key as `Authorization: Bearer ckpi_…` (made with `channelkpi keys create`); \
    people sign in at `/login` and their browser carries a session cookie. A key acts with its role \
    (or for its partner) within its scopes: `read`, `ingest` (facts) and `admin` (every other write). \
    No caller answers 401 (pages redirect to the sign-in page); a caller the route is not for \
    answers 403. Reads are narrowed to what the caller may see: a manager their partners, a \
    partner itself only; naming another partner answers 404, a scope holding other partners 403. \
    Writes from a browser session need the session's CSRF token (`X-CSRF-Token`, or the form's \
    `_csrf` field); `GET /api/v1/me` answers it. Each operation says who may call it under \
    **Access** and in `x-access`.
    """

  static var accessPaths: [(String, V)] {
    let username = pathParameter("username", "The user's login name.", string().with("examples", ["ana"]))
    let reviewId = pathParameter(
      "id", "The review's number.", integer.with("minimum", 1).with("examples", [1]))
    let keyId = pathParameter("id", "The key's number.", integer.with("minimum", 1).with("examples", [4]))
    let html: V = ["text/html": ["schema": ["type": "string"]]]
    func page(_ description: String) -> V { ["description": .string(description), "content": html] }
    let redirect: V = ["description": "Redirects (303) to the page named in `Location`."]
    let form: V = [
      "required": true,
      "content": [
        "application/x-www-form-urlencoded": [
          "schema": [
            "type": "object", "required": ["username", "password", "_csrf"],
            "properties": ["username": string(), "password": string(), "_csrf": string(), "next": string()],
          ]
        ]
      ],
    ]
    return [
      (
        "/api/v1/me",
        [
          "get": operation(
            "getMe", tag: "Access", summary: "Who is asking",
            description: "The caller's name, role, partner or manager name, scopes and, for a session, its CSRF token.",
            responses: [("200", json("The caller.", ref("Me")))])
        ]
      ),
      (
        "/api/v1/users",
        [
          "get": operation(
            "listUsers", tag: "Access", summary: "Users", description: "Every user (never a password or its hash).",
            responses: [("200", json("The users.", ref("Users")))]),
          "post": operation(
            "addUser", tag: "Access", summary: "Add a user",
            description: "Adds a user. Without `password` one is made and answered once, in `password`.",
            body: body(
              "The user.", ref("UserRequest"),
              [
                (
                  "added",
                  example(
                    "A manager",
                    json: #"{"username":"ana","name":"Ana Ruiz","role":"manager","password":"correct-horse-42"}"#)
                ),
                ("bad_role", example("A role that does not exist", json: #"{"username":"x","role":"owner"}"#)),
              ]),
            responses: [
              (
                "201",
                json(
                  "The user was added.", ref("User"),
                  [
                    (
                      "added",
                      example(
                        "A manager",
                        json: #"""
                          {"username":"ana","name":"Ana Ruiz","role":"manager","partner":null,"manager":null,
                          "all_partners":false,"disabled":false,"created_at":"2026-01-15T08:00:00Z","created_by":"admin"}
                          """#)
                    )
                  ])
              ),
              invalidJSON, unsupportedMediaType,
              unprocessable(
                "The user cannot be added; nothing was stored.",
                [
                  (
                    "bad_role",
                    example(
                      "An unknown role",
                      json: #"{"errors":[{"path":"/role","message":"must be admin, manager, analyst or partner"}]}"#)
                  )
                ]),
            ]),
        ]
      ),
      (
        "/api/v1/users/{username}/disable",
        [
          "post": operation(
            "disableUser", tag: "Access", summary: "Disable a user",
            description: "The user can no longer sign in; their sessions end at once.", parameters: [username],
            responses: [
              ("200", json("The user, disabled.", ref("User"))), notFound("No user has this name.", []),
              conflict("An admin cannot disable their own account.", []),
            ])
        ]
      ),
      (
        "/api/v1/users/{username}/reset-password",
        [
          "post": operation(
            "resetPassword", tag: "Access", summary: "Reset a password",
            description:
              "Sets a new password (a made one, answered once, without `password`) and ends the user's sessions.",
            parameters: [username],
            body: body(
              "The new password, or nothing.",
              request([("password", ["type": ["string", "null"], "minLength": 12, "maxLength": 72])], required: []),
              [("generated", example("A made password", json: "{}"))]),
            responses: [
              (
                "200",
                json(
                  "The new password when it was made here.", ref("PasswordReset"),
                  [
                    (
                      "generated",
                      example("A made password", json: #"{"username":"ana","password":"k3vq-8wtn-2pxa-m7cd"}"#)
                    )
                  ])
              ),
              invalidJSON,
              unsupportedMediaType, notFound("No user has this name.", []),
              unprocessable("The password is too short or too long.", []),
            ])
        ]
      ),
      (
        "/api/v1/keys",
        [
          "get": operation(
            "listKeys", tag: "Access", summary: "API keys",
            description: "Every key, revoked ones too, with its first characters and last use (never its secret).",
            responses: [("200", json("The keys.", ref("Keys")))]),
          "post": operation(
            "createKey", tag: "Access", summary: "Make an API key",
            description: "Makes a key; its secret is in the answer, once, and stored only as a hash.",
            body: body(
              "The key.", ref("KeyRequest"),
              [
                (
                  "made",
                  example("A key for a CRM sync", json: #"{"name":"crm sync","role":"admin","scopes":["ingest"]}"#)
                )
              ]),
            responses: [
              (
                "201",
                json(
                  "The key, with its secret.", ref("NewKey"),
                  [
                    (
                      "made",
                      example(
                        "The new key",
                        json: #"""
                          {"id":4,"name":"crm sync","prefix":"ckpi_5f2a9c0","role":"admin","partner":null,"manager":null,
                          "all_partners":false,"scopes":["ingest"],"created_at":"2026-01-15T08:00:00Z","created_by":"admin",
                          "last_used_at":null,"revoked_at":null,
                          "secret":"ckpi_5f2a9c01d6e84b7a93c2f0e1d4b6a8c7e9f1a3b5c7d9e2f4a6b8c0d2e4f6a8b0"}
                          """#)
                    )
                  ])
              ),
              invalidJSON, unsupportedMediaType,
              unprocessable("The key cannot be made; nothing was stored.", []),
            ]),
        ]
      ),
      (
        "/api/v1/keys/{id}/revoke",
        [
          "post": operation(
            "revokeKey", tag: "Access", summary: "Revoke an API key",
            description: "The key stops working at once; it stays listed.", parameters: [keyId],
            responses: [
              ("200", json("The key, revoked.", ref("Key"))), badRequest("The id is not a number.", []),
              notFound("No key has this number.", []),
              conflict("The key is already revoked, or is the key this request is made with.", []),
            ])
        ]
      ),
      (
        "/api/v1/audit",
        [
          "get": operation(
            "getAudit", tag: "Access", summary: "The audit log",
            description: "Writes and sign-ins, newest first: who, when, what, and from where.",
            parameters: [
              query("limit", "At most this many entries.", integer.with("minimum", 1).with("maximum", 10_000)),
              query("actor", "Only this actor (a username or `key:NAME`).", string()),
              query("action", "Only this action (`login.failed`, `ingest`, `approveStatements`, …).", string()),
            ],
            responses: [("200", json("The entries.", ref("Audit"))), badRequest("`limit` is out of range.", [])])
        ]
      ),
      (
        "/api/v1/reviews/{id}/share",
        [
          "post": operation(
            "shareReview", tag: "Reviews", summary: "Share a review with its partner",
            description: "`{\"shared\": true}` shows the review in the partner's portal; `false` hides it again.",
            parameters: [reviewId],
            body: body(
              "Shared or not.", request([("shared", ["type": ["boolean", "null"]])], required: []),
              [("share", example("Share it", json: #"{"shared":true}"#))]),
            responses: [
              ("200", json("The review.", ref("Review"), [("share", example("Shared", json: OpenAPIExamples.review))])),
              invalidJSON, unsupportedMediaType, notFound("No review the caller may see has this number.", []),
              unprocessable("A review of no partner cannot be shared.", []),
            ])
        ]
      ),
      (
        "/api/v1/reviews/{id}/acknowledge",
        [
          "post": operation(
            "acknowledgeReview", tag: "Reviews", summary: "Mark a shared review read",
            description: "For the partner the review is about.", parameters: [reviewId],
            responses: [
              ("200", json("The review.", ref("Review"))), badRequest("The id is not a number.", []),
              notFound("No review the caller may see has this number.", []),
            ])
        ]
      ),
      (
        "/api/v1/reviews/{id}/replies",
        [
          "post": operation(
            "replyToReview", tag: "Reviews", summary: "Answer a review",
            description: "A reply from the partner (to a review shared with it) or from the vendor's side.",
            parameters: [reviewId],
            body: body(
              "The reply.", request([("text", nonBlank.with("maxLength", 4000))], required: ["text"]),
              [("reply", example("A partner's answer", json: #"{"text":"Agreed; we will bring our pricing sheet."}"#))]
            ),
            responses: [
              (
                "201",
                json(
                  "The reply.", ref("Reply"),
                  [
                    (
                      "reply",
                      example(
                        "The stored reply",
                        json: #"""
                          {"id":1,"review":1,"author":"Staff of P0007","at":"2026-01-15T08:00:00Z",
                          "text":"Agreed; we will bring our pricing sheet."}
                          """#)
                    )
                  ])
              ),
              invalidJSON,
              unsupportedMediaType, notFound("No review the caller may see has this number.", []),
              unprocessable("No text, or more than 4000 characters.", []),
            ])
        ]
      ),
      (
        "/login",
        [
          "get": operation(
            "loginPage", tag: "Access", summary: "The sign-in page",
            description: "The form; it sets a short-lived cookie that the form's `_csrf` field must match.",
            parameters: [query("next", "A local path to go to after signing in.", string())],
            responses: [("200", page("The form."))]),
          "post": operation(
            "login", tag: "Access", summary: "Sign in",
            description: """
              Checks the username and password (bcrypt), then starts a session: an opaque cookie \
              (`HttpOnly`, `SameSite=Lax`, `Secure` over https) and a 303 to `next`. Failed sign-ins \
              are recorded; after 5 for an account, or 20 from an address, within 15 minutes, sign-ins \
              are refused with 429 for a while.
              """,
            body: form,
            responses: [
              ("303", redirect), ("401", page("Wrong username or password.")),
              ("403", page("The form's token does not match its cookie.")), ("429", page("Too many failed sign-ins.")),
            ]),
        ]
      ),
      (
        "/logout",
        [
          "post": operation(
            "logout", tag: "Access", summary: "Sign out", description: "Ends the session and clears its cookie.",
            responses: [("303", redirect)])
        ]
      ),
      (
        "/audit",
        [
          "get": operation(
            "dashboardAudit", tag: "Dashboard", summary: "Audit log", description: "The audit log, for admins.",
            parameters: [query("action", "Only this action.", string())], responses: [("200", page("The page."))])
        ]
      ),
      (
        "/portal",
        [
          "get": operation(
            "portal", tag: "Portal", summary: "The partner portal",
            description: """
              A partner's own scorecard with targets, status and what to do next, its trends, tier and \
              what the next level needs, statements, MDF fund, and the reviews shared with it.
              """,
            parameters: [query("period", "The period shown; default: the latest.", ref("Period"))],
            responses: [("200", page("The page.")), ("400", page("A period that cannot be shown."))])
        ]
      ),
      (
        "/portal/report",
        [
          "get": operation(
            "portalReport", tag: "Portal", summary: "The printable report",
            description: "The portal's figures for one period, laid out for print.",
            parameters: [query("period", "The period; default: the latest.", ref("Period"))],
            responses: [("200", page("The report.")), ("400", page("A period that cannot be shown."))])
        ]
      ),
      (
        "/portal/reviews/{id}/acknowledge",
        [
          "post": operation(
            "portalAcknowledge", tag: "Portal", summary: "Mark a review read (form)",
            description: "The portal's form; answers with a 303 back to the portal.", parameters: [reviewId],
            responses: [("303", redirect), ("404", page("No review shared with the partner has this number."))])
        ]
      ),
      (
        "/portal/reviews/{id}/reply",
        [
          "post": operation(
            "portalReply", tag: "Portal", summary: "Answer a review (form)",
            description: "The portal's form (`text`); answers with a 303 back to the portal.", parameters: [reviewId],
            responses: [
              ("303", redirect), ("400", page("No text.")),
              ("404", page("No review shared with the partner has this number.")),
            ])
        ]
      ),
    ]
  }

  /// A request body's schema: members the server does not know are ignored, so allowed.
  static func request(_ properties: [(String, V)], required: [String]) -> V {
    ["type": "object", "required": .strings(required), "properties": .object(properties)]
  }

  /// An optional non-blank text (null is absent).
  static let optionalText: V = ["type": ["string", "null"], "pattern": #"\S"#]

  static var accessSchemas: [(String, V)] {
    let grant: [(String, V)] = [
      ("role", enumeration(Role.allCases.map(\.rawValue))), ("partner", nullable("string")),
      ("manager", nullable("string")), ("all_partners", ["type": "boolean"]),
    ]
    let scopes = array(enumeration(KeyScope.allCases.map(\.rawValue)))
    let userFields: [(String, V)] =
      [("username", string()), ("name", string())] + grant + [
        ("disabled", ["type": "boolean"]), ("created_at", string()), ("created_by", string()),
      ]
    let keyFields: [(String, V)] =
      [("id", integer), ("name", string()), ("prefix", string())] + grant + [
        ("scopes", scopes), ("created_at", string()), ("created_by", string()), ("last_used_at", nullable("string")),
        ("revoked_at", nullable("string")),
      ]
    return [
      (
        "Me",
        object(
          [("actor", string()), ("name", string())] + grant + [("scopes", scopes), ("csrf_token", string())],
          required: ["actor", "name", "role", "partner", "manager", "all_partners", "scopes"])
      ),
      (
        "User",
        object(userFields + [("password", string("Only when made here: shown once."))], required: userFields.map(\.0))
      ),
      ("Users", object([("users", array(ref("User")))])),
      (
        "UserRequest",
        request(
          [
            ("username", ["type": "string", "pattern": "^[A-Za-z0-9._@-]{1,64}$"]), ("name", optionalText),
            ("role", enumeration(Role.allCases.map(\.rawValue))), ("partner", optionalText), ("manager", optionalText),
            ("all_partners", ["type": ["boolean", "null"]]),
            ("password", ["type": ["string", "null"], "minLength": 12, "maxLength": 72]),
          ], required: ["username", "role"])
      ),
      ("PasswordReset", object([("username", string()), ("password", string())], required: ["username"])),
      ("Key", object(keyFields)),
      ("NewKey", object(keyFields + [("secret", string("The key; shown only now."))])),
      ("Keys", object([("keys", array(ref("Key")))])),
      (
        "KeyRequest",
        request(
          [
            ("name", nonBlank), ("role", enumeration(Role.allCases.map(\.rawValue))), ("partner", optionalText),
            ("manager", optionalText), ("all_partners", ["type": ["boolean", "null"]]),
            ("scopes", ["type": "array", "minItems": 1, "items": enumeration(KeyScope.allCases.map(\.rawValue))]),
          ], required: ["name", "role", "scopes"])
      ),
      (
        "AuditEntry",
        object([
          ("id", integer), ("at", string()), ("actor", string()), ("action", string()), ("target", string()),
          ("detail", string()), ("address", string()),
        ])
      ),
      ("Audit", object([("entries", array(ref("AuditEntry")))])),
      (
        "Reply",
        object([("id", integer), ("review", integer), ("author", string()), ("at", string()), ("text", string())])
      ),
    ]
  }
}

extension OpenAPIExamples {
  static let review = #"""
    {"id":1,"date":"2026-01-12","reviewer":"Arjun Mehta","partner":"P0007","kpi":"win_rate","period":"2025-Q4",
    "finding":"Win rate fell to 26%: three large deals lost on price.",
    "action":"Joint pricing review with the partner in January.","shared":true,"acknowledged_by":null,
    "acknowledged_at":null,"replies":[]}
    """#
}
