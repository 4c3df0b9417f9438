public import ChannelKPI
import Foundation
public import GRDB
import GRDBSQLite

/// The embedded store: one SQLite file in WAL mode, written through GRDB.
///
/// Built on any GRDB `DatabaseWriter` (GRDB's AppDatabase habit): a `DatabasePool` on a file in
/// use, a `DatabaseQueue()` in memory for tests.
public final class SQLiteStore: Store, Sendable {
  let writer: any DatabaseWriter
  /// The file, or `:memory:`.
  public let path: String
  /// The change signal streams handed out, finished when the store closes.
  let signals = SignalStreams()
  /// The text bound to the writer connection's fact statements.
  private let bindArena = SQLiteFactWriter.BindArena()
  /// Checkpoints the write-ahead log off the writer's turn (a store opened on a file).
  let checkpointer: SQLiteCheckpointer?

  /// Migrates the database behind `writer` to the current schema.
  public convenience init(_ writer: any DatabaseWriter) throws {
    try self.init(writer, checkpointer: nil)
  }

  private init(_ writer: any DatabaseWriter, checkpointer: SQLiteCheckpointer?) throws {
    self.writer = writer
    self.checkpointer = checkpointer
    path = writer.path.isEmpty ? ":memory:" : writer.path
    try SQLiteSchema.migrator.migrate(writer)
  }

  /// Without `close()`, a checkpoint under way may keep its connection open a moment longer:
  /// a first import of the same file by this process would then go through the log.
  deinit { checkpointer?.stop() }

  /// Opens (creating and migrating when needed) the database file at `path`.
  ///
  /// `CHANNELKPI_SQLITE_MAX_PAGES` caps the file at that many pages (of 4 KiB), as a full disk
  /// would: the crash and disk-full tests fill a database with it.
  public convenience init(path: String) throws {
    try self.init(path: path, checkpointer: SQLiteCheckpointer(path: path))
  }

  /// Opens the file with `checkpointer` (tests give other thresholds).
  convenience init(path: String, checkpointer: SQLiteCheckpointer) throws {
    var config = Configuration()
    let maxPages = ProcessInfo.processInfo.environment["CHANNELKPI_SQLITE_MAX_PAGES"].flatMap { Int($0) }
    // Kept by the pool's configuration, so for as long as its connections.
    config.prepareDatabase { db in
      checkpointer.install(on: db)
      try db.execute(sql: "PRAGMA synchronous = NORMAL")
      try db.execute(sql: "PRAGMA cache_size = -65536")
      // The write-ahead log of a big import is as large as the data it wrote; at the first write
      // after it was wholly checkpointed, it is cut back to this rather than kept at that size.
      try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
      if let maxPages { try db.execute(sql: "PRAGMA max_page_count = \(maxPages)") }
    }
    // Another process (a second server, an import) may hold the write lock for a while.
    config.busyMode = .timeout(30)
    try self.init(try DatabasePool(path: path, configuration: config), checkpointer: checkpointer)
  }

  public var description: String { path }

  public func close() async throws {
    signals.close()
    if let pool = writer as? DatabasePool { try pool.close() }
    // Once the pool is closed (a pool that failed to close keeps writing, and checkpointing).
    await checkpointer?.stop()?.join()
  }

  public func keys(of table: CanonicalTable) async throws -> Set<String> {
    let key = table.schema.key
    precondition(key.count == 1, "keys(of:) is for tables with a single-column key")
    return try await writer.read { db in
      Set(try String.fetchAll(db, sql: "SELECT \"\(key[0])\" FROM \"\(table.rawValue)\""))
    }
  }

  public nonisolated(nonsending) func upsert(from source: inout some RecordSource) async throws -> FactWrite {
    let handoff = Handoff(source)
    defer { source = handoff.value }
    let soleWriter = handoff.value.soleWriter
    // The pool's idle readers would keep a first import from leaving WAL mode; they reopen on use.
    if soleWriter { (writer as? DatabasePool)?.invalidateReadOnlyConnections() }
    return try await writer.writeWithoutTransaction { db in
      var write = FactWrite(rows: 0, change: 0)
      let journal = soleWriter ? SQLiteBulkJournal.begin(db) : nil
      defer { journal?.end(db) }
      try db.inTransaction {
        var rows = SQLiteFactWriter(db, arena: bindArena)
        try Prefetcher.forEach(handoff) { r in try rows.add(r) }
        write = try rows.finish()
        return .commit
      }
      return write
    }
  }

  public func recordImport(_ summary: ImportSummary, finishedAt: String) async throws {
    let byTable = try StoredJSON.encode(summary.rowsByTable)
    let files = try StoredJSON.encode(summary.files)
    try await writer.write { db in
      try db.execute(
        sql: """
          INSERT INTO imports (finished_at, files, rows_read, rows_stored, rows_rejected, rows_by_table)
          VALUES (?, ?, ?, ?, ?, ?)
          """,
        arguments: [finishedAt, files, summary.rowsRead, summary.rowsStored, summary.rowsRejected, byTable])
    }
  }

  public func imports(limit: Int) async throws -> [ImportRecord] {
    try await writer.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM imports ORDER BY id DESC LIMIT ?", arguments: [limit]).map { row in
        let summary = StoredJSON.summary(
          files: row["files"] as String, rowsRead: row["rows_read"] as Int, rowsStored: row["rows_stored"] as Int,
          rowsRejected: row["rows_rejected"] as Int, rowsByTable: row["rows_by_table"] as String)
        return ImportRecord(id: row["id"] as Int64, finishedAt: row["finished_at"] as String, summary: summary)
      }
    }
  }
}
