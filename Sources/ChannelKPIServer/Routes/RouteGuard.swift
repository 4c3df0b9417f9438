import ChannelKPIStore
import Foundation
import HTTPTypes
import Hummingbird

/// The access check every route passes through, from the route table: who may call it, the
/// CSRF token of browser writes, and the audit record of every write that went through.
enum RouteGuard {
  typealias Handler = @Sendable (Request, AppContext) async throws -> Response

  static func wrap(_ route: Route, service: KPIService, policy: AuthPolicy, _ handler: @escaping Handler) -> Handler {
    { request, context in
      var context = context
      context.route = route
      let response: Response
      do {
        if let refusal = try refusal(route, request, context) { return refusal }
        var request = request
        // The sign-in form carries its own token (there may be no session yet, or another one).
        if request.method != .get, request.method != .head, route != .login, let csrf = context.identity?.csrf {
          try await CSRF.verify(&request, expected: csrf, page: route.isPage)
        }
        let viewer = context.identity.map(Viewer.init)
        response = try await Viewer.$current.withValue(viewer) { try await handler(request, context) }
      } catch let e as DashboardError {
        return await Viewer.$current.withValue(context.identity.map(Viewer.init)) {
          await DashboardController.errorResponse(e, request: request, service: service)
        }
      }
      // A write may have revoked a key, disabled a user or ended a session (ingestion cannot).
      if route.method != .get, route.access != .ingest, response.status.code < 400 { policy.credentials.forgetAll() }
      // Writes are recorded; reads (an admin's list of users, the audit log itself) are not.
      if route.method != .get, route.access.writes, response.status.code < 400, let who = context.identity {
        try await service.store.recordAudit(
          AuditEntry(
            at: Int64(Date().timeIntervalSince1970), actor: who.actor, action: route.auditAction,
            target: request.uri.path, detail: "\(response.status.code)", address: context.address))
      }
      return response
    }
  }

  /// The answer to a caller the route does not take, or nil to go on: a sign-in page for people
  /// who are not signed in, 401 for the API, 403 for a role or key scope the route does not allow.
  static func refusal(_ route: Route, _ request: Request, _ context: AppContext) throws -> Response? {
    guard let roles = route.access.roles else { return nil }
    guard let who = context.identity else {
      if route.isPage { return redirect(to: Login.path(next: request.uri.description)) }
      throw APIError.unauthorized(
        context.credentialProblem ?? "sign in or send an API key as 'Authorization: Bearer KEY'")
    }
    // A manager of some partners starts from their partners: the overview is the whole network's.
    if route == .dashboardOverview, who.role == .manager, !who.grant.seesEveryPartner {
      return redirect(to: Route.dashboardPartners.path)
    }
    guard roles.contains(who.role) else {
      // A partner's people land in their portal; the vendor's people on the dashboard.
      if route == .dashboardOverview && who.role == .partner { return redirect(to: Route.portal.path) }
      if route == .portal || route == .portalReport, who.role != .partner {
        return redirect(to: Route.dashboardOverview.path)
      }
      if route.isPage {
        throw DashboardError(
          status: .forbidden, title: "Not available to you",
          message: "Your account cannot open this page. Ask your program's administrator if you need it.")
      }
      throw APIError.forbidden("this route is not open to the \(who.role.rawValue) role")
    }
    guard who.scopes.contains(route.access.scope) else {
      throw APIError.forbidden("this key lacks the '\(route.access.scope.rawValue)' scope this route needs")
    }
    return nil
  }

  static func redirect(to location: String) -> Response {
    Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
  }
}

/// Browser writes carry their session's CSRF token: a form's `_csrf` field or an
/// `X-CSRF-Token` header. A write without it, or with another, is refused.
enum CSRF {
  static let field = "_csrf"

  static func verify(_ request: inout Request, expected: String, page: Bool) async throws {
    var given = request.headers[.xCSRFToken]
    if given == nil {
      let header = request.headers[.contentType] ?? ""
      // Only the media type is compared without case: a multipart boundary keeps its own.
      let type = header.lowercased()
      if type.hasPrefix("application/x-www-form-urlencoded") || type.hasPrefix("multipart/form-data") {
        let buffer = try await request.collectBody(upTo: 64 * 1024 * 1024)
        let bytes = Array(buffer.readableBytesView)
        if type.hasPrefix("multipart/form-data") {
          let boundary = Multipart.boundary(contentType: header) ?? ""
          given = (try? Multipart.parse(bytes, boundary: boundary))?.first { $0.name == field }?.text
        } else {
          given = DashboardQuery(raw: String(decoding: bytes, as: UTF8.self)).string(field)
        }
      }
    }
    guard let given, Credentials.constantTimeEquals(given, expected) else {
      if page {
        throw DashboardError(
          status: .forbidden, title: "This form has expired",
          message: "The form was not sent from this session. Go back, reload the page and send it again.")
      }
      throw APIError.forbidden("a write from a browser session needs its CSRF token in X-CSRF-Token")
    }
  }
}

/// The security headers of every answer.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
  /// Pages run no script, load nothing from elsewhere and cannot be framed.
  static var contentSecurityPolicy: String {
    "default-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'"
  }

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    var response: Response
    do { response = try await next(request, context) } catch let error as any HTTPResponseError {
      response = try error.response(from: request, context: context)
    }
    response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
    response.headers[.xContentTypeOptions] = "nosniff"
    response.headers[.xFrameOptions] = "DENY"
    response.headers[.referrerPolicy] = "same-origin"
    return response
  }
}

extension HTTPField.Name {
  static let xFrameOptions = Self("X-Frame-Options")!
  static let referrerPolicy = Self("Referrer-Policy")!
}
