import ChannelKPI

/// The incentive statements of the period shown: totals by plan, each partner's statement and
/// whether it is approved, an estimate or waiting for approval.
enum StatementsPage {
  struct Line: Hashable, Sendable {
    var plan: String
    var line: String
    var basis: String
    var rate: String
    var amount: String
  }

  struct Row: Hashable, Sendable {
    var partner: String
    var name: String
    var period: Period
    var status: String
    var total: String
    var lines: [Line]
  }

  struct PlanTotal: Hashable, Sendable {
    var plan: String
    var name: String
    var kind: String
    var amount: String
  }

  struct Model: Hashable, Sendable {
    var chrome: PageChrome
    var period: Period?
    var plans: [PlanTotal]
    var total: String
    var rows: [Row]
    var hasPlans: Bool
  }

  /// The page; `visibility` narrows it to the partners the viewer may see.
  static func build(service: KPIService, chrome: PageChrome, visibility: Visibility? = nil) async throws -> Model {
    guard let period = chrome.selection?.period else {
      return Model(chrome: chrome, period: nil, plans: [], total: "", rows: [], hasPlans: false)
    }
    let plans = service.plans(for: period)
    let statements = try await service.statements(from: period.firstMonth, to: period.lastMonth, partner: nil).filter {
      visibility?.canSee(partner: $0.partner) ?? true
    }
    var names: [String: String] = [:]
    for p in service.partners() { names[p.id] = p.name }
    var sums: [String: Int64] = [:]
    for s in statements { for (p, a) in s.totalsByPlan where !p.isEmpty { sums[p, default: 0] += a } }
    let planTotals = sums.keys.sorted().map { id in
      let plan = plans.first { $0.id == id }
      return PlanTotal(
        plan: id, name: plan?.name ?? id, kind: plan?.kind.rawValue.replacingOccurrences(of: "_", with: " ") ?? "",
        amount: DashboardFormat.cents(sums[id]!))
    }
    let rows = statements.map { s in
      Row(
        partner: s.partner, name: names[s.partner] ?? s.partner, period: s.period,
        status: s.approval.map { "Approved by \($0.approvedBy)" } ?? (s.isEstimate ? "Estimate" : "To approve"),
        total: DashboardFormat.cents(s.total),
        lines: s.lines.map {
          Line(
            plan: $0.plan, line: $0.line, basis: $0.basis?.decimal(places: 2) ?? "",
            rate: $0.rate?.decimal(places: 6) ?? "", amount: DashboardFormat.cents($0.amount))
        })
    }
    return Model(
      chrome: chrome, period: period, plans: planTotals,
      total: DashboardFormat.cents(statements.reduce(0) { $0 + $1.total }), rows: rows,
      hasPlans: !plans.isEmpty)
  }
}
