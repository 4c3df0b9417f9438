import ChannelKPI
import NIOCore
import Synchronization

/// The engine and the definitions as readers see them, with what is derived from them until the
/// next write (partners, computed values, ranked scorecards, tier evaluations).
///
/// Reads run side by side under the lock's read side; the service's actor is the only writer, and
/// changes this state only under the write side, which it holds just long enough to apply a batch
/// that is already stored, or to swap in an engine it loaded off to the side. The actor may read
/// without the lock: no write can happen meanwhile.
///
/// The methods here take no lock: call them within `read` (or on the actor). Taking `read` again
/// inside `read` can deadlock with a waiting writer.
final class SharedEngine: @unchecked Sendable {
  typealias TierInputs = (baseline: [String: String?], overrides: [TierOverride])

  private let lock = ReadersWriterLock()
  private(set) var engine: KPIEngine
  private(set) var history: ProgramHistory
  private(set) var variantOf: [Int: Int]
  /// The tier baseline and overrides, read from the store at load and when they change.
  private(set) var tierInputs: TierInputs = ([:], [])
  let today: @Sendable () -> Day

  /// What was derived from the state until a write changes it. Several readers asking for the
  /// same thing at once wait for the first one's answer (`Once`) rather than each computing it.
  private struct Derived {
    var partners: (list: [PartnerInfo], byId: [String: PartnerInfo])?
    /// Computed values by request.
    var values: [ComputeRequest: Once<ComputeResult>] = [:]
    /// Ranked scorecards by type, period and day (a partner's scorecard needs its whole type
    /// ranked, so this makes repeated partner pages cheap; pace depends on the day).
    var types: [String: Refreshable<[ScorecardResult]>] = [:]
    /// Tier evaluations, until the next write or the next day.
    var tiers: (today: Day, evaluations: Refreshable<TierHistory>)?
    /// Answers as sent (values as JSON or CSV, scorecards as JSON), by what they answer.
    var bodies: [BodyKey: Once<ByteBuffer>] = [:]
    var bodyBytes = 0

    /// Forgets what a batch that reached `reach` may have changed. Values of scopes made of
    /// partners it did not reach stay, so do the scorecards of types it did not reach; ranked
    /// scorecards and tier evaluations keep the partners it did not reach, to be completed when
    /// next read.
    mutating func forget(_ reach: FactReach, partnersChanged: Bool) {
      guard case .partners(let ids) = reach, !partnersChanged else {
        self = Derived(partners: partnersChanged ? nil : partners)
        return
      }
      guard !ids.isEmpty else { return }
      values = values.filter { Self.unreached($0.key, by: ids) }
      let reachedTypes = partners.map { p in Set(ids.compactMap { p.byId[$0]?.type }) }
      bodies = bodies.filter { key, _ in
        switch key {
        case .values(let request, _): Self.unreached(request, by: ids)
        case .partnerScorecard(let id, _, _, _):
          // Ranked among its type: kept when no partner of its type was reached.
          reachedTypes.map { types in partners?.byId[id].map { !types.contains($0.type) } ?? false } ?? false
        }
      }
      bodyBytes = bodies.values.reduce(0) { $0 + ($1.made?.readableBytes ?? 0) }
      types = types.mapValues { $0.changing(ids) }
      tiers = tiers.map { ($0.today, $0.evaluations.changing(ids)) }
    }

    /// Whether a request's values are all of named partners that `ids` does not hold.
    static func unreached(_ request: ComputeRequest, by ids: Set<String>) -> Bool {
      guard request.by == .partner, let scopes = request.scopes, !scopes.isEmpty else { return false }
      return scopes.allSatisfy { $0.kind == .partner && !ids.contains($0.value ?? "") }
    }
  }
  private let derived = Mutex(Derived())

  init(engine: KPIEngine, history: ProgramHistory, variantOf: [Int: Int], today: @escaping @Sendable () -> Day) {
    engine.prepareForReads()
    self.engine = engine
    self.history = history
    self.variantOf = variantOf
    self.today = today
  }

  func read<T, E: Error>(_ body: (SharedEngine) throws(E) -> T) throws(E) -> T {
    try lock.read { () throws(E) -> T in try body(self) }
  }

  // MARK: Writing (the actor only)

  /// Applies records to the engine and drops what they make stale. The engine is left with
  /// nothing pending (extremes rebuilt, scopes' series built), so that reads never change it.
  @discardableResult
  func apply(_ records: [FactRecord]) -> FactChange {
    lock.write {
      let change = engine.upsert(records)
      engine.prepareForReads()
      let partnersChanged = records.contains { $0.table == .partners }
      derived.withLock { $0.forget(change.reach, partnersChanged: partnersChanged) }
      return change
    }
  }

