/// Receives the rows of a generated demo program, one at a time, as they are made.
public protocol DemoSink {
  /// Called once per row; `fields` are the canonical texts in `table.schema.columns` order, "" = absent.
  mutating func write(_ table: CanonicalTable, _ fields: [String])
}

/// A sink that only counts rows per table, e.g. to size or time a demo without keeping it.
public struct DemoRowCounter: DemoSink, Sendable {
  /// Rows seen per table.
  public private(set) var counts: [CanonicalTable: Int] = [:]

  public init() {}

  /// Rows seen over all tables.
  public var total: Int { counts.values.reduce(0, +) }

  public subscript(table: CanonicalTable) -> Int { counts[table] ?? 0 }

  public mutating func write(_ table: CanonicalTable, _ fields: [String]) {
    counts[table, default: 0] += 1
  }
}
