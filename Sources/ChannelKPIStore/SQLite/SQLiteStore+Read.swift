public import ChannelKPI
import Foundation
import GRDB
import GRDBSQLite

extension SQLiteStore {
  public nonisolated(nonsending) func load(into engine: KPIEngine) async throws -> Int64 {
    let handoff = Handoff(engine)
    return try await writer.read { db in
      // One read transaction: the position and the rows are of the same snapshot.
      let position = try Self.position(db)
      for t in CanonicalTable.dependencyOrder { try Self.load(t, db, into: handoff.value) }
      return position
    }
  }

  private static func load(_ t: CanonicalTable, _ db: Database, into engine: KPIEngine) throws {
    let st = try db.makeStatement(sql: SQLiteSchema.selectAll(t))
    let h = st.sqliteStatement
    var loader = RowLoader(engine: engine, table: t)
    let types = t.schema.columns.map(\.type)
    let skipped = types.indices.map { !loader.keeps($0) && types[$0].isString }
    while try step(h) {
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
          guard let raw = text(h, idx) else {
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

  /// Steps a statement: true on a row, false at the end.
  private static func step(_ h: OpaquePointer) throws -> Bool {
    let rc = sqlite3_step(h)
    if rc == SQLITE_DONE { return false }
    guard rc == SQLITE_ROW else {
      throw DatabaseError(
        resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(h))))
    }
    return true
  }

  /// A text column's bytes; nil when NULL or empty (absent).
  private static func text(_ h: OpaquePointer, _ idx: Int32) -> UnsafeRawBufferPointer? {
    guard let p = sqlite3_column_text(h, idx) else { return nil }
    let raw = UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(h, idx)))
    return raw.isEmpty ? nil : raw
  }

  /// The current row of a `SELECT` of every column of a table, as a record.
  private static func record(_ table: CanonicalTable, _ h: OpaquePointer) -> FactRecord {
    let columns = table.schema.columns
    var values: [FieldValue] = []
    values.reserveCapacity(columns.count)
    for (i, c) in columns.enumerated() {
      let idx = Int32(i)
      if sqlite3_column_type(h, idx) == SQLITE_NULL {
        values.append(.absent)
        continue
      }
      switch c.type {
      case .money: values.append(.money(sqlite3_column_int64(h, idx)))
      case .int: values.append(.int(sqlite3_column_int64(h, idx)))
      default:
        guard let raw = text(h, idx) else {
          values.append(.absent)
          continue
        }
        let s = String(decoding: raw, as: UTF8.self)
        switch c.type {
        case .date: values.append(Day(iso: s).map(FieldValue.day) ?? .absent)
        case .month: values.append(Month(iso: s).map(FieldValue.month) ?? .absent)
        case .datetime: values.append(Timestamp(iso: s).map(FieldValue.timestamp) ?? .absent)
        default: values.append(.string(s))
        }
      }
    }
    return FactRecord(table: table, values: values)
  }

  public nonisolated(nonsending) func forEachRow(
    of tables: [CanonicalTable], _ body: @escaping (FactRecord) throws -> Void
  ) async throws {
    let handoff = Handoff(body)
    try await writer.read { db in
      for table in tables {
        let st = try db.makeStatement(sql: SQLiteSchema.selectAllOrdered(table))
        let h = st.sqliteStatement
        while try Self.step(h) { try handoff.value(Self.record(table, h)) }
      }
    }
  }

  public func rows(_ table: CanonicalTable, keys: [[FieldValue]]) async throws -> [FactRecord] {
    let key = table.schema.key
    let sql = SQLiteSchema.selectAll(table) + " WHERE " + key.map { "\"\($0)\" = ?" }.joined(separator: " AND ")
    return try await writer.read { db in
      let st = try db.makeStatement(sql: sql)
      var out: [FactRecord] = []
      for values in keys where values.count == key.count {
        try st.setArguments(StatementArguments(values.map(SQLiteSchema.keyArgument)))
        let h = st.sqliteStatement
        while try Self.step(h) { out.append(Self.record(table, h)) }
      }
      return out
    }
  }

  public func hasFacts() async throws -> Bool {
    try await writer.read { db in try Self.hasFacts(db) }
  }

  /// Whether any fact table holds a row, inside a read or a write already begun.
  static func hasFacts(_ db: Database) throws -> Bool {
    try Bool.fetchOne(db, sql: CanonicalTable.anyFactSQL { "\"\($0.rawValue)\"" }) == true
  }

  public func counts() async throws -> [CanonicalTable: Int] {
    try await writer.read { db in
      var out: [CanonicalTable: Int] = [:]
      for t in CanonicalTable.allCases {
        out[t] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \"\(t.rawValue)\"") ?? 0
      }
      return out
    }
  }
}
