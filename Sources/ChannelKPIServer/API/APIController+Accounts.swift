import ChannelKPI
import ChannelKPIStore
import Foundation
import Hummingbird

/// Who is asking, users, keys and the audit log (admins only, but `me`).
extension APIController {
  static func grantJSON(_ g: Grant) -> [(String, JSONValue)] {
    [
      ("role", .string(g.role.rawValue)), ("partner", .string(g.partner)), ("manager", .string(g.manager)),
      ("all_partners", .bool(g.allPartners)),
    ]
  }

  static func userJSON(_ u: UserAccount) -> JSONValue {
    .object(
      [("username", .string(u.username)), ("name", .string(u.name))] + grantJSON(u.grant) + [
        ("disabled", .bool(u.disabled)), ("created_at", .string(u.createdAt)), ("created_by", .string(u.createdBy)),
      ])
  }

  static func keyJSON(_ k: APIKeyRecord) -> JSONValue {
    .object(
      [("id", .number(k.id.map(Double.init))), ("name", .string(k.name)), ("prefix", .string(k.prefix))]
        + grantJSON(k.grant) + [
          ("scopes", .array(KeyScope.allCases.filter(k.scopes.contains).map { .string($0.rawValue) })),
          ("created_at", .string(k.createdAt)), ("created_by", .string(k.createdBy)),
          ("last_used_at", .string(k.lastUsedAt.map(Timestamp.iso))), ("revoked_at", .string(k.revokedAt)),
        ])
  }

  @Sendable func me(_ request: Request, context: AppContext) async throws -> Response {
    let who = try caller(context)
    var pairs: [(String, JSONValue)] = [("actor", .string(who.actor)), ("name", .string(who.displayName))]
    pairs += Self.grantJSON(who.grant)
    pairs.append(("scopes", .array(KeyScope.allCases.filter(who.scopes.contains).map { .string($0.rawValue) })))
    if let csrf = who.csrf { pairs.append(("csrf_token", .string(csrf))) }
    return Self.json(.object(pairs))
  }

  @Sendable func users(_ request: Request, context: AppContext) async throws -> Response {
    Self.json(.object([("users", .array(try await service.store.users().map(Self.userJSON)))]))
  }

  /// The grant of a body: `role`, and `partner`, `manager`, `all_partners` as the role needs.
  func grant(_ fields: inout BodyFields) -> Grant? {
    let roleText = fields.text("role", required: true)
    let partner = fields.text("partner", required: false)
    let manager = fields.text("manager", required: false)
    let all = fields.bool("all_partners", fallback: false)
    guard let roleText else { return nil }
    guard let role = Role(rawValue: roleText) else {
      fields.problems.append(APIProblem(path: "/role", message: "must be admin, manager, analyst or partner"))
      return nil
    }
    return Grant(role: role, partner: partner, manager: manager, allPartners: all)
  }

  func accountProblem(_ e: AccountProblem) -> APIError {
    APIError.unprocessable([APIProblem(path: "/\(e.field)", message: e.message)])
  }

  /// `{"username": "ana", "name": "Ana Ruiz", "role": "manager", "password": "…"}`; without a
  /// password one is made and answered once.
  @Sendable func addUser(_ request: Request, context: AppContext) async throws -> Response {
    let who = try caller(context)
    guard case .object(let o) = try JSONInput.parse(try await body(request, context)) else {
      throw APIError.unprocessable([APIProblem(path: "", message: "the body must be an object")])
    }
    var fields = BodyFields(object: o)
    let username = fields.text("username", required: true)
    let name = fields.text("name", required: false)
    let password = fields.text("password", required: false)
    let grant = grant(&fields)
    guard fields.problems.isEmpty, let username, let grant else { throw APIError.unprocessable(fields.problems) }
    do {
      let (user, secret) = try await Accounts.addUser(
        username: username, name: name, grant: grant, password: password, by: who.actor, store: service.store)
      var answer = Self.userJSON(user)
      if password == nil, case .object(var pairs) = answer {
        pairs.append(("password", .string(secret)))
        answer = .object(pairs)
      }
      return Self.json(answer, status: .created)
    } catch let e as AccountProblem { throw accountProblem(e) }
  }

  func existingUser(_ context: AppContext) async throws -> String {
    let username = context.parameters.get("username").flatMap { $0.removingPercentEncoding } ?? ""
    guard try await service.store.user(username: username) != nil else {
      throw APIError.notFound("there is no user '\(username)'")
    }
    return username
  }

