import ChannelKPI
import GRDB
import GRDBSQLite

/// Writes one transaction's records to the canonical tables: records of one table wait to be
/// written by one statement for many rows (SQLite then runs one statement, cursor and reset for
/// all of them), and the change is logged at the end.
///
/// A struct with mutating methods rather than closures over local variables: the import calls
/// `add` for every row, and captured variables cost an exclusivity check per access.
struct SQLiteFactWriter {
  private let db: Database
  /// Per table (by ordinal), its statements for one row and for `rowsPerUpsert` rows.
  private var statements: [(one: Statement, many: Statement)?]
  private var pending: [FactRecord] = []
  private var recorder = ChangeRecorder()
  private let arena: BindArena

  init(_ db: Database, arena: BindArena) {
    self.db = db
    self.arena = arena
    statements = Array(repeating: nil, count: CanonicalTable.allCases.count)
    pending.reserveCapacity(SQLiteSchema.rowsPerUpsert)
  }

  mutating func add(_ r: FactRecord) throws {
    if r.table != pending.first?.table || pending.count == SQLiteSchema.rowsPerUpsert { try flush() }
    if statements[r.table.ordinal] == nil { try prepare(r.table) }
    pending.append(r)
    recorder.add(r)
  }

  /// Writes what waits and logs the change.
  mutating func finish() throws -> FactWrite {
    try flush()
    let change =
      recorder.count == 0 ? try SQLiteStore.position(db) : try SQLiteStore.logChange(db, try recorder.entry())
    return FactWrite(rows: recorder.count, change: change)
  }

  private mutating func prepare(_ t: CanonicalTable) throws {
    // Kept prepared across writes: a server's every batch runs the same statements.
    statements[t.ordinal] = (
      try db.cachedStatement(sql: SQLiteSchema.upsert(t)),
      try db.cachedStatement(sql: SQLiteSchema.upsert(t, rows: SQLiteSchema.rowsPerUpsert))
    )
  }

  private mutating func flush() throws {
    guard let t = pending.first?.table else { return }
    guard let st = statements[t.ordinal] else { preconditionFailure("rows of \(t) pending without statements") }
    let nullableKeys = SQLiteSchema.nullableKeys[t.ordinal]
    let width = Int32(nullableKeys.count)
    if pending.count == SQLiteSchema.rowsPerUpsert {
      let h = st.many.sqliteStatement
      sqlite3_reset(h)
      arena.reset()
      for (i, r) in pending.enumerated() { try Self.bind(h, r, from: Int32(i) * width, nullableKeys, arena) }
      try Self.step(h)
    } else {
      let h = st.one.sqliteStatement
      for r in pending {
        sqlite3_reset(h)
        arena.reset()
        try Self.bind(h, r, from: 0, nullableKeys, arena)
        try Self.step(h)
      }
    }
    pending.removeAll(keepingCapacity: true)
  }

  private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

  /// Text bound to a statement, copied into one block: SQLite then reads it in place
  /// (`SQLITE_STATIC`) instead of allocating and copying each value. The block is reused once a
  /// statement has run, before its parameters are bound again. The store keeps one for its writer
  /// connection (whose writes are serialized), so it outlives the prepared statements that point
  /// into it.
  final class BindArena: @unchecked Sendable {
    static let capacity = 1 << 16
    let base = UnsafeMutablePointer<UInt8>.allocate(capacity: BindArena.capacity)
    var used = 0
    deinit { base.deallocate() }
    func reset() { used = 0 }

    /// Binds UTF-8 text to a parameter: from the block when it has room, copied by SQLite otherwise.
    func bindText(_ h: OpaquePointer?, _ idx: Int32, _ b: UnsafeBufferPointer<UInt8>) -> Int32 {
      // A text of no bytes still needs a pointer: a null one would bind NULL.
      guard let source = b.baseAddress, !b.isEmpty else { return sqlite3_bind_text(h, idx, "", 0, transient) }
      guard used + b.count <= Self.capacity else {
        return sqlite3_bind_text(
          h, idx, UnsafeRawPointer(source).assumingMemoryBound(to: CChar.self), Int32(b.count), transient)
      }
      let p = base + used
      p.update(from: source, count: b.count)
      used += b.count
      return sqlite3_bind_text(h, idx, UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self), Int32(b.count), nil)
    }

    /// Binds a day of a four-digit year as `YYYY-MM-DD`, written straight into the block.
    func bindDay(_ h: OpaquePointer?, _ idx: Int32, _ d: Day) -> Int32 {
      bindWritten(h, idx, count: 10) { d.writeISO(to: $0) }
    }

    /// Binds an instant that `isWholeUTCSecond` as `YYYY-MM-DDTHH:MM:SSZ`, written into the block.
    func bindTimestamp(_ h: OpaquePointer?, _ idx: Int32, _ t: Timestamp) -> Int32 {
      bindWritten(h, idx, count: 20) { t.writeISO(to: $0) }
    }

    /// Binds `count` bytes that `write` puts at the pointer it is given: in the block when it has
    /// room, else in a temporary buffer that SQLite copies.
    private func bindWritten(
      _ h: OpaquePointer?, _ idx: Int32, count: Int, _ write: (UnsafeMutablePointer<UInt8>) -> Void
    ) -> Int32 {
      guard used + count <= Self.capacity else {
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { b in
          write(b.baseAddress!)
          return bindText(h, idx, UnsafeBufferPointer(b))
        }
      }
      let p = base + used
      write(p)
      used += count
      return sqlite3_bind_text(h, idx, UnsafeRawPointer(p).assumingMemoryBound(to: CChar.self), Int32(count), nil)
    }
  }

  /// Binds a record's values to an upsert statement's parameters after the first `base`
  /// (`nullableKeys`: its table's `SQLiteSchema.nullableKeys`).
  private static func bind(
    _ h: OpaquePointer?, _ r: FactRecord, from base: Int32, _ nullableKeys: [Bool], _ arena: BindArena
  ) throws {
    // A short record would leave the bindings of an earlier row in place.
    precondition(r.values.count == nullableKeys.count, "a \(r.table) record of \(r.values.count) values")
    for (i, v) in r.values.enumerated() {
      let idx = base + Int32(i + 1)
      var code: Int32
      switch v {
      case .absent:
        code =
          nullableKeys[i]
          ? sqlite3_bind_text(h, idx, "", 0, transient) : sqlite3_bind_null(h, idx)
      case .money(let x), .int(let x):
        code = sqlite3_bind_int64(h, idx, x)
      case .string(var s):
        code = s.withUTF8 { arena.bindText(h, idx, $0) }
      case .day(let d) where d.hasFourDigitYear:
        code = arena.bindDay(h, idx, d)
      case .timestamp(let t) where t.isWholeUTCSecond:
        code = arena.bindTimestamp(h, idx, t)
      case .day, .month, .timestamp:
        var s = v.description
        code = s.withUTF8 { arena.bindText(h, idx, $0) }
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
}
