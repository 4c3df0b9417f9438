public import ChannelKPIStore
import Foundation
public import Logging
import PostgresNIO

/// The PostgreSQL server the tests run against, named by `CHANNELKPI_TEST_POSTGRES` (an admin URL;
/// `scripts/postgres-cluster.sh start` prints one). Each test gets a database of its own, dropped
/// afterwards. When `CHANNELKPI_REQUIRE_POSTGRES` is set (CI sets it), a missing server fails the
/// tests instead of leaving PostgreSQL out.
public enum TestPostgres {
  public static var adminURL: String? {
    ProcessInfo.processInfo.environment["CHANNELKPI_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
  }

  public static var isRequired: Bool {
    ProcessInfo.processInfo.environment["CHANNELKPI_REQUIRE_POSTGRES"].map { !$0.isEmpty && $0 != "0" } ?? false
  }

  /// Whether tests should run on PostgreSQL: it is configured, or required (and then fails).
  public static var isEnabled: Bool { adminURL != nil || isRequired }

  /// The server's certificate, for tests of `sslmode=verify-full`.
  public static var certificate: String? {
    ProcessInfo.processInfo.environment["CHANNELKPI_TEST_POSTGRES_CERT"].flatMap { $0.isEmpty ? nil : $0 }
  }

  public struct NotConfigured: Error, CustomStringConvertible {
    public var description: String {
      "CHANNELKPI_TEST_POSTGRES is not set: start a server with scripts/postgres-cluster.sh start DIR and export what it prints"
    }
  }

  /// A logger for stores under test: only what is critical.
  public static let quietLogger: Logger = {
    var l = Logger(label: "channelkpi-tests.postgres")
    l.logLevel = .critical
    return l
  }()

  static var logger: Logger { quietLogger }

  /// The admin URL, parsed.
  public static func admin() throws -> PostgresURL {
    guard let text = adminURL else { throw NotConfigured() }
    return try PostgresURL(text)
  }

  /// A URL like the admin one, for another database.
  public static func url(database: String) throws -> PostgresURL {
    var u = try admin()
    u.database = database
    return u
  }

  /// The URL as text, password included (for child processes).
  public static func text(_ u: PostgresURL) -> String {
    let password =
      u.password.map { ":" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) } ?? ""
    if u.host.hasPrefix("/") {
      return "postgres://\(u.user)\(password)@/\(u.database)?host=\(u.host)&port=\(u.port)"
    }
    let host = u.host.contains(":") ? "[\(u.host)]" : u.host
    return "postgres://\(u.user)\(password)@\(host):\(u.port)/\(u.database)?sslmode=disable"
  }

  private static func adminConnection() async throws -> PostgresConnection {
    let u = try admin()
    let config = PostgresConnection.Configuration(
      host: u.host, port: u.port, username: u.user, password: u.password, database: u.database, tls: .disable)
    return try await PostgresConnection.connect(configuration: config, id: 1, logger: logger)
  }

  /// Creates an empty database and returns its name.
  public static func createDatabase() async throws -> String {
    let name = "ckpi_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    let conn = try await adminConnection()
    defer { Task { try? await conn.close() } }
    // A name made here of letters, digits and '_': safe to write into the statement.
    try await conn.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \"\(name)\""), logger: logger)
    return name
  }

  /// Drops a database, closing whatever connections are still on it.
  public static func dropDatabase(_ name: String) async {
    guard let conn = try? await adminConnection() else { return }
    _ = try? await conn.query(
      PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)"), logger: logger)
    try? await conn.close()
  }

  /// Makes a database read-only for the connections opened from now on, as a standby is.
  public static func setReadOnly(_ u: PostgresURL, _ readOnly: Bool) async throws {
    let conn = try await adminConnection()
    defer { Task { try? await conn.close() } }
    // The name comes from createDatabase: letters, digits and '_'.
    let sql = "ALTER DATABASE \"\(u.database)\" SET default_transaction_read_only = \(readOnly ? "on" : "off")"
    try await conn.query(PostgresQuery(unsafeSQL: sql), logger: logger)
  }

  /// Whether each open connection with an application name uses TLS.
  public static func tls(ofApplication name: String) async throws -> [Bool] {
    let conn = try await adminConnection()
    defer { Task { try? await conn.close() } }
    var out: [Bool] = []
    let rows = try await conn.query(
      "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.application_name = \(name)",
      logger: logger)
    for try await ssl in rows.decode(Bool.self) { out.append(ssl) }
    return out
  }

  /// Runs `body` with a fresh database's URL, then drops the database.
  public static func withDatabase<T>(_ body: (PostgresURL) async throws -> T) async throws -> T {
    let name = try await createDatabase()
    do {
      let r = try await body(try url(database: name))
      await dropDatabase(name)
      return r
    } catch {
      await dropDatabase(name)
      throw error
    }
  }
}
