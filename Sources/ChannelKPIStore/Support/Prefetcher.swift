import ChannelKPI
import Foundation

/// Reads a record source on a thread of its own, a few batches ahead of the writer that consumes
/// it, so that parsing and validating a big import (one core) overlaps with writing it (the
/// other). Records arrive in the source's order; an error the source throws arrives after the
/// records read before it, as it would without the thread.
final class Prefetcher<Source: RecordSource>: @unchecked Sendable {
  /// Batches read but not yet taken: bounds the memory held to a few batches.
  static var capacity: Int { 4 }

  private let box: Handoff<Source>
  private let queue = BatchQueue(capacity: Prefetcher.capacity)
  private var thread: WorkerThread?
  // The consumer's own, read for every record: no run-time exclusivity checks.
  @exclusivity(unchecked) private var current: [FactRecord] = []
  @exclusivity(unchecked) private var index = 0

  /// Starts reading `box.value` now; the caller must `stop()` before it touches the value again.
  init(_ box: Handoff<Source>) {
    self.box = box
    thread = WorkerThread.start(named: "ckpi-reader") { [self] in produce() }
  }

  /// Runs `body` on every record of the source, reading ahead when the source asks for it.
  static func forEach(_ box: Handoff<Source>, _ body: (FactRecord) throws -> Void) throws {
    guard box.value.readsAhead else {
      while let r = try box.value.next() { try body(r) }
      return
    }
    let reader = Prefetcher(box)
    defer { reader.stop() }
    while let r = try reader.next() { try body(r) }
  }

  private func produce() {
    var batches = BatchQueue.Gatherer(into: queue)
    do {
      while let r = try box.value.next() {
        guard batches.add(r) else { return }
      }
      guard batches.flush() else { return }
      queue.close()
    } catch {
      // The records read before the error go first, as they would without the thread.
      guard batches.flush() else { return }
      queue.close(failure: error)
    }
  }

  /// The next record, nil at the end; rethrows the source's error in its place.
  func next() throws -> FactRecord? {
    if index < current.count {
      index += 1
      return current[index - 1]
    }
    guard let batch = try queue.pop() else { return nil }
    current = batch
    index = 1
    return current[0]
  }

  /// Stops reading (the writer failed, or all was read) and waits for the thread to end.
  func stop() {
    queue.cancel()
    thread?.wait()
  }
}
