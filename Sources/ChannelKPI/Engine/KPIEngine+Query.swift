/// A value computed per partner while evaluating conditions over partners.
enum Scalar {
  case int(Int64)
  case real(Double)
  case bool(UInt8)

  var int: Int64 { if case .int(let v) = self { v } else { Int64.min } }
  var real: Double {
    switch self {
    case .real(let v): v
    case .int(let v): v == Int64.min ? .nan : Double(v)
    case .bool: .nan
    }
  }
  var bool: UInt8 { if case .bool(let b) = self { b } else { 2 } }
}

extension KPIEngine {
  static let partnersIndex = tableIndex(.partners)

  /// Computes KPIs for scopes and periods, from the accumulators.
  public func compute(_ request: ComputeRequest) throws(ComputeError) -> ComputeResult {
    finishLoading()
    rebuildDirty()
    let (ids, exprs) = try expressions(request.kpis, variant: request.variant)
    let periods = try periods(request)
    let groups = scopeGroups(request.by, only: request.scopes)
    try requireKnown(request.scopes, by: request.by, request.allowsEmptyScopes ? [] : groups)
    let values = evaluate(exprs, groups: groups, ranges: periods.map(\.months), wholeScopes: true)
    return ComputeResult(kpis: ids, scopes: groups.map(\.scope), periods: periods, values: values)
  }

  /// The periods a request covers.
  func periods(_ r: ComputeRequest) throws(ComputeError) -> [Period] {
    let first: Month
    let last: Month
    if let f = r.from {
      first = f.firstMonth
    } else if let c = coverage {
      first = Day(number: c.lowerBound).month
    } else if let t = r.to {
      first = t.firstMonth
    } else {
      return []
    }
    if let t = r.to {
      last = t.lastMonth
    } else if let c = coverage {
      last = Day(number: c.upperBound).month
    } else {
      last = r.from!.lastMonth
    }
    guard first <= last else {
      throw ComputeError(
        "the range is empty: --from \(r.from?.description ?? first.description) is after --to \(r.to?.description ?? last.description)"
      )
    }
    let count = Int(last.index - first.index) / Int(r.grain.months) + 1
    guard count <= 5000 else {
      throw ComputeError("the range covers \(count) periods of a \(r.grain.rawValue); narrow it with --from and --to")
    }
    return Period.range(r.grain, from: first, to: last)
  }

  /// Columns of the partners table, looked up once: a scope's evaluator reads them for each of
  /// its members, and a lookup by name hashes the name each time.
  private static let partnerIdColumn = CanonicalTable.partners.schema.index["partner_id"]!
  private static let partnerRegionColumn = CanonicalTable.partners.schema.index["region"]!

  func partnerEntity(_ row: Int32) -> Int32 {
    Int32(tables[Self.partnersIndex].value(row, Self.partnerIdColumn))
  }

  func partnerRegion(_ row: Int32) -> Int64 {
    tables[Self.partnersIndex].value(row, Self.partnerRegionColumn)
  }

  /// The number a measure's accumulated value stands for (nil for an empty minimum or maximum).
  func number(_ m: MeasureSpec, _ raw: Int64, kind: SlotKind) -> Double? {
    switch kind {
    case .sumInt:
      if m.function == .count || m.function == .countDistinct { return Double(raw) }
      return Double(raw) / m.divisor
    case .sumReal:
      return Double(bitPattern: UInt64(bitPattern: raw))
    case .minInt, .maxInt:
      return raw == kind.identity ? nil : Double(raw) / m.divisor
    case .minReal, .maxReal:
      return raw == kind.identity ? nil : Double(bitPattern: UInt64(bitPattern: raw))
    }
  }

