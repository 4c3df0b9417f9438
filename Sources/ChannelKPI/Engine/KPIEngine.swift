/// The in-memory KPI engine: facts in columnar tables with dense ids, and per-partner monthly
/// accumulators for every measure of a compiled catalog, kept up to date as facts arrive.
///
/// Reads combine accumulators (a scope's months and members), never the facts themselves.
/// Not thread-safe: callers serialize access (the server wraps it in an actor).
public final class KPIEngine {
  public let compiled: CompiledCatalog
  /// One dictionary per domain (values that reference each other share one).
  var pools: [StringPool] = []
  var domainIndex: [String: Int] = [:] {
    didSet { columnPools = Self.noColumnPools }
  }
  /// Per table and column, the index of the column's dictionary in `pools` once a string was
  /// encoded there (-1 before): encoding then finds it without hashing the domain's name.
  private var columnPools = KPIEngine.noColumnPools
  private static var noColumnPools: [[Int]] {
    CanonicalTable.allCases.map { Array(repeating: -1, count: $0.schema.columns.count) }
  }
  var tables: [FactColumns]
  var programs: [RowProgram]
  var plans: [[MeasurePlan]]
  var setPlans: [[SetPlan]]
  var entityNodes: [Int]
  var setCounts: [[Int32]]
  /// Per set, the table and key column whose rows read it (`x in (set)` where x is that column).
  var setReaders: [[(table: CanonicalTable, column: Int)]]
  /// Everything facts accumulate into; `apply` takes it out while it works so that updates
  /// happen in place without exclusivity checks per value.
  var acc: Accumulators
  /// While `upsert` runs: what it changed (see `FactChange`).
  var tracking: ChangeTracking?
  var rowByCode: [CodeIndex]
  var rowByComposite: [CompositeIndex]
  /// Per table, each partner's (for market, region's) rows, kept only where a minimum or maximum
  /// reads the table (`keepsEntityRows`): they rebuild an extreme whose row went away.
  var rowsByEntity: [[[Int32]]]
  let keepsEntityRows: [Bool]
  /// Tables whose rows by partner a snapshot did not carry: found from the columns when first
  /// needed.
  var entityRowsMissing: [Bool]
  var applied: [Int]
  /// Filters and values of aggregates over partners, with text literals bound to codes.
  var boundFilters: [Int: RowExpr] = [:]
  /// The plan of each measure, by measure number.
  var planOf: [MeasurePlan] = []
  var boundValues: [Int: RowExpr] = [:]
  /// The first and last day of any date in the data.
  public internal(set) var coverage: ClosedRange<Int32>?
  /// The first and last day of any date in the activity tables: every table but partners (whose
  /// joined_on may lie years before the first exported deal) and market. Periods that end before
  /// it are before the data begins, not a history of zeros.
  public internal(set) var activity: ClosedRange<Int32>?

  /// Whether a table's dates are activity (see `activity`).
  static func isActivity(_ t: CanonicalTable) -> Bool { t != .partners && t != .market }

  static func tableIndex(_ t: CanonicalTable) -> Int { t.ordinal }

  /// The column that decides which entity a row feeds: its partner, or for market its region.
  static func entityColumn(_ t: CanonicalTable) -> Int { t == .market ? 0 : t.schema.partnerColumn! }

  /// Whether rows can be upserted by key later (a read-only engine keeps no key index, and only
  /// the key columns formulas read, which saves memory and load time for one-off computations).
  /// Such an engine also keeps the columns that reading it as of a past day takes
  /// (`asOfColumns`); a read-only one keeps them only when asked for.
  public let keepsKeys: Bool

  /// `extraColumns` are kept besides those the formulas read, for readers of single facts such as
  /// incentive plans (`KPIEngine.incentiveColumns`).
  public convenience init(
    catalog: CompiledCatalog, keepsKeys: Bool = true, extraColumns: [CanonicalTable: [String]] = [:]
  ) {
    self.init(catalog: catalog, keepsKeys: keepsKeys, extraColumns: extraColumns, like: nil)
  }

