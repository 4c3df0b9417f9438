extension KPIEngine {
  /// Computes KPIs for scopes over windows of whole months, each computed as the catalog defines
  /// a period's value with the window as the period (flows over its months, states on its last day).
  public func compute(
    kpis: [String], by: ScopeKind, scopes: [Scope]? = nil, windows: [MonthRange], variant: Int = 0
  ) throws(ComputeError) -> WindowResult {
    finishLoading()
    rebuildDirty()
    let (ids, exprs) = try expressions(kpis, variant: variant)
    for w in windows where w.last < w.first {
      throw ComputeError("the window \(w) is empty: its first month is after its last")
    }
    if let lo = windows.map(\.first).min(), let hi = windows.map(\.last).max(), hi.index - lo.index >= 1200 {
      throw ComputeError(
        "the windows span \(hi.index - lo.index + 1) months, from \(lo) to \(hi); at most 1200 at once")
    }
    let groups = scopeGroups(by, only: scopes)
    try requireKnown(scopes, by: by, groups)
    let values = evaluate(exprs, groups: groups, ranges: windows, wholeScopes: true)
    return WindowResult(kpis: ids, scopes: groups.map(\.scope), windows: windows, values: values)
  }

  /// The compiled expressions of KPI ids (every KPI of the variant when empty).
  func expressions(_ kpis: [String], variant: Int) throws(ComputeError) -> ([String], [ScopeExpr]) {
    guard variant >= 0, variant < compiled.variantCount else {
      throw ComputeError("no definitions variant \(variant)")
    }
    let catalog = compiled.variantCatalogs[variant]
    let expressions = compiled.variants[variant]
    let ids = kpis.isEmpty ? catalog.kpis.map(\.id) : kpis
    var exprs: [ScopeExpr] = []
    for id in ids {
      guard let e = expressions[id] else {
        throw ComputeError(
          "unknown KPI '\(id)'\(Spelling.hint(for: id, in: catalog.kpis.map(\.id))) (channelkpi kpis lists them)")
      }
      exprs.append(e)
    }
    return (ids, exprs)
  }

  /// Values of expressions × scope groups × month ranges, `values[(k * groups + s) * ranges + r]`.
  /// With `wholeScopes`, each group is all the partners of its scope (as `scopeGroups` makes them),
  /// so a wide one can read its scope's series (`ScopeSeries`).
  func evaluate(
    _ exprs: [ScopeExpr], groups: [(scope: Scope, members: [Int32])], ranges: [MonthRange], wholeScopes: Bool = false
  ) -> [Double?] {
    var values = [Double?](repeating: nil, count: exprs.count * groups.count * ranges.count)
    guard !ranges.isEmpty else { return values }
    var lo = Int32.max
    var hi = Int32.min
    for r in ranges {
      hi = Swift.max(hi, r.last.index)
      for e in exprs { lo = Swift.min(lo, e.earliestMonth(r).index) }
    }
    let pc = ranges.count
    let sc = groups.count
    // Only the slots the requested KPIs read are merged.
    var partnerSlots = Set<Int>()
    var regionSlots = Set<Int>()
    var stateSlots = Set<Int>()
    for e in exprs {
      e.visitMeasures { i in
        let m = compiled.measures[i]
        let plan = planOf[i]
        guard plan.slot >= 0, m.function != .countDistinct else { return }
        switch m.time {
        case .dated:
          if m.table == .market { regionSlots.insert(plan.slot) } else { partnerSlots.insert(plan.slot) }
        case .state, .stateThrough:
          partnerSlots.insert(plan.slot)
          stateSlots.insert(plan.slot)
        default: break
        }
      }
    }
    let slots = (partnerSlots.sorted(), regionSlots.sorted(), stateSlots)
    for (s, g) in groups.enumerated() {
      // A whole scope of many partners reads the scope's own series, when there.
      let scope = wholeScopes && g.members.count > 1 ? scopeNumber(g.scope) : nil
      var eval = ScopeEvaluator(engine: self, members: g.members, lo: lo, hi: hi, slots: slots, scope: scope)
      for (k, e) in exprs.enumerated() {
        for (p, range) in ranges.enumerated() {
          values[(k * sc + s) * pc + p] = eval.evaluate(e, range)
        }
      }
    }
    return values
  }
}
