public import ChannelKPI
import NIOCore
import PostgresNIO

extension PostgresStore {
  public func keys(of table: CanonicalTable) async throws -> Set<String> {
    let key = table.schema.key
    precondition(key.count == 1, "keys(of:) is for tables with a single-column key")
    return Set(
      try await column(
        PostgresQuery(
          unsafeSQL: "SELECT \(PostgresSchema.quoted(key[0])) FROM \(PostgresSchema.quoted(table.rawValue))"),
        as: String.self))
  }

  /// Streams every table into the engine from one repeatable-read snapshot, row by row (the
  /// result sets are never held whole).
  public nonisolated(nonsending) func load(into engine: KPIEngine) async throws -> Int64 {
    try await transaction { conn in
      try await conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
      let position = try await position(conn)
      for t in CanonicalTable.dependencyOrder { try await load(t, conn, into: engine) }
      return position
    }
  }

  private nonisolated(nonsending) func load(_ t: CanonicalTable, _ conn: PostgresConnection, into engine: KPIEngine)
    async throws
  {
    var loader = RowLoader(engine: engine, table: t)
    let types = t.schema.columns.map(\.type)
    let skipped = types.indices.map { !loader.keeps($0) && types[$0].isString }
    let rows = try await conn.query(PostgresQuery(unsafeSQL: PostgresSchema.selectAll(t)), logger: logger)
    for try await row in rows {
      var i = 0
      for cell in row {
        defer { i += 1 }
        // Columns the engine does not keep still count for its date coverage when they are dates.
        if skipped[i] { continue }
        switch types[i] {
        case .money, .int:
          if let v = PostgresCellReader.integer(cell) { loader.setInteger(i, v) } else { loader.setAbsent(i) }
        case .date:
          if let d = PostgresCellReader.day(cell) { loader.setDay(i, d) } else { loader.setAbsent(i) }
        case .month, .datetime:
          switch PostgresCellReader.value(cell, types[i]) {
          case .month(let m): loader.setMonth(i, m)
          case .timestamp(let ts): loader.setTimestamp(i, ts)
          default: loader.setAbsent(i)
          }
        default:
          let set: Bool? = PostgresCellReader.withText(cell) { raw in
            loader.setString(i, utf8: raw)
            return true
          }
          if set == nil { loader.setAbsent(i) }
        }
      }
      loader.commit()
    }
  }

  static func record(_ table: CanonicalTable, _ row: PostgresRow) -> FactRecord {
    let columns = table.schema.columns
    var values: [FieldValue] = []
    values.reserveCapacity(columns.count)
    for (i, cell) in row.enumerated() { values.append(PostgresCellReader.value(cell, columns[i].type)) }
    return FactRecord(table: table, values: values)
  }

  public nonisolated(nonsending) func forEachRow(
    of tables: [CanonicalTable], _ body: @escaping (FactRecord) throws -> Void
  ) async throws {
    try await transaction { conn in
      try await conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
      for table in tables {
        let rows = try await conn.query(
          PostgresQuery(unsafeSQL: PostgresSchema.selectAll(table) + " ORDER BY \(PostgresSchema.keyList(table))"),
          logger: logger)
        for try await row in rows { try body(Self.record(table, row)) }
      }
    }
  }

  public func rows(_ table: CanonicalTable, keys: [[FieldValue]]) async throws -> [FactRecord] {
    let schema = table.schema
    let key = schema.keyIndexes
    let sql =
      PostgresSchema.selectAll(table) + " WHERE "
      + key.enumerated().map { n, c in
        "\(PostgresSchema.quoted(schema.columns[c].name)) = $\(n + 1)::\(PostgresSchema.sqlType(schema.columns[c]))"
      }.joined(separator: " AND ")
    var out: [FactRecord] = []
    for values in keys where values.count == key.count {
      var binds = PostgresBindings()
      for v in values {
        switch v {
        case .money(let x), .int(let x): binds.append(x)
        default: binds.append(v.description)  // an absent key is stored as ''
        }
      }
      for try await row in try await client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger) {
        out.append(Self.record(table, row))
      }
    }
    return out
  }

  public func hasFacts() async throws -> Bool {
    try await column(
      PostgresQuery(unsafeSQL: CanonicalTable.anyFactSQL { PostgresSchema.quoted($0.rawValue) }), as: Bool.self
    ).first == true
  }

  public func counts() async throws -> [CanonicalTable: Int] {
    var out: [CanonicalTable: Int] = [:]
    for t in CanonicalTable.allCases {
      out[t] =
        try await column(
          PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM \(PostgresSchema.quoted(t.rawValue))"), as: Int.self
        ).first ?? 0
    }
    return out
  }
}
