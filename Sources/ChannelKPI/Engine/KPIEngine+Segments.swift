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
    segmentValues([(expr, dimension)], ranges: ranges, scope: scope, constraints: constraints)[0]
  }

  /// `segmentValues` for several expressions and dimensions at once: the splits that need the
  /// facts share one pass over each table.
  func segmentValues(
    _ requests: [(ScopeExpr, SegmentDimension)], ranges: [MonthRange], scope: Scope,
    constraints: [SegmentConstraint] = []
  ) -> [[String: [Double?]]?] {
    finishLoading()
    rebuildDirty()
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
    var out = [[String: [Double?]]?](repeating: nil, count: requests.count)
    var scans: [Int: [SegmentScan]] = [:]
    for (k, (expr, dimension)) in requests.enumerated() {
      guard case let (measure, trailing)? = Self.singleMeasure(expr) else { continue }
      let m = compiled.measures[measure]
      // A minimum or maximum is no sum of its segments' values.
      guard m.function != .min && m.function != .max else { continue }
      if m.table == .market {
        // Market figures belong to regions, not to partners.
        guard factConstraints.isEmpty, dimension == .region else { continue }
      }
      let windowed = trailing.map { n in ranges.map { $0.trailing(n) } } ?? ranges
      if let col = dimension.partnerColumn, factConstraints.isEmpty {
        var groups: [String: [Int32]] = [:]
        for r in members { groups[partnerAttribute(r, col) ?? Self.noSegment, default: []].append(r) }
        let keys = groups.keys.sorted()
        let values = evaluate(
          [.measure(measure)], groups: keys.map { (Scope(.network), groups[$0]!) }, ranges: windowed)
        var split: [String: [Double?]] = [:]
        for (s, key) in keys.enumerated() {
          split[key] = (0..<windowed.count).map { values[s * windowed.count + $0] }
        }
        out[k] = split
      } else if let scan = SegmentScan(
        engine: self, request: k, measure: measure, ranges: windowed, dimension: dimension, members: members,
        constraints: factConstraints)
      {
        scans[Self.tableIndex(m.table), default: []].append(scan)
      }
    }
    for (ti, var jobs) in scans.sorted(by: { $0.key < $1.key }) {
      forEachChunk(.range(0, applied[ti])) { sel in
        var v = ChunkVectors(nodes: programs[ti].nodes.count, capacity: sel.count)
        programs[ti].run(sel, columns: tables[ti], sets: setCounts, into: &v)
        for j in jobs.indices { jobs[j].add(sel, v, engine: self) }
      }
      for job in jobs { out[job.request] = job.result(engine: self) }
    }
    return out
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
}
