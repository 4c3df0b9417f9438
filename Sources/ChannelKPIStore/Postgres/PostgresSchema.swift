import ChannelKPI

/// The SQL layout of a program in PostgreSQL: the same tables, keys and migrations as SQLite,
/// in PostgreSQL's types.
///
/// Dates are `DATE`; money (cents) and integers `BIGINT`; ids, slugs, texts, months (`YYYY-MM`)
/// and date-times (ISO 8601 as given, with its offset) `TEXT`. A key column that may be absent
/// (web traffic's campaign) holds `''` for absent, so that the key stays unique.
enum PostgresSchema {
  static func sqlType(_ c: ChannelKPI.Column) -> String {
    switch c.type {
    case .money, .int: "BIGINT"
    case .date: "DATE"
    default: "TEXT"
    }
  }

  static func quoted(_ name: String) -> String { "\"\(name)\"" }

  static func columnList(_ t: CanonicalTable) -> String {
    t.schema.columns.map { quoted($0.name) }.joined(separator: ", ")
  }

  static func keyList(_ t: CanonicalTable) -> String { t.schema.key.map(quoted).joined(separator: ", ") }

  static func createTable(_ t: CanonicalTable) -> String {
    let cols = t.schema.columns.map { c in
      var d = "\(quoted(c.name)) \(sqlType(c))"
      if SQLiteSchema.isNullableKey(t, c) {
        d += " NOT NULL DEFAULT ''"
      } else if c.required {
        d += " NOT NULL"
      }
      return d
    }
    return "CREATE TABLE \(quoted(t.rawValue)) (\(cols.joined(separator: ", ")), PRIMARY KEY (\(keyList(t))))"
  }

  /// Every column of a table, in schema order.
  static func selectAll(_ t: CanonicalTable) -> String {
    "SELECT \(columnList(t)) FROM \(quoted(t.rawValue))"
  }

  /// The staging table one write copies a table's rows into before merging them.
  static func stagingName(_ t: CanonicalTable) -> String { "staging_\(t.rawValue)" }

  static func createStaging(_ t: CanonicalTable) -> String {
    "CREATE TEMP TABLE \(quoted(stagingName(t))) (LIKE \(quoted(t.rawValue)) INCLUDING DEFAULTS, "
      + "\"_order\" BIGINT GENERATED ALWAYS AS IDENTITY) ON COMMIT DROP"
  }

  /// Merges a staging table into its table: the last row of each key wins, as it would if the
  /// rows were upserted one by one.
  static func mergeStaging(_ t: CanonicalTable) -> String {
    let s = t.schema
    let updates = s.columns.filter { !s.key.contains($0.name) }.map {
      "\(quoted($0.name)) = EXCLUDED.\(quoted($0.name))"
    }
    return "INSERT INTO \(quoted(t.rawValue)) (\(columnList(t))) "
      + "SELECT DISTINCT ON (\(keyList(t))) \(columnList(t)) FROM \(quoted(stagingName(t))) "
      + "ORDER BY \(keyList(t)), \"_order\" DESC "
      + "ON CONFLICT (\(keyList(t))) DO UPDATE SET \(updates.joined(separator: ", "))"
  }

