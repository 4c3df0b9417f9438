/// The kinds of incentive plan.
public enum IncentiveKind: String, Sendable, Hashable, CaseIterable, Codable {
  case rebate
  case attainmentBonus = "attainment_bonus"
  case spiff
  case mdf
}

/// A rebate bracket: from this amount of the basis (inclusive) on, this rate.
public struct RebateBracket: Sendable, Hashable {
  public var from: Rational
  public var rate: Rational
  public init(from: Rational, rate: Rational) {
    self.from = from
    self.rate = rate
  }
}

/// A share of a money KPI, by brackets.
public struct RebateRule: Sendable, Hashable {
  public enum Mode: String, Sendable, Hashable, CaseIterable { case marginal, retroactive }
  /// A money KPI of the partner over the period.
  public var basis: String
  public var mode: Mode
  /// Ascending `from`, the first from 0.
  public var brackets: [RebateBracket]
  /// Added to the bracket rate for partners holding the tier.
  public var rateByTier: [String: Rational]

  public init(basis: String = "revenue", mode: Mode, brackets: [RebateBracket], rateByTier: [String: Rational] = [:]) {
    self.basis = basis
    self.mode = mode
    self.brackets = brackets
    self.rateByTier = rateByTier
  }
}

/// A payout curve on the attainment of KPI targets.
public struct AttainmentBonusRule: Sendable, Hashable {
  /// Paid at exactly 100% attainment.
  public var targetBonus: Rational
  /// KPI ids and weights summing to 1, in the order written.
  public var weights: [KPIWeight]
  public var threshold: Rational
  public var atThreshold: Rational
  public var accelerator: Rational
  public var cap: Rational?

  public struct KPIWeight: Sendable, Hashable {
    public var kpi: String
    public var weight: Rational
    public init(kpi: String, weight: Rational) {
      self.kpi = kpi
      self.weight = weight
    }
  }

  public init(
    targetBonus: Rational, weights: [KPIWeight], threshold: Rational = .zero, atThreshold: Rational = .zero,
    accelerator: Rational = .one, cap: Rational? = nil
  ) {
    self.targetBonus = targetBonus
    self.weights = weights
    self.threshold = threshold
    self.atThreshold = atThreshold
    self.accelerator = accelerator
    self.cap = cap
  }

  /// The curve: 0 below the threshold, linear from `atThreshold` to 1 up to 100%, then
  /// `1 + (a − 1) × accelerator`, never above the cap.
  public func curve(_ a: Rational) -> Rational {
    var f: Rational
    if a < threshold {
      f = .zero
    } else if a < .one {
      // threshold < 1 is checked when the plan is read.
      f = atThreshold + (.one - atThreshold) * ((a - threshold) / (.one - threshold) ?? .zero)
    } else {
      f = .one + (a - .one) * accelerator
    }
    if let cap, cap < f { f = cap }
    return f
  }
}

/// A reward per qualifying won deal.
public struct SpiffRule: Sendable, Hashable {
  public enum Reward: Sendable, Hashable {
    case perDeal(Rational)
    case share(Rational)
  }
  public var products: [String]?
  public var sources: [String]?
  public var minAmount: Rational?
  public var reward: Reward
  /// Per partner and period.
  public var cap: Rational?

  public init(
    products: [String]? = nil, sources: [String]? = nil, minAmount: Rational? = nil, reward: Reward,
    cap: Rational? = nil
  ) {
    self.products = products
    self.sources = sources
    self.minAmount = minAmount
    self.reward = reward
    self.cap = cap
  }
}

/// Market development funds: accrued on a money KPI, drawn by campaigns' MDF amounts.
public struct MDFRule: Sendable, Hashable {
  public var basis: String
  public var accrualRate: Rational
  /// Replaces the accrual rate for partners holding the tier.
  public var rateByTier: [String: Rational]
  /// Credits unused after this many periods expire; nil: never.
  public var expiresAfter: Int?

  public init(
    basis: String = "revenue", accrualRate: Rational, rateByTier: [String: Rational] = [:], expiresAfter: Int? = nil
  ) {
    self.basis = basis
    self.accrualRate = accrualRate
    self.rateByTier = rateByTier
    self.expiresAfter = expiresAfter
  }
}

/// An incentive plan of the program definitions.
public struct IncentivePlan: Sendable, Hashable {
  public enum Rule: Sendable, Hashable {
    case rebate(RebateRule)
    case attainmentBonus(AttainmentBonusRule)
    case spiff(SpiffRule)
    case mdf(MDFRule)
  }

  public var id: String
  public var name: String
  /// The grain of the periods its statements cover.
  public var period: Grain
  public var appliesTo: AppliesTo
  /// It pays only for periods lying entirely between these days.
  public var starts: Day?
  public var ends: Day?
  public var rule: Rule

  public init(
    id: String, name: String? = nil, period: Grain, appliesTo: AppliesTo = AppliesTo(), starts: Day? = nil,
    ends: Day? = nil, rule: Rule
  ) {
    self.id = id
    self.name = name ?? id
    self.period = period
    self.appliesTo = appliesTo
    self.starts = starts
    self.ends = ends
    self.rule = rule
  }

  public var kind: IncentiveKind {
    switch rule {
    case .rebate: .rebate
    case .attainmentBonus: .attainmentBonus
    case .spiff: .spiff
    case .mdf: .mdf
    }
  }

  /// Whether a period lies entirely inside the plan's dates.
  public func covers(_ p: Period) -> Bool {
    p.grain == period && (starts.map { $0 <= p.start } ?? true) && (ends.map { p.end <= $0 } ?? true)
  }

  /// Whether the plan pays a partner (in the program during the period, holding `tier`) for a period.
  public func applies(to partner: PartnerInfo, tier: String?, in p: Period) -> Bool {
    covers(p) && partner.isInProgram(during: p.months) && appliesTo.matches(partner, tier: tier)
  }
}
