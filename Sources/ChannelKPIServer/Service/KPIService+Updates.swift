public import ChannelKPI
public import ChannelKPIStore
import Foundation
import Logging

extension KPIService {
  /// What a full load from the store gives.
  struct LoadedProgram {
    var history: ProgramHistory
    var variantOf: [Int: Int]
    var engine: KPIEngine
    var position: Int64
    var known: [CanonicalTable: Set<String>]
    /// The position of the database's snapshot the facts came from (nil: read from the store).
    var snapshotAt: Int64?
  }

  /// Reads the definitions and every fact into a new engine.
  ///
  /// Facts and their log position come from one snapshot; the definitions are read just before.
  /// Every definitions version logged up to `before` is in what was read, so if one was logged
  /// between `before` and the snapshot, the definitions may be older than the facts: read again.
  ///
  /// With a snapshot that fits the definitions and this database's history, the facts come from
  /// it instead, as of its position: the caller then follows the log from there.
  static func loadProgram(_ store: any Store, snapshot: EngineSnapshotFile? = nil, logger: Logger? = nil)
    async throws -> LoadedProgram
  {
    var snapshot = snapshot
    while true {
      let before = try await store.latestChange()
      let (history, compiled, variantOf) = try ProgramLoader.load(try await store.programVersions())
      let engine = serverEngine(compiled)
      if let file = snapshot {
        do {
          // Where the log ends when no fact changed after the snapshot (read once, before the file).
          var factsUnchangedThrough: Int64?
          let restored = try await file.restore(into: engine, store: store) { p in
            factsUnchangedThrough = try await store.lastPositionWithoutFacts(after: p)
            if factsUnchangedThrough != nil { return true }
            return try await canFollow(store, from: p)
          }
          // Only definitions (or reviews, incentive records) since the snapshot: its facts are the
          // store's. The engine was made with the definitions read at `before`; newer ones are read
          // again. Accumulators laid out by other definitions were left out and are built below.
          var position = restored
          if let last = factsUnchangedThrough, last > restored {
            guard last <= before else { continue }
            position = last
          }
          // Definitions read before a newer snapshot came in: read them again.
          let sameDefinitions =
            position <= before ? true : try await noDefinitions(in: store, after: before, through: position)
          guard sameDefinitions else {
            snapshot = nil
            continue
          }
          engine.finishLoading()
          return LoadedProgram(
            history: history, variantOf: variantOf, engine: engine, position: position,
            known: try await store.referencedKeys(), snapshotAt: restored)
        } catch {
          // A new engine: the refused snapshot may have filled part of this one.
          logger?.info("loading from the database", metadata: ["snapshot": "\(error)"])
          snapshot = nil
          continue
        }
      }
      let position = try await store.load(into: engine)
      guard try await noDefinitions(in: store, after: before, through: position) else { continue }
      engine.finishLoading()
      return LoadedProgram(
        history: history, variantOf: variantOf, engine: engine, position: position,
        known: try await store.referencedKeys())
    }
  }

  /// A new, empty engine as a server keeps one (keys for upserts, the columns incentive plans and
  /// segments read, the dates of a partner's activity): the kind whose snapshot a server can
  /// start from.
  public static func serverEngine(_ compiled: CompiledCatalog) -> KPIEngine {
    let union: ([String], [String]) -> [String] = { Array(Set($0 + $1)) }
    return KPIEngine(
      catalog: compiled,
      extraColumns: KPIEngine.incentiveColumns.merging(SegmentDimension.engineColumns, uniquingKeysWith: union)
        .merging(KPIEngine.activityColumns, uniquingKeysWith: union))
  }

  /// Whether following the log from `position` brings an engine up to date: the log is whole from
  /// there and holds only changes it carries (no import, no new definitions).
  static func canFollow(_ store: any Store, from position: Int64) async throws -> Bool {
    var p = position
    while true {
      let page = try await store.changes(after: p, limit: 256)
      if page.isEmpty { return true }
      for c in page {
        if c.position != p + 1 || c.kind == .reload || c.kind == .definitions { return false }
        p = c.position
      }
    }
  }

  /// Whether the log from `after` to `through` is whole and holds no definitions version.
  static func noDefinitions(in store: any Store, after: Int64, through: Int64) async throws -> Bool {
    var p = after
    while p < through {
      let page = try await store.changes(after: p, limit: 256)
      if page.isEmpty { return false }
      for c in page {
        if c.position > through { return true }
        if c.position != p + 1 || c.kind == .definitions { return false }
        p = c.position
      }
    }
    return true
  }

  // MARK: Writing

  /// Stores validated records and brings the engine up to date: all or nothing. References must
  /// resolve against stored partners and campaigns plus those of the batch. The write is durable
  /// in the store when this returns.
  public func ingest(_ records: [FactRecord], table: CanonicalTable) async throws -> IngestResult {
    try await exclusively { try await ingestInTurn(records, table: table) }
  }

