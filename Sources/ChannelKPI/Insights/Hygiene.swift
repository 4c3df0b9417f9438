/// A recorded review of a partner's scorecard or of a KPI: the trail that shows results are acted on.
public struct Review: Sendable, Hashable {
  public var id: Int64?
  public var date: Day
  public var reviewer: String
  /// The partner whose scorecard was reviewed, if any.
  public var partner: String?
  /// The KPI reviewed, if any.
  public var kpi: String?
  /// The period the review is about, if any.
  public var period: Period?
  public var finding: String
  public var action: String
  /// Whether the partner sees it in its portal.
  public var shared: Bool
  /// Who at the partner acknowledged it, and when (ISO 8601).
  public var acknowledgedBy: String?
  public var acknowledgedAt: String?

  public init(
    id: Int64? = nil, date: Day, reviewer: String, partner: String? = nil, kpi: String? = nil, period: Period? = nil,
    finding: String, action: String, shared: Bool = false, acknowledgedBy: String? = nil, acknowledgedAt: String? = nil
  ) {
    self.shared = shared
    self.acknowledgedBy = acknowledgedBy
    self.acknowledgedAt = acknowledgedAt
    self.id = id
    self.date = date
    self.reviewer = reviewer
    self.partner = partner
    self.kpi = kpi
    self.period = period
    self.finding = finding
    self.action = action
  }
}

/// One problem the KPI hygiene check found, with its evidence.
public struct HygieneFinding: Sendable, Hashable {
  /// The five pitfalls of KPI programs, and the target checks.
  public enum Rule: String, Sendable, Hashable, CaseIterable {
    case tooManyKPIs = "too_many_kpis"
    case kpiWithoutObjective = "kpi_without_objective"
    case lackOfData = "lack_of_data"
    case ignoredResults = "ignored_results"
    case staticTarget = "static_target"
    case staticObjective = "static_objective"
    case unattainableTarget = "unattainable_target"
    case unchallengingTarget = "unchallenging_target"
  }

  public let rule: Rule
  /// What it is about: a scorecard, KPI, target or objective.
  public let subject: String
  public let message: String
  public let evidence: [String]
}

/// Checks a program's definitions and results against the pitfalls of KPI programs: too many
/// KPIs, irrelevant KPIs, lack of data, ignored results, static KPIs, and targets that cannot be
/// reached or ask for nothing.
public struct HygieneChecker {
  public let evaluator: ProgramEvaluator
  public let reviews: [Review]

  public init(evaluator: ProgramEvaluator, reviews: [Review]) {
    self.evaluator = evaluator
    self.reviews = reviews
  }

  /// Every finding, looking at the periods up to and including `asOf`.
  public func check(asOf: Period) throws -> [HygieneFinding] {
    let (version, defs, variant) = evaluator.definitions(for: asOf)
    guard version != nil else {
      throw ProgramError(
        "no program definitions are in force for \(asOf): apply some with channelkpi program apply DIR")
    }
    let h = defs.hygiene
    let recent = (0..<Swift.max(1, h.recentPeriods)).map { asOf.shifted(by: -$0) }.reversed()
    let recentRange = MonthRange(first: recent.first!.firstMonth, last: asOf.lastMonth)
    var findings: [HygieneFinding] = []
    let catalog = evaluator.engine.compiled.variantCatalogs[variant]
    func name(_ k: String) -> String { catalog.kpi(k)?.name ?? k }

    // Too many KPIs.
    for card in defs.scorecards where card.items.count > h.maxScorecardKPIs {
      findings.append(
        HygieneFinding(
          rule: .tooManyKPIs, subject: "scorecard \(card.id)",
          message: "has \(card.items.count) KPIs; more than \(h.maxScorecardKPIs) dilutes attention",
          evidence: card.items.map { "\($0.kpi) (weight \(ValueFormat.machine($0.weight)))" }))
    }

    // KPIs no active objective asks for.
    let active = defs.objectives.filter { $0.isActive(in: recentRange) }
    let linked = Set(active.flatMap(\.kpis))
    for card in defs.scorecards {
      for item in card.items where !linked.contains(item.kpi) {
        findings.append(
          HygieneFinding(
            rule: .kpiWithoutObjective, subject: "scorecard \(card.id): \(item.kpi)",
            message:
              "\(name(item.kpi)) is on the scorecard but no objective active in \(recent.first!)…\(asOf) is measured by it",
            evidence: active.isEmpty
              ? ["no objective is active in those periods"]
              : active.map { "objective \($0.id) measures \($0.kpis.joined(separator: ", "))" }))
      }
    }

    findings += try lackOfData(defs, recent: Array(recent), h: h, name: name)
    findings += try ignoredResults(defs, asOf: asOf, h: h, name: name)
    findings += try staticDefinitions(defs, asOf: asOf, h: h, variant: variant, name: name)
    findings += try targetAmbition(defs, asOf: asOf, h: h, variant: variant, name: name)
    return findings
  }

