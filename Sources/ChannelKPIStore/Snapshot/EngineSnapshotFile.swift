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
  static let magic = Array("CKPISNAP".utf8)
  static let trailer = Array("CKPIDONE".utf8)

  public init(path: String) { self.path = path }

  /// The snapshot of a store, when it keeps one.
  public init?(for store: any Store) {
    guard let path = store.snapshotPath else { return nil }
    self.init(path: path)
  }

  /// Writes the facts as of `position` (whose change committed at `stamp`).
  public func write(_ facts: EngineFacts, position: Int64, stamp: Double) throws {
    let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    guard let f = fopen(temporary, "wb") else {
      throw StoreError.unavailable("cannot write \(temporary): \(String(cString: strerror(errno)))")
    }
    var closed = false
    defer {
      if !closed { fclose(f) }
      unlink(temporary)
    }
    setvbuf(f, nil, _IOFBF, 1 << 22)
    var w = SnapshotWriter { bytes in
      guard bytes.isEmpty || fwrite(bytes.baseAddress, 1, bytes.count, f) == bytes.count else {
        throw StoreError.unavailable("cannot write \(temporary): \(String(cString: strerror(errno)))")
      }
    }
    try Self.magic.withUnsafeBytes { try w.send($0) }
    try w.int(Int(position))
    try w.int(Int(Int64(bitPattern: stamp.bitPattern)))
    try facts.write(to: &w)
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
  public func restore(into engine: KPIEngine, store: any Store, current: Bool = false) async throws(NotUsed) -> Int64 {
    guard let f = fopen(path, "rb") else { throw NotUsed(description: "no snapshot at \(path)") }
    defer { fclose(f) }
    // A snapshot cut short (a full disk while another process copied it) is refused before reading.
    var end = [UInt8](repeating: 0, count: 8)
    guard fseek(f, -8, SEEK_END) == 0, fread(&end, 1, 8, f) == 8, end == Self.trailer, fseek(f, 0, SEEK_SET) == 0 else {
      throw NotUsed(description: "\(path) is not a whole snapshot")
    }
    setvbuf(f, nil, _IOFBF, 1 << 22)
    var r = SnapshotReader { buffer in
      guard buffer.isEmpty || fread(buffer.baseAddress, 1, buffer.count, f) == buffer.count else {
        throw SnapshotError("the snapshot ends early")
      }
    }
    let position: Int64
    let stamp: Double
    do {
      var head = [UInt8](repeating: 0, count: 8)
      try head.withUnsafeMutableBytes { try r.fill($0) }
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
    } catch let e as NotUsed { throw e } catch {
      throw NotUsed(description: "\(error)")
    }
    do {
      try engine.readSnapshot(from: &r)
      var tail = [UInt8](repeating: 0, count: 8)
      try tail.withUnsafeMutableBytes { try r.fill($0) }
      guard tail == Self.trailer else { throw SnapshotError("the snapshot does not end as one should") }
    } catch { throw NotUsed(description: "\(path): \(error)") }
    return position
  }

  /// Removes the snapshot (a database moved away or replaced).
  public func remove() { unlink(path) }
}
