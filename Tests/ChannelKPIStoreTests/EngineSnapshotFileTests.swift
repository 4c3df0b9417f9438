import ChannelKPI
import Foundation
import Testing

@testable import ChannelKPIStore

/// The snapshot next to a SQLite database: used only when it reflects this database's history,
/// refused when it is older than asked for, of another database, or cut short.
struct EngineSnapshotFileTests {
  static func deals(_ ids: ClosedRange<Int>, amount: Int) -> [FactRecord] {
    func valid(_ t: CanonicalTable, _ texts: [String?]) -> FactRecord {
      guard case .success(let r) = RecordValidator.validate(t, texts: texts) else { fatalError() }
      return r
    }
    return [valid(.partners, ["P1", "One", "reseller", "emea", nil, nil, "2024-01-01", nil, nil])]
      + ids.map { i in
        valid(
          .deals,
          ["D\(i)", "P1", nil, "sourced", "2025-01-02", nil, nil, "won", "2025-02-0\(i % 9 + 1)", "\(amount)", nil])
      }
  }

  static func revenue(_ e: KPIEngine) throws -> [Double?] {
    try e.compute(ComputeRequest(kpis: ["revenue", "win_rate"], by: .partner, grain: .month)).values
  }

  /// A database `a.sqlite` in a directory of its own (the caller removes it) holding 20 deals of
  /// 100.00 closed in February 2025.
  static func database() async throws -> (dir: String, catalog: CompiledCatalog, store: SQLiteStore) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("snap-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let store = try SQLiteStore(path: dir + "/a.sqlite")
    _ = try await store.upsert(Self.deals(1...20, amount: 100))
    return (dir, try CatalogCompiler.compile(.builtin), store)
  }

  @Test func aSnapshotIsUsedOnlyForItsOwnDatabase() async throws {
    let (dir, catalog, store) = try await Self.database()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let loaded = KPIEngine(catalog: catalog)
    let position = try await store.load(into: loaded)
    let file = try #require(EngineSnapshotFile(for: store))
    #expect(file.path == dir + "/a.sqlite.snapshot")
    // The file is as private as the database; a write killed midway leaves nothing for long.
    chmod(dir + "/a.sqlite", 0o600)
    let abandoned = dir + "/a.sqlite.snapshot.tmp-2147483646-1"
    FileManager.default.createFile(atPath: abandoned, contents: Data([1, 2, 3]))
    try file.write(loaded.facts(), position: position, stamp: try #require(await store.changeStamp(at: position)))
    let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    #expect(!FileManager.default.fileExists(atPath: abandoned))

    let restored = KPIEngine(catalog: catalog)
    #expect(try await file.restore(into: restored, store: store, current: true) == position)
    #expect(try Self.revenue(restored) == Self.revenue(loaded))
    // 20 deals of 100.00 in 2025-02.
    #expect(try Self.revenue(restored).contains(2000))

    // A later write: a reader that cannot catch up refuses it; one that follows the log takes it.
    _ = try await store.upsert(Self.deals(21...25, amount: 100))
    await #expect(throws: EngineSnapshotFile.NotUsed.self) {
      try await file.restore(into: KPIEngine(catalog: catalog), store: store, current: true)
    }
    #expect(try await file.restore(into: KPIEngine(catalog: catalog), store: store) == position)

    // Another database that reached the same position is another history.
    let other = try SQLiteStore(path: dir + "/b.sqlite")
    _ = try await other.upsert(Self.deals(1...20, amount: 999))
    #expect(try await other.latestChange() == position)
    await #expect(throws: EngineSnapshotFile.NotUsed.self) {
      try await file.restore(into: KPIEngine(catalog: catalog), store: other)
    }

