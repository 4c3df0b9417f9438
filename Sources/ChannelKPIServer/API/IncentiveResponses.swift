public import ChannelKPI
import ChannelKPIStore
import Foundation

/// Money as an exact JSON number with two decimals.
struct Money: Encodable {
  let cents: Int64
  func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(Decimal(string: Cents.text(cents)) ?? 0)
  }
}

/// An exact fraction as a JSON number (at most 6 decimals).
struct Exact: Encodable {
  let value: Rational
  func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(Decimal(string: value.decimal(places: 6)) ?? 0)
  }
}

struct LadderResponse: Encodable {
  struct Requirement: Encodable {
    let kpi: String
    let min: Double?
    let max: Double?
  }
  struct Level: Encodable {
    let id: String
    let name: String
    let requires: [Requirement]
    let benefits: [String: String]
  }
  let evaluate: String
  let window: Int
  let demotionGrace: Int
  let starts: String?
  let levels: [Level]

  init(_ l: TierLadder) {
    evaluate = l.evaluate.rawValue
    window = l.window
    demotionGrace = l.demotionGrace
    starts = l.starts?.description
    levels = l.levels.map { level in
      Level(
        id: level.id, name: level.name,
        requires: level.requires.map { r in
          switch r.bound {
          case .min(let v): Requirement(kpi: r.kpi, min: v, max: nil)
          case .max(let v): Requirement(kpi: r.kpi, min: nil, max: v)
          }
        },
        benefits: Dictionary(level.benefits.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }))
    }
  }
}

struct RequirementResponse: Encodable {
  let level: String
  let kpi: String
  let bound: String
  let threshold: Double
  let value: Double?
  let shortfall: Double?
  let met: Bool

  init(_ s: RequirementStanding) {
    level = s.level
    kpi = s.requirement.kpi
    if case .min = s.requirement.bound { bound = "min" } else { bound = "max" }
    threshold = s.requirement.threshold
    value = s.value
    shortfall = s.shortfall
    met = s.isMet
  }
}

struct EvaluationResponse: Encodable {
  let partner: String
  let period: String
  let window: String
  let held: String
  let qualified: String
  let level: String
  let change: String
  let misses: Int
  let failing: [RequirementResponse]
  let override: String?
  let version: Int?

  init(_ e: TierEvaluation) {
    partner = e.partner
    period = e.period.description
    window = e.window.description
    held = e.held
    qualified = e.qualified
    level = e.level
    change = e.change.rawValue
    misses = e.misses
    failing = e.failing.map(RequirementResponse.init)
    override = e.override.map { "\($0.level) by \($0.setBy): \($0.reason)" }
    version = e.version
  }
}

struct TiersResponse: Encodable {
  struct Count: Encodable {
    let level: String
    let partners: Int
  }
  let period: String?
  let ladder: LadderResponse
  let distribution: [Count]
  let moved: [EvaluationResponse]
  let atRisk: [EvaluationResponse]
}

struct TierHistoryResponse: Encodable {
  let evaluations: [EvaluationResponse]
}

struct PartnerTierResponse: Encodable {
  struct Gap: Encodable {
    let next: String
    let requirements: [RequirementResponse]
  }
  let partner: String
  let level: String?
  let benefits: [String: String]
  let history: [EvaluationResponse]
  let gap: Gap?
}

struct LineResponse: Encodable {
  let plan: String
  let kind: String?
  let line: String
  let basis: Exact?
  let rate: Exact?
  let amount: Money
  let corrects: String?
  let version: Int?

  init(_ l: StatementLine) {
    plan = l.plan
    kind = l.kind?.rawValue
    line = l.line
    basis = l.basis.map(Exact.init)
    rate = l.rate.map(Exact.init)
    amount = Money(cents: l.amount)
    corrects = l.corrects?.description
    version = l.version
  }
}

struct ApprovalResponse: Encodable {
  let id: Int64
  let partner: String
  let period: String
  let total: Money
  let approvedBy: String
  let approvedAt: String
  let revokedBy: String?
  let revokedAt: String?
  let revokeReason: String?

  init(_ a: StatementApproval) {
    id = a.id
    partner = a.partner
    period = a.period.description
    total = Money(cents: a.total)
    approvedBy = a.approvedBy
    approvedAt = a.approvedAt
    revokedBy = a.revokedBy
    revokedAt = a.revokedAt
    revokeReason = a.revokeReason
  }
}

