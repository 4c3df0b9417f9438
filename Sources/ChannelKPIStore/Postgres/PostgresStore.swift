public import ChannelKPI
import Foundation
public import Logging
import NIOCore
import NIOSSL
import PostgresNIO

/// The shared store: a PostgreSQL database that several ChannelKPI instances use at once,
/// through PostgresNIO's connection pool. Every SQL value is a bound parameter; bulk writes go
/// through `COPY`.
public final class PostgresStore: Store, Sendable {
  let client: PostgresClient
  let url: PostgresURL
  let logger: Logger
  private let runner: Task<Void, Never>
  /// The change signal streams handed out, finished when the store closes.
  let signals = SignalStreams()
  /// Where this instance keeps its engine snapshot, when it keeps one. Each instance has its own
  /// file on its own disk; a snapshot is used only if it matches the shared change log.
  public let snapshotPath: String?
  public var databaseFile: String? { nil }

  /// Connects, checks that the database answers, and migrates its schema.
  public init(url: PostgresURL, snapshot: String? = nil, logger: Logger = Logger(label: "channelkpi.postgres"))
    async throws
  {
    self.url = url
    self.logger = logger
    snapshotPath = snapshot
    let tls = try Self.tlsConfiguration(url)
    // One plain connection first, which also migrates: a wrong password or an unreachable host
    // is reported at once, where the pool would keep retrying.
    do {
      let conn = try await PostgresConnection.connect(
        configuration: try Self.connectionConfiguration(url, tls: tls), id: 0, logger: logger)
      do {
        try await Self.migrate(conn, url: url, logger: logger)
        try await conn.close()
      } catch {
        try? await conn.close()
        // A database that is read-only (a standby) or full is said so.
        switch StoreError(classifying: error, database: url.description) {
        case .readOnly(let m)?: throw StoreError.readOnly(m)
        case .full(let m)?: throw StoreError.full(m)
        default: break
        }
        throw StoreError.unavailable("cannot set up the database \(url): \(Self.describe(error))")
      }
    } catch let e as StoreError {
      throw e
    } catch {
      throw StoreError.unavailable("cannot connect to \(url): \(Self.describe(error))")
    }
    var config: PostgresClient.Configuration
    if let socket = url.socketPath {
      config = .init(unixSocketPath: socket, username: url.user, password: url.password, database: url.database)
    } else {
      let mode: PostgresClient.Configuration.TLS =
        switch url.sslMode {
        case .disable: .disable
        case .prefer: .prefer(tls)
        default: .require(tls)
        }
      config = .init(
        host: url.host, port: url.port, username: url.user, password: url.password, database: url.database,
        tls: mode)
    }
    config.options.additionalStartupParameters = [("application_name", url.applicationName)]
    config.options.maximumConnections = 16
    let client = PostgresClient(configuration: config, backgroundLogger: logger)
    self.client = client
    // The pool leases connections only once `run()` has begun: wait for the task to start it.
    let (started, signal) = AsyncStream.makeStream(of: Void.self)
    runner = Task {
      signal.finish()
      await client.run()
    }
    for await _ in started {}
  }

  public var description: String { url.description }

  public func close() async throws {
    signals.close()
    runner.cancel()
    await runner.value
  }

  /// The TLS settings of a URL's `sslmode` and `sslrootcert`.
  static func tlsConfiguration(_ url: PostgresURL) throws -> TLSConfiguration {
    var tls = TLSConfiguration.makeClientConfiguration()
    switch url.sslMode {
    case .disable, .prefer, .require:
      // As libpq: these modes encrypt without checking the certificate, unless a root
      // certificate is given, which makes `require` check the authority.
      tls.certificateVerification = url.sslRootCert != nil && url.sslMode == .require ? .noHostnameVerification : .none
    case .verifyCA: tls.certificateVerification = .noHostnameVerification
    case .verifyFull: tls.certificateVerification = .fullVerification
    }
    if let root = url.sslRootCert {
      guard FileManager.default.isReadableFile(atPath: root) else {
        throw StoreError.unavailable("sslrootcert \(root) is not a readable file")
      }
      tls.trustRoots = .file(root)
    }
    return tls
  }

  static func connectionConfiguration(_ url: PostgresURL, tls: TLSConfiguration) throws
    -> PostgresConnection.Configuration
  {
    if let socket = url.socketPath {
      return .init(unixSocketPath: socket, username: url.user, password: url.password, database: url.database)
    }
    let mode: PostgresConnection.Configuration.TLS =
      switch url.sslMode {
      case .disable: .disable
      case .prefer: .prefer(try NIOSSLContext(configuration: tls))
      default: .require(try NIOSSLContext(configuration: tls))
      }
    return .init(
      host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: mode)
  }

  /// Applies the migrations not yet applied, in one transaction, under an advisory lock so that
  /// instances starting together do not race.
  private static func migrate(_ conn: PostgresConnection, url: PostgresURL, logger: Logger) async throws {
    try await transaction(conn, logger: logger) { conn in
      try await conn.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.migrationLock))", logger: logger)
      try await conn.query(
        """
        CREATE TABLE IF NOT EXISTS schema_migrations (
          name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
        """, logger: logger)
      var applied: Set<String> = []
      for try await name in try await conn.query("SELECT name FROM schema_migrations", logger: logger).decode(
        String.self)
      {
        applied.insert(name)
      }
      for m in PostgresSchema.migrations where !applied.contains(m.name) {
        for sql in m.statements { try await conn.query(PostgresQuery(unsafeSQL: sql), logger: logger) }
        try await conn.query("INSERT INTO schema_migrations (name) VALUES (\(m.name))", logger: logger)
        logger.info("migrated", metadata: ["migration": "\(m.name)", "database": "\(url)"])
      }
    }
  }

  /// A database error in words: the server's message, or what stopped the connection. Never the
  /// query's values or the password.
  static func describe(_ error: any Error) -> String {
    if let e = error as? PostgresTransactionError {
      if let inner = e.closureError ?? e.commitError ?? e.beginError { return describe(inner) }
    }
    if let e = error as? PSQLError {
      if let info = e.serverInfo, let message = info[.message] {
        return message + (info[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
      }
      if let underlying = e.underlying { return describe(underlying) }
      return "\(e.code)"
    }
    return "\(error)"
  }

  /// Runs `body` in a transaction on a connection of the pool. An error thrown by `body` (an
  /// import's `ImportRejected`, say) comes out as itself, after the rollback.
  nonisolated(nonsending) func transaction<T>(_ body: (PostgresConnection) async throws -> sending T) async throws
    -> sending T
  {
    try await client.withConnection { conn in try await Self.transaction(conn, logger: logger, body) }
  }

  nonisolated(nonsending) static func transaction<T>(
    _ conn: PostgresConnection, logger: Logger, _ body: (PostgresConnection) async throws -> sending T
  ) async throws -> sending T {
    do {
      return try await conn.withTransaction(logger: logger, body)
    } catch let e as PostgresTransactionError {
      throw e.closureError ?? e
    }
  }

  /// Runs a query and collects one column of its rows.
  func column<T: PostgresDecodable & Sendable>(_ query: PostgresQuery, as type: T.Type) async throws -> [T] {
    var out: [T] = []
    for try await v in try await client.query(query, logger: logger).decode(T.self) { out.append(v) }
    return out
  }
}
