import Foundation

/// What a user or an API key is allowed to be: the four roles of a program.
public enum Role: String, Sendable, Hashable, CaseIterable, Codable {
  /// Everything, including users, keys and program definitions.
  case admin
  /// A channel account manager: the partners whose `manager` attribute names them (all of them
  /// with `allPartners`); records reviews and approves those partners' statements.
  case manager
  /// Reads everything, changes nothing.
  case analyst
  /// One partner's staff: that partner's own data only.
  case partner
}

/// Who a user or key acts as: a role, and for a partner its id, for a manager the name the
/// partners' `manager` attribute holds (or every partner).
public struct Grant: Sendable, Hashable {
  public var role: Role
  /// The partner a `partner` grant is bound to.
  public var partner: String?
  /// The name partners' `manager` attribute holds for a `manager` grant.
  public var manager: String?
  /// A `manager` grant that reads every partner (program leaders).
  public var allPartners: Bool

  public init(role: Role, partner: String? = nil, manager: String? = nil, allPartners: Bool = false) {
    self.role = role
    self.partner = partner
    self.manager = manager
    self.allPartners = allPartners
  }
}

/// A person who signs in to the dashboard or the portal.
public struct UserAccount: Sendable, Hashable {
  public var id: Int64?
  /// The login name, unique.
  public var username: String
  /// The name people know them by; a manager's partners name them by it.
  public var name: String
  public var grant: Grant
  /// The bcrypt hash of the password (never exported, never logged).
  public var passwordHash: String
  public var disabled: Bool
  public var createdAt: String
  public var createdBy: String

  public init(
    id: Int64? = nil, username: String, name: String, grant: Grant, passwordHash: String, disabled: Bool = false,
    createdAt: String, createdBy: String
  ) {
    self.id = id
    self.username = username
    self.name = name
    self.grant = grant
    self.passwordHash = passwordHash
    self.disabled = disabled
    self.createdAt = createdAt
    self.createdBy = createdBy
  }
}

/// A signed-in browser: the SHA-256 of its cookie's token (the token itself is never stored).
public struct StoredSession: Sendable, Hashable {
  public var tokenHash: String
  public var userID: Int64
  /// Seconds since 1970.
  public var createdAt: Int64
  public var lastSeenAt: Int64

  public init(tokenHash: String, userID: Int64, createdAt: Int64, lastSeenAt: Int64) {
    self.tokenHash = tokenHash
    self.userID = userID
    self.createdAt = createdAt
    self.lastSeenAt = lastSeenAt
  }
}

/// What an API key may do, within its grant.
public enum KeyScope: String, Sendable, Hashable, CaseIterable, Codable {
  /// Read what the grant may see.
  case read
  /// Post facts.
  case ingest
  /// Change the program: definitions, reviews, approvals, users and keys, as far as the grant goes.
  case admin
}

/// A bearer key for the API: shown once when made, stored as the SHA-256 of its secret.
public struct APIKeyRecord: Sendable, Hashable {
  public var id: Int64?
  public var name: String
  /// The key's first characters, to recognise it in lists.
  public var prefix: String
  public var hash: String
  public var grant: Grant
  public var scopes: Set<KeyScope>
  public var createdAt: String
  public var createdBy: String
  /// Seconds since 1970 of the last request made with it.
  public var lastUsedAt: Int64?
  public var revokedAt: String?

  public init(
    id: Int64? = nil, name: String, prefix: String, hash: String, grant: Grant, scopes: Set<KeyScope>,
    createdAt: String, createdBy: String, lastUsedAt: Int64? = nil, revokedAt: String? = nil
  ) {
    self.id = id
    self.name = name
    self.prefix = prefix
    self.hash = hash
    self.grant = grant
    self.scopes = scopes
    self.createdAt = createdAt
    self.createdBy = createdBy
    self.lastUsedAt = lastUsedAt
    self.revokedAt = revokedAt
  }

  /// The scopes in a stable order, comma-separated, as stored.
  public var scopeList: String { KeyScope.allCases.filter(scopes.contains).map(\.rawValue).joined(separator: ",") }

