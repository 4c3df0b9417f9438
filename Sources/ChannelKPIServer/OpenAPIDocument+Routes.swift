import ChannelKPI

// MARK: - Paths, from the route table

/// The document's paths are the route table's routes (`Route`), each with the operation written
/// for it and the access the table gives it.
extension OpenAPIDocument {
  /// Every operation, by path and method, as written (without who may call it).
  static var operationsByPath: [String: [(String, V)]] {
    var p: [(String, V)] = [
      ("/healthz", ["get": healthz]),
      ("/metrics", ["get": metrics]),
      ("/openapi.json", ["get": openAPI]),
      ("/api/v1/kpis", ["get": kpis]),
      ("/api/v1/values", ["get": values]),
      ("/api/v1/partners", ["get": partners]),
      ("/api/v1/partners/{id}", ["get": partner]),
      ("/api/v1/partners/{id}/scorecard", ["get": partnerScorecard]),
      ("/api/v1/scorecards/network", ["get": networkScorecard]),
      ("/api/v1/scorecards/types/{type}", ["get": typeScorecards]),
      ("/api/v1/objectives", ["get": objectives]),
      ("/api/v1/targets", ["get": targets]),
      ("/api/v1/program/versions", ["get": programVersions]),
      ("/api/v1/program", ["post": applyProgram]),
      ("/api/v1/reviews", ["get": reviews, "post": addReview]),
      ("/api/v1/check", ["get": check]),
      ("/api/v1/imports", ["get": imports]),
    ]
    for t in CanonicalTable.allCases { p.append(("/api/v1/facts/\(t.rawValue)", ["post": ingest(t)])) }
    p += incentivePaths
    p += insightPaths
    p += alertPaths
    p += lifecyclePaths
    p += webhookPaths
    p += dashboard
    p += accessPaths
    var out: [String: [(String, V)]] = [:]
    for (path, item) in p {
      guard case .object(let methods) = item else { continue }
      out[path, default: []] += methods
    }
    return out
  }

  /// The paths, in the route table's order: each route's operation with who may call it.
  static var paths: [(String, V)] {
    let written = operationsByPath
    var out: [(String, [(String, V)])] = []
    for route in Route.allCases {
      let method = route.method.rawValue.lowercased()
      let documented =
        route == .ingest ? CanonicalTable.allCases.map { "/api/v1/facts/\($0.rawValue)" } : [route.path]
      for path in documented {
        guard let op = written[path]?.first(where: { $0.0 == method })?.1 else { continue }
        let secured = secure(op, route.access, page: route.isPage)
        if let i = out.firstIndex(where: { $0.0 == path }) {
          out[i].1.append((method, secured))
        } else {
          out.append((path, [(method, secured)]))
        }
      }
    }
    return out.map { ($0.0, .object($0.1)) }
  }

  /// An operation with its access: the security schemes, `x-access`, the words in its
  /// description, and the answers to callers it does not take.
  static func secure(_ op: V, _ access: Access, page: Bool) -> V {
    guard case .object(var pairs) = op else { return op }
    let isWrite = access != .anyone && access.writes
    for i in pairs.indices {
      switch pairs[i].0 {
      case "description":
        if case .string(let d?) = pairs[i].1 { pairs[i].1 = .string(d + "\n\n**Access:** " + access.summary) }
      case "responses":
        guard access != .anyone, case .object(var responses) = pairs[i].1 else { continue }
        let html: V = ["text/html": ["schema": ["type": "string"]]]
        if page {
          if !responses.contains(where: { $0.0 == "303" }) {
            responses.append(("303", ["description": "Not signed in: a redirect to the sign-in page."]))
          }
          responses.append(
            (
              "403",
              [
                "description": "Signed in, but the page is not for this account, or a form without its CSRF token.",
                "content": html,
              ]
            ))
        } else {
          responses.append(("401", json("No credentials, or an unknown or revoked key.", ref("Unauthorized"))))
          responses.append(
            ("403", json("The caller may not do this, or may not see what it names.", ref("Forbidden"))))
          if isWrite, !responses.contains(where: { $0.0 == "413" }) {
            responses.append(("413", json("The body is larger than the route takes.", ref("PayloadTooLarge"))))
          }
          if isWrite {
            responses.append(
              (
                "503",
                json(
                  "The database is read-only or cannot be reached: nothing was stored (the server's log says why).",
                  ref("DatabaseUnavailable"))
              ))
            responses.append(
              ("507", json("The database is full: nothing of the request was stored.", ref("DatabaseFull"))))
          }
        }
        pairs[i].1 = .object(responses)
      default: continue
      }
    }
    pairs.append(("x-access", .string(access.rawValue)))
    pairs.append(("security", access == .anyone ? [] : [["apiKey": []], ["session": []]]))
    return .object(pairs)
  }
}
