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

  /// Migrates the database behind `writer` to the current schema.
  public init(_ writer: any DatabaseWriter) throws {
    self.writer = writer
    path = writer.path.isEmpty ? ":memory:" : writer.path
    try SQLiteSchema.migrator.migrate(writer)
  }

  /// Opens (creating and migrating when needed) the database file at `path`.
  ///
  /// `CHANNELKPI_SQLITE_MAX_PAGES` caps the file at that many pages (of 4 KiB), as a full disk
  /// would: the crash and disk-full tests fill a database with it.
  public convenience init(path: String) throws {
    var config = Configuration()
    let maxPages = ProcessInfo.processInfo.environment["CHANNELKPI_SQLITE_MAX_PAGES"].flatMap { Int($0) }
    config.prepareDatabase { db in
      try db.execute(sql: "PRAGMA synchronous = NORMAL")
      try db.execute(sql: "PRAGMA cache_size = -65536")
      // The write-ahead log of a big import is as large as the data it wrote; once checkpointed,
      // it is cut back to this rather than kept at that size on disk.
      try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
      if let maxPages { try db.execute(sql: "PRAGMA max_page_count = \(maxPages)") }
    }
    // Another process (a second server, an import) may hold the write lock for a while.
    config.busyMode = .timeout(30)
    try self.init(try DatabasePool(path: path, configuration: config))
  }

  public var description: String { path }

  public func close() async throws {
    signals.close()
    if let pool = writer as? DatabasePool { try pool.close() }
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
    return try await writer.writeWithoutTransaction { db in
      var write = FactWrite(rows: 0, change: 0)
      try db.inTransaction {
        var statements: [CanonicalTable: (one: Statement, many: Statement)] = [:]
        var recorder = ChangeRecorder()
        // A bulk load into an empty table builds its partner index once at the end (by sorting)
        // rather than entry by entry; in the same transaction, so a failure leaves it as it was.
        let bulk = handoff.value.readsAhead
        var reindex: [CanonicalTable] = []
        // Records of one table wait here to be written by one statement for many rows.
        var pending: [FactRecord] = []
        pending.reserveCapacity(SQLiteSchema.rowsPerUpsert)
        func flush() throws {
          guard let t = pending.first?.table, let st = statements[t] else { return }
          let width = Int32(t.schema.columns.count)
          if pending.count == SQLiteSchema.rowsPerUpsert {
            let h = st.many.sqliteStatement
            sqlite3_reset(h)
            for (i, r) in pending.enumerated() { try Self.bind(h, r, from: Int32(i) * width) }
            try Self.step(h)
          } else {
            let h = st.one.sqliteStatement
            for r in pending {
              sqlite3_reset(h)
              try Self.bind(h, r, from: 0)
              try Self.step(h)
            }
          }
          pending.removeAll(keepingCapacity: true)
        }
        try Prefetcher.forEach(handoff) { r in
          if r.table != pending.first?.table || pending.count == SQLiteSchema.rowsPerUpsert { try flush() }
          if statements[r.table] == nil {
            if bulk, SQLiteSchema.hasPartnerIndex(r.table),
              try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM \"\(r.table.rawValue)\")") == true
            {
              try db.execute(sql: SQLiteSchema.dropPartnerIndex(r.table))
              reindex.append(r.table)
            }
            // Kept prepared across writes: a server's every batch runs the same statements.
            statements[r.table] = (
              try db.cachedStatement(sql: SQLiteSchema.upsert(r.table)),
              try db.cachedStatement(sql: SQLiteSchema.upsert(r.table, rows: SQLiteSchema.rowsPerUpsert))
            )
          }
          pending.append(r)
          recorder.add(r)
        }
        try flush()
        for t in reindex { try db.execute(sql: SQLiteSchema.createPartnerIndex(t)) }
        write.rows = recorder.count
        write.change =
          recorder.count == 0 ? try Self.position(db) : try Self.logChange(db, try recorder.entry())
        return .commit
      }
      return write
    }
  }

  private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

  /// Binds a record's values to an upsert statement's parameters after the first `base`.
  private static func bind(_ h: OpaquePointer?, _ r: FactRecord, from base: Int32) throws {
    let columns = r.table.schema.columns
    for (i, v) in r.values.enumerated() {
      let idx = base + Int32(i + 1)
      var code: Int32
      switch v {
      case .absent:
        code =
          SQLiteSchema.isNullableKey(r.table, columns[i])
          ? sqlite3_bind_text(h, idx, "", 0, transient) : sqlite3_bind_null(h, idx)
      case .money(let x), .int(let x):
        code = sqlite3_bind_int64(h, idx, x)
      case .string(var s):
        code = s.withUTF8 { b in
          sqlite3_bind_text(
            h, idx, UnsafeRawPointer(b.baseAddress!).assumingMemoryBound(to: CChar.self), Int32(b.count), transient)
        }
      case .day(let d) where (1...9999).contains(d.civil.year):
        code = d.withISOBytes { b in
          sqlite3_bind_text(
            h, idx, UnsafeRawPointer(b.baseAddress!).assumingMemoryBound(to: CChar.self), Int32(b.count), transient)
        }
      case .day, .month, .timestamp:
        var s = v.description
        code = s.withUTF8 { b in
          sqlite3_bind_text(
            h, idx, UnsafeRawPointer(b.baseAddress!).assumingMemoryBound(to: CChar.self), Int32(b.count), transient)
        }
      }
      if code != SQLITE_OK { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
    }
  }

  /// Runs a bound upsert statement.
  private static func step(_ h: OpaquePointer?) throws {
    let rc = sqlite3_step(h)
    if rc != SQLITE_DONE {
      throw DatabaseError(
        resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(h))))
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
