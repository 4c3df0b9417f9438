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
  let stager: Stager

  /// Nil when the store keeps no snapshot (PostgreSQL) or already holds facts (then the next start
  /// reads the database and writes the snapshot). `rows` says about how many rows per table are
  /// coming (the engine makes room for them first); asked only when there will be a snapshot.
  init?(for store: any Store, expecting rows: () -> [CanonicalTable: Int]) async throws {
    guard let file = EngineSnapshotFile(for: store), try await !store.hasFacts() else {
      return nil
    }
    let (_, compiled, _) = try ProgramLoader.load(try await store.programVersions())
    self.file = file
    engine = KPIService.serverEngine(compiled)
    engine.reserve(rows: rows())
    stager = Stager(engine: engine)
  }

  /// The source, with every record it yields also staged in the engine, on a thread of its own
  /// (reading and validating the files keeps one core busy, the store's writes another; staging
  /// takes whatever is left of both).
  func feeding<Source: RecordSource>(_ source: Source) -> Feed<Source> { Feed(inner: source, stager: stager) }

  final class Feed<Source: RecordSource>: RecordSource {
    var inner: Source
    let stager: Stager
    private var batches: BatchQueue.Gatherer
    init(inner: Source, stager: Stager) {
      self.inner = inner
      self.stager = stager
      batches = stager.gatherer()
    }
    private var ended = false
    /// A source that did not reach its end failed: what it read is not worth staging.
    deinit { if !ended { stager.cancel() } }
    var readsAhead: Bool { inner.readsAhead }
    var soleWriter: Bool { inner.soleWriter }
    func next() throws -> FactRecord? {
      // A batch refused (the stager was stopped) leaves the engine short of the store's rows:
      // `write` then leaves no snapshot.
      guard let r = try inner.next() else {
        _ = batches.flush()
        ended = true
        stager.close()
        return nil
      }
      _ = batches.add(r)
      return r
    }
  }

  /// Loads batches of records into the engine on its own thread, in the order they were pushed.
  final class Stager: @unchecked Sendable {
    /// Batches waiting: bounds the records held to a few batches when staging is behind.
    static var capacity: Int { 8 }
    private let engine: KPIEngine
    private let queue = BatchQueue(capacity: Stager.capacity)
    private var thread: WorkerThread?

    init(engine: KPIEngine) {
      self.engine = engine
      thread = WorkerThread.start(named: "ckpi-stager") { [self] in run() }
    }

    private func run() {
      // Pops end at the last batch, or at once when cancelled.
      while let batch = try? queue.pop() { engine.load(batch) }
    }

    /// Hands records over in batches, waiting while staging is behind. A batch pushed after
    /// `close` is dropped: the engine then holds fewer rows than the store, and `write` leaves no
    /// snapshot.
    func gatherer() -> BatchQueue.Gatherer { BatchQueue.Gatherer(into: queue) }

    /// No more batches: the thread stages those waiting and ends.
    func close() { queue.close() }

    /// Waits until every batch pushed is staged; the engine is then the caller's again.
    func finish() async {
      close()
      await thread?.join()
    }

    /// Stops staging (the import failed) without waiting for the batches left.
    func cancel() { queue.cancel() }
  }

  /// Applies the staged rows and writes the snapshot as of the import's change (`position`).
  /// Returns its size in bytes, or nil when the store holds other rows than the engine (something
  /// else wrote to the database meanwhile): then no snapshot, and the next start reads the database.
  func write(store: any Store, position: Int64) async throws -> Int? {
    await stager.finish()
    let counts = try await store.counts()
    guard CanonicalTable.allCases.allSatisfy({ (counts[$0] ?? 0) == engine.rowCount($0) }),
      let stamp = try await store.changeStamp(at: position)
    else { return nil }
    engine.finishLoading()
    try file.write(engine.facts(), position: position, stamp: stamp)
    return (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0
  }
}