  /// Replaces engine and definitions with newly loaded ones.
  func replace(engine: KPIEngine, history: ProgramHistory, variantOf: [Int: Int]) {
    engine.prepareForReads()
    lock.write {
      self.engine = engine
      self.history = history
      self.variantOf = variantOf
      derived.withLock { $0 = Derived() }
    }
  }

  /// New tier baseline and overrides: tier levels, and so the tier targets of scorecards, change.
  func setTierInputs(_ inputs: TierInputs) {
    lock.write {
      tierInputs = inputs
      derived.withLock { d in
        d.tiers = nil
        d.types = [:]
        d.bodies = [:]
        d.bodyBytes = 0
      }
    }
  }

  // MARK: Reading

  var catalog: Catalog { engine.compiled.catalog }

  /// The months the data covers.
  var coverage: MonthRange? {
    engine.coverage.map { MonthRange(first: Day(number: $0.lowerBound).month, last: Day(number: $0.upperBound).month) }
  }

  func compute(_ request: ComputeRequest) throws(ComputeError) -> ComputeResult {
    let once = derived.withLock { d in
      if let o = d.values[request] { return o }
      let o = Once<ComputeResult>()
      if d.values.count >= 512 { d.values = [:] }
      d.values[request] = o
      return o
    }
    func drop() { derived.withLock { d in if d.values[request] === once { d.values[request] = nil } } }
    let r: ComputeResult
    do { r = try once.value { () throws(ComputeError) in try engine.compute(request) } } catch {
      drop()
      throw error
    }
    // Small answers only: a whole-catalog export per partner is computed again rather than kept.
    if r.values.count > 50_000 { drop() }
    return r
  }

  func partnerData() -> (list: [PartnerInfo], byId: [String: PartnerInfo]) {
    if let c = derived.withLock({ $0.partners }) { return c }
    let list = engine.partners()
    let c = (list, Dictionary(uniqueKeysWithValues: list.map { ($0.id, $0) }))
    derived.withLock { $0.partners = c }
    return c
  }

  /// Tier evaluations under a history (default: the stored definitions, kept until the next write
  /// or day; after a write, only the partners it reached are evaluated again).
  func tierHistory(under other: ProgramHistory? = nil) throws(ComputeError) -> TierHistory {
    let day = today()
    func evaluator() -> TierEvaluator {
      var e = TierEvaluator(
        engine: engine, history: other ?? history, variantOfVersion: variantOf, today: day,
        recordedAttributes: tierInputs.baseline, overrides: tierInputs.overrides)
      e.knownPartners = partnerData().list
      return e
    }
    guard other == nil else { return try evaluator().evaluate() }
    let entry = derived.withLock { d in
      if let t = d.tiers, t.today == day { return t.evaluations }
      let e = Refreshable<TierHistory>()
      d.tiers = (day, e)
      return e
    }
    // The evaluator is made only when the evaluations are not kept already.
    return try entry.value { () throws(ComputeError) in
      if let p = entry.previous { return try evaluator().evaluate(updating: p.value, changed: p.changed) }
      return try evaluator().evaluate()
    }
  }

  /// The evaluator of a history (default: the stored definitions); with a ladder, tier targets
  /// follow the levels held.
  func evaluator(under other: ProgramHistory? = nil, tiers: TierHistory? = nil) -> ProgramEvaluator {
    var e = ProgramEvaluator(engine: engine, history: other ?? history, variantOfVersion: variantOf, today: today())
    e.knownPartners = partnerData().list
    // Values of the stored definitions are kept until a write reaches them (another history's
    // variants may number KPIs otherwise), and only while the engine is the one the evaluator was
    // made with: one held across a reload computes from its own.
    if other == nil {
      let built = ObjectIdentifier(engine)
      e.keptValues = { [self] request throws(ComputeError) in
        ObjectIdentifier(engine) == built ? try compute(request) : nil
      }
      // Kept scorecards follow the stored tier levels: not for an evaluator given other levels.
      if tiers == nil {
        e.keptTypeScorecards = { [self] type, period in
          ObjectIdentifier(engine) == built ? try typeScorecards(type: type, period: period) : nil
        }
      }
    }
    if let tiers {
      if tiers.ladder != nil { e.tierOf = { id, period in tiers.tier(of: id, during: period) } }
    } else if other == nil, history.versions.contains(where: { $0.definitions.tiers != nil }) {
      // Evaluated when first asked for: most reads (alerts after a batch, say) never need a tier.
      // Levels that cannot be evaluated leave partners their own tier attribute, as before.
      let lazy = Lazy { [self] in try? self.tierHistory() }
      let own = Lazy { [self] in self.partnerData().byId }
      e.tierOf = { id, period in
        if let tiers = lazy.value { return tiers.tier(of: id, during: period) }
        return own.value[id]?.tier
      }
    }
    return e
  }

