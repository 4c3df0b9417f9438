import ChannelKPI
import ChannelKPIStore
import Foundation
import GRDB
import Logging
import Testing

@testable import ChannelKPIServer

/// How a service follows the change log of a store that another process writes to: two
/// connections to one SQLite file, one written directly (the other process), one behind a service
/// whose follower is not running, so each test decides when it catches up.
@Suite struct ChangeFollowingTests {
  struct Setup {
    let path: String
    let other: SQLiteStore
    let service: KPIService
  }

  func withSetup(_ body: (Setup) async throws -> Void) async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("channelkpi-follow-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("facts.sqlite").path
    let mine = try SQLiteStore(path: path)
    try await Fixture.seed(mine)
    let other = try SQLiteStore(path: path)
    var logger = Logger(label: "channelkpi-follow-tests")
    logger.logLevel = .critical
    let day = try #require(Day(iso: Fixture.today))
    let service = try await KPIService(store: mine, today: { day }, logger: logger)
    try await body(Setup(path: path, other: other, service: service))
    try await other.close()
    try await mine.close()
  }

  func wonDeal(_ id: String, partner: String = "P2", amount: String, closed: String = "2025-03-25") throws -> FactRecord
  {
    try RecordValidator.validate(
      .deals,
      texts: CanonicalTable.deals.schema.columns.map {
        [
          "deal_id": id, "partner_id": partner, "source": "sourced", "created_on": "2025-03-02", "stage": "won",
          "closed_on": closed, "amount": amount,
        ][$0.name]
      }
    ).get()
  }

  func revenue(_ s: KPIService, _ scope: Scope = Scope(.partner, "P2"), _ period: String = "2025-Q1") async throws
    -> Double?
  {
    let p = try #require(Period(period))
    let r = try s.compute(
      ComputeRequest(kpis: ["revenue"], by: scope.kind, grain: p.grain, from: p, to: p, scopes: [scope]))
    return r.value(kpi: 0, scope: 0, period: 0)
  }

  @Test func aWriteFromAnotherProcessIsAppliedOnCatchUp() async throws {
    try await withSetup { s in
      // P2's Q1 revenue in the fixture: D4, 8000.
      #expect(try await revenue(s.service) == 8000)
      _ = try await s.other.upsert([try wonDeal("X1", amount: "100.25")])
      #expect(try await revenue(s.service) == 8000)
      try await s.service.catchUp()
      #expect(try await revenue(s.service) == 8100.25)
      #expect(await s.service.changePosition == (try await s.other.latestChange()))
    }
  }

  @Test func anEmptyBatchDoesNotSkipAnotherProcessesWrite() async throws {
    try await withSetup { s in
      _ = try await s.other.upsert([try wonDeal("X1", amount: "50")])
      // The empty batch logs nothing; the service must still apply the other process's deal.
      let r = try await s.service.ingest([], table: .deals)
      #expect(r.stored == 0)
      #expect(try await revenue(s.service) == 8050)
      #expect(await s.service.changePosition == (try await s.other.latestChange()))
      _ = try await s.other.upsert([try wonDeal("X2", amount: "5")])
      try await s.service.catchUp()
      #expect(try await revenue(s.service) == 8055)
    }
  }

  @Test func aHoleInTheLogMakesTheServiceReloadRatherThanSkip() async throws {
    try await withSetup { s in
      let start = try await s.other.latestChange()
      for (id, amount) in [("X1", "1"), ("X2", "20"), ("X3", "300")] {
        _ = try await s.other.upsert([try wonDeal(id, amount: amount)])
      }
      // The middle entry is gone (as if pruned), the ones around it are not.
      let queue = try DatabaseQueue(path: s.path)
      try await queue.write { db in
        try db.execute(sql: "DELETE FROM changes WHERE position = ?", arguments: [start + 2])
      }
      try await s.service.catchUp()
      #expect(try await revenue(s.service) == 8321)
      #expect(await s.service.changePosition == start + 3)
    }
  }

