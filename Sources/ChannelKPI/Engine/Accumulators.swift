/// Everything the engine's facts accumulate into: monthly series per partner and per region,
/// all-time slots, value lists (distinct counts, states through a period) and the minimums or
/// maximums to rebuild.
struct Accumulators {
  var partnerSeries: SeriesStore
  var regionSeries: SeriesStore
  var allTimeKinds: [SlotKind]
  var partnerAllTime: [Int64] = []
  var regionAllTime: [Int64] = []
  var lists: [ListKey: [Int64]] = [:]
  /// Minimums and maximums whose extreme value was removed (month 0: monthly, 1: all-time).
  var dirty: Set<ListKey> = []
  /// The partners' series summed by scope, when built (`KPIEngine.prepareScopes()`).
  var scopes: ScopeSeries?

  /// A placeholder swapped in while the real accumulators are being updated.
  static let empty = Accumulators(
    partnerSeries: SeriesStore(kinds: []), regionSeries: SeriesStore(kinds: []), allTimeKinds: [])

  mutating func contribute(
    _ plan: MeasurePlan, market: Bool, entity: Int32, month: Int32, _ iv: Int64, _ rv: Double, _ sign: Int64
  ) {
    if market {
      Self.contribute(plan, &regionSeries, &dirty, entity: entity, month: month, iv, rv, sign)
    } else {
      Self.contribute(plan, &partnerSeries, &dirty, entity: entity, month: month, iv, rv, sign)
      if scopes != nil, !scopes!.contribute(plan, entity: entity, month: month, iv, rv, sign) { scopes = nil }
    }
  }

  private static func contribute(
    _ plan: MeasurePlan, _ series: inout SeriesStore, _ dirty: inout Set<ListKey>, entity: Int32, month: Int32,
    _ iv: Int64, _ rv: Double, _ sign: Int64
  ) {
    let offset = series.cell(entity, month)
    switch plan.kind {
    case .sumInt:
      series.add(offset, plan.slot, plan.function == .count ? sign : sign &* iv)
    case .sumReal:
      series.addReal(offset, plan.slot, Double(sign) * rv)
    case .minInt, .maxInt, .minReal, .maxReal:
      let bits = plan.valueIsReal ? Int64(bitPattern: rv.bitPattern) : iv
      if sign > 0 {
        series.combine(offset, plan.slot, bits)
      } else if series.data[offset + plan.slot] == bits {
        dirty.insert(ListKey(measure: Int32(plan.measure), entity: entity, month: 0))
      }
    }
  }

  mutating func contributeAllTime(
    _ plan: MeasurePlan, market: Bool, entity: Int32, _ iv: Int64, _ rv: Double, _ sign: Int64
  ) {
    let a = allTimeKinds.count
    let i = Int(entity) * a + plan.slot
    let bits: Int64
    switch plan.kind {
    case .sumInt: bits = plan.function == .count ? sign : sign &* iv
    case .sumReal: bits = Int64(bitPattern: (Double(sign) * rv).bitPattern)
    default: bits = plan.valueIsReal ? Int64(bitPattern: rv.bitPattern) : iv
    }
    func update(_ arr: inout [Int64]) {
      while arr.count <= i { arr.append(contentsOf: allTimeKinds.map(\.identity)) }
      if sign < 0, plan.kind != .sumInt, plan.kind != .sumReal {
        if arr[i] == bits { dirty.insert(ListKey(measure: Int32(plan.measure), entity: entity, month: 1)) }
        return
      }
      arr[i] = plan.kind.merge(arr[i], bits)
    }
    if market { update(&regionAllTime) } else { update(&partnerAllTime) }
  }

  mutating func listChange(_ key: ListKey, _ value: Int64, _ sign: Int64) {
    if sign > 0 {
      lists[key, default: []].append(value)
    } else if let i = lists[key]?.lastIndex(of: value) {
      lists[key]!.swapAt(i, lists[key]!.count - 1)
      lists[key]!.removeLast()
      if lists[key]!.isEmpty { lists[key] = nil }
    }
  }
}
