import ChannelKPIStore
import Foundation
import HTTPTypes
import Hummingbird
import Plot

/// Signing in and out of the dashboard and the portal.
struct LoginController {
  let service: KPIService
  let policy: AuthPolicy
  let gate: LoginGate

  init(service: KPIService, policy: AuthPolicy) {
    self.service = service
    self.policy = policy
    gate = LoginGate(store: service.store, policy: policy)
  }

  @Sendable func loginPage(_ request: Request, context: AppContext) async throws -> Response {
    let q = DashboardQuery(raw: request.uri.query)
    return page(status: .ok, next: Login.safeNext(q.string("next")), message: nil, secure: context.isSecure)
  }

  /// The form, with a fresh token in a cookie and in the form (a login form is CSRF-protected too).
  func page(status: HTTPResponse.Status, next: String, message: String?, secure: Bool) -> Response {
    let token = Credentials.randomToken()
    var response = DashboardController.response(
      DashboardController.HTMLPage(
        status: status, html: LoginPage.render(token: token, next: next, message: message)))
    response.headers[.setCookie] = Cookies.set(
      AuthPolicy.loginCookie, token, maxAge: 3600, secure: secure, sameSite: "Strict")
    response.headers[.cacheControl] = "no-store"
    return response
  }

  @Sendable func login(_ request: Request, context: AppContext) async throws -> Response {
    var request = request
    let buffer: ByteBuffer
    do { buffer = try await request.collectBody(upTo: 16 * 1024) } catch {
      return page(status: .contentTooLarge, next: "/", message: "The form was too large.", secure: context.isSecure)
    }
    let form = DashboardQuery(raw: String(decoding: buffer.readableBytesView, as: UTF8.self))
    let next = Login.safeNext(form.string("next"))
    let username = form.string("username") ?? ""
    let password = form.items.first { $0.name == "password" }?.value ?? ""
    guard let expected = Cookies.value(AuthPolicy.loginCookie, in: request), let given = form.string(CSRF.field),
      Credentials.constantTimeEquals(expected, given)
    else {
      return page(
        status: .forbidden, next: next, message: "The sign-in form expired. Please sign in again.",
        secure: context.isSecure)
    }
    let user: UserAccount
    switch try await gate.attempt(username: username, password: password, address: context.address) {
    case .throttled:
      var r = page(
        status: .tooManyRequests, next: next,
        message: "Too many failed sign-ins. Wait \(policy.throttleWindow / 60) minutes, then try again.",
        secure: context.isSecure)
      r.headers[.retryAfter] = "\(policy.throttleWindow)"
      return r
    case .refused:
      return page(
        status: .unauthorized, next: next, message: "The username or password is not right.",
        secure: context.isSecure)
    case .signedIn(let u): user = u
    }
    guard let id = user.id else { throw DashboardError.internalError }
    let store = service.store
    let now = policy.now()
    // A new session each time: a token set before signing in is never promoted (no fixation).
    if let old = Cookies.value(AuthPolicy.sessionCookie, in: request) {
      try await store.deleteSession(tokenHash: Credentials.hash(old))
    }
    let token = Credentials.randomToken()
    try await store.addSession(
      StoredSession(tokenHash: Credentials.hash(token), userID: id, createdAt: now, lastSeenAt: now))
    try await store.recordAudit(AuditEntry(at: now, actor: user.username, action: "login", address: context.address))
    let grant = Authenticator.grant(of: user)
    let landing =
      next != "/"
      ? next
      : grant.role == .partner
        ? Route.portal.path
        : grant.seesEveryPartner ? next : Route.dashboardPartners.path
    var response = RouteGuard.redirect(to: landing)
    response.headers[values: .setCookie] = [
      Cookies.set(AuthPolicy.sessionCookie, token, maxAge: policy.absoluteTimeout, secure: context.isSecure),
      Cookies.set(AuthPolicy.loginCookie, "", maxAge: 0, secure: context.isSecure, sameSite: "Strict"),
    ]
    return response
  }

  @Sendable func logout(_ request: Request, context: AppContext) async throws -> Response {
    if case .session(let hash, _)? = context.identity?.via { try await service.store.deleteSession(tokenHash: hash) }
    var response = RouteGuard.redirect(to: Route.loginPage.path)
    response.headers[.setCookie] = Cookies.set(AuthPolicy.sessionCookie, "", maxAge: 0, secure: context.isSecure)
    return response
  }
}

