import Foundation

/// A request's query string, decoded the way browsers encode GET forms (`+` is a space).
///
/// Hummingbird's `queryParameters` leaves `+` and the keys as they are, so the dashboard reads
/// the raw query itself.
struct DashboardQuery: Sendable {
  let items: [(name: String, value: String)]

  init(raw: String?) {
    guard let raw, !raw.isEmpty else {
      items = []
      return
    }
    items = raw.split(separator: "&", omittingEmptySubsequences: true).map { pair in
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      return (Self.decode(parts[0]), parts.count > 1 ? Self.decode(parts[1]) : "")
    }
  }

  init(items: [(String, String)]) { self.items = items.map { (name: $0.0, value: $0.1) } }

  /// The first non-empty value of a parameter, trimmed.
  func string(_ name: String) -> String? {
    for i in items where i.name == name {
      let v = i.value.trimmingCharacters(in: .whitespaces)
      if !v.isEmpty { return v }
    }
    return nil
  }

  /// `+` as a space, then percent-decoded; text that is not valid percent-encoding is kept as is.
  static func decode(_ s: Substring) -> String { Query.decode(s) }

  private static let unreserved: CharacterSet = {
    var set = CharacterSet()
    set.insert(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    return set
  }()

  /// Percent-encodes everything but the unreserved characters of RFC 3986, for a path segment,
  /// a query name or a query value.
  static func encode(_ s: String) -> String {
    s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
  }

  /// A path parameter as the router gives it (still percent-encoded), decoded.
  static func decodePathSegment(_ s: String) -> String? { s.removingPercentEncoding }
}
