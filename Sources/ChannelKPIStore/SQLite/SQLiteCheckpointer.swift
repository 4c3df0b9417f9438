import Foundation
import GRDB
import GRDBSQLite

/// Checkpoints a database's write-ahead log on a thread and connection of its own, so that a
/// commit never waits for one.
///
/// By default SQLite checkpoints in the commit that brings the log past 1,000 pages: that commit
/// copies the pages into the database and syncs both files (two `fdatasync`s of about 20 ms each
/// on the machine of docs/performance.md), while every write queued behind it waits. Here the
/// commit only asks (`sqlite3_wal_hook`, which also turns SQLite's own checkpoints off); the
/// thread then runs a passive checkpoint, which waits for no reader or writer. A commit that finds
/// the log past `ceiling` pages (the thread is not keeping up, or cannot run) checkpoints itself
/// as SQLite would.
///
/// The thread starts at the first request and opens its connection for each checkpoint only, so
/// that a process that never writes much (or a first import, which needs to be the file's only
/// connection) never has it open.
final class SQLiteCheckpointer: Sendable {
  let path: String
  /// Log pages after which a commit asks for a checkpoint (SQLite's own default).
  let threshold: Int32
  /// Log pages after which a commit checkpoints itself.
  let ceiling: Int32
  private let wake = DispatchSemaphore(value: 0)
  private struct State {
    var asked = false
    var stopping = false
    var worker: WorkerThread?
    /// Checkpoints run by the thread, and those that copied every page of the log.
    var runs = 0
    var complete = 0
  }
  private let state = Locked(State())

  init(path: String, threshold: Int32 = 1000, ceiling: Int32 = 64_000) {
    self.path = path
    self.threshold = threshold
    self.ceiling = ceiling
  }

  /// Installs the request on `db`'s commits (every connection of the store's pool: only the
  /// writer's commit). The pool's configuration, whose `prepareDatabase` calls this, keeps the
  /// object for as long as its connections live.
  func install(on db: Database) {
    sqlite3_wal_hook(db.sqliteConnection, Self.hook, Unmanaged.passUnretained(self).toOpaque())
  }

  /// SQLite's commit hook of a WAL database: context, connection, database name, log pages.
  private typealias Hook =
    @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, UnsafePointer<CChar>?, Int32) ->
    Int32

  private static let hook: Hook = { context, connection, _, pages in
    guard let context else { return SQLITE_OK }
    let checkpointer = Unmanaged<SQLiteCheckpointer>.fromOpaque(context).takeUnretainedValue()
    if pages >= checkpointer.ceiling {
      sqlite3_wal_checkpoint(connection, nil)
    } else if pages >= checkpointer.threshold {
      checkpointer.ask()
    }
    return SQLITE_OK
  }

  /// Asks the thread for a checkpoint (starting it the first time).
  func ask() {
    let signal = state.withLock { s -> Bool in
      guard !s.stopping, !s.asked else { return false }
      s.asked = true
      if s.worker == nil { s.worker = WorkerThread.start(named: "ckpi-checkpoint") { [self] in run() } }
      return true
    }
    if signal { wake.signal() }
  }

  /// Stops the thread after its checkpoint under way, if any; returns it (nil when it never
  /// started), for a caller to wait until it has ended and closed its connection.
  @discardableResult
  func stop() -> WorkerThread? {
    let worker = state.withLock { s -> WorkerThread? in
      s.stopping = true
      return s.worker
    }
    if worker != nil { wake.signal() }
    return worker
  }

  /// The thread's checkpoints so far: how many ran (on a log that was there), and how many found
  /// every page of the log copied into the database when they ended.
  var checkpoints: (runs: Int, complete: Int) { state.withLock { ($0.runs, $0.complete) } }

  private func run() {
    while true {
      wake.wait()
      let stopping = state.withLock { s -> Bool in
        s.asked = false
        return s.stopping
      }
      if stopping { return }
      guard let complete = checkpoint() else { continue }
      state.withLock { s in
        s.runs += 1
        if complete { s.complete += 1 }
      }
    }
  }

  /// One passive checkpoint on a connection opened for it: whether every page of the log is in
  /// the database after it, nil when none ran. A failure (the file gone, a full disk) leaves the
  /// log as it is: the pages are safe there, and the next commit past the ceiling checkpoints in
  /// its own turn.
  private func checkpoint() -> Bool? {
    var connection: OpaquePointer?
    defer { sqlite3_close_v2(connection) }
    guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK,
      sqlite3_exec(connection, "PRAGMA synchronous = NORMAL", nil, nil, nil) == SQLITE_OK,
      // A new connection opens the log only when it first reads the database; before that, a
      // checkpoint finds no log (-1 pages) and copies nothing.
      sqlite3_exec(connection, "PRAGMA schema_version", nil, nil, nil) == SQLITE_OK
    else { return nil }
    var logged: Int32 = 0
    var copied: Int32 = 0
    let code = sqlite3_wal_checkpoint_v2(connection, nil, SQLITE_CHECKPOINT_PASSIVE, &logged, &copied)
    guard code == SQLITE_OK, logged >= 0 else { return nil }
    return copied == logged
  }
}
