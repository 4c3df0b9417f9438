import ChannelKPI
import GRDB

/// The SQL layout of the canonical tables in SQLite.
///
/// Dates are `TEXT` (`YYYY-MM-DD`, so SQLite's date functions work on them), months `TEXT`
/// (`YYYY-MM`), date-times `TEXT` (ISO 8601 as given), money `INTEGER` cents, ids and slugs
/// `TEXT`. A key column that may be absent (web traffic's campaign) holds `''` for absent, so
/// that the key stays unique.
enum SQLiteSchema {
  static func sqlType(_ c: ChannelKPI.Column) -> String {
    switch c.type {
    case .money, .int: "INTEGER"
    default: "TEXT"
    }
  }

  /// Key columns that may be absent, stored as `''`.
  static func isNullableKey(_ table: CanonicalTable, _ c: ChannelKPI.Column) -> Bool {
    !c.required && table.schema.key.contains(c.name)
  }

  /// Per table (by ordinal), which columns are key columns stored as `''` when absent.
  static let nullableKeys: [[Bool]] = CanonicalTable.allCases.map { t in t.schema.columns.map { isNullableKey(t, $0) } }

  static func createTable(_ t: CanonicalTable) -> String {
    let s = t.schema
    let cols = s.columns.map { c in
      var d = "\"\(c.name)\" \(sqlType(c))"
      if isNullableKey(t, c) {
        d += " NOT NULL DEFAULT ''"
      } else if c.required {
        d += " NOT NULL"
      }
      return d
    }
    let key = s.key.map { "\"\($0)\"" }.joined(separator: ", ")
    return "CREATE TABLE \"\(t.rawValue)\" (\(cols.joined(separator: ", ")), PRIMARY KEY (\(key))) WITHOUT ROWID"
  }

  /// Rows a bulk upsert statement writes at once: SQLite then runs one statement (one cursor, one
  /// reset) for many rows, a quarter of its per-row work at import sizes.
  static let rowsPerUpsert = 32

  /// An upsert of `rows` rows at once (bound column after column, row after row). Rows later in
  /// the statement replace earlier ones with the same key, as separate statements would.
  static func upsert(_ t: CanonicalTable, rows: Int = 1) -> String {
    let s = t.schema
    let names = s.columns.map { "\"\($0.name)\"" }
    let row = "(" + Array(repeating: "?", count: names.count).joined(separator: ", ") + ")"
    let placeholders = Array(repeating: row, count: rows).joined(separator: ", ")
    let updates = s.columns.filter { !s.key.contains($0.name) }.map { "\"\($0.name)\" = excluded.\"\($0.name)\"" }
    let key = s.key.map { "\"\($0)\"" }.joined(separator: ", ")
    return "INSERT INTO \"\(t.rawValue)\" (\(names.joined(separator: ", "))) VALUES \(placeholders) "
      + "ON CONFLICT (\(key)) DO UPDATE SET \(updates.joined(separator: ", "))"
  }

