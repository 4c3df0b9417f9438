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
}

/// The program behind the server: the store, the engine (kept up to date as facts arrive) and
/// the definitions. An actor, so the engine is used by one request at a time.
public actor KPIService {
  public let store: SQLiteStore
  private(set) var engine: KPIEngine
  private(set) var history: ProgramHistory
  private var variantOf: [Int: Int]
  private var known: [CanonicalTable: Set<String>]
  /// The partners, as a list and by id, until the next write of partners.
  private var partnerCache: (list: [PartnerInfo], byId: [String: PartnerInfo])?
  /// Ranked scorecards by type and period, until the next write (a partner's scorecard needs its
  /// whole type ranked, so this makes repeated partner pages cheap).
  private var typeCache: [String: [ScorecardResult]] = [:]
  /// Computed values by request, until the next write (reads between writes are the same).
  private var valueCache: [ComputeRequest: ComputeResult] = [:]
  private let today: @Sendable () -> Day
  let logger: Logger
  let metrics: ServerMetrics?

  /// Loads the definitions and every stored fact.
  public init(store: SQLiteStore, today: @escaping @Sendable () -> Day, logger: Logger, metrics: ServerMetrics? = nil)
    async throws
  {
    self.store = store
    self.today = today
    self.logger = logger
    self.metrics = metrics
    let (history, compiled, variantOf) = try ProgramLoader.load(try await store.programVersions())
    self.history = history
    self.variantOf = variantOf
    let started = ContinuousClock.now
    let engine = KPIEngine(catalog: compiled)
    try store.loadNow(into: engine)
    engine.finishLoading()
    self.engine = engine
    known = [.partners: try await store.keys(of: .partners), .campaigns: try await store.keys(of: .campaigns)]
    logger.info(
      "engine loaded",
      metadata: ["seconds": "\(Self.seconds(since: started))", "definitions": "\(history.versions.count)"])
    await updateFactGauges()
  }

  static func seconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
  }

  // MARK: Reading

  /// The catalog the latest definitions define (the built-in one, with their KPIs).
  public var catalog: Catalog { engine.compiled.catalog }

  public var evaluator: ProgramEvaluator {
    ProgramEvaluator(engine: engine, history: history, variantOfVersion: variantOf, today: today())
  }

  public var todayDay: Day { today() }

  /// The months the data covers.
  public var coverage: MonthRange? {
    engine.coverage.map { MonthRange(first: Day(number: $0.lowerBound).month, last: Day(number: $0.upperBound).month) }
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

  // MARK: Writing

  /// Stores validated records and brings the engine up to date: all or nothing. References must
  /// resolve against stored partners and campaigns plus those of the batch.
  public func ingest(_ records: [FactRecord], table: CanonicalTable) async throws -> IngestResult {
    let started = ContinuousClock.now
    let stored = try await store.upsert(records)
    let engineStart = ContinuousClock.now
    engine.upsert(records)
    let engineSeconds = Self.seconds(since: engineStart)
    if table == .partners || table == .campaigns {
      for r in records { if let k = r.values[0].string { known[table, default: []].insert(k) } }
    }
    if table == .partners { partnerCache = nil }
    typeCache = [:]
    valueCache = [:]
    metrics?.engineUpdate.record(Duration.nanoseconds(Int64(engineSeconds * 1e9)))
    await updateFactGauges()
    logger.info(
      "facts ingested",
      metadata: [
        "table": "\(table.rawValue)", "rows": "\(records.count)", "engine_ms": "\(engineSeconds * 1000)",
        "total_ms": "\(Self.seconds(since: started) * 1000)",
      ])
    return IngestResult(table: table, received: records.count, stored: stored, engineSeconds: engineSeconds)
  }

  /// The keys referenced tables hold now (for validating a batch).
  public func knownKeys() -> [CanonicalTable: Set<String>] { known }

  /// Imports CSV files (canonical, or through a mapping) like `channelkpi import`, then reloads
  /// the engine. Returns the summary, or the problems when nothing was stored.
  public func importFiles(_ files: [ImportFile], options: ImportOptions, mapping: ImportMapping? = nil) async throws
    -> (ImportSummary?, ImportRejected?, [ImportProblem])
  {
    var source = CSVImportSource(files: files, known: known, options: options, mapping: mapping)
    do {
      _ = try store.upsertNow(from: &source)
    } catch let e as ImportRejected {
      return (nil, e, e.problems)
    }
    let summary = source.summary
    try await store.recordImport(summary, finishedAt: ISO8601DateFormatter().string(from: Date()))
    try await reload()
    return (summary, nil, source.problems)
  }

  /// Stores definitions files as a new version and rebuilds the engine with their KPIs.
  public func applyProgram(files: [String: String], effective: Day, note: String) async throws -> Int {
    let n = try await store.addProgramVersion(
      files: files, effective: effective, appliedAt: ISO8601DateFormatter().string(from: Date()), note: note)
    try await reload()
    return n
  }

  public func addReview(_ review: Review) async throws -> Int64 { try await store.addReview(review) }

  /// Reloads definitions and facts from the store.
  public func reload() async throws {
    let (history, compiled, variantOf) = try ProgramLoader.load(try await store.programVersions())
    let engine = KPIEngine(catalog: compiled)
    try store.loadNow(into: engine)
    engine.finishLoading()
    self.engine = engine
    self.history = history
    self.variantOf = variantOf
    partnerCache = nil
    typeCache = [:]
    valueCache = [:]
    known = [.partners: try await store.keys(of: .partners), .campaigns: try await store.keys(of: .campaigns)]
    await updateFactGauges()
  }

  /// Every stored row is in the engine, so its row counts are the store's, without a query.
  private func updateFactGauges() async {
    guard let metrics else { return }
    for t in CanonicalTable.allCases { metrics.facts(t).set(Double(engine.rowCount(t))) }
  }
}