/// Where sign-in sends people.
enum Login {
  /// The sign-in page that returns to `next` afterwards.
  static func path(next: String) -> String {
    next == "/" ? Route.loginPage.path : Route.loginPage.path + "?next=" + DashboardQuery.encode(next)
  }

  /// A local path to go to after signing in; anything else (another site, `//host`) is the home page.
  static func safeNext(_ next: String?) -> String {
    guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"),
      !next.unicodeScalars.contains(where: { $0.value < 0x20 })
    else { return "/" }
    return next
  }
}

/// The sign-in page.
enum LoginPage {
  static func render(token: String, next: String, message: String?) -> String {
    HTML(
      .lang(.english),
      Layout.head("Sign in"),
      .body(
        .main(
          .id("main"), .class("login"),
          .h1(.plain("Sign in to \(Layout.productName)")),
          .unwrap(message) { .p(.class("notice notice-error"), .attr("role", "alert"), .plain($0)) },
          .form(
            .class("card login-form"), .attr("method", "post"), .attr("action", Route.login.path),
            .input(.type(.hidden), .name(CSRF.field), .value(token)),
            .input(.type(.hidden), .name("next"), .value(next)),
            .label(.for("username"), "Username"),
            .input(
              .type(.text), .id("username"), .name("username"), .attribute(named: "autocomplete", value: "username"),
              .required(true), .autofocus(true)),
            .label(.for("password"), "Password"),
            .input(
              .type(.password), .id("password"), .name("password"),
              .attribute(named: "autocomplete", value: "current-password"), .required(true)),
            .button(.type(.submit), .class("btn"), "Sign in")
          ),
          .p(.class("muted"), "Forgot your password? Ask your program's administrator to reset it.")
        )
      )
    ).render(indentedBy: .spaces(1))
  }
}

/// Checks sign-ins one at a time: the throttle's count, the password and the record of a
/// failure happen together, so a burst of parallel guesses cannot all pass the count, and
/// bcrypt's work (deliberately slow) never occupies more than one thread.
actor LoginGate {
  enum Outcome: Sendable {
    case throttled
    case refused
    case signedIn(UserAccount)
  }

  let store: any Store
  let policy: AuthPolicy
  /// An attempt is under way; the others wait in order (an actor alone would interleave them at
  /// each store call).
  private var busy = false
  private var waiting: [CheckedContinuation<Void, Never>] = []

  init(store: any Store, policy: AuthPolicy) {
    self.store = store
    self.policy = policy
  }

  /// A bcrypt hash of nothing anyone knows, checked when the username does not exist so that
  /// an unknown user takes as long to refuse as a wrong password.
  static let decoyHash = Credentials.hashPassword(Credentials.randomToken())

  func attempt(username: String, password: String, address: String) async throws -> Outcome {
    if busy {
      await withCheckedContinuation { waiting.append($0) }
    } else {
      busy = true
    }
    defer {
      if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
    return try await check(username: username, password: password, address: address)
  }

  private func check(username: String, password: String, address: String) async throws -> Outcome {
    let now = policy.now()
    let since = now - policy.throttleWindow
    let user = try await store.user(username: username)
    // What was typed as a username is recorded only when it names a user: a password typed in
    // the wrong field must not land in the log.
    let actor = user == nil ? "(unknown user)" : username
    let byAccount =
      user == nil ? 0 : try await store.countAudit(action: "login.failed", actor: username, address: nil, since: since)
    let byAddress = try await store.countAudit(action: "login.failed", actor: nil, address: address, since: since)
    if byAccount >= policy.failuresPerAccount || byAddress >= policy.failuresPerAddress {
      try await store.recordAudit(
        AuditEntry(
          at: now, actor: actor, action: "login.throttled", detail: "too many failed sign-ins", address: address))
      return .throttled
    }
    let matches = Credentials.verify(password, hash: user?.passwordHash ?? Self.decoyHash)
    guard let user, matches, !user.disabled else {
      try await store.recordAudit(
        AuditEntry(
          at: now, actor: actor, action: "login.failed",
          detail: user == nil ? "no such user" : user?.disabled == true ? "disabled account" : "wrong password",
          address: address))
      return .refused
    }
    return .signedIn(user)
  }
}