  static func selectAll(_ t: CanonicalTable) -> String {
    "SELECT \(t.schema.columns.map { "\"\($0.name)\"" }.joined(separator: ", ")) FROM \"\(t.rawValue)\""
  }

  /// Tables that had an index on their partner, which v9 drops: a partner's rows are found in the
  /// engine's columns instead, and each index cost a page written per partner a batch reached.
  static let partnerIndexed = CanonicalTable.allCases.filter { $0.schema.partnerColumn != nil && $0 != .partners }

  /// A key value as stored: an absent key is `''`, dates and times their text.
  static func keyArgument(_ v: FieldValue) -> DatabaseValue {
    switch v {
    case .absent: "".databaseValue
    case .string(let s): s.databaseValue
    case .money(let x), .int(let x): x.databaseValue
    case .day, .month, .timestamp: v.description.databaseValue
    }
  }

  static var migrator: DatabaseMigrator {
    var m = DatabaseMigrator()
    m.registerMigration("v1: canonical tables and import log") { db in
      for t in CanonicalTable.allCases { try db.execute(sql: createTable(t)) }
      for t in partnerIndexed {
        try db.execute(sql: "CREATE INDEX \"\(t.rawValue)_partner\" ON \"\(t.rawValue)\" (partner_id)")
      }
      try db.execute(
        sql: """
          CREATE TABLE imports (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            finished_at TEXT NOT NULL,
            files TEXT NOT NULL,
            rows_read INTEGER NOT NULL,
            rows_stored INTEGER NOT NULL,
            rows_rejected INTEGER NOT NULL,
            rows_by_table TEXT NOT NULL
          )
          """)
    }
    m.registerMigration("v2: program definition versions and reviews") { db in
      try db.execute(
        sql: """
          CREATE TABLE program_versions (
            number INTEGER PRIMARY KEY,
            effective TEXT NOT NULL,
            applied_at TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            files TEXT NOT NULL
          )
          """)
      try db.execute(
        sql: """
          CREATE TABLE reviews (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            date TEXT NOT NULL,
            reviewer TEXT NOT NULL,
            partner_id TEXT,
            kpi TEXT,
            period TEXT,
            finding TEXT NOT NULL,
            action TEXT NOT NULL,
            CHECK (partner_id IS NOT NULL OR kpi IS NOT NULL)
          )
          """)
    }
    m.registerMigration("v3: change log") { db in
      try db.execute(
        sql: """
          CREATE TABLE change_counter (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            position INTEGER NOT NULL
          )
          """)
      try db.execute(sql: "INSERT INTO change_counter (id, position) VALUES (1, 0)")
      try db.execute(
        sql: """
          CREATE TABLE changes (
            position INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            payload TEXT NOT NULL DEFAULT '',
            committed_at REAL NOT NULL
          )
          """)
    }
    m.registerMigration("v4: statement approvals and tier records") { db in
      try db.execute(
        sql: """
          CREATE TABLE statement_approvals (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            partner_id TEXT NOT NULL,
            period TEXT NOT NULL,
            lines TEXT NOT NULL,
            total INTEGER NOT NULL,
            approved_by TEXT NOT NULL,
            approved_at TEXT NOT NULL,
            revoked_by TEXT,
            revoked_at TEXT,
            revoke_reason TEXT
          )
          """)
      // One current approval per statement: a second one is refused by the database itself.
      try db.execute(
        sql: """
          CREATE UNIQUE INDEX statement_approvals_current ON statement_approvals (partner_id, period)
          WHERE revoked_at IS NULL
          """)
      try db.execute(
        sql: """
          CREATE TABLE tier_baseline (
            partner_id TEXT PRIMARY KEY,
            tier TEXT,
            recorded_at TEXT NOT NULL
          )
          """)
      try db.execute(
        sql: """
          CREATE TABLE tier_overrides (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            partner_id TEXT NOT NULL,
            level TEXT NOT NULL,
            reason TEXT NOT NULL,
            from_day TEXT NOT NULL,
            until_day TEXT NOT NULL,
            set_by TEXT NOT NULL,
            set_at TEXT NOT NULL,
            CHECK (from_day <= until_day)
          )
          """)
      try db.execute(
        sql: """
          CREATE TABLE tier_applications (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            partner_id TEXT NOT NULL,
            previous TEXT,
            level TEXT NOT NULL,
            period TEXT NOT NULL,
            reason TEXT NOT NULL,
            applied_at TEXT NOT NULL
          )
          """)
    }
    // Who may use the program, what they did, and partners' answers to the reviews shared with them.
    m.registerMigration("v5: users, sessions, keys, audit log and shared reviews") { db in
      try db.execute(
        sql: """
          CREATE TABLE users (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            username TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'analyst', 'partner')),
            partner_id TEXT,
            manager TEXT,
            all_partners INTEGER NOT NULL DEFAULT 0,
            password_hash TEXT NOT NULL,
            disabled INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            CHECK (role <> 'partner' OR partner_id IS NOT NULL)
          )
          """)
      try db.execute(
        sql: """
          CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY,
            user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
            created_at BIGINT NOT NULL,
            last_seen_at BIGINT NOT NULL
          )
          """)
      try db.execute(
        sql: """
          CREATE TABLE api_keys (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            prefix TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'analyst', 'partner')),
            partner_id TEXT,
            manager TEXT,
            all_partners INTEGER NOT NULL DEFAULT 0,
            scopes TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            last_used_at BIGINT,
            revoked_at TEXT,
            CHECK (role <> 'partner' OR partner_id IS NOT NULL)
          )
          """)
      try db.execute(
        sql: """
          CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at BIGINT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT '',
            address TEXT NOT NULL DEFAULT ''
          )
          """)
      try db.execute(
        sql: """
          CREATE INDEX audit_log_action_at ON audit_log (action, at)
          """)
      try db.execute(
        sql: """
          ALTER TABLE reviews ADD COLUMN shared INTEGER NOT NULL DEFAULT 0
          """)
      try db.execute(
        sql: """
          ALTER TABLE reviews ADD COLUMN acknowledged_by TEXT
          """)
      try db.execute(
        sql: """
          ALTER TABLE reviews ADD COLUMN acknowledged_at TEXT
          """)
      try db.execute(
        sql: """
          CREATE TABLE review_replies (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            review_id BIGINT NOT NULL REFERENCES reviews (id),
            author TEXT NOT NULL,
            at TEXT NOT NULL,
            text TEXT NOT NULL
          )
          """)
    }
    // Alert rules' states per scope, and every change of state.
    m.registerMigration("v6: alert states and events") { db in
      for statement in AlertSchema.statements(serial: "INTEGER PRIMARY KEY AUTOINCREMENT") {
        try db.execute(sql: statement)
      }
    }
    // Where alert changes are posted, and each delivery with its attempts.
    m.registerMigration("v7: webhooks and deliveries") { db in
      for statement in WebhookSchema.statements(serial: "INTEGER PRIMARY KEY AUTOINCREMENT") {
        try db.execute(sql: statement)
      }
    }
    // Daily digests: their bodies ride the delivery queue, and each day is sent once.
    m.registerMigration("v8: digests") { db in
      for statement in WebhookSchema.digestStatements { try db.execute(sql: statement) }
    }
    m.registerMigration("v9: no index by partner on facts") { db in
      for t in partnerIndexed { try db.execute(sql: "DROP INDEX IF EXISTS \"\(t.rawValue)_partner\"") }
    }
    return m
  }

  static func selectAllOrdered(_ t: CanonicalTable) -> String {
    selectAll(t) + " ORDER BY " + t.schema.key.map { "\"\($0)\"" }.joined(separator: ", ")
  }
}
