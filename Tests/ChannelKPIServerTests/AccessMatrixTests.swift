import ChannelKPI
import ChannelKPIStore
import Foundation
import Testing

@testable import ChannelKPIServer

/// Every route of the table, called by every kind of caller: the answer is an allow or a deny as
/// the route's access says. Generated from `Route.allCases`, so a new route is tried as soon as
/// it exists.
@Suite struct AccessMatrixTests {
  /// A caller of the matrix and what the route table says it may do.
  struct Caller: Sendable, CustomStringConvertible {
    var description: String
    var credential: Credential
    /// The role and scopes it acts with; nil: nobody (anonymous, disabled, expired).
    var acts: (Role, Set<KeyScope>)?
    /// Credentials that are given but not valid: every route answers 401.
    var invalid = false
  }

  /// A request each route takes from a caller allowed to call it, with values only P1's staff
  /// may also read (so the handlers' narrowing does not refuse it), and bodies that change nothing.
  static func sample(_ route: Route) -> (path: String, body: String?, type: String?) {
    var path = route.path
    let fill: [String: String] = [
      "{id}": [.shareReview, .acknowledgeReview, .replyToReview, .portalAcknowledge, .portalReply].contains(route)
        ? "1" : route == .revokeKey || route == .revokeApproval ? "999" : route == .dashboardKPI ? "revenue" : "P1",
      "{type}": "reseller", "{table}": "deals", "{username}": "nobody",
    ]
    for (k, v) in fill { path = path.replacingOccurrences(of: k, with: v) }
    switch route {
    case .values: path += "?kpi=revenue&by=partner&scope=partner:P1&grain=quarter&from=2025-Q1&to=2025-Q1"
    case .statements, .mdf, .tierHistory: path += "?partner=P1"
    default: break
    }
    guard route.method == .post else { return (path, nil, nil) }
    if route.path.hasPrefix("/api/") { return (path, "{}", "application/json") }
    return (path, "", "application/x-www-form-urlencoded")
  }

  /// Whether an answer is the route guard's refusal (rather than the handler's own answer).
  static func refused(_ r: RawAnswer, _ route: Route) -> Bool {
    switch r.status {
    case 401: return r.json["error"]?["code"]?.string == "unauthorized"
    case 303:
      // To sign in (and back), or to the home that fits the role; signing out also ends at /login.
      guard let l = r.location else { return false }
      return l.hasPrefix("/login?next=") || (l == "/login" && route == .dashboardOverview) || l == "/portal" || l == "/"
    case 403:
      let m = r.json["error"]?["message"]?.string ?? ""
      return m.contains("is not open to the") || m.contains("lacks the")
        || r.body.contains("Your account cannot open this page")
    default: return false
    }
  }

  static func expectedAllowed(_ route: Route, _ caller: Caller) -> Bool {
    guard let roles = route.access.roles else { return true }
    guard let (role, scopes) = caller.acts else { return false }
    return roles.contains(role) && scopes.contains(route.access.scope)
  }

