/// One split of a sum or count over its table's facts, by a column of the table or by an
/// attribute of each fact's partner, added up chunk by chunk. Several share one run of the
/// table's row program (`KPIEngine.segmentValues`), so a breakdown by many dimensions reads the
/// facts once. Segments are small integer slots while scanning and named at the end.
struct SegmentScan {
  /// Which request of the batch it answers.
  let request: Int
  private let measure: Int
  private let plan: MeasurePlan
  private let stateDay: StateDay
  private let first: [Int64]
  private let last: [Int64]
  /// The slot of each partner entity's segment (for a column split: 0 for every member); -1 for
  /// partners outside the scope.
  private let entitySlot: [Int32]
  /// For a split by a fact column: the column and the slot of each code seen so far.
  private let segmentColumn: Int?
  private var codeSlot: [Int32]
  private var noneSlot: Int32 = -1
  private let domain: String
  /// Each fact must hold these codes (drill-down constraints on the table's columns).
  private let required: [(column: Int, code: Int64)]
  private var names: [String] = []
  private var seen: [Bool] = []
  /// Slot-major sums: `sums[slot * ranges + k]`.
  private var ints: [Int64] = []
  private var reals: [Double] = []

  /// Nil when the measure cannot be split by the dimension over its facts (see
  /// `KPIEngine.segmentValues`).
  init?(
    engine: KPIEngine, request: Int, measure: Int, ranges: [MonthRange], dimension: SegmentDimension,
    members: [Int32], constraints: [SegmentConstraint]
  ) {
    let m = engine.compiled.measures[measure]
    let plan = engine.planOf[measure]
    guard m.function == .sum || m.function == .count, plan.kind == .sumInt || plan.kind == .sumReal else { return nil }
    switch m.time {
    case .dated, .state, .allTime: break
    case .stateThrough, .perPeriod: return nil
    }
    let t = m.table
    let ti = KPIEngine.tableIndex(t)
    let schema = t.schema
    // Which column of the fact names its segment, and which must hold the constrained codes.
    func columnIndex(_ d: SegmentDimension) -> Int? {
      guard case .column(let table, let name) = d, table == t, let c = schema.index[name], engine.tables[ti].kept[c]
      else { return nil }
      return c
    }
    var required: [(column: Int, code: Int64)] = []
    for c in constraints {
      guard let col = columnIndex(c.dimension) else { return nil }
      // `(none)` is the facts without a value; a segment the engine never saw holds no facts.
      let code =
        c.segment == KPIEngine.noSegment
        ? FactColumns.absent64 : engine.code(c.segment, domain: schema.columns[col].domain).map(Int64.init) ?? -3
      required.append((col, code))
    }
    let segmentColumn = columnIndex(dimension)
    if dimension.partnerColumn == nil && segmentColumn == nil { return nil }
    self.request = request
    self.measure = measure
    self.plan = plan
    self.stateDay = if case .state(_, _, let d) = m.time { d } else { .end }
    self.first = ranges.map { Int64($0.first.index) }
    self.last = ranges.map { Int64($0.last.index) }
    self.required = required
    self.segmentColumn = segmentColumn
    let domain = segmentColumn.map { schema.columns[$0].domain } ?? ""
    self.domain = domain
    self.codeSlot = [Int32](repeating: -1, count: segmentColumn == nil ? 0 : engine.pool(domain).count)
    // The segment of each partner entity, for partner dimensions, and which entities count.
    var slots: [Int32: Int32] = [:]
    var bySegment: [String: Int32] = [:]
    for r in members {
      let segment = dimension.partnerColumn.map { engine.partnerAttribute(r, $0) ?? KPIEngine.noSegment } ?? ""
      let slot: Int32
      if segmentColumn != nil {
        slot = 0
      } else if let s = bySegment[segment] {
        slot = s
      } else {
        slot = Int32(bySegment.count)
        bySegment[segment] = slot
      }
      slots[engine.partnerEntity(r)] = slot
    }
    var entitySlot = [Int32](repeating: -1, count: Int((slots.keys.max() ?? -1) + 1))
    for (e, s) in slots where e >= 0 { entitySlot[Int(e)] = s }
    self.entitySlot = entitySlot
    if segmentColumn == nil {
      for (name, _) in bySegment.sorted(by: { $0.value < $1.value }) { addSlot(name) }
    }
  }

