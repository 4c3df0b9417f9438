import ChannelKPI
import ChannelKPIServer
import ChannelKPIStore
import Foundation

/// An import into an empty SQLite database leaves the engine snapshot behind, so that the next
/// `serve` or `compute` starts from it instead of reading every row back: the records the import
/// stores are then the whole data, and are fed into an engine as they go by.
struct ImportSnapshot {
  let file: EngineSnapshotFile
  let engine: KPIEngine

  /// Nil when the store keeps no snapshot (PostgreSQL) or already holds facts (then the next start
  /// reads the database and writes the snapshot).
  init?(for store: any Store) async throws {
    guard let file = EngineSnapshotFile(for: store), try await store.counts().values.allSatisfy({ $0 == 0 }) else {
      return nil
    }
    let (_, compiled, _) = try ProgramLoader.load(try await store.programVersions())
    self.file = file
    engine = KPIService.serverEngine(compiled)
  }

  /// The source, with every record it yields also staged in the engine (on whichever thread
  /// reads it).
  func feeding<Source: RecordSource>(_ source: Source) -> Feed<Source> { Feed(inner: source, engine: engine) }

  final class Feed<Source: RecordSource>: RecordSource {
    var inner: Source
    let engine: KPIEngine
    init(inner: Source, engine: KPIEngine) {
      self.inner = inner
      self.engine = engine
    }
    var readsAhead: Bool { inner.readsAhead }
    func next() throws -> FactRecord? {
      guard let r = try inner.next() else { return nil }
      engine.load(r)
      return r
    }
  }

  /// Applies the staged rows and writes the snapshot as of the import's change (`position`).
  /// Returns its size in bytes, or nil when the store holds other rows than the engine (something
  /// else wrote to the database meanwhile): then no snapshot, and the next start reads the database.
  func write(store: any Store, position: Int64) async throws -> Int? {
    let counts = try await store.counts()
    guard CanonicalTable.allCases.allSatisfy({ (counts[$0] ?? 0) == engine.rowCount($0) }),
      let stamp = try await store.changeStamp(at: position)
    else { return nil }
    engine.finishLoading()
    try file.write(engine.facts(), position: position, stamp: stamp)
    return (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
  }
}
