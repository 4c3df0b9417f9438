/// Upserts: records added or replaced by key, with the rows that read their sets applied again.
extension KPIEngine {
  /// Adds or replaces records (by key) and brings every measure up to date, touching only the
  /// accumulators of the facts that changed, and says what changed.
  @discardableResult
  public func upsert(_ records: [FactRecord]) -> FactChange {
    precondition(keepsKeys, "a read-only engine (keepsKeys: false) cannot upsert")
    finishLoading()
    // Room for one contribution per measure of each record (more for replaced rows and states).
    let contributions = records.reduce(0) { $0 + plans[Self.tableIndex($1.table)].count }
    return reach(contributions: contributions) { upsertTracked(records) }
  }

  func upsertTracked(_ records: [FactRecord]) {
    for t in CanonicalTable.dependencyOrder {
      // Last one wins within a batch, as across batches.
      var latest: [[FieldValue]: Int] = [:]
      var batch: [FactRecord] = []
      for r in records where r.table == t {
        if let i = latest[r.key] {
          batch[i] = r
        } else {
          latest[r.key] = batch.count
          batch.append(r)
        }
      }
      if !batch.isEmpty { upsert(t, batch) }
    }
  }

  func upsert(_ t: CanonicalTable, _ batch: [FactRecord]) {
    let ti = Self.tableIndex(t)
    let encoded = batch.map { encode($0) }
    var replaced: [Int32] = []
    var fresh: [Int] = []
    for (i, e) in encoded.enumerated() {
      if let r = existingRow(t, e) { replaced.append(r) } else { fresh.append(i) }
    }
    // Rows elsewhere whose membership in a set built from this table may change. The batch's own
    // rows are taken out and put back by the upsert itself, not also as dependents.
    let own = Set(replaced)
    var dependents: [(CanonicalTable, [Int32])] = []
    for sp in setPlans[ti] {
      var codes: Set<Int64> = []
      let valueColumn: Int? = if case .column(let c) = compiled.sets[sp.set].value { c } else { nil }
      if let vc = valueColumn {
        for r in replaced { codes.insert(tables[ti].value(r, vc)) }
        for e in encoded { codes.insert(e[vc]) }
      }
      for reader in setReaders[sp.set] {
        let rti = Self.tableIndex(reader.table)
        var rows: [Int32] = []
        for c in codes where c >= 0 {
          if reader.table.schema.keyIndexes == [reader.column] {
            if let r = rowByCode[rti][Int(c)], Int(r) < applied[rti] { rows.append(r) }
          } else {
            for r in 0..<Int32(applied[rti]) where tables[rti].value(r, reader.column) == c { rows.append(r) }
          }
        }
        if reader.table == t { rows.removeAll { own.contains($0) } }
        if !rows.isEmpty { dependents.append((reader.table, rows)) }
      }
    }
    for (dt, rows) in dependents { forEachChunk(.rows(rows[...])) { apply(dt, $0, sign: -1) } }
    if !replaced.isEmpty { forEachChunk(.rows(replaced[...])) { apply(t, $0, sign: -1) } }
    var touched = replaced
    var k = 0
    for (i, e) in encoded.enumerated() {
      if k < fresh.count && fresh[k] == i {
        k += 1
        let row = tables[ti].append(e)
        indexKey(t, e, row: row)
        addToEntity(t, entity(t, e), row)
        touched.append(row)
      } else if let r = existingRow(t, e) {
        replaceRow(t, r, with: e)
      }
    }
    forEachChunk(.rows(touched[...])) { apply(t, $0, sign: 1) }
    applied[ti] = tables[ti].count
    for (dt, rows) in dependents { forEachChunk(.rows(rows[...])) { apply(dt, $0, sign: 1) } }
  }
}
