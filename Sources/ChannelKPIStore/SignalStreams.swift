import Foundation

/// The change-signal streams a store hands out: each is fed by tasks of its own, which stop when
/// its reader stops reading or when the store closes (which finishes every stream).
final class SignalStreams: Sendable {
  private struct State {
    var closed = false
    var streams: [UUID: AsyncStream<Void>.Continuation] = [:]
  }
  private let state = Locked(State())

  /// A stream that keeps only the latest signal, fed by the tasks `start` makes.
  func make(_ start: (AsyncStream<Void>.Continuation) -> [Task<Void, Never>]) -> AsyncStream<Void> {
    let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    let id = UUID()
    let tasks = start(continuation)
    // Set before the stream is registered, so that a close in between still stops the tasks.
    continuation.onTermination = { [state] _ in
      for t in tasks { t.cancel() }
      state.withLock { $0.streams[id] = nil }
    }
    let open = state.withLock { s in
      if s.closed { return false }
      s.streams[id] = continuation
      return true
    }
    if !open { continuation.finish() }
    return stream
  }

  /// Finishes every stream and refuses new ones.
  func close() {
    let open = state.withLock { s in
      s.closed = true
      defer { s.streams = [:] }
      return Array(s.streams.values)
    }
    for c in open { c.finish() }
  }
}
