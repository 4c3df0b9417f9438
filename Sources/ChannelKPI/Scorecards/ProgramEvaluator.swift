/// One KPI of one scope in one period, held against its target.
public struct KPIStanding: Sendable, Hashable {
  public let kpi: String
  public let name: String
  public let unit: KPIUnit
  public let better: Direction
  /// Its weight on the scorecard, when it is on one.
  public let weight: Double?
  public let actual: Double?
  public let baseline: Double?
  public let baselineMethod: BaselineMethod
  public let target: Double?
  /// The target definition that applied (the most specific scope wins).
  public let targetSource: TargetDefinition?
  /// The value projected to the period's end, for flows in a period under way.
  public let pace: Double?
  /// Attainment of the target, from the pace when there is one, else from the actual value.
  public let attainment: Double?
  public let status: TargetStatus
  /// The definitions version that produced the target (and the KPI's definition).
  public let version: Int?

  public init(
    kpi: String, name: String, unit: KPIUnit, better: Direction, weight: Double?, actual: Double?, baseline: Double?,
    baselineMethod: BaselineMethod, target: Double?, targetSource: TargetDefinition?, pace: Double?,
    attainment: Double?, status: TargetStatus, version: Int?
  ) {
    self.kpi = kpi
    self.name = name
    self.unit = unit
    self.better = better
    self.weight = weight
    self.actual = actual
    self.baseline = baseline
    self.baselineMethod = baselineMethod
    self.target = target
    self.targetSource = targetSource
    self.pace = pace
    self.attainment = attainment
    self.status = status
    self.version = version
  }
}

/// A scope's scorecard for a period: its KPIs against targets and a composite score.
public struct ScorecardResult: Sendable {
  public let scope: Scope
  public let partner: PartnerInfo?
  public let period: Period
  public let scorecard: ScorecardDefinition?
  public let version: ProgramVersion?
  public let items: [KPIStanding]
  /// 0–100, from capped attainments; nil when no KPI has an attainment.
  public let composite: Double?
  /// 1 for the best composite among the partners of the same type; nil without a composite.
  public internal(set) var rank: Int?
  /// How many partners of the type were ranked.
  public internal(set) var peers: Int?
  /// The share of ranked peers with a lower composite, 0–100.
  public internal(set) var percentile: Double?

  /// The scorecard as a partner may see it of itself: its position among peers only as a
  /// percentile, and only where at least `minimumOthers` other partners were ranked; never a rank.
  public func anonymized(minimumOthers: Int = 5) -> ScorecardResult {
    var r = self
    r.rank = nil
    if (peers ?? 0) <= minimumOthers { r.percentile = nil }
    r.peers = nil
    return r
  }
}

/// Why a scorecard or standing cannot be computed.
public struct ProgramError: Error, Sendable, CustomStringConvertible {
  public let message: String
  public init(_ m: String) { message = m }
  public var description: String { message }
}

/// Holds KPIs against the targets of the program definitions in force for each period.
public struct ProgramEvaluator {
  public let engine: KPIEngine
  public let history: ProgramHistory
  /// The catalog variant of the engine that holds each version's KPI definitions.
  public let variantOfVersion: [Int: Int]
  /// The day "now" is, for the pace of periods under way.
  public let today: Day
  /// The tier a partner holds during a period under the program's ladder; nil without a ladder,
  /// when the partner's `tier` attribute is its tier. Targets set for a tier follow it.
  public var tierOf: (@Sendable (String, Period) -> String?)?
  /// The engine's partners when the caller already holds them (`engine.partners()` otherwise).
  public var knownPartners: [PartnerInfo]?
  /// Computes values when the caller keeps them between requests (a server until its next
  /// write); nil from it, or no hook, means `engine.compute`. Peer positions read every
  /// partner's values this way (through `values(_:)`).
  public var keptValues: (@Sendable (ComputeRequest) throws(ComputeError) -> ComputeResult?)?
  /// A type's ranked scorecards for a period when the caller keeps them (a server, brought up to
  /// date for the partners each write reaches); nil from it, or no hook, means computing them.
  /// It must give what this evaluator would compute (same engine, definitions, day and tier
  /// levels). Lifecycle stages, the hygiene check and a partner's scorecard read them this way.
  public var keptTypeScorecards: (@Sendable (String, Period) throws -> [ScorecardResult]?)?

