/// A partner's own rows of a table, found in the engine's columns: the partner page's latest deals
/// and its counts of activity. The store keeps no index by partner for them, so a batch of facts
/// writes a page per table it reaches rather than one more per partner.
extension KPIEngine {
  /// The date (or time) column each table's activity is dated by, kept by a server's engine.
  public static let activityColumns: [CanonicalTable: [String]] = [
    .deals: ["created_on"], .leads: ["created_on"], .campaigns: ["started_on"], .customers: ["acquired_on"],
    .surveys: ["responded_on"], .supportTickets: ["opened_at"], .certifications: ["completed_on"],
  ]

  /// The keys of a partner's newest rows of a table by a date or time column, newest first, at
  /// most `limit` (rows without a value come last; rows dated alike, the latest stored first).
  /// Nil when the table has no partner, the column is not a date or time, or the engine does not
  /// keep it or the table's keys.
  public func newestKeys(_ table: CanonicalTable, partner: String, by column: String, limit: Int) -> [[FieldValue]]? {
    guard keepsKeys, let (ti, c, found) = partnerRows(table, partner: partner, dateColumn: column) else { return nil }
    let cols = tables[ti]
    let newest = found.map { (cols.value($0, c), $0) }.sorted { $0 > $1 }.prefix(max(0, limit))
    return newest.map { key(of: $0.1, in: table) }
  }

  /// How many of a partner's rows of a table fall in `days` by a date or time column (a time
  /// counts on its UTC day). Nil as for `newestKeys`.
  public func count(_ table: CanonicalTable, partner: String, by column: String, in days: ClosedRange<Day>) -> Int? {
    guard let (ti, c, found) = partnerRows(table, partner: partner, dateColumn: column) else { return nil }
    let cols = tables[ti]
    let perDay: Int64 = table.schema.columns[c].type == .datetime ? Timestamp.microsecondsPerDay : 1
    let low = Int64(days.lowerBound.number) * perDay
    let high = (Int64(days.upperBound.number) + 1) * perDay
    return found.count { row in
      let v = cols.value(row, c)
      return v != FactColumns.absent64 && v >= low && v < high
    }
  }

  /// The rows of a partner in a table, with the table's index and the date column's.
  private func partnerRows(_ table: CanonicalTable, partner: String, dateColumn: String)
    -> (table: Int, column: Int, rows: [Int32])?
  {
    let schema = table.schema
    let ti = Self.tableIndex(table)
    guard table != .partners, let pc = schema.partnerColumn, let c = schema.index[dateColumn],
      schema.columns[c].type == .date || schema.columns[c].type == .datetime, tables[ti].kept[c]
    else { return nil }
    finishLoading()
    let n = Swift.min(tables[ti].count, applied[ti])
    guard let code = code(partner, domain: schema.columns[pc].domain) else { return (ti, c, []) }
    return (ti, c, tables[ti].rows(whereColumn: pc, is: Int64(code), below: n))
  }

  /// The key values of a stored row, in key column order.
  private func key(of row: Int32, in table: CanonicalTable) -> [FieldValue] {
    let schema = table.schema
    let cols = tables[Self.tableIndex(table)]
    return schema.keyIndexes.map { c in
      let v = cols.value(row, c)
      if v == FactColumns.absent64 { return .absent }
      let column = schema.columns[c]
      switch column.type {
      case .id, .text, .slug: return .string(pool(column.domain)[Int32(v)])
      case .date: return .day(Day(number: Int32(v)))
      case .month: return .month(Month(index: Int32(v)))
      case .money: return .money(v)
      case .int: return .int(v)
      case .datetime: return .timestamp(Timestamp(microseconds: v))
      }
    }
  }
}