  private func lackOfData(
    _ defs: ProgramDefinitions, recent: [Period], h: HygieneThresholds, name: (String) -> String
  ) throws -> [HygieneFinding] {
    var out: [HygieneFinding] = []
    let engine = evaluator.engine
    let partners = engine.partners()
    let variant = evaluator.definitions(for: recent.last!).variant
    for card in defs.scorecards {
      let kpis = card.items.map(\.kpi)
      guard !kpis.isEmpty else { continue }
      let members = card.isNetwork ? [] : partners.filter { $0.type == card.partnerType }
      let scopes = card.isNetwork ? [Scope.network] : members.map { Scope(.partner, $0.id) }
      guard !scopes.isEmpty else { continue }
      let result: ComputeResult
      do {
        result = try engine.compute(
          ComputeRequest(
            kpis: kpis, by: scopes[0].kind, grain: recent[0].grain, from: recent.first, to: recent.last,
            scopes: scopes, variant: variant))
      } catch { throw ProgramError(error.message) }
      let scopeIndex = Dictionary(uniqueKeysWithValues: result.scopes.enumerated().map { ($1, $0) })
      for (k, kpi) in kpis.enumerated() {
        var evidence: [String] = []
        var shares: [Double] = []
        for (p, period) in result.periods.enumerated() {
          let inProgram: [Scope] =
            card.isNetwork
            ? [.network] : members.filter { $0.isInProgram(during: period.months) }.map { Scope(.partner, $0.id) }
          guard !inProgram.isEmpty else { continue }
          let with = inProgram.filter { s in scopeIndex[s].flatMap { result.value(kpi: k, scope: $0, period: p) } != nil
          }.count
          shares.append(Double(with) / Double(inProgram.count))
          evidence.append(
            card.isNetwork
              ? "\(period): \(with == 1 ? "a value" : "no value") for the network"
              : "\(period): \(with) of \(inProgram.count) partners have a value")
        }
        guard !shares.isEmpty else { continue }
        let coverage = shares.reduce(0, +) / Double(shares.count)
        if coverage < h.minDataCoverage {
          out.append(
            HygieneFinding(
              rule: .lackOfData, subject: "scorecard \(card.id): \(kpi)",
              message:
                "\(name(kpi)) has a value for only \(ValueFormat.fixed(coverage * 100, decimals: 0))% of \(card.isNetwork ? "recent periods" : "the partners in recent periods"); it cannot guide decisions without data",
              evidence: evidence))
        }
      }
    }
    return out
  }

