/// The rows of one canonical table, held column by column with dense integer encodings.
///
/// Dates are day numbers and months month indexes (`Int32`); ids, slugs and texts are dictionary
/// codes (`Int32`); money (cents), integers and timestamps (µs) are `Int64`. Absent is the
/// type's minimum value.
struct FactColumns: Sendable {
  static let absent32 = Int32.min
  static let absent64 = Int64.min

  let table: CanonicalTable
  let schema: TableSchema
  private(set) var count = 0
  /// Per column, the storage when the column is narrow (dates, months, codes).
  var narrow: [[Int32]]
  /// Per column, the storage when the column is wide (money, ints, timestamps).
  var wide: [[Int64]]
  /// Whether each column is kept (columns no formula reads, such as a deal's product, are not).
  let kept: [Bool]
  /// Whether each column is held as `Int64`.
  let isWide: [Bool]

  init(_ table: CanonicalTable, keep: Set<Int>) {
    self.table = table
    schema = table.schema
    narrow = Array(repeating: [], count: schema.columns.count)
    wide = Array(repeating: [], count: schema.columns.count)
    kept = schema.columns.indices.map { keep.contains($0) }
    isWide = schema.columns.map { Self.isWide($0.type) }
  }

  static func isWide(_ t: FieldType) -> Bool { t == .money || t == .int || t == .datetime }

  mutating func reserve(_ n: Int) {
    for (i, c) in schema.columns.enumerated() where kept[i] {
      if Self.isWide(c.type) { wide[i].reserveCapacity(n) } else { narrow[i].reserveCapacity(n) }
    }
  }

  /// Appends a row given as encoded values per column (ignored for columns not kept).
  mutating func append(_ encoded: [Int64]) -> Int32 {
    for i in 0..<kept.count where kept[i] {
      if isWide[i] {
        wide[i].append(encoded[i])
      } else {
        narrow[i].append(encoded[i] == Self.absent64 ? Self.absent32 : Int32(truncatingIfNeeded: encoded[i]))
      }
    }
    count += 1
    return Int32(count - 1)
  }

  mutating func replace(_ row: Int32, with encoded: [Int64]) {
    let r = Int(row)
    for i in 0..<kept.count where kept[i] {
      if isWide[i] {
        wide[i][r] = encoded[i]
      } else {
        narrow[i][r] = encoded[i] == Self.absent64 ? Self.absent32 : Int32(truncatingIfNeeded: encoded[i])
      }
    }
  }

  /// The value of a cell widened to `Int64` (absent = `Int64.min`).
  func value(_ row: Int32, _ column: Int) -> Int64 {
    if isWide[column] { return wide[column][Int(row)] }
    let v = narrow[column][Int(row)]
    return v == Self.absent32 ? Self.absent64 : Int64(v)
  }
}

extension FactColumns {
  /// Writes the kept columns, for an engine snapshot.
  func write(to w: inout SnapshotWriter) throws {
    try w.int(count)
    try w.array(kept.map { $0 ? UInt8(1) : 0 })
    for i in kept.indices where kept[i] {
      if isWide[i] { try w.array(wide[i]) } else { try w.array(narrow[i]) }
    }
  }

  /// Reads the columns `write` wrote into these (empty) columns: every column kept here must
  /// have been kept there; columns kept only there are skipped.
  mutating func read(from r: inout SnapshotReader) throws(SnapshotError) {
    let n = try r.int()
    let theirs = try r.array(UInt8.self)
    guard n >= 0, theirs.count == kept.count else {
      throw SnapshotError("the snapshot's \(table.rawValue) has other columns")
    }
    for i in kept.indices where kept[i] && theirs[i] == 0 {
      throw SnapshotError("the snapshot does not keep \(table.rawValue).\(schema.columns[i].name)")
    }
    for i in kept.indices where theirs[i] != 0 {
      if isWide[i] {
        let v = try r.array(Int64.self)
        guard v.count == n else { throw SnapshotError("a column of \(table.rawValue) has the wrong length") }
        if kept[i] { wide[i] = v }
      } else {
        let v = try r.array(Int32.self)
        guard v.count == n else { throw SnapshotError("a column of \(table.rawValue) has the wrong length") }
        if kept[i] { narrow[i] = v }
      }
    }
    count = n
  }
}
