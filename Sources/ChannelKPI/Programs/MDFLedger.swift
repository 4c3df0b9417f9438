/// One period of a partner's fund under one MDF plan. Amounts in cents.
public struct MDFFundPeriod: Sendable, Hashable {
  public var plan: String
  public var partner: String
  public var period: Period
  public var opening: Int64
  /// Credited at the period's end (rate × basis, rounded).
  public var accrued: Int64
  /// Claims of the period drawn from the fund.
  public var claimed: Int64
  /// The part of the period's claims the balance could not fund.
  public var unfunded: Int64
  /// Credits that reached their expiry unused at the period's end.
  public var expired: Int64
  public var closing: Int64
  /// The rate and basis of the accrual (nil when the plan did not apply in the period).
  public var rate: Rational?
  public var basis: Int64?
  /// Revenue of the period's won deals that leads of the partner's MDF campaigns name (cents).
  public var campaignRevenue: Int64
  /// Campaign revenue ÷ funded claims; nil when nothing was funded.
  public var mdfReturn: Rational? {
    claimed == 0 ? nil : Rational(cents: campaignRevenue) / Rational(cents: claimed)
  }
}

/// The market development funds of every MDF plan: accruals, FIFO claims, expiry.
public struct MDFLedger: Sendable {
  /// Fund periods ordered by plan, partner, period.
  public var periods: [MDFFundPeriod]
  /// Claims dated before the partner's fund started: not drawn.
  public var outsideFund: [(plan: String, claim: MDFClaim)]
  /// Partners and periods to which more than one MDF plan applied (only the first, by plan id,
  /// accrued).
  public var conflicts: [(partner: String, period: Period, plans: [String])]
}

extension IncentiveCalculator {
  /// Replays every MDF plan for every partner from the plan's first period through the last
  /// period that has ended by `today`.
  public func mdfLedger() throws -> MDFLedger {
    let history = evaluator.history
    var planIds: [String] = []
    var grainOf: [String: Grain] = [:]
    var firstStart: [String: Day?] = [:]
    for v in history.versions {
      for p in v.definitions.incentives where p.kind == .mdf && grainOf[p.id] == nil {
        planIds.append(p.id)
        grainOf[p.id] = p.period
        firstStart[p.id] = p.starts
      }
    }
    planIds.sort()
    guard !planIds.isEmpty, let activity = engine.activity else {
      return MDFLedger(periods: [], outsideFund: [], conflicts: [])
    }
    let partners = engine.partners()
    let dataStart = Day(number: activity.lowerBound)
    var out: [MDFFundPeriod] = []
    var outside: [(String, MDFClaim)] = []
    var conflicts: [(String, Period, [String])] = []
    var claimedBy: [String: [Period: String]] = [:]
    for id in planIds {
      let grain = grainOf[id]!
      let startDay = max(firstStart[id]! ?? dataStart, dataStart)
      var period = Period(grain: grain, containing: startDay.month)
      if let s = firstStart[id]!, period.start < s { period = period.next }
      var periods: [Period] = []
      while period.end < evaluator.today {
        periods.append(period)
        period = period.next
      }
      guard !periods.isEmpty else { continue }
      // The plan in force for each period (nil: no version has it then).
      let plans: [IncentivePlan?] = periods.map { p in
        evaluator.definitions(for: p).1.incentives.first { $0.id == id && $0.kind == .mdf && $0.covers(p) }
      }
      var bases: [Int: [String: Double?]] = [:]
      for (i, p) in periods.enumerated() {
        guard case .mdf(let rule)? = plans[i]?.rule else { continue }
        bases[i] = try compute([rule.basis], partners.map(\.id), p, evaluator.definitions(for: p).variant).mapValues {
          $0[rule.basis] ?? nil
        }
      }
      for partner in partners {
        var started: Int?
        var credits: [(made: Int, remaining: Int64)] = []
        var balance: Int64 = 0
        let claims = facts.claims[partner.id] ?? []
        let mdfCampaigns = Set(claims.map(\.campaign))
        let campaignDeals = mdfCampaigns.reduce(into: Set<String>()) { $0.formUnion(facts.dealsOfCampaign[$1] ?? []) }
        let won = (facts.wonDeals[partner.id] ?? []).filter { campaignDeals.contains($0.id) }
        for (i, p) in periods.enumerated() {
          let tier = tiers.tier(of: partner.id, during: p)
          var applies = false
          if let plan = plans[i], plan.applies(to: partner, tier: tier, in: p) {
            if let other = claimedBy[partner.id]?[p] {
              conflicts.append((partner.id, p, [other, id]))
            } else {
              applies = true
              claimedBy[partner.id, default: [:]][p] = id
            }
          }
          if started == nil {
            guard applies else { continue }
            started = i
            for c in claims where c.startedOn < p.start { outside.append((id, c)) }
          }
          let opening = balance
          var claimed: Int64 = 0
          var unfunded: Int64 = 0
          for c in claims where c.startedOn >= p.start && c.startedOn <= p.end {
            var need = c.amount
            while need > 0, let first = credits.indices.first {
              let take = min(need, credits[first].remaining)
              credits[first].remaining -= take
              need -= take
              claimed = Cents.sum([claimed, take])
              if credits[first].remaining == 0 { credits.removeFirst() }
            }
            unfunded = Cents.sum([unfunded, need])
          }
          var expired: Int64 = 0
          if case .mdf(let rule)? = plans[i]?.rule ?? plans[..<i].last(where: { $0 != nil })??.rule,
            let n = rule.expiresAfter
          {
            while let first = credits.first, first.made + Swift.min(n, 100_000) <= i {
              expired = Cents.sum([expired, first.remaining])
              credits.removeFirst()
            }
          }
          var accrued: Int64 = 0
          var rate: Rational?
          var basis: Int64?
          if applies, case .mdf(let rule)? = plans[i]?.rule {
            let r = tier.flatMap { rule.rateByTier[$0] } ?? rule.accrualRate
            rate = r
            basis = Self.cents(bases[i]?[partner.id] ?? nil) ?? 0
            if let b = basis, b > 0 {
              accrued = (Rational(cents: b) * r).roundedCents
              if accrued > 0 { credits.append((i, accrued)) }
            }
          }
          balance = Cents.sum([opening, -claimed, -expired, accrued])
          let revenue = Cents.sum(won.filter { $0.closedOn >= p.start && $0.closedOn <= p.end }.map(\.amount))
          out.append(
            MDFFundPeriod(
              plan: id, partner: partner.id, period: p, opening: opening, accrued: accrued, claimed: claimed,
              unfunded: unfunded, expired: expired, closing: balance, rate: rate, basis: basis,
              campaignRevenue: revenue))
        }
      }
    }
    return MDFLedger(
      periods: out, outsideFund: outside.map { (plan: $0.0, claim: $0.1) },
      conflicts: conflicts.map { (partner: $0.0, period: $0.1, plans: $0.2) })
  }
}