  /// Every partner: those the caller holds (`knownPartners`), else the engine's.
  public var partners: [PartnerInfo] { knownPartners ?? engine.partners() }

  /// Values through the caller's kept ones (`keptValues`), else computed by the engine.
  public func values(_ request: ComputeRequest) throws(ComputeError) -> ComputeResult {
    if let kept = try keptValues?(request) { return kept }
    return try engine.compute(request)
  }

  public init(engine: KPIEngine, history: ProgramHistory, variantOfVersion: [Int: Int], today: Day) {
    self.engine = engine
    self.history = history
    self.variantOfVersion = variantOfVersion
    self.today = today
  }

  /// The definitions in force for a period (empty definitions when none is).
  public func definitions(for period: Period) -> (ProgramVersion?, ProgramDefinitions, variant: Int) {
    guard let v = history.version(for: period) else { return (nil, ProgramDefinitions(), 0) }
    return (v, v.definitions, variantOfVersion[v.number] ?? 0)
  }

  /// Every target definition in force for `period`, each with its standing for its own scope;
  /// nil where it cannot be computed (e.g. a partner that is not in the data).
  public func targetStandings(period: Period, partners: [String: PartnerInfo]) -> [(
    target: TargetDefinition, standing: KPIStanding?
  )] {
    definitions(for: period).1.targets.filter { $0.applies(to: period) }.map { t in
      let s = try? standings(kpis: [t.kpi], scopes: [t.scope], partners: partners, period: period)[t.scope]?.first
      return (t, s ?? nil)
    }
  }

  /// Standings of KPIs for scopes of one kind in a period.
  public func standings(
    kpis: [String], weights: [String: Double] = [:], scopes: [Scope], partners: [String: PartnerInfo] = [:],
    period: Period
  ) throws -> [Scope: [KPIStanding]] {
    try standings(kpis: kpis, weights: weights, scopes: scopes, partners: partners, periods: [period])[period] ?? [:]
  }

  /// Standings of KPIs for scopes of one kind in each of several periods, the same as asking for
  /// each period alone: the values are computed once for all the periods of one grain under the
  /// same definitions (an alert rule judges up to 36 periods).
  public func standings(
    kpis: [String], weights: [String: Double] = [:], scopes: [Scope], partners: [String: PartnerInfo] = [:],
    periods: [Period]
  ) throws -> [Period: [Scope: [KPIStanding]]] {
    guard let kind = scopes.first?.kind else { return [:] }
    struct Group: Hashable {
      var variant: Int
      var grain: Grain
    }
    var groups: [Group: [Period]] = [:]
    for p in periods { groups[Group(variant: definitions(for: p).variant, grain: p.grain), default: []].append(p) }
    var out: [Period: [Scope: [KPIStanding]]] = [:]
    for (group, members) in groups {
      // Every period a baseline reads, back from the earliest period.
      var earliest = members[0]
      for period in members {
        earliest = Swift.min(earliest, period)
        let defs = definitions(for: period).1
        for k in kpis {
          switch defs.baseline(for: k) {
          case .previousPeriods(let n): earliest = Swift.min(earliest, period.shifted(by: -Swift.max(1, n)))
          case .samePeriodLastYear:
            earliest = Swift.min(earliest, period.shifted(by: -Int(12 / period.grain.months)))
          case .fixed: break
          }
        }
      }
      let result: ComputeResult
      do {
        // Targets may name a type or region before any partner of it is imported.
        var request = ComputeRequest(
          kpis: kpis, by: kind, grain: group.grain, from: earliest, to: members.max()!, scopes: scopes,
          variant: group.variant)
        request.allowsEmptyScopes = true
        result = try engine.compute(request)
      } catch { throw ProgramError(error.message) }
      for period in members {
        out[period] = standings(of: result, weights: weights, partners: partners, period: period)
      }
    }
    return out
  }

