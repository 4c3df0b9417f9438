/// Evaluates the tier ladder of the program definitions for every partner at the end of every
/// evaluation period that has ended, replaying history from the ladder's start.
public struct TierEvaluator {
  public let engine: KPIEngine
  public let history: ProgramHistory
  public let variantOfVersion: [Int: Int]
  public let today: Day
  /// The partners' `tier` attributes as they stood when the first ladder was applied; partners
  /// not in it start from their current attribute.
  public let recordedAttributes: [String: String?]
  public let overrides: [TierOverride]
  /// The engine's partners when the caller already holds them (`engine.partners()` otherwise).
  public var knownPartners: [PartnerInfo]?

  public init(
    engine: KPIEngine, history: ProgramHistory, variantOfVersion: [Int: Int], today: Day,
    recordedAttributes: [String: String?] = [:], overrides: [TierOverride] = []
  ) {
    self.engine = engine
    self.history = history
    self.variantOfVersion = variantOfVersion
    self.today = today
    self.recordedAttributes = recordedAttributes
    self.overrides = overrides
  }

  /// The first version (by effective day) that has a ladder.
  var firstLadderVersion: ProgramVersion? { history.versions.first { $0.definitions.tiers != nil } }

  /// The ladder used to evaluate a period and the version it comes from: the version in force on
  /// the period's last day; periods before the first version with a ladder use that first ladder.
  public func ladder(for period: Period) -> (TierLadder, ProgramVersion)? {
    guard let first = firstLadderVersion, let firstLadder = first.definitions.tiers else { return nil }
    if let v = history.version(for: period), let l = v.definitions.tiers { return (l, v) }
    if period.end < first.effective { return (firstLadder, first) }
    return nil
  }

  /// The first period evaluated: the one holding the ladder's `starts`, else the first period of
  /// the data.
  public func firstPeriod() -> Period? {
    guard let first = firstLadderVersion?.definitions.tiers else { return nil }
    let startDay = first.starts ?? engine.activity.map { Day(number: $0.lowerBound) }
    return startDay.map { Period(grain: first.evaluate, containing: $0.month) }
  }

