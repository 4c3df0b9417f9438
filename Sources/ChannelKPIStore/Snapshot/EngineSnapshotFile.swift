public import ChannelKPI
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The engine snapshot kept next to an embedded database: the facts an engine loaded, with the
/// change-log position they reflect and when that change committed, so that a start reads a few
/// large arrays instead of every row, and never a snapshot of another database's history.
///
/// Written whole to a temporary file, flushed and renamed over the old one: a crash leaves the
/// old snapshot or the new one, never half of one.
public struct EngineSnapshotFile: Sendable {
  public let path: String
  /// The file's first bytes: a file that starts with `unchecked` was written before snapshots
  /// carried a checksum, and is read again from the database.
  static let magic = Array("CKPISNP2".utf8)
  static let unchecked = Array("CKPISNAP".utf8)
  static let trailer = Array("CKPIDONE".utf8)

  /// The embedded database file the snapshot copies, whose permissions it takes; nil for a file
  /// given for a PostgreSQL instance, which stays owner-only.
  public let database: String?

  public init(path: String, database: String? = nil) {
    self.path = path
    self.database = database
  }

  /// The snapshot of a store, when it keeps one.
  public init?(for store: any Store) {
    guard let path = store.snapshotPath else { return nil }
    self.init(path: path, database: store.databaseFile)
  }

  /// Writes the facts as of `position` (whose change committed at `stamp`).
  public func write(_ facts: EngineFacts, position: Int64, stamp: Double) throws {
    removeAbandoned()
    let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    // As private as the database it copies: created owner-only, then given the mode of the SQLite
    // database it sits next to. Only `stat`, never `open`: closing any descriptor of the database
    // file would drop every lock SQLite's connections in this process hold on it (POSIX locks
    // belong to the process), and another process's last close would then take the write-ahead
    // log from under them.
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
    guard fd >= 0, let f = fdopen(fd, "wb") else {
      if fd >= 0 { close(fd) }
      throw StoreError.unavailable("cannot write \(temporary): \(String(cString: strerror(errno)))")
    }
    var copied = stat()
    if let database, stat(database, &copied) == 0 { fchmod(fd, copied.st_mode & 0o666) }
    var closed = false
    defer {
      if !closed { fclose(f) }
      unlink(temporary)
    }
    setvbuf(f, nil, _IOFBF, 1 << 22)
    // Every byte before the checksum is summed as it is written.
    var sum = SnapshotChecksum()
    var w = SnapshotWriter { bytes in
      sum.add(bytes)
      guard bytes.isEmpty || fwrite(bytes.baseAddress, 1, bytes.count, f) == bytes.count else {
        throw StoreError.unavailable("cannot write \(temporary): \(String(cString: strerror(errno)))")
      }
    }
    try Self.magic.withUnsafeBytes { try w.send($0) }
    try w.int(Int(position))
    try w.int(Int(Int64(bitPattern: stamp.bitPattern)))
    try facts.write(to: &w)
    try w.int(Int(Int64(bitPattern: sum.value)))
    try Self.trailer.withUnsafeBytes { try w.send($0) }
    guard fflush(f) == 0, fsync(fileno(f)) == 0 else {
      throw StoreError.unavailable("cannot write \(temporary): \(String(cString: strerror(errno)))")
    }
    fclose(f)
    closed = true
    guard rename(temporary, path) == 0 else {
      throw StoreError.unavailable("cannot write \(path): \(String(cString: strerror(errno)))")
    }
  }

  /// Why a snapshot was not used: missing, of another history, or unreadable.
  public struct NotUsed: Error, CustomStringConvertible {
    public var description: String
  }

