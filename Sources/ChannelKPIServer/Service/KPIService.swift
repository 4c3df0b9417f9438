public import ChannelKPI
public import ChannelKPIStore
import Foundation
public import Logging
import NIOCore

/// What one accepted batch of facts did.
public struct IngestResult: Sendable, Hashable {
  public var table: CanonicalTable
  public var received: Int
  public var stored: Int
  /// How long the engine took to bring every KPI up to date.
  public var engineSeconds: Double
  /// The alerts whose state the batch changed.
  public var alerts: [AlertEvent] = []
  /// Whether the batch's alerts are decided after the answer (see `AlertPacing`).
  public var alertsDeferred = false
}

/// The program behind the server: the store, the engine (kept up to date as facts arrive, here
/// or from other instances on the same store) and the definitions. An actor, so the engine is
/// used by one request at a time.
public actor KPIService {
  public let store: any Store
  /// The engine and definitions, read side by side by concurrent requests (see `SharedEngine`).
  nonisolated let shared: SharedEngine
  var engine: KPIEngine { shared.engine }
  var history: ProgramHistory { shared.history }
  var variantOf: [Int: Int] { shared.variantOf }
  var known: [CanonicalTable: Set<String>]
  /// The change-log position the engine reflects.
  var position: Int64
  /// Whether a write or catch-up is under way; the others wait in `waiting`.
  var updating = false
  var waiting: [CheckedContinuation<Void, Never>] = []
  /// The single facts plans read (won deals, MDF claims), until the next write.
  var incentiveFactsCache: IncentiveFacts?
  /// Chances of reaching targets, until the next write (the day is part of the key).
  var chanceCache: [String: Double?] = [:]
  /// Forecast fits by the history they were fitted on, kept for the life of the server: alert
  /// rules' scheduled evaluations refit only histories that changed.
  let forecastMemo = ForecastMemo()
  /// Partners' milestones (first win, certifications, active months), with the partners whose
  /// milestones writes since may have changed: those are found again when next read.
  var milestonesCache: [String: PartnerMilestones]?
  var milestonesStale: Set<String> = []
  /// Single partners' milestones, found for their pages while every partner's are not kept; a
  /// write drops those of the partners it reached.
  var pageMilestones: [String: PartnerMilestones] = [:]
  /// Partners' lifecycle stages, until the next write, the next day or another alert firing.
  var lifecycleCache: (today: Day, firing: Set<String>, period: Period, stages: [PartnerLifecycle])?
  /// When the alerts of ingested batches are decided.
  var alertPacing = AlertPacing()
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
    shared = SharedEngine(
      engine: loaded.engine, history: loaded.history, variantOf: loaded.variantOf, today: today)
    position = loaded.position
    known = loaded.known
    if let at = loaded.snapshotAt { snapshotPosition = at }
    try await loadTierInputs()
    // From a snapshot, what was committed since comes from the log (or a reload) before any read.
    try await follow()
    logger.info(
      "engine loaded",
      metadata: [
        "seconds": "\(Self.seconds(since: started))", "definitions": "\(shared.history.versions.count)",
        "change": "\(position)",
      ])
    await updateFactGauges()
  }

  static func seconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
  }

  // MARK: Reading
  //
  // What requests read most runs outside the actor, under `shared`'s read lock, side by side with
  // other reads and never behind a write's store round trips.

  /// The catalog the latest definitions define (the built-in one, with their KPIs).
  public nonisolated var catalog: Catalog { shared.read { $0.catalog } }

  /// The evaluator of the stored definitions; with a ladder, tier targets follow the levels held.
  /// For the actor's own work (its engine must not be read outside the actor or `shared.read`).
  var evaluator: ProgramEvaluator { shared.evaluator() }

  public nonisolated var todayDay: Day { today() }

  /// The months the data covers.
  public nonisolated var coverage: MonthRange? { shared.read { $0.coverage } }

  /// KPI values over windows of whole months.
  public nonisolated func compute(kpis: [String], by: ScopeKind, scopes: [Scope]?, windows: [MonthRange])
    throws(ComputeError) -> WindowResult
  {
    try shared.read { (s) throws(ComputeError) in
      try s.engine.compute(kpis: kpis, by: by, scopes: scopes, windows: windows)
    }
  }

  public nonisolated func compute(_ request: ComputeRequest) throws(ComputeError) -> ComputeResult {
    try shared.read { (s) throws(ComputeError) in try s.compute(request) }
  }

  /// Values as the API sends them (JSON or CSV), kept until the next write.
  nonisolated func valuesBody(_ request: ComputeRequest, csv: Bool) throws(ComputeError) -> ByteBuffer {
    try shared.read { (s) throws(ComputeError) in
      try s.body(.values(request, csv: csv)) { () throws(ComputeError) in
        let result = try s.compute(request)
        var text = ""
        if csv { ResultWriter.csv(result, to: { text += $0 }) } else { ResultWriter.json(result, to: { text += $0 }) }
        return text
      }
    }
  }

  /// A partner's scorecard as the API sends it (as a percentile among peers when `anonymized`).
  nonisolated func partnerScorecardBody(id: String, period: Period, anonymized: Bool) throws -> ByteBuffer {
    try shared.read { s in
      try s.body(.partnerScorecard(id: id, period: period, day: s.today(), anonymized: anonymized)) {
        let r = try s.partnerScorecard(id: id, period: period)
        return ScorecardWriter.jsonObject(anonymized ? r.anonymized() : r)
      }
    }
  }

  public nonisolated func partners() -> [PartnerInfo] { shared.read { $0.partnerData().list } }

  public nonisolated func partner(_ id: String) -> PartnerInfo? { shared.read { $0.partnerData().byId[id] } }

  public nonisolated func definitions(for period: Period) -> (ProgramVersion?, ProgramDefinitions) {
    shared.read { s in
      let (v, d, _) = s.evaluator().definitions(for: period)
      return (v, d)
    }
  }

  public nonisolated var versions: [ProgramVersion] { shared.read { $0.history.versions } }

  public nonisolated func partnerScorecard(id: String, period: Period) throws -> ScorecardResult {
    try shared.read { try $0.partnerScorecard(id: id, period: period) }
  }

  public nonisolated func typeScorecards(type: String, period: Period) throws -> [ScorecardResult] {
    try shared.read { try $0.typeScorecards(type: type, period: period) }
  }

  public nonisolated func networkScorecard(period: Period) throws -> ScorecardResult {
    try shared.read { try $0.evaluator().networkScorecard(period: period) }
  }

  public nonisolated func standings(kpis: [String], scopes: [Scope], period: Period) throws -> [Scope: [KPIStanding]] {
    try shared.read { s in
      try s.evaluator().standings(kpis: kpis, scopes: scopes, partners: s.partnerData().byId, period: period)
    }
  }

  /// Every target in force for `period` with its standing for its own scope.
  public nonisolated func targetStandings(period: Period) -> [(target: TargetDefinition, standing: KPIStanding?)] {
    shared.read { s in s.evaluator().targetStandings(period: period, partners: s.partnerData().byId) }
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
