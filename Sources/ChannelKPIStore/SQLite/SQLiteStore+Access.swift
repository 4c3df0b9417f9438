import ChannelKPI
import Foundation
import GRDB

extension SQLiteStore {
  static func grant(_ row: Row) -> Grant {
    Grant(
      role: Role(rawValue: row["role"]) ?? .partner, partner: row["partner_id"], manager: row["manager"],
      allPartners: row["all_partners"])
  }

  static func user(_ row: Row) -> UserAccount {
    UserAccount(
      id: row["id"], username: row["username"], name: row["name"], grant: grant(row),
      passwordHash: row["password_hash"], disabled: row["disabled"], createdAt: row["created_at"],
      createdBy: row["created_by"])
  }

  static func key(_ row: Row) -> APIKeyRecord {
    APIKeyRecord(
      id: row["id"], name: row["name"], prefix: row["prefix"], hash: row["hash"], grant: grant(row),
      scopes: APIKeyRecord.scopes(row["scopes"]), createdAt: row["created_at"], createdBy: row["created_by"],
      lastUsedAt: row["last_used_at"], revokedAt: row["revoked_at"])
  }

  public func addUser(_ u: UserAccount) async throws -> Int64 {
    try await writer.write { db in
      if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM users WHERE username = ?", arguments: [u.username]) ?? 0 > 0 {
        throw AccessError.usernameTaken(u.username)
      }
      try db.execute(
        sql: """
          INSERT INTO users (username, name, role, partner_id, manager, all_partners, password_hash, disabled,
            created_at, created_by)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          u.username, u.name, u.grant.role.rawValue, u.grant.partner, u.grant.manager, u.grant.allPartners,
          u.passwordHash, u.disabled, u.createdAt, u.createdBy,
        ])
      return db.lastInsertedRowID
    }
  }

  public func users() async throws -> [UserAccount] {
    try await writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM users ORDER BY username").map(Self.user) }
  }

  public func user(username: String) async throws -> UserAccount? {
    try await writer.read { db in
      try Row.fetchOne(db, sql: "SELECT * FROM users WHERE username = ?", arguments: [username]).map(Self.user)
    }
  }

  public func user(id: Int64) async throws -> UserAccount? {
    try await writer.read { db in
      try Row.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: [id]).map(Self.user)
    }
  }

  public func updateUser(username: String, passwordHash: String?, disabled: Bool?) async throws {
    try await writer.write { db in
      guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM users WHERE username = ?", arguments: [username])
      else { throw AccessError.noUser(username) }
      if let passwordHash {
        try db.execute(sql: "UPDATE users SET password_hash = ? WHERE id = ?", arguments: [passwordHash, id])
      }
      if let disabled { try db.execute(sql: "UPDATE users SET disabled = ? WHERE id = ?", arguments: [disabled, id]) }
      try db.execute(sql: "DELETE FROM sessions WHERE user_id = ?", arguments: [id])
    }
  }

  public func addSession(_ s: StoredSession) async throws {
    try await writer.write { db in
      try db.execute(
        sql: "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)",
        arguments: [s.tokenHash, s.userID, s.createdAt, s.lastSeenAt])
    }
  }

  public func session(tokenHash: String) async throws -> StoredSession? {
    try await writer.read { db in
      try Row.fetchOne(db, sql: "SELECT * FROM sessions WHERE token_hash = ?", arguments: [tokenHash]).map { row in
        StoredSession(
          tokenHash: row["token_hash"], userID: row["user_id"], createdAt: row["created_at"],
          lastSeenAt: row["last_seen_at"])
      }
    }
  }

  public func touchSession(tokenHash: String, at: Int64) async throws {
    try await writer.write { db in
      try db.execute(sql: "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?", arguments: [at, tokenHash])
    }
  }

  public func deleteSession(tokenHash: String) async throws {
    try await writer.write { db in
      try db.execute(sql: "DELETE FROM sessions WHERE token_hash = ?", arguments: [tokenHash])
    }
  }

  public func addKey(_ k: APIKeyRecord) async throws -> Int64 {
    try await writer.write { db in
      try db.execute(
        sql: """
          INSERT INTO api_keys (name, prefix, hash, role, partner_id, manager, all_partners, scopes, created_at,
            created_by)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          k.name, k.prefix, k.hash, k.grant.role.rawValue, k.grant.partner, k.grant.manager, k.grant.allPartners,
          k.scopeList, k.createdAt, k.createdBy,
        ])
      return db.lastInsertedRowID
    }
  }

  public func keys() async throws -> [APIKeyRecord] {
    try await writer.read { db in try Row.fetchAll(db, sql: "SELECT * FROM api_keys ORDER BY id").map(Self.key) }
  }

  public func key(hash: String) async throws -> APIKeyRecord? {
    try await writer.read { db in
      try Row.fetchOne(db, sql: "SELECT * FROM api_keys WHERE hash = ?", arguments: [hash]).map(Self.key)
    }
  }

  public func revokeKey(id: Int64, at: String) async throws {
    try await writer.write { db in
      guard let row = try Row.fetchOne(db, sql: "SELECT revoked_at FROM api_keys WHERE id = ?", arguments: [id]) else {
        throw AccessError.noKey(id)
      }
      if (row["revoked_at"] as String?) != nil { throw AccessError.keyAlreadyRevoked(id) }
      try db.execute(sql: "UPDATE api_keys SET revoked_at = ? WHERE id = ?", arguments: [at, id])
    }
  }

  public func touchKey(id: Int64, at: Int64) async throws {
    try await writer.write { db in
      try db.execute(sql: "UPDATE api_keys SET last_used_at = ? WHERE id = ?", arguments: [at, id])
    }
  }

  public func recordAudit(_ e: AuditEntry) async throws {
    try await writer.write { db in
      try db.execute(
        sql: "INSERT INTO audit_log (at, actor, action, target, detail, address) VALUES (?, ?, ?, ?, ?, ?)",
        arguments: [e.at, e.actor, e.action, e.target, e.detail, e.address])
    }
  }

  public func audit(limit: Int, actor: String?, action: String?) async throws -> [AuditEntry] {
    try await writer.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT * FROM audit_log WHERE (? IS NULL OR actor = ?) AND (? IS NULL OR action = ?)
          ORDER BY at DESC, id DESC LIMIT ?
          """,
        arguments: [actor, actor, action, action, limit]
      ).map { row in
        AuditEntry(
          id: row["id"], at: row["at"], actor: row["actor"], action: row["action"], target: row["target"],
          detail: row["detail"], address: row["address"])
      }
    }
  }

  public func countAudit(action: String, actor: String?, address: String?, since: Int64) async throws -> Int {
    try await writer.read { db in
      try Int.fetchOne(
        db,
        sql: """
          SELECT COUNT(*) FROM audit_log
          WHERE action = ? AND at >= ? AND (? IS NULL OR actor = ?) AND (? IS NULL OR address = ?)
          """,
        arguments: [action, since, actor, actor, address, address]) ?? 0
    }
  }

  public func setReviewShared(id: Int64, shared: Bool) async throws {
    try await writer.write { db in
      try db.execute(sql: "UPDATE reviews SET shared = ? WHERE id = ?", arguments: [shared, id])
      if db.changesCount == 0 { throw AccessError.noReview(id) }
      _ = try Self.logChange(db, (.reviews, ""))
    }
  }

  public func acknowledgeReview(id: Int64, by: String, at: String) async throws {
    try await writer.write { db in
      try db.execute(
        sql: "UPDATE reviews SET acknowledged_by = ?, acknowledged_at = ? WHERE id = ?", arguments: [by, at, id])
      if db.changesCount == 0 { throw AccessError.noReview(id) }
      _ = try Self.logChange(db, (.reviews, ""))
    }
  }

  public func addReviewReply(_ r: ReviewReply) async throws -> Int64 {
    try await writer.write { db in
      guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM reviews WHERE id = ?", arguments: [r.review]) ?? 0 > 0
      else { throw AccessError.noReview(r.review) }
      let id = try Self.insert(r, db)
      _ = try Self.logChange(db, (.reviews, ""))
      return id
    }
  }

  static func insert(_ r: ReviewReply, _ db: Database) throws -> Int64 {
    try db.execute(
      sql: "INSERT INTO review_replies (id, review_id, author, at, text) VALUES (?, ?, ?, ?, ?)",
      arguments: [r.id, r.review, r.author, r.at, r.text])
    return db.lastInsertedRowID
  }

  public func reviewReplies() async throws -> [ReviewReply] {
    try await writer.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM review_replies ORDER BY id").map { row in
        ReviewReply(id: row["id"], review: row["review_id"], author: row["author"], at: row["at"], text: row["text"])
      }
    }
  }
}
