/// Whose KPI values a batch of facts may have changed, as `KPIEngine.upsert` reports it, so that
/// what was derived from the values of other partners can be kept.
public enum FactReach: Sendable, Equatable {
  /// The values of these partners (by id) and of the scopes holding them; every other partner's
  /// values are as they were.
  case partners(Set<String>)
  /// Any value: partners' attributes, market figures or the dates the data covers changed.
  case everything

  /// Whether a partner's values may have changed.
  public func reaches(_ partner: String) -> Bool {
    switch self {
    case .partners(let ids): ids.contains(partner)
    case .everything: true
    }
  }
}

/// What a batch of facts changed in the engine: whose values (`reach`) and, per measure, from
/// which month on, so that what was derived from the values of earlier periods can be kept (a
/// batch of this month's deals changes no period that has ended).
public struct FactChange: Sendable {
  public let reach: FactReach
  /// Per measure, the earliest month index whose accumulated value changed: `Int32.max` when the
  /// measure did not change, `Int32.min` when every month may have (an all-time measure).
  let earliest: [Int32]
  /// The month index from which anything may have changed: `Int32.min` when partners' attributes,
  /// market figures or the first day of the data changed; the month after the data's old last
  /// day when only that moved on (a forecast reads up to the last period the data reaches);
  /// `Int32.max` otherwise.
  let everythingFrom: Int32
  /// Tables whose rows were applied.
  let tables: Set<CanonicalTable>
}

/// What `apply` notes while `upsert` runs (see `FactChange`).
struct ChangeTracking {
  /// One contribution to a measure's accumulators: a value (or, in a list, an entry) of an entity
  /// in a month (`Int32.min` for all time).
  struct Contribution: Hashable {
    var measure: Int32
    var entity: Int32
    var month: Int32
    var int: Int64
    var real: UInt64
    var list: Bool
  }

  var partners: Set<Int32> = []
  var everything = false
  /// How many times each contribution was added, less the times it was taken away. A replaced
  /// row takes its old contributions away and adds its new ones: those it makes again (a deal
  /// open since January that closes now is still open at the end of every month before) cancel
  /// out, so the months that changed are those of contributions whose count is not zero.
  var net: [Contribution: Int64] = [:]
  var tables: Set<CanonicalTable> = []

  mutating func note(
    _ measure: Int32, _ entity: Int32, _ month: Int32, _ int: Int64, _ real: Double, list: Bool, _ sign: Int64
  ) {
    let c = Contribution(measure: measure, entity: entity, month: month, int: int, real: real.bitPattern, list: list)
    net[c, default: 0] += sign
  }

  /// Per measure, the earliest month of a contribution that did not cancel out (`Int32.max`: none).
  func earliest(measures: Int) -> [Int32] {
    var out = Array(repeating: Int32.max, count: measures)
    for (c, n) in net where n != 0 && c.month < out[Int(c.measure)] { out[Int(c.measure)] = c.month }
    return out
  }
}

extension KPIEngine {
  /// Notes the entities of rows being added to or taken from the accumulators. Every change a
  /// batch makes goes through `apply`, including the rows of other partners whose membership of a
  /// set it changed, so these are all the partners whose values it changed.
  func noteReach(_ t: CanonicalTable, _ entities: [Int64]) {
    tracking?.tables.insert(t)
    // Partners' attributes move them between scopes; market rows are no partner's.
    guard t != .partners, t != .market else {
      tracking?.everything = true
      return
    }
    for e in entities where e != RowProgram.noInt { tracking?.partners.insert(Int32(truncatingIfNeeded: e)) }
  }

  /// Runs `body` (changes to the facts, making about `contributions` to measures) and says what
  /// it may have changed. Values of a partner depend on its own facts, market figures and the
  /// days the data covers (periods before the data begins are no history): a change to the latter
  /// two reaches everything.
  func reach(contributions: Int, _ body: () -> Void) -> FactChange {
    let before = (coverage, activity)
    tracking = ChangeTracking()
    tracking!.net.reserveCapacity(contributions)
    body()
    let seen = tracking!
    tracking = nil
    let reach: FactReach
    if seen.everything || coverage != before.0 || activity != before.1 {
      reach = .everything
    } else {
      let ids = pool(CanonicalTable.partners.schema.columns[CanonicalTable.partners.schema.keyIndexes[0]].domain)
      reach = .partners(Set(seen.partners.map { ids[$0] }))
    }
    var from = seen.everything ? Int32.min : Int32.max
    for (old, new) in [(before.0, coverage), (before.1, activity)] where old != new {
      guard let old, let new, new.lowerBound == old.lowerBound else {
        from = Int32.min
        continue
      }
      from = Swift.min(from, (Day(number: old.upperBound).month + 1).index)
    }
    return FactChange(
      reach: reach, earliest: seen.earliest(measures: compiled.measures.count), everythingFrom: from,
      tables: seen.tables)
  }

  /// Whether a change may have moved the value of a KPI (of a variant) in a period that ends by
  /// `month`, for any scope. With `asOf`, also its values read as of a past day (forecasts made
  /// then): those can move with any row of a table whose later columns the KPI reads.
  ///
  /// A month's value of a measure only reads the accumulators of that month and the ones before
  /// (a state is the sum of the changes up to it; trailing windows end with the period), so a
  /// change whose earliest month for every measure the KPI reads is later leaves it alone, unless
  /// it moved what every value reads (`everythingFrom`) by then. Measures of partners evaluated
  /// per period read other measures (followed here) and sets: a batch that may change a set
  /// such a measure reads applies the partners' rows again, which moves everything.
  public func mayHaveChanged(_ kpi: String, variant: Int = 0, through month: Month, by change: FactChange, asOf: Bool)
    -> Bool
  {
    guard change.everythingFrom > month.index, variant >= 0, variant < compiled.variantCount,
      let expr = compiled.variants[variant][kpi]
    else { return true }
    if asOf, let tables = tablesChangedAsOf(kpi, variant: variant), !tables.isDisjoint(with: change.tables) {
      return true
    }
    return measuresRead(by: expr).contains { change.earliest[$0] <= month.index }
  }

  /// The measures a compiled expression reads, with the measures those read in turn (measures of
  /// partners evaluated per period can read others, such as a partner's first won deal).
  func measuresRead(by expr: ScopeExpr) -> Set<Int> {
    var pending: [Int] = []
    expr.visitMeasures { pending.append($0) }
    var seen: Set<Int> = []
    while let i = pending.popLast() {
      guard seen.insert(i).inserted else { continue }
      let m = compiled.measures[i]
      for e in [m.filter, m.value].compactMap({ $0 }) { e.visitNestedMeasures { pending.append($0) } }
    }
    return seen
  }
}
