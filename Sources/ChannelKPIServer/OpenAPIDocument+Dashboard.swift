import ChannelKPI

// MARK: - Dashboard pages

extension OpenAPIDocument {
  static let htmlExample = example("The data page with the report (abridged)", "<!DOCTYPE html>…")

  /// The dashboard's pages: HTML for people, rendered on the server.
  static var dashboard: [(String, V)] {
    let html: V = ["text/html": ["schema": ["type": "string"]]]
    func answer(_ description: String) -> V { ["description": .string(description), "content": html] }
    let selection = [
      query(
        "grain", "The grain of the periods shown; default: that of `period`, else quarter.",
        enumeration(Grain.allCases.map(\.rawValue))),
      query("period", "The period shown (it must overlap the data); default: the latest of the data.", ref("Period")),
    ]
    func page(_ id: String, _ summary: String, _ description: String, parameters: [V] = [], notFound: String? = nil)
      -> V
    {
      var responses: [(String, V)] = [
        ("200", answer("The page.")),
        ("400", answer("A `grain`, `period` or other parameter that cannot be shown: a page that says so.")),
      ]
      if let notFound { responses.append(("404", answer(notFound))) }
      responses.append(("500", answer("The page could not be prepared: a page that says so (details in the log).")))
      return operation(
        id, tag: "Dashboard", summary: summary, description: description, parameters: parameters + selection,
        responses: responses)
    }
    let upload = operation(
      "dashboardUpload", tag: "Dashboard", summary: "Upload a CSV file",
      description: """
        Imports a CSV file (canonical, or a CRM export through a mapping) like `channelkpi import`, and answers \
        the data page with the validation report.
        """,
      body: [
        "required": true,
        "content": [
          "multipart/form-data": [
            "schema": [
              "type": "object", "required": ["file"],
              "properties": [
                "file": ["type": "string", "contentMediaType": "text/csv", "description": "The CSV file."],
                "table": [
                  "type": "string", "enum": .strings(["auto"] + CanonicalTable.allCases.map(\.rawValue)),
                  "description": "The table; `auto` (default): from the file name, e.g. `deals.csv`.",
                ],
                "mapping": ["type": "string", "description": "The id of a CRM mapping to read the file through."],
                "store_good_rows": ["type": "string", "enum": ["on"], "description": "Store the valid rows only."],
                "ignore_unknown_columns": ["type": "string", "enum": ["on"]],
              ],
            ],
            "examples": [
              "imported": example(
                "A new partner",
                [
                  "table": "partners",
                  "file": "partner_id,name,type,region,joined_on\nP9101,Skyline Networks BV,reseller,emea,2025-12-01\n",
                ]),
              "rejected": example(
                "A deal of an unknown partner",
                [
                  "table": "deals",
                  "file":
                    "deal_id,partner_id,source,created_on,stage,amount\nD-9101,P-77,sourced,2025-12-01,open,100\n",
                ]),
            ],
          ]
        ],
      ],
      responses: [
        (
          "200",
          answer("The file was imported (maybe with rows left out): the data page with the report.").with(
            "content", ["text/html": ["schema": ["type": "string"], "examples": ["imported": htmlExample]]])
        ),
        ("400", answer("No file, an unknown mapping or table, or a broken form.")),
        ("413", answer("The file is larger than 64 MiB.")),
        ("415", answer("The body is not `multipart/form-data`.")),
        (
          "422",
          answer("The file breaks the rules, or its table cannot be told: nothing was stored.").with(
            "content", ["text/html": ["schema": ["type": "string"], "examples": ["rejected": htmlExample]]])
        ),
        ("500", answer("The import failed on the server's side: nothing was stored.")),
        ("503", answer("The database is read-only: nothing was stored.")),
        ("507", answer("The database is full: nothing was stored.")),
      ])
    let whatIfUpload = operation(
      "dashboardWhatIf", tag: "Dashboard", summary: "Compare a draft",
      description: """
        Runs draft definitions files (YAML: tiers, incentives, targets, …) over the periods from `from` to `to` \
        without storing them, and answers the comparison with the current rules: levels, partners that would \
        move and why, payouts by plan.
        """,
      body: [
        "required": true,
        "content": [
          "multipart/form-data": [
            "schema": [
              "type": "object", "required": ["draft"],
              "properties": [
                "draft": [
                  "type": "string", "contentMediaType": "application/yaml",
                  "description": "A draft YAML file (repeatable).",
                ],
                "from": ["type": "string", "description": "The first period, e.g. 2025-Q1."],
                "to": ["type": "string", "description": "The last period."],
              ],
            ],
            "examples": [
              "stricter": example(
                "A ladder with a higher bar for silver",
                [
                  "from": "2025-Q1", "to": "2025-Q4",
                  "draft":
                    "tiers:\n  evaluate: quarter\n  window: 4\n  demotion_grace: 2\n  levels:\n    - id: registered\n    - id: silver\n      requires:\n        - {kpi: revenue, min: 400000}\n",
                ])
            ],
          ]
        ],
      ],
      responses: [
        (
          "200",
          answer("The comparison.").with(
            "content", ["text/html": ["schema": ["type": "string"], "examples": ["stricter": htmlExample]]])
        ),
        ("400", answer("No draft, a broken form, or a period that is not one.")),
        ("413", answer("The draft is larger than 4 MiB.")),
        ("415", answer("The body is not `multipart/form-data`.")),
        ("422", answer("The draft cannot be run: its problems with file, line and column.")),
        ("500", answer("The comparison failed on the server's side.")),
      ])
    let kpiId = pathParameter("id", "The KPI's id.", ref("KPIId").with("examples", ["revenue"]))
    let partnerId = pathParameter("id", "The partner's id.", ref("Id").with("examples", ["P0007"]))
    let partnerFilters = [
      query("q", "Only partners whose id or name contains this text.", string()),
      query("type", "Only partners of this type.", ref("Slug")), query("region", "Only this region.", ref("Slug")),
      query("tier", "Only this tier.", ref("Slug")),
      query("sort", "A column: `name`, `type`, `region`, `tier` or one of the KPIs shown.", string()),
      query("order", "The order.", enumeration(["asc", "desc"])),
      query("page", "The page of the list.", ["type": "integer", "minimum": 1, "maximum": 1_000_000]),
    ]
    return [
      ("/", ["get": page("dashboardOverview", "Overview", "Every KPI by family, with trends and target status.")]),
      ("/kpis", ["get": page("dashboardKPIs", "KPIs", "Every KPI of the catalog.")]),
      (
        "/kpis/{id}",
        [
          "get": page(
            "dashboardKPI", "A KPI", "A KPI's series, breakdowns, best and worst partners and distribution.",
            parameters: [kpiId], notFound: "No KPI has this id.")
        ]
      ),
      (
        "/kpis/{id}/explain",
        [
          "get": page(
            "dashboardExplain", "Explain a change",
            "Why a KPI moved between two periods: the dimensions ranked, each one's segments with their contributions (rate and mix for a ratio), and the drill-down.",
            parameters: [
              kpiId,
              query("scope", "network (default), partner:ID, type:X, region:X or tier:X.", ref("Scope")),
              query("vs", "The period compared with (default: the one before).", ref("Period")),
            ], notFound: "No KPI has this id, or no partner belongs to the scope.")
        ]
      ),
      (
        "/partners",
        [
          "get": page(
            "dashboardPartners", "Partners", "The partners, filtered and sorted.", parameters: partnerFilters)
        ]
      ),
      (
        "/partners/{id}",
        [
          "get": page(
            "dashboardPartner", "A partner", "A partner's scorecard, trends, recent deals and activity.",
            parameters: [partnerId], notFound: "No partner has this id.")
        ]
      ),
      ("/data", ["get": page("dashboardData", "Data", "The upload form and the import history.")]),
      (
        "/tiers",
        [
          "get": page(
            "dashboardTiers", "Tiers",
            "The ladder's levels, how many partners hold each after every evaluation up to the period, who moved and why, and who is at risk."
          )
        ]
      ),
      (
        "/statements",
        [
          "get": page(
            "dashboardStatements", "Statements",
            "The incentive statements of the period's months: totals by plan, each partner's lines and whether approved, and a CSV download."
          )
        ]
      ),
      (
        "/whatif",
        ["get": page("dashboardWhatIfForm", "What-if", "The form to upload draft definitions."), "post": whatIfUpload]
      ),
      (
        "/data/upload",
        ["get": page("dashboardUploadPage", "Data", "The data page (a reload of an upload's answer)."), "post": upload]
      ),
      (
        "/assets/app.css",
        [
          "get": operation(
            "dashboardStylesheet", tag: "Dashboard", summary: "The stylesheet", description: "The dashboard's CSS.",
            responses: [
              ("200", ["description": "The stylesheet.", "content": ["text/css": ["schema": ["type": "string"]]]])
            ])
        ]
      ),
    ]
  }
}
