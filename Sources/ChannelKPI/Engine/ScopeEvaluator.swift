/// Evaluates scope expressions for one scope, over the merged accumulators of its members.
struct ScopeEvaluator {
  let engine: KPIEngine
  let members: [Int32]
  let entities: [Int32]
  let regions: [Int32]
  let partnerSeries: MergedSeries
  /// The real-valued sums, merged over the members when `partnerSeries` is a whole scope's.
  let partnerRealSums: MergedSeries?
  let regionSeries: MergedSeries
  let allTime: [Int64]
  let regionAllTime: [Int64]
  var memo: [MemoKey: Double?] = [:]

  struct MemoKey: Hashable {
    var measure: Int
    var first: Int32
    var last: Int32
  }

  /// With `scope` (a number of `ScopeSeries`, for the whole scope `members` make up), the partners'
  /// series are read from the scope's, with only real-valued sums merged over the members.
  init(
    engine: KPIEngine, members: [Int32], lo: Int32, hi: Int32, slots: ([Int], [Int], Set<Int>)? = nil,
    scope: Int32? = nil
  ) {
    self.engine = engine
    self.members = members
    entities = members.map { engine.partnerEntity($0) }
    var rs = Set<Int32>()
    for m in members {
      let r = engine.partnerRegion(m)
      if r >= 0 { rs.insert(Int32(r)) }
    }
    regions = rs.sorted()
    if let scope, let scopes = engine.acc.scopes {
      let kinds = engine.acc.partnerSeries.kinds
      let wanted = slots?.0 ?? Array(kinds.indices)
      partnerSeries = MergedSeries(
        scopes.series, entities: [scope], lo: lo, hi: hi, slots: wanted.filter { kinds[$0] != .sumReal },
        stateSlots: slots?.2)
      let reals = wanted.filter { kinds[$0] == .sumReal }
      partnerRealSums =
        reals.isEmpty
        ? nil
        : MergedSeries(
          engine.acc.partnerSeries, entities: entities, lo: lo, hi: hi, slots: reals, stateSlots: slots?.2)
    } else {
      partnerSeries = MergedSeries(
        engine.acc.partnerSeries, entities: entities, lo: lo, hi: hi, slots: slots?.0, stateSlots: slots?.2)
      partnerRealSums = nil
    }
    regionSeries = MergedSeries(
      engine.acc.regionSeries, entities: regions, lo: lo, hi: hi, slots: slots?.1, stateSlots: [])
    let kinds = engine.acc.allTimeKinds
    func merged(_ arr: [Int64], _ es: [Int32]) -> [Int64] {
      var out = kinds.map(\.identity)
      for e in es {
        let base = Int(e) * kinds.count
        guard base + kinds.count <= arr.count else { continue }
        for k in kinds.indices { out[k] = kinds[k].merge(out[k], arr[base + k]) }
      }
      return out
    }
    allTime = merged(engine.acc.partnerAllTime, entities)
    regionAllTime = merged(engine.acc.regionAllTime, regions)
  }

  mutating func evaluate(_ e: ScopeExpr, _ r: MonthRange) -> Double? {
    switch e {
    case .number(let v): return v
    case .measure(let i):
      let key = MemoKey(measure: i, first: r.first.index, last: r.last.index)
      if let v = memo[key] { return v }
      let v = measure(i, r)
      memo[key] = v
      return v
    case .arith(let op, let a, let b):
      guard let x = evaluate(a, r), let y = evaluate(b, r) else { return nil }
      switch op {
      case .add: return x + y
      case .sub: return x - y
      case .mul: return x * y
      case .div: return y == 0 ? nil : x / y
      }
    case .negate(let a): return evaluate(a, r).map { -$0 }
    case .compare(let op, let a, let b):
      guard let x = evaluate(a, r), let y = evaluate(b, r) else { return nil }
      return op.holds(x, y) ? 1 : 0
    case .and(let a, let b):
      let x = evaluate(a, r)
      if x == 0 { return 0 }
      let y = evaluate(b, r)
      if y == 0 { return 0 }
      return x == nil || y == nil ? nil : 1
    case .or(let a, let b):
      let x = evaluate(a, r)
      if let x, x != 0 { return 1 }
      let y = evaluate(b, r)
      if let y, y != 0 { return 1 }
      return x == nil || y == nil ? nil : 0
    case .not(let a): return evaluate(a, r).map { $0 == 0 ? 1 : 0 }
    case .present(let a): return evaluate(a, r) == nil ? 0 : 1
    case .ifThen(let c, let a, let b):
      guard let x = evaluate(c, r) else { return nil }
      return x != 0 ? evaluate(a, r) : evaluate(b, r)
    case .least(let l):
      return l.compactMap { evaluate($0, r) }.min()
    case .greatest(let l):
      return l.compactMap { evaluate($0, r) }.max()
    case .coalesce(let l):
      for x in l { if let v = evaluate(x, r) { return v } }
      return nil
    case .abs(let a): return evaluate(a, r).map { Swift.abs($0) }
    case .trailing(let n, let a): return evaluate(a, r.trailing(n))
    }
  }

