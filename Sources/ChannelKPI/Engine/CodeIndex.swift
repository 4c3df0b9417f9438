/// The rows of a table keyed by one id column, by the id's dictionary code. A table whose rows
/// were added in the order their ids were first coded (the usual case: a table's own ids) maps
/// each code to itself, which its packed column keeps in no bytes at all.
struct CodeIndex: Sendable {
  private var rows = PackedColumn()

  init() {}

  /// The row of a code, if one has it.
  subscript(code: Int) -> Int32? {
    guard code >= 0, code < rows.count else { return nil }
    let r = rows[code]
    return r == PackedColumn.absent ? nil : Int32(truncatingIfNeeded: r)
  }

  mutating func set(_ code: Int, row: Int32) {
    // Codes no row has (yet) are absent; the next code is appended as it is, so that an index
    // of codes that are their rows stays one.
    while rows.count < code { rows.append(PackedColumn.absent) }
    if rows.count == code { rows.append(Int64(row)) } else { rows.set(code, Int64(row)) }
  }

  func write(to w: inout SnapshotWriter) throws { try rows.write(to: &w) }

  /// An index as `write` wrote it, for a table of `count` rows: every row it names is one of them.
  init(reading r: inout SnapshotReader, count: Int) throws(SnapshotError) {
    rows = try PackedColumn(reading: &r)
    if let range = rows.range, range.lowerBound < 0 || range.upperBound >= count {
      throw SnapshotError("a key index of the snapshot points past its rows")
    }
  }
}
