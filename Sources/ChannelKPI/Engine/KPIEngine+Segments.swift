/// A way to split a scope's facts into segments: by an attribute of the partner a fact belongs
/// to, or by a column of the fact's own table.
public enum SegmentDimension: Hashable, Sendable, Comparable, CustomStringConvertible {
  case partner, type, region, tier
  case column(CanonicalTable, String)

  /// The columns facts can be split by, per table: the tables' own categories.
  public static let columns: [CanonicalTable: [String]] = [
    .deals: ["source", "product", "registration_status"],
    .campaigns: ["channel"],
    .customers: ["segment"],
    .certifications: ["program"],
  ]

  /// Every dimension, partner attributes first.
  public static let all: [SegmentDimension] =
    [.partner, .type, .region, .tier]
    + CanonicalTable.allCases.flatMap { t in (columns[t] ?? []).map { SegmentDimension.column(t, $0) } }

  /// The engine columns a dimension needs kept, for engines built to explain changes.
  public static let engineColumns: [CanonicalTable: [String]] = columns

  public var description: String {
    switch self {
    case .partner: "partner"
    case .type: "type"
    case .region: "region"
    case .tier: "tier"
    case .column(let t, let c): "\(t.rawValue).\(c)"
    }
  }

  /// The dimension in words, for sentences: `region`, `product`, `registration status`.
  public var words: String {
    switch self {
    case .column(_, let c): String(c.map { $0 == "_" ? " " : $0 })
    default: description
    }
  }

  /// A dimension from its name (`type`, `deals.source`); nil when there is none of that name.
  public init?(_ text: String) {
    guard let d = Self.all.first(where: { $0.description == text }) else { return nil }
    self = d
  }

  /// The partner attribute it reads, for partner dimensions.
  var partnerColumn: String? {
    switch self {
    case .partner: "partner_id"
    case .type: "type"
    case .region: "region"
    case .tier: "tier"
    case .column: nil
    }
  }

  public static func < (a: SegmentDimension, b: SegmentDimension) -> Bool {
    (all.firstIndex(of: a) ?? 0) < (all.firstIndex(of: b) ?? 0)
  }
}

/// One segment a drill-down has narrowed to.
public struct SegmentConstraint: Hashable, Sendable {
  public var dimension: SegmentDimension
  public var segment: String
  public init(_ dimension: SegmentDimension, _ segment: String) {
    self.dimension = dimension
    self.segment = segment
  }
}

extension KPIEngine {
  /// What a segment with no value for the dimension (a partner without a tier, a deal without a
  /// product) is called.
  public static let noSegment = "(none)"

  /// The partners (rows of `partners`) of a scope.
  func members(of scope: Scope) -> [Int32] {
    finishLoading()
    return scopeGroups(scope.kind, only: [scope]).first { $0.scope == scope }?.members ?? []
  }

  /// The value of a scope expression (a measure, maybe over trailing months) for each segment of
  /// a dimension, over each range, for the scope's partners and the facts that meet every
  /// constraint. Nil when the facts cannot be split this way: a minimum or maximum; a fact table's
  /// column for a measure over another table, a period-by-period aggregate over partners or a
  /// distinct count (which do not add up over facts); market figures by anything but region. A
  /// distinct count by partner attribute is split per group, and what groups share is left to
  /// the caller.
  func segmentValues(
    _ expr: ScopeExpr, ranges: [MonthRange], dimension: SegmentDimension, scope: Scope,
    constraints: [SegmentConstraint] = []
  ) -> [String: [Double?]]? {
    finishLoading()
    rebuildDirty()
    guard case let (measure, trailing)? = Self.singleMeasure(expr) else { return nil }
    let m = compiled.measures[measure]
    // A minimum or maximum is no sum of its segments' values.
    guard m.function != .min && m.function != .max else { return nil }
    var members = members(of: scope)
    // Partner attributes narrow the members; fact columns need the facts.
    var factConstraints: [SegmentConstraint] = []
    for c in constraints {
      if let col = c.dimension.partnerColumn {
        members = members.filter { (partnerAttribute($0, col) ?? Self.noSegment) == c.segment }
      } else {
        factConstraints.append(c)
      }
    }
    if m.table == .market {
      // Market figures belong to regions, not to partners.
      guard factConstraints.isEmpty, dimension == .region else { return nil }
    }
    let windowed = trailing.map { n in ranges.map { $0.trailing(n) } } ?? ranges
    if let col = dimension.partnerColumn, factConstraints.isEmpty {
      var groups: [String: [Int32]] = [:]
      for r in members { groups[partnerAttribute(r, col) ?? Self.noSegment, default: []].append(r) }
      let keys = groups.keys.sorted()
      let values = evaluate(
        [.measure(measure)], groups: keys.map { (Scope(.network), groups[$0]!) }, ranges: windowed)
      var out: [String: [Double?]] = [:]
      for (s, k) in keys.enumerated() {
        out[k] = (0..<windowed.count).map { values[s * windowed.count + $0] }
      }
      return out
    }
    return scanSegments(measure, ranges: windowed, dimension: dimension, members: members, constraints: factConstraints)
  }

  /// A measure alone, or over trailing months: what segments can be read for.
  static func singleMeasure(_ e: ScopeExpr) -> (Int, Int32?)? {
    switch e {
    case .measure(let i): return (i, nil)
    case .trailing(let n, .measure(let i)): return (i, n)
    default: return nil
    }
  }

