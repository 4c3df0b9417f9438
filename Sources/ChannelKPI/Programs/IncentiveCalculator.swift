/// Computes incentive statements from the plans of the definitions in force for each period, the
/// partners' tiers and the facts. Pure: `today` is given.
public struct IncentiveCalculator {
  public let evaluator: ProgramEvaluator
  public let tiers: TierHistory
  public let facts: IncentiveFacts

  public init(evaluator: ProgramEvaluator, tiers: TierHistory, facts: IncentiveFacts) {
    self.evaluator = evaluator
    self.tiers = tiers
    self.facts = facts
  }

  var engine: KPIEngine { evaluator.engine }

  /// Every grain some plan (other than MDF) of some version pays at.
  public var payoutGrains: [Grain] {
    let used = Set(
      evaluator.history.versions.flatMap { $0.definitions.incentives.filter { $0.kind != .mdf }.map(\.period) })
    return Grain.allCases.filter { used.contains($0) }
  }

  /// Statements of every period (of every grain plans pay at) lying inside the months and begun by
  /// today, for every partner or only those given, settled against the approvals: approved ones
  /// frozen, differences since as adjustments, negative totals carried forward.
  public func statements(
    from: Month, to: Month, partners only: Set<String>? = nil, approvals: [StatementApproval] = []
  ) throws -> [PayoutStatement] {
    // Adjustments and carries can come from any earlier period: settle from the start of the data
    // (no statement pays anything before it).
    // The year holding it, so that its quarter and year are whole periods.
    let start =
      engine.activity.map { Period(grain: .year, containing: Day(number: $0.lowerBound).month).firstMonth } ?? from
    let wanted = approvals.filter { only?.contains($0.partner) ?? true }
    let all = StatementSettlement.settle(
      try computed(from: start, to: to, partners: only), approvals: wanted, today: evaluator.today)
    return all.filter { $0.period.firstMonth >= from && $0.period.lastMonth <= to }.sorted {
      $0.partner != $1.partner
        ? $0.partner.utf8.lexicographicallyPrecedes($1.partner.utf8)
        : ($0.period.firstMonth, $0.period.grain.months) < ($1.period.firstMonth, $1.period.grain.months)
    }
  }

  /// Statements as computed now, without approvals.
  public func computed(from: Month, to: Month, partners only: Set<String>? = nil) throws -> [PayoutStatement] {
    let partners = engine.partners().filter { only?.contains($0.id) ?? true }
    var out: [PayoutStatement] = []
    for grain in payoutGrains {
      // Periods inside the months that have begun by today (those under way are estimates).
      for period in Period.range(grain, from: from, to: to)
      where period.firstMonth >= from && period.lastMonth <= to && period.start <= evaluator.today {
        out += try statements(period: period, partners: partners)
      }
    }
    out.sort {
      $0.partner != $1.partner
        ? $0.partner.utf8.lexicographicallyPrecedes($1.partner.utf8)
        : ($0.period.firstMonth, $0.period.grain.months) < ($1.period.firstMonth, $1.period.grain.months)
    }
    return out
  }

  /// The statements of one period: one per partner some plan of its grain applies to.
  public func statements(period: Period, partners: [PartnerInfo]) throws -> [PayoutStatement] {
    let (version, defs, variant) = evaluator.definitions(for: period)
    let plans = defs.incentives.filter { $0.kind != .mdf && $0.covers(period) }
    guard !plans.isEmpty else { return [] }
    var members: [(info: PartnerInfo, plans: [IncentivePlan])] = []
    for p in partners where p.isInProgram(during: period.months) {
      let tier = tiers.tier(of: p.id, during: period)
      let applicable = plans.filter { $0.appliesTo.matches(p, tier: tier) }
      if !applicable.isEmpty { members.append((p.with(tier: tier), applicable)) }
    }
    guard !members.isEmpty else { return [] }
    // The KPIs rebates read, for every member at once.
    var bases: [String] = []
    for plan in plans {
      if case .rebate(let r) = plan.rule, !bases.contains(r.basis) { bases.append(r.basis) }
    }
    var basis: [String: [String: Double?]] = [:]
    if !bases.isEmpty {
      let r = try compute(bases, members.map(\.info.id), period, variant)
      basis = r
    }
    // Standings for attainment bonuses, with targets for the tier each partner holds.
    var standings: [String: [Scope: [KPIStanding]]] = [:]
    let byId = Dictionary(uniqueKeysWithValues: members.map { ($0.info.id, $0.info) })
    for plan in plans {
      guard case .attainmentBonus(let b) = plan.rule else { continue }
      let scopes = members.filter { $0.plans.contains(plan) }.map { Scope(.partner, $0.info.id) }
      standings[plan.id] = try evaluator.standings(
        kpis: b.weights.map(\.kpi), scopes: scopes, partners: byId, period: period)
    }
    let estimate = !(period.end < evaluator.today)
    return members.map { m in
      var lines: [StatementLine] = []
      for plan in m.plans {
        switch plan.rule {
        case .rebate(let r):
          lines += rebate(
            plan, r, basis: basis[m.info.id]?[r.basis] ?? nil, tier: m.info.tier, version: version?.number)
        case .attainmentBonus(let b):
          lines += bonus(plan, b, standings[plan.id]?[Scope(.partner, m.info.id)] ?? [], version: version?.number)
        case .spiff(let s):
          lines += spiff(plan, s, deals: facts.wonDeals[m.info.id] ?? [], period: period, version: version?.number)
        case .mdf: break
        }
      }
      return PayoutStatement(
        partner: m.info.id, period: period, lines: lines.filter { $0.amount != 0 }, isEstimate: estimate)
    }
  }