  /// With `like`, the new engine keeps the same columns and starts from the same dictionaries, so
  /// that rows encoded by `like` can be staged into it as they are.
  init(catalog: CompiledCatalog, keepsKeys: Bool, extraColumns: [CanonicalTable: [String]], like: KPIEngine?) {
    compiled = catalog
    if let like {
      pools = like.pools
      domainIndex = like.domainIndex
    }
    self.keepsKeys = keepsKeys
    let measures = catalog.measures
    // Columns every table keeps: keys, owners, and whatever formulas read.
    var keep: [CanonicalTable: Set<Int>] = [:]
    for t in CanonicalTable.allCases {
      // An engine that is kept up to date (a server's) can also be read as of a past day.
      var k =
        keepsKeys
        ? Set(t.schema.keyIndexes).union(t.knownAsOf.columns)
          .union((Self.milestoneColumns[t] ?? []).compactMap { t.schema.index[$0] }) : []
      for name in extraColumns[t] ?? [] { if let c = t.schema.index[name] { k.insert(c) } }
      if let p = t.schema.partnerColumn { k.insert(p) }
      if t == .partners { k = Set(t.schema.columns.indices) }
      if t == .market { k.insert(t.schema.index["region"]!) }
      keep[t] = k
    }
    func collect(_ e: RowExpr?, _ t: CanonicalTable) {
      guard let e else { return }
      e.visitColumns { keep[t, default: []].insert($0) }
    }
    for m in measures {
      collect(m.filter, m.table)
      collect(m.value, m.table)
      switch m.time {
      case .dated(let x): collect(x, m.table)
      case .state(let f, let u, _), .stateThrough(let f, let u): collect(f, m.table); collect(u, m.table)
      default: break
      }
    }
    for s in catalog.sets {
      collect(s.filter, s.table)
      collect(s.value, s.table)
    }
    if let like {
      for t in CanonicalTable.allCases {
        keep[t] = Set(like.tables[t.ordinal].kept.indices.filter { like.tables[t.ordinal].kept[$0] })
      }
    }
    tables = CanonicalTable.allCases.map { FactColumns($0, keep: keep[$0] ?? []) }
    programs = Array(repeating: RowProgram(), count: CanonicalTable.allCases.count)
    plans = Array(repeating: [], count: CanonicalTable.allCases.count)
    setPlans = Array(repeating: [], count: CanonicalTable.allCases.count)
    entityNodes = Array(repeating: -1, count: CanonicalTable.allCases.count)
    setCounts = Array(repeating: [], count: catalog.sets.count)
    setReaders = Array(repeating: [], count: catalog.sets.count)
    rowByCode = Array(repeating: CodeIndex(), count: CanonicalTable.allCases.count)
    rowByComposite = Array(repeating: CompositeIndex(), count: CanonicalTable.allCases.count)
    rowsByEntity = Array(repeating: [], count: CanonicalTable.allCases.count)
    entityRowsMissing = Array(repeating: false, count: CanonicalTable.allCases.count)
    keepsEntityRows = CanonicalTable.allCases.map { t in
      measures.contains { m in
        m.table == t && m.function != .countDistinct && Self.slotKind(m).isExtreme
          && { if case .perPeriod = m.time { false } else { true } }()
      }
    }
    applied = Array(repeating: 0, count: CanonicalTable.allCases.count)

    // Slots, grouped by kind so that merges run over contiguous ranges.
    var monthly: [(measure: Int, kind: SlotKind, market: Bool)] = []
    var allTime: [(measure: Int, kind: SlotKind)] = []
    for (i, m) in measures.enumerated() {
      guard m.function != .countDistinct else { continue }
      let kind = Self.slotKind(m)
      switch m.time {
      case .perPeriod: continue
      case .allTime: allTime.append((i, kind))
      default: monthly.append((i, kind, m.table == .market))
      }
    }
    monthly.sort { ($0.kind.rawValue, $0.measure) < ($1.kind.rawValue, $1.measure) }
    allTime.sort { ($0.kind.rawValue, $0.measure) < ($1.kind.rawValue, $1.measure) }
    var slotOf: [Int: Int] = [:]
    var partnerKinds: [SlotKind] = []
    var regionKinds: [SlotKind] = []
    for s in monthly {
      if s.market {
        slotOf[s.measure] = regionKinds.count
        regionKinds.append(s.kind)
      } else {
        slotOf[s.measure] = partnerKinds.count
        partnerKinds.append(s.kind)
      }
    }
    var allTimeKinds: [SlotKind] = []
    for s in allTime {
      slotOf[s.measure] = allTimeKinds.count
      allTimeKinds.append(s.kind)
    }
    acc = Accumulators(
      partnerSeries: SeriesStore(kinds: partnerKinds), regionSeries: SeriesStore(kinds: regionKinds),
      allTimeKinds: allTimeKinds)

    for t in CanonicalTable.allCases {
      let ti = Self.tableIndex(t)
      var program = RowProgram()
      let code: (String, String) -> Int64 = { [unowned self] s, d in self.intern(s, domain: d) }
      entityNodes[ti] = program.node(.column(Self.entityColumn(t)), code: code)
      for (i, m) in measures.enumerated() where m.table == t {
        let time: MeasurePlan.Time
        switch m.time {
        case .allTime: time = .allTime
        case .perPeriod: time = .perPeriod
        case .dated(let x): time = .dated(month: program.node(x, code: code))
        case .state(let f, let u, _):
          time = .state(from: program.node(f, code: code), until: u.map { program.node($0, code: code) })
        case .stateThrough(let f, let u):
          time = .stateThrough(from: program.node(f, code: code), until: u.map { program.node($0, code: code) })
        }
        if case .perPeriod = time {
          boundFilters[i] = m.filter.map { bindTexts($0) }
          boundValues[i] = m.value.map { bindTexts($0) }
          plans[ti].append(
            MeasurePlan(
              measure: i, function: m.function, filter: nil, value: nil, valueIsReal: false,
              time: time, slot: -1, kind: .sumInt))
          continue
        }
        let filter = m.filter.map { program.node($0, code: code) }
        let value = m.value.map { program.node($0, code: code) }
        plans[ti].append(
          MeasurePlan(
            measure: i, function: m.function, filter: filter, value: value,
            valueIsReal: m.valueType.map { !$0.isInteger } ?? false, time: time, slot: slotOf[i] ?? -1,
            kind: Self.slotKind(m)))
      }
      for (si, s) in catalog.sets.enumerated() where s.table == t {
        setPlans[ti].append(
          SetPlan(
            set: si, filter: s.filter.map { program.node($0, code: code) }, value: program.node(s.value, code: code)))
      }
      programs[ti] = program
    }
    var byMeasure = [MeasurePlan?](repeating: nil, count: measures.count)
    for ps in plans { for p in ps { byMeasure[p.measure] = p } }
    planOf = byMeasure.map { $0! }
    // Who reads each set, so that a change to the set re-applies exactly those rows: a measure's
    // filter, value or dates (a set's own condition cannot read a set: the compiler refuses it).
    func readers(_ e: RowExpr?, of t: CanonicalTable) {
      e?.visitSets { set, lhs in
        if case .column(let c) = lhs, !setReaders[set].contains(where: { $0.table == t && $0.column == c }) {
          setReaders[set].append((t, c))
        }
      }
    }
    for m in measures {
      readers(m.filter, of: m.table)
      readers(m.value, of: m.table)
      switch m.time {
      case .dated(let x): readers(x, of: m.table)
      case .state(let f, let u, _), .stateThrough(let f, let u):
        readers(f, of: m.table)
        readers(u, of: m.table)
      case .allTime, .perPeriod: break
      }
    }
  }