  /// The migrations, in order. Append only: a landed migration is never changed.
  static let migrations: [(name: String, statements: [String])] = [
    (
      "v1: canonical tables and import log",
      CanonicalTable.allCases.map(createTable)
        + CanonicalTable.allCases.filter { $0.schema.partnerColumn != nil && $0 != .partners }.map {
          "CREATE INDEX \(quoted("\($0.rawValue)_partner")) ON \(quoted($0.rawValue)) (partner_id)"
        } + [
          """
          CREATE TABLE imports (
            id BIGSERIAL PRIMARY KEY,
            finished_at TEXT NOT NULL,
            files TEXT NOT NULL,
            rows_read BIGINT NOT NULL,
            rows_stored BIGINT NOT NULL,
            rows_rejected BIGINT NOT NULL,
            rows_by_table TEXT NOT NULL
          )
          """
        ]
    ),
    (
      "v2: program definition versions and reviews",
      [
        """
        CREATE TABLE program_versions (
          number INTEGER PRIMARY KEY,
          effective DATE NOT NULL,
          applied_at TEXT NOT NULL,
          note TEXT NOT NULL DEFAULT '',
          files TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE reviews (
          id BIGSERIAL PRIMARY KEY,
          date DATE NOT NULL,
          reviewer TEXT NOT NULL,
          partner_id TEXT,
          kpi TEXT,
          period TEXT,
          finding TEXT NOT NULL,
          action TEXT NOT NULL,
          CHECK (partner_id IS NOT NULL OR kpi IS NOT NULL)
        )
        """,
      ]
    ),
    (
      "v3: change log",
      [
        """
        CREATE TABLE change_counter (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          position BIGINT NOT NULL
        )
        """,
        "INSERT INTO change_counter (id, position) VALUES (1, 0)",
        """
        CREATE TABLE changes (
          position BIGINT PRIMARY KEY,
          kind TEXT NOT NULL,
          payload TEXT NOT NULL DEFAULT '',
          committed_at TIMESTAMPTZ NOT NULL DEFAULT now()
        )
        """,
      ]
    ),
    (
      "v4: statement approvals and tier records",
      [
        """
        CREATE TABLE statement_approvals (
          id BIGSERIAL PRIMARY KEY,
          partner_id TEXT NOT NULL,
          period TEXT NOT NULL,
          lines TEXT NOT NULL,
          total BIGINT NOT NULL,
          approved_by TEXT NOT NULL,
          approved_at TEXT NOT NULL,
          revoked_by TEXT,
          revoked_at TEXT,
          revoke_reason TEXT
        )
        """,
        """
        CREATE UNIQUE INDEX statement_approvals_current ON statement_approvals (partner_id, period)
        WHERE revoked_at IS NULL
        """,
        """
        CREATE TABLE tier_baseline (
          partner_id TEXT PRIMARY KEY,
          tier TEXT,
          recorded_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE tier_overrides (
          id BIGSERIAL PRIMARY KEY,
          partner_id TEXT NOT NULL,
          level TEXT NOT NULL,
          reason TEXT NOT NULL,
          from_day DATE NOT NULL,
          until_day DATE NOT NULL,
          set_by TEXT NOT NULL,
          set_at TEXT NOT NULL,
          CHECK (from_day <= until_day)
        )
        """,
        """
        CREATE TABLE tier_applications (
          id BIGSERIAL PRIMARY KEY,
          partner_id TEXT NOT NULL,
          previous TEXT,
          level TEXT NOT NULL,
          period TEXT NOT NULL,
          reason TEXT NOT NULL,
          applied_at TEXT NOT NULL
        )
        """,
      ]
    ),
    (
      "v5: users, sessions, keys, audit log and shared reviews",
      [
        """
        CREATE TABLE users (
          id BIGSERIAL PRIMARY KEY,
          username TEXT NOT NULL UNIQUE,
          name TEXT NOT NULL,
          role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'analyst', 'partner')),
          partner_id TEXT,
          manager TEXT,
          all_partners BOOLEAN NOT NULL DEFAULT false,
          password_hash TEXT NOT NULL,
          disabled BOOLEAN NOT NULL DEFAULT false,
          created_at TEXT NOT NULL,
          created_by TEXT NOT NULL,
          CHECK (role <> 'partner' OR partner_id IS NOT NULL)
        )
        """,
        """
        CREATE TABLE sessions (
          token_hash TEXT PRIMARY KEY,
          user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
          created_at BIGINT NOT NULL,
          last_seen_at BIGINT NOT NULL
        )
        """,
        """
        CREATE TABLE api_keys (
          id BIGSERIAL PRIMARY KEY,
          name TEXT NOT NULL,
          prefix TEXT NOT NULL,
          hash TEXT NOT NULL UNIQUE,
          role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'analyst', 'partner')),
          partner_id TEXT,
          manager TEXT,
          all_partners BOOLEAN NOT NULL DEFAULT false,
          scopes TEXT NOT NULL,
          created_at TEXT NOT NULL,
          created_by TEXT NOT NULL,
          last_used_at BIGINT,
          revoked_at TEXT,
          CHECK (role <> 'partner' OR partner_id IS NOT NULL)
        )
        """,
        """
        CREATE TABLE audit_log (
          id BIGSERIAL PRIMARY KEY,
          at BIGINT NOT NULL,
          actor TEXT NOT NULL,
          action TEXT NOT NULL,
          target TEXT NOT NULL DEFAULT '',
          detail TEXT NOT NULL DEFAULT '',
          address TEXT NOT NULL DEFAULT ''
        )
        """,
        """
        CREATE INDEX audit_log_action_at ON audit_log (action, at)
        """,
        """
        ALTER TABLE reviews ADD COLUMN shared BOOLEAN NOT NULL DEFAULT false
        """,
        """
        ALTER TABLE reviews ADD COLUMN acknowledged_by TEXT
        """,
        """
        ALTER TABLE reviews ADD COLUMN acknowledged_at TEXT
        """,
        """
        CREATE TABLE review_replies (
          id BIGSERIAL PRIMARY KEY,
          review_id BIGINT NOT NULL REFERENCES reviews (id),
          author TEXT NOT NULL,
          at TEXT NOT NULL,
          text TEXT NOT NULL
        )
        """,
      ]
    ),
    ("v6: alert states and events", AlertSchema.statements(serial: "BIGSERIAL PRIMARY KEY")),
    ("v7: webhooks and deliveries", WebhookSchema.statements(serial: "BIGSERIAL PRIMARY KEY")),
    ("v8: digests", WebhookSchema.digestStatements),
    (
      "v9: no index by partner on facts",
      SQLiteSchema.partnerIndexed.map { "DROP INDEX IF EXISTS \(quoted("\($0.rawValue)_partner"))" }
    ),
  ]

  /// The NOTIFY channel of the change log.
  static let channel = "channelkpi_changes"
  /// The advisory lock that serialises migrations between instances starting together.
  static let migrationLock: Int64 = 0x4348_4B50_494D_4752  // "CHKPIMGR"
}
