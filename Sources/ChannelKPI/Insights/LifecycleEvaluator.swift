/// Partners' lifecycle stages from the program's scorecards, and onboarding effectiveness by the
/// quarter partners joined in.
public struct LifecycleEvaluator {
  public let program: ProgramEvaluator
  /// The partners read (nil: all), e.g. a manager's own.
  public let only: Set<String>?

  /// Milestones already found (the server keeps them until a write reaches their partners), of
  /// every partner or at least of the partners read; nil: scanned here.
  let scanned: [String: PartnerMilestones]?

  public init(
    program: ProgramEvaluator, partners only: Set<String>? = nil, milestones: [String: PartnerMilestones]? = nil
  ) {
    self.program = program
    self.only = only
    scanned = milestones
  }

  /// The milestones given (at least the partners read), or every partner's from one scan of the
  /// facts made by each report that reads them (not when the evaluator is made, so that a cached
  /// report costs nothing).
  public func milestones() -> [String: PartnerMilestones] { scanned ?? program.engine.milestones() }

  /// The partners read, sorted by id.
  func partners() -> [PartnerInfo] {
    program.partners.filter { only?.contains($0.id) ?? true }
  }

  /// The rules in force for a period (the defaults without a `lifecycle:` section).
  public func rules(for period: Period) -> LifecycleRules { program.definitions(for: period).1.lifecycle }

  /// The last period of the rules' grain that has begun by `today` and that the data reaches.
  public func currentPeriod() -> Period? {
    let grain = rules(for: Period(grain: .month, containing: program.today.month)).grain
    guard let activity = program.engine.activity else { return nil }
    let dataEnd = Day(number: activity.upperBound)
    return Period(grain: grain, containing: Swift.min(program.today, dataEnd).month)
  }

  /// Every partner's stage in `last` (default: the current period) with `history` periods of
  /// history; `alerting` are the partners with a firing alert (at risk in `last`).
  public func lifecycles(through last: Period? = nil, history: Int = 8, alerting: Set<String> = [])
    -> [PartnerLifecycle]
  {
    let milestones = self.milestones()
    return stages(of: partners(), through: last, history: history, alerting: alerting) { milestones[$0] }
  }

  /// One partner's stage and history, as `lifecycles` gives it, computed from the scorecards of
  /// its own type only (nil for an id that names no partner read, or one not in the program in
  /// the last period).
  public func lifecycle(of id: String, through last: Period? = nil, history: Int = 8, alerting: Set<String> = [])
    -> PartnerLifecycle?
  {
    guard only?.contains(id) ?? true,
      let partner = program.partners.first(where: { $0.id == id })
    else { return nil }
    let found = scanned?[id] ?? program.engine.milestones(of: [id])[id]
    return stages(of: [partner], through: last, history: history, alerting: alerting) { _ in found }.first
  }

  private func stages(
    of partners: [PartnerInfo], through last: Period?, history: Int, alerting: Set<String>,
    milestones: (String) -> PartnerMilestones?
  ) -> [PartnerLifecycle] {
    guard let current = last ?? currentPeriod() else { return [] }
    let rules = rules(for: current)
    let end = Period(grain: rules.grain, containing: current.lastMonth)
    let first = end.shifted(by: -(Swift.max(1, history) - 1))
    let periods = (0..<Swift.max(1, history)).map { first.shifted(by: $0) }
    // Scores by period and partner, and each type's median, from the type's scorecards.
    var scores: [Period: [String: Double]] = [:]
    var medians: [Period: [String: Double]] = [:]
    let types = Set(partners.map(\.type))
    var scored: [Period: Set<String>] = [:]
    for period in periods {
      let defs = program.definitions(for: period).1
      for type in types.sorted() {
        guard defs.scorecard(forType: type) != nil else { continue }
        scored[period, default: []].insert(type)
        let cards = (try? program.typeScorecards(type: type, period: period)) ?? []
        var values: [Double] = []
        for c in cards {
          guard let id = c.partner?.id, let v = c.composite else { continue }
          scores[period, default: [:]][id] = v
          values.append(v)
        }
        if !values.isEmpty { medians[period, default: [:]][type] = QuartileCuts.quantile(values.sorted(), 0.5) }
      }
    }
    let classifier = LifecycleClassifier(
      rules: rules, dataStart: program.engine.activity.map { Day(number: $0.lowerBound).month.firstDay })
    return partners.compactMap { p in
      classifier.history(
        partner: p, milestones: milestones(p.id) ?? PartnerMilestones(), periods: periods,
        score: { period in
          LifecycleScore(
            score: scores[period]?[p.id], typeMedian: medians[period]?[p.type],
            scorecard: scored[period]?.contains(p.type) ?? false)
        }, alerting: alerting.contains(p.id), today: program.today)
    }
  }

