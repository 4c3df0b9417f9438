import ChannelKPI
import Foundation

/// Reads a record source on a thread of its own, a few batches ahead of the writer that consumes
/// it, so that parsing and validating a big import (one core) overlaps with writing it (the
/// other). Records arrive in the source's order; an error the source throws arrives after the
/// records read before it, as it would without the thread.
final class Prefetcher<Source: RecordSource>: @unchecked Sendable {
  static var batchSize: Int { 4096 }
  /// Batches read but not yet taken: bounds the memory held to a few batches.
  static var capacity: Int { 4 }

  private let box: Handoff<Source>
  private let condition = NSCondition()
  // Guarded by `condition`.
  private var ready: [[FactRecord]] = []
  private var failure: (any Error)?
  private var finished = false
  private var cancelled = false
  private var exited: DispatchSemaphore?
  // The consumer's own.
  private var current: [FactRecord] = []
  private var index = 0

  /// Starts reading `box.value` now; the caller must `stop()` before it touches the value again.
  init(_ box: Handoff<Source>) {
    self.box = box
    exited = WorkerThread.start(named: "ckpi-reader") { [self] in produce() }
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
    var batch: [FactRecord] = []
    batch.reserveCapacity(Self.batchSize)
    do {
      while let r = try box.value.next() {
        batch.append(r)
        if batch.count == Self.batchSize {
          guard push(batch) else { return }
          batch = []
          batch.reserveCapacity(Self.batchSize)
        }
      }
      if !batch.isEmpty { guard push(batch) else { return } }
      end(nil)
    } catch {
      // The records read before the error go first, as they would without the thread.
      if !batch.isEmpty { guard push(batch) else { return } }
      end(error)
    }
  }

  /// Hands a batch over, waiting while the consumer is behind; false once it has stopped.
  private func push(_ batch: [FactRecord]) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while ready.count >= Self.capacity && !cancelled { condition.wait() }
    if cancelled { return false }
    ready.append(batch)
    condition.broadcast()
    return true
  }

  private func end(_ error: (any Error)?) {
    condition.lock()
    failure = error
    finished = true
    condition.broadcast()
    condition.unlock()
  }

  /// The next record, nil at the end; rethrows the source's error in its place.
  func next() throws -> FactRecord? {
    if index < current.count {
      index += 1
      return current[index - 1]
    }
    condition.lock()
    while ready.isEmpty && !finished { condition.wait() }
    if !ready.isEmpty {
      current = ready.removeFirst()
      condition.broadcast()
      condition.unlock()
      index = 1
      return current[0]
    }
    let error = failure
    condition.unlock()
    if let error { throw error }
    return nil
  }

  /// Stops reading (the writer failed, or all was read) and waits for the thread to end.
  func stop() {
    condition.lock()
    cancelled = true
    condition.broadcast()
    condition.unlock()
    exited?.wait()
  }
}
