public import ChannelKPI
import Foundation
import PostgresNIO

extension PostgresStore {
  public func addProgramVersion(files: [String: String], effective: Day, appliedAt: String, note: String) async throws
    -> Int
  {
    let json = try StoredJSON.encode(files)
    return try await transaction { conn in
      // Versions are numbered in order: two instances applying at once take turns.
      try await conn.query("LOCK TABLE program_versions IN EXCLUSIVE MODE", logger: logger)
      let next = (try await one(conn, "SELECT COALESCE(MAX(number), 0) FROM program_versions", as: Int.self) ?? 0) + 1
      try await conn.query(
        """
        INSERT INTO program_versions (number, effective, applied_at, note, files)
        VALUES (\(next), \(effective.description)::date, \(appliedAt), \(note), \(json))
        """, logger: logger)
      _ = try await logChange(conn, (.definitions, ""))
      return next
    }
  }

  public func programVersions() async throws -> [StoredProgramVersion] {
    var out: [StoredProgramVersion] = []
    let rows = try await client.query(
      """
      SELECT number, to_char(effective, 'YYYY-MM-DD'), applied_at, note, files
      FROM program_versions ORDER BY number
      """, logger: logger)
    for try await (number, effective, appliedAt, note, files) in rows.decode((Int, String, String, String, String).self)
    {
      out.append(
        StoredProgramVersion(
          number: number, effective: Day(iso: effective) ?? Day(number: 0), appliedAt: appliedAt, note: note,
          files: StoredJSON.decode([String: String].self, files, fallback: [:])))
    }
    return out
  }

  public func addReview(_ review: Review) async throws -> Int64 {
    try await transaction { conn in
      let id = try await insert(review, conn)
      _ = try await logChange(conn, (.reviews, ""))
      return id
    }
  }

  func insert(_ r: Review, _ conn: PostgresConnection) async throws -> Int64 {
    // With an id (a restored review) the id is kept; without, the sequence gives one.
    let query: PostgresQuery = """
      INSERT INTO reviews (id, date, reviewer, partner_id, kpi, period, finding, action, shared, acknowledged_by,
        acknowledged_at)
      VALUES (COALESCE(\(r.id), nextval(pg_get_serial_sequence('reviews', 'id'))), \(r.date.description)::date,
        \(r.reviewer), \(r.partner), \(r.kpi), \(r.period?.description), \(r.finding), \(r.action), \(r.shared),
        \(r.acknowledgedBy), \(r.acknowledgedAt))
      RETURNING id
      """
    return try await one(conn, query, as: Int64.self) ?? 0
  }

  public func reviews() async throws -> [Review] {
    var out: [Review] = []
    let rows = try await client.query(
      """
      SELECT id, to_char(date, 'YYYY-MM-DD'), reviewer, partner_id, kpi, period, finding, action, shared,
        acknowledged_by, acknowledged_at
      FROM reviews ORDER BY date, id
      """, logger: logger)
    for try await (id, date, reviewer, partner, kpi, period, finding, action, shared, ackBy, ackAt) in rows.decode(
      (Int64, String, String, String?, String?, String?, String, String, Bool, String?, String?).self)
    {
      out.append(
        Review(
          id: id, date: Day(iso: date) ?? Day(number: 0), reviewer: reviewer, partner: partner, kpi: kpi,
          period: period.flatMap(Period.init), finding: finding, action: action, shared: shared,
          acknowledgedBy: ackBy, acknowledgedAt: ackAt))
    }
    return out
  }

  public func imports(limit: Int) async throws -> [ImportRecord] {
    var out: [ImportRecord] = []
    let rows = try await client.query(
      """
      SELECT id, finished_at, files, rows_read, rows_stored, rows_rejected, rows_by_table
      FROM imports ORDER BY id DESC LIMIT \(limit)
      """, logger: logger)
    for try await (id, finishedAt, files, read, stored, rejected, byTable) in rows.decode(
      (Int64, String, String, Int, Int, Int, String).self)
    {
      out.append(
        ImportRecord(
          id: id, finishedAt: finishedAt,
          summary: StoredJSON.summary(
            files: files, rowsRead: read, rowsStored: stored, rowsRejected: rejected, rowsByTable: byTable)))
    }
    return out
  }

