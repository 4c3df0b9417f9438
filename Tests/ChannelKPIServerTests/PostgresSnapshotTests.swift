import ChannelKPI
import ChannelKPIStore
import ChannelKPITestSupport
import Foundation
import Logging
import Testing

@testable import ChannelKPIServer

/// An instance on PostgreSQL keeps its engine snapshot in a file of its own: a start reads it and
/// then what any instance committed since from the shared log, never the snapshot's stale values;
/// a snapshot of another database is refused.
@Suite(.enabled(if: TestPostgres.isEnabled, "PostgreSQL is not configured (CHANNELKPI_TEST_POSTGRES)"))
struct PostgresSnapshotTests {
  @Test func anInstanceStartsFromItsOwnSnapshotAndCatchesUp() async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("channelkpi-pgsnap-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("engine.snapshot").path
    let day = try #require(Day(iso: Fixture.today))
    let follow = ChangeFollowingTests()
    try await TestPostgres.withDatabase { url in
      let mine = try await PostgresStore(url: url, snapshot: file, logger: TestPostgres.quietLogger)
      let other = try await PostgresStore(url: url, logger: TestPostgres.quietLogger)
      #expect(other.snapshotPath == nil)
      // Its snapshot stays owner-only: it copies no database file whose mode it would take.
      #expect(mine.databaseFile == nil && EngineSnapshotFile(for: mine)?.database == nil)
      try await Fixture.seed(mine)
      let first = try await KPIService(store: mine, today: { day }, logger: TestPostgres.quietLogger)
      // Loaded from the database: nothing to start from yet.
      #expect(await first.snapshotPosition == -1)
      await first.saveSnapshot()
      let saved = await first.changePosition
      #expect(FileManager.default.fileExists(atPath: file))
      #expect(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int == 0o600)

      // Another instance writes after the snapshot.
      _ = try await other.upsert([try follow.wonDeal("D90", amount: "1000")])
      let again = try await PostgresStore(url: url, snapshot: file, logger: TestPostgres.quietLogger)
      let next = try await KPIService(store: again, today: { day }, logger: TestPostgres.quietLogger)
      #expect(await next.snapshotPosition == saved)
      #expect(await next.changePosition == (try await other.latestChange()))
      // D4 (8000) and the new D90 (1000), as a start from the database gives.
      #expect(try await follow.revenue(next) == 9000)
      let fresh = try await KPIService(store: other, today: { day }, logger: TestPostgres.quietLogger)
      #expect(try await follow.revenue(fresh) == 9000)

      // The same file given for another database (same positions, other history) is not used.
      try await TestPostgres.withDatabase { otherURL in
        let elsewhere = try await PostgresStore(url: otherURL, snapshot: file, logger: TestPostgres.quietLogger)
        try await Fixture.seed(elsewhere)
        _ = try await elsewhere.upsert([try follow.wonDeal("D91", amount: "5")])
        let there = try await KPIService(store: elsewhere, today: { day }, logger: TestPostgres.quietLogger)
        #expect(await there.snapshotPosition == -1)
        #expect(try await follow.revenue(there) == 8005)
        try await elsewhere.close()
      }
      for s in [mine, other, again] { try await s.close() }
    }
  }
}

@Suite struct SnapshotFileOptionTests {
  /// A snapshot file is for PostgreSQL: a SQLite database keeps its own next to it, and naming
  /// one for it is an error that says so.
  @Test func aSnapshotFileForSQLiteIsRefused() async throws {
    let location = StoreLocation.sqlite(path: "/tmp/x.sqlite")
    await #expect {
      _ = try await location.open(snapshot: "/tmp/elsewhere.snapshot")
    } throws: { error in
      "\(error)".contains("keeps its snapshot next to it (/tmp/x.sqlite.snapshot)")
    }
  }
}