  func typeScorecards(type: String, period: Period) throws -> [ScorecardResult] {
    let key = "\(type)|\(period)|\(today().number)"
    let entry = derived.withLock { d in
      if let e = d.types[key] { return e }
      let e = Refreshable<[ScorecardResult]>()
      if d.types.count > 256 { d.types = [:] }
      d.types[key] = e
      return e
    }
    return try entry.value {
      // Computed here: asking the kept scorecards would ask this entry again.
      var evaluator = evaluator()
      evaluator.keptTypeScorecards = nil
      if let p = entry.previous {
        return try evaluator.typeScorecards(type: type, period: period, updating: p.value, changed: p.changed)
      }
      return try evaluator.typeScorecards(type: type, period: period)
    }
  }

  /// What an answer kept as sent answers.
  enum BodyKey: Hashable, Sendable {
    case values(ComputeRequest, csv: Bool)
    case partnerScorecard(id: String, period: Period, day: Day, anonymized: Bool)
  }

  /// The answer to a request as sent, made by `make` unless the same request was answered since
  /// the last write. At most 64 MB and 4,096 answers are kept, none over 8 MB; past that the cache
  /// starts over.
  func body<E: Error>(_ key: BodyKey, _ make: () throws(E) -> String) throws(E) -> ByteBuffer {
    let once = derived.withLock { d in
      if let o = d.bodies[key] { return o }
      let o = Once<ByteBuffer>()
      // Many small answers are as costly to keep as a few large ones.
      if d.bodies.count >= 4096 {
        d.bodies = [:]
        d.bodyBytes = 0
      }
      d.bodies[key] = o
      return o
    }
    let b: ByteBuffer
    let madeHere: Bool
    do {
      (b, madeHere) = try once.get { () throws(E) in
        let text = try make()
        return ByteBuffer(string: text.hasSuffix("\n") ? text : text + "\n")
      }
    } catch {
      // A request refused (a scope that names nothing, say) keeps nothing.
      derived.withLock { d in if d.bodies[key] === once { d.bodies[key] = nil } }
      throw error
    }
    guard madeHere else { return b }
    derived.withLock { d in
      guard d.bodies[key] === once else { return }
      // A very large answer (a whole catalog by partner) is made again rather than kept.
      guard b.readableBytes <= 8 << 20 else {
        d.bodies[key] = nil
        return
      }
      if d.bodyBytes + b.readableBytes > 64 << 20 {
        d.bodies = [key: once]
        d.bodyBytes = 0
      }
      d.bodyBytes += b.readableBytes
    }
    return b
  }

  /// How many answers are kept as sent.
  var keptAnswers: Int { derived.withLock { $0.bodies.count } }

  func partnerScorecard(id: String, period: Period) throws -> ScorecardResult {
    if let p = partnerData().byId[id],
      let r = try typeScorecards(type: p.type, period: period).first(where: { $0.partner?.id == id })
    {
      return r
    }
    return try evaluator().partnerScorecard(id: id, period: period)
  }
}

/// A value made on first use, once, whichever thread asks first.
final class Lazy<Value: Sendable>: Sendable {
  private let make: @Sendable () -> Value
  private let once = Once<Value>()

  init(_ make: @escaping @Sendable () -> Value) { self.make = make }

  var value: Value { once.value(make) }
}

/// A value made by the first caller that asks; callers asking meanwhile wait for its answer
/// instead of making it too. A `make` that throws leaves it to the next caller.
final class Once<Value: Sendable>: Sendable {
  private let state = Mutex<Value?>(nil)

  func value<E: Error>(_ make: () throws(E) -> Value) throws(E) -> Value { try get(make).value }

  /// The value, and whether this call made it.
  func get<E: Error>(_ make: () throws(E) -> Value) throws(E) -> (value: Value, madeHere: Bool) {
    try state.withLock { (v: inout Value?) throws(E) -> (Value, Bool) in
      if let v { return (v, false) }
      let x = try make()
      v = x
      return (x, true)
    }
  }

  /// The value if it was made (waits while it is being made).
  var made: Value? { state.withLock { $0 } }
}

/// A derived value that, after a write that reached some partners, is made again from the value
/// before it and those partners (`previous`), rather than from nothing.
final class Refreshable<Value: Sendable>: Sendable {
  private let once = Once<Value>()
  let previous: (value: Value, changed: Set<String>)?

  init(previous: (value: Value, changed: Set<String>)? = nil) { self.previous = previous }

  func value<E: Error>(_ make: () throws(E) -> Value) throws(E) -> Value { try once.value(make) }

  /// The entry after a write that reached `ids`: it starts from this one's value, or from what
  /// this one would have started from when it was never made.
  func changing(_ ids: Set<String>) -> Refreshable {
    if let v = once.made { return Refreshable(previous: (v, ids)) }
    if let p = previous { return Refreshable(previous: (p.value, p.changed.union(ids))) }
    return Refreshable()
  }
}