  private func measure(_ i: Int, _ r: MonthRange) -> Double? {
    let m = engine.compiled.measures[i]
    let plan = engine.planOf[i]
    let market = m.table == .market
    let ents = market ? regions : entities
    let series = market ? regionSeries : (plan.kind == .sumReal ? partnerRealSums ?? partnerSeries : partnerSeries)
    switch m.time {
    case .perPeriod:
      return perPeriod(m, i, r)
    case .allTime:
      if m.function == .countDistinct {
        var seen = Set<Int64>()
        for e in ents {
          seen.formUnion(engine.acc.lists[ListKey(measure: Int32(i), entity: e, month: Int32.min)] ?? [])
        }
        return Double(seen.count)
      }
      return engine.number(m, (market ? regionAllTime : allTime)[plan.slot], kind: plan.kind)
    case .dated:
      if m.function == .countDistinct {
        var seen = Set<Int64>()
        for e in ents {
          var mo = r.first.index
          while mo <= r.last.index {
            if let l = engine.acc.lists[ListKey(measure: Int32(i), entity: e, month: mo)] { seen.formUnion(l) }
            mo += 1
          }
        }
        return Double(seen.count)
      }
      return engine.number(m, series.range(plan.slot, r.first.index, r.last.index), kind: plan.kind)
    case .state(_, _, let day):
      return engine.number(m, series.upTo(plan.slot, day == .end ? r.last.index : r.first.index - 1), kind: plan.kind)
    case .stateThrough:
      let x = r.first.index - 1
      var v = series.upTo(plan.slot, x)
      for e in ents {
        var c = x + 1
        while c <= r.last.index {
          if let l = engine.acc.lists[ListKey(measure: Int32(i), entity: e, month: c)] {
            for f in l where f <= Int64(x) { v -= 1 }
          }
          c += 1
        }
      }
      return Double(v)
    }
  }

  /// An aggregate over the scope's partners, each evaluated for the range.
  private func perPeriod(_ m: MeasureSpec, _ i: Int, _ r: MonthRange) -> Double? {
    let filter = engine.boundFilters[i]
    let value = engine.boundValues[i]
    let integer = m.valueType?.isInteger ?? true
    var count: Int64 = 0
    var sumInt: Int64 = 0
    var sumReal = 0.0
    var extreme: Double?
    var seen = Set<Int64>()
    for (k, row) in members.enumerated() {
      let e = entities[k]
      if let f = filter, engine.evaluatePartner(f, row: row, entity: e, r).bool != 1 { continue }
      guard let value else {
        count += 1
        continue
      }
      let v = engine.evaluatePartner(value, row: row, entity: e, r)
      switch m.function {
      case .count: count += 1
      case .countDistinct:
        if v.int != Int64.min { seen.insert(v.int) }
      case .sum:
        if integer {
          if v.int != Int64.min { sumInt &+= v.int }
        } else if !v.real.isNaN {
          sumReal += v.real
        }
      case .min, .max:
        let x = integer ? (v.int == Int64.min ? Double.nan : Double(v.int) / m.divisor) : v.real
        if x.isNaN { continue }
        if let cur = extreme {
          extreme = m.function == .min ? Swift.min(cur, x) : Swift.max(cur, x)
        } else {
          extreme = x
        }
      }
    }
    switch m.function {
    case .count: return Double(count)
    case .countDistinct: return Double(seen.count)
    case .sum: return integer ? Double(sumInt) / m.divisor : sumReal
    case .min, .max: return extreme
    }
  }
}