  /// A measure's value for one partner (entity) over a range, as the row expressions see it.
  func entityMeasure(_ i: Int, entity e: Int32, _ r: MonthRange) -> Scalar {
    let m = compiled.measures[i]
    let plan = planOf[i]
    let real = plan.kind == .sumReal || plan.kind == .minReal || plan.kind == .maxReal
    func wrap(_ raw: Int64) -> Scalar {
      if real {
        let d = Double(bitPattern: UInt64(bitPattern: raw))
        return .real(d.isInfinite && plan.kind != .sumReal ? .nan : d)
      }
      if (plan.kind == .minInt || plan.kind == .maxInt) && raw == plan.kind.identity { return .int(Int64.min) }
      return .int(raw)
    }
    let series = m.table == .market ? acc.regionSeries : acc.partnerSeries
    func upTo(_ month: Int32) -> Int64 {
      var acc: Int64 = plan.kind.identity
      series.forEachMonth(e) { mo, off in if mo <= month { acc = plan.kind.merge(acc, series.data[off + plan.slot]) } }
      return acc
    }
    switch m.time {
    case .allTime:
      if m.function == .countDistinct {
        return .int(Int64(Set(acc.lists[ListKey(measure: Int32(i), entity: e, month: Int32.min)] ?? []).count))
      }
      let arr = m.table == .market ? acc.regionAllTime : acc.partnerAllTime
      let idx = Int(e) * acc.allTimeKinds.count + plan.slot
      return wrap(idx < arr.count ? arr[idx] : plan.kind.identity)
    case .dated:
      if m.function == .countDistinct {
        var seen = Set<Int64>()
        var mo = r.first.index
        while mo <= r.last.index {
          seen.formUnion(acc.lists[ListKey(measure: Int32(i), entity: e, month: mo)] ?? [])
          mo += 1
        }
        return .int(Int64(seen.count))
      }
      var acc = plan.kind.identity
      var mo = r.first.index
      while mo <= r.last.index {
        if let off = series.existingCell(e, mo) { acc = plan.kind.merge(acc, series.data[off + plan.slot]) }
        mo += 1
      }
      return wrap(acc)
    case .state(_, _, let day):
      return wrap(upTo(day == .end ? r.last.index : r.first.index - 1))
    case .stateThrough:
      let x = r.first.index - 1
      var v = upTo(x)
      var c = x + 1
      while c <= r.last.index {
        for f in acc.lists[ListKey(measure: Int32(i), entity: e, month: c)] ?? [] where f <= Int64(x) { v -= 1 }
        c += 1
      }
      return .int(v)
    case .perPeriod:
      return .int(Int64.min)
    }
  }

  /// Evaluates a row expression over one partner (a row of `partners`) in a range.
  func evaluatePartner(_ e: RowExpr, row: Int32, entity: Int32, _ r: MonthRange) -> Scalar {
    func ev(_ x: RowExpr) -> Scalar { evaluatePartner(x, row: row, entity: entity, r) }
    let none = Int64.min
    switch e {
    case .column(let c): return .int(tables[Self.partnersIndex].value(row, c))
    case .int(let v): return .int(v)
    case .real(let v): return .real(v)
    case .bool(let b): return .bool(b ? 1 : 0)
    case .text(let s, let d): return .int(code(s, domain: d).map { Int64($0) } ?? -2)
    case .intArith(let op, let a, let b):
      let x = ev(a).int
      let y = ev(b).int
      if x == none || y == none { return .int(none) }
      switch op {
      case .add: return .int(x &+ y)
      case .sub: return .int(x &- y)
      case .mul: return .int(x &* y)
      case .div: return .int(y == 0 ? none : x / y)
      }
    case .realArith(let op, let a, let b):
      let x = ev(a).real
      let y = ev(b).real
      switch op {
      case .add: return .real(x + y)
      case .sub: return .real(x - y)
      case .mul: return .real(x * y)
      case .div: return .real(y == 0 ? .nan : x / y)
      }
    case .toReal(let a, let d):
      let x = ev(a).int
      return .real(x == none ? .nan : Double(x) / d)
    case .negate(let a, let integer):
      if integer {
        let x = ev(a).int
        return .int(x == none ? none : -x)
      }
      return .real(-ev(a).real)
    case .compare(let op, let a, let b, let integer):
      let r: Bool
      if integer {
        let x = ev(a).int
        let y = ev(b).int
        if x == none || y == none { return .bool(2) }
        r = op.holds(x, y)
      } else {
        let x = ev(a).real
        let y = ev(b).real
        if x.isNaN || y.isNaN { return .bool(2) }
        r = op.holds(x, y)
      }
      return .bool(r ? 1 : 0)
    case .and(let a, let b):
      let x = ev(a).bool
      if x == 0 { return .bool(0) }
      let y = ev(b).bool
      return .bool(y == 0 ? 0 : (x == 1 && y == 1 ? 1 : 2))
    case .or(let a, let b):
      let x = ev(a).bool
      if x == 1 { return .bool(1) }
      let y = ev(b).bool
      return .bool(y == 1 ? 1 : (x == 0 && y == 0 ? 0 : 2))
    case .not(let a):
      let x = ev(a).bool
      return .bool(x == 2 ? 2 : 1 - x)
    case .present(let a):
      switch ev(a) {
      case .int(let v): return .bool(v == none ? 0 : 1)
      case .real(let v): return .bool(v.isNaN ? 0 : 1)
      case .bool(let v): return .bool(v == 2 ? 0 : 1)
      }
    case .inList(let a, let items):
      let x = ev(a).int
      if x == none { return .bool(2) }
      return .bool(items.contains { ev($0).int == x } ? 1 : 0)
    case .inSet(let a, let s):
      let c = ev(a).int
      if c == none { return .bool(2) }
      return .bool(c >= 0 && c < setCounts[s].count && setCounts[s][Int(c)] > 0 ? 1 : 0)
    case .utcDay(let a):
      let t = ev(a).int
      if t == none { return .int(none) }
      let d = Timestamp.microsecondsPerDay
      return .int(t >= 0 ? t / d : (t - d + 1) / d)
    case .monthOf(let a):
      let x = ev(a).int
      return .int(x == none ? none : MonthOfDay.of(x))
    case .ifThen(let c, let a, let b, _):
      switch ev(c).bool {
      case 1: return ev(a)
      case 0: return ev(b)
      default:
        if case .int = ev(a) { return .int(none) }
        return .real(.nan)
      }
    case .least(let l, let integer), .greatest(let l, let integer):
      let least: Bool = if case .least = e { true } else { false }
      if integer {
        var best = none
        for x in l {
          let v = ev(x).int
          if v != none && (best == none || (least ? v < best : v > best)) { best = v }
        }
        return .int(best)
      }
      var best = Double.nan
      for x in l {
        let v = ev(x).real
        if !v.isNaN && (best.isNaN || (least ? v < best : v > best)) { best = v }
      }
      return .real(best)
    case .coalesce(let l, let integer):
      for x in l {
        let v = ev(x)
        if integer, v.int != none { return v }
        if !integer, !v.real.isNaN { return v }
      }
      return integer ? .int(none) : .real(.nan)
    case .abs(let a, let integer):
      if integer {
        let x = ev(a).int
        return .int(x == none ? none : Swift.abs(x))
      }
      return .real(Swift.abs(ev(a).real))
    case .periodStart: return .int(Int64(r.start.number))
    case .periodEnd: return .int(Int64(r.end.number))
    case .inPeriod(let a, let isMonth):
      let x = ev(a).int
      if x == none { return .bool(2) }
      if isMonth { return .bool(x >= Int64(r.first.index) && x <= Int64(r.last.index) ? 1 : 0) }
      return .bool(x >= Int64(r.start.number) && x <= Int64(r.end.number) ? 1 : 0)
    case .measure(let i):
      return entityMeasure(i, entity: entity, r)
    }
  }
}