  @Sendable func disableUser(_ request: Request, context: AppContext) async throws -> Response {
    let who = try caller(context)
    let username = try await existingUser(context)
    guard username != who.actor else { throw APIError.conflict("you cannot disable your own account") }
    try await service.store.updateUser(username: username, passwordHash: nil, disabled: true)
    guard let user = try await service.store.user(username: username) else {
      throw APIError.notFound("there is no user '\(username)'")
    }
    return Self.json(Self.userJSON(user))
  }

  /// `{"password": "…"}` or `{}` for a generated one (answered once); ends the user's sessions.
  @Sendable func resetPassword(_ request: Request, context: AppContext) async throws -> Response {
    let username = try await existingUser(context)
    guard case .object(let o) = try JSONInput.parse(try await body(request, context)) else {
      throw APIError.unprocessable([APIProblem(path: "", message: "the body must be an object")])
    }
    var fields = BodyFields(object: o)
    let password = fields.text("password", required: false)
    guard fields.problems.isEmpty else { throw APIError.unprocessable(fields.problems) }
    do {
      let secret = try await Accounts.resetPassword(username: username, password: password, store: service.store)
      var pairs: [(String, JSONValue)] = [("username", .string(username))]
      if password == nil { pairs.append(("password", .string(secret))) }
      return Self.json(.object(pairs))
    } catch let e as AccountProblem { throw accountProblem(e) }
  }

  @Sendable func keys(_ request: Request, context: AppContext) async throws -> Response {
    Self.json(.object([("keys", .array(try await service.store.keys().map(Self.keyJSON)))]))
  }

  /// `{"name": "crm sync", "role": "admin", "scopes": ["ingest"]}`: the secret is in the answer, once.
  @Sendable func createKey(_ request: Request, context: AppContext) async throws -> Response {
    let who = try caller(context)
    guard case .object(let o) = try JSONInput.parse(try await body(request, context)) else {
      throw APIError.unprocessable([APIProblem(path: "", message: "the body must be an object")])
    }
    var fields = BodyFields(object: o)
    let name = fields.text("name", required: true)
    let grant = grant(&fields)
    var scopes: Set<KeyScope> = []
    switch o["scopes"] {
    case .array(let items)?:
      for (i, item) in items.enumerated() {
        guard case .string(let s) = item, let scope = KeyScope(rawValue: s) else {
          fields.problems.append(APIProblem(path: "/scopes/\(i)", message: "must be read, ingest or admin"))
          continue
        }
        scopes.insert(scope)
      }
    case nil, .null?: fields.problems.append(APIProblem(path: "/scopes", message: "is required"))
    default: fields.problems.append(APIProblem(path: "/scopes", message: "must be an array of scopes"))
    }
    guard fields.problems.isEmpty, let name, let grant else { throw APIError.unprocessable(fields.problems) }
    do {
      let (key, secret) = try await Accounts.createKey(
        name: name, grant: grant, scopes: scopes, by: who.actor, store: service.store)
      guard case .object(var pairs) = Self.keyJSON(key) else { return Self.json(Self.keyJSON(key)) }
      pairs.append(("secret", .string(secret)))
      return Self.json(.object(pairs), status: .created)
    } catch let e as AccountProblem { throw accountProblem(e) }
  }

  @Sendable func revokeKey(_ request: Request, context: AppContext) async throws -> Response {
    guard let id = context.parameters.get("id").flatMap(Int64.init) else {
      throw APIError.badRequest("a key id is a whole number", parameter: "id")
    }
    if case .key(let own)? = context.identity?.via, own == id {
      throw APIError.conflict("this request is made with key \(id); revoke it with another key or the CLI")
    }
    do {
      try await service.store.revokeKey(id: id, at: ISO8601DateFormatter().string(from: Date()))
    } catch AccessError.noKey { throw APIError.notFound("there is no key \(id)") } catch let e as AccessError {
      throw APIError.conflict(e.description)
    }
    guard let key = try await service.store.keys().first(where: { $0.id == id }) else {
      throw APIError.notFound("there is no key \(id)")
    }
    return Self.json(Self.keyJSON(key))
  }

  static func auditJSON(_ e: AuditEntry) -> JSONValue {
    .object([
      ("id", .number(e.id.map(Double.init))), ("at", .string(Timestamp.iso(e.at))), ("actor", .string(e.actor)),
      ("action", .string(e.action)), ("target", .string(e.target)), ("detail", .string(e.detail)),
      ("address", .string(e.address)),
    ])
  }

  @Sendable func audit(_ request: Request, context: AppContext) async throws -> Response {
    let q = Query(request: request)
    let limit = try q.int("limit", default: 100, range: 1...10_000)
    let entries = try await service.store.audit(limit: limit, actor: q.string("actor"), action: q.string("action"))
    return Self.json(.object([("entries", .array(entries.map(Self.auditJSON)))]))
  }
}
