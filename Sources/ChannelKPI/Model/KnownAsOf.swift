/// What the data looked like on a past day: which rows existed and which of their later events
/// had happened. A forecast or backtest made "as of" a period reads the facts this way, so that a
/// lead created in March and converted in May is not converted when March is the present.
public struct KnownAsOf: Sendable {
  /// A row exists from the earliest of these dates (absent ones ignored): it is dropped when all
  /// of them fall after the day.
  public let origins: [Int]
  /// Optional dates of events later in a row's life, each with the columns that only hold because
  /// the event happened: after the day, the date is absent, `clears` are absent and `resets` take
  /// the value they have before it.
  public let events: [Event]

  public struct Event: Sendable {
    public let date: Int
    public let clears: [Int]
    public let resets: [(column: Int, value: String)]
  }

  /// Every column the rule reads or changes.
  public var columns: Set<Int> { changing.union(origins) }

  /// The columns whose values can change by censoring (event dates and what hangs on them).
  public var changing: Set<Int> {
    var s: Set<Int> = []
    for e in events {
      s.insert(e.date)
      s.formUnion(e.clears)
      s.formUnion(e.resets.map(\.column))
    }
    return s
  }

  /// The event whose date or dependent columns include `column`.
  public func event(touching column: Int) -> Event? {
    events.first { $0.date == column || $0.clears.contains(column) || $0.resets.contains { $0.column == column } }
  }
}

extension CanonicalTable {
  /// How this table's rows look as of a past day (see `KnownAsOf`), following the data format:
  /// a deal closes on `closed_on` (open before), a lead converts on `converted_on`, a ticket is
  /// resolved (and rated) at `resolved_at`, and so on.
  public var knownAsOf: KnownAsOf {
    let s = schema
    func c(_ name: String) -> Int { s.index[name]! }
    func event(_ date: String, clears: [String] = [], resets: [(String, String)] = []) -> KnownAsOf.Event {
      KnownAsOf.Event(date: c(date), clears: clears.map(c), resets: resets.map { (c($0.0), $0.1) })
    }
    switch self {
    case .partners: return KnownAsOf(origins: [c("joined_on")], events: [event("left_on")])
    case .deals:
      return KnownAsOf(
        origins: [c("created_on"), c("registered_on")],
        events: [
          event("closed_on", resets: [("stage", "open")]),
          event("registered_on", clears: ["registration_status"]),
        ])
    case .leads: return KnownAsOf(origins: [c("created_on")], events: [event("converted_on", clears: ["deal_id"])])
    case .campaigns: return KnownAsOf(origins: [c("started_on")], events: [event("ended_on")])
    case .webTraffic: return KnownAsOf(origins: [c("date")], events: [])
    case .customers: return KnownAsOf(origins: [c("acquired_on")], events: [event("churned_on")])
    case .surveys: return KnownAsOf(origins: [c("responded_on")], events: [])
    case .supportTickets:
      return KnownAsOf(origins: [c("opened_at")], events: [event("resolved_at", clears: ["satisfaction"])])
    case .certifications: return KnownAsOf(origins: [c("enrolled_on")], events: [event("completed_on")])
    case .market: return KnownAsOf(origins: [c("month")], events: [])
    }
  }
}