  /// KPI values of partners over a period, by partner and KPI.
  func compute(_ kpis: [String], _ partners: [String], _ period: Period, _ variant: Int) throws -> [String: [String:
    Double?]]
  {
    let r = try engine.compute(
      ComputeRequest(
        kpis: kpis, by: .partner, grain: period.grain, from: period, to: period,
        scopes: partners.map { Scope(.partner, $0) }, variant: variant))
    var out: [String: [String: Double?]] = [:]
    for (s, scope) in r.scopes.enumerated() {
      var v: [String: Double?] = [:]
      for (k, kpi) in r.kpis.enumerated() { v[kpi] = r.value(kpi: k, scope: s, period: 0) }
      out[scope.value ?? ""] = v
    }
    return out
  }

  /// Money from a KPI value: exact cents.
  static func cents(_ v: Double?) -> Int64? {
    guard let v, v.isFinite else { return nil }
    return Int64((v * 100).rounded())
  }

  func rebate(_ plan: IncentivePlan, _ r: RebateRule, basis value: Double?, tier: String?, version: Int?)
    -> [StatementLine]
  {
    guard let b = Self.cents(value), b > 0 else { return [] }
    let basis = Rational(cents: b)
    let bonus = tier.flatMap { r.rateByTier[$0] } ?? .zero
    func label(_ i: Int) -> String {
      let from = r.brackets[i].from.decimal(places: 2)
      return i + 1 < r.brackets.count
        ? "bracket \(from)-\(r.brackets[i + 1].from.decimal(places: 2))" : "bracket \(from)+"
    }
    switch r.mode {
    case .retroactive:
      guard let i = r.brackets.lastIndex(where: { $0.from <= basis }) else { return [] }
      let rate = r.brackets[i].rate + bonus
      return [
        StatementLine(
          plan: plan.id, kind: .rebate, line: label(i), basis: basis, rate: rate, amount: (basis * rate).roundedCents,
          version: version)
      ]
    case .marginal:
      var lines: [StatementLine] = []
      for (i, bracket) in r.brackets.enumerated() where bracket.from < basis {
        let top = i + 1 < r.brackets.count ? min(basis, r.brackets[i + 1].from) : basis
        let part = top - bracket.from
        let rate = bracket.rate + bonus
        lines.append(
          StatementLine(
            plan: plan.id, kind: .rebate, line: label(i), basis: part, rate: rate, amount: (part * rate).roundedCents,
            version: version))
      }
      return lines
    }
  }

  func bonus(_ plan: IncentivePlan, _ b: AttainmentBonusRule, _ standings: [KPIStanding], version: Int?)
    -> [StatementLine]
  {
    var lines: [StatementLine] = []
    for w in b.weights {
      guard let s = standings.first(where: { $0.kpi == w.kpi }), let a = Self.attainment(s) else { continue }
      let f = b.curve(a)
      lines.append(
        StatementLine(
          plan: plan.id, kind: .attainmentBonus, line: w.kpi, basis: a, rate: f,
          amount: (b.targetBonus * w.weight * f).roundedCents, version: version))
    }
    return lines
  }

  /// The scorecard attainment of a standing's actual value (not its pace), exact.
  static func attainment(_ s: KPIStanding) -> Rational? {
    guard let av = s.actual, let tv = s.target, let actual = Rational(approximating: av),
      let target = Rational(approximating: tv)
    else { return nil }
    let gain = s.better == .higher ? actual - target : target - actual
    if target.isZero { return gain < .zero ? .zero : .one }
    return .one + (gain / target.magnitude ?? .zero)
  }

  func spiff(_ plan: IncentivePlan, _ s: SpiffRule, deals: [WonDeal], period: Period, version: Int?) -> [StatementLine]
  {
    var lines: [StatementLine] = []
    for d in deals where d.closedOn >= period.start && d.closedOn <= period.end {
      if let products = s.products, !(d.product.map(products.contains) ?? false) { continue }
      if let sources = s.sources, !sources.contains(d.source) { continue }
      let amount = Rational(cents: d.amount)
      if let min = s.minAmount, amount < min { continue }
      switch s.reward {
      case .perDeal(let x):
        lines.append(
          StatementLine(
            plan: plan.id, kind: .spiff, line: d.id, basis: amount, rate: nil, amount: x.roundedCents, version: version)
        )
      case .share(let x):
        lines.append(
          StatementLine(
            plan: plan.id, kind: .spiff, line: d.id, basis: amount, rate: x, amount: (amount * x).roundedCents,
            version: version))
      }
    }
    let total = Cents.sum(lines.map(\.amount))
    if let cap = s.cap?.roundedCents, total > cap {
      lines.append(
        StatementLine(
          plan: plan.id, kind: .spiff, line: "cap", basis: Rational(cents: total), rate: nil, amount: cap - total,
          version: version))
    }
    return lines
  }
}
