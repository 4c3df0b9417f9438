/// The monthly accumulators of a set of entities (a scope's partners or regions) merged over a
/// span of months, with prefix sums so that any range or state reads in constant time.
struct MergedSeries {
  let kinds: [SlotKind]
  let lo: Int32
  let months: Int
  private var raw: [Int64]
  /// `prefix[(m - lo + 1) * S + s]` = sum of slot `s` over every month up to `m`, including all months before `lo`.
  private var prefix: [Int64]

  /// Merges the given slots (all when nil) of the entities over the months `lo...hi`. Months before
  /// `lo` are summed only for `stateSlots` (all sums when nil): a state at a month's end needs every
  /// month before it, a flow over a range only the range.
  init(
    _ store: SeriesStore, entities: [Int32], lo: Int32, hi: Int32, slots wanted: [Int]? = nil,
    stateSlots: Set<Int>? = nil
  ) {
    let kinds = store.kinds
    self.kinds = kinds
    self.lo = lo
    let months = Int(hi - lo + 1)
    self.months = months
    let s = kinds.count
    var raw = [Int64](repeating: 0, count: months * s)
    for m in 0..<months { for k in 0..<s { raw[m * s + k] = kinds[k].identity } }
    var base = [Int64](repeating: 0, count: s)
    let slots = wanted ?? Array(kinds.indices)
    // Grouped by kind, so the hot loops are plain additions.
    let sumInts = slots.filter { kinds[$0] == .sumInt }
    let sumReals = slots.filter { kinds[$0] == .sumReal }
    let baseInts = sumInts.filter { stateSlots?.contains($0) ?? true }
    let baseReals = sumReals.filter { stateSlots?.contains($0) ?? true }
    let extremes = slots.filter { kinds[$0] != .sumInt && kinds[$0] != .sumReal }
    // Straight loops over the blocks with unsafe buffers: this is the hot path of every read.
    store.data.withUnsafeBufferPointer { data in
      raw.withUnsafeMutableBufferPointer { raw in
        base.withUnsafeMutableBufferPointer { base in
          for e in entities where Int(e) < store.blocks.count {
            let firstYear = store.firstYear[Int(e)]
            for (k, b) in store.blocks[Int(e)].enumerated() where b >= 0 {
              let yearStart = (firstYear + Int32(k)) * 12
              if yearStart > hi { break }
              if yearStart + 11 < lo && baseInts.isEmpty && baseReals.isEmpty { continue }
              let blockOffset = Int(b) * store.blockSize
              for mo in 0..<12 {
                let month = yearStart + Int32(mo)
                let off = blockOffset + mo * s
                if month < lo {
                  for k in baseInts { base[k] &+= data[off + k] }
                  for k in baseReals { base[k] = SlotKind.sumReal.merge(base[k], data[off + k]) }
                } else if month <= hi {
                  let r = Int(month - lo) * s
                  for k in sumInts { raw[r + k] &+= data[off + k] }
                  for k in sumReals { raw[r + k] = SlotKind.sumReal.merge(raw[r + k], data[off + k]) }
                  for k in extremes { raw[r + k] = kinds[k].merge(raw[r + k], data[off + k]) }
                }
              }
            }
          }
        }
      }
    }
    var prefix = [Int64](repeating: 0, count: (months + 1) * s)
    for k in 0..<s { prefix[k] = base[k] }
    for m in 0..<months {
      for k in 0..<s {
        let i = (m + 1) * s + k
        switch kinds[k] {
        case .sumInt: prefix[i] = prefix[i - s] &+ raw[m * s + k]
        case .sumReal: prefix[i] = SlotKind.sumReal.merge(prefix[i - s], raw[m * s + k])
        default: break
        }
      }
    }
    self.raw = raw
    self.prefix = prefix
  }

  private func index(_ month: Int32) -> Int { Swift.min(Swift.max(Int(month - lo) + 1, 0), months) }

  /// The merged value of a slot over the months `a...b` (sums and extremes).
  func range(_ slot: Int, _ a: Int32, _ b: Int32) -> Int64 {
    let s = kinds.count
    let kind = kinds[slot]
    switch kind {
    case .sumInt:
      return prefix[index(b) * s + slot] &- prefix[index(a - 1) * s + slot]
    case .sumReal:
      let x = Double(bitPattern: UInt64(bitPattern: prefix[index(b) * s + slot]))
      let y = Double(bitPattern: UInt64(bitPattern: prefix[index(a - 1) * s + slot]))
      return Int64(bitPattern: (x - y).bitPattern)
    default:
      var r = kind.identity
      var m = Swift.max(a, lo)
      while m <= b && Int(m - lo) < months {
        r = kind.merge(r, raw[Int(m - lo) * s + slot])
        m += 1
      }
      return r
    }
  }

  /// The sum of a slot over every month up to and including `month` (a state at that month's end).
  func upTo(_ slot: Int, _ month: Int32) -> Int64 { prefix[index(month) * kinds.count + slot] }
}
