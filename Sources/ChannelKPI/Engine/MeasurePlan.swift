/// How one measure is fed from the rows of its table: the program nodes it reads and where it
/// accumulates.
struct MeasurePlan {
  enum Time {
    case allTime
    case dated(month: Int)
    case state(from: Int, until: Int?)
    case stateThrough(from: Int, until: Int?)
    case perPeriod
  }

  let measure: Int
  let function: AggregateFunction
  let filter: Int?
  let value: Int?
  let valueIsReal: Bool
  let time: Time
  /// The accumulator slot: in the monthly series, or in the all-time array.
  let slot: Int
  let kind: SlotKind
}

/// How one set is fed from the rows of its source table.
struct SetPlan {
  let set: Int
  let filter: Int?
  let value: Int
}

/// Where a list of values is kept: distinct values of a measure per entity and month, or the
/// from-months of facts that end in a month (for states through a period).
struct ListKey: Hashable {
  var measure: Int32
  var entity: Int32
  var month: Int32
}

/// A composite key of up to three encoded values, ordered column after column.
struct CompositeKey: Hashable, Sendable, Comparable {
  var a: Int64
  var b: Int64
  var c: Int64

  static func < (x: CompositeKey, y: CompositeKey) -> Bool { (x.a, x.b, x.c) < (y.a, y.b, y.c) }
}