  static func scopes(_ text: String) -> Set<KeyScope> {
    Set(text.split(separator: ",").compactMap { KeyScope(rawValue: String($0)) })
  }
}

/// One recorded write or refused sign-in: who, when, what, from where.
public struct AuditEntry: Sendable, Hashable {
  public var id: Int64?
  /// Seconds since 1970.
  public var at: Int64
  /// The username, key (`key:NAME`), `cli:USER` or `anonymous`.
  public var actor: String
  /// What was done, such as `facts.ingest`, `statements.approve`, `login.failed`.
  public var action: String
  /// What it was done to (a partner, a period, a user).
  public var target: String
  /// A short description (never a secret).
  public var detail: String
  /// The client's address, or `cli`.
  public var address: String

  public init(
    id: Int64? = nil, at: Int64, actor: String, action: String, target: String = "", detail: String = "",
    address: String
  ) {
    self.id = id
    self.at = at
    self.actor = actor
    self.action = action
    self.target = target
    self.detail = detail
    self.address = address
  }
}

/// Why an account, key or review change cannot be made.
public enum AccessError: Error, Sendable, Hashable, CustomStringConvertible {
  case usernameTaken(String)
  case noUser(String)
  case noKey(Int64)
  case keyAlreadyRevoked(Int64)
  case noReview(Int64)

  public var description: String {
    switch self {
    case .usernameTaken(let u): "there is already a user '\(u)'"
    case .noUser(let u): "there is no user '\(u)'"
    case .noKey(let id): "there is no key \(id)"
    case .keyAlreadyRevoked(let id): "key \(id) is already revoked"
    case .noReview(let id): "there is no review \(id)"
    }
  }
}

/// A partner's answer to a review shared with it.
public struct ReviewReply: Sendable, Hashable {
  public var id: Int64?
  public var review: Int64
  public var author: String
  public var at: String
  public var text: String

  public init(id: Int64? = nil, review: Int64, author: String, at: String, text: String) {
    self.id = id
    self.review = review
    self.author = author
    self.at = at
    self.text = text
  }
}

/// Persistence of who may use the program: users, sessions, API keys, the audit log, and what
/// partners do with the reviews shared with them.
public protocol AccessStore: Sendable {
  /// Stores a new user (`AccessError.usernameTaken` when the name is in use); returns its id.
  func addUser(_ user: UserAccount) async throws -> Int64
  /// Every user, by username.
  func users() async throws -> [UserAccount]
  func user(username: String) async throws -> UserAccount?
  func user(id: Int64) async throws -> UserAccount?
  /// Changes a user's password hash and/or disabled flag, and ends the user's sessions.
  func updateUser(username: String, passwordHash: String?, disabled: Bool?) async throws

  func addSession(_ session: StoredSession) async throws
  func session(tokenHash: String) async throws -> StoredSession?
  func touchSession(tokenHash: String, at: Int64) async throws
  func deleteSession(tokenHash: String) async throws

  /// Stores a new key; returns its id.
  func addKey(_ key: APIKeyRecord) async throws -> Int64
  /// Every key, revoked ones included, oldest first.
  func keys() async throws -> [APIKeyRecord]
  func key(hash: String) async throws -> APIKeyRecord?
  func revokeKey(id: Int64, at: String) async throws
  func touchKey(id: Int64, at: Int64) async throws

  func recordAudit(_ entry: AuditEntry) async throws
  /// The latest entries first, at most `limit`, optionally of one actor or action.
  func audit(limit: Int, actor: String?, action: String?) async throws -> [AuditEntry]
  /// How many entries of an action since a time, of an actor and/or from an address.
  func countAudit(action: String, actor: String?, address: String?, since: Int64) async throws -> Int

  /// Shares a review with its partner (or stops sharing it).
  func setReviewShared(id: Int64, shared: Bool) async throws
  /// Records that the partner read a review.
  func acknowledgeReview(id: Int64, by: String, at: String) async throws
  func addReviewReply(_ reply: ReviewReply) async throws -> Int64
  /// Every reply, oldest first.
  func reviewReplies() async throws -> [ReviewReply]
}