  /// Onboarding by the quarter partners joined in: how fast they won a first deal, how many were
  /// active and certified within their first `days` days.
  public func cohorts(days: Int? = nil) -> [OnboardingCohort] {
    let window = days ?? rules(for: Period(grain: .month, containing: program.today.month)).onboardingDays
    let milestones = self.milestones()
    var byQuarter: [Period: [PartnerInfo]] = [:]
    for p in partners() where p.joinedOn <= program.today {
      byQuarter[Period(grain: .quarter, containing: p.joinedOn.month), default: []].append(p)
    }
    return byQuarter.keys.sorted().map { q in
      let members = byQuarter[q]!
      var toFirst: [Double] = []
      var complete = 0
      var activated = 0
      var certified = 0
      for p in members {
        let m = milestones[p.id] ?? PartnerMilestones()
        if let w = m.firstWon, w >= p.joinedOn, p.leftOn.map({ w < $0 }) ?? true {
          toFirst.append(Double(w - p.joinedOn))
        }
        // Only partners whose first days have all passed count for the shares.
        let windowEnd = p.joinedOn + Int32(window - 1)
        guard windowEnd < program.today else { continue }
        complete += 1
        func within(_ d: Day?) -> Bool { d.map { $0 >= p.joinedOn && $0 <= windowEnd } ?? false }
        if within(m.firstWon) || within(m.firstRegistered) { activated += 1 }
        if m.certifications.contains(where: { within($0.day) }) { certified += 1 }
      }
      let sorted = toFirst.sorted()
      return OnboardingCohort(
        cohort: q.description, partners: members.count, withFirstWin: sorted.count,
        medianDaysToFirstWin: sorted.isEmpty ? nil : QuartileCuts.quantile(sorted, 0.5),
        meanDaysToFirstWin: sorted.isEmpty ? nil : sorted.reduce(0, +) / Double(sorted.count),
        windowDays: window, pastWindow: complete,
        activatedShare: complete == 0 ? nil : Double(activated) / Double(complete),
        certifiedShare: complete == 0 ? nil : Double(certified) / Double(complete), activated: activated,
        certified: certified)
    }
  }
}

extension LifecycleEvaluator {
  /// What the trainings of the `enablement:` section in force today changed (see
  /// `EnablementReport`).
  public func enablementEffects() -> [EnablementEffect] {
    let (_, defs, variant) = program.definitions(for: Period(grain: .month, containing: program.today.month))
    return EnablementReport.effects(
      items: defs.enablement, engine: program.engine, milestones: milestones(), today: program.today, variant: variant,
      only: only)
  }

  /// The ideal partner profile by `kpi` in `period` (default: the last quarter that has ended and
  /// that the data reaches), over the partners in the program during it.
  public func profile(kpi: String, period: Period? = nil) throws(ProfileError) -> IdealPartnerProfile {
    let today = program.today
    var dataEnd = today
    if let a = program.engine.activity { dataEnd = Swift.min(today, Day(number: a.upperBound)) }
    let chosen = period ?? Period(grain: .quarter, containing: dataEnd.month).shifted(by: -1)
    let (_, defs, variant) = program.definitions(for: chosen)
    let catalog = program.engine.compiled.variantCatalogs[variant]
    guard let def = catalog.kpi(kpi) else {
      throw ProfileError(
        "unknown KPI '\(kpi)'\(Spelling.hint(for: kpi, in: catalog.kpis.map(\.id))) (channelkpi kpis lists them)")
    }
    let members = partners().filter { $0.isInProgram(during: chosen.months) }
    let result: ComputeResult
    do {
      result = try program.engine.compute(
        ComputeRequest(
          kpis: [kpi], by: .partner, grain: chosen.grain, from: chosen, to: chosen,
          scopes: members.map { Scope(.partner, $0.id) }, variant: variant))
    } catch { throw ProfileError(error.message) }
    var values: [String: Double] = [:]
    for (s, scope) in result.scopes.enumerated() {
      if let id = scope.value, let v = result.value(kpi: 0, scope: s, period: 0) { values[id] = v }
    }
    return try PartnerProfiler.profile(
      kpi: kpi, period: chosen, better: def.better, values: values, partners: members, milestones: milestones(),
      onboardingDays: defs.lifecycle.onboardingDays)
  }
}

/// The partners who joined in one quarter, and how their onboarding went.
public struct OnboardingCohort: Sendable, Hashable, Codable {
  /// The quarter they joined in, e.g. 2025-Q1.
  public var cohort: String
  public var partners: Int
  /// How many have won a deal since joining (and before leaving).
  public var withFirstWin: Int
  /// Days from joining to the first won deal, over those that have one.
  public var medianDaysToFirstWin: Double?
  public var meanDaysToFirstWin: Double?
  /// The onboarding window (the rules' onboarding days).
  public var windowDays: Int
  /// Partners whose window has ended; the shares are over these.
  public var pastWindow: Int
  /// Share that registered or won a deal within the window.
  public var activatedShare: Double?
  /// Share with a certification completed within the window.
  public var certifiedShare: Double?
  public var activated: Int
  public var certified: Int
}
