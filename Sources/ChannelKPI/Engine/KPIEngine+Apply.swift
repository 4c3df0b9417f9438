/// Applying rows to the accumulators: adding or removing their contributions to measures and
/// sets, and rebuilding minimums and maximums that a removal invalidated.
extension KPIEngine {
  /// Adds (`sign` 1) or removes (`sign` -1) the contributions of rows to measures and sets.
  func apply(
    _ t: CanonicalTable, _ sel: RowSelection, sign: Int64, measures: Bool = true, sets: Bool = true,
    only: Int? = nil
  ) {
    let ti = Self.tableIndex(t)
    let n = sel.count
    guard n > 0 else { return }
    // Partners may move between scopes: the scopes' series are built again (`prepareScopes`).
    if t == .partners { acc.scopes = nil }
    var v = ChunkVectors(nodes: programs[ti].nodes.count, capacity: n)
    programs[ti].run(sel, columns: tables[ti], sets: setCounts, into: &v)
    let entities = v.ints[entityNodes[ti]]
    let tracks = tracking != nil
    if tracks { noteReach(t, entities) }
    let market = t == .market
    let none = RowProgram.noInt
    if measures {
      var a = Accumulators.empty
      swap(&a, &acc)
      defer { swap(&a, &acc) }
      for plan in plans[ti] {
        if case .perPeriod = plan.time { continue }
        if let only, plan.measure != only { continue }
        let filter = plan.filter.map { v.bools[$0] }
        let ints = plan.value.flatMap { plan.valueIsReal ? nil : v.ints[$0] }
        let reals = plan.value.flatMap { plan.valueIsReal ? v.reals[$0] : nil }
        let measure = Int32(plan.measure)
        let distinct = plan.function == .countDistinct
        for i in 0..<n {
          if let filter, filter[i] != 1 { continue }
          let e = entities[i]
          if e == none { continue }
          var iv: Int64 = 1
          var rv = 0.0
          if let ints {
            iv = ints[i]
            if iv == none { continue }
          } else if let reals {
            rv = reals[i]
            if rv.isNaN { continue }
          }
          let entity = Int32(truncatingIfNeeded: e)
          switch plan.time {
          case .dated(let mn):
            let m = v.ints[mn][i]
            if m == none { continue }
            let month = Int32(truncatingIfNeeded: m)
            if tracks { tracking!.note(measure, entity, month, iv, rv, list: distinct, sign) }
            if distinct {
              a.listChange(ListKey(measure: measure, entity: entity, month: month), iv, sign)
            } else {
              a.contribute(plan, market: market, entity: entity, month: month, iv, rv, sign)
            }
          case .state(let fn, let un), .stateThrough(let fn, let un):
            let f = v.ints[fn][i]
            if f == none { continue }
            let u = un.map { v.ints[$0][i] } ?? none
            if u != none && u < f { continue }
            let fm = Int32(truncatingIfNeeded: MonthOfDay.of(f))
            if tracks { tracking!.note(measure, entity, fm, iv, rv, list: false, sign) }
            a.contribute(plan, market: false, entity: entity, month: fm, iv, rv, sign)
            if u != none {
              let um = Int32(truncatingIfNeeded: MonthOfDay.of(u))
              if tracks { tracking!.note(measure, entity, um, iv, rv, list: false, -sign) }
              a.contribute(plan, market: false, entity: entity, month: um, iv, rv, -sign)
              if case .stateThrough = plan.time {
                if tracks { tracking!.note(measure, entity, um, Int64(fm), 0, list: true, sign) }
                a.listChange(ListKey(measure: measure, entity: entity, month: um), Int64(fm), sign)
              }
            }
          case .allTime:
            if tracks { tracking!.note(measure, entity, Int32.min, iv, rv, list: distinct, sign) }
            if distinct {
              a.listChange(ListKey(measure: measure, entity: entity, month: Int32.min), iv, sign)
            } else {
              a.contributeAllTime(plan, market: market, entity: entity, iv, rv, sign)
            }
          case .perPeriod:
            continue
          }
        }
      }
    }
    if sets {
      for sp in setPlans[ti] {
        let filter = sp.filter.map { v.bools[$0] }
        let values = v.ints[sp.value]
        var counts: [Int32] = []
        swap(&counts, &setCounts[sp.set])
        for i in 0..<n {
          if let filter, filter[i] != 1 { continue }
          let c = values[i]
          if c == none || c < 0 { continue }
          if Int(c) >= counts.count {
            counts.append(contentsOf: repeatElement(0, count: Int(c) - counts.count + 1))
          }
          counts[Int(c)] += Int32(sign)
        }
        swap(&counts, &setCounts[sp.set])
      }
    }
  }

  /// Recomputes minimums and maximums whose extreme value was removed, from the entity's rows.
  func rebuildDirty() {
    guard !acc.dirty.isEmpty else { return }
    let dirty = acc.dirty
    acc.dirty = []
    for d in dirty {
      let m = compiled.measures[Int(d.measure)]
      let ti = Self.tableIndex(m.table)
      let plan = planOf[Int(d.measure)]
      let market = m.table == .market
      if d.month == 1 {
        let i = Int(d.entity) * acc.allTimeKinds.count + plan.slot
        if market { acc.regionAllTime[i] = plan.kind.identity } else { acc.partnerAllTime[i] = plan.kind.identity }
      } else if market {
        acc.regionSeries.clear(d.entity, slot: plan.slot)
      } else {
        acc.partnerSeries.clear(d.entity, slot: plan.slot)
      }
      if entityRowsMissing[ti] {
        rowsByEntity[ti] = Self.entityLists(of: tables[ti])
        entityRowsMissing[ti] = false
      }
      let rows =
        Int(d.entity) < rowsByEntity[ti].count ? rowsByEntity[ti][Int(d.entity)].filter { Int($0) < applied[ti] } : []
      forEachChunk(.rows(rows[...])) { apply(m.table, $0, sign: 1, measures: true, sets: false, only: Int(d.measure)) }
    }
  }
}