  /// Standings in a period from values computed for it and the periods its baselines read.
  private func standings(
    of result: ComputeResult, weights: [String: Double], partners: [String: PartnerInfo], period: Period
  ) -> [Scope: [KPIStanding]] {
    let (version, defs, variant) = definitions(for: period)
    let catalog = engine.compiled.variantCatalogs[variant]
    let periodIndex = Dictionary(uniqueKeysWithValues: result.periods.enumerated().map { ($1, $0) })
    let activityStart = engine.activity?.lowerBound ?? Int32.min
    var out: [Scope: [KPIStanding]] = [:]
    for (s, scope) in result.scopes.enumerated() {
      var historyStart = activityStart
      if scope.kind == .partner, let joined = partners[scope.value ?? ""]?.joinedOn.number {
        historyStart = Swift.max(historyStart, joined)
      }
      var items: [KPIStanding] = []
      // With a ladder, a tier target applies to the partners holding the tier in the period.
      var partner = partners[scope.value ?? ""]
      if let tierOf, let p = partner { partner = p.with(tier: tierOf(p.id, period)) }
      for (k, id) in result.kpis.enumerated() {
        func value(_ p: Period) -> Double? { periodIndex[p].flatMap { result.value(kpi: k, scope: s, period: $0) } }
        // A period that ended before the data begins, or before the partner joined, is no
        // history: its zeros only say that the export starts later or the partner was not there.
        func history(_ p: Period) -> Double? { p.end.number < historyStart ? nil : value(p) }
        let def = catalog.kpi(id)
        let better = def?.better ?? .higher
        let actual = value(period)
        let method = defs.baseline(for: id)
        let baseline: Double?
        switch method {
        case .fixed(let v): baseline = v
        case .samePeriodLastYear: baseline = history(period.shifted(by: -Int(12 / period.grain.months)))
        case .previousPeriods(let n):
          let past = (1...Swift.max(1, n)).compactMap { history(period.shifted(by: -$0)) }
          baseline = past.isEmpty ? nil : past.reduce(0, +) / Double(past.count)
        }
        func clamp(_ v: Double) -> Double { def?.clamped(v) ?? v }
        let flow = engine.compiled.isFlow(id, variant: variant)
        let source = Self.target(for: id, scope: scope, partner: partner, period: period, in: defs, isFlow: flow)
        let target: Double? =
          switch source?.rule {
          case .value(let v): v
          // Growth from nothing is no target: 0 × (1 + g) would be met by doing nothing. A rule
          // never asks for what the KPI cannot be: 98% + 5 points is a target of 100%.
          case .growth(let g): baseline.flatMap { $0 == 0 ? nil : clamp($0 * (1 + g)) }
          case .delta(let d): baseline.map { clamp($0 + d) }
          case nil: nil
          }
        let paced = defs.pace[id] ?? flow
        let pace = paced ? Attainment.pace(actual: actual, period: period, today: today) : nil
        let attainment = Attainment.of(actual: pace ?? actual, target: target, better: better)
        items.append(
          KPIStanding(
            kpi: id, name: def?.name ?? id, unit: def?.unit ?? .number, better: better, weight: weights[id],
            actual: actual, baseline: baseline, baselineMethod: method, target: target, targetSource: source,
            pace: pace, attainment: attainment,
            status: Attainment.status(attainment, thresholds: defs.thresholds(for: id)),
            version: version?.number))
      }
      out[scope] = items
    }
    return out
  }

