/// One line of a partner's statement: what it pays for, on what basis, at what rate.
public struct StatementLine: Sendable, Hashable {
  public var plan: String
  /// The plan's kind (nil for a total carried between statements).
  public var kind: IncentiveKind?
  /// What the line is: a bracket, a KPI, a deal id, `cap`, `adjustment 2025-Q2`, `carried forward`.
  public var line: String
  /// The amount, attainment or deal the line is computed on (nil: none).
  public var basis: Rational?
  /// The rate or curve value applied (nil: a fixed amount).
  public var rate: Rational?
  /// Cents, rounded once, half away from zero.
  public var amount: Int64
  /// The definitions version that produced it.
  public var version: Int?
  /// For an adjustment, the earlier period it corrects.
  public var corrects: Period?

  public init(
    plan: String, kind: IncentiveKind?, line: String, basis: Rational?, rate: Rational?, amount: Int64, version: Int?
  ) {
    self.plan = plan
    self.kind = kind
    self.line = line
    self.basis = basis
    self.rate = rate
    self.amount = amount
    self.version = version
  }
}

/// One partner's payouts for one period of one grain, under every plan of that grain.
public struct PayoutStatement: Sendable, Hashable {
  public var partner: String
  public var period: Period
  public var lines: [StatementLine]
  /// The period has not ended: the amounts are an estimate and cannot be approved.
  public var isEstimate: Bool
  /// The approval that froze it (its lines are then the approved ones).
  public var approval: StatementApproval?

  public init(
    partner: String, period: Period, lines: [StatementLine], isEstimate: Bool, approval: StatementApproval? = nil
  ) {
    self.partner = partner
    self.period = period
    self.lines = lines
    self.isEstimate = isEstimate
    self.approval = approval
  }

  /// The sum of the rounded lines, in cents (saturating: amounts past 92 quadrillion cents do
  /// not trap).
  public var total: Int64 { Cents.sum(lines.map(\.amount)) }

  /// The total of each plan's lines, in the order plans first appear.
  public var totalsByPlan: [(plan: String, amount: Int64)] {
    var order: [String] = []
    var sums: [String: Int64] = [:]
    for l in lines {
      if sums[l.plan] == nil { order.append(l.plan) }
      sums[l.plan] = Cents.sum([sums[l.plan, default: 0], l.amount])
    }
    return order.map { ($0, sums[$0]!) }
  }
}

/// Money in cents as a plain decimal with two places: `1234.50`, `-0.05`.
public enum Cents {
  /// A sum that saturates instead of trapping.
  public static func sum(_ values: [Int64]) -> Int64 {
    var total: Int64 = 0
    for v in values {
      let (t, o) = total.addingReportingOverflow(v)
      total = o ? (v < 0 ? Int64.min + 1 : Int64.max) : t
    }
    return total
  }

  public static func text(_ cents: Int64) -> String {
    let negative = cents < 0
    let m = cents.magnitude
    let frac = m % 100
    return (negative ? "-" : "") + String(m / 100) + "." + (frac < 10 ? "0" : "") + String(frac)
  }
}

/// A statement as it was approved: frozen lines, who approved it and when, and whether an admin
/// revoked the approval (with why).
public struct StatementApproval: Sendable, Hashable {
  public var id: Int64
  public var partner: String
  public var period: Period
  public var lines: [StatementLine]
  public var approvedBy: String
  public var approvedAt: String
  public var revokedBy: String?
  public var revokedAt: String?
  public var revokeReason: String?

  public init(
    id: Int64 = 0, partner: String, period: Period, lines: [StatementLine], approvedBy: String, approvedAt: String,
    revokedBy: String? = nil, revokedAt: String? = nil, revokeReason: String? = nil
  ) {
    self.id = id
    self.partner = partner
    self.period = period
    self.lines = lines
    self.approvedBy = approvedBy
    self.approvedAt = approvedAt
    self.revokedBy = revokedBy
    self.revokedAt = revokedAt
    self.revokeReason = revokeReason
  }

  public var isRevoked: Bool { revokedAt != nil }
  public var total: Int64 { Cents.sum(lines.map(\.amount)) }
}