  /// Fills a new engine from the snapshot and returns the position it reflects, after checking
  /// with the store that the position's change is the one the snapshot saw. With `current`, the
  /// snapshot must also reflect the store's latest change (a reader that cannot catch up). When
  /// it throws, the engine may hold part of the snapshot: use a new one.
  public func restore(
    into engine: KPIEngine, store: any Store, current: Bool = false,
    worthReading: (Int64) async throws -> Bool = { _ in true }
  ) async throws(NotUsed) -> Int64 {
    guard let f = fopen(path, "rb") else { throw NotUsed(description: "no snapshot at \(path)") }
    defer { fclose(f) }
    // A snapshot cut short (a full disk while another process copied it) is refused before reading.
    var end = [UInt8](repeating: 0, count: 8)
    guard fseek(f, -8, SEEK_END) == 0, fread(&end, 1, 8, f) == 8, end == Self.trailer, fseek(f, 0, SEEK_SET) == 0 else {
      throw NotUsed(description: "\(path) is not a whole snapshot")
    }
    setvbuf(f, nil, _IOFBF, 1 << 22)
    var sum = SnapshotChecksum()
    var r = SnapshotReader { buffer in
      guard buffer.isEmpty || fread(buffer.baseAddress, 1, buffer.count, f) == buffer.count else {
        throw SnapshotError("the snapshot ends early")
      }
      sum.add(UnsafeRawBufferPointer(buffer))
    }
    let position: Int64
    let stamp: Double
    do {
      var head = [UInt8](repeating: 0, count: 8)
      try head.withUnsafeMutableBytes { try r.fill($0) }
      if head == Self.unchecked { throw SnapshotError("written by an earlier version, without a checksum") }
      guard head == Self.magic else { throw SnapshotError("not a snapshot") }
      position = Int64(try r.int())
      stamp = Double(bitPattern: UInt64(bitPattern: Int64(try r.int())))
    } catch { throw NotUsed(description: "\(path): \(error)") }
    do {
      guard position > 0, try await store.changeStamp(at: position) == stamp else {
        throw NotUsed(description: "\(path) was made from another state of the database")
      }
      if current, try await store.latestChange() != position {
        throw NotUsed(description: "\(path) is older than the database")
      }
      guard try await worthReading(position) else {
        throw NotUsed(description: "\(path) is older than an import or definitions the database holds")
      }
    } catch let e as NotUsed { throw e } catch {
      throw NotUsed(description: "\(error)")
    }
    do {
      try engine.readSnapshot(from: &r)
      let expected = sum.value
      guard UInt64(bitPattern: Int64(try r.int())) == expected else {
        throw SnapshotError("its checksum does not match its contents (the file is damaged)")
      }
      var tail = [UInt8](repeating: 0, count: 8)
      try tail.withUnsafeMutableBytes { try r.fill($0) }
      guard tail == Self.trailer else { throw SnapshotError("the snapshot does not end as one should") }
    } catch {
      // Facts that do not fit together are most often a damaged file: say so when the sum says so
      // (not summed again for a whole snapshot of another format or other definitions).
      if (error as? SnapshotError)?.mayBeDamaged != false, Self.checksumFails(f) {
        throw NotUsed(description: "\(path): its checksum does not match its contents (the file is damaged)")
      }
      throw NotUsed(description: "\(path): \(error)")
    }
    return position
  }

  /// Whether the file's bytes before its checksum sum to another value than the checksum it holds
  /// (false when that cannot be told). Read again from the start: reading may have stopped
  /// anywhere, even past the checksum, when a damaged length sent it there.
  private static func checksumFails(_ f: UnsafeMutablePointer<FILE>) -> Bool {
    guard fseek(f, -16, SEEK_END) == 0 else { return false }
    var left = ftell(f)
    var stored: Int64 = 0
    guard left >= 0, fread(&stored, 1, 8, f) == 8, fseek(f, 0, SEEK_SET) == 0 else { return false }
    var sum = SnapshotChecksum()
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while left > 0 {
      let n = min(left, chunk.count)
      guard fread(&chunk, 1, n, f) == n else { return false }
      chunk.withUnsafeBytes { sum.add(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
      left -= n
    }
    return UInt64(bitPattern: Int64(littleEndian: stored)) != sum.value
  }

  /// A new engine (`make`) filled with the store's facts: from the database's snapshot when no fact
  /// changed since it was written and it fits the engine (its definitions, the columns it keeps),
  /// else read from the store. Returns the change-log position the facts reflect.
  public static func load(_ make: () -> KPIEngine, from store: any Store) async throws -> (KPIEngine, Int64) {
    if let file = EngineSnapshotFile(for: store) {
      let engine = make()
      var through: Int64?
      let restored = try? await file.restore(into: engine, store: store) { p in
        through = try await store.lastPositionWithoutFacts(after: p)
        return through != nil
      }
      if restored != nil, let through { return (engine, through) }
    }
    // A refused snapshot may have filled part of the first engine.
    let engine = make()
    return (engine, try await store.load(into: engine))
  }

  /// Removes the snapshot (a database moved away or replaced).
  public func remove() { unlink(path) }

  /// Removes temporary files of writes whose process is gone (killed while writing).
  func removeAbandoned() {
    let url = URL(fileURLWithPath: path)
    let prefix = url.lastPathComponent + ".tmp-"
    let dir = url.deletingLastPathComponent().path
    for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where name.hasPrefix(prefix) {
      guard let pid = name.dropFirst(prefix.count).split(separator: "-").first.flatMap({ pid_t($0) }),
        kill(pid, 0) != 0, errno == ESRCH
      else { continue }
      unlink((dir as NSString).appendingPathComponent(name))
    }
  }
}
