import ChannelKPI

// MARK: - Records

extension OpenAPIDocument {
  /// What a field means and the rules that relate it to others (from the data format).
  static let fieldNotes: [String: String] = [
    "partners.type": "e.g. `reseller`, `msp`, `referral`, `system_integrator`, `distributor`.",
    "partners.region": "e.g. `emea`, `na`, `latam`, `apac`.",
    "partners.country": "ISO 3166-1 alpha-2.",
    "partners.tier": "The current tier, e.g. `platinum`, `gold`, `silver`, `registered`.",
    "partners.joined_on": "The day the partner joined the program.",
    "partners.left_on": "The day the partner left; on or after `joined_on`.",
    "partners.manager": "The channel account manager.",
    "deals.partner_id": "Must name a stored partner.",
    "deals.customer_id": "The end customer.",
    "deals.source":
      "`sourced` (the partner found it), `influenced` (helped) or `co_sell` (jointly with the vendor's sales).",
    "deals.created_on": "The day the opportunity was created.",
    "deals.registered_on": "The day the partner registered the deal.",
    "deals.registration_status": "Required when `registered_on` is given.",
    "deals.stage": "`open`, `won` or `lost`.",
    "deals.closed_on": "Required when the stage is `won` or `lost`, absent while `open`; on or after `created_on`.",
    "deals.amount": "≥ 0.",
    "leads.partner_id": "Must name a stored partner.",
    "leads.campaign_id": "The campaign that produced it; must name a stored campaign.",
    "leads.converted_on": "The day it became an opportunity; on or after `created_on`.",
    "leads.deal_id": "The opportunity it became.",
    "campaigns.partner_id": "The partner running it; must name a stored partner.",
    "campaigns.started_on": "Its whole cost counts on this day.",
    "campaigns.ended_on": "On or after `started_on`.",
    "campaigns.channel": "e.g. `email`, `event`, `web`, `paid_search`.",
    "campaigns.cost": "≥ 0, the total cost.",
    "campaigns.mdf_amount": "≥ 0 and ≤ `cost`: the part paid from the vendor's market development funds.",
    "web_traffic.partner_id": "Must name a stored partner.",
    "web_traffic.campaign_id": "Absent = not attributed (part of the key); must name a stored campaign.",
    "web_traffic.visits": "≥ 0.",
    "customers.partner_id": "The partner that acquired and serves the customer; must name a stored partner.",
    "customers.churned_on": "On or after `acquired_on`.",
    "customers.segment": "e.g. `smb`, `mid_market`, `enterprise`.",
    "surveys.partner_id": "Must name a stored partner.",
    "surveys.score": "0–10, the answer to \"how likely are you to recommend\".",
    "support_tickets.partner_id": "Must name a stored partner.",
    "support_tickets.opened_at": "It belongs to its UTC date.",
    "support_tickets.resolved_at": "Not before `opened_at`.",
    "support_tickets.satisfaction": "1–5, the customer's rating after resolution.",
    "certifications.partner_id": "Must name a stored partner.",
    "certifications.person_id": "The partner's employee.",
    "certifications.program": "e.g. `sales`, `technical`, `presales`.",
    "certifications.completed_on": "On or after `enrolled_on`; absent = not (yet) completed.",
    "market.market_revenue": "> 0, the whole market's revenue in the region and month.",
  ]

