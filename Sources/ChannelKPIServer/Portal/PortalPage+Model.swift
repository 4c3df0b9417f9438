import ChannelKPI
import ChannelKPIStore
import Foundation
import Logging

/// A partner's own page: how it stands against its targets, its trends, its tier and what the
/// next level needs, its incentive statements and MDF fund, and the reviews shared with it.
/// Nothing of any other partner is in it but the anonymous position among peers.
enum PortalPage {
  /// A statement of a period, in words a partner's staff reads.
  struct Statement: Hashable, Sendable {
    var period: String
    var total: String
    var state: String
    var lines: [(plan: String, line: String, amount: String)]

    static func == (a: Statement, b: Statement) -> Bool {
      a.period == b.period && a.total == b.total && a.state == b.state && a.lines.map(\.line) == b.lines.map(\.line)
    }
    func hash(into h: inout Hasher) { h.combine(period + total + state) }
  }

  struct Fund: Hashable, Sendable {
    var plan: String
    var period: String
    var accrued: String
    var claimed: String
    var expired: String
    var closing: String
  }

  struct Review: Hashable, Sendable {
    var id: Int64
    var date: String
    var about: String
    var finding: String
    var action: String
    var acknowledged: String?
    var replies: [ReviewReply]
  }

  struct Model: Hashable, Sendable {
    var partner: PartnerPage.Model
    var period: Period?
    var statements: [Statement]
    var funds: [Fund]
    var reviews: [Review]
    /// True for the printable quarterly report (no forms).
    var printable: Bool
  }

  /// The next step for a KPI behind its target, in plain words.
  static func advice(_ s: KPIStanding) -> String? {
    guard s.status == .atRisk || s.status == .offTrack, let target = s.target else { return nil }
    let goal = DashboardFormat.value(target, unit: s.unit).trimmingCharacters(in: CharacterSet(charactersIn: "+"))
    guard let actual = s.actual else { return "No result yet: the target is \(goal)." }
    let gap = DashboardFormat.value(Swift.abs(target - actual), unit: s.unit)
      .trimmingCharacters(in: CharacterSet(charactersIn: "+−-"))
    let points = s.unit == .rate ? " points" : ""
    return s.better == .lower
      ? "Bring it down by \(gap)\(points) to reach \(goal)."
      : "\(gap)\(points) to go to reach \(goal)."
  }

  static func build(
    service: KPIService, chrome: PageChrome, partner: PartnerInfo, printable: Bool, logger: Logger
  ) async throws -> Model {
    let own = partner.id
    var page = try await PartnerPage.build(
      service: service, chrome: chrome, partner: partner, logger: logger, seenBy: { $0 == own })
    // The network's values are other partners' business: the portal never shows them.
    page.comparisons = []
    page.deals = []
    // Its position among peers is shared only where at least 5 other partners have a value; never its rank.
    if (page.peers ?? 0) <= 5 { page.percentile = nil }
    page.rank = nil
    page.peers = nil
    page.benchmarks.removeAll { $0.position.cuts == nil }
    var model = Model(
      partner: page, period: chrome.selection?.period, statements: [], funds: [], reviews: [], printable: printable)
    if let coverage = service.coverage {
      let last = Swift.max(coverage.last, service.todayDay.month)
      // The statements and funds of the year up to the period shown (the report: that period alone).
      let shown = chrome.selection?.period
      let first =
        printable
        ? (shown?.firstMonth ?? coverage.first) : Swift.max(coverage.first, (shown?.lastMonth ?? last) - 11)
      let through = printable ? (shown?.lastMonth ?? last) : last
      if let statements = try? await service.statements(from: first, to: through, partner: partner.id) {
        model.statements = statements.filter { $0.partner == partner.id && !$0.lines.isEmpty }.reversed().map { s in
          Statement(
            period: PeriodLabel.long(s.period), total: DashboardFormat.cents(s.total),
            state: s.approval != nil ? "Approved" : s.isEstimate ? "Estimate (period under way)" : "Awaiting approval",
            lines: s.lines.map { (plan: $0.plan, line: $0.line, amount: DashboardFormat.cents($0.amount)) })
        }
      }
      if let ledger = try? await service.mdfLedger() {
        model.funds = ledger.periods.filter {
          $0.partner == partner.id && $0.period.firstMonth >= first
            && $0.period.lastMonth <= through
        }.reversed().map { f in
          Fund(
            plan: f.plan, period: PeriodLabel.long(f.period), accrued: DashboardFormat.cents(f.accrued),
            claimed: DashboardFormat.cents(f.claimed), expired: DashboardFormat.cents(f.expired),
            closing: DashboardFormat.cents(f.closing))
        }
      }
    }
    let replies = Dictionary(grouping: try await service.store.reviewReplies(), by: \.review)
    model.reviews = try await service.store.reviews().filter { $0.partner == partner.id && $0.shared }.reversed()
      .compactMap { r in
        guard let id = r.id else { return nil }
        let about = [r.kpi, r.period.map { PeriodLabel.long($0) }].compactMap { $0 }.joined(separator: ", ")
        return Review(
          id: id, date: PeriodLabel.day(r.date), about: about, finding: r.finding, action: r.action,
          acknowledged: r.acknowledgedBy.map { "Acknowledged by \($0)" }, replies: replies[id] ?? [])
      }
    return model
  }
}