  public func restore(_ archive: ProgramArchive) async throws {
    try await transaction { conn in
      try await conn.query(
        PostgresQuery(unsafeSQL: "LOCK TABLE \(ProgramArchive.tables.joined(separator: ", ")) IN EXCLUSIVE MODE"),
        logger: logger)
      for table in ProgramArchive.tables {
        let n = try await one(conn, PostgresQuery(unsafeSQL: "SELECT COUNT(*) FROM \(table)"), as: Int.self) ?? 0
        if n > 0 { throw StoreError.holds(table) }
      }
      for v in archive.versions {
        try await conn.query(
          """
          INSERT INTO program_versions (number, effective, applied_at, note, files)
          VALUES (\(v.number), \(v.effective.description)::date, \(v.appliedAt), \(v.note), \(try StoredJSON.encode(v.files)))
          """, logger: logger)
      }
      for r in archive.reviews { _ = try await insert(r, conn) }
      for r in archive.reviewReplies { _ = try await insert(r, conn) }
      for i in archive.imports {
        try await conn.query(
          """
          INSERT INTO imports (id, finished_at, files, rows_read, rows_stored, rows_rejected, rows_by_table)
          VALUES (\(i.id), \(i.finishedAt), \(try StoredJSON.encode(i.summary.files)), \(i.summary.rowsRead),
            \(i.summary.rowsStored), \(i.summary.rowsRejected), \(try StoredJSON.encode(i.summary.rowsByTable)))
          """, logger: logger)
      }
      // Ids given explicitly leave the sequences behind: the next review or import follows them.
      try await conn.query(
        "SELECT setval(pg_get_serial_sequence('reviews', 'id'), COALESCE((SELECT MAX(id) FROM reviews), 0) + 1, false)",
        logger: logger)
      try await conn.query(
        "SELECT setval(pg_get_serial_sequence('imports', 'id'), COALESCE((SELECT MAX(id) FROM imports), 0) + 1, false)",
        logger: logger)
      try await conn.query(
        """
        SELECT setval(pg_get_serial_sequence('review_replies', 'id'),
          COALESCE((SELECT MAX(id) FROM review_replies), 0) + 1, false)
        """, logger: logger)
      try await restoreIncentives(archive, conn)
      _ = try await logChange(conn, (.definitions, ""))
    }
  }

  /// Approvals (with their ids), the tier baseline and tier applications of an archive.
  private func restoreIncentives(_ archive: ProgramArchive, _ conn: PostgresConnection) async throws {
    for a in archive.approvals {
      try await conn.query(
        """
        INSERT INTO statement_approvals (id, partner_id, period, lines, total, approved_by, approved_at, revoked_by,
          revoked_at, revoke_reason)
        VALUES (\(a.id), \(a.partner), \(a.period.description), \(try StoredLine.encode(a.lines)), \(a.total),
          \(a.approvedBy), \(a.approvedAt), \(a.revokedBy), \(a.revokedAt), \(a.revokeReason))
        """, logger: logger)
    }
    try await conn.query(
      """
      SELECT setval(pg_get_serial_sequence('statement_approvals', 'id'),
        COALESCE((SELECT MAX(id) FROM statement_approvals), 0) + 1, false)
      """, logger: logger)
    for (partner, tier) in archive.tierBaseline.sorted(by: { $0.key < $1.key }) {
      try await conn.query(
        "INSERT INTO tier_baseline (partner_id, tier, recorded_at) VALUES (\(partner), \(tier), 'restored')",
        logger: logger)
    }
    for o in archive.tierOverrides { try await insert(o, conn) }
    for a in archive.tierApplications {
      try await conn.query(
        """
        INSERT INTO tier_applications (partner_id, previous, level, period, reason, applied_at)
        VALUES (\(a.partner), \(a.previous), \(a.level), \(a.period.description), \(a.reason), \(a.appliedAt))
        """, logger: logger)
    }
  }
}
