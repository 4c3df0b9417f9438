/// Partners' monthly series summed by scope: the network, and each type, region and tier. A wide
/// read (values by type, say) then merges one series per scope instead of one per partner.
///
/// Built by `KPIEngine.prepareScopes()` from the partners' series, then kept up to date by every
/// contribution to them. Whatever it cannot follow exactly drops it, to be built again: a change
/// of partners (a partner may move to another type), and the removal of a minimum or maximum.
/// Real-valued sums are left out: summed in another order they could differ in the last bits
/// from the same sum over the members, and reads must not depend on how they were answered.
struct ScopeSeries {
  var series: SeriesStore
  /// Per partner entity (its `partner_id` code): the scopes it belongs to.
  var scopesOf: [[Int32]]
  /// The scope number of the network, and of each type, region and tier by its code.
  var scopeIndex: [ScopeKey: Int32]

  struct ScopeKey: Hashable {
    var kind: ScopeKind
    var code: Int64
  }

  /// Adds a contribution of partner `entity` to the scopes it belongs to.
  /// False when it cannot follow the change (the caller then drops the scopes).
  mutating func contribute(
    _ plan: MeasurePlan, entity: Int32, month: Int32, _ iv: Int64, _ rv: Double, _ sign: Int64
  ) -> Bool {
    guard Int(entity) < scopesOf.count else { return true }
    for g in scopesOf[Int(entity)] {
      let offset = series.cell(g, month)
      switch plan.kind {
      case .sumInt:
        series.add(offset, plan.slot, plan.function == .count ? sign : sign &* iv)
      case .sumReal:
        continue
      case .minInt, .maxInt, .minReal, .maxReal:
        // A removal of the extreme cannot be undone here.
        guard sign > 0 else { return false }
        series.combine(offset, plan.slot, plan.valueIsReal ? Int64(bitPattern: rv.bitPattern) : iv)
      }
    }
    return true
  }
}

extension KPIEngine {
  /// Leaves nothing for a read to do (staged rows applied, extremes rebuilt, the scopes' series
  /// built), so that reads do not change the engine and may run side by side. Writers call it
  /// after every change.
  public func prepareForReads() {
    finishLoading()
    rebuildDirty()
    prepareScopes()
  }

  /// Builds the scopes' series when they are not there (after a load, a change of partners or the
  /// removal of an extreme). Only for an engine kept up to date (one that keeps keys): a one-off
  /// computation merges its partners directly. Writers call it; reads never change the engine.
  func prepareScopes() {
    guard keepsKeys, acc.scopes == nil else { return }
    let partners = tables[Self.partnersIndex]
    let schema = CanonicalTable.partners.schema
    var index: [ScopeSeries.ScopeKey: Int32] = [.init(kind: .network, code: 0): 0]
    var scopesOf: [[Int32]] = []
    var members: [[Int32]] = [[]]
    let columns = [ScopeKind.type, .region, .tier].map { ($0, schema.index[$0.rawValue]!) }
    for row in 0..<Int32(applied[Self.partnersIndex]) {
      let e = partnerEntity(row)
      guard e >= 0 else { continue }
      var mine: [Int32] = [0]
      members[0].append(e)
      for (kind, c) in columns {
        let code = partners.value(row, c)
        guard code != FactColumns.absent64 else { continue }
        let key = ScopeSeries.ScopeKey(kind: kind, code: code)
        let g: Int32
        if let known = index[key] {
          g = known
        } else {
          g = Int32(members.count)
          index[key] = g
          members.append([])
        }
        mine.append(g)
        members[Int(g)].append(e)
      }
      if Int(e) >= scopesOf.count { scopesOf.append(contentsOf: repeatElement([], count: Int(e) - scopesOf.count + 1)) }
      scopesOf[Int(e)] = mine
    }
    let store = acc.partnerSeries
    var series = SeriesStore(kinds: store.kinds)
    for (g, es) in members.enumerated() {
      for e in es {
        store.forEachMonth(e) { month, off in
          let cell = series.cell(Int32(g), month)
          for (k, kind) in store.kinds.enumerated() where kind != .sumReal {
            series.combine(cell, k, store.data[off + k])
          }
        }
      }
    }
    acc.scopes = ScopeSeries(series: series, scopesOf: scopesOf, scopeIndex: index)
  }

  /// The scope number of a whole scope (all partners of a type, region or tier, or the network),
  /// if the scopes' series are there.
  func scopeNumber(_ scope: Scope) -> Int32? {
    guard let scopes = acc.scopes else { return nil }
    switch scope.kind {
    case .partner: return nil
    case .network: return scopes.scopeIndex[.init(kind: .network, code: 0)]
    case .type, .region, .tier:
      let domain = CanonicalTable.partners.schema.columns[CanonicalTable.partners.schema.index[scope.kind.rawValue]!]
        .domain
      guard let v = scope.value, let code = self.code(v, domain: domain) else { return nil }
      return scopes.scopeIndex[.init(kind: scope.kind, code: Int64(code))]
    }
  }
}