  private func ignoredResults(
    _ defs: ProgramDefinitions, asOf: Period, h: HygieneThresholds, name: (String) -> String
  ) throws -> [HygieneFinding] {
    let periods = (0..<Swift.max(1, h.offTrackPeriods)).map { asOf.shifted(by: -$0) }.reversed()
    let since = periods.first!.start
    // A review of the KPI counts for every scope; a review of a partner's scorecard counts for
    // that partner's KPIs (all of them, or the one it names).
    func reviewed(partner: String?, kpi: String) -> Bool {
      reviews.contains { r in
        guard r.date >= since else { return false }
        if r.partner == nil { return r.kpi == kpi }
        return r.partner == partner && (r.kpi == nil || r.kpi == kpi)
      }
    }
    var out: [HygieneFinding] = []
    for card in defs.scorecards {
      // Status per scope and KPI, for each of the periods.
      var statuses: [String: [String: [TargetStatus]]] = [:]
      for period in periods {
        if card.isNetwork {
          guard let r = try? evaluator.networkScorecard(period: period) else { continue }
          for item in r.items { statuses["network", default: [:]][item.kpi, default: []].append(item.status) }
        } else if let type = card.partnerType {
          guard let rs = try? evaluator.typeScorecards(type: type, period: period) else { continue }
          for r in rs {
            for item in r.items {
              statuses[r.scope.value ?? "", default: [:]][item.kpi, default: []].append(item.status)
            }
          }
        }
      }
      var ignored: [String] = []
      for item in card.items {
        for (scope, byKPI) in statuses.sorted(by: { $0.key < $1.key }) {
          guard let s = byKPI[item.kpi], s.count == periods.count, s.allSatisfy({ $0 == .offTrack }) else { continue }
          if !reviewed(partner: card.isNetwork ? nil : scope, kpi: item.kpi) {
            ignored.append(card.isNetwork ? "\(name(item.kpi))" : "partner \(scope): \(name(item.kpi))")
          }
        }
      }
      guard !ignored.isEmpty else { continue }
      out.append(
        HygieneFinding(
          rule: .ignoredResults, subject: "scorecard \(card.id)",
          message:
            "\(ignored.count) result\(ignored.count == 1 ? " has" : "s have") been off track for \(periods.count) periods (\(periods.first!)…\(asOf)) with no review recorded since \(since)",
          evidence: Array(ignored.prefix(12)) + (ignored.count > 12 ? ["… and \(ignored.count - 12) more"] : [])))
    }
    return out
  }

  private func staticDefinitions(
    _ defs: ProgramDefinitions, asOf: Period, h: HygieneThresholds, variant: Int, name: (String) -> String
  ) throws -> [HygieneFinding] {
    var out: [HygieneFinding] = []
    // Fixed targets that stayed the same while the actual value moved a lot.
    for t in defs.targets {
      guard case .value(let v) = t.rule else { continue }
      let grain = t.grain ?? asOf.grain
      let last = Period(grain: grain, containing: asOf.lastMonth)
      let periods = (0..<Swift.max(2, h.staticTargetPeriods)).map { last.shifted(by: -$0) }.reversed()
      // The target in force for each period must be this same value.
      let same = periods.allSatisfy { p in
        let d = evaluator.definitions(for: p).1
        guard let r = ProgramEvaluator.target(for: t.kpi, scope: t.scope, partner: nil, period: p, in: d)?.rule,
          case .value(let x) = r
        else { return false }
        return x == v
      }
      guard same else { continue }
      let values = try values(kpi: t.kpi, scope: t.scope, from: periods.first!, to: periods.last!, variant: variant)
      let present = values.compactMap(\.1)
      guard present.count >= 2, let lo = present.min(), let hi = present.max() else { continue }
      let mean = present.reduce(0, +) / Double(present.count)
      guard mean != 0 else { continue }
      let moved = (hi - lo) / Swift.abs(mean)
      let unit = evaluator.engine.compiled.variantCatalogs[variant].kpi(t.kpi)?.unit ?? .number
      if moved > h.staticActualChange {
        out.append(
          HygieneFinding(
            rule: .staticTarget, subject: "target \(t.kpi) for \(t.scope)",
            message:
              "the target has stayed \(ValueFormat.human(v, unit: unit)) for \(periods.count) periods while \(name(t.kpi)) moved by \(ValueFormat.fixed(moved * 100, decimals: 0))% of its mean",
            evidence: values.map { "\($0.0): \(ValueFormat.human($0.1, unit: unit))" }))
      }
    }
    // Objectives reworded in a later version without their KPIs changing.
    let versions = evaluator.history.versions.sorted { $0.number < $1.number }
    for (a, b) in zip(versions, versions.dropFirst()) {
      for o in b.definitions.objectives {
        guard let old = a.definitions.objectives.first(where: { $0.id == o.id }) else { continue }
        let changed = old.name != o.name || old.description != o.description || old.owner != o.owner
        if changed && Set(old.kpis) == Set(o.kpis) {
          out.append(
            HygieneFinding(
              rule: .staticObjective, subject: "objective \(o.id)",
              message: "the objective changed in v\(b.number) but the KPIs that measure it did not",
              evidence: [
                "v\(a.number): \(old.name) — \(old.description)", "v\(b.number): \(o.name) — \(o.description)",
                "KPIs in both: \(o.kpis.joined(separator: ", "))",
              ]))
        }
      }
    }
    return out
  }