  @Test func everyRouteAndEveryCaller() async throws {
    try await SecureServer.run { server in
      var callers: [Caller] = [
        Caller(description: "anonymous", credential: .none, acts: nil),
        Caller(description: "revoked key", credential: .key("ckpi_sec_revoked"), acts: nil, invalid: true),
        Caller(description: "unknown key", credential: .key("ckpi_no_such_key"), acts: nil, invalid: true),
        Caller(description: "admin key", credential: .key("ckpi_sec_admin"), acts: (.admin, Set(KeyScope.allCases))),
        Caller(description: "ingest-only admin key", credential: .key("ckpi_sec_ingest"), acts: (.admin, [.ingest])),
        Caller(
          description: "program leader key", credential: .key("ckpi_sec_leader"), acts: (.manager, [.read, .admin])),
        Caller(description: "analyst key", credential: .key("ckpi_sec_analyst"), acts: (.analyst, [.read])),
        Caller(description: "partner key", credential: .key("ckpi_sec_p1"), acts: (.partner, [.read, .admin])),
      ]
      for (username, role) in [("root", Role.admin), ("leader", .manager), ("analyst", .analyst), ("p1", .partner)] {
        let (_, credential) = try await server.signIn(username)
        callers.append(
          Caller(
            description: "\(username)'s session", credential: try #require(credential),
            acts: (role, Set(KeyScope.allCases))))
      }
      // A disabled user's session, and one that has been idle too long, are nobody's.
      let (_, disabled) = try await server.signIn("p2")
      try await server.store.updateUser(username: "p2", passwordHash: nil, disabled: true)
      callers.append(Caller(description: "session ended by disabling", credential: try #require(disabled), acts: nil))
      // Even a session row left behind for a disabled user is nobody's.
      let leftover = Credentials.randomToken()
      let p2 = try #require(try await server.store.user(username: "p2")?.id)
      try await server.store.addSession(
        StoredSession(
          tokenHash: Credentials.hash(leftover), userID: p2, createdAt: server.clock.now, lastSeenAt: server.clock.now))
      callers.append(Caller(description: "disabled user", credential: .session(leftover, csrf: "x"), acts: nil))
      let expiredToken = Credentials.randomToken()
      let ann = try #require(try await server.store.user(username: "ann")?.id)
      let old = server.clock.now - server.policy.idleTimeout - 1
      try await server.store.addSession(
        StoredSession(tokenHash: Credentials.hash(expiredToken), userID: ann, createdAt: old, lastSeenAt: old))
      callers.append(Caller(description: "expired session", credential: .session(expiredToken, csrf: "x"), acts: nil))

      // Signing out ends the session the later rows use: it goes last.
      let routes = Route.allCases.filter { $0 != .logout } + [.logout]
      var tried = 0
      for caller in callers {
        for route in routes {
          let (path, body, type) = Self.sample(route)
          let r = try await server.send(route.method.rawValue, path, as: caller.credential, body: body, type: type)
          tried += 1
          if caller.invalid {
            // Open routes go on without a caller, pages send to sign-in, the API answers 401.
            let expected =
              route.access == .anyone ? !Self.refused(r, route) : route.isPage ? r.status == 303 : r.status == 401
            #expect(expected, "\(caller) \(route.method) \(path): \(r.status)")
            if !route.isPage, route.access != .anyone {
              #expect(r.json["error"]?["message"]?.string == "the API key is not valid: unknown or revoked")
            }
            continue
          }
          let allowed = Self.expectedAllowed(route, caller)
          #expect(
            Self.refused(r, route) == !allowed,
            "\(caller) \(route.method) \(path): expected \(allowed ? "allowed" : "refused"), got \(r.status) \(r.location ?? "") \(r.body.prefix(160))"
          )
          if !allowed, route.access.roles != nil, caller.acts == nil, !route.isPage {
            #expect(r.headers["www-authenticate"]?.hasPrefix("Bearer") == true, "\(caller) \(path)")
          }
          // The logout of a session is the last row: sign in again for nothing else.
          if route == .logout, case .session = caller.credential, allowed {
            #expect(r.status == 303 && r.location == "/login")
          }
        }
      }
      #expect(tried == callers.count * Route.allCases.count)
    }
  }

  /// The whole table, its access in words: a row per route, and every route says who may call it.
  @Test func everyRouteSaysWhoMayCallIt() {
    for route in Route.allCases {
      #expect(!route.access.summary.isEmpty)
      #expect(route.path.hasPrefix("/"), "\(route)")
    }
    // Writes need more than reading.
    for route in Route.allCases where route.method == .post && route.access != .anyone && route != .logout {
      #expect(
        route.access.scope != .read || [.whatIf, .dashboardWhatIf].contains(route),
        "\(route) writes with the read scope")
    }
    let keys = Route.allCases.map { "\($0.method) \($0.path)" }
    #expect(Set(keys).count == keys.count, "two routes share a method and path")
  }
}
