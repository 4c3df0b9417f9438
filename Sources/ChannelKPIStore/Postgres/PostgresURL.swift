import Foundation

/// A PostgreSQL connection URL, `postgres://user:password@host:port/database?sslmode=require`,
/// read the way libpq reads it (the parameters ChannelKPI needs). Its description never shows the
/// password.
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
  /// How the connection is encrypted, as libpq's `sslmode`.
  public enum SSLMode: String, Sendable, Hashable, CaseIterable {
    /// Never TLS.
    case disable
    /// TLS when the server offers it, without checking its certificate (libpq's default).
    case prefer
    /// TLS always, without checking the certificate (libpq's `require`).
    case require
    /// TLS always; the certificate must be signed by a trusted authority (`sslrootcert`).
    case verifyCA = "verify-ca"
    /// As `verify-ca`, and the certificate must name the host.
    case verifyFull = "verify-full"
  }

  public var user: String
  public var password: String?
  /// A host name or address, or the directory of a Unix socket (starting with `/`).
  public var host: String
  public var port: Int
  public var database: String
  public var sslMode: SSLMode
  /// A PEM file of certificate authorities to trust (default: the system's).
  public var sslRootCert: String?
  public var applicationName: String

  /// The Unix socket path when `host` is a directory.
  public var socketPath: String? { host.hasPrefix("/") ? "\(host)/.s.PGSQL.\(port)" : nil }

  static let parameters = ["sslmode", "sslrootcert", "host", "port", "user", "password", "dbname", "application_name"]

  /// Parses a URL; a missing password is taken from `PGPASSWORD`, a missing user from `PGUSER`
  /// or the login name, a missing database from the user.
  public init(_ text: String) throws(StoreLocationError) {
    try self.init(text, environment: ProcessInfo.processInfo.environment)
  }

  /// Parses a URL with the given environment for the defaults.
  public init(_ text: String, environment: [String: String]) throws(StoreLocationError) {
    func fail(_ why: String) -> StoreLocationError {
      StoreLocationError(message: "the database URL \(Self.redacted(text)) \(why)")
    }
    guard let schemeEnd = text.range(of: "://") else { throw fail("has no scheme: write postgres://…") }
    var rest = String(text[schemeEnd.upperBound...])
    // The user and password end at the last '@', found first: a password may hold '/' or '?'
    // (an '@' in the parameters must be written %40).
    var userInfo: String?
    if let at = rest.lastIndex(of: "@") {
      userInfo = String(rest[..<at])
      rest = String(rest[rest.index(after: at)...])
    }
    var query = ""
    if let q = rest.firstIndex(of: "?") {
      query = String(rest[rest.index(after: q)...])
      rest = String(rest[..<q])
    }
    var path = ""
    if let slash = rest.firstIndex(of: "/") {
      path = String(rest[rest.index(after: slash)...])
      rest = String(rest[..<slash])
    }
    var user: String?
    var password: String?
    if let userInfo {
      if let colon = userInfo.firstIndex(of: ":") {
        user = userInfo[..<colon].removingPercentEncoding
        password = userInfo[userInfo.index(after: colon)...].removingPercentEncoding
      } else {
        user = userInfo.removingPercentEncoding
      }
      if user == nil || (password == nil && userInfo.contains(":")) {
        throw fail("has a user or password that is not valid percent-encoding")
      }
    }
    var host = rest
    var port = 5432
    if host.hasPrefix("[") {
      // An IPv6 address in brackets, perhaps with a port after it.
      guard let close = host.firstIndex(of: "]") else { throw fail("has an IPv6 address without its closing ']'") }
      let after = host[host.index(after: close)...]
      let address = String(host[host.index(after: host.startIndex)..<close])
      if after.hasPrefix(":") {
        guard let p = Int(after.dropFirst()) else { throw fail("has a port that is not a number") }
        port = p
      } else if !after.isEmpty {
        throw fail("has text after the IPv6 address")
      }
      host = address
    } else if let colon = host.lastIndex(of: ":") {
      guard let p = Int(host[host.index(after: colon)...]) else { throw fail("has a port that is not a number") }
      port = p
      host = String(host[..<colon])
    }
    host = host.removingPercentEncoding ?? host
    var database = path.removingPercentEncoding ?? path
    var sslMode = SSLMode.prefer
    var sslRootCert: String?
    var applicationName = "channelkpi"
    for pair in query.split(separator: "&") where !pair.isEmpty {
      let parts = pair.split(separator: "=", maxSplits: 1)
      let name = String(parts[0])
      let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
      switch name {
      case "sslmode":
        // libpq's `allow` tries without TLS first; treated as `prefer`.
        if value == "allow" {
          sslMode = .prefer
        } else {
          guard let m = SSLMode(rawValue: value) else {
            throw fail(
              "has sslmode=\(value): use \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
          }
          sslMode = m
        }
      case "sslrootcert": sslRootCert = value
      case "host": host = value
      case "port":
        guard let p = Int(value) else { throw fail("has port=\(value), not a number") }
        port = p
      case "user": user = value
      case "password": password = value
      case "dbname": database = value
      case "application_name": applicationName = value
      default:
        // A name is echoed only when no password is in the parameters, where it might be a piece of it.
        let shown = query.contains("password=") ? "a parameter" : "the parameter '\(name)'"
        throw fail(
          "has \(shown) that ChannelKPI does not read (it reads \(Self.parameters.joined(separator: ", ")))")
      }
    }
    guard (1...65535).contains(port) else { throw fail("has port \(port), outside 1–65535") }
    let resolvedUser =
      user.flatMap { $0.isEmpty ? nil : $0 } ?? environment["PGUSER"].flatMap { $0.isEmpty ? nil : $0 }
      ?? environment["USER"] ?? "postgres"
    self.user = resolvedUser
    self.password = password ?? environment["PGPASSWORD"]
    self.host = host.isEmpty ? (environment["PGHOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "localhost") : host
    self.port = port
    self.database = database.isEmpty ? resolvedUser : database
    self.sslMode = sslMode
    self.sslRootCert = sslRootCert
    self.applicationName = applicationName
  }

  /// The URL without its password.
  public var description: String {
    var s = "postgres://\(user)\(password == nil ? "" : ":***")@"
    if host.hasPrefix("/") {
      s += "/\(database)?host=\(host)&port=\(port)"
    } else {
      s += (host.contains(":") ? "[\(host)]" : host) + ":\(port)/\(database)"
    }
    var params: [String] = []
    if sslMode != .prefer && !host.hasPrefix("/") { params.append("sslmode=\(sslMode.rawValue)") }
    if let sslRootCert { params.append("sslrootcert=\(sslRootCert)") }
    if !params.isEmpty { s += (s.contains("?") ? "&" : "?") + params.joined(separator: "&") }
    return s
  }

  /// A URL as typed, with any password replaced, for messages about a URL that does not parse.
  static func redacted(_ text: String) -> String {
    var out = text
    if let schemeEnd = text.range(of: "://"), let at = text[schemeEnd.upperBound...].lastIndex(of: "@") {
      let info = text[schemeEnd.upperBound..<at]
      if let colon = info.firstIndex(of: ":") {
        out = String(text[..<colon]) + ":***" + String(text[at...])
      }
    }
    // Everything after a password parameter: its value may hold '&'.
    if let r = out.range(of: "password=") { out.replaceSubrange(r.upperBound..., with: "***") }
    return out
  }
}
