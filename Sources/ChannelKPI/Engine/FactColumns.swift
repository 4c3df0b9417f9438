/// The rows of one canonical table, held column by column with dense integer encodings.
///
/// Dates are day numbers and months month indexes; ids, slugs and texts are dictionary codes;
/// money (cents), integers and timestamps (µs) are themselves. Absent is `Int64.min`. Each column
/// is packed into as few bytes per value as its values' range needs (`PackedColumn`).
struct FactColumns: Sendable {
  static let absent64 = PackedColumn.absent

  let table: CanonicalTable
  let schema: TableSchema
  private(set) var count = 0
  /// Per column, its values (empty for columns not kept).
  private(set) var columns: [PackedColumn]
  /// Whether each column is kept (columns no formula reads, such as a deal's product, are not).
  let kept: [Bool]
  /// Whether each column holds 64-bit values; the others hold values of 32 bits (dates, months,
  /// codes), to which they are cut as before the columns were packed.
  let isWide: [Bool]

  init(_ table: CanonicalTable, keep: Set<Int>) {
    self.table = table
    schema = table.schema
    columns = Array(repeating: PackedColumn(), count: schema.columns.count)
    kept = schema.columns.indices.map { keep.contains($0) }
    isWide = schema.columns.map { Self.isWide($0.type) }
  }

  static func isWide(_ t: FieldType) -> Bool { t == .money || t == .int || t == .datetime }

  mutating func reserve(_ n: Int) {
    for i in kept.indices where kept[i] { columns[i].reserve(n) }
  }

  @inline(__always) private func stored(_ v: Int64, _ column: Int) -> Int64 {
    isWide[column] || v == Self.absent64 ? v : Int64(Int32(truncatingIfNeeded: v))
  }

  /// Appends a row given as encoded values per column (ignored for columns not kept).
  mutating func append(_ encoded: [Int64]) -> Int32 {
    for i in 0..<kept.count where kept[i] { columns[i].append(stored(encoded[i], i)) }
    count += 1
    return Int32(count - 1)
  }

  mutating func replace(_ row: Int32, with encoded: [Int64]) {
    for i in 0..<kept.count where kept[i] { columns[i].set(Int(row), stored(encoded[i], i)) }
  }

  /// The value of a cell (absent = `Int64.min`).
  func value(_ row: Int32, _ column: Int) -> Int64 { columns[column][Int(row)] }

  /// The rows below `n` whose value in a kept column is `v`, in order.
  func rows(whereColumn column: Int, is v: Int64, below n: Int) -> [Int32] {
    columns[column].rows(equalTo: stored(v, column), below: n)
  }
}

extension FactColumns {
  /// Writes the kept columns, for an engine snapshot.
  func write(to w: inout SnapshotWriter) throws {
    try w.int(count)
    try w.array(kept.map { $0 ? UInt8(1) : 0 })
    for i in kept.indices where kept[i] { try columns[i].write(to: &w) }
  }

  /// Reads the columns `write` wrote into these (empty) columns: every column kept here must
  /// have been kept there; columns kept only there are skipped.
  mutating func read(from r: inout SnapshotReader) throws(SnapshotError) {
    let n = try r.int()
    let theirs = try r.array(UInt8.self)
    guard n >= 0, theirs.count == kept.count else {
      throw SnapshotError.mismatch("the snapshot's \(table.rawValue) has other columns")
    }
    for i in kept.indices where kept[i] && theirs[i] == 0 {
      throw SnapshotError.mismatch("the snapshot does not keep \(table.rawValue).\(schema.columns[i].name)")
    }
    for i in kept.indices where theirs[i] != 0 {
      let column = try PackedColumn(reading: &r)
      guard column.count == n else { throw SnapshotError("a column of \(table.rawValue) has the wrong length") }
      if kept[i] { columns[i] = column }
    }
    count = n
  }
}
