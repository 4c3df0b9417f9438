public import ChannelKPI
import Foundation
import GRDB
import GRDBSQLite

/// The embedded store: one SQLite file in WAL mode, written through GRDB.
public final class SQLiteStore: FactStore, Sendable {
  let pool: DatabasePool
  public let path: String

  /// Opens (creating and migrating when needed) the database at `path`.
  public init(path: String) throws {
    self.path = path
    var config = Configuration()
    config.prepareDatabase { db in
      try db.execute(sql: "PRAGMA synchronous = NORMAL")
      try db.execute(sql: "PRAGMA cache_size = -65536")
    }
    pool = try DatabasePool(path: path, configuration: config)
    try SQLiteSchema.migrator.migrate(pool)
  }

  /// Closes the database; the store cannot be used afterwards.
  public func close() throws { try pool.close() }

  public func keys(of table: CanonicalTable) async throws -> Set<String> {
    let key = table.schema.key
    precondition(key.count == 1, "keys(of:) is for tables with a single-column key")
    return try await pool.read { db in
      Set(try String.fetchAll(db, sql: "SELECT \"\(key[0])\" FROM \"\(table.rawValue)\""))
    }
  }

  public func upsert(_ records: [FactRecord]) async throws -> Int {
    var source = ArrayRecordSource(records)
    return try await upsert(from: &source)
  }

  public func upsert(from source: inout some RecordSource) async throws -> Int {
    try upsertNow(from: &source)
  }

  /// Upserts synchronously, blocking the calling thread for the whole transaction.
  public func upsertNow(from source: inout some RecordSource) throws -> Int {
    try pool.writeWithoutTransaction { db in
      var written = 0
      try db.inTransaction {
        var statements: [CanonicalTable: Statement] = [:]
        while let r = try source.next() {
          let st: Statement
          if let s = statements[r.table] {
            st = s
          } else {
            st = try db.makeStatement(sql: SQLiteSchema.upsert(r.table))
            statements[r.table] = st
          }
          try Self.bindAndStep(st, r)
          written += 1
        }
        return .commit
      }
      return written
    }
  }

  private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

  /// Binds a record's values to an upsert statement and runs it.
  private static func bindAndStep(_ st: Statement, _ r: FactRecord) throws {
    let h = st.sqliteStatement
    sqlite3_reset(h)
    let columns = r.table.schema.columns
    for (i, v) in r.values.enumerated() {
      let idx = Int32(i + 1)
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
      case .day, .month, .timestamp:
        var s = v.description
        code = s.withUTF8 { b in
          sqlite3_bind_text(
            h, idx, UnsafeRawPointer(b.baseAddress!).assumingMemoryBound(to: CChar.self), Int32(b.count), transient)
        }
      }
      if code != SQLITE_OK { throw DatabaseError(resultCode: ResultCode(rawValue: code)) }
    }
    let rc = sqlite3_step(h)
    if rc != SQLITE_DONE {
      throw DatabaseError(
        resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(h))))
    }
  }

  public func load(into engine: KPIEngine) async throws {
    try loadNow(into: engine)
  }

  /// Loads synchronously.
  public func loadNow(into engine: KPIEngine) throws {
    try pool.read { db in
      for t in CanonicalTable.dependencyOrder {
        let st = try db.makeStatement(sql: SQLiteSchema.selectAll(t))
        let h = st.sqliteStatement
        var loader = RowLoader(engine: engine, table: t)
        let types = t.schema.columns.map(\.type)
        let skipped = types.indices.map { !loader.keeps($0) && types[$0].isString }
        while true {
          let rc = sqlite3_step(h)
          if rc == SQLITE_DONE { break }
          guard rc == SQLITE_ROW else {
            throw DatabaseError(
              resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(h))))
          }
          for i in 0..<types.count {
            let idx = Int32(i)
            // Columns the engine does not keep still count for its date coverage when they are dates.
            if skipped[i] { continue }
            if sqlite3_column_type(h, idx) == SQLITE_NULL {
              loader.setAbsent(i)
              continue
            }
            switch types[i] {
            case .money, .int:
              loader.setInteger(i, sqlite3_column_int64(h, idx))
            default:
              guard let p = sqlite3_column_text(h, idx) else {
                loader.setAbsent(i)
                continue
              }
              let raw = UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(h, idx)))
              if raw.isEmpty {
                loader.setAbsent(i)
                continue
              }
              switch types[i] {
              case .date:
                if let d = Day(utf8: raw) { loader.setDay(i, d) } else { loader.setAbsent(i) }
              case .month:
                if let m = Month(iso: String(decoding: raw, as: UTF8.self)) {
                  loader.setMonth(i, m)
                } else {
                  loader.setAbsent(i)
                }
              case .datetime:
                if let ts = Timestamp(iso: String(decoding: raw, as: UTF8.self)) {
                  loader.setTimestamp(i, ts)
                } else {
                  loader.setAbsent(i)
                }
              default:
                loader.setString(i, utf8: raw)
              }
            }
          }
          loader.commit()
        }
      }
    }
  }

  public func counts() async throws -> [CanonicalTable: Int] {
    try await pool.read { db in
      var out: [CanonicalTable: Int] = [:]
      for t in CanonicalTable.allCases {
        out[t] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \"\(t.rawValue)\"") ?? 0
      }
      return out
    }
  }

  public func recordImport(_ summary: ImportSummary, finishedAt: String) async throws {
    let byTable = String(decoding: try JSONEncoder().encode(summary.rowsByTable), as: UTF8.self)
    let files = String(decoding: try JSONEncoder().encode(summary.files), as: UTF8.self)
    try await pool.write { db in
      try db.execute(
        sql: """
          INSERT INTO imports (finished_at, files, rows_read, rows_stored, rows_rejected, rows_by_table)
          VALUES (?, ?, ?, ?, ?, ?)
          """,
        arguments: [finishedAt, files, summary.rowsRead, summary.rowsStored, summary.rowsRejected, byTable])
    }
  }

  public func imports(limit: Int) async throws -> [ImportRecord] {
    try await pool.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM imports ORDER BY id DESC LIMIT ?", arguments: [limit]).map { row in
        let files = (try? JSONDecoder().decode([String].self, from: Data((row["files"] as String).utf8))) ?? []
        let byTable =
          (try? JSONDecoder().decode([String: Int].self, from: Data((row["rows_by_table"] as String).utf8))) ?? [:]
        return ImportRecord(
          id: row["id"], finishedAt: row["finished_at"],
          summary: ImportSummary(
            files: files, rowsRead: row["rows_read"], rowsStored: row["rows_stored"],
            rowsRejected: row["rows_rejected"], rowsByTable: byTable))
      }
    }
  }
}

