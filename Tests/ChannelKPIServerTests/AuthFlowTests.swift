import ChannelKPI
import ChannelKPIStore
import Foundation
import Testing

@testable import ChannelKPIServer

/// Signing in and out: cookies, CSRF, session fixation, throttling and expiry.
@Suite struct AuthFlowTests {
  @Test func signingInSetsAnOpaqueHttpOnlyCookieAndLandsByRole() async throws {
    try await SecureServer.run { server in
      let page = try await server.client.send("GET", "/login")
      #expect(page.status == 200 && page.body.contains("name=\"_csrf\""))
      #expect(page.setCookie("ckpi_login")?.contains("HttpOnly; SameSite=Strict") == true)
      let (answer, credential) = try await server.signIn("root")
      #expect(answer.status == 303 && answer.location == "/")
      let cookie = try #require(answer.setCookie("ckpi_session"))
      #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"))
      #expect(!cookie.contains("Secure"), "plain http without a trusted proxy: no Secure flag")
      #expect(cookie.contains("Max-Age=\(server.policy.absoluteTimeout)"))
      // The cookie is an opaque token; the store keeps only its hash.
      guard case .session(let token, _)? = credential else { return }
      #expect(token.count == 64 && token.allSatisfy(\.isHexDigit))
      #expect(try await server.store.session(tokenHash: token) == nil)
      #expect(try await server.store.session(tokenHash: Credentials.hash(token)) != nil)
      // Partners land in their portal, a manager of some partners on their list.
      #expect(try await server.signIn("p1").answer.location == "/portal")
      #expect(try await server.signIn("ann").answer.location == "/partners")
      // A page asked for before signing in is where sign-in returns; another site never is.
      let back = try await server.client.send("GET", "/kpis/revenue?grain=year")
      #expect(back.status == 303 && back.location == "/login?next=%2Fkpis%2Frevenue%3Fgrain%3Dyear")
      #expect(Login.safeNext("//evil.example/x") == "/" && Login.safeNext("https://evil.example") == "/")
      #expect(Login.safeNext("/\\evil.example") == "/" && Login.safeNext("/partners?q=a") == "/partners?q=a")
    }
  }

  @Test func behindATrustedProxyOverHTTPSTheCookieIsSecure() async throws {
    try await SecureServer.run(trustProxy: true) { server in
      let h = ["X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"]
      let (answer, _) = try await server.signIn("root", headers: h)
      #expect(answer.setCookie("ckpi_session")?.contains("Secure") == true)
      let audit = try await server.store.audit(limit: 1, actor: "root", action: "login")
      #expect(audit.first?.address == "203.0.113.9")
    }
  }

