import ChannelKPI

// MARK: - Building blocks

extension OpenAPIDocument {
  typealias V = OpenAPIValue

  static func ref(_ name: String) -> V { ["$ref": .string("#/components/schemas/\(name)")] }

  /// An object schema with exactly these members.
  static func object(_ properties: [(String, V)], required: [String], description: String? = nil) -> V {
    var pairs: [(String, V)] = [("type", "object")]
    if let description { pairs.append(("description", .string(description))) }
    pairs.append(("required", .strings(required)))
    pairs.append(("properties", .object(properties)))
    pairs.append(("additionalProperties", false))
    return .object(pairs)
  }

  /// An object schema whose members are all required.
  static func object(_ properties: [(String, V)], description: String? = nil) -> V {
    object(properties, required: properties.map(\.0), description: description)
  }

  static func array(_ items: V, description: String? = nil) -> V {
    var pairs: [(String, V)] = [("type", "array")]
    if let description { pairs.append(("description", .string(description))) }
    pairs.append(("items", items))
    return .object(pairs)
  }

  static func string(_ description: String? = nil) -> V {
    description.map { ["type": "string", "description": .string($0)] } ?? ["type": "string"]
  }

  static func nullable(_ type: String, _ description: String? = nil) -> V {
    var pairs: [(String, V)] = [("type", [.string(type), "null"])]
    if let description { pairs.append(("description", .string(description))) }
    return .object(pairs)
  }

  static func nullable(ref name: String, _ description: String? = nil) -> V {
    var pairs: [(String, V)] = [("oneOf", [ref(name), ["type": "null"]])]
    if let description { pairs.append(("description", .string(description))) }
    return .object(pairs)
  }

  static func enumeration(_ values: [String], nullable: Bool = false, _ description: String? = nil) -> V {
    var pairs: [(String, V)] = [
      ("type", nullable ? ["string", "null"] : "string"),
      ("enum", .array(values.map { .string($0) } + (nullable ? [.null] : []))),
    ]
    if let description { pairs.append(("description", .string(description))) }
    return .object(pairs)
  }

  static let integer: V = ["type": "integer"]
  static let nullableNumber: V = ["type": ["number", "null"]]
  static let nullableInteger: V = ["type": ["integer", "null"]]

  /// An example object.
  static func example(_ summary: String, _ value: V) -> V { ["summary": .string(summary), "value": value] }

  /// An example object whose value is JSON text.
  static func example(_ summary: String, json: String) -> V { example(summary, .raw(json)) }

  /// A response with a JSON body.
  static func json(_ description: String, _ schema: V, _ examples: [(String, V)] = []) -> V {
    var media: [(String, V)] = [("schema", schema)]
    if !examples.isEmpty { media.append(("examples", .object(examples))) }
    return ["description": .string(description), "content": ["application/json": .object(media)]]
  }

  static func badRequest(_ description: String, _ examples: [(String, V)]) -> (String, V) {
    ("400", json(description, ref("BadRequest"), examples))
  }

  static func notFound(_ description: String, _ examples: [(String, V)]) -> (String, V) {
    ("404", json(description, ref("NotFound"), examples))
  }

  static func conflict(_ description: String, _ examples: [(String, V)]) -> (String, V) {
    ("409", json(description, ref("Conflict"), examples))
  }

  static func unprocessable(_ description: String, _ examples: [(String, V)]) -> (String, V) {
    ("422", json(description, ref("Problems"), examples))
  }

  static func badPeriod(_ name: String = "period") -> (String, V) {
    badRequest("`\(name)` is not a period.", [badPeriodExample(name)])
  }

  /// The answer to `name=2025-Q5`.
  static func badPeriodExample(_ name: String = "period") -> (String, V) {
    (
      "bad_period",
      example(
        "A quarter that does not exist",
        json: #"""
          {"error":{"code":"bad_request","message":"'2025-Q5' is not a period: write 2025-03, 2025-Q1 or 2025",
          "parameter":"\#(name)"}}
          """#)
    )
  }

  static let noData: (String, V) = conflict(
    "No period was given and no data has been imported yet.",
    [
      (
        "no_data",
        example("An empty database", json: #"{"error":{"code":"conflict","message":"no data has been imported yet"}}"#)
      )
    ])

  static let invalidJSON: (String, V) = badRequest(
    "The body is not valid JSON.",
    [invalidJSONExample])

  static let unsupportedMediaType: (String, V) = (
    "415",
    json(
      "The body was sent with another `Content-Type` than `application/json`.", ref("UnsupportedMediaType"),
      [
        (
          "wrong_content_type",
          example(
            "A CSV body",
            json: #"""
              {"error":{"code":"unsupported_media_type","message":"send the body as application/json, not text/csv"}}
              """#)
        )
      ])
  )

  /// A query parameter.
  static func query(
    _ name: String, _ description: String, _ schema: V, examples: [(String, V)] = [], list: Bool = false
  ) -> V {
    var pairs: [(String, V)] = [
      ("name", .string(name)), ("in", "query"), ("description", .string(description)), ("required", false),
      ("allowEmptyValue", true),
    ]
    if list {
      pairs.append(("style", "form"))
      pairs.append(("explode", false))
    }
    pairs.append(("schema", schema))
    if !examples.isEmpty { pairs.append(("examples", .object(examples.map { ($0.0, ["value": $0.1]) }))) }
    return .object(pairs)
  }

  /// A path parameter; `schema` should carry `examples`, the value used by default.
  static func pathParameter(_ name: String, _ description: String, _ schema: V, examples: [(String, V)] = []) -> V {
    var pairs: [(String, V)] = [
      ("name", .string(name)), ("in", "path"), ("description", .string(description)), ("required", true),
      ("schema", schema),
    ]
    if !examples.isEmpty { pairs.append(("examples", .object(examples.map { ($0.0, ["value": $0.1]) }))) }
    return .object(pairs)
  }

  static func period(_ description: String, examples: [(String, V)]) -> V {
    query("period", description, ref("Period"), examples: examples)
  }

  /// The `period` of the routes that default to the quarter of the latest data.
  static func latestPeriod(_ what: String) -> V {
    period(
      "The period \(what); default: the quarter of the latest data.",
      examples: [("q4", "2025-Q4"), ("bad_period", "2025-Q5")])
  }

  static func operation(
    _ id: String, tag: String, summary: String, description: String, parameters: [V] = [], body: V? = nil,
    responses: [(String, V)]
  ) -> V {
    var pairs: [(String, V)] = [
      ("operationId", .string(id)), ("tags", [.string(tag)]), ("summary", .string(summary)),
      ("description", .string(description)),
    ]
    if !parameters.isEmpty { pairs.append(("parameters", .array(parameters))) }
    if let body { pairs.append(("requestBody", body)) }
    pairs.append(("responses", .object(responses)))
    return .object(pairs)
  }

  /// A JSON request body.
  static func body(_ description: String, _ schema: V, _ examples: [(String, V)]) -> V {
    [
      "description": .string(description), "required": true,
      "content": ["application/json": ["schema": schema, "examples": .object(examples)]],
    ]
  }
}
