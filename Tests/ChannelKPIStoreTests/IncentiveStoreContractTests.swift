import ChannelKPI
import ChannelKPIStore
import ChannelKPITestSupport
import Testing

/// Approvals and tier records behave the same on every store.
@Suite struct IncentiveStoreContractTests {
  static func line(_ plan: String, _ kind: IncentiveKind?, _ label: String, _ cents: Int64, corrects: String? = nil)
    -> StatementLine
  {
    var l = StatementLine(
      plan: plan, kind: kind, line: label, basis: Rational(7, 3), rate: Rational(decimal: "0.035", places: 6),
      amount: cents, version: 2)
    l.corrects = corrects.flatMap(Period.init)
    return l
  }

  static func approval(_ partner: String, _ period: String, _ lines: [StatementLine]) -> StatementApproval {
    StatementApproval(
      partner: partner, period: Period(period)!, lines: lines, approvedBy: "Dana Reyes",
      approvedAt: "2026-01-20T09:00:00Z")
  }

  @Test(arguments: StoreKind.contract) func approvalsAreFrozenExactlyAndOnePerStatement(_ kind: StoreKind) async throws
  {
    try await StoreHarness.with(kind) { h in
      let lines = [
        Self.line("rebate", .rebate, "bracket 0-100000", 123_456),
        Self.line("bonus", .attainmentBonus, "adjustment 2025-Q2", -5_001, corrects: "2025-Q2"),
        Self.line("", nil, "carried forward", 99),
      ]
      let ids = try await h.store.approveStatements([
        Self.approval("P1", "2025-Q3", lines), Self.approval("P2", "2025-Q3", [Self.line("rebate", .rebate, "x", 5)]),
      ])
      #expect(ids.count == 2 && ids[0] != ids[1])
      let stored = try await h.store.statementApprovals()
      #expect(stored.map(\.id) == ids)
      // Lines come back exactly: rationals, kinds (none for a carried total), what they correct.
      #expect(stored[0].lines == lines)
      #expect(stored[0].lines[1].corrects == Period("2025-Q2"))
      #expect(stored[0].total == 123_456 - 5_001 + 99)
      #expect(stored[0].approvedBy == "Dana Reyes" && stored[0].period == Period("2025-Q3"))

      // A batch holding an approved statement is refused whole and leaves no trace in the log.
      let position = try await h.store.latestChange()
      await #expect(throws: ApprovalError.alreadyApproved(partner: "P1", period: "2025-Q3")) {
        try await h.store.approveStatements([Self.approval("P3", "2025-Q3", []), Self.approval("P1", "2025-Q3", [])])
      }
      #expect(try await h.store.statementApprovals().count == 2)
      #expect(try await h.store.latestChange() == position)
      // The same partner in another period, or another grain, is another statement.
      _ = try await h.store.approveStatements([Self.approval("P1", "2025-09", [])])

      // Revoking keeps the record, with who, when and why; then the statement can be approved again.
      try await h.store.revokeApproval(id: ids[0], by: "Admin", at: "2026-02-01T00:00:00Z", reason: "wrong target")
      let revoked = try #require(try await h.store.statementApprovals().first { $0.id == ids[0] })
      #expect(revoked.isRevoked && revoked.revokedBy == "Admin" && revoked.revokeReason == "wrong target")
      await #expect(throws: ApprovalError.alreadyRevoked(id: ids[0])) {
        try await h.store.revokeApproval(id: ids[0], by: "Admin", at: "t", reason: "again")
      }
      await #expect(throws: ApprovalError.noApproval(id: 987_654)) {
        try await h.store.revokeApproval(id: 987_654, by: "Admin", at: "t", reason: "none")
      }
      let again = try await h.store.approveStatements([Self.approval("P1", "2025-Q3", lines)])
      #expect(again.count == 1 && again[0] > ids[1])
      #expect(try await h.store.statementApprovals().filter { !$0.isRevoked }.count == 3)
    }
  }

  @Test(arguments: StoreKind.contract) func theTierBaselineIsRecordedOnce(_ kind: StoreKind) async throws {
    try await StoreHarness.with(kind) { h in
      #expect(try await h.store.tierBaseline().isEmpty)
      #expect(try await h.store.recordTierBaseline(["P1": "gold", "P2": nil], at: "2026-01-01T00:00:00Z") == 2)
      // A recorded partner keeps its first record; a new one is added.
      #expect(try await h.store.recordTierBaseline(["P1": "silver", "P3": "bronze"], at: "2026-02-01T00:00:00Z") == 1)
      #expect(try await h.store.tierBaseline() == ["P1": "gold", "P2": String?.none, "P3": "bronze"])
      let applied = [
        TierApplication(
          partner: "P1", previous: "gold", level: "platinum", period: Period("2025-Q4")!,
          reason: "promoted to platinum at the evaluation of 2025-Q4", appliedAt: "2026-01-05T00:00:00Z"),
        TierApplication(
          partner: "P2", previous: nil, level: "registered", period: Period("2025-Q4")!, reason: "held",
          appliedAt: "2026-01-05T00:00:00Z"),
      ]
      try await h.store.recordTierApplications(applied)
      #expect(try await h.store.tierApplications() == applied)
      let o = TierOverride(
        partner: "P1", level: "gold", reason: "strategic, \"new\" practice", from: Day(iso: "2025-10-01")!,
        until: Day(iso: "2026-03-31")!, setBy: "Dana", setAt: "2025-10-01T08:00:00Z")
      try await h.store.addTierOverride(o)
      #expect(try await h.store.tierOverrides() == [o])
    }
  }

  @Test(arguments: StoreKind.contract) func anArchiveCarriesApprovalsAndTierRecords(_ kind: StoreKind) async throws {
    try await StoreHarness.with(kind) { source in
      let ids = try await source.store.approveStatements([
        Self.approval("P1", "2025-Q3", [Self.line("rebate", .rebate, "bracket 0-100000", 100)])
      ])
      try await source.store.revokeApproval(id: ids[0], by: "Admin", at: "t", reason: "r")
      _ = try await source.store.approveStatements([Self.approval("P1", "2025-Q3", [])])
      _ = try await source.store.recordTierBaseline(["P1": "gold"], at: "t")
      try await source.store.recordTierApplications([
        TierApplication(
          partner: "P1", previous: "gold", level: "silver", period: Period("2025")!, reason: "r", appliedAt: "t")
      ])
      try await source.store.addTierOverride(
        TierOverride(
          partner: "P1", level: "gold", reason: "r", from: Day(number: 20_000), until: Day(number: 20_100), setBy: "D",
          setAt: "t"))
      let archive = try await source.store.archive()
      #expect(archive.approvals.count == 2 && archive.tierBaseline.count == 1 && archive.tierApplications.count == 1)
      #expect(archive.tierOverrides.count == 1)
      try await StoreHarness.with(kind) { target in
        try await target.store.restore(archive)
        #expect(try await target.store.archive() == archive)
        // Approval numbers continue after the restored ones.
        let next = try await target.store.approveStatements([Self.approval("P2", "2025-Q3", [])])
        #expect(next[0] > archive.approvals.map(\.id).max()!)
      }
    }
  }
}