  /// The expression with its text literals replaced by their dictionary codes.
  func bindTexts(_ e: RowExpr) -> RowExpr {
    e.mapTexts { s, d in .int(intern(s, domain: d)) }
  }

  static func slotKind(_ m: MeasureSpec) -> SlotKind {
    let real = m.valueType.map { !$0.isInteger } ?? false
    switch m.function {
    case .count, .countDistinct: return .sumInt
    case .sum: return real ? .sumReal : .sumInt
    case .min: return real ? .minReal : .minInt
    case .max: return real ? .maxReal : .maxInt
    }
  }

  // MARK: Encoding

  func poolIndex(_ domain: String) -> Int {
    if let i = domainIndex[domain] { return i }
    pools.append(StringPool())
    domainIndex[domain] = pools.count - 1
    return pools.count - 1
  }

  func pool(_ domain: String) -> StringPool { domainIndex[domain].map { pools[$0] } ?? StringPool() }

  func intern(_ s: String, domain: String) -> Int64 { Int64(pools[poolIndex(domain)].intern(s)) }

  /// The code of a string in a domain, if the engine has seen it.
  func code(_ s: String, domain: String) -> Int32? { domainIndex[domain].flatMap { pools[$0].code(of: s) } }

  /// Encodes a record's values for the columnar tables (strings become codes of their domain).
  func encode(_ record: FactRecord) -> [Int64] {
    var out: [Int64] = []
    encode(record, into: &out)
    return out
  }