  @Test func wrongPasswordsAreRefusedRecordedAndThrottled() async throws {
    try await SecureServer.run { server in
      for _ in 0..<server.policy.failuresPerAccount {
        let (answer, credential) = try await server.signIn("ann", password: "not the password")
        #expect(answer.status == 401 && credential == nil && answer.body.contains("not right"))
      }
      // The account is now refused for a while, even with the right password…
      let (blocked, none) = try await server.signIn("ann")
      #expect(
        blocked.status == 429 && none == nil && blocked.headers["retry-after"] == "\(server.policy.throttleWindow)")
      // …until the window has passed.
      server.clock.advance(server.policy.throttleWindow + 1)
      #expect(try await server.signIn("ann").credential != nil)
      let failures = try await server.store.audit(limit: 50, actor: "ann", action: "login.failed")
      #expect(failures.count == server.policy.failuresPerAccount)
      #expect(failures.allSatisfy { $0.address == "127.0.0.1" && !$0.detail.contains("not the password") })
      // An unknown user, and a disabled one, get the same answer as a wrong password; what was
      // typed as an unknown username (a password in the wrong field) is not recorded.
      #expect(try await server.signIn("my-secret-passw0rd").answer.status == 401)
      let unknown = try await server.store.audit(limit: 5, actor: nil, action: "login.failed")
      #expect(unknown.first?.actor == "(unknown user)" && unknown.allSatisfy { !$0.actor.contains("my-secret") })
      try await server.store.updateUser(username: "analyst", passwordHash: nil, disabled: true)
      #expect(try await server.signIn("analyst").answer.status == 401)
    }
  }

  @Test func aBurstOfParallelGuessesGetsNoMoreTriesThanOneByOne() async throws {
    try await SecureServer.run { server in
      let answers = try await withThrowingTaskGroup(of: Int.self) { group in
        for _ in 0..<12 { group.addTask { try await server.signIn("ann", password: "guess").answer.status } }
        return try await group.reduce(into: [Int]()) { $0.append($1) }
      }
      #expect(answers.filter { $0 == 401 }.count == server.policy.failuresPerAccount, "\(answers.sorted())")
      #expect(answers.filter { $0 == 429 }.count == 12 - server.policy.failuresPerAccount)
    }
  }

  @Test func oneAddressTryingManyAccountsIsThrottled() async throws {
    try await SecureServer.run { (server) async throws in
      for i in 0..<server.policy.failuresPerAddress {
        #expect(try await server.signIn("user\(i)", password: "guess").answer.status == 401)
      }
      #expect(try await server.signIn("root").answer.status == 429)
    }
  }

  @Test func aSessionSetBeforeSignInIsNeverTheOneAfter() async throws {
    try await SecureServer.run { server in
      // An attacker plants a session cookie of their own (a real one, their own account's).
      let (_, planted) = try await server.signIn("analyst")
      guard case .session(let attackerToken, _)? = planted else {
        Issue.record("no session")
        return
      }
      let (answer, victim) = try await server.signIn("root", headers: ["Cookie": "ckpi_session=\(attackerToken)"])
      guard case .session(let victimToken, _)? = victim else {
        Issue.record("no session")
        return
      }
      #expect(answer.status == 303 && victimToken != attackerToken)
      // The planted one no longer works at all.
      let me = try await server.get("/api/v1/me", as: .session(attackerToken, csrf: ""))
      #expect(me.status == 401)
    }
  }

  @Test func browserWritesNeedTheSessionsCSRFToken() async throws {
    try await SecureServer.run { server in
      let (_, credential) = try await server.signIn("ann")
      guard case .session(let token, let csrf)? = credential else {
        Issue.record("no session")
        return
      }
      #expect(csrf.count == 64)
      let body = #"{"partner":"P1","finding":"Late registrations","action":"Call"}"#
      let cookieOnly = try await server.client.send(
        "POST", "/api/v1/reviews", headers: ["Cookie": "ckpi_session=\(token)", "Content-Type": "application/json"],
        body: body)
      #expect(cookieOnly.status == 403 && cookieOnly.body.contains("CSRF"))
      let wrong = try await server.send(
        "POST", "/api/v1/reviews", as: .session(token, csrf: String(repeating: "0", count: 64)), body: body)
      #expect(wrong.status == 403)
      #expect(try await server.store.reviews().count == 3, "nothing was stored")
      let right = try await server.send("POST", "/api/v1/reviews", as: .session(token, csrf: csrf), body: body)
      #expect(right.status == 201 && right.json["reviewer"]?.string == "Ann Lee")
      // A form without its hidden field is refused with a page that says what to do.
      let (_, p1) = try await server.signIn("p1")
      guard case .session(let p1Token, _)? = p1 else {
        Issue.record("no session")
        return
      }
      let form = try await server.client.send(
        "POST", "/portal/reviews/1/acknowledge",
        headers: ["Cookie": "ckpi_session=\(p1Token)", "Content-Type": "application/x-www-form-urlencoded"], body: "")
      #expect(form.status == 403 && form.body.contains("This form has expired"))
      // Pages carry the token in their forms.
      let portal = try await server.get("/portal", as: p1!)
      #expect(portal.body.contains("name=\"_csrf\""))
      // An upload form as browsers send it: a boundary in mixed case, the token among the fields.
      let (_, root) = try await server.signIn("root")
      guard case .session(let rootToken, let rootCSRF)? = root else {
        Issue.record("no session")
        return
      }
      let boundary = "----WebKitFormBoundaryAbCdEfGh12"
      func upload(_ fields: [(String, String)]) async throws -> RawAnswer {
        let body =
          fields.map { "--\(boundary)\r\nContent-Disposition: form-data; name=\"\($0.0)\"\r\n\r\n\($0.1)\r\n" }.joined()
          + "--\(boundary)--\r\n"
        return try await server.client.send(
          "POST", "/data/upload",
          headers: [
            "Cookie": "ckpi_session=\(rootToken)", "Content-Type": "multipart/form-data; boundary=\(boundary)",
          ], body: body)
      }
      let withToken = try await upload([("_csrf", rootCSRF), ("table", "auto")])
      #expect(withToken.status == 400 && withToken.body.contains("Choose a CSV file"), "\(withToken.body.prefix(300))")
      let without = try await upload([("table", "auto")])
      #expect(without.status == 403 && without.body.contains("This form has expired"))
      // API keys need none: a browser cannot be made to send one.
      let key = try await server.send("POST", "/api/v1/reviews", as: .key("ckpi_sec_ann"), body: body)
      #expect(key.status == 201)
    }
  }

  @Test func sessionsEndWhenIdleWhenOldAndOnSignOut() async throws {
    try await SecureServer.run { server in
      let credential = try #require(try await server.signIn("analyst").credential)
      #expect(try await server.get("/api/v1/me", as: credential).status == 200)
      // Used now and then, it lives up to its absolute lifetime…
      let step = server.policy.idleTimeout - 60
      var elapsed: Int64 = 0
      while elapsed + step < server.policy.absoluteTimeout {
        server.clock.advance(step)
        elapsed += step
        #expect(try await server.get("/api/v1/me", as: credential).status == 200, "after \(elapsed) s")
      }
      // …and no longer.
      server.clock.advance(server.policy.absoluteTimeout - elapsed + 1)
      #expect(try await server.get("/api/v1/me", as: credential).status == 401)
      #expect(try await server.get("/", as: credential).location == "/login")

      let idle = try #require(try await server.signIn("analyst").credential)
      server.clock.advance(server.policy.idleTimeout + 1)
      #expect(try await server.get("/api/v1/me", as: idle).status == 401)

      let leaving = try #require(try await server.signIn("analyst").credential)
      let out = try await server.send(
        "POST", "/logout", as: leaving, body: "", type: "application/x-www-form-urlencoded")
      #expect(out.status == 303 && out.location == "/login")
      #expect(out.setCookie("ckpi_session")?.contains("Max-Age=0") == true)
      #expect(try await server.get("/api/v1/me", as: leaving).status == 401)
      // Resetting a password ends the user's sessions: from the CLI (on the database, not through
      // this server) within a second, as this second's lookups are kept.
      let other = try #require(try await server.signIn("analyst").credential)
      let generated = try await Accounts.resetPassword(username: "analyst", password: nil, store: server.store)
      server.clock.advance(1)
      #expect(try await server.get("/api/v1/me", as: other).status == 401)
      // Through this server's API, at once.
      let third = try #require(try await server.signIn("analyst", password: generated).credential)
      #expect(try await server.get("/api/v1/me", as: third).status == 200)
      let reset = try await server.send(
        "POST", "/api/v1/users/analyst/reset-password", as: .key("ckpi_sec_admin"), body: "{}")
      #expect(reset.status == 200)
      #expect(try await server.get("/api/v1/me", as: third).status == 401)
    }
  }

  @Test func anUnknownPageTellsNothingOfTheProgramToStrangers() async throws {
    try await SecureServer.run { server in
      let stranger = try await server.get("/nowhere", as: .none)
      #expect(stranger.status == 404 && stranger.body.contains("Page not found"))
      for hint in ["Definitions v", "period-picker", "Partners</a>", "Data from"] {
        #expect(!stranger.body.contains(hint), "\(hint)")
      }
      let partner = try await server.get("/nowhere", as: .key("ckpi_sec_p1"))
      #expect(partner.status == 404 && !partner.body.contains("Definitions v") && partner.body.contains("/portal"))
      let vendor = try await server.get("/nowhere", as: .key("ckpi_sec_admin"))
      #expect(vendor.status == 404 && vendor.body.contains("Definitions v"))
    }
  }

  @Test func everyAnswerCarriesTheSecurityHeaders() async throws {
    try await SecureServer.run { server in
      for path in ["/login", "/healthz", "/api/v1/kpis", "/nowhere", "/api/v1/nowhere"] {
        let r = try await server.get(path, as: .none)
        #expect(r.headers["content-security-policy"]?.hasPrefix("default-src 'self'") == true, "\(path)")
        #expect(r.headers["content-security-policy"]?.contains("frame-ancestors 'none'") == true, "\(path)")
        #expect(r.headers["x-content-type-options"] == "nosniff", "\(path)")
        #expect(r.headers["x-frame-options"] == "DENY", "\(path)")
        #expect(r.headers["referrer-policy"] == "same-origin", "\(path)")
      }
    }
  }

  @Test func keysAreMadeShownOnceUsedAndRevoked() async throws {
    try await SecureServer.run { server in
      let made = try await server.send(
        "POST", "/api/v1/keys", as: .key("ckpi_sec_admin"),
        body: #"{"name":"p1 portal","role":"partner","partner":"P1","scopes":["read"]}"#)
      #expect(made.status == 201)
      let secret = try #require(made.json["secret"]?.string)
      let id = try #require(made.json["id"]?.number)
      #expect(secret.hasPrefix("ckpi_") && made.json["prefix"]?.string == String(secret.prefix(12)))
      // Listed without its secret or hash.
      let list = try await server.get("/api/v1/keys", as: .key("ckpi_sec_admin"))
      #expect(!list.body.contains(secret) && !list.body.contains(Credentials.hash(secret)))
      #expect(try await server.get("/api/v1/me", as: .key(secret)).json["partner"]?.string == "P1")
      // Spaces between the scheme and the key are not part of it.
      #expect(try await server.get("/api/v1/me", as: .key("  \(secret)")).json["partner"]?.string == "P1")
      let used = try await server.store.keys().first { $0.id == Int64(id) }
      #expect(used?.lastUsedAt == server.clock.now)
      // A partner's key cannot ingest, an analyst's cannot write.
      let bad = try await server.send(
        "POST", "/api/v1/keys", as: .key("ckpi_sec_admin"),
        body: #"{"name":"x","role":"partner","partner":"P1","scopes":["ingest"]}"#)
      #expect(bad.status == 422 && bad.body.contains("cannot ingest"))
      let revoked = try await server.send(
        "POST", "/api/v1/keys/\(Int(id))/revoke", as: .key("ckpi_sec_admin"), body: "{}")
      #expect(revoked.status == 200 && revoked.json["revoked_at"]?.string != nil)
      #expect(try await server.get("/api/v1/me", as: .key(secret)).status == 401)
      let again = try await server.send(
        "POST", "/api/v1/keys/\(Int(id))/revoke", as: .key("ckpi_sec_admin"), body: "{}")
      #expect(again.status == 409)
    }
  }

  @Test func aKeyRevokedElsewhereStopsWorkingWithinASecond() async throws {
    try await SecureServer.run { server in
      let made = try await server.send(
        "POST", "/api/v1/keys", as: .key("ckpi_sec_admin"), body: #"{"name":"cli","role":"analyst","scopes":["read"]}"#)
      let secret = try #require(made.json["secret"]?.string)
      let id = try #require(made.json["id"]?.number)
      #expect(try await server.get("/api/v1/me", as: .key(secret)).status == 200)
      // Revoked in the store directly, as `channelkpi keys revoke` on the same database does:
      // this second's requests were answered from what the server looked up.
      try await server.store.revokeKey(id: Int64(id), at: Timestamp.iso(server.clock.now))
      #expect(try await server.get("/api/v1/me", as: .key(secret)).status == 200)
      server.clock.advance(1)
      #expect(try await server.get("/api/v1/me", as: .key(secret)).status == 401)
    }
  }

  @Test func usersAreManagedByAdminsAndNeverShowTheirHashes() async throws {
    try await SecureServer.run { server in
      let admin: Credential = .key("ckpi_sec_admin")
      let added = try await server.send(
        "POST", "/api/v1/users", as: admin, body: #"{"username":"bo","name":"Bo Chen","role":"manager"}"#)
      #expect(added.status == 201)
      let password = try #require(added.json["password"]?.string)
      #expect(password.count == 19)
      let stored = try #require(try await server.store.user(username: "bo"))
      #expect(stored.passwordHash.hasPrefix("$2b$") && Credentials.verify(password, hash: stored.passwordHash))
      let list = try await server.get("/api/v1/users", as: admin)
      #expect(!list.body.contains("$2b$") && !list.body.contains(password))
      // Bo Chen manages P2.
      let bo = try #require(try await server.signIn("bo", password: password).credential)
      #expect(try await server.get("/api/v1/partners", as: bo).json["partners"]?[0]?["id"]?.string == "P2")
      for (body, path) in [
        (#"{"username":"bo","role":"admin","password":"long enough password"}"#, "/username"),
        (#"{"username":"x y","role":"admin"}"#, "/username"),
        (#"{"username":"pz","role":"partner","partner":"P99"}"#, "/partner"),
        (#"{"username":"an","role":"analyst","password":"short"}"#, "/password"),
        (#"{"username":"an","role":"analyst","all_partners":true}"#, "/all_partners"),
      ] {
        let r = try await server.send("POST", "/api/v1/users", as: admin, body: body)
        #expect(r.status == 422 && r.json["errors"]?[0]?["path"]?.string == path, "\(body): \(r.body)")
      }
      let disabled = try await server.send("POST", "/api/v1/users/bo/disable", as: admin, body: "{}")
      #expect(disabled.status == 200 && disabled.json["disabled"] == .bool(true))
      #expect(try await server.get("/api/v1/me", as: bo).status == 401)
      // Analysts and managers cannot manage users.
      #expect(try await server.get("/api/v1/users", as: .key("ckpi_sec_analyst")).status == 403)
      #expect(try await server.get("/api/v1/users", as: .key("ckpi_sec_leader")).status == 403)
    }
  }
}

/// Which partners and scopes a grant may read, worked out by hand on four partners.
@Suite struct VisibilityTests {
  static func p(_ id: String, _ type: String, _ region: String, tier: String?, manager: String?) -> PartnerInfo {
    PartnerInfo(
      id: id, name: id, type: type, region: region, country: nil, tier: tier, joinedOn: Day(number: 0), leftOn: nil,
      manager: manager)
  }

  // A1, A2 (Ann's) are the only msps; B1 (Bob's) and A2 are in emea; A1 and B1 are gold.
  static let partners = [
    p("A1", "msp", "na", tier: "gold", manager: "Ann"), p("A2", "msp", "emea", tier: nil, manager: "Ann"),
    p("B1", "reseller", "emea", tier: "gold", manager: "Bob"), p("N1", "reseller", "na", tier: nil, manager: nil),
  ]

  @Test func aManagerSeesTheirPartnersAndTheScopesMadeOnlyOfThem() {
    let v = Visibility(Grant(role: .manager, manager: "Ann"), partners: Self.partners)
    #expect(!v.all && v.partners == ["A1", "A2"])
    #expect(v.canSee(Scope(.type, "msp"), partners: Self.partners))
    #expect(!v.canSee(Scope(.region, "emea"), partners: Self.partners))
    #expect(!v.canSee(Scope(.tier, "gold"), partners: Self.partners))
    #expect(!v.canSee(Scope(.type, "nothing"), partners: Self.partners), "a scope of no partner is no scope")
    #expect(!v.canSee(.network, partners: Self.partners))
    #expect(
      v.canSee(Scope(.partner, "A2"), partners: Self.partners)
        && !v.canSee(Scope(.partner, "B1"), partners: Self.partners))
  }

  @Test func aPartnerSeesItselfOnlyAndOthersSeeAll() {
    let v = Visibility(Grant(role: .partner, partner: "A1"), partners: Self.partners)
    #expect(v.canSee(partner: "A1") && !v.canSee(partner: "A2"))
    // Even a scope that holds only itself is a group it may not read.
    let alone = [Self.partners[0]]
    #expect(!v.canSee(Scope(.type, "msp"), partners: alone))
    for g in [Grant(role: .admin), Grant(role: .analyst), Grant(role: .manager, allPartners: true)] {
      let all = Visibility(g, partners: Self.partners)
      #expect(all.all && all.canSee(.network, partners: Self.partners) && all.canSee(partner: "anything"))
    }
    // A manager no partner names sees nothing.
    let nobody = Visibility(Grant(role: .manager, manager: ""), partners: Self.partners)
    #expect(nobody.partners.isEmpty && !nobody.canSee(partner: "N1"))
  }
}

/// What the store keeps of a key or session: the SHA-256 of the secret, as lowercase hex.
@Suite struct CredentialHashTests {
  @Test func hashesAreSHA256InLowercaseHex() {
    // The FIPS 180-2 examples.
    #expect(Credentials.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(Credentials.hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    let token = Credentials.randomToken()
    #expect(token.count == 64 && token.allSatisfy { "0123456789abcdef".contains($0) })
  }
}

/// The identities a server keeps for the second they were looked up in.
@Suite struct CredentialCacheTests {
  let who = Identity(
    actor: "key:k", displayName: "k", grant: Grant(role: .analyst), scopes: [.read], via: .key(id: 1))

  @Test func keptForTheSecondOnlyAndForgottenByWrites() {
    let cache = CredentialCache()
    let first = cache.identity(for: "h", now: 100)
    #expect(first.identity == nil)
    cache.remember(who, for: "h", now: 100, generation: first.generation)
    #expect(cache.identity(for: "h", now: 100).identity == who)
    #expect(cache.identity(for: "h", now: 101).identity == nil)
    cache.forgetAll()
    #expect(cache.identity(for: "h", now: 100).identity == nil)
  }

  @Test func aLookupThatBeganBeforeARevocationIsNotKept() {
    let cache = CredentialCache()
    // A request looks the key up…
    let lookup = cache.identity(for: "h", now: 100)
    // …a revocation goes through meanwhile…
    cache.forgetAll()
    // …and what the request read before it is not kept for the others.
    cache.remember(who, for: "h", now: 100, generation: lookup.generation)
    #expect(cache.identity(for: "h", now: 100).identity == nil)
  }
}
