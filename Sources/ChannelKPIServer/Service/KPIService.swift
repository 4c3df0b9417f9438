public import ChannelKPI
public import ChannelKPIStore
import Foundation
public import Logging

/// What one accepted batch of facts did.
public struct IngestResult: Sendable, Hashable {
  public var table: CanonicalTable
  public var received: Int
  public var stored: Int
  /// How long the engine took to bring every KPI up to date.
  public var engineSeconds: Double
  /// The alerts whose state the batch changed.
  public var alerts: [AlertEvent] = []
}

/// The program behind the server: the store, the engine (kept up to date as facts arrive, here
/// or from other instances on the same store) and the definitions. An actor, so the engine is
/// used by one request at a time.
public actor KPIService {
  public let store: any Store
  var engine: KPIEngine
  var history: ProgramHistory
  var variantOf: [Int: Int]
  var known: [CanonicalTable: Set<String>]
  /// The change-log position the engine reflects.
  var position: Int64
  /// Whether a write or catch-up is under way; the others wait in `waiting`.
  var updating = false
  var waiting: [CheckedContinuation<Void, Never>] = []
  /// The partners, as a list and by id, until the next write of partners.
  var partnerCache: (list: [PartnerInfo], byId: [String: PartnerInfo])?
  /// Ranked scorecards by type and period, until the next write (a partner's scorecard needs its
  /// whole type ranked, so this makes repeated partner pages cheap).
  var typeCache: [String: [ScorecardResult]] = [:]
  /// Computed values by request, until the next write (reads between writes are the same).
  var valueCache: [ComputeRequest: ComputeResult] = [:]
  /// The tier baseline and overrides, read from the store at load and when they change.
  var tierInputs: (baseline: [String: String?], overrides: [TierOverride]) = ([:], [])
  /// The tier evaluations, until the next write or the next day.
  var tierCache: (today: Day, history: TierHistory)?
  /// The single facts plans read (won deals, MDF claims), until the next write.
  var incentiveFactsCache: IncentiveFacts?
  /// Chances of reaching targets, until the next write (the day is part of the key).
  var chanceCache: [String: Double?] = [:]
  /// Forecast fits by the history they were fitted on, kept for the life of the server: alert
  /// rules' scheduled evaluations refit only histories that changed.
  let forecastMemo = ForecastMemo()
  /// Partners' milestones (first win, certifications, active months), until the next write.
  var milestonesCache: [String: PartnerMilestones]?
  /// Partners' lifecycle stages, until the next write, the next day or another alert firing.
  var lifecycleCache: (today: Day, firing: Set<String>, period: Period, stages: [PartnerLifecycle])?
  /// The position the database's engine snapshot reflects (what this instance read or wrote).
  var snapshotPosition: Int64 = -1
  var savingSnapshot = false
  private let today: @Sendable () -> Day
  let logger: Logger
  let metrics: ServerMetrics?

  /// Loads the definitions and every stored fact.
  public init(store: any Store, today: @escaping @Sendable () -> Day, logger: Logger, metrics: ServerMetrics? = nil)
    async throws
  {
    self.store = store
    self.today = today
    self.logger = logger
    self.metrics = metrics
    let started = ContinuousClock.now
    let snapshot = EngineSnapshotFile(for: store)
    let loaded = try await Self.loadProgram(store, snapshot: snapshot, logger: logger)
    history = loaded.history
    variantOf = loaded.variantOf
    engine = loaded.engine
    position = loaded.position
    known = loaded.known
    if loaded.fromSnapshot { snapshotPosition = loaded.position }
    try await loadTierInputs()
    // From a snapshot, what was committed since comes from the log (or a reload) before any read.
    try await follow()
    logger.info(
      "engine loaded",
      metadata: [
        "seconds": "\(Self.seconds(since: started))", "definitions": "\(history.versions.count)",
        "change": "\(position)",
      ])
    await updateFactGauges()
  }

  static func seconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
  }

  // MARK: Reading

  /// The catalog the latest definitions define (the built-in one, with their KPIs).
  public var catalog: Catalog { engine.compiled.catalog }

  /// The evaluator of the stored definitions; with a ladder, tier targets follow the levels held.
  public var evaluator: ProgramEvaluator {
    var e = ProgramEvaluator(engine: engine, history: history, variantOfVersion: variantOf, today: today())
    if let tiers = try? tierHistory(), tiers.ladder != nil {
      e.tierOf = { id, period in tiers.tier(of: id, during: period) }
    }
    return e
  }

  public var todayDay: Day { today() }

  /// The months the data covers.
  public var coverage: MonthRange? {
    engine.coverage.map { MonthRange(first: Day(number: $0.lowerBound).month, last: Day(number: $0.upperBound).month) }
  }

  /// KPI values over windows of whole months.
  public func compute(kpis: [String], by: ScopeKind, scopes: [Scope]?, windows: [MonthRange]) throws(ComputeError)
    -> WindowResult
  {
    try engine.compute(kpis: kpis, by: by, scopes: scopes, windows: windows)
  }

  public func compute(_ request: ComputeRequest) throws(ComputeError) -> ComputeResult {
    if let r = valueCache[request] { return r }
    let r = try engine.compute(request)
    // Small answers only: a whole-catalog export per partner is computed again rather than kept.
    if r.values.count <= 50_000 {
      if valueCache.count >= 512 { valueCache = [:] }
      valueCache[request] = r
    }
    return r
  }

  public func partners() -> [PartnerInfo] { partnerData().list }

  public func partner(_ id: String) -> PartnerInfo? { partnerData().byId[id] }

  private func partnerData() -> (list: [PartnerInfo], byId: [String: PartnerInfo]) {
    if let c = partnerCache { return c }
    let list = engine.partners()
    let c = (list, Dictionary(uniqueKeysWithValues: list.map { ($0.id, $0) }))
    partnerCache = c
    return c
  }

  public func definitions(for period: Period) -> (ProgramVersion?, ProgramDefinitions) {
    let (v, d, _) = evaluator.definitions(for: period)
    return (v, d)
  }

  public var versions: [ProgramVersion] { history.versions }

  public func partnerScorecard(id: String, period: Period) throws -> ScorecardResult {
    if let p = partner(id),
      let r = try typeScorecards(type: p.type, period: period).first(where: { $0.partner?.id == id })
    {
      return r
    }
    return try evaluator.partnerScorecard(id: id, period: period)
  }

  public func typeScorecards(type: String, period: Period) throws -> [ScorecardResult] {
    // Pace depends on today, so the day is part of the key.
    let key = "\(type)|\(period)|\(today().number)"
    if let r = typeCache[key] { return r }
    let r = try evaluator.typeScorecards(type: type, period: period)
    if typeCache.count > 256 { typeCache = [:] }
    typeCache[key] = r
    return r
  }

  public func networkScorecard(period: Period) throws -> ScorecardResult {
    try evaluator.networkScorecard(period: period)
  }

  public func standings(kpis: [String], scopes: [Scope], period: Period) throws -> [Scope: [KPIStanding]] {
    try evaluator.standings(kpis: kpis, scopes: scopes, partners: partnerData().byId, period: period)
  }

  /// Every target in force for `period` with its standing for its own scope.
  public func targetStandings(period: Period) -> [(target: TargetDefinition, standing: KPIStanding?)] {
    evaluator.targetStandings(period: period, partners: partnerData().byId)
  }

  public func hygiene(asOf: Period) async throws -> [HygieneFinding] {
    try HygieneChecker(evaluator: evaluator, reviews: try await store.reviews()).check(asOf: asOf)
  }

  /// Every stored row is in the engine, so its row counts are the store's, without a query.
  func updateFactGauges() async {
    guard let metrics else { return }
    for t in CanonicalTable.allCases { metrics.facts(t).set(Double(engine.rowCount(t))) }
  }
}
