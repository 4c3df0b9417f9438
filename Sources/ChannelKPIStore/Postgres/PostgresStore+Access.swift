import ChannelKPI
import Foundation
import PostgresNIO

extension PostgresStore {
  private static let userColumns =
    "id, username, name, role, partner_id, manager, all_partners, password_hash, disabled, created_at, created_by"
  private typealias UserRow = (Int64, String, String, String, String?, String?, Bool, String, Bool, String, String)

  private static func user(_ r: UserRow) -> UserAccount {
    UserAccount(
      id: r.0, username: r.1, name: r.2,
      grant: Grant(role: Role(rawValue: r.3) ?? .partner, partner: r.4, manager: r.5, allPartners: r.6),
      passwordHash: r.7, disabled: r.8, createdAt: r.9, createdBy: r.10)
  }

  private func users(_ query: PostgresQuery) async throws -> [UserAccount] {
    var out: [UserAccount] = []
    for try await r in try await client.query(query, logger: logger).decode(UserRow.self) { out.append(Self.user(r)) }
    return out
  }

  public func addUser(_ u: UserAccount) async throws -> Int64 {
    do {
      return try await one(
        """
        INSERT INTO users (username, name, role, partner_id, manager, all_partners, password_hash, disabled,
          created_at, created_by)
        VALUES (\(u.username), \(u.name), \(u.grant.role.rawValue), \(u.grant.partner), \(u.grant.manager),
          \(u.grant.allPartners), \(u.passwordHash), \(u.disabled), \(u.createdAt), \(u.createdBy))
        RETURNING id
        """, as: Int64.self) ?? 0
    } catch let e as PSQLError where e.serverInfo?[.sqlState] == "23505" {
      throw AccessError.usernameTaken(u.username)
    }
  }

  public func users() async throws -> [UserAccount] {
    try await users(PostgresQuery(unsafeSQL: "SELECT \(Self.userColumns) FROM users ORDER BY username"))
  }

  public func user(username: String) async throws -> UserAccount? {
    var q = PostgresQuery(unsafeSQL: "SELECT \(Self.userColumns) FROM users WHERE username = $1")
    q.binds.append(username)
    return try await users(q).first
  }

  public func user(id: Int64) async throws -> UserAccount? {
    var q = PostgresQuery(unsafeSQL: "SELECT \(Self.userColumns) FROM users WHERE id = $1")
    q.binds.append(id)
    return try await users(q).first
  }

  public func updateUser(username: String, passwordHash: String?, disabled: Bool?) async throws {
    try await transaction { conn in
      guard let id = try await one(conn, "SELECT id FROM users WHERE username = \(username) FOR UPDATE", as: Int64.self)
      else { throw AccessError.noUser(username) }
      try await conn.query(
        """
        UPDATE users SET password_hash = COALESCE(\(passwordHash), password_hash),
          disabled = COALESCE(\(disabled), disabled)
        WHERE id = \(id)
        """, logger: logger)
      try await conn.query("DELETE FROM sessions WHERE user_id = \(id)", logger: logger)
    }
  }

  public func addSession(_ s: StoredSession) async throws {
    try await client.query(
      """
      INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at)
      VALUES (\(s.tokenHash), \(s.userID), \(s.createdAt), \(s.lastSeenAt))
      """, logger: logger)
  }

  public func session(tokenHash: String) async throws -> StoredSession? {
    let rows = try await client.query(
      "SELECT user_id, created_at, last_seen_at FROM sessions WHERE token_hash = \(tokenHash)", logger: logger)
    for try await (user, created, seen) in rows.decode((Int64, Int64, Int64).self) {
      return StoredSession(tokenHash: tokenHash, userID: user, createdAt: created, lastSeenAt: seen)
    }
    return nil
  }

  public func touchSession(tokenHash: String, at: Int64) async throws {
    try await client.query("UPDATE sessions SET last_seen_at = \(at) WHERE token_hash = \(tokenHash)", logger: logger)
  }

  public func deleteSession(tokenHash: String) async throws {
    try await client.query("DELETE FROM sessions WHERE token_hash = \(tokenHash)", logger: logger)
  }

  private static let keyColumns =
    "id, name, prefix, hash, role, partner_id, manager, all_partners, scopes, created_at, created_by, last_used_at, revoked_at"
  private typealias KeyRow = (
    Int64, String, String, String, String, String?, String?, Bool, String, String, String, Int64?, String?
  )

  private func keys(_ query: PostgresQuery) async throws -> [APIKeyRecord] {
    var out: [APIKeyRecord] = []
    for try await r in try await client.query(query, logger: logger).decode(KeyRow.self) {
      out.append(
        APIKeyRecord(
          id: r.0, name: r.1, prefix: r.2, hash: r.3,
          grant: Grant(role: Role(rawValue: r.4) ?? .partner, partner: r.5, manager: r.6, allPartners: r.7),
          scopes: APIKeyRecord.scopes(r.8), createdAt: r.9, createdBy: r.10, lastUsedAt: r.11, revokedAt: r.12))
    }
    return out
  }

