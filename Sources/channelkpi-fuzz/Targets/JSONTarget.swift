import ChannelKPI
import ChannelKPIServer
import Foundation

/// JSON ingestion bodies: `{"records": […]}` for one table, decoded and checked exactly as
/// `POST /api/v1/facts/{table}` does, with the demo's partners and campaigns as stored keys.
struct JSONTarget: FuzzTarget {
  let name = "json"
  let fileExtension = "json"
  let seeds: [FuzzInput]
  let tokens = [
    "{", "}", "[", "]", ":", ",", "\"", "null", "true", "false", "1e400", "-0", "\"\\ud800\"", "\"\\u0000\"",
    "\"records\"", "{\"records\":[", "\"amount\":", "\"partner_id\":\"P0001\"", "\"\\/\"", "\"~1\"", "[[[[", "]]]]",
  ]
  let known: [CanonicalTable: Set<String>]

  init(corpus: FuzzCorpus) {
    known = corpus.known
    seeds = CanonicalTable.allCases.map { FuzzInput(variant: $0.rawValue, bytes: Array(corpus.json($0).utf8)) }
  }

  func run(_ input: FuzzInput) -> FuzzOutcome {
    guard let table = CanonicalTable(rawValue: input.variant) else { return .unclear(["no table \(input.variant)"]) }
    let data = Data(input.bytes)
    do {
      _ = try RecordsBody.parse(data, table: table, known: known)
      return .accepted
    } catch {
      return Self.judge(error, body: data)
    }
  }

  /// Problems with records must each point into the body; a body that does not parse must be
  /// told where it stops being JSON.
  static func judge(_ error: APIError, body: Data) -> FuzzOutcome {
    switch error {
    case .unprocessable(let problems):
      if problems.isEmpty { return .unclear(["a rejection with no problem in it"]) }
      let tree = (try? JSONDecoder().decode(Tree.self, from: body))?.value
      return .rejected.judging(
        problems.compactMap { p in
          (Clarity.pointer(p.path, in: tree) ?? Clarity.why(p.message)).map { "\($0): \(p.path): \(p.message)" }
        })
    case .badRequest(let message, _):
      if let lacking = Clarity.why(message) { return .unclear([lacking]) }
      return message.contains("line ") && message.contains("column ")
        ? .rejected : .unclear(["a body that does not parse, without the line and column: \(message)"])
    default:
      return .unclear(["an error a body check does not give: \(error)"])
    }
  }
}

/// The body's arrays and objects as the API's decoder reads them: JSONSerialization refuses some
/// of what the decoder takes (control characters in strings, some bad escapes, invalid UTF-8).
private indirect enum Tree: Decodable {
  case scalar
  case array([Tree])
  case object([String: Tree])

  init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    if let a = try? c.decode([Tree].self) {
      self = .array(a)
    } else if let o = try? c.decode([String: Tree].self) {
      self = .object(o)
    } else {
      self = .scalar
    }
  }

  /// As `Clarity.pointer` walks it: arrays and dictionaries.
  var value: Any {
    switch self {
    case .scalar: 0
    case .array(let a): a.map(\.value)
    case .object(let o): o.mapValues(\.value)
    }
  }
}