  /// The target definition for a KPI, scope and period: the most specific scope wins (partner,
  /// then tier, then type, then region, then network); among equals, the one defined last.
  ///
  /// A fixed value of a flow (revenue, registrations: sums and counts that grow with the scope)
  /// holds only for the scope it names: a network revenue of 10M says nothing about one partner.
  /// Rules relative to the baseline (growth, delta) and values of rates apply to narrower scopes.
  public static func target(
    for kpi: String, scope: Scope, partner: PartnerInfo?, period: Period, in defs: ProgramDefinitions,
    isFlow: Bool = false
  ) -> TargetDefinition? {
    let candidates = defs.targets.filter { $0.kpi == kpi && $0.applies(to: period) }
    guard !candidates.isEmpty else { return nil }
    var order: [Scope] = [scope]
    if scope.kind == .partner, let p = partner {
      order += [p.scope(.tier), p.scope(.type), p.scope(.region)].compactMap { $0 }
    }
    if scope.kind != .network { order.append(.network) }
    for s in order {
      if let t = candidates.last(where: { t in
        guard t.scope == s else { return false }
        if s != scope, isFlow, case .value = t.rule { return false }
        return true
      }) {
        return t
      }
    }
    return nil
  }

  /// The scorecards of every partner of a type in the program during the period, ranked by
  /// composite score.
  public func typeScorecards(type: String, period: Period) throws -> [ScorecardResult] {
    if let kept = try keptTypeScorecards?(type, period) { return kept }
    return try typeScorecards(type: type, period: period, updating: [], only: nil)
  }

  /// `previous` (the type's scorecards for the period, computed before some facts changed) with
  /// the scorecards of the partners in `changed` computed again and all of them ranked again: the
  /// same as computing them all when no other partner's values changed (`FactReach`), partners'
  /// attributes included.
  public func typeScorecards(
    type: String, period: Period, updating previous: [ScorecardResult], changed: Set<String>
  ) throws -> [ScorecardResult] {
    try typeScorecards(type: type, period: period, updating: previous, only: changed)
  }

  private func typeScorecards(
    type: String, period: Period, updating previous: [ScorecardResult], only: Set<String>?
  ) throws -> [ScorecardResult] {
    let (version, defs, _) = definitions(for: period)
    guard let card = defs.scorecard(forType: type) else {
      throw ProgramError(
        version == nil
          ? "no program definitions are in force for \(period): apply some with channelkpi program apply DIR"
          : "the definitions \(version!.label) have no scorecard for partner type '\(type)'")
    }
    // The previous results hold every member (a batch that changes partners starts over): those
    // of the changed partners are made again in place, the others kept as they are.
    var results: [ScorecardResult]
    let fresh: [Int]
    if let only, !previous.isEmpty {
      results = previous
      fresh = results.indices.filter { only.contains(results[$0].partner?.id ?? "") }
    } else {
      let members = partners.filter {
        $0.type == type && $0.isInProgram(during: period.months)
      }
      results = members.map {
        ScorecardResult(
          scope: Scope(.partner, $0.id), partner: $0, period: period, scorecard: card, version: version, items: [],
          composite: nil)
      }
      fresh = Array(results.indices)
    }
    guard !results.isEmpty else { return [] }
    let remade = fresh.compactMap { i in results[i].partner.map { (index: i, partner: $0) } }
    let partners = remade.map(\.partner)
    if !partners.isEmpty {
      let byId = Dictionary(uniqueKeysWithValues: partners.map { ($0.id, $0) })
      let weights = Dictionary(card.items.map { ($0.kpi, $0.weight) }, uniquingKeysWith: { a, _ in a })
      let standings = try standings(
        kpis: card.items.map(\.kpi), weights: weights, scopes: partners.map { Scope(.partner, $0.id) },
        partners: byId, period: period)
      for (i, p) in remade {
        let items = standings[Scope(.partner, p.id)] ?? []
        results[i] = ScorecardResult(
          scope: Scope(.partner, p.id), partner: p, period: period, scorecard: card, version: version, items: items,
          composite: Attainment.composite(items.map { ($0.weight ?? 1, $0.attainment) }))
      }
    }
    Self.rank(&results)
    return results
  }

