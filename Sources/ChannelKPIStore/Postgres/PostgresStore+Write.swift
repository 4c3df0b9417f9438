public import ChannelKPI
import Foundation
import NIOCore
import PostgresNIO

extension PostgresStore {
  /// How many bytes of COPY text are gathered per table before they are sent.
  static let copyChunk = 1 << 20

  /// Copies the records into per-table staging tables, merges each into its table (last row of a
  /// key wins), logs the change and commits: one transaction, so a source that throws stores
  /// nothing.
  public nonisolated(nonsending) func upsert(from source: inout some RecordSource) async throws -> FactWrite {
    try await transaction { conn in
      var staged: [CanonicalTable] = []
      var buffers: [CanonicalTable: ByteBuffer] = [:]
      var recorder = ChangeRecorder()
      while let r = try source.next() {
        if !staged.contains(r.table) {
          try await conn.query(PostgresQuery(unsafeSQL: PostgresSchema.createStaging(r.table)), logger: logger)
          staged.append(r.table)
        }
        PostgresCopyText.append(r, to: &buffers[r.table, default: ByteBuffer()])
        recorder.add(r)
        if let full = buffers[r.table], full.readableBytes >= Self.copyChunk {
          try await copy(full, into: r.table, conn)
          buffers[r.table] = ByteBuffer()
        }
      }
      for t in staged {
        if let rest = buffers[t], rest.readableBytes > 0 { try await copy(rest, into: t, conn) }
      }
      for t in CanonicalTable.dependencyOrder where staged.contains(t) {
        try await conn.query(PostgresQuery(unsafeSQL: PostgresSchema.mergeStaging(t)), logger: logger)
      }
      let change =
        recorder.count == 0 ? try await position(conn) : try await logChange(conn, try recorder.entry())
      return FactWrite(rows: recorder.count, change: change)
    }
  }

  private func copy(_ data: ByteBuffer, into table: CanonicalTable, _ conn: PostgresConnection) async throws {
    try await conn.copyFrom(
      table: PostgresSchema.stagingName(table), columns: table.schema.columns.map(\.name), logger: logger
    ) { writer in try await writer.write(data) }
  }

  /// Appends an entry to the change log inside the current transaction.
  ///
  /// The counter row is taken last, just before the commit, and its lock is held until the commit:
  /// writes get their positions in the order they commit, and a long import holds the lock
  /// only for a moment.
  func logChange(_ conn: PostgresConnection, _ entry: (ChangeKind, String)) async throws -> Int64 {
    // Pruning takes only a prefix of the log (a reader never meets a hole in the middle), and
    // happens before the counter is taken, so that it does not hold other writers up.
    try await conn.query(
      """
      DELETE FROM changes WHERE position < COALESCE(
        (SELECT MIN(position) FROM changes
          WHERE committed_at >= clock_timestamp() - make_interval(secs => \(ChangeRetention.seconds))),
        (SELECT position + 1 FROM change_counter WHERE id = 1))
      """, logger: logger)
    let position =
      try await one(
        conn, "UPDATE change_counter SET position = position + 1 WHERE id = 1 RETURNING position", as: Int64.self) ?? 0
    try await conn.query(
      """
      INSERT INTO changes (position, kind, payload, committed_at)
      VALUES (\(position), \(entry.0.rawValue), \(entry.1), clock_timestamp())
      """, logger: logger)
    // Delivered when the transaction commits, to every instance listening.
    try await conn.query("SELECT pg_notify(\(PostgresSchema.channel), \(String(position)))", logger: logger)
    return position
  }

  func position(_ conn: PostgresConnection) async throws -> Int64 {
    try await one(conn, "SELECT position FROM change_counter WHERE id = 1", as: Int64.self) ?? 0
  }

  /// The first value of a query's first column (every row is read).
  func one<T: PostgresDecodable>(_ conn: PostgresConnection, _ query: PostgresQuery, as type: T.Type) async throws
    -> T?
  {
    var first: T?
    for try await v in try await conn.query(query, logger: logger).decode(T.self) where first == nil { first = v }
    return first
  }

  /// The first value of a query's first column, on any pooled connection.
  func one<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type) async throws -> T? {
    var first: T?
    for try await v in try await client.query(query, logger: logger).decode(T.self) where first == nil { first = v }
    return first
  }

  public func recordImport(_ summary: ImportSummary, finishedAt: String) async throws {
    let files = try StoredJSON.encode(summary.files)
    let byTable = try StoredJSON.encode(summary.rowsByTable)
    try await client.query(
      """
      INSERT INTO imports (finished_at, files, rows_read, rows_stored, rows_rejected, rows_by_table)
      VALUES (\(finishedAt), \(files), \(summary.rowsRead), \(summary.rowsStored), \(summary.rowsRejected), \(byTable))
      """, logger: logger)
  }
}
