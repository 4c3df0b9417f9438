import ChannelKPIStore
import Foundation
import Testing

/// A worker thread is waited for without holding a thread of the cooperative pool: tasks that
/// join it resume once its body has returned, and at once when it already has.
struct WorkerThreadTests {
  @Test func joinersResumeAfterTheBodyReturns() async throws {
    let gate = DispatchSemaphore(value: 0)
    let finished = Locked(false)
    let worker = WorkerThread.start(named: "test-worker") {
      gate.wait()
      finished.withLock { $0 = true }
    }
    // Two tasks join while the body waits at the gate; neither may come back before it ends.
    async let first: Bool = {
      await worker.join()
      return finished.withLock { $0 }
    }()
    async let second: Bool = {
      await worker.join()
      return finished.withLock { $0 }
    }()
    try await Task.sleep(for: .milliseconds(100))
    gate.signal()
    let both = await [first, second]
    #expect(both == [true, true])
    // Once it has ended, a join returns at once.
    await worker.join()
    #expect(finished.withLock { $0 })
  }
}
