import PropertyBased
import Testing

@testable import ChannelKPI

/// Packed columns and the dictionaries built on them hold what plain arrays hold, in the widths
/// worked out by hand below, and come back whole from a snapshot.
struct PackedColumnTests {
  /// Values drawn around a centre that drifts, with absents and the extremes of `Int64` now and then.
  static func values(_ rng: inout RandomProgram.RNG, count: Int) -> [Int64] {
    let spans: [Int64] = [3, 200, 70_000, 5_000_000_000, Int64.max / 4]
    let span = spans[Int(rng.next() % UInt64(spans.count))]
    var centre = Int64(bitPattern: rng.next()) / 2
    return (0..<count).map { _ in
      switch rng.next() % 20 {
      case 0: return PackedColumn.absent
      case 1: return Int64.max
      case 2: return Int64.min + 1
      case 3:
        centre = centre / 2 + Int64(bitPattern: rng.next() % 1000)
        return centre
      default: return centre &+ Int64(bitPattern: rng.next() % UInt64(span)) &- span / 2
      }
    }
  }

  @Test func randomAppendsAndSetsReadBackAsWritten() async {
    await propertyCheck(count: 200, input: PropertyTests.seeds) { seed in
      var rng = RandomProgram.RNG(seed: seed)
      let n = Int(rng.next() % 300)
      var plain: [Int64] = []
      var column = PackedColumn()
      for v in Self.values(&rng, count: n) {
        // Some columns hold their row numbers, then break the pattern.
        let value = rng.next() % 3 == 0 ? Int64(plain.count) : v
        plain.append(value)
        column.append(value)
      }
      for v in Self.values(&rng, count: n / 2) where !plain.isEmpty {
        let r = Int(rng.next() % UInt64(plain.count))
        plain[r] = v
        column.set(r, v)
      }
      #expect(column.count == plain.count)
      #expect((0..<plain.count).map { column[$0] } == plain)
      var read = [Int64](repeating: 0, count: plain.count)
      column.forEach(from: 0, count: plain.count) { i, v in read[i] = v }
      #expect(read == plain)
      let rows = (0..<plain.count).map { _ in Int32(rng.next() % UInt64(max(plain.count, 1))) }
      var gathered = [Int64](repeating: 0, count: rows.count)
      if !plain.isEmpty { column.gather(rows[...], into: &gathered) }
      #expect(gathered == rows.map { plain[Int($0)] })
      #expect(Self.roundTrip(column) == column)
    }
  }

  @Test func widthsFollowTheValuesRange() {
    // A table's own ids coded in row order: no bytes.
    #expect(PackedColumn((0..<1000).map(Int64.init)).width == 0)
    // Three stages and an absent: one byte each.
    #expect(PackedColumn([2, 0, 1, PackedColumn.absent, 2]).width == 1)
    // Day numbers of three years (2024-01-01 is day 19723): two bytes.
    #expect(PackedColumn((0..<1096).map { 19_723 + Int64($0) }).width == 2)
    // 70,000 customer codes: three bytes (two hold a span of 32,767 with room for as much again).
    #expect(PackedColumn((0..<70_000).map { Int64($0 / 2) }).width == 3)
    // Cents up to a million dollars: four bytes; timestamps in µs over three years (a span of
    // 9.5e13, under half of 2^48): six; the whole range of Int64: eight.
    #expect(PackedColumn([0, 100_000_000, 5]).width == 4)
    #expect(PackedColumn([1_704_067_200_000_000, 1_798_761_600_000_000]).width == 6)
    #expect(PackedColumn([Int64.max, Int64.min + 1, PackedColumn.absent]).width == 8)
    // Codes 0...127 fit one byte: the first code twice (no longer row numbers) leaves the base
    // at -127, room for as much below as above; code 128 widens the column to two bytes.
    var codes = PackedColumn([0, 0])
    for c in 1...127 { codes.append(Int64(c)) }
    #expect(codes.width == 1)
    codes.append(128)
    #expect(codes.width == 2 && codes[129] == 128 && codes[128] == 127 && codes[1] == 0)
  }

