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
  private let entries = Mutex<[String: Entry]>([:])
  /// Enough for every key and session of a busy program; past it, the cache starts over.
  static let capacity = 10_000

  func identity(for hash: String, now: Int64) -> Identity? {
    entries.withLock { e in
      guard let entry = e[hash] else { return nil }
      return entry.second == now ? entry.identity : nil
    }
  }

  func remember(_ identity: Identity, for hash: String, now: Int64) {
    entries.withLock { e in
      if e.count >= Self.capacity { e = [:] }
      e[hash] = Entry(identity: identity, second: now)
    }
  }

  func forgetAll() { entries.withLock { $0 = [:] } }
}
