import ChannelKPI
import Foundation
import Hummingbird

/// Typed access to a request's query parameters, with errors that name the parameter.
struct Query {
  let request: Request
  /// The parameters as Hummingbird reads them (names as sent, values percent-decoded), and the
  /// query's pairs with their names decoded and values as sent (for lists). Both are read once
  /// per request: each use of `uri.queryParameters` parses the whole query again, and a values
  /// read asks for a dozen parameters (a fifth of the server's time for that read).
  private let parameters: [Substring: Substring]
  private let pairs: [(name: String, value: Substring)]

  init(request: Request) {
    self.request = request
    var parameters: [Substring: Substring] = [:]
    // The first value of a name, as `queryParameters.get` gives it.
    for (name, value) in request.uri.queryParameters where parameters[name] == nil { parameters[name] = value }
    self.parameters = parameters
    var pairs: [(name: String, value: Substring)] = []
    for pair in (request.uri.query ?? "").split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      if parts.count == 2 { pairs.append((Self.decode(parts[0]), parts[1])) }
    }
    self.pairs = pairs
  }

  func string(_ name: String) -> String? {
    parameters[Substring(name)].flatMap { $0.isEmpty ? nil : String($0) }
  }

  /// Values given as `a,b` or repeated (`?kpi=a&kpi=b`). The list is split on the commas of the
  /// query as sent, before percent-decoding, so an id that holds a comma is written `%2C`
  /// (`scope=partner:Smith%2C%20Jones,partner:P2`).
  func list(_ name: String) -> [String] {
    var out: [String] = []
    for pair in pairs where pair.name == name {
      for piece in pair.value.split(separator: ",") {
        let value = Self.trimmed(Self.decode(piece))
        if !value.isEmpty { out.append(value) }
      }
    }
    return out
  }

  /// A query component as text: `+` is a space, `%XX` a byte of UTF-8 (left as written when invalid).
  /// ASCII components without `%` (most: KPI ids, periods) are decoded without Foundation, whose
  /// string bridging took a third of a values read; Foundation reads the others (it drops a byte
  /// order mark, and keeps a `+` that a combining mark follows).
  static func decode(_ s: Substring) -> String {
    let plus = UInt8(ascii: "+")
    guard s.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "%") }) else {
      let spaced = s.replacingOccurrences(of: "+", with: " ")
      return spaced.removingPercentEncoding ?? spaced
    }
    guard s.utf8.contains(plus) else { return String(s) }
    return String(decoding: s.utf8.map { $0 == plus ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
  }

  /// Without leading and trailing spaces and tabs (and other Unicode spaces, which Foundation
  /// trims when an end is not ASCII).
  static func trimmed(_ s: String) -> String {
    func plain(_ b: UInt8?) -> Bool { b.map { $0 < 0x80 && $0 != 0x20 && $0 != 0x09 } ?? true }
    if plain(s.utf8.first) && plain(s.utf8.last) { return s }
    return s.trimmingCharacters(in: .whitespaces)
  }

  func period(_ name: String) throws(APIError) -> Period? {
    guard let v = string(name) else { return nil }
    guard let p = Period(v) else {
      throw APIError.badRequest("'\(v)' is not a period: write 2025-03, 2025-Q1 or 2025", parameter: name)
    }
    return p
  }

  /// Windows of whole months, `2024-04:2025-03` (list form, like `list`).
  func windows(_ name: String = "window") throws(APIError) -> [MonthRange] {
    var out: [MonthRange] = []
    for v in list(name) {
      guard let w = MonthRange(window: v) else {
        throw APIError.badRequest(
          "'\(v)' is not a window: write FIRST:LAST with months, quarters or years, e.g. 2024-04:2025-03",
          parameter: name)
      }
      out.append(w)
    }
    return out
  }

  func grain(_ name: String = "grain", default d: Grain) throws(APIError) -> Grain {
    guard let v = string(name) else { return d }
    guard let g = Grain(rawValue: v) else {
      throw APIError.badRequest("'\(v)' is not a grain: month, quarter or year", parameter: name)
    }
    return g
  }

  func scopeKind(_ name: String = "by", default d: ScopeKind) throws(APIError) -> ScopeKind {
    guard let v = string(name) else { return d }
    guard let k = ScopeKind(rawValue: v) else {
      throw APIError.badRequest("'\(v)' is not a scope kind: network, partner, type, region or tier", parameter: name)
    }
    return k
  }

  func int(_ name: String, default d: Int, range: ClosedRange<Int>) throws(APIError) -> Int {
    guard let v = string(name) else { return d }
    guard let i = Int(v), range.contains(i) else {
      throw APIError.badRequest(
        "'\(v)' must be a whole number from \(range.lowerBound) to \(range.upperBound)", parameter: name)
    }
    return i
  }

  /// A slug (lowercase letters, digits, `_` and `-`), the form of types, regions and tiers.
  func slug(_ name: String) throws(APIError) -> String? {
    guard let v = string(name) else { return nil }
    guard
      v.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" })
    else {
      throw APIError.badRequest("'\(v)' is not a slug: lowercase letters, digits, '_' and '-'", parameter: name)
    }
    return v
  }

  func oneOf(_ name: String, _ allowed: [String], default d: String) throws(APIError) -> String {
    guard let v = string(name) else { return d }
    guard allowed.contains(v) else {
      throw APIError.badRequest("'\(v)' must be one of \(allowed.joined(separator: ", "))", parameter: name)
    }
    return v
  }
}
