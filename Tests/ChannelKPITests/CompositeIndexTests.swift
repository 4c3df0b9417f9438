import PropertyBased
import Testing

@testable import ChannelKPI

/// The index of rows by a key of several columns, against a dictionary: rows added in key order
/// (found new without a lookup), in any order, sized up front or not, and read back from a
/// snapshot (which does not keep the greatest key) before more are added.
struct CompositeIndexTests {
  @Test func anIndexFindsEveryRowItWasGivenAndNoOther() async {
    await propertyCheck(count: 30, input: PropertyTests.seeds) { seed in
      var rng = RandomProgram.RNG(seed: seed)
      var keys: [CompositeKey] = []
      var model: [CompositeKey: Int32] = [:]
      var index = CompositeIndex()
      let keyOf = { (r: Int32) in keys[Int(r)] }
      var ordered = CompositeKey(a: 0, b: 0, c: 0)
      func randomKey() -> CompositeKey {
        switch rng.next() % 3 {
        case 0:
          // The next key in order, sometimes in the same first column.
          ordered.b += Int64(rng.next() % 3)
          if rng.next() % 4 == 0 { ordered.a += 1 }
          return ordered
        default:
          return CompositeKey(
            a: Int64(rng.next() % 8), b: Int64(rng.next() % 8) - 2, c: Int64(rng.next() % 3))
        }
      }
      if rng.next() % 2 == 0 { index.reserve(Int(rng.next() % 500), keyOf: keyOf) }
      for step in 0..<Int(rng.next() % 600) {
        let key = randomKey()
        #expect(index.row(key, keyOf: keyOf) == model[key])
        if model[key] == nil {
          model[key] = Int32(keys.count)
          keys.append(key)
          index.insert(Int32(keys.count - 1), key: key, keyOf: keyOf)
        }
        if step == 300 {
          var out: [UInt8] = []
          var w = SnapshotWriter { out.append(contentsOf: $0) }
          try? index.write(to: &w)
          var r = EngineSnapshotTests.reader(out)
          guard let read = try? CompositeIndex(reading: &r, rows: keys.count) else {
            Issue.record("the index did not read back")
            return
          }
          index = read
        }
      }
      #expect(index.count == model.count)
      for (key, row) in model { #expect(index.row(key, keyOf: keyOf) == row) }
      #expect(index.row(CompositeKey(a: 1 << 40, b: 0, c: 0), keyOf: keyOf) == nil)
      #expect(index.row(CompositeKey(a: -1, b: 0, c: 0), keyOf: keyOf) == nil)
    }
  }

  /// A key above every key added is new without a lookup: the key reader is not called.
  @Test func aKeyAboveEveryOtherIsNewWithoutALookup() {
    var keys: [CompositeKey] = []
    var index = CompositeIndex()
    var reads = 0
    let counted = { (r: Int32) -> CompositeKey in
      reads += 1
      return keys[Int(r)]
    }
    for a in 0..<100 {
      let key = CompositeKey(a: Int64(a), b: 1, c: 0)
      #expect(index.row(key, keyOf: counted) == nil)
      keys.append(key)
      index.insert(Int32(a), key: key) { keys[Int($0)] }
    }
    #expect(reads == 0)
    #expect(index.row(CompositeKey(a: 50, b: 1, c: 0), keyOf: counted) == 50)
    #expect(reads >= 1)
  }
}
