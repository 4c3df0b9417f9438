import Synchronization

/// Who a key or session was found to be, kept for the rest of the second it was looked up in, so
/// that a burst of requests with one key reads the store once rather than once per request.
///
/// Entries are keyed by the credential's hash, never by the secret. A successful write through
/// this server (other than ingestion) forgets them all, so revoking a key, disabling a user or
/// signing out here takes effect at once; a change made elsewhere (another instance, the CLI on
/// the same database) takes effect within a second.
final class CredentialCache: Sendable {
  private struct Entry {
    var identity: Identity
    var second: Int64
  }
  private struct State {
    var entries: [String: Entry] = [:]
    /// Bumped by `forgetAll`: a lookup that began before cannot remember what it found.
    var generation = 0
  }
  private let state = Mutex(State())
  /// Enough for every key and session of a busy program; past it, the cache starts over.
  static let capacity = 10_000

  /// The identity found this second, if any; otherwise the generation to hand to `remember` after
  /// looking it up in the store.
  func identity(for hash: String, now: Int64) -> (identity: Identity?, generation: Int) {
    state.withLock { s in
      guard let entry = s.entries[hash], entry.second == now else { return (nil, s.generation) }
      return (entry.identity, s.generation)
    }
  }

  /// Keeps what a lookup found, unless everything was forgotten since it began (a revocation
  /// committed meanwhile must not be outlived by what was read before it).
  func remember(_ identity: Identity, for hash: String, now: Int64, generation: Int) {
    state.withLock { s in
      guard s.generation == generation else { return }
      if s.entries.count >= Self.capacity { s.entries = [:] }
      s.entries[hash] = Entry(identity: identity, second: now)
    }
  }

  func forgetAll() {
    state.withLock { s in
      s.entries = [:]
      s.generation += 1
    }
  }
}
