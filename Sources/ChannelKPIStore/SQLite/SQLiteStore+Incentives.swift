public import ChannelKPI
import Foundation
import GRDB

extension SQLiteStore {
  public func approveStatements(_ approvals: [StatementApproval]) async throws -> [Int64] {
    let encoded = try approvals.map { ($0, try StoredLine.encode($0.lines)) }
    return try await writer.write { db in
      var ids: [Int64] = []
      for (a, lines) in encoded {
        let current =
          try Int.fetchOne(
            db,
            sql: "SELECT COUNT(*) FROM statement_approvals WHERE partner_id = ? AND period = ? AND revoked_at IS NULL",
            arguments: [a.partner, a.period.description]) ?? 0
        if current > 0 { throw ApprovalError.alreadyApproved(partner: a.partner, period: a.period.description) }
        try db.execute(
          sql: """
            INSERT INTO statement_approvals (partner_id, period, lines, total, approved_by, approved_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """,
          arguments: [a.partner, a.period.description, lines, a.total, a.approvedBy, a.approvedAt])
        ids.append(db.lastInsertedRowID)
      }
      _ = try Self.logChange(db, (.incentives, ""))
      return ids
    }
  }

  public func statementApprovals() async throws -> [StatementApproval] {
    try await writer.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM statement_approvals ORDER BY id").compactMap { row in
        guard let period = Period(row["period"] as String) else { return nil }
        return StatementApproval(
          id: row["id"], partner: row["partner_id"], period: period, lines: StoredLine.decode(row["lines"]),
          approvedBy: row["approved_by"], approvedAt: row["approved_at"], revokedBy: row["revoked_by"],
          revokedAt: row["revoked_at"], revokeReason: row["revoke_reason"])
      }
    }
  }

  public func revokeApproval(id: Int64, by: String, at: String, reason: String) async throws {
    try await writer.write { db in
      guard
        let row = try Row.fetchOne(db, sql: "SELECT revoked_at FROM statement_approvals WHERE id = ?", arguments: [id])
      else { throw ApprovalError.noApproval(id: id) }
      if (row["revoked_at"] as String?) != nil { throw ApprovalError.alreadyRevoked(id: id) }
      try db.execute(
        sql: "UPDATE statement_approvals SET revoked_by = ?, revoked_at = ?, revoke_reason = ? WHERE id = ?",
        arguments: [by, at, reason, id])
      _ = try Self.logChange(db, (.incentives, ""))
    }
  }

  public func recordTierBaseline(_ tiers: [String: String?], at: String) async throws -> Int {
    try await writer.write { db in
      let known = Set(try String.fetchAll(db, sql: "SELECT partner_id FROM tier_baseline"))
      let added = tiers.filter { !known.contains($0.key) }.sorted { $0.key < $1.key }
      for (partner, tier) in added {
        try db.execute(
          sql: "INSERT INTO tier_baseline (partner_id, tier, recorded_at) VALUES (?, ?, ?)",
          arguments: [partner, tier, at])
      }
      if !added.isEmpty { _ = try Self.logChange(db, (.incentives, "")) }
      return added.count
    }
  }

  public func tierBaseline() async throws -> [String: String?] {
    try await writer.read { db in
      var out: [String: String?] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT partner_id, tier FROM tier_baseline") {
        out[row["partner_id"] as String] = row["tier"] as String?
      }
      return out
    }
  }

  public func addTierOverride(_ o: TierOverride) async throws {
    try await writer.write { db in
      try Self.insert(o, db)
      _ = try Self.logChange(db, (.incentives, ""))
    }
  }

  static func insert(_ o: TierOverride, _ db: Database) throws {
    try db.execute(
      sql: """
        INSERT INTO tier_overrides (partner_id, level, reason, from_day, until_day, set_by, set_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [o.partner, o.level, o.reason, o.from.description, o.until.description, o.setBy, o.setAt])
  }

  public func tierOverrides() async throws -> [TierOverride] {
    try await writer.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM tier_overrides ORDER BY id").compactMap { row in
        guard let from = Day(iso: row["from_day"] as String), let until = Day(iso: row["until_day"] as String) else {
          return nil
        }
        return TierOverride(
          partner: row["partner_id"], level: row["level"], reason: row["reason"], from: from, until: until,
          setBy: row["set_by"], setAt: row["set_at"])
      }
    }
  }

  public func recordTierApplications(_ applications: [TierApplication]) async throws {
    try await writer.write { db in
      for a in applications {
        try db.execute(
          sql: """
            INSERT INTO tier_applications (partner_id, previous, level, period, reason, applied_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """,
          arguments: [a.partner, a.previous, a.level, a.period.description, a.reason, a.appliedAt])
      }
      _ = try Self.logChange(db, (.incentives, ""))
    }
  }

  public func tierApplications() async throws -> [TierApplication] {
    try await writer.read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM tier_applications ORDER BY id").compactMap { row in
        guard let period = Period(row["period"] as String) else { return nil }
        return TierApplication(
          partner: row["partner_id"], previous: row["previous"], level: row["level"], period: period,
          reason: row["reason"], appliedAt: row["applied_at"])
      }
    }
  }
}
