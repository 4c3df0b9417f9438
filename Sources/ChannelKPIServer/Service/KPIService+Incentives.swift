public import ChannelKPI
import ChannelKPIStore
import Foundation

/// Why an incentive request cannot be served, in the words of the API.
public struct IncentiveRequestError: Error, Sendable {
  public let message: String
  public let parameter: String?
}

extension KPIService {
  /// Reads the tier baseline and overrides from the store.
  func loadTierInputs() async throws {
    shared.setTierInputs((try await store.tierBaseline(), try await store.tierOverrides()))
  }

  /// Tiers, statements and funds under a history (default: the stored definitions).
  func incentives(history other: ProgramHistory? = nil) async throws -> IncentiveCalculator {
    let tiers = try shared.tierHistory(under: other)
    let evaluator = shared.evaluator(under: other, tiers: tiers)
    let facts = incentiveFactsCache ?? engine.incentiveFacts()
    incentiveFactsCache = facts
    return IncentiveCalculator(evaluator: evaluator, tiers: tiers, facts: facts)
  }

  /// The incentive plans in force for a period.
  public nonisolated func plans(for period: Period) -> [IncentivePlan] {
    shared.read { $0.history.version(for: period)?.definitions.incentives ?? [] }
  }

  /// Every partner's tier evaluations.
  public nonisolated func tierHistory() throws(ComputeError) -> TierHistory {
    try shared.read { (s) throws(ComputeError) in try s.tierHistory() }
  }

  /// Statements of the months, settled against the stored approvals.
  public func statements(from: Month, to: Month, partner: String?) async throws -> [PayoutStatement] {
    let approvals = try await store.statementApprovals()
    return try await incentives().statements(
      from: from, to: to, partners: partner.map { Set([$0]) }, approvals: approvals)
  }

  /// Approves the statements of an ended period with a payout (one partner's, or every one not yet
  /// approved), as they stand now.
  /// Approves the period's statements (of one partner, or of all, or of all `among` them).
  public func approveStatements(period: Period, partner: String?, by: String, among: Set<String>? = nil) async throws
    -> [StatementApproval]
  {
    guard period.end < todayDay else {
      throw IncentiveRequestError(
        message: "\(period) has not ended: its statements are estimates and cannot be approved", parameter: "period")
    }
    let statements = try await self.statements(from: period.firstMonth, to: period.lastMonth, partner: partner)
      .filter { $0.period == period && (among?.contains($0.partner) ?? true) }
    if let partner, let s = statements.first(where: { $0.partner == partner }), s.approval != nil {
      throw ApprovalError.alreadyApproved(partner: partner, period: period.description)
    }
    let at = ISO8601DateFormatter().string(from: Date())
    var approvals = statements.filter { $0.approval == nil && !$0.lines.isEmpty }.map {
      StatementApproval(partner: $0.partner, period: period, lines: $0.lines, approvedBy: by, approvedAt: at)
    }
    guard !approvals.isEmpty else { return [] }
    let ids = try await store.approveStatements(approvals)
    for i in approvals.indices { approvals[i].id = ids[i] }
    return approvals
  }

  public func revokeApproval(id: Int64, by: String, reason: String) async throws -> StatementApproval? {
    try await store.revokeApproval(id: id, by: by, at: ISO8601DateFormatter().string(from: Date()), reason: reason)
    return try await store.statementApprovals().first { $0.id == id }
  }

  /// Every MDF fund period.
  public func mdfLedger() async throws -> MDFLedger { try await incentives().mdfLedger() }

  /// Runs draft definitions files over the months without storing anything.
  public func whatIf(files: [String: String], from: Month, to: Month) async throws -> WhatIfResult {
    let known = try await KnownPartners.read(from: store)
    // The draft may name the KPIs the applied definitions add.
    let base = Catalog.builtin.merging(history.latest?.definitions.catalog ?? Catalog())
    let draft = try ProgramFiles.parse(files, base: base, known: known)
    let sections = ProgramFiles.sections(files)
    let unsupported = sections.subtracting(WhatIf.replaceable)
    guard unsupported.isEmpty else {
      throw IncentiveRequestError(
        message:
          "a draft replaces \(WhatIf.replaceable.sorted().joined(separator: ", ")); \(unsupported.sorted().joined(separator: ", ")) must be applied",
        parameter: "files")
    }
    let approvals = try await store.statementApprovals()
    let current = try await incentives()
    let drafted = try await incentives(history: WhatIf.draftHistory(history, draft: draft, sections: sections))
    return try WhatIf.compare(current: current, draft: drafted, from: from, to: to, approvals: approvals)
  }
}