  /// Every evaluation from the first period through the last one that has ended by `today`.
  ///
  /// With `updating`, only the partners in `changed` are evaluated again and the others keep
  /// their evaluations from `previous` (made under the same definitions, tier inputs and day):
  /// each partner's levels depend on its own values only, so this is the same as evaluating
  /// everyone when no other partner's values changed (`FactReach`).
  public func evaluate(updating previous: TierHistory? = nil, changed: Set<String> = []) throws(ComputeError)
    -> TierHistory
  {
    let partners = knownPartners ?? engine.partners()
    // A previous history made over the same partners, in the same order (a server's batch that
    // changes partners starts over), keeps its attributes, starting levels and slots; any other
    // is evaluated again whole, as is one without slots (no ladder or no period to evaluate).
    // (The ids are compared one by one: a server's come from one list, so each is the same string.)
    let previous = previous.flatMap {
      !$0.partnerIds.isEmpty && $0.partnerIds.elementsEqual(partners.lazy.map(\.id)) ? $0 : nil
    }
    let attributes = previous?.attributes ?? Dictionary(uniqueKeysWithValues: partners.map { ($0.id, $0.tier) })
    guard let firstLadder = firstLadderVersion?.definitions.tiers else {
      return TierHistory(ladder: nil, initial: [:], attributes: attributes, overrides: [])
    }
    let latestLadder = history.latest?.definitions.tiers ?? firstLadder
    let overridesByPartner = previous?.overrides ?? Dictionary(grouping: overrides, by: \.partner)
    // Each partner's level before evaluations: its recorded attribute when it names a level.
    func startLevel(_ p: PartnerInfo, _ ladder: TierLadder) -> String {
      let attribute = recordedAttributes[p.id] ?? p.tier
      return ladder.rank(of: attribute) != nil ? attribute! : ladder.levels[0].id
    }
    let initial =
      previous?.initial
      ?? Dictionary(
        uniqueKeysWithValues: partners.map { p in
          (p.id, firstLadder.appliesTo.matches(p, tier: nil) ? startLevel(p, firstLadder) : String?.none)
        })
    var state: [String: (level: String, misses: Int)] = [:]
    guard var period = firstPeriod() else {
      return TierHistory(ladder: latestLadder, initial: initial, attributes: attributes, overrides: overrides)
    }
    // One slot per partner, in the order of their ids; evaluated again, a partner's is emptied.
    var slots: [[TierEvaluation]]
    let slotOf: [String: Int]
    let evaluated: [PartnerInfo]
    if let previous {
      slots = previous.slots
      slotOf = previous.slotOf
      evaluated = partners.filter { changed.contains($0.id) }
      for p in evaluated { slots[slotOf[p.id]!] = [] }
    } else {
      let ids = partners.map(\.id).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
      slotOf = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
      slots = Array(repeating: [], count: ids.count)
      evaluated = partners
    }
    var switched = false
    while period.end < today {
      guard let (ladder, version) = ladder(for: period) else { break }
      if ladder.evaluate != period.grain, !switched {
        // A later ladder with another grain: evaluate its periods from the next whole one on. One
        // switch per step, so ladders that alternate grains cannot send this back and forth.
        var p = Period(grain: ladder.evaluate, containing: period.firstMonth)
        if p.firstMonth < period.firstMonth { p = p.next }
        period = p
        switched = true
        continue
      }
      switched = false
      let window = ladder.window(for: period)
      let members = evaluated.filter { p in
        p.joinedOn <= period.end && !(p.leftOn.map { $0 <= period.end } ?? false)
          && ladder.appliesTo.matches(p, tier: nil)
      }
      let kpis = ladder.kpis
      var values: [String: [String: Double?]] = [:]
      if !kpis.isEmpty, !members.isEmpty {
        let r = try engine.compute(
          kpis: kpis, by: .partner, scopes: members.map { Scope(.partner, $0.id) }, windows: [window],
          variant: variantOfVersion[version.number] ?? 0)
        for (s, scope) in r.scopes.enumerated() {
          var v: [String: Double?] = [:]
          for (k, kpi) in r.kpis.enumerated() { v[kpi] = r.value(kpi: k, scope: s, window: 0) }
          values[scope.value ?? ""] = v
        }
      }
      for p in members {
        let v = values[p.id] ?? [:]
        var (held, misses) = state[p.id] ?? (startLevel(p, ladder), 0)
        // An override in force on the period's last day is the level the partner held.
        let during = overridesByPartner[p.id]?.last { $0.covers(period.end) && ladder.rank(of: $0.level) != nil }
        if let o = during, o.level != held || misses > 0 {
          held = o.level
          misses = 0
        }
        // A level the ladder no longer has maps to its lowest.
        if ladder.rank(of: held) == nil { held = ladder.levels[0].id }
        let heldRank = ladder.rank(of: held)!
        var qualifiedRank = 0
        var failing: [RequirementStanding] = []
        for (i, level) in ladder.levels.enumerated() where i > 0 {
          let unmet = level.requires.map {
            RequirementStanding(level: level.id, requirement: $0, value: v[$0.kpi] ?? nil)
          }
          .filter { !$0.isMet }
          if unmet.isEmpty { qualifiedRank = i } else { failing += unmet }
        }
        failing = failing.filter { (ladder.rank(of: $0.level) ?? 0) > qualifiedRank }
        var level = held
        var change: TierChange
        if qualifiedRank > heldRank {
          level = ladder.levels[qualifiedRank].id
          change = .promoted
          misses = 0
        } else if qualifiedRank == heldRank {
          change = .held
          misses = 0
        } else {
          misses += 1
          if misses >= ladder.demotionGrace {
            level = ladder.levels[qualifiedRank].id
            change = .demoted
            misses = 0
          } else {
            change = .atRisk
          }
        }
        // An override in force from the day after replaces the evaluated level; once it ends,
        // evaluation resumes from the overridden level.
        let o = overridesByPartner[p.id]?.last { $0.covers(period.end + 1) && ladder.rank(of: $0.level) != nil }
        if let o {
          level = o.level
          misses = 0
          let r = ladder.rank(of: o.level)!
          change = r > heldRank ? .promoted : r < heldRank ? .demoted : .held
        }
        state[p.id] = (level, misses)
        slots[slotOf[p.id]!].append(
          TierEvaluation(
            partner: p.id, period: period, window: window, held: held, qualified: ladder.levels[qualifiedRank].id,
            level: level, change: change, misses: misses, failing: failing, values: v,
            override: o, version: version.number))
      }
      period = period.next
    }
    return TierHistory(
      ladder: latestLadder, slots: slots, slotOf: slotOf, partnerIds: previous?.partnerIds ?? partners.map(\.id),
      initial: initial, attributes: attributes, overrides: overridesByPartner)
  }
}
