import ArgumentParser
import ChannelKPI
import ChannelKPIServer
import ChannelKPIStore
import Foundation

/// Who runs a command, for the audit log: `cli:` and the system user.
enum CLIActor {
  static var name: String { "cli:" + (ProcessInfo.processInfo.environment["USER"] ?? "unknown") }

  static func record(_ store: any Store, _ action: String, target: String = "", detail: String = "") async throws {
    try await store.recordAudit(
      AuditEntry(
        at: Int64(Date().timeIntervalSince1970), actor: name, action: action, target: target, detail: detail,
        address: "cli"))
  }
}

/// The options that say who a user or key acts as.
struct GrantOptions: ParsableArguments {
  @Option(help: "admin, manager, analyst or partner.")
  var role: String
  @Option(help: ArgumentHelp("The partner a partner user or key belongs to.", valueName: "id"))
  var partner: String?
  @Option(
    help: ArgumentHelp(
      "For a manager key: the name partners' manager attribute holds (a manager user is matched by --name).",
      valueName: "name"))
  var manager: String?
  @Flag(help: "A manager who reads every partner (program leaders).")
  var allPartners = false

  func validate() throws {
    guard Role(rawValue: role) != nil else {
      throw ValidationError("--role must be admin, manager, analyst or partner")
    }
  }

  var grant: Grant {
    Grant(role: Role(rawValue: role) ?? .analyst, partner: partner, manager: manager, allPartners: allPartners)
  }
}

struct UsersCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "users",
    abstract: "People who sign in to the dashboard and the portal.",
    discussion: """
      Roles: admin (everything), manager (the partners whose manager attribute holds their name; \
      all of them with --all-partners), analyst (reads everything), partner (one partner's own data). \
      The first admin is made here: channelkpi users add ana --role admin.
      """,
    subcommands: [UsersAddCommand.self, UsersListCommand.self, UsersDisableCommand.self, UsersResetCommand.self],
    defaultSubcommand: UsersListCommand.self)
}

struct UsersAddCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add", abstract: "Add a user; prints a made password unless --password-stdin.")

  @Argument(help: "The login name.") var username: String
  @Option(help: "The name people know them by (a manager's partners name them by it).") var name: String?
  @OptionGroup var grant: GrantOptions
  @Flag(help: "Read the password from standard input instead of making one.") var passwordStdin = false
  @OptionGroup var db: DatabaseOptions

  func run() async throws {
    let password = passwordStdin ? readLine(strippingNewline: true) : nil
    try await db.withStore { store in
      do {
        let (user, secret) = try await Accounts.addUser(
          username: username, name: name, grant: grant.grant, password: password, by: CLIActor.name, store: store)
        try await CLIActor.record(store, "addUser", target: user.username, detail: user.grant.role.rawValue)
        print("Added \(user.username) (\(user.grant.role.rawValue)).")
        if password == nil {
          print("Password: \(secret)  (shown once; they can be given a new one with reset-password)")
        }
      } catch let e as AccountProblem { throw CLIError(e.description) }
    }
  }
}

struct UsersListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "list", abstract: "List the users.")
  @OptionGroup var db: DatabaseOptions

  func run() async throws {
    try await db.withStore { store in
      let users = try await store.users()
      print(
        TextTable.render(
          header: ["username", "name", "role", "partner", "manager", "all partners", "disabled", "created"],
          rows: users.map { u in
            [
              u.username, u.name, u.grant.role.rawValue, u.grant.partner ?? "", u.grant.manager ?? "",
              u.grant.allPartners ? "yes" : "", u.disabled ? "yes" : "", u.createdAt,
            ]
          }, rightAlignFrom: 99), terminator: "")
    }
  }
}

struct UsersDisableCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "disable", abstract: "Stop a user signing in; their sessions end at once.")
  @Argument(help: "The login name.") var username: String
  @OptionGroup var db: DatabaseOptions

  func run() async throws {
    try await db.withStore { store in
      do { try await store.updateUser(username: username, passwordHash: nil, disabled: true) } catch let e
        as AccessError
      { throw CLIError(e.description) }
      try await CLIActor.record(store, "disableUser", target: username)
      print("Disabled \(username).")
    }
  }
}

struct UsersResetCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reset-password", abstract: "Give a user a new password (made, unless --password-stdin).")
  @Argument(help: "The login name.") var username: String
  @Flag(help: "Read the password from standard input instead of making one.") var passwordStdin = false
  @OptionGroup var db: DatabaseOptions

  func run() async throws {
    let password = passwordStdin ? readLine(strippingNewline: true) : nil
    try await db.withStore { store in
      do {
        let secret = try await Accounts.resetPassword(username: username, password: password, store: store)
        try await CLIActor.record(store, "resetPassword", target: username)
        print("New password set for \(username); their sessions have ended.")
        if password == nil { print("Password: \(secret)  (shown once)") }
      } catch let e as AccountProblem { throw CLIError(e.description) }
    }
  }
}