  private mutating func addSlot(_ name: String) {
    names.append(name)
    seen.append(false)
    ints += [Int64](repeating: 0, count: first.count)
    reals += [Double](repeating: 0, count: first.count)
  }

  /// Adds one chunk's facts, with the vectors of the table's row program over it.
  mutating func add(_ sel: RowSelection, _ v: ChunkVectors, engine: KPIEngine) {
    let none = RowProgram.noInt
    let ti = KPIEngine.tableIndex(engine.compiled.measures[measure].table)
    let columns = engine.tables[ti]
    let entities = v.ints[engine.entityNodes[ti]]
    let filter = plan.filter.map { v.bools[$0] }
    let intValues = plan.value.flatMap { plan.valueIsReal ? nil : v.ints[$0] }
    let realValues = plan.value.flatMap { plan.valueIsReal ? v.reals[$0] : nil }
    let ranges = first.count
    for i in 0..<sel.count {
      if let filter, filter[i] != 1 { continue }
      let e = entities[i]
      guard e != none, e >= 0, e < entitySlot.count else { continue }
      var slot = entitySlot[Int(e)]
      if slot < 0 { continue }
      let row = sel.row(i)
      if required.contains(where: { columns.value(row, $0.column) != $0.code }) { continue }
      var iv: Int64 = 1
      var rv = 0.0
      if let intValues {
        iv = intValues[i]
        if iv == none { continue }
      } else if let realValues {
        rv = realValues[i]
        if rv.isNaN { continue }
      }
      if let sc = segmentColumn {
        let code = columns.value(row, sc)
        if code == FactColumns.absent64 || code < 0 || Int(code) >= codeSlot.count {
          if noneSlot < 0 {
            noneSlot = Int32(names.count)
            addSlot(KPIEngine.noSegment)
          }
          slot = noneSlot
        } else {
          if codeSlot[Int(code)] < 0 {
            codeSlot[Int(code)] = Int32(names.count)
            addSlot(engine.pool(domain)[Int32(code)])
          }
          slot = codeSlot[Int(code)]
        }
      }
      // A segment with a dated fact is listed even when the fact falls in neither period.
      let base = Int(slot) * ranges
      // How much of the fact counts in each range: 1 or 0, or for states the net of start and end.
      switch plan.time {
      case .dated(let mn):
        let month = v.ints[mn][i]
        if month == none { continue }
        seen[Int(slot)] = true
        for k in 0..<ranges where month >= first[k] && month <= last[k] {
          if plan.valueIsReal { reals[base + k] += rv } else { ints[base + k] &+= iv }
        }
      case .state(let fn, let un), .stateThrough(let fn, let un):
        let f = v.ints[fn][i]
        if f == none { continue }
        let u = un.map { v.ints[$0][i] } ?? none
        if u != none && u < f { continue }
        seen[Int(slot)] = true
        let fm = MonthOfDay.of(f)
        let um = u == none ? Int64.max : MonthOfDay.of(u)
        for k in 0..<ranges {
          let at = stateDay == .end ? last[k] : first[k] - 1
          let w: Int64 = (fm <= at ? 1 : 0) - (um <= at ? 1 : 0)
          if w == 0 { continue }
          if plan.valueIsReal { reals[base + k] += Double(w) * rv } else { ints[base + k] &+= w &* iv }
        }
      case .allTime:
        seen[Int(slot)] = true
        for k in 0..<ranges {
          if plan.valueIsReal { reals[base + k] += rv } else { ints[base + k] &+= iv }
        }
      case .perPeriod:
        continue
      }
    }
  }

  /// Each segment that holds a fact, with its value over each range.
  func result(engine: KPIEngine) -> [String: [Double?]] {
    let m = engine.compiled.measures[measure]
    let ranges = first.count
    var out: [String: [Double?]] = [:]
    for (slot, name) in names.enumerated() where seen[slot] {
      let base = slot * ranges
      out[name] =
        plan.valueIsReal
        ? (0..<ranges).map { reals[base + $0] }
        : (0..<ranges).map { engine.number(m, ints[base + $0], kind: plan.kind) }
    }
    return out
  }
}