  /// Reads a batch with `parse` against the keys this instance holds and ingests it, in one turn
  /// of the writer (a request used to take another turn, and a read of the change log, to learn
  /// the keys first). Only when `parse` refuses the batch are the changes other instances
  /// committed taken in first, and the batch read again: a partner added through another server
  /// is known here as soon as a batch names it.
  func ingest(
    table: CanonicalTable, parsing parse: @Sendable ([CanonicalTable: Set<String>]) throws -> [FactRecord]
  ) async throws -> IngestResult {
    try await exclusively {
      let records: [FactRecord]
      do { records = try parse(known) } catch {
        try await follow()
        records = try parse(known)
      }
      return try await ingestInTurn(records, table: table)
    }
  }

  /// `ingest` within a turn of `exclusively`.
  private func ingestInTurn(_ records: [FactRecord], table: CanonicalTable) async throws -> IngestResult {
    let started = ContinuousClock.now
    let write = try await store.upsert(records)
    var engineSeconds = 0.0
    // What the batch changed in the engine (not known when another instance's change held it).
    var change: FactChange?
    if write.rows == 0 {
      // Nothing was written or logged: `write.change` is someone else's change.
      try await follow()
    } else {
      // Changes other instances committed before this one come first.
      try await follow(through: write.change - 1)
    }
    if write.rows > 0, position < write.change {
      let engineStart = ContinuousClock.now
      change = apply(records)
      engineSeconds = Self.seconds(since: engineStart)
      position = write.change
    }
    metrics?.engineUpdate.record(Duration.nanoseconds(Int64(engineSeconds * 1e9)))
    if table == .partners, write.rows > 0 {
      try await store.recordNewPartnersInTierBaseline(at: ISO8601DateFormatter().string(from: Date()))
    }
    await updateFactGauges()
    // Alerts of the scopes the batch changed are decided before the answer goes back, unless
    // alert work is falling behind the batches (`AlertPacing`).
    var alerts: [AlertEvent]? = []
    if write.rows > 0 {
      let byId = shared.read { $0.partnerData().byId }
      if let touched = AlertEvaluator.touched(by: records, partners: byId) {
        alerts = await pacedAlerts(touched: touched, change: change)
      } else {
        // Facts of no partner (market figures) may touch any scope: decided at once.
        alerts = await evaluateAlerts(touched: nil)
      }
    }
    logger.info(
      "facts ingested",
      metadata: [
        "table": "\(table.rawValue)", "rows": "\(records.count)", "engine_ms": "\(engineSeconds * 1000)",
        "total_ms": "\(Self.seconds(since: started) * 1000)", "change": "\(write.change)",
      ])
    return IngestResult(
      table: table, received: records.count, stored: write.rows, engineSeconds: engineSeconds, alerts: alerts ?? [],
      alertsDeferred: alerts == nil)
  }

  /// Imports CSV files (canonical, or through a mapping) like `channelkpi import`, then brings
  /// the engine up to date. Returns the summary, or the problems when nothing was stored.
  public func importFiles(_ files: [ImportFile], options: ImportOptions, mapping: ImportMapping? = nil) async throws
    -> (ImportSummary?, ImportRejected?, [ImportProblem])
  {
    try await exclusively {
      try await follow()
      var source = CSVImportSource(files: files, known: known, options: options, mapping: mapping)
      do {
        _ = try await store.upsert(from: &source)
      } catch let e as ImportRejected {
        return (nil, e, e.problems)
      }
      let summary = source.summary
      let at = ISO8601DateFormatter().string(from: Date())
      try await store.recordImport(summary, finishedAt: at)
      if summary.rowsByTable[CanonicalTable.partners.rawValue] ?? 0 > 0 {
        try await store.recordNewPartnersInTierBaseline(at: at)
      }
      try await follow()
      await evaluateAlerts(touched: nil)
      return (summary, nil, source.problems)
    }
  }

  /// Stores definitions files as a new version and rebuilds the engine with their KPIs.
  public func applyProgram(files: [String: String], effective: Day, note: String) async throws -> Int {
    try await exclusively {
      let n = try await store.addProgramVersion(
        files: files, effective: effective, appliedAt: ISO8601DateFormatter().string(from: Date()), note: note)
      try await follow()
      await evaluateAlerts(touched: nil)
      return n
    }
  }

  public func addReview(_ review: Review) async throws -> Int64 {
    try await updateReviews { try await $0.addReview(review) }
  }

  /// A change of reviews (sharing, acknowledging, replying), then the change log followed.
  public func updateReviews<T: Sendable>(_ change: @Sendable (any Store) async throws -> T) async throws -> T {
    try await exclusively {
      let value = try await change(store)
      try await follow()
      return value
    }
  }

  // MARK: Following the store

  /// Applies what was committed to the store since the engine was last brought up to date: by
  /// other instances, or by commands such as `channelkpi import` run against the same database.
  public func catchUp() async throws {
    try await exclusively { try await follow() }
  }