extension CompareOp {
  func holds<T: Comparable>(_ x: T, _ y: T) -> Bool {
    switch self {
    case .eq: x == y
    case .ne: x != y
    case .lt: x < y
    case .le: x <= y
    case .gt: x > y
    case .ge: x >= y
    }
  }
}

extension MeasureSpec {
  /// What an exact accumulated value is divided by to give the reported number.
  var divisor: Double {
    if case .exact(let u) = valueType { return u.divisor }
    return 1
  }
}

extension ScopeExpr {
  /// Calls `body` with every measure the expression reads.
  func visitMeasures(_ body: (Int) -> Void) {
    switch self {
    case .number: break
    case .measure(let i): body(i)
    case .arith(_, let a, let b), .compare(_, let a, let b), .and(let a, let b), .or(let a, let b):
      a.visitMeasures(body)
      b.visitMeasures(body)
    case .negate(let a), .not(let a), .present(let a), .abs(let a), .trailing(_, let a): a.visitMeasures(body)
    case .ifThen(let a, let b, let c):
      a.visitMeasures(body)
      b.visitMeasures(body)
      c.visitMeasures(body)
    case .least(let l), .greatest(let l), .coalesce(let l): l.forEach { $0.visitMeasures(body) }
    }
  }

  /// The earliest month the expression reads for a range (states read the month before it).
  func earliestMonth(_ r: MonthRange) -> Month {
    switch self {
    case .number: return r.first
    case .measure: return r.first - 1
    case .arith(_, let a, let b), .compare(_, let a, let b), .and(let a, let b), .or(let a, let b):
      return Swift.min(a.earliestMonth(r), b.earliestMonth(r))
    case .negate(let a), .not(let a), .present(let a), .abs(let a): return a.earliestMonth(r)
    case .ifThen(let a, let b, let c):
      return Swift.min(a.earliestMonth(r), b.earliestMonth(r), c.earliestMonth(r))
    case .least(let l), .greatest(let l), .coalesce(let l): return l.map { $0.earliestMonth(r) }.min() ?? r.first
    case .trailing(let n, let a): return a.earliestMonth(r.trailing(n))
    }
  }
}
