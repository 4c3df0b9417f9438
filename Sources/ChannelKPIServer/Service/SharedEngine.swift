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

  /// What was derived from the state, dropped by every write that could change it. Readers that
  /// derive the same thing at once each compute it; the last one is kept.
  private struct Derived {
    var partners: (list: [PartnerInfo], byId: [String: PartnerInfo])?
    /// Computed values by request.
    var values: [ComputeRequest: ComputeResult] = [:]
    /// Ranked scorecards by type, period and day (a partner's scorecard needs its whole type
    /// ranked, so this makes repeated partner pages cheap; pace depends on the day).
    var types: [String: [ScorecardResult]] = [:]
    /// Tier evaluations, until the next write or the next day.
    var tiers: (today: Day, history: TierHistory)?
    /// Answers as sent (values as JSON or CSV, scorecards as JSON), by what they answer.
    var bodies: [BodyKey: ByteBuffer] = [:]
    var bodyBytes = 0
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
  func apply(_ records: [FactRecord]) {
    lock.write {
      engine.upsert(records)
      engine.prepareForReads()
      let partnersChanged = records.contains { $0.table == .partners }
      derived.withLock { d in
        d = Derived(partners: partnersChanged ? nil : d.partners)
      }
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
    if let r = derived.withLock({ $0.values[request] }) { return r }
    let r = try engine.compute(request)
    // Small answers only: a whole-catalog export per partner is computed again rather than kept.
    if r.values.count <= 50_000 {
      derived.withLock { d in
        if d.values.count >= 512 { d.values = [:] }
        d.values[request] = r
      }
    }
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
  /// or day).
  func tierHistory(under other: ProgramHistory? = nil) throws(ComputeError) -> TierHistory {
    let day = today()
    if other == nil, let c = derived.withLock({ $0.tiers }), c.today == day { return c.history }
    let h = try TierEvaluator(
      engine: engine, history: other ?? history, variantOfVersion: variantOf, today: day,
      recordedAttributes: tierInputs.baseline, overrides: tierInputs.overrides
    ).evaluate()
    if other == nil { derived.withLock { $0.tiers = (day, h) } }
    return h
  }

  /// The evaluator of a history (default: the stored definitions); with a ladder, tier targets
  /// follow the levels held.
  func evaluator(under other: ProgramHistory? = nil, tiers: TierHistory? = nil) -> ProgramEvaluator {
    var e = ProgramEvaluator(engine: engine, history: other ?? history, variantOfVersion: variantOf, today: today())
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
    if let r = derived.withLock({ $0.types[key] }) { return r }
    let r = try evaluator().typeScorecards(type: type, period: period)
    derived.withLock { d in
      if d.types.count > 256 { d.types = [:] }
      d.types[key] = r
    }
    return r
  }

  /// What an answer kept as sent answers.
  enum BodyKey: Hashable, Sendable {
    case values(ComputeRequest, csv: Bool)
    case partnerScorecard(id: String, period: Period, day: Day, anonymized: Bool)
  }

  /// The answer to a request as sent, made by `make` unless the same request was answered since
  /// the last write. At most 64 MB of answers are kept, none over 8 MB; past that the cache starts
  /// over.
  func body<E: Error>(_ key: BodyKey, _ make: () throws(E) -> String) throws(E) -> ByteBuffer {
    if let b = derived.withLock({ $0.bodies[key] }) { return b }
    let text = try make()
    let b = ByteBuffer(string: text.hasSuffix("\n") ? text : text + "\n")
    // A very large answer (a whole catalog by partner) is made again rather than kept.
    guard b.readableBytes <= 8 << 20 else { return b }
    derived.withLock { d in
      if d.bodyBytes + b.readableBytes > 64 << 20 {
        d.bodies = [:]
        d.bodyBytes = 0
      }
      d.bodies[key] = b
      d.bodyBytes += b.readableBytes
    }
    return b
  }

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
  private let made = Mutex<Value?>(nil)

  init(_ make: @escaping @Sendable () -> Value) { self.make = make }

  var value: Value {
    made.withLock { v in
      if let v { return v }
      let x = make()
      v = x
      return x
    }
  }
}
