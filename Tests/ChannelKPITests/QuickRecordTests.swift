import ChannelKPI
import Testing

/// The import's quick path (`RecordValidator.quickRecord`, straight from a row's bytes) against
/// the validator it stands in for: on random rows of every table, built from good and bad pieces
/// of every field type, a row of ASCII bytes is accepted by one exactly when the other accepts it,
/// with the same record; a row with any other byte is left to the validator.
@Suite struct QuickRecordTests {
  struct Generator {
    var rng: RandomProgram.RNG
    init(seed: UInt64) { rng = RandomProgram.RNG(seed: seed) }
    mutating func below(_ n: Int) -> Int { Int.random(in: 0..<n, using: &rng) }
    mutating func pick(_ xs: [String]) -> String { xs[below(xs.count)] }
  }

  /// Good values and near misses per field type; "" is an absent field.
  static let pieces: [FieldType: [String]] = [
    .id: [
      "P0001", "D00000042", "C1", "deal 7", "", "é1", "tab\there", "nul\u{0}", String(repeating: "x", count: 129),
    ],
    .text: ["Acme GmbH", "Analytics Pro", "", "Zürich", "a\u{0}b", "x"],
    .slug: ["reseller", "won", "lost", "open", "approved", "sourced", "co_sell", "emea", "", "Won", "a b", "é"],
    .date: ["2024-01-31", "2025-02-28", "2024-02-29", "2025-02-29", "2025-13-01", "2025-1-01", "", "2025-01-01x"],
    .datetime: [
      "2025-03-04T09:30:00Z", "2025-03-04T11:30:00+02:00", "2025-03-04 09:30:00.25Z", "2025-03-04T25:00Z", "",
    ],
    .money: ["1200.50", "0", "-3.25", "12.345", "1,200", "", ".5", "1."],
    .int: ["0", "7", "10", "11", "-1", "+3", "x", ""],
    .month: ["2025-01", "2025-12", "2025-13", "25-01", ""],
  ]

  /// Values the row rules and references look for, so that many rows pass every rule.
  static func value(_ column: Column, _ g: inout Generator) -> String {
    if column.name == "stage" { return g.pick(["open", "won", "lost", "won", "bad"]) }
    if column.name == "registration_status" { return g.pick(["pending", "approved", "rejected", ""]) }
    if column.name == "source" { return g.pick(["sourced", "influenced", "co_sell", "x"]) }
    if column.name == "country" { return g.pick(["DE", "fr", "DEU", ""]) }
    if column.name == "score" { return g.pick(["0", "9", "10", "11"]) }
    if column.name == "satisfaction" { return g.pick(["1", "5", "0", ""]) }
    // Mostly good values of the type, so that whole rows come out valid.
    let good = g.below(4) != 0
    switch column.type {
    case .id: return good ? g.pick(["P0001", "D42", "C7"]) : g.pick(pieces[.id]!)
    case .date: return good ? g.pick(["2024-01-31", "2024-06-30", "2025-01-15"]) : g.pick(pieces[.date]!)
    case .money: return good ? g.pick(["1200.50", "0", "99"]) : g.pick(pieces[.money]!)
    default: return g.pick(pieces[column.type]!)
    }
  }

  static func quick(_ table: CanonicalTable, _ fields: [String], fieldOf: [Int]) -> FactRecord? {
    var bytes: [UInt8] = []
    var ends: [Int] = []
    for f in fields {
      bytes += Array(f.utf8)
      ends.append(bytes.count)
    }
    return bytes.withUnsafeBufferPointer { b in
      ends.withUnsafeBufferPointer { e in
        RecordValidator.quickRecord(
          table, .init(bytes: b, ends: e, isASCII: b.allSatisfy { $0 < 0x80 }), fieldOf: fieldOf)
      }
    }
  }

  @Test(arguments: CanonicalTable.allCases)
  func quickPathAgreesWithTheValidator(table: CanonicalTable) {
    var g = Generator(seed: UInt64(table.ordinal) + 11)
    let columns = table.schema.columns
    var accepted = 0
    var rejected = 0
    for round in 0..<4_000 {
      // Every other round the file has its columns in reverse order and leaves out the last one.
      let reversed = round % 2 == 1
      let order = reversed ? Array(columns.indices.reversed().dropFirst()) : Array(columns.indices)
      var fieldOf = Array(repeating: -1, count: columns.count)
      for (f, c) in order.enumerated() { fieldOf[c] = f }
      let fields = order.map { Self.value(columns[$0], &g) }
      var texts: [String?] = Array(repeating: nil, count: columns.count)
      for (f, c) in order.enumerated() where !fields[f].isEmpty { texts[c] = fields[f] }
      let quick = Self.quick(table, fields, fieldOf: fieldOf)
      let full = RecordValidator.validate(table, texts: texts)
      let ascii = fields.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } }
      switch full {
      case .success(let record):
        if ascii {
          #expect(quick == record, "\(table) \(fields)")
        } else {
          #expect(quick == nil, "\(table) \(fields)")
        }
        accepted += 1
      case .failure:
        #expect(quick == nil, "\(table) \(fields)")
        rejected += 1
      }
    }
    // Both outcomes are well represented, or the comparison says little.
    #expect(accepted > 200 && rejected > 200, "\(table): \(accepted) accepted, \(rejected) rejected")
  }
}