extension SQLiteStore: ProgramStore {
  public func addProgramVersion(files: [String: String], effective: Day, appliedAt: String, note: String) async throws
    -> Int
  {
    let json = String(decoding: try JSONEncoder().encode(files), as: UTF8.self)
    return try await pool.write { db in
      let next = (try Int.fetchOne(db, sql: "SELECT MAX(number) FROM program_versions") ?? 0) + 1
      try db.execute(
        sql: "INSERT INTO program_versions (number, effective, applied_at, note, files) VALUES (?, ?, ?, ?, ?)",
        arguments: [next, effective.description, appliedAt, note, json])
      return next
    }
  }

  public func programVersions() async throws -> [StoredProgramVersion] {
    try await pool.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM program_versions ORDER BY number").map { row in
        let files = (try? JSONDecoder().decode([String: String].self, from: Data((row["files"] as String).utf8))) ?? [:]
        return StoredProgramVersion(
          number: row["number"], effective: Day(iso: row["effective"] as String) ?? Day(number: 0),
          appliedAt: row["applied_at"], note: row["note"], files: files)
      }
    }
  }

  public func addReview(_ review: Review) async throws -> Int64 {
    try await pool.write { db in
      try db.execute(
        sql: """
          INSERT INTO reviews (date, reviewer, partner_id, kpi, period, finding, action)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          review.date.description, review.reviewer, review.partner, review.kpi, review.period?.description,
          review.finding, review.action,
        ])
      return db.lastInsertedRowID
    }
  }

  public func reviews() async throws -> [Review] {
    try await pool.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM reviews ORDER BY date, id").map { row in
        Review(
          id: row["id"], date: Day(iso: row["date"] as String) ?? Day(number: 0), reviewer: row["reviewer"],
          partner: row["partner_id"], kpi: row["kpi"], period: (row["period"] as String?).flatMap(Period.init),
          finding: row["finding"], action: row["action"])
      }
    }
  }
}

extension SQLiteStore {
  /// A partner's most recent rows of a table, newest first by a date column of the table.
  public func recentRows(_ table: CanonicalTable, partner: String, newestBy column: String, limit: Int) async throws
    -> [FactRecord]
  {
    let schema = table.schema
    guard schema.partnerColumn != nil, schema.index[column] != nil else { return [] }
    return try await pool.read { db in
      try Row.fetchAll(
        db,
        sql: SQLiteSchema.selectAll(table) + " WHERE partner_id = ? ORDER BY \"\(column)\" DESC LIMIT ?",
        arguments: [partner, limit]
      ).map { row in
        FactRecord(
          table: table,
          values: schema.columns.enumerated().map { i, c in
            let v = row[i] as DatabaseValue
            if v.isNull { return .absent }
            switch c.type {
            case .money: return (Int64.fromDatabaseValue(v)).map(FieldValue.money) ?? .absent
            case .int: return (Int64.fromDatabaseValue(v)).map(FieldValue.int) ?? .absent
            case .date: return (String.fromDatabaseValue(v)).flatMap { Day(iso: $0) }.map(FieldValue.day) ?? .absent
            case .month:
              return (String.fromDatabaseValue(v)).flatMap { Month(iso: $0) }.map(FieldValue.month) ?? .absent
            case .datetime:
              return (String.fromDatabaseValue(v)).flatMap { Timestamp(iso: $0) }.map(FieldValue.timestamp) ?? .absent
            default:
              let s = String.fromDatabaseValue(v) ?? ""
              return s.isEmpty ? .absent : .string(s)
            }
          })
      }
    }
  }
}
