public import Foundation

/// A thread of its own for one long job of an import (reading ahead, staging into an engine):
/// named (Linux keeps 15 characters of it), so that `top -H` and `perf` tell them apart, with room
/// for deep parsing on its stack.
public final class WorkerThread: Sendable {
  private let exited = DispatchSemaphore(value: 0)
  /// Whether the body has returned, and the tasks waiting for it to.
  private let state = Locked<(done: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

  private init() {}

  /// Starts `body` now.
  public static func start(named name: String, _ body: @escaping @Sendable () -> Void) -> WorkerThread {
    let worker = WorkerThread()
    let thread = Thread {
      // Named from inside: Foundation on Linux hands a name to the system only for the
      // thread that sets it.
      Thread.current.name = name
      body()
      let waiting = worker.state.withLock { s in
        s.done = true
        defer { s.waiting = [] }
        return s.waiting
      }
      for c in waiting { c.resume() }
      worker.exited.signal()
    }
    thread.stackSize = 8 << 20
    thread.start()
    return worker
  }

  /// Blocks until the body has returned (for a caller on a thread of its own; once).
  public func wait() { exited.wait() }

  /// Suspends until the body has returned, holding no thread meanwhile (for async callers).
  public func join() async {
    await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
      let done = state.withLock { s in
        if !s.done { s.waiting.append(c) }
        return s.done
      }
      if done { c.resume() }
    }
  }
}
