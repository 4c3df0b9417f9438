import ChannelKPI
import ChannelKPIStore
import Foundation
import Testing

/// The queue between an import's threads: batches come out in order, a producer that runs ahead
/// waits at the capacity, a failure comes after the batches pushed before it, and cancelling
/// frees a producer that waits.
struct BatchQueueTests {
  struct Failure: Error, Equatable {}

  static func batch(_ n: Int) -> [FactRecord] {
    [FactRecord(table: .market, values: [.string("r\(n)"), .month(Month(year: 2025, month: 1)), .money(Int64(n))])]
  }

  static func number(_ b: [FactRecord]) -> Int64? { b.first?.values[2].money }

  /// Whether `condition` holds within ten seconds (checked every millisecond).
  static func eventually(_ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(10)
    while !condition() {
      if Date() > deadline { return false }
      Thread.sleep(forTimeInterval: 0.001)
    }
    return true
  }

  @Test func batchesComeOutInOrderThenTheFailure() throws {
    let queue = BatchQueue(capacity: 2)
    let producer = WorkerThread.start(named: "test-producer") {
      for n in 0..<50 { queue.push(Self.batch(n)) }
      queue.close(failure: Failure())
    }
    var seen: [Int64] = []
    do {
      while let b = try queue.pop() { seen.append(try #require(Self.number(b))) }
      Issue.record("the failure was not thrown")
    } catch is Failure {}
    producer.wait()
    #expect(seen == (0..<50).map { Int64($0) })
  }

  @Test func aProducerWaitsAtTheCapacityUntilABatchIsTaken() throws {
    let queue = BatchQueue(capacity: 3)
    let pushed = Locked(0)
    let producer = WorkerThread.start(named: "test-producer") {
      for n in 0..<5 {
        queue.push(Self.batch(n))
        pushed.withLock { $0 += 1 }
      }
      queue.close()
    }
    // Three fit; the fourth push waits for a pop.
    #expect(Self.eventually { pushed.withLock { $0 } == 3 })
    Thread.sleep(forTimeInterval: 0.2)
    #expect(pushed.withLock { $0 } == 3)
    #expect(Self.number(try #require(try queue.pop())) == 0)
    var rest: [Int64] = []
    while let b = try queue.pop() { rest.append(try #require(Self.number(b))) }
    producer.wait()
    #expect(rest == [1, 2, 3, 4])
    #expect(pushed.withLock { $0 } == 5)
  }

  @Test func cancellingFreesAWaitingProducerAndDropsWhatWaits() throws {
    let queue = BatchQueue(capacity: 1)
    let refused = Locked(0)
    let attempts = Locked(0)
    let producer = WorkerThread.start(named: "test-producer") {
      for n in 0..<3 {
        attempts.withLock { $0 += 1 }
        if !queue.push(Self.batch(n)) { refused.withLock { $0 += 1 } }
      }
    }
    // The first push returned; the second waits.
    #expect(Self.eventually { attempts.withLock { $0 } == 2 })
    Thread.sleep(forTimeInterval: 0.1)
    queue.cancel()
    producer.wait()
    // The first batch went in; the second waited and was refused, and so was the third.
    #expect(refused.withLock { $0 } == 2)
    #expect(try queue.pop() == nil)
    #expect(queue.push(Self.batch(9)) == false)
  }

  /// Records gathered one at a time come out in full batches, then the rest as one batch at the
  /// flush; a batch the queue refuses (closed) is said so.
  @Test func aGathererPushesFullBatchesThenTheRest() throws {
    let size = BatchQueue.batchSize
    let total = 2 * size + 5
    let queue = BatchQueue(capacity: 3)
    var gatherer = BatchQueue.Gatherer(into: queue)
    var accepted = (0..<total).map { n in gatherer.add(Self.batch(n)[0]) }
    accepted.append(gatherer.flush())
    // Nothing gathered since: nothing to push, nothing refused.
    accepted.append(gatherer.flush())
    #expect(accepted.allSatisfy { $0 })
    queue.close()
    var sizes: [Int] = []
    var numbers: [Int64] = []
    while let b = try queue.pop() {
      sizes.append(b.count)
      numbers += b.compactMap { $0.values[2].money }
    }
    #expect(sizes == [size, size, 5])
    #expect(numbers == (0..<total).map { Int64($0) })

    var late = BatchQueue.Gatherer(into: queue)
    let added = late.add(Self.batch(0)[0])
    #expect(added, "a partial batch is not pushed yet")
    let flushed = late.flush()
    #expect(!flushed, "the queue is closed: the batch is refused")
  }
}
