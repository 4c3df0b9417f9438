public import ChannelKPI
import Foundation
import GRDB

extension SQLiteStore {
  public func addProgramVersion(files: [String: String], effective: Day, appliedAt: String, note: String) async throws
    -> Int
  {
    let json = try StoredJSON.encode(files)
    return try await writer.write { db in
      let next = (try Int.fetchOne(db, sql: "SELECT MAX(number) FROM program_versions") ?? 0) + 1
      try db.execute(
        sql: "INSERT INTO program_versions (number, effective, applied_at, note, files) VALUES (?, ?, ?, ?, ?)",
        arguments: [next, effective.description, appliedAt, note, json])
      _ = try Self.logChange(db, (.definitions, ""))
      return next
    }
  }

  public func programVersions() async throws -> [StoredProgramVersion] {
    try await writer.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM program_versions ORDER BY number").map { row in
        StoredProgramVersion(
          number: row["number"], effective: Day(iso: row["effective"] as String) ?? Day(number: 0),
          appliedAt: row["applied_at"], note: row["note"],
          files: StoredJSON.decode([String: String].self, row["files"], fallback: [:]))
      }
    }
  }

  public func addReview(_ review: Review) async throws -> Int64 {
    try await writer.write { db in
      let id = try Self.insert(review, db)
      _ = try Self.logChange(db, (.reviews, ""))
      return id
    }
  }

  static func insert(_ review: Review, _ db: Database) throws -> Int64 {
    try db.execute(
      sql: """
        INSERT INTO reviews (id, date, reviewer, partner_id, kpi, period, finding, action, shared,
          acknowledged_by, acknowledged_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        review.id, review.date.description, review.reviewer, review.partner, review.kpi,
        review.period?.description, review.finding, review.action, review.shared, review.acknowledgedBy,
        review.acknowledgedAt,
      ])
    return db.lastInsertedRowID
  }

  public func reviews() async throws -> [Review] {
    try await writer.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM reviews ORDER BY date, id").map { row in
        Review(
          id: row["id"], date: Day(iso: row["date"] as String) ?? Day(number: 0), reviewer: row["reviewer"],
          partner: row["partner_id"], kpi: row["kpi"], period: (row["period"] as String?).flatMap(Period.init),
          finding: row["finding"], action: row["action"], shared: row["shared"],
          acknowledgedBy: row["acknowledged_by"], acknowledgedAt: row["acknowledged_at"])
      }
    }
  }

  public func restore(_ archive: ProgramArchive) async throws {
    try await writer.write { db in
      for table in ProgramArchive.tables {
        if try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 > 0 { throw StoreError.holds(table) }
      }
      for v in archive.versions {
        try db.execute(
          sql: "INSERT INTO program_versions (number, effective, applied_at, note, files) VALUES (?, ?, ?, ?, ?)",
          arguments: [v.number, v.effective.description, v.appliedAt, v.note, try StoredJSON.encode(v.files)])
      }
      for r in archive.reviews { _ = try Self.insert(r, db) }
      for r in archive.reviewReplies { _ = try Self.insert(r, db) }
      for i in archive.imports {
        try db.execute(
          sql: """
            INSERT INTO imports (id, finished_at, files, rows_read, rows_stored, rows_rejected, rows_by_table)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            i.id, i.finishedAt, try StoredJSON.encode(i.summary.files), i.summary.rowsRead, i.summary.rowsStored,
            i.summary.rowsRejected, try StoredJSON.encode(i.summary.rowsByTable),
          ])
      }
      try Self.restoreIncentives(archive, db)
      _ = try Self.logChange(db, (.definitions, ""))
    }
  }

  /// Approvals (with their ids), the tier baseline and tier applications of an archive.
  private static func restoreIncentives(_ archive: ProgramArchive, _ db: Database) throws {
    for a in archive.approvals {
      try db.execute(
        sql: """
          INSERT INTO statement_approvals (id, partner_id, period, lines, total, approved_by, approved_at, revoked_by,
            revoked_at, revoke_reason)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          a.id, a.partner, a.period.description, try StoredLine.encode(a.lines), a.total, a.approvedBy, a.approvedAt,
          a.revokedBy, a.revokedAt, a.revokeReason,
        ])
    }
    for (partner, tier) in archive.tierBaseline.sorted(by: { $0.key < $1.key }) {
      try db.execute(
        sql: "INSERT INTO tier_baseline (partner_id, tier, recorded_at) VALUES (?, ?, ?)",
        arguments: [partner, tier, "restored"])
    }
    for o in archive.tierOverrides { try insert(o, db) }
    for a in archive.tierApplications {
      try db.execute(
        sql: """
          INSERT INTO tier_applications (partner_id, previous, level, period, reason, applied_at)
          VALUES (?, ?, ?, ?, ?, ?)
          """,
        arguments: [a.partner, a.previous, a.level, a.period.description, a.reason, a.appliedAt])
    }
  }
}
