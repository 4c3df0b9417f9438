import ChannelKPIStore
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Finds out who is asking, from a bearer API key or a session cookie, and puts it in the
/// context. It refuses nothing but credentials that are given and not valid; what a caller may
/// do is the route guard's decision.
struct Authenticator: RouterMiddleware {
  typealias Context = AppContext
  let store: any Store
  let policy: AuthPolicy

  func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response)
    async throws -> Response
  {
    var context = context
    if policy.trustProxy {
      if let forwarded = request.headers[.xForwardedFor]?.split(separator: ",").first {
        context.address = Query.trimmed(String(forwarded))
      }
      context.isSecure = request.headers[.xForwardedProto]?.lowercased() == "https"
    }
    if let authorization = request.headers[.authorization] {
      do { context.identity = try await keyIdentity(authorization, logger: context.logger) } catch let e as APIError {
        if case .unauthorized(let why) = e { context.credentialProblem = why } else { throw e }
      }
    } else if let token = Cookies.value(AuthPolicy.sessionCookie, in: request) {
      context.identity = try await sessionIdentity(token, logger: context.logger)
    }
    return try await next(request, context)
  }

  private func keyIdentity(_ header: String, logger: Logger) async throws -> Identity {
    let parts = header.split(separator: " ", maxSplits: 1)
    guard parts.count == 2, parts[0].lowercased() == "bearer" else {
      throw APIError.unauthorized("send an API key as 'Authorization: Bearer KEY'")
    }
    // Foundation's trimming took about 4% of the server's CPU under 64 connections of reads.
    let secret = Query.trimmed(String(parts[1]))
    let hash = Credentials.hash(secret)
    let now = policy.now()
    let cached = policy.credentials.identity(for: "key:" + hash, now: now)
    if let known = cached.identity { return known }
    guard let key = try await store.key(hash: hash), Credentials.constantTimeEquals(key.hash, hash),
      key.revokedAt == nil, let id = key.id
    else { throw APIError.unauthorized("the API key is not valid: unknown or revoked") }
    if (key.lastUsedAt ?? 0) + AuthPolicy.touchInterval <= now {
      await Self.bookkeeping("key use", logger) { try await store.touchKey(id: id, at: now) }
    }
    let identity = Identity(
      actor: "key:\(key.name)", displayName: key.name, grant: key.grant, scopes: key.scopes, via: .key(id: id))
    policy.credentials.remember(identity, for: "key:" + hash, now: now, generation: cached.generation)
    return identity
  }

  /// The session's user, or nil when the session ended (expired, logged out, user disabled).
  private func sessionIdentity(_ token: String, logger: Logger) async throws -> Identity? {
    let hash = Credentials.hash(token)
    let now = policy.now()
    let cached = policy.credentials.identity(for: "session:" + hash, now: now)
    if let known = cached.identity { return known }
    guard let session = try await store.session(tokenHash: hash) else { return nil }
    if now - session.lastSeenAt > policy.idleTimeout || now - session.createdAt > policy.absoluteTimeout {
      await Self.bookkeeping("ended session", logger) { try await store.deleteSession(tokenHash: hash) }
      return nil
    }
    guard let user = try await store.user(id: session.userID), !user.disabled else { return nil }
    if session.lastSeenAt + AuthPolicy.touchInterval <= now {
      await Self.bookkeeping("session use", logger) { try await store.touchSession(tokenHash: hash, at: now) }
    }
    let identity = Identity(
      actor: user.username, displayName: user.name, grant: Self.grant(of: user), scopes: Set(KeyScope.allCases),
      via: .session(tokenHash: hash, csrf: Credentials.csrfToken(session: token)))
    policy.credentials.remember(identity, for: "session:" + hash, now: now, generation: cached.generation)
    return identity
  }

  /// Records when a key or session was last used, or forgets an ended session. A database that
  /// cannot take the write (full, read-only) must not turn away a read, so a failure is logged.
  private static func bookkeeping(_ what: String, _ logger: Logger, _ write: () async throws -> Void) async {
    do { try await write() } catch {
      logger.warning("\(what) not recorded", metadata: ["error": "\(StoreError.describe(error))"])
    }
  }

  /// A user's grant; a manager's partners name them by their name unless the grant says otherwise.
  static func grant(of user: UserAccount) -> Grant {
    var g = user.grant
    if g.role == .manager && g.manager == nil { g.manager = user.name }
    return g
  }
}

/// Reading and writing the cookies of sessions.
enum Cookies {
  static func value(_ name: String, in request: Request) -> String? {
    for header in request.headers[values: .cookie] {
      for pair in header.split(separator: ";") {
        let kv = pair.split(separator: "=", maxSplits: 1)
        if kv.count == 2, Query.trimmed(String(kv[0])) == name {
          let v = Query.trimmed(String(kv[1]))
          return v.isEmpty ? nil : v
        }
      }
    }
    return nil
  }

  /// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Secure over https; `maxAge` 0 deletes it.
  static func set(_ name: String, _ value: String, maxAge: Int64?, secure: Bool, sameSite: String = "Lax") -> String {
    var parts = ["\(name)=\(value)", "Path=/", "HttpOnly", "SameSite=\(sameSite)"]
    if let maxAge { parts.append("Max-Age=\(maxAge)") }
    if secure { parts.append("Secure") }
    return parts.joined(separator: "; ")
  }
}

extension HTTPField.Name {
  static let xForwardedFor = Self("X-Forwarded-For")!
  static let xForwardedProto = Self("X-Forwarded-Proto")!
  static let xCSRFToken = Self("X-CSRF-Token")!
}
