public import ChannelKPI
import Foundation
import PostgresNIO

extension PostgresStore {
  public func approveStatements(_ approvals: [StatementApproval]) async throws -> [Int64] {
    let encoded = try approvals.map { ($0, try StoredLine.encode($0.lines)) }
    do {
      return try await transaction { conn in
        var ids: [Int64] = []
        for (a, lines) in encoded {
          let current =
            try await one(
              conn,
              """
              SELECT COUNT(*) FROM statement_approvals
              WHERE partner_id = \(a.partner) AND period = \(a.period.description) AND revoked_at IS NULL
              """, as: Int.self) ?? 0
          if current > 0 { throw ApprovalError.alreadyApproved(partner: a.partner, period: a.period.description) }
          let id =
            try await one(
              conn,
              """
              INSERT INTO statement_approvals (partner_id, period, lines, total, approved_by, approved_at)
              VALUES (\(a.partner), \(a.period.description), \(lines), \(a.total), \(a.approvedBy), \(a.approvedAt))
              RETURNING id
              """, as: Int64.self) ?? 0
          ids.append(id)
        }
        _ = try await logChange(conn, (.incentives, ""))
        return ids
      }
    } catch let e as PSQLError where e.serverInfo?[.sqlState] == "23505" {
      // Another instance approved one of them at the same moment: the unique index refused it.
      let first = approvals.first
      throw ApprovalError.alreadyApproved(partner: first?.partner ?? "", period: first?.period.description ?? "")
    }
  }

  public func statementApprovals() async throws -> [StatementApproval] {
    var out: [StatementApproval] = []
    let rows = try await client.query(
      """
      SELECT id, partner_id, period, lines, approved_by, approved_at, revoked_by, revoked_at, revoke_reason
      FROM statement_approvals ORDER BY id
      """, logger: logger)
    for try await (id, partner, period, lines, by, at, revokedBy, revokedAt, reason) in rows.decode(
      (Int64, String, String, String, String, String, String?, String?, String?).self)
    {
      guard let p = Period(period) else { continue }
      out.append(
        StatementApproval(
          id: id, partner: partner, period: p, lines: StoredLine.decode(lines), approvedBy: by, approvedAt: at,
          revokedBy: revokedBy, revokedAt: revokedAt, revokeReason: reason))
    }
    return out
  }

  public func revokeApproval(id: Int64, by: String, at: String, reason: String) async throws {
    try await transaction { conn in
      let rows = try await conn.query(
        "SELECT revoked_at FROM statement_approvals WHERE id = \(id) FOR UPDATE", logger: logger)
      var found = false
      var revoked = false
      for try await (revokedAt) in rows.decode(String?.self) {
        found = true
        revoked = revokedAt != nil
      }
      guard found else { throw ApprovalError.noApproval(id: id) }
      if revoked { throw ApprovalError.alreadyRevoked(id: id) }
      try await conn.query(
        """
        UPDATE statement_approvals SET revoked_by = \(by), revoked_at = \(at), revoke_reason = \(reason)
        WHERE id = \(id)
        """, logger: logger)
      _ = try await logChange(conn, (.incentives, ""))
    }
  }

  public func recordTierBaseline(_ tiers: [String: String?], at: String) async throws -> Int {
    guard !tiers.isEmpty else { return 0 }
    return try await transaction { conn in
      try await conn.query("LOCK TABLE tier_baseline IN EXCLUSIVE MODE", logger: logger)
      var known = Set<String>()
      for try await id in try await conn.query("SELECT partner_id FROM tier_baseline", logger: logger).decode(
        String.self)
      {
        known.insert(id)
      }
      let added = tiers.filter { !known.contains($0.key) }.sorted { $0.key < $1.key }
      for (partner, tier) in added {
        try await conn.query(
          "INSERT INTO tier_baseline (partner_id, tier, recorded_at) VALUES (\(partner), \(tier), \(at))",
          logger: logger)
      }
      if !added.isEmpty { _ = try await logChange(conn, (.incentives, "")) }
      return added.count
    }
  }

  public func tierBaseline() async throws -> [String: String?] {
    var out: [String: String?] = [:]
    let rows = try await client.query("SELECT partner_id, tier FROM tier_baseline", logger: logger)
    for try await (partner, tier) in rows.decode((String, String?).self) { out[partner] = tier }
    return out
  }

  public func addTierOverride(_ o: TierOverride) async throws {
    try await transaction { conn in
      try await insert(o, conn)
      _ = try await logChange(conn, (.incentives, ""))
    }
  }

  func insert(_ o: TierOverride, _ conn: PostgresConnection) async throws {
    try await conn.query(
      """
      INSERT INTO tier_overrides (partner_id, level, reason, from_day, until_day, set_by, set_at)
      VALUES (\(o.partner), \(o.level), \(o.reason), \(o.from.description)::date, \(o.until.description)::date,
        \(o.setBy), \(o.setAt))
      """, logger: logger)
  }

  public func tierOverrides() async throws -> [TierOverride] {
    var out: [TierOverride] = []
    let rows = try await client.query(
      """
      SELECT partner_id, level, reason, to_char(from_day, 'YYYY-MM-DD'), to_char(until_day, 'YYYY-MM-DD'), set_by, set_at
      FROM tier_overrides ORDER BY id
      """, logger: logger)
    for try await (partner, level, reason, from, until, by, at) in rows.decode(
      (String, String, String, String, String, String, String).self)
    {
      guard let f = Day(iso: from), let u = Day(iso: until) else { continue }
      out.append(TierOverride(partner: partner, level: level, reason: reason, from: f, until: u, setBy: by, setAt: at))
    }
    return out
  }

  public func recordTierApplications(_ applications: [TierApplication]) async throws {
    try await transaction { conn in
      for a in applications {
        try await conn.query(
          """
          INSERT INTO tier_applications (partner_id, previous, level, period, reason, applied_at)
          VALUES (\(a.partner), \(a.previous), \(a.level), \(a.period.description), \(a.reason), \(a.appliedAt))
          """, logger: logger)
      }
      _ = try await logChange(conn, (.incentives, ""))
    }
  }

  public func tierApplications() async throws -> [TierApplication] {
    var out: [TierApplication] = []
    let rows = try await client.query(
      "SELECT partner_id, previous, level, period, reason, applied_at FROM tier_applications ORDER BY id",
      logger: logger)
    for try await (partner, previous, level, period, reason, at) in rows.decode(
      (String, String?, String, String, String, String).self)
    {
      guard let p = Period(period) else { continue }
      out.append(
        TierApplication(partner: partner, previous: previous, level: level, period: p, reason: reason, appliedAt: at))
    }
    return out
  }
}