struct StatementResponse: Encodable {
  let partner: String
  let period: String
  let estimate: Bool
  let approval: ApprovalResponse?
  let total: Money
  let lines: [LineResponse]

  init(_ s: PayoutStatement) {
    partner = s.partner
    period = s.period.description
    estimate = s.isEstimate
    approval = s.approval.map(ApprovalResponse.init)
    total = Money(cents: s.total)
    lines = s.lines.map(LineResponse.init)
  }
}

struct StatementsResponse: Encodable {
  struct PlanTotal: Encodable {
    let plan: String
    let amount: Money
  }
  let statements: [StatementResponse]
  let totalsByPlan: [PlanTotal]

  init(_ list: [PayoutStatement]) {
    statements = list.map(StatementResponse.init)
    var sums: [String: Int64] = [:]
    for s in list { for (p, a) in s.totalsByPlan where !p.isEmpty { sums[p, default: 0] += a } }
    totalsByPlan = sums.sorted { $0.key < $1.key }.map { PlanTotal(plan: $0.key, amount: Money(cents: $0.value)) }
  }
}

struct ApprovalsResponse: Encodable {
  let approvals: [ApprovalResponse]
}

struct FundResponse: Encodable {
  let plan: String
  let partner: String
  let period: String
  let opening: Money
  let accrued: Money
  let claimed: Money
  let unfunded: Money
  let expired: Money
  let closing: Money
  let rate: Exact?
  let basis: Money?
  let campaignRevenue: Money
  let mdfReturn: Exact?

  init(_ f: MDFFundPeriod) {
    plan = f.plan
    partner = f.partner
    period = f.period.description
    opening = Money(cents: f.opening)
    accrued = Money(cents: f.accrued)
    claimed = Money(cents: f.claimed)
    unfunded = Money(cents: f.unfunded)
    expired = Money(cents: f.expired)
    closing = Money(cents: f.closing)
    rate = f.rate.map(Exact.init)
    basis = f.basis.map(Money.init)
    campaignRevenue = Money(cents: f.campaignRevenue)
    mdfReturn = f.mdfReturn.map(Exact.init)
  }
}

struct FundsResponse: Encodable {
  let funds: [FundResponse]
}

struct WhatIfResponse: Encodable {
  struct Count: Encodable {
    let period: String
    let level: String
    let current: Int
    let draft: Int
  }
  struct Move: Encodable {
    let partner: String
    let period: String
    let current: String?
    let draft: String?
    let why: String
  }
  struct Payout: Encodable {
    let period: String
    let plan: String
    let current: Money
    let draft: Money
    let difference: Money
    let approved: Money?
  }
  let levels: [Count]
  let moves: [Move]
  let payouts: [Payout]

  init(_ r: WhatIfResult) {
    levels = r.levels.map {
      Count(period: $0.period.description, level: $0.level, current: $0.current, draft: $0.draft)
    }
    moves = r.moves.map {
      Move(partner: $0.partner, period: $0.period.description, current: $0.current, draft: $0.draft, why: $0.why)
    }
    payouts = r.payouts.map {
      Payout(
        period: $0.period.description, plan: $0.plan, current: Money(cents: $0.current), draft: Money(cents: $0.draft),
        difference: Money(cents: $0.difference), approved: $0.approved.map(Money.init))
    }
  }
}

/// The API's JSON for tiers, statements, funds and what-if, for other front ends (the CLI's
/// `--format json` writes the same documents as the API).
public enum IncentiveJSON {
  public static func tierHistory(_ rows: [TierEvaluation]) throws -> String {
    try JSONOutput.encode(TierHistoryResponse(evaluations: rows.map(EvaluationResponse.init)))
  }
  public static func statements(_ list: [PayoutStatement]) throws -> String {
    try JSONOutput.encode(StatementsResponse(list))
  }
  public static func funds(_ rows: [MDFFundPeriod]) throws -> String {
    try JSONOutput.encode(FundsResponse(funds: rows.map(FundResponse.init)))
  }
  public static func whatIf(_ r: WhatIfResult) throws -> String { try JSONOutput.encode(WhatIfResponse(r)) }
  public static func approvals(_ list: [StatementApproval]) throws -> String {
    try JSONOutput.encode(ApprovalsResponse(approvals: list.map(ApprovalResponse.init)))
  }
}
