/// Loads rows into an engine value by value, without allocating per value (bulk loading from a
/// database cursor). Values are set by column index of the table's schema; `commit()` stages the
/// row and starts the next one. Rows are applied to the measures by `finishLoading()` or the
/// first read.
public struct RowLoader {
  let engine: KPIEngine
  public let table: CanonicalTable
  private var values: [Int64]
  private let pools: [Int]
  private let kept: [Bool]
  private let activity: Bool

  public init(engine: KPIEngine, table: CanonicalTable) {
    self.engine = engine
    self.table = table
    let schema = table.schema
    values = Array(repeating: FactColumns.absent64, count: schema.columns.count)
    pools = schema.columns.map { $0.type.isString ? engine.poolIndex($0.domain) : -1 }
    kept = engine.tables[table.ordinal].kept
    activity = KPIEngine.isActivity(table)
  }

  /// Whether the engine keeps a column (values of other columns need not be set).
  public func keeps(_ column: Int) -> Bool { kept[column] }

  /// An id, slug or text from its UTF-8 bytes.
  public mutating func setString(_ column: Int, utf8: UnsafeRawBufferPointer) {
    guard kept[column] else { return }
    values[column] = Int64(engine.pools[pools[column]].intern(utf8))
  }

  public mutating func setString(_ column: Int, _ s: String) {
    guard kept[column] else { return }
    values[column] = Int64(engine.pools[pools[column]].intern(s))
  }

  public mutating func setDay(_ column: Int, _ day: Day) {
    values[column] = Int64(day.number)
    engine.noteDay(day.number, activity: activity)
  }

  public mutating func setMonth(_ column: Int, _ month: Month) {
    values[column] = Int64(month.index)
    engine.noteDay(month.firstDay.number, activity: activity)
  }

  public mutating func setTimestamp(_ column: Int, _ t: Timestamp) {
    values[column] = t.microseconds
    engine.noteDay(t.utcDay.number, activity: activity)
  }

  /// Money in cents, or an integer.
  public mutating func setInteger(_ column: Int, _ v: Int64) { values[column] = v }

  public mutating func setAbsent(_ column: Int) { values[column] = FactColumns.absent64 }

  /// Stages the row and clears the values for the next one.
  public mutating func commit() {
    engine.stage(table, values)
    for i in values.indices { values[i] = FactColumns.absent64 }
  }
}