struct KeysCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "keys",
    abstract: "API keys for programs: made with a role (or a partner) and scopes, shown once, stored hashed.",
    subcommands: [KeysCreateCommand.self, KeysListCommand.self, KeysRevokeCommand.self],
    defaultSubcommand: KeysListCommand.self)
}

struct KeysCreateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "create",
    abstract: "Make a key and print its secret (once).",
    discussion: """
      Scopes: read (what the role may see), ingest (post facts; admin keys), admin (every other \
      write the role may make). Send it as 'Authorization: Bearer <secret>'.

        channelkpi keys create --name "crm sync" --role admin --scope ingest
        channelkpi keys create --name "P0007 portal" --role partner --partner P0007 --scope read
      """)
  @Option(help: "What the key is for.") var name: String
  @OptionGroup var grant: GrantOptions
  @Option(name: .customLong("scope"), help: "read, ingest or admin (repeatable; default: read).")
  var scopes: [String] = []
  @OptionGroup var db: DatabaseOptions

  func validate() throws {
    for s in scopes where KeyScope(rawValue: s) == nil {
      throw ValidationError("--scope '\(s)' is not read, ingest or admin")
    }
  }

  func run() async throws {
    let set = Set(scopes.isEmpty ? [.read] : scopes.compactMap(KeyScope.init(rawValue:)))
    try await db.withStore { store in
      do {
        let (key, secret) = try await Accounts.createKey(
          name: name, grant: grant.grant, scopes: set, by: CLIActor.name, store: store)
        try await CLIActor.record(store, "createKey", target: "\(key.id ?? 0)", detail: key.name)
        print("Key \(key.id ?? 0) (\(key.name)): \(secret)")
        print("Keep it now: it is stored only as a hash and cannot be shown again.")
      } catch let e as AccountProblem { throw CLIError(e.description) }
    }
  }
}

struct KeysListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "list", abstract: "List the keys (never their secrets).")
  @OptionGroup var db: DatabaseOptions

  func run() async throws {
    try await db.withStore { store in
      let keys = try await store.keys()
      print(
        TextTable.render(
          header: ["id", "name", "starts", "role", "partner", "scopes", "created", "last used", "revoked"],
          rows: keys.map { k in
            [
              "\(k.id ?? 0)", k.name, k.prefix + "…", k.grant.role.rawValue, k.grant.partner ?? "", k.scopeList,
              k.createdAt,
              k.lastUsedAt.map(Timestamp.iso) ?? "never",
              k.revokedAt ?? "",
            ]
          }, rightAlignFrom: 99), terminator: "")
    }
  }
}

struct KeysRevokeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "revoke", abstract: "Revoke a key: it stops working at once.")
  @Argument(help: "The key's id (see keys list).") var id: Int64
  @OptionGroup var db: DatabaseOptions

  func run() async throws {
    try await db.withStore { store in
      do { try await store.revokeKey(id: id, at: ISO8601DateFormatter().string(from: Date())) } catch let e
        as AccessError
      { throw CLIError(e.description) }
      try await CLIActor.record(store, "revokeKey", target: "\(id)")
      print("Revoked key \(id).")
    }
  }
}

struct AuditCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "audit",
    abstract: "The audit log: every write and sign-in, newest first, with who, when and from where.")
  @Option(help: "At most this many entries.") var limit = 100
  @Option(help: "Only this actor (a username, key:NAME or cli:USER).") var actor: String?
  @Option(help: "Only this action (login.failed, ingest, approveStatements, …).") var action: String?
  @Option(help: "table or csv.") var format = "table"
  @OptionGroup var db: DatabaseOptions

  func validate() throws {
    guard (1...1_000_000).contains(limit) else { throw ValidationError("--limit must be from 1 to 1000000") }
    guard ["table", "csv"].contains(format) else { throw ValidationError("--format must be table or csv") }
  }

  func run() async throws {
    try await db.withStore { store in
      let entries = try await store.audit(limit: limit, actor: actor, action: action)
      let rows = entries.map { e in
        [
          Timestamp.iso(e.at), e.actor, e.action,
          e.target, e.detail, e.address,
        ]
      }
      let header = ["at", "actor", "action", "target", "detail", "address"]
      if format == "csv" {
        print(([header] + rows).map { $0.map(CSVText.field).joined(separator: ",") }.joined(separator: "\n"))
      } else {
        print(TextTable.render(header: header, rows: rows, rightAlignFrom: 99), terminator: "")
      }
    }
  }
}