  /// Encodes a record into `out`, replacing what it held (a loader keeps one buffer for all rows).
  func encode(_ record: FactRecord, into out: inout [Int64]) {
    let schema = record.table.schema
    let activity = Self.isActivity(record.table)
    let ti = Self.tableIndex(record.table)
    out.removeAll(keepingCapacity: true)
    out.append(contentsOf: repeatElement(FactColumns.absent64, count: schema.columns.count))
    for (i, v) in record.values.enumerated() {
      switch v {
      case .absent: continue
      case .string(let s):
        var p = columnPools[ti][i]
        if p < 0 {
          p = poolIndex(schema.columns[i].domain)
          columnPools[ti][i] = p
        }
        out[i] = Int64(pools[p].intern(s))
      case .day(let d): out[i] = Int64(d.number); noteDay(d.number, activity: activity)
      case .month(let m): out[i] = Int64(m.index); noteDay(m.firstDay.number, activity: activity)
      case .money(let c), .int(let c): out[i] = c
      case .timestamp(let t): out[i] = t.microseconds; noteDay(t.utcDay.number, activity: activity)
      }
    }
  }

  func noteDay(_ d: Int32, activity isActivity: Bool) {
    Self.widen(&coverage, d)
    if isActivity { Self.widen(&activity, d) }
  }

  private static func widen(_ range: inout ClosedRange<Int32>?, _ d: Int32) {
    if let c = range {
      if d < c.lowerBound || d > c.upperBound { range = Swift.min(d, c.lowerBound)...Swift.max(d, c.upperBound) }
    } else {
      range = d...d
    }
  }

  func existingRow(_ t: CanonicalTable, _ encoded: [Int64]) -> Int32? {
    let ti = Self.tableIndex(t)
    let key = t.schema.keyIndexes
    if key.count == 1 {
      return rowByCode[ti][Int(encoded[key[0]])]
    }
    let composite = compositeKey(t, encoded)
    // Checked before the key reader is made: most new rows come in key order and need no lookup.
    guard rowByComposite[ti].mayHold(composite) else { return nil }
    return rowByComposite[ti].row(composite, keyOf: storedKey(t))
  }

  private func compositeKey(_ t: CanonicalTable, _ encoded: [Int64]) -> CompositeKey {
    let k = t.schema.keyIndexes
    return CompositeKey(a: encoded[k[0]], b: encoded[k[1]], c: k.count > 2 ? encoded[k[2]] : 0)
  }

  /// The composite key of a stored row, read from its columns.
  private func storedKey(_ t: CanonicalTable) -> (Int32) -> CompositeKey {
    let k = t.schema.keyIndexes
    let columns = tables[Self.tableIndex(t)]
    return { r in
      CompositeKey(a: columns.value(r, k[0]), b: columns.value(r, k[1]), c: k.count > 2 ? columns.value(r, k[2]) : 0)
    }
  }

  func indexKey(_ t: CanonicalTable, _ encoded: [Int64], row: Int32) {
    let ti = Self.tableIndex(t)
    let key = t.schema.keyIndexes
    if key.count == 1 {
      rowByCode[ti].set(Int(encoded[key[0]]), row: row)
    } else {
      rowByComposite[ti].insert(row, key: compositeKey(t, encoded), keyOf: storedKey(t))
    }
  }

  func entity(_ t: CanonicalTable, _ encoded: [Int64]) -> Int64 { encoded[Self.entityColumn(t)] }

  func addToEntity(_ t: CanonicalTable, _ e: Int64, _ row: Int32) {
    let ti = Self.tableIndex(t)
    guard e >= 0, keepsEntityRows[ti], !entityRowsMissing[ti] else { return }
    if Int(e) >= rowsByEntity[ti].count {
      rowsByEntity[ti].append(contentsOf: repeatElement([], count: Int(e) - rowsByEntity[ti].count + 1))
    }
    rowsByEntity[ti][Int(e)].append(row)
  }

  /// Replaces a row's values, moving it to its new entity's rows when its entity changed.
  func replaceRow(_ t: CanonicalTable, _ r: Int32, with encoded: [Int64]) {
    let ti = Self.tableIndex(t)
    let old = tables[ti].value(r, Self.entityColumn(t))
    tables[ti].replace(r, with: encoded)
    let e = entity(t, encoded)
    if old != e {
      removeFromEntity(t, old, r)
      addToEntity(t, e, r)
    }
  }