  /// Reloads definitions and facts from the store.
  public func reload() async throws {
    try await exclusively { try await reloadAll() }
  }

  /// The change-log position the engine reflects.
  public var changePosition: Int64 { position }

  /// Runs one write or catch-up at a time; reads go on meanwhile against the engine as it is.
  func exclusively<T: Sendable>(_ body: () async throws -> T) async throws -> T {
    if updating {
      // The one finishing hands its turn straight to the longest waiting, in order.
      await withCheckedContinuation { waiting.append($0) }
    } else {
      updating = true
    }
    defer {
      if waiting.isEmpty { updating = false } else { waiting.removeFirst().resume() }
    }
    return try await body()
  }

  /// Applies logged changes up to `last` (all when nil), in order. A gap (pruned entries), a bulk
  /// change or new definitions make it reload instead, which takes in everything committed.
  func follow(through last: Int64? = nil) async throws {
    while last.map({ position < $0 }) ?? true {
      // A few entries at a time: each may carry up to ChangeRecorderSize.carried rows.
      let limit = last.map { Int(min($0 - position, 64)) } ?? 64
      let changes = try await store.changes(after: position, limit: limit)
      if changes.isEmpty { return }
      for c in changes {
        guard c.position == position + 1 else {
          logger.info(
            "change log has moved past this instance; reloading",
            metadata: ["at": "\(position)", "next": "\(c.position)"])
          return try await reloadAll()
        }
        switch c.kind {
        case .facts:
          apply(c.records)
        case .reload, .definitions:
          logger.info(
            "reloading after a change in the store", metadata: ["change": "\(c.position)", "kind": "\(c.kind)"])
          return try await reloadAll()
        case .reviews:
          break
        case .incentives:
          // Approvals are read from the store when asked for; the tier baseline and overrides
          // decide levels (and so tier targets of scorecards), so they are read again.
          try await loadTierInputs()
        }
        position = c.position
      }
      logger.debug("followed the store", metadata: ["change": "\(position)", "entries": "\(changes.count)"])
    }
  }

  /// Puts records into the engine and forgets what they make stale.
  @discardableResult
  func apply(_ records: [FactRecord]) -> FactChange {
    let change = shared.apply(records)
    for r in records where r.table == .partners || r.table == .campaigns {
      if let k = r.values[0].string { known[r.table, default: []].insert(k) }
    }
    incentiveFactsCache = nil
    chanceCache = [:]
    lifecycleCache = nil
    // A partner's milestones come from its own rows: a batch that reached some partners leaves
    // the others' as they are.
    if case .partners(let ids) = change.reach {
      if milestonesCache != nil { milestonesStale.formUnion(ids) }
      for id in ids { pageMilestones[id] = nil }
    } else {
      milestonesCache = nil
      pageMilestones = [:]
    }
    return change
  }

  /// Replaces definitions and engine with what the store holds now.
  func reloadAll() async throws {
    let started = ContinuousClock.now
    let loaded = try await Self.loadProgram(store)
    shared.replace(engine: loaded.engine, history: loaded.history, variantOf: loaded.variantOf)
    known = loaded.known
    position = loaded.position
    incentiveFactsCache = nil
    chanceCache = [:]
    lifecycleCache = nil
    milestonesCache = nil
    pageMilestones = [:]
    forecastMemo.clear()
    try await loadTierInputs()
    await updateFactGauges()
    logger.info("engine reloaded", metadata: ["seconds": "\(Self.seconds(since: started))", "change": "\(position)"])
    // The next start reads what was just loaded rather than every row again.
    Task { await self.saveSnapshot() }
  }

  /// Writes the engine's facts as the database's snapshot, unless it already reflects this
  /// position. The actor stays free for reads meanwhile (the facts are copied as they are written
  /// over, not before). Failures are logged: a missing snapshot only makes a start slower.
  public func saveSnapshot() async {
    // One save at a time: a later one (the one at shutdown) waits, then saves if the engine moved on.
    while savingSnapshot { try? await Task.sleep(for: .milliseconds(20)) }
    guard let file = EngineSnapshotFile(for: store), position > 0, position != snapshotPosition else { return }
    savingSnapshot = true
    defer { savingSnapshot = false }
    let started = ContinuousClock.now
    let (facts, at) = (engine.facts(), position)
    do {
      guard let stamp = try await store.changeStamp(at: at) else { return }
      // Seconds of blocking writes: on a thread of their own, not the pool that runs requests.
      try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
        let thread = Thread {
          do {
            try file.write(facts, position: at, stamp: stamp)
            done.resume()
          } catch { done.resume(throwing: error) }
        }
        thread.name = "channelkpi-snapshot"
        thread.start()
      }
      snapshotPosition = at
      logger.info(
        "engine snapshot written",
        metadata: ["path": "\(file.path)", "change": "\(at)", "seconds": "\(Self.seconds(since: started))"])
    } catch {
      logger.warning("engine snapshot not written", metadata: ["path": "\(file.path)", "error": "\(error)"])
    }
  }
}
