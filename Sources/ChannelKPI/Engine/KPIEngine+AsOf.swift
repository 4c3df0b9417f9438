/// The facts as they stood at the end of a past day (see `KnownAsOf`), for forecasts and backtests
/// made "as of" a period: rows that did not exist yet are left out and events that had not
/// happened yet (a deal's close, a lead's conversion) are undone.
extension KPIEngine {
  /// The columns an engine must keep to be read as of a past day.
  public static let asOfColumns: [CanonicalTable: [String]] = Dictionary(
    uniqueKeysWithValues: CanonicalTable.allCases.map { t in
      (t, t.knownAsOf.columns.sorted().map { t.schema.columns[$0].name })
    })

  /// The tables whose rows a KPI's value of a period up to some day may depend on in a way that
  /// reading the facts as of that day changes, or nil when no such dependence exists: every
  /// measure is dated by the very event whose later columns it reads (a win rate dated by
  /// `closed_on` that reads `stage`), or reads none.
  public func tablesChangedAsOf(_ kpi: String, variant: Int = 0) -> Set<CanonicalTable>? {
    guard variant >= 0, variant < compiled.variantCount, let expr = compiled.variants[variant][kpi] else { return nil }
    var changed = false
    var read: Set<CanonicalTable> = [.partners]
    // Measures of partners can read sets too.
    for i in measuresRead(by: expr) {
      let m = compiled.measures[i]
      read.insert(m.table)
      for e in [m.filter, m.value].compactMap({ $0 }) {
        e.visitSets { set, _ in read.insert(compiled.sets[set].table) }
      }
      if Self.changesAsOf(m) { changed = true }
    }
    return changed ? read : nil
  }

  /// Whether a measure's value for a period can differ between all facts and the facts as of any
  /// day at or after the period's end.
  static func changesAsOf(_ m: MeasureSpec) -> Bool {
    let known = m.table.knownAsOf
    let changing = known.changing
    var readsSet = false
    m.filter?.visitSets { _, _ in readsSet = true }
    if readsSet { return true }
    var content: Set<Int> = []
    m.filter?.visitColumns { content.insert($0) }
    m.value?.visitColumns { content.insert($0) }
    let later = content.intersection(changing)
    switch m.time {
    case .allTime, .perPeriod:
      return true
    case .dated(let x):
      // Rows dated in the period by their own event: that event, and all that hangs on it, had
      // happened by the period's end; rows that did not exist yet are dated after it.
      guard let d = x.dateColumn else { return true }
      return later.contains { known.event(touching: $0)?.date != d }
    case .state(let from, let until, _), .stateThrough(let from, let until):
      // A state on a day up to the cut-off is the same whether a later end is known or not, but a
      // condition on what the row became (a won deal) is not.
      guard case .column = from else { return true }
      if let until { guard case .column = until else { return true } }
      return !later.isEmpty
    }
  }

  /// A read-only engine with this engine's facts as they stood at the end of `day`, holding the
  /// rows of `tables` (and always partners). Nil when this engine does not keep the columns that
  /// takes (it was built without `asOfColumns`).
  public func asOf(_ day: Day, tables wanted: Set<CanonicalTable>) -> KPIEngine? {
    let read = wanted.union([.partners])
    for t in read {
      let kept = tables[t.ordinal].kept
      guard t.knownAsOf.columns.allSatisfy({ kept[$0] }) else { return nil }
    }
    let copy = KPIEngine(catalog: compiled, keepsKeys: false, extraColumns: [:], like: self)
    for t in CanonicalTable.dependencyOrder where read.contains(t) {
      copy.stage(rowsOf: t, from: tables[t.ordinal], asOf: day)
    }
    copy.coverage = Self.clamped(coverage, to: day)
    copy.activity = Self.clamped(activity, to: day)
    copy.finishLoading()
    return copy
  }

  private func stage(rowsOf t: CanonicalTable, from source: FactColumns, asOf day: Day) {
    let known = t.knownAsOf
    let schema = t.schema
    // The last encoded value of each column that is still on or before the day.
    let lastDay = Int64(day.number)
    let cutoff: [Int64] = schema.columns.map {
      switch $0.type {
      case .date: lastDay
      case .month: Int64(day.month.index)
      case .datetime: (lastDay + 1) * Timestamp.microsecondsPerDay - 1
      default: Int64.max
      }
    }
    let resets = known.events.map { e in
      e.resets.map { (column: $0.column, code: intern($0.value, domain: schema.columns[$0.column].domain)) }
    }
    let kept = source.kept.indices.filter { source.kept[$0] }
    var encoded = [Int64](repeating: FactColumns.absent64, count: schema.columns.count)
    func after(_ c: Int) -> Bool { encoded[c] != FactColumns.absent64 && encoded[c] > cutoff[c] }
    for r in 0..<Int32(source.count) {
      for c in kept { encoded[c] = source.value(r, c) }
      if known.origins.allSatisfy({ encoded[$0] == FactColumns.absent64 || after($0) }) { continue }
      for (k, e) in known.events.enumerated() where after(e.date) {
        encoded[e.date] = FactColumns.absent64
        for c in e.clears { encoded[c] = FactColumns.absent64 }
        for (c, code) in resets[k] { encoded[c] = code }
      }
      stage(t, encoded)
    }
  }

  private static func clamped(_ range: ClosedRange<Int32>?, to day: Day) -> ClosedRange<Int32>? {
    guard let range, range.lowerBound <= day.number else { return nil }
    return range.lowerBound...Swift.min(range.upperBound, day.number)
  }
}

extension RowExpr {
  /// Calls `body` with every measure the expression reads.
  func visitNestedMeasures(_ body: (Int) -> Void) {
    if case .measure(let i) = self { body(i) }
    for child in children { child.visitNestedMeasures(body) }
  }

  /// The column a date expression is, as a day, a timestamp's day or a month.
  var dateColumn: Int? {
    switch self {
    case .column(let c): c
    case .utcDay(let a), .monthOf(let a): a.dateColumn
    default: nil
    }
  }
}