  func removeFromEntity(_ t: CanonicalTable, _ e: Int64, _ row: Int32) {
    let ti = Self.tableIndex(t)
    guard e >= 0, Int(e) < rowsByEntity[ti].count, let i = rowsByEntity[ti][Int(e)].lastIndex(of: row) else { return }
    rowsByEntity[ti][Int(e)].remove(at: i)
  }

  // MARK: Loading

  /// Stores a row without applying it to the measures (bulk loading; call `finishLoading()` after).
  /// A row whose key was already loaded replaces it.
  func stage(_ t: CanonicalTable, _ encoded: [Int64]) {
    let ti = Self.tableIndex(t)
    guard keepsKeys else {
      // Rows come from a store whose keys are unique, and are never removed, so no minimum
      // will need rebuilding from a partner's rows either.
      _ = tables[ti].append(encoded)
      return
    }
    if let r = existingRow(t, encoded) {
      precondition(Int(r) >= applied[ti], "staging can only replace rows not yet applied; use upsert")
      replaceRow(t, r, with: encoded)
      return
    }
    let row = tables[ti].append(encoded)
    indexKey(t, encoded, row: row)
    addToEntity(t, entity(t, encoded), row)
  }

  /// The most rows per table `reserve` makes room for (a hash table of 2^27 slots, 670 MB).
  static let reserveLimit = 1 << 26

  /// Makes room for about `rows` rows per table before a bulk load: the dictionary of each
  /// table's own ids, or the index of a table keyed by several columns, is sized for that many,
  /// so it is not hashed again each time it doubles. An estimate is enough: fewer rows leave the
  /// room unused, more grow the dictionary as usual.
  public func reserve(rows: [CanonicalTable: Int]) { reserve(rows: rows, limit: Self.reserveLimit) }

  /// `reserve(rows:)` making room for at most `limit` rows per table: beyond that (an estimate
  /// far off, or a table that large), the dictionary is left to grow.
  func reserve(rows: [CanonicalTable: Int], limit: Int) {
    // Table by table in a fixed order: dictionaries made here are numbered in the order made.
    for t in CanonicalTable.allCases {
      let n = min(rows[t] ?? 0, limit)
      guard n > 0 else { continue }
      if t.schema.keyIndexes.count == 1 {
        let domain = t.schema.columns[t.schema.keyIndexes[0]].domain
        pools[poolIndex(domain)].reserve(n)
      } else if keepsKeys {
        rowByComposite[Self.tableIndex(t)].reserve(n, keyOf: storedKey(t))
      }
    }
  }

  /// Stores one validated record without applying it, as `load` does (for a caller that streams
  /// records one at a time into a new engine).
  public func load(_ record: FactRecord) {
    precondition(applied.allSatisfy { $0 == 0 }, "rows were applied already; use upsert")
    stage(record.table, encode(record))
  }

  /// Stores validated records without applying them (bulk loading into a new engine; once rows
  /// have been applied, records go through `upsert` instead).
  public func load(_ records: [FactRecord]) {
    if applied.contains(where: { $0 > 0 }) {
      upsert(records)
      return
    }
    var row: [Int64] = []
    for r in records {
      encode(r, into: &row)
      stage(r.table, row)
    }
  }

  /// Applies every staged row: first the sets, then all measures, one pass per table.
  public func finishLoading() {
    for t in CanonicalTable.dependencyOrder {
      let ti = Self.tableIndex(t)
      guard !setPlans[ti].isEmpty, applied[ti] < tables[ti].count else { continue }
      forEachChunk(.range(applied[ti], tables[ti].count)) { sel in apply(t, sel, sign: 1, measures: false, sets: true) }
    }
    for t in CanonicalTable.dependencyOrder {
      let ti = Self.tableIndex(t)
      guard applied[ti] < tables[ti].count else { continue }
      forEachChunk(.range(applied[ti], tables[ti].count)) { sel in apply(t, sel, sign: 1, measures: true, sets: false) }
      applied[ti] = tables[ti].count
    }
  }

  static let chunkSize = 2048

  func forEachChunk(_ sel: RowSelection, _ body: (RowSelection) -> Void) {
    switch sel {
    case .range(let a, let b):
      var s = a
      while s < b {
        let e = Swift.min(b, s + Self.chunkSize)
        body(.range(s, e))
        s = e
      }
    case .rows(let rows):
      var s = rows.startIndex
      while s < rows.endIndex {
        let e = Swift.min(rows.endIndex, s + Self.chunkSize)
        body(.rows(rows[s..<e]))
        s = e
      }
    }
  }

}
