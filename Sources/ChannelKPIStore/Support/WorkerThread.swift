public import Foundation

/// A thread of its own for one long job of an import (reading ahead, staging into an engine):
/// named (Linux keeps 15 characters of it), so that `top -H` and `perf` tell them apart, with room
/// for deep parsing on its stack.
public enum WorkerThread {
  /// Starts `body` now; the semaphore is signalled once it has returned.
  public static func start(named name: String, _ body: @escaping @Sendable () -> Void) -> DispatchSemaphore {
    let exited = DispatchSemaphore(value: 0)
    let thread = Thread {
      // Named from inside: Foundation on Linux hands a name to the system only for the
      // thread that sets it.
      Thread.current.name = name
      body()
      exited.signal()
    }
    thread.stackSize = 8 << 20
    thread.start()
    return exited
  }
}
