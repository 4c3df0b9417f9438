public import ChannelKPI
import Foundation

/// Batches of records handed from one thread to another, in order, with at most `capacity` of
/// them waiting (so a producer that runs ahead holds a few batches, not a whole import).
///
/// The import uses one in each direction: a reader thread fills one for the store's writer
/// (`Prefetcher`), and the writer's side fills one for the thread that stages records into the
/// engine snapshot.
public final class BatchQueue: @unchecked Sendable {
  /// Records per batch: large enough that the lock is taken rarely, small enough to stay in cache.
  public static var batchSize: Int { 4096 }

  private let capacity: Int
  private let condition = NSCondition()
  // Guarded by `condition`.
  private var waiting: [[FactRecord]] = []
  private var closed = false
  private var cancelled = false
  private var failure: (any Error)?

  public init(capacity: Int) { self.capacity = capacity }

  /// Adds a batch, waiting while `capacity` batches wait; false (and the batch dropped) once the
  /// queue is cancelled or closed.
  @discardableResult public func push(_ batch: [FactRecord]) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while waiting.count >= capacity && !cancelled && !closed { condition.wait() }
    if cancelled || closed { return false }
    waiting.append(batch)
    condition.broadcast()
    return true
  }

  /// No more batches. `pop` hands out those waiting, then throws `failure` if one is given, or
  /// returns nil.
  public func close(failure: (any Error)? = nil) {
    condition.lock()
    if !closed {
      closed = true
      self.failure = failure
    }
    condition.broadcast()
    condition.unlock()
  }

  /// Stops both sides at once: `push` drops what it is given, `pop` returns nil, batches waiting are
  /// let go.
  public func cancel() {
    condition.lock()
    cancelled = true
    waiting = []
    condition.broadcast()
    condition.unlock()
  }

  /// The next batch, waiting for one; nil once the queue is closed and empty, or cancelled.
  public func pop() throws -> [FactRecord]? {
    condition.lock()
    while waiting.isEmpty && !closed && !cancelled { condition.wait() }
    if cancelled {
      condition.unlock()
      return nil
    }
    if !waiting.isEmpty {
      let batch = waiting.removeFirst()
      condition.broadcast()
      condition.unlock()
      return batch
    }
    let error = failure
    condition.unlock()
    if let error { throw error }
    return nil
  }
}

extension BatchQueue {
  /// Gathers records one at a time into batches of `batchSize` for a queue: each full batch is
  /// pushed as it fills, the last part by `flush`.
  public struct Gatherer {
    private let queue: BatchQueue
    private var batch: [FactRecord] = []

    public init(into queue: BatchQueue) {
      self.queue = queue
      batch.reserveCapacity(BatchQueue.batchSize)
    }

    /// Adds a record; false when a full batch was refused (the queue is cancelled or closed).
    public mutating func add(_ r: FactRecord) -> Bool {
      batch.append(r)
      guard batch.count == BatchQueue.batchSize else { return true }
      return flush()
    }

    /// Pushes the records gathered since the last batch, if any; false when they were refused.
    public mutating func flush() -> Bool {
      guard !batch.isEmpty else { return true }
      let full = batch
      batch = []
      batch.reserveCapacity(BatchQueue.batchSize)
      return queue.push(full)
    }
  }
}