  /// Ranks results by composite (1 = best; equal scores share a rank) and sets percentiles.
  static func rank(_ results: inout [ScorecardResult]) {
    let scored = results.compactMap(\.composite)
    let n = scored.count
    // Sorted, to count the composites below and above each by bisection (a NaN is neither).
    let sorted = scored.filter { !$0.isNaN }.sorted()
    for i in results.indices {
      guard let c = results[i].composite else { continue }
      let below = c.isNaN ? 0 : Self.firstIndex(in: sorted) { $0 >= c }
      let above = c.isNaN ? 0 : sorted.count - Self.firstIndex(in: sorted) { $0 > c }
      results[i].rank = above + 1
      results[i].peers = n
      results[i].percentile = n > 1 ? 100 * Double(below) / Double(n - 1) : 100
    }
    // Positions are sorted by their keys rather than the results, which are large to move or copy.
    let keys = results.map { (rank: $0.rank, scope: $0.scope) }
    let order = keys.indices.sorted { i, j in
      let (x, y) = (keys[i], keys[j])
      switch (x.rank, y.rank) {
      case (let a?, let b?): return a != b ? a < b : x.scope < y.scope
      case (nil, nil): return x.scope < y.scope
      case (nil, _): return false
      case (_, nil): return true
      }
    }
    // Moved into place cycle by cycle (`order[k]` is where position k's result is now).
    var from = order
    for start in from.indices where from[start] != start {
      var k = start
      while from[k] != start {
        let next = from[k]
        results.swapAt(k, next)
        from[k] = k
        k = next
      }
      from[k] = k
    }
  }

  /// The first index of a sorted array whose element satisfies `isAtOrPast` (which holds from
  /// some index to the end), or its count.
  static func firstIndex(in sorted: [Double], where isAtOrPast: (Double) -> Bool) -> Int {
    var lo = 0
    var hi = sorted.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if isAtOrPast(sorted[mid]) { hi = mid } else { lo = mid + 1 }
    }
    return lo
  }

  /// One partner's scorecard, ranked among the partners of its type.
  public func partnerScorecard(id: String, period: Period) throws -> ScorecardResult {
    guard let p = partners.first(where: { $0.id == id }) else {
      throw ProgramError("no partner '\(id)'")
    }
    if let r = try typeScorecards(type: p.type, period: period).first(where: { $0.partner?.id == id }) { return r }
    // Not in the program during the period: its scorecard, unranked.
    let (version, defs, _) = definitions(for: period)
    guard let card = defs.scorecard(forType: p.type) else {
      throw ProgramError("no scorecard for partner type '\(p.type)'")
    }
    let weights = Dictionary(card.items.map { ($0.kpi, $0.weight) }, uniquingKeysWith: { a, _ in a })
    let items =
      try standings(
        kpis: card.items.map(\.kpi), weights: weights, scopes: [Scope(.partner, id)], partners: [id: p], period: period)[
        Scope(.partner, id)] ?? []
    return ScorecardResult(
      scope: Scope(.partner, id), partner: p, period: period, scorecard: card, version: version, items: items,
      composite: Attainment.composite(items.map { ($0.weight ?? 1, $0.attainment) }))
  }

  /// The program's scorecard for the whole network.
  public func networkScorecard(period: Period) throws -> ScorecardResult {
    let (version, defs, _) = definitions(for: period)
    guard let card = defs.networkScorecard else {
      throw ProgramError(
        version == nil
          ? "no program definitions are in force for \(period): apply some with channelkpi program apply DIR"
          : "the definitions \(version!.label) have no network scorecard")
    }
    let weights = Dictionary(card.items.map { ($0.kpi, $0.weight) }, uniquingKeysWith: { a, _ in a })
    let items =
      try standings(kpis: card.items.map(\.kpi), weights: weights, scopes: [.network], period: period)[.network] ?? []
    return ScorecardResult(
      scope: .network, partner: nil, period: period, scorecard: card, version: version, items: items,
      composite: Attainment.composite(items.map { ($0.weight ?? 1, $0.attainment) }))
  }
}