    // One byte changed anywhere in the facts (a dictionary's string, a deal's amount, an index):
    // the checksum refuses it, and says so even when the damage makes the facts inconsistent.
    let url = URL(fileURLWithPath: file.path)
    let bytes = try Data(contentsOf: url)
    for at in stride(from: 64, to: bytes.count - 16, by: max(1, (bytes.count - 80) / 24)) {
      var damaged = bytes
      damaged[at] ^= 0x10
      try damaged.write(to: url)
      await #expect {
        try await file.restore(into: KPIEngine(catalog: catalog), store: store)
      } throws: { error in
        "\(error)".contains("checksum does not match")
      }
    }
    // A snapshot of a build that wrote no checksum is read again from the database.
    try (Data("CKPISNAP".utf8) + bytes.dropFirst(8)).write(to: url)
    await #expect {
      try await file.restore(into: KPIEngine(catalog: catalog), store: store)
    } throws: { error in
      "\(error)".contains("without a checksum")
    }
    try bytes.write(to: url)
    #expect(try await file.restore(into: KPIEngine(catalog: catalog), store: store) == position)

    // Cut short: refused before anything is read.
    try bytes.prefix(bytes.count - 100).write(to: url)
    await #expect(throws: EngineSnapshotFile.NotUsed.self) {
      try await file.restore(into: KPIEngine(catalog: catalog), store: store)
    }
    try await store.close()
    try await other.close()
  }

  @Test func commandsTakeTheSnapshotOnlyWhileNoFactChanged() async throws {
    let (dir, catalog, store) = try await Self.database()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    func snapshot() async throws {
      let (engine, position) = try await EngineSnapshotFile.load({ KPIEngine(catalog: catalog) }, from: store)
      let file = try #require(EngineSnapshotFile(for: store))
      try file.write(engine.facts(), position: position, stamp: try #require(await store.changeStamp(at: position)))
    }
    try await snapshot()
    // A deal removed behind the log's back tells which source was read: the snapshot still has
    // its 100.00 (2,000 in February), the database not (1,900).
    func removeBehindTheLog(_ id: String) async throws {
      try await store.writer.write { db in try db.execute(sql: "DELETE FROM deals WHERE deal_id = ?", arguments: [id]) }
    }
    try await removeBehindTheLog("D1")
    func loaded(_ extra: [CanonicalTable: [String]] = [:]) async throws -> ([Double?], Int64) {
      let (engine, position) = try await EngineSnapshotFile.load(
        { KPIEngine(catalog: catalog, extraColumns: extra) }, from: store)
      return (try Self.revenue(engine), position)
    }
    let first = try await loaded()
    var latest = try await store.latestChange()
    #expect(first.0.contains(2000) && first.1 == latest)
    // Definitions since the snapshot change no fact: still the snapshot, as of the log's end.
    _ = try await store.addProgramVersion(
      files: [:], effective: try #require(Day(iso: "2024-01-01")), appliedAt: "2026-01-01T00:00:00Z", note: "")
    let afterDefinitions = try await loaded()
    latest = try await store.latestChange()
    #expect(afterDefinitions.0 == first.0 && afterDefinitions.1 == latest)
    #expect(afterDefinitions.1 > first.1)
    // A logged fact since: the database (19 deals of the first 20, and 5 more).
    _ = try await store.upsert(Self.deals(21...25, amount: 100))
    let afterFacts = try await loaded()
    #expect(afterFacts.0.contains(2400) && !afterFacts.0.contains(2500))
    latest = try await store.latestChange()
    #expect(afterFacts.1 == latest)
    // A snapshot that lacks a column the engine keeps is not taken either.
    try await snapshot()
    try await removeBehindTheLog("D2")
    let fromSnapshot = try await loaded()
    let withProduct = try await loaded([.deals: ["product"]])
    #expect(fromSnapshot.0.contains(2400))
    #expect(withProduct.0.contains(2300))
    try await store.close()
  }

  /// Writing a snapshot leaves the locks that this process's connections hold on the database.
  /// POSIX locks belong to a process, and closing any descriptor of the file drops them all: a
  /// command then run beside the server (`keys create`) found itself the database's last
  /// connection when it closed, and removed the write-ahead log the server was writing to (the
  /// server's next write failed with a disk I/O error). Linux lists the locks in /proc/locks.
  @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/locks"), "Linux lists locks in /proc/locks"))
  func writingASnapshotKeepsTheLocksOnTheDatabase() async throws {
    let (dir, catalog, store) = try await Self.database()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let engine = KPIEngine(catalog: catalog)
    let position = try await store.load(into: engine)
    let stamp = try #require(await store.changeStamp(at: position))
    let held = try Self.locksHeld(on: dir + "/a.sqlite")
    #expect(held > 0)
    try #require(EngineSnapshotFile(for: store)).write(engine.facts(), position: position, stamp: stamp)
    #expect(try Self.locksHeld(on: dir + "/a.sqlite") == held)
    try await store.close()
  }

  /// The POSIX locks this process holds on the file at `path`.
  static func locksHeld(on path: String) throws -> Int {
    var st = stat()
    try #require(stat(path, &st) == 0)
    let pid = "\(getpid())"
    let inode = "\(st.st_ino)"
    // Read to its end in a loop: the file says it is empty, and a read of its size would stop at
    // the first page (the whole test run holds many locks).
    let file = try #require(fopen("/proc/locks", "r"))
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = fread(&chunk, 1, chunk.count, file)
      if n == 0 { break }
      bytes += chunk[..<n]
    }
    // "1: POSIX  ADVISORY  READ 4242 08:01:131077 1073741826 1073742335"
    return String(decoding: bytes, as: UTF8.self).split(separator: "\n").count { line in
      let f = line.split(separator: " ")
      return f.count >= 6 && f[1] == "POSIX" && f[4] == pid && f[5].split(separator: ":").last.map(String.init) == inode
    }
  }

  /// A snapshot takes the mode of the SQLite database it copies, and only of one: a file given
  /// for a PostgreSQL instance (which names no database file) stays owner-only, whatever file its
  /// name extends.
  @Test func aSnapshotTakesTheModeOfItsSQLiteDatabaseOnly() async throws {
    let (dir, catalog, store) = try await Self.database()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let engine = KPIEngine(catalog: catalog)
    let position = try await store.load(into: engine)
    let stamp = try #require(await store.changeStamp(at: position))
    chmod(dir + "/a.sqlite", 0o644)
    FileManager.default.createFile(atPath: dir + "/tool", contents: Data("#!/bin/sh\n".utf8))
    chmod(dir + "/tool", 0o755)
    let files = [try #require(EngineSnapshotFile(for: store)), EngineSnapshotFile(path: dir + "/tool.snapshot")]
    #expect(files[0].database == dir + "/a.sqlite")
    for (file, mode) in zip(files, [0o644, 0o600]) {
      let path = file.path
      try file.write(engine.facts(), position: position, stamp: stamp)
      #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == mode, "\(path)")
    }
    try await store.close()
  }
}

/// The checksum is the same however the bytes are cut into pieces, and changes with any bit.
struct SnapshotChecksumTests {
  static func sum(_ bytes: [UInt8], pieces: [Int]) -> UInt64 {
    var c = SnapshotChecksum()
    var at = 0
    for n in pieces + [bytes.count] {
      let end = min(bytes.count, at + n)
      bytes[at..<end].withUnsafeBytes { c.add($0) }
      at = end
      if at == bytes.count { break }
    }
    return c.value
  }

  @Test func piecesDoNotMatterAndEveryBitDoes() {
    var g = SystemRandomNumberGenerator()
    for n in [0, 1, 7, 31, 32, 33, 100, 1_000] {
      let bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &g) }
      let whole = Self.sum(bytes, pieces: [])
      let cut = Self.sum(bytes, pieces: (0..<20).map { _ in Int.random(in: 0...40, using: &g) })
      #expect(whole == cut, "\(n) bytes")
      if n > 0 {
        var flipped = bytes
        flipped[Int.random(in: 0..<n, using: &g)] ^= 1 << UInt8.random(in: 0...7, using: &g)
        #expect(Self.sum(flipped, pieces: []) != whole, "\(n) bytes")
      }
      // A longer run of zeros is another sum.
      #expect(Self.sum(bytes + [0], pieces: []) != whole)
    }
  }
}