  /// A dictionary sized up front (empty, or after some strings) codes as one that grew, never
  /// grows on the way to the count it was sized for, and ends as large as growing made the other.
  @Test func aReservedDictionaryNeverGrowsAndCodesAsOneThatGrew() async {
    await propertyCheck(count: 20, input: PropertyTests.seeds) { seed in
      var rng = RandomProgram.RNG(seed: seed)
      let strings = (0..<Int(rng.next() % 5000)).map { _ in "D\(rng.next() % 4000)" }
      let distinct = Set(strings).count
      let before = Int(rng.next() % 50)
      var grown = StringPool()
      var sized = StringPool()
      for (i, s) in strings.enumerated() {
        if i == min(before, strings.count - 1) {
          sized.reserve(distinct)
          sized.reserve(distinct / 2)  // asking for less changes nothing
        }
        let capacity = sized.capacity
        #expect(grown.intern(s) == sized.intern(s))
        if i >= before { #expect(sized.capacity == capacity) }
      }
      #expect(sized.count == distinct && grown.count == distinct)
      #expect(sized.capacity == grown.capacity)
      #expect(strings.allSatisfy { sized.code(of: $0) == grown.code(of: $0) })
    }
  }

  /// An engine sizes the dictionary of a table's ids, and the index of a table keyed by several
  /// columns, for the rows it is told of, up to its limit: 1,000 rows need 1,250 slots at four
  /// fifths full (2,048, the next power of two) and 1,429 at seven tenths (2,048 too).
  @Test func anEngineSizesForAtMostItsLimit() throws {
    let engine = KPIEngine(catalog: try CatalogCompiler.compile(.builtin))
    engine.reserve(rows: [.deals: Int.max, .webTraffic: Int.max, .leads: 0], limit: 1_000)
    let deals = try #require(engine.domainIndex[CanonicalTable.deals.schema["deal_id"]!.domain])
    #expect(engine.pools[deals].capacity == 2_048)
    #expect(engine.rowByComposite[CanonicalTable.webTraffic.ordinal].slots.count == 2_048)
    #expect(engine.domainIndex[CanonicalTable.leads.schema["lead_id"]!.domain] == nil)
  }

  @Test func aDictionaryFindsEveryStringItCoded() async {
    await propertyCheck(count: 20, input: PropertyTests.seeds) { seed in
      var rng = RandomProgram.RNG(seed: seed)
      var pool = StringPool()
      var expected: [String: Int32] = [:]
      var order: [String] = []
      for _ in 0..<Int(rng.next() % 3000) {
        // Ids with runs of digits of both parities; texts around the packing limit of 128
        // bytes, long ones whose header takes two or three bytes, and some that are not ASCII.
        let parts = ["D", "0", "00", "7", "x", "-", "é", "", "12345", "€9"]
        var s = (0..<Int(rng.next() % 8)).map { _ in parts[Int(rng.next() % 10)] }.joined()
        switch rng.next() % 12 {
        case 0: s += String(repeating: "4", count: 120 + Int(rng.next() % 16))
        case 1: s += String(repeating: "x", count: 200)
        case 2: s += String(repeating: "1", count: 20_000)
        default: break
        }
        let c = pool.intern(s)
        if let known = expected[s] {
          #expect(c == known)
        } else {
          #expect(c == Int32(order.count))
          expected[s] = c
          order.append(s)
        }
      }
      #expect(pool.count == order.count)
      #expect((0..<Int32(order.count)).map { pool[$0] } == order)
      #expect(pool.code(of: "absent") == nil)
      var out: [UInt8] = []
      var w = SnapshotWriter { out.append(contentsOf: $0) }
      try? pool.write(to: &w)
      var r = EngineSnapshotTests.reader(out)
      let read = try? StringPool(reading: &r)
      #expect(order.allSatisfy { read?.code(of: $0) == expected[$0] })
      #expect(read?.count == order.count)
      // A damaged count, however large, is refused rather than trapping.
      for count in [Int64.max, Int64(order.count + 1), -1] {
        var damaged = out
        withUnsafeBytes(of: count.littleEndian) { damaged.replaceSubrange(0..<8, with: $0) }
        var d = EngineSnapshotTests.reader(damaged)
        #expect(throws: SnapshotError.self) { try StringPool(reading: &d) }
      }
    }
  }

  static func roundTrip(_ column: PackedColumn) -> PackedColumn? {
    var out: [UInt8] = []
    var w = SnapshotWriter { out.append(contentsOf: $0) }
    try? column.write(to: &w)
    var r = EngineSnapshotTests.reader(out)
    return try? PackedColumn(reading: &r)
  }
}