  /// A partner's attribute as text (nil when absent).
  func partnerAttribute(_ row: Int32, _ column: String) -> String? {
    let schema = CanonicalTable.partners.schema
    guard let c = schema.index[column] else { return nil }
    let v = tables[Self.partnersIndex].value(row, c)
    return v == FactColumns.absent64 ? nil : pool(schema.columns[c].domain)[Int32(v)]
  }

  /// Splits a sum or count over its facts, reading each fact's segment: the column of its own
  /// table, or the attribute of its partner.
  private func scanSegments(
    _ measure: Int, ranges: [MonthRange], dimension: SegmentDimension, members: [Int32],
    constraints: [SegmentConstraint]
  ) -> [String: [Double?]]? {
    let m = compiled.measures[measure]
    let plan = planOf[measure]
    guard m.function == .sum || m.function == .count, plan.kind == .sumInt || plan.kind == .sumReal else { return nil }
    switch m.time {
    case .dated, .state, .allTime: break
    case .stateThrough, .perPeriod: return nil
    }
    let t = m.table
    let ti = Self.tableIndex(t)
    let schema = t.schema
    // Which column of the fact names its segment, and which must hold the constrained codes.
    func columnIndex(_ d: SegmentDimension) -> Int? {
      guard case .column(let table, let name) = d, table == t, let c = schema.index[name], tables[ti].kept[c] else {
        return nil
      }
      return c
    }
    var required: [(column: Int, code: Int64)] = []
    for c in constraints {
      guard let col = columnIndex(c.dimension) else { return nil }
      // `(none)` is the facts without a value; a segment the engine never saw holds no facts.
      let code =
        c.segment == Self.noSegment
        ? FactColumns.absent64 : self.code(c.segment, domain: schema.columns[col].domain).map(Int64.init) ?? -3
      required.append((col, code))
    }
    // The segment of each partner entity, for partner dimensions, and which entities count.
    var partnerSegment: [Int32: String] = [:]
    for r in members {
      let e = partnerEntity(r)
      partnerSegment[e] = dimension.partnerColumn.map { partnerAttribute(r, $0) ?? Self.noSegment } ?? ""
    }
    let segmentColumn = columnIndex(dimension)
    if dimension.partnerColumn == nil && segmentColumn == nil { return nil }
    let domain = segmentColumn.map { schema.columns[$0].domain } ?? ""
    var ints: [String: [Int64]] = [:]
    var reals: [String: [Double]] = [:]
    let none = RowProgram.noInt
    forEachChunk(.range(0, applied[ti])) { sel in
      let n = sel.count
      var v = ChunkVectors(nodes: programs[ti].nodes.count, capacity: n)
      programs[ti].run(sel, columns: tables[ti], sets: setCounts, into: &v)
      let entities = v.ints[entityNodes[ti]]
      let filter = plan.filter.map { v.bools[$0] }
      let intValues = plan.value.flatMap { plan.valueIsReal ? nil : v.ints[$0] }
      let realValues = plan.value.flatMap { plan.valueIsReal ? v.reals[$0] : nil }
      for i in 0..<n {
        if let filter, filter[i] != 1 { continue }
        let e = entities[i]
        guard e != none, let partnerKey = partnerSegment[Int32(truncatingIfNeeded: e)] else { continue }
        let row = sel.row(i)
        if required.contains(where: { tables[ti].value(row, $0.column) != $0.code }) { continue }
        let key: String
        if let sc = segmentColumn {
          let code = tables[ti].value(row, sc)
          key = code == FactColumns.absent64 ? Self.noSegment : pool(domain)[Int32(code)]
        } else {
          key = partnerKey
        }
        var iv: Int64 = 1
        var rv = 0.0
        if let intValues {
          iv = intValues[i]
          if iv == none { continue }
        } else if let realValues {
          rv = realValues[i]
          if rv.isNaN { continue }
        }
        // How much of the fact counts in each range (1, 0, or for states the net of start and end).
        var weights = [Int64](repeating: 0, count: ranges.count)
        switch plan.time {
        case .dated(let mn):
          let month = v.ints[mn][i]
          if month == none { continue }
          for (k, r) in ranges.enumerated() where month >= Int64(r.first.index) && month <= Int64(r.last.index) {
            weights[k] = 1
          }
        case .state(let fn, let un), .stateThrough(let fn, let un):
          let f = v.ints[fn][i]
          if f == none { continue }
          let u = un.map { v.ints[$0][i] } ?? none
          if u != none && u < f { continue }
          let fm = MonthOfDay.of(f)
          let um = u == none ? Int64.max : MonthOfDay.of(u)
          let day: StateDay = if case .state(_, _, let d) = m.time { d } else { .end }
          for (k, r) in ranges.enumerated() {
            let at = Int64(day == .end ? r.last.index : r.first.index - 1)
            weights[k] = (fm <= at ? 1 : 0) - (um <= at ? 1 : 0)
          }
        case .allTime:
          for k in weights.indices { weights[k] = 1 }
        case .perPeriod:
          continue
        }
        if plan.valueIsReal {
          var acc = reals[key] ?? [Double](repeating: 0, count: ranges.count)
          for k in weights.indices where weights[k] != 0 { acc[k] += Double(weights[k]) * rv }
          reals[key] = acc
        } else {
          var acc = ints[key] ?? [Int64](repeating: 0, count: ranges.count)
          for k in weights.indices where weights[k] != 0 { acc[k] &+= weights[k] &* iv }
          ints[key] = acc
        }
      }
    }
    var out: [String: [Double?]] = [:]
    for (k, a) in ints { out[k] = a.map { number(m, $0, kind: plan.kind) } }
    for (k, a) in reals { out[k] = a.map { $0 } }
    return out
  }
}