  private func targetAmbition(
    _ defs: ProgramDefinitions, asOf: Period, h: HygieneThresholds, variant: Int, name: (String) -> String
  ) throws -> [HygieneFinding] {
    var out: [HygieneFinding] = []
    let partners = Dictionary(uniqueKeysWithValues: evaluator.engine.partners().map { ($0.id, $0) })
    let catalog = evaluator.engine.compiled.variantCatalogs[variant]
    for t in defs.targets {
      // A fixed target the KPI cannot reach at all (a win rate of 120%, an NPS of 150).
      if case .value(let v) = t.rule, let def = catalog.kpi(t.kpi), !def.allows(v) {
        let range = [
          def.minimum.map { "at least \(ValueFormat.human($0, unit: def.unit))" },
          def.maximum.map { "at most \(ValueFormat.human($0, unit: def.unit))" },
        ].compactMap { $0 }
        out.append(
          HygieneFinding(
            rule: .unattainableTarget, subject: "target \(t.kpi) for \(t.scope)",
            message:
              "the target \(ValueFormat.human(v, unit: def.unit)) can never be reached: \(def.name) is \(range.joined(separator: " and "))",
            evidence: ["target rule: \(t.rule.description)"]))
        continue
      }
      let grain = t.grain ?? asOf.grain
      var period = Period(grain: grain, containing: asOf.lastMonth)
      if !t.applies(to: period), let from = t.from, from.firstMonth > period.lastMonth {
        period = Period(grain: grain, containing: from.firstMonth)
      }
      guard t.applies(to: period) else { continue }
      if t.scope.kind == .partner, partners[t.scope.value ?? ""] == nil { continue }
      guard
        let standing = try evaluator.standings(
          kpis: [t.kpi], scopes: [t.scope], partners: partners, period: period)[t.scope]?.first,
        let target = standing.target, let baseline = standing.baseline
      else { continue }
      let better = standing.better
      func human(_ v: Double) -> String { ValueFormat.human(v, unit: standing.unit) }
      let worse = better == .higher ? target < baseline : target > baseline
      if worse {
        out.append(
          HygieneFinding(
            rule: .unchallengingTarget, subject: "target \(t.kpi) for \(t.scope)",
            message:
              "the \(period) target \(human(target)) is \(better == .higher ? "below" : "above") the baseline \(human(baseline)) (\(standing.baselineMethod.description)): it asks for \(better == .higher ? "less" : "worse") than the scope already does",
            evidence: ["target rule: \(t.rule.description)"]))
        continue
      }
      // Unattainable: more growth than the scope has ever shown from one period to the next.
      guard baseline != 0 else { continue }
      let required = better == .higher ? target / baseline - 1 : 1 - target / baseline
      let history = try values(
        kpi: t.kpi, scope: t.scope, from: period.shifted(by: -24), to: period.shifted(by: -1), variant: variant
      ).compactMap(\.1)
      var best: Double?
      for (x, y) in zip(history, history.dropFirst()) where x != 0 {
        let g = better == .higher ? y / x - 1 : 1 - y / x
        best = Swift.max(best ?? g, g)
      }
      guard let best, required > best + h.unattainableMargin else { continue }
      out.append(
        HygieneFinding(
          rule: .unattainableTarget, subject: "target \(t.kpi) for \(t.scope)",
          message:
            "the \(period) target \(human(target)) needs \(ValueFormat.fixed(required * 100, decimals: 0))% \(better == .higher ? "growth" : "improvement") over the baseline \(human(baseline)); the most the scope ever did from one period to the next is \(ValueFormat.fixed(best * 100, decimals: 0))%",
          evidence: ["target rule: \(t.rule.description)", "periods of history: \(history.count)"]))
    }
    return out
  }

  private func values(kpi: String, scope: Scope, from: Period, to: Period, variant: Int) throws -> [(Period, Double?)] {
    let r: ComputeResult
    do {
      // A target may name a scope before any partner of it is imported: it has no values yet.
      var request = ComputeRequest(
        kpis: [kpi], by: scope.kind, grain: to.grain, from: from, to: to, scopes: [scope], variant: variant)
      request.allowsEmptyScopes = true
      r = try evaluator.engine.compute(request)
    } catch { throw ProgramError(error.message) }
    return r.periods.enumerated().map { ($1, r.value(kpi: 0, scope: 0, period: $0)) }
  }
}
