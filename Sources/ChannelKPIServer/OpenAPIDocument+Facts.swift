import ChannelKPI

// MARK: - Operations: imports and ingestion

extension OpenAPIDocument {
  static var imports: V {
    operation(
      "listImports", tag: "Facts", summary: "Import history",
      description: "The latest CSV imports (`channelkpi import` and dashboard uploads), newest first.",
      parameters: [
        query(
          "limit", "At most this many imports.", ["type": "integer", "minimum": 1, "maximum": 1000, "default": 50],
          examples: [("bad_limit", 0)])
      ],
      responses: [
        (
          "200",
          json("The imports.", ref("Imports"), [("demo", example("The demo's import", json: OpenAPIExamples.imports))])
        ),
        badRequest(
          "`limit` is out of range.",
          [
            (
              "bad_limit",
              example(
                "A limit out of range",
                json: #"""
                  {"error":{"code":"bad_request","message":"'0' must be a whole number from 1 to 1000","parameter":"limit"}}
                  """#)
            )
          ]),
      ])
  }

  static func ingest(_ t: CanonicalTable) -> V {
    let name = t.rawValue
    let ex = OpenAPIExamples.facts[t]!
    var requestExamples: [(String, V)] = [("accepted", example(ex.acceptedSummary, json: ex.accepted))]
    var problems: [(String, V)] = []
    if let rejected = ex.rejected {
      requestExamples.append(("rejected", example(rejected.summary, json: rejected.request)))
      problems.append(("rejected", example(rejected.summary, json: rejected.response)))
    }
    return operation(
      "ingest" + typeName(t), tag: "Facts", summary: "Send \(name) facts",
      description: """
        Upserts a batch of `\(name)` records (key: \(t.schema.key.map { "`\($0)`" }.joined(separator: ", "))), \
        all or nothing; the next KPI read includes them. See the Facts tag for the rules.
        """,
      body: body("The records.", ref(typeName(t) + "Batch"), requestExamples),
      responses: [
        (
          "200",
          json(
            "The batch was stored.", ref("IngestResult"),
            [
              (
                "accepted",
                example(
                  "Stored",
                  json: #"{"table":"\#(name)","received":\#(ex.count),"stored":\#(ex.count),"alerts":[],"#
                    + #""alerts_deferred":false}"#)
              )
            ])
        ),
        invalidJSON,
        unsupportedMediaType,
        unprocessable(
          "The body or some records break the rules; every problem is listed. Nothing was stored.", problems),
      ])
  }
}
