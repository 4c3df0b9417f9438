import ChannelKPI
public import ChannelKPIStore
public import Foundation

/// Why an account or key request cannot be carried out, with the field at fault.
public struct AccountProblem: Error, Sendable, Hashable, CustomStringConvertible {
  public var field: String
  public var message: String
  public var description: String { "\(field): \(message)" }
}

/// Making users and keys: the one place their rules live, for the CLI and the API alike.
public enum Accounts {
  /// A username: 1–64 letters, digits, dots, dashes, underscores or @.
  static func usernameProblem(_ u: String) -> String? {
    let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: ".-_@"))
    if u.isEmpty || u.count > 64 || u.unicodeScalars.contains(where: { !allowed.contains($0) }) {
      return "a username has 1 to 64 letters, digits, '.', '-', '_' or '@'"
    }
    return nil
  }

  /// Checks a grant against the program: a partner grant names a stored partner; only a manager
  /// reads all partners.
  public static func check(_ grant: Grant, store: any Store) async throws {
    switch grant.role {
    case .partner:
      guard let p = grant.partner, !p.isEmpty else {
        throw AccountProblem(field: "partner", message: "a partner user or key names its partner")
      }
      guard try await KnownPartners.read(from: store)?.partners.contains(p) == true else {
        throw AccountProblem(field: "partner", message: "no partner '\(p)'")
      }
    default:
      if grant.partner != nil {
        throw AccountProblem(field: "partner", message: "only the partner role is bound to a partner")
      }
    }
    if grant.allPartners && grant.role != .manager {
      throw AccountProblem(field: "all_partners", message: "only a manager can be given all partners")
    }
  }

  /// Stores a new user; with no password one is generated. Returns the user and its password.
  public static func addUser(
    username: String, name: String?, grant: Grant, password: String?, by: String, store: any Store, at: Date = Date()
  ) async throws -> (UserAccount, String) {
    if let p = usernameProblem(username) { throw AccountProblem(field: "username", message: p) }
    try await check(grant, store: store)
    let secret = password ?? Credentials.generatePassword()
    if let p = Credentials.passwordProblem(secret) { throw AccountProblem(field: "password", message: p) }
    var user = UserAccount(
      username: username, name: name ?? username, grant: grant, passwordHash: Credentials.hashPassword(secret),
      createdAt: ISO8601DateFormatter().string(from: at), createdBy: by)
    do { user.id = try await store.addUser(user) } catch let e as AccessError {
      throw AccountProblem(field: "username", message: e.description)
    }
    return (user, secret)
  }

  /// Sets a new password (generated when none is given) and ends the user's sessions.
  public static func resetPassword(username: String, password: String?, store: any Store) async throws -> String {
    let secret = password ?? Credentials.generatePassword()
    if let p = Credentials.passwordProblem(secret) { throw AccountProblem(field: "password", message: p) }
    do {
      try await store.updateUser(
        username: username, passwordHash: Credentials.hashPassword(secret), disabled: nil)
    } catch let e as AccessError { throw AccountProblem(field: "username", message: e.description) }
    return secret
  }

  /// Makes a key; returns its record and its secret, which is shown this once.
  public static func createKey(
    name: String, grant: Grant, scopes: Set<KeyScope>, by: String, store: any Store, at: Date = Date()
  ) async throws -> (APIKeyRecord, String) {
    let trimmed = name.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty, trimmed.count <= 100 else {
      throw AccountProblem(field: "name", message: "a key's name has 1 to 100 characters")
    }
    guard !scopes.isEmpty else {
      throw AccountProblem(field: "scopes", message: "give at least one scope: read, ingest or admin")
    }
    if grant.role == .partner && scopes.contains(.ingest) {
      throw AccountProblem(field: "scopes", message: "a partner's key cannot ingest facts")
    }
    if grant.role == .analyst && scopes != [.read] {
      throw AccountProblem(field: "scopes", message: "an analyst's key only reads")
    }
    if grant.role == .manager && scopes.contains(.ingest) {
      throw AccountProblem(field: "scopes", message: "only an admin's key can ingest facts")
    }
    if grant.role == .manager && grant.manager == nil && !grant.allPartners {
      throw AccountProblem(
        field: "manager", message: "a manager's key names the manager whose partners it reads, or all partners")
    }
    try await check(grant, store: store)
    let secret = Credentials.newKey()
    var key = APIKeyRecord(
      name: trimmed, prefix: String(secret.prefix(12)), hash: Credentials.hash(secret), grant: grant, scopes: scopes,
      createdAt: ISO8601DateFormatter().string(from: at), createdBy: by)
    key.id = try await store.addKey(key)
    return (key, secret)
  }
}
