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

extension KPIEngine {
  /// Notes the entities of rows being added to or taken from the accumulators. Every change a
  /// batch makes goes through `apply`, including the rows of other partners whose membership of a
  /// set it changed, so these are all the partners whose values it changed.
  func noteReach(_ t: CanonicalTable, _ entities: [Int64]) {
    // Partners' attributes move them between scopes; market rows are no partner's.
    guard t != .partners, t != .market else {
      tracking?.everything = true
      return
    }
    for e in entities where e != RowProgram.noInt { tracking?.partners.insert(Int32(truncatingIfNeeded: e)) }
  }

  /// Runs `body` (changes to the facts) and says whose values it may have changed. Values of a
  /// partner depend on its own facts, market figures and the days the data covers (periods before
  /// the data begins are no history): a change to the latter two reaches everything.
  func reach(_ body: () -> Void) -> FactReach {
    let before = (coverage, activity)
    tracking = ([], false)
    body()
    let seen = tracking!
    tracking = nil
    if seen.everything || coverage != before.0 || activity != before.1 { return .everything }
    let ids = pool(CanonicalTable.partners.schema.columns[CanonicalTable.partners.schema.keyIndexes[0]].domain)
    return .partners(Set(seen.partners.map { ids[$0] }))
  }
}
