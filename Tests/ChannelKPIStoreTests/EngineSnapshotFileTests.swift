import ChannelKPI
import ChannelKPIStore
import Foundation
import Testing

/// The snapshot next to a SQLite database: used only when it reflects this database's history,
/// refused when it is older than asked for, of another database, or cut short.
struct EngineSnapshotFileTests {
  static func deals(_ ids: ClosedRange<Int>, amount: Int) -> [FactRecord] {
    func valid(_ t: CanonicalTable, _ texts: [String?]) -> FactRecord {
      guard case .success(let r) = RecordValidator.validate(t, texts: texts) else { fatalError() }
      return r
    }
    return [valid(.partners, ["P1", "One", "reseller", "emea", nil, nil, "2024-01-01", nil, nil])]
      + ids.map { i in
        valid(
          .deals,
          ["D\(i)", "P1", nil, "sourced", "2025-01-02", nil, nil, "won", "2025-02-0\(i % 9 + 1)", "\(amount)", nil])
      }
  }

  static func revenue(_ e: KPIEngine) throws -> [Double?] {
    try e.compute(ComputeRequest(kpis: ["revenue", "win_rate"], by: .partner, grain: .month)).values
  }

  @Test func aSnapshotIsUsedOnlyForItsOwnDatabase() async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("snap-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let catalog = try CatalogCompiler.compile(.builtin)
    let store = try SQLiteStore(path: dir + "/a.sqlite")
    _ = try await store.upsert(Self.deals(1...20, amount: 100))
    let loaded = KPIEngine(catalog: catalog)
    let position = try await store.load(into: loaded)
    let file = try #require(EngineSnapshotFile(for: store))
    #expect(file.path == dir + "/a.sqlite.snapshot")
    // The file is as private as the database; a write killed midway leaves nothing for long.
    chmod(dir + "/a.sqlite", 0o600)
    let abandoned = dir + "/a.sqlite.snapshot.tmp-2147483646-1"
    FileManager.default.createFile(atPath: abandoned, contents: Data([1, 2, 3]))
    try file.write(loaded.facts(), position: position, stamp: try #require(await store.changeStamp(at: position)))
    let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    #expect(!FileManager.default.fileExists(atPath: abandoned))

    let restored = KPIEngine(catalog: catalog)
    #expect(try await file.restore(into: restored, store: store, current: true) == position)
    #expect(try Self.revenue(restored) == Self.revenue(loaded))
    // 20 deals of 100.00 in 2025-02.
    #expect(try Self.revenue(restored).contains(2000))

    // A later write: a reader that cannot catch up refuses it; one that follows the log takes it.
    _ = try await store.upsert(Self.deals(21...25, amount: 100))
    await #expect(throws: EngineSnapshotFile.NotUsed.self) {
      try await file.restore(into: KPIEngine(catalog: catalog), store: store, current: true)
    }
    #expect(try await file.restore(into: KPIEngine(catalog: catalog), store: store) == position)

    // Another database that reached the same position is another history.
    let other = try SQLiteStore(path: dir + "/b.sqlite")
    _ = try await other.upsert(Self.deals(1...20, amount: 999))
    #expect(try await other.latestChange() == position)
    await #expect(throws: EngineSnapshotFile.NotUsed.self) {
      try await file.restore(into: KPIEngine(catalog: catalog), store: other)
    }

    // Cut short: refused before anything is read.
    let bytes = try Data(contentsOf: URL(fileURLWithPath: file.path))
    try bytes.prefix(bytes.count - 100).write(to: URL(fileURLWithPath: file.path))
    await #expect(throws: EngineSnapshotFile.NotUsed.self) {
      try await file.restore(into: KPIEngine(catalog: catalog), store: store)
    }
    try await store.close()
    try await other.close()
  }
}