  /// Bounds of numeric fields: minimum, whether it is exclusive, maximum, and the pattern of the
  /// string form.
  static let bounds: [String: (minimum: Double, exclusive: Bool, maximum: Double?, pattern: String)] = [
    "deals.amount": (0, false, nil, #"^\d{1,15}(\.\d{1,2})?$"#),
    "campaigns.cost": (0, false, nil, #"^\d{1,15}(\.\d{1,2})?$"#),
    "campaigns.mdf_amount": (0, false, nil, #"^\d{1,15}(\.\d{1,2})?$"#),
    "market.market_revenue": (0, true, nil, #"^(?=.*[1-9])\d{1,15}(\.\d{1,2})?$"#),
    "web_traffic.visits": (0, false, nil, #"^\+?\d{1,18}$"#),
    "surveys.score": (0, false, 10, #"^\+?(0?[0-9]|10)$"#),
    "support_tickets.satisfaction": (1, false, 5, #"^\+?0?[1-5]$"#),
  ]

  /// Patterns of text fields with a format of their own.
  static let textPatterns: [String: String] = ["partners.country": "^[A-Za-z]{2}$"]

  static func idSchema(nullable: Bool) -> V {
    [
      "type": nullable ? ["string", "null"] : "string", "minLength": 1, "maxLength": 128,
      "pattern": #"^[^\u0000-\u001F\u007F-\u009F]+$"#,
      "description": "1–128 characters, no control characters; case-sensitive.",
    ]
  }

  static func slugSchema(nullable: Bool) -> V {
    [
      "type": nullable ? ["string", "null"] : "string", "pattern": "^[a-z0-9_-]+$",
      "description": "Lowercase letters, digits, `_` and `-`.",
    ]
  }

  static func dateSchema(nullable: Bool) -> V {
    [
      "type": nullable ? ["string", "null"] : "string", "format": "date", "pattern": .string(datePattern),
      "description": "A calendar date `YYYY-MM-DD`.",
    ]
  }

  /// The schema of one field, from its type in the canonical schema.
  static func field(_ table: CanonicalTable, _ column: Column) -> V {
    let key = "\(table.rawValue).\(column.name)"
    let optional = !column.required
    var schema: V
    switch column.type {
    case .id: schema = idSchema(nullable: optional)
    case .text:
      schema = ["type": optional ? ["string", "null"] : "string", "minLength": 1]
      if let pattern = textPatterns[key] { schema = schema.with("pattern", .string(pattern)) }
    case .slug:
      if let allowed = RecordValidator.vocabularies[table]?[column.name] {
        schema = enumeration(allowed, nullable: optional)
      } else {
        schema = slugSchema(nullable: optional)
      }
    case .date: schema = dateSchema(nullable: optional)
    case .datetime:
      schema = [
        "type": optional ? ["string", "null"] : "string", "format": "date-time",
        "pattern": .string(
          #"^\#(datePattern.dropFirst().dropLast())T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$"#
        ),
        "description": "ISO 8601 with an offset or `Z`, e.g. `2025-03-04T09:30:00Z`.",
      ]
    case .month:
      schema = [
        "type": optional ? ["string", "null"] : "string", "pattern": #"^(?!0000)\d{4}-(0[1-9]|1[0-2])$"#,
        "description": "A month `YYYY-MM`.",
      ]
    case .money, .int:
      let money = column.type == .money
      let b = bounds[key]
      var numeric: [(String, V)] = [("type", money ? "number" : "integer")]
      if let b { numeric.append((b.exclusive ? "exclusiveMinimum" : "minimum", .number(b.minimum))) }
      // Money: at most 15 digits before the point; integers: what a double holds exactly.
      if let max = b?.maximum {
        numeric.append(("maximum", .number(max)))
      } else if money {
        numeric.append(("exclusiveMaximum", .number(1e15)))
      } else {
        numeric.append(("maximum", .number(9_007_199_254_740_991)))
      }
      let pattern = b?.pattern ?? (money ? #"^-?\d{1,15}(\.\d{1,2})?$"# : #"^[-+]?\d{1,18}$"#)
      var alternatives: [V] = [.object(numeric), ["type": "string", "pattern": .string(pattern)]]
      if optional { alternatives.append(["type": "null"]) }
      schema = [
        "oneOf": .array(alternatives),
        "description": .string(
          money
            ? "An amount with at most 2 decimals and 15 digits before the point, as a JSON number or a string (`.` as separator, no currency sign or thousands separator). A number is read in its shortest form, so `1e-7` or `0.30000000000000004` are rejected."
            : "A whole number, as a JSON number or a string."),
      ]
    }
    // An empty string is absent, like null, in an optional field.
    if optional, column.type != .money, column.type != .int {
      let description = schema["description"]
      schema = ["anyOf": [schema.without("description"), ["const": ""]]]
      if let description { schema = schema.with("description", description) }
    } else if optional {
      if case .array(var alternatives)? = schema["oneOf"] {
        alternatives.append(["const": ""])
        schema = schema.with("oneOf", .array(alternatives))
      }
    }
    if let note = fieldNotes[key] {
      schema = schema.with(
        "description", .string((schema["description"].flatMap(\.stringValue).map { $0 + " " } ?? "") + note))
    }
    return schema
  }

  /// The schema of a record of a canonical table.
  static func record(_ t: CanonicalTable) -> V {
    let schema = t.schema
    var pairs: [(String, V)] = [
      ("type", "object"),
      (
        "description",
        .string(
          "A row of `\(t.fileName)` (key: \(schema.key.joined(separator: ", "))). Absent fields may be left out or null."
        )
      ),
      ("required", .strings(schema.columns.filter(\.required).map(\.name))),
      ("properties", .object(schema.columns.map { ($0.name, field(t, $0)) })),
      ("additionalProperties", false),
    ]
    if t == .deals {
      pairs.append(
        (
          "allOf",
          [
            [
              "if": ["required": ["stage"], "properties": ["stage": ["enum": ["won", "lost"]]]],
              "then": ["required": ["closed_on"], "properties": ["closed_on": ["type": "string"]]],
            ],
            [
              "if": ["required": ["stage"], "properties": ["stage": ["const": "open"]]],
              "then": ["properties": ["closed_on": ["type": "null"]]],
            ],
            [
              "if": ["required": ["registered_on"], "properties": ["registered_on": ["type": "string"]]],
              "then": ["required": ["registration_status"], "properties": ["registration_status": ["type": "string"]]],
            ],
          ]
        ))
    }
    return .object(pairs)
  }
}

extension OpenAPIValue {
  /// The value with an object member set (added, or replaced where it is).
  /// The object without a member.
  func without(_ key: String) -> OpenAPIValue {
    guard case .object(let pairs) = self else { return self }
    return .object(pairs.filter { $0.0 != key })
  }

  func with(_ key: String, _ value: OpenAPIValue) -> OpenAPIValue {
    guard case .object(var pairs) = self else { return self }
    if let i = pairs.firstIndex(where: { $0.0 == key }) {
      pairs[i].1 = value
    } else {
      pairs.append((key, value))
    }
    return .object(pairs)
  }

  subscript(key: String) -> OpenAPIValue? {
    guard case .object(let pairs) = self else { return nil }
    return pairs.first { $0.0 == key }?.1
  }

  var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }
}