  @Test func definitionsAppliedElsewhereAreInForceAfterCatchUp() async throws {
    try await withSetup { s in
      let kpis = Fixture.bigRevenueKPI
      _ = try await s.other.addProgramVersion(
        files: ["kpis.yaml": kpis], effective: try #require(Day(iso: "2024-01-01")), appliedAt: "t", note: "")
      #expect(s.service.catalog.kpi("big_revenue") == nil)
      try await s.service.catchUp()
      #expect(s.service.catalog.kpi("big_revenue") != nil)
      // Won deals above 6000 in Q1: D1 (10000) and D4 (8000).
      let q1 = try s.service.compute(
        ComputeRequest(kpis: ["big_revenue"], grain: .quarter, from: Period("2025-Q1"), to: Period("2025-Q1")))
      #expect(q1.value(kpi: 0, scope: 0, period: 0) == 18000)
    }
  }

  /// A start reads the snapshot, then what was committed after it from the log, before any read:
  /// never the snapshot's stale values.
  @Test func aStartFromTheSnapshotCatchesUpBeforeAnyRead() async throws {
    try await withSetup { s in
      await s.service.saveSnapshot()
      let saved = await s.service.changePosition
      #expect(FileManager.default.fileExists(atPath: s.path + ".snapshot"))
      #expect(await s.service.snapshotPosition == saved)
      // Another process writes a small batch (carried in the log) after the snapshot.
      _ = try await s.other.upsert([try wonDeal("D90", amount: "1000")])
      let third = try SQLiteStore(path: s.path)
      let day = try #require(Day(iso: Fixture.today))
      let next = try await KPIService(store: third, today: { day }, logger: Logger(label: "snapshot-test"))
      #expect(await next.snapshotPosition == saved)
      #expect(await next.changePosition == (try await s.other.latestChange()))
      // D4 (8000) and the new D90 (1000).
      #expect(try await revenue(next) == 9000)
      try await third.close()
    }
  }

  /// Definitions applied after the snapshot (`channelkpi program apply` after an import) change
  /// no fact: a start still reads the facts from the snapshot, under the new definitions.
  @Test func definitionsAppliedAfterTheSnapshotStillStartFromIt() async throws {
    try await withSetup { s in
      await s.service.saveSnapshot()
      let saved = await s.service.changePosition
      _ = try await s.other.addProgramVersion(
        files: ["kpis.yaml": Fixture.bigRevenueKPI], effective: try #require(Day(iso: "2024-01-01")),
        appliedAt: "t", note: "")
      let third = try SQLiteStore(path: s.path)
      let day = try #require(Day(iso: Fixture.today))
      let next = try await KPIService(store: third, today: { day }, logger: Logger(label: "snapshot-test"))
      #expect(await next.snapshotPosition == saved)
      #expect(await next.changePosition == (try await s.other.latestChange()) && next.catalog.kpi("big_revenue") != nil)
      // Won deals above 6000 in Q1: D1 (10000) and D4 (8000), and the revenue as before.
      let q1 = try next.compute(
        ComputeRequest(kpis: ["big_revenue"], grain: .quarter, from: Period("2025-Q1"), to: Period("2025-Q1")))
      #expect(q1.value(kpi: 0, scope: 0, period: 0) == 18000)
      #expect(try await revenue(next) == 8000)
      // Facts written after the definitions: the log cannot bring the snapshot past both, so a
      // start loads from the database, with the same values.
      _ = try await s.other.upsert([try wonDeal("D91", amount: "500")])
      let fourth = try SQLiteStore(path: s.path)
      let again = try await KPIService(store: fourth, today: { day }, logger: Logger(label: "snapshot-test"))
      #expect(try await revenue(again) == 8500)
      try await third.close()
      try await fourth.close()
    }
  }

  /// A bulk write after the snapshot (logged as a reload) makes the start load from the database,
  /// and the snapshot is written again for the next start.
  @Test func aBulkWriteAfterTheSnapshotMakesTheStartReload() async throws {
    try await withSetup { s in
      await s.service.saveSnapshot()
      let saved = await s.service.changePosition
      // More rows than a log entry carries (10,000).
      let many = try (1...10_001).map { try wonDeal("B\($0)", amount: "1") }
      _ = try await s.other.upsert(many)
      let third = try SQLiteStore(path: s.path)
      let day = try #require(Day(iso: Fixture.today))
      let next = try await KPIService(store: third, today: { day }, logger: Logger(label: "snapshot-test"))
      let latest = try await s.other.latestChange()
      #expect(await next.changePosition == latest && latest > saved)
      // 8000 + 10,001 deals of 1.00.
      #expect(try await revenue(next) == 18_001)
      // The reload wrote it in the background (or this does, whichever comes first).
      for _ in 0..<100 where await next.snapshotPosition != latest {
        await next.saveSnapshot()
        try await Task.sleep(for: .milliseconds(50))
      }
      #expect(await next.snapshotPosition == latest)
      try await third.close()
    }
  }
}