  public func addKey(_ k: APIKeyRecord) async throws -> Int64 {
    try await one(
      """
      INSERT INTO api_keys (name, prefix, hash, role, partner_id, manager, all_partners, scopes, created_at, created_by)
      VALUES (\(k.name), \(k.prefix), \(k.hash), \(k.grant.role.rawValue), \(k.grant.partner), \(k.grant.manager),
        \(k.grant.allPartners), \(k.scopeList), \(k.createdAt), \(k.createdBy))
      RETURNING id
      """, as: Int64.self) ?? 0
  }

  public func keys() async throws -> [APIKeyRecord] {
    try await keys(PostgresQuery(unsafeSQL: "SELECT \(Self.keyColumns) FROM api_keys ORDER BY id"))
  }

  public func key(hash: String) async throws -> APIKeyRecord? {
    var q = PostgresQuery(unsafeSQL: "SELECT \(Self.keyColumns) FROM api_keys WHERE hash = $1")
    q.binds.append(hash)
    return try await keys(q).first
  }

  public func revokeKey(id: Int64, at: String) async throws {
    try await transaction { conn in
      var found = false
      var revoked = false
      for try await r in try await conn.query(
        "SELECT revoked_at FROM api_keys WHERE id = \(id) FOR UPDATE", logger: logger
      ).decode(String?.self) {
        found = true
        revoked = r != nil
      }
      guard found else { throw AccessError.noKey(id) }
      if revoked { throw AccessError.keyAlreadyRevoked(id) }
      try await conn.query("UPDATE api_keys SET revoked_at = \(at) WHERE id = \(id)", logger: logger)
    }
  }

  public func touchKey(id: Int64, at: Int64) async throws {
    try await client.query("UPDATE api_keys SET last_used_at = \(at) WHERE id = \(id)", logger: logger)
  }

  public func recordAudit(_ e: AuditEntry) async throws {
    try await client.query(
      """
      INSERT INTO audit_log (at, actor, action, target, detail, address)
      VALUES (\(e.at), \(e.actor), \(e.action), \(e.target), \(e.detail), \(e.address))
      """, logger: logger)
  }

  public func audit(limit: Int, actor: String?, action: String?) async throws -> [AuditEntry] {
    var out: [AuditEntry] = []
    let rows = try await client.query(
      """
      SELECT id, at, actor, action, target, detail, address FROM audit_log
      WHERE (\(actor)::text IS NULL OR actor = \(actor)) AND (\(action)::text IS NULL OR action = \(action))
      ORDER BY at DESC, id DESC LIMIT \(limit)
      """, logger: logger)
    for try await (id, at, who, what, target, detail, address) in rows.decode(
      (Int64, Int64, String, String, String, String, String).self)
    {
      out.append(
        AuditEntry(id: id, at: at, actor: who, action: what, target: target, detail: detail, address: address))
    }
    return out
  }

  public func countAudit(action: String, actor: String?, address: String?, since: Int64) async throws -> Int {
    try await one(
      """
      SELECT COUNT(*) FROM audit_log
      WHERE action = \(action) AND at >= \(since) AND (\(actor)::text IS NULL OR actor = \(actor))
        AND (\(address)::text IS NULL OR address = \(address))
      """, as: Int.self) ?? 0
  }

  public func setReviewShared(id: Int64, shared: Bool) async throws {
    try await transaction { conn in
      guard
        try await one(conn, "UPDATE reviews SET shared = \(shared) WHERE id = \(id) RETURNING id", as: Int64.self)
          != nil
      else { throw AccessError.noReview(id) }
      _ = try await logChange(conn, (.reviews, ""))
    }
  }

  public func acknowledgeReview(id: Int64, by: String, at: String) async throws {
    try await transaction { conn in
      guard
        try await one(
          conn, "UPDATE reviews SET acknowledged_by = \(by), acknowledged_at = \(at) WHERE id = \(id) RETURNING id",
          as: Int64.self) != nil
      else { throw AccessError.noReview(id) }
      _ = try await logChange(conn, (.reviews, ""))
    }
  }

  public func addReviewReply(_ r: ReviewReply) async throws -> Int64 {
    try await transaction { conn in
      guard try await one(conn, "SELECT id FROM reviews WHERE id = \(r.review) FOR SHARE", as: Int64.self) != nil else {
        throw AccessError.noReview(r.review)
      }
      let id = try await insert(r, conn)
      _ = try await logChange(conn, (.reviews, ""))
      return id
    }
  }

  func insert(_ r: ReviewReply, _ conn: PostgresConnection) async throws -> Int64 {
    try await one(
      conn,
      """
      INSERT INTO review_replies (id, review_id, author, at, text)
      VALUES (COALESCE(\(r.id), nextval(pg_get_serial_sequence('review_replies', 'id'))), \(r.review), \(r.author),
        \(r.at), \(r.text))
      RETURNING id
      """, as: Int64.self) ?? 0
  }

  public func reviewReplies() async throws -> [ReviewReply] {
    var out: [ReviewReply] = []
    let rows = try await client.query(
      "SELECT id, review_id, author, at, text FROM review_replies ORDER BY id", logger: logger)
    for try await (id, review, author, at, text) in rows.decode((Int64, Int64, String, String, String).self) {
      out.append(ReviewReply(id: id, review: review, author: author, at: at, text: text))
    }
    return out
  }
}
