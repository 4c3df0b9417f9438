import Foundation
import Testing

/// `channelkpi import` killed with SIGKILL midway: the store is exactly as before (or, killed
/// after its commit, holds the whole import), it opens, and a later complete import succeeds.
@Suite(.serialized) struct ImportCrashTests {
  static let rounds = 8
  static let deals = 20_000

  /// An import of partners and deals marked `mark`: new partners, the seed's partners renamed,
  /// `deals` new deals and the seed's deals moved, so that a part of it shows in an export.
  static func bigImport(_ mark: String, over program: CrashProgram, deals: Int = deals) -> CrashProgram {
    var batch = CrashProgram()
    let seed = CrashProgram.seed()
    for id in seed.partners.keys {
      batch.partners[id] = .init(type: program.partners[id]?.type ?? "reseller", mark: mark)
    }
    for i in 0..<300 { batch.partners["\(mark)-P\(i)"] = .init(type: "msp", mark: mark) }
    for (id, d) in seed.deals {
      let cents = (program.deals[id]?.cents ?? d.cents) + 1
      batch.deals[id] = .init(partner: d.partner, closedOn: "2025-12-01", cents: cents, mark: mark)
    }
    for i in 0..<deals {
      batch.deals["\(mark)-D\(i)"] = .init(
        partner: i % 2 == 0 ? CrashProgram.dealPartners[i % 5] : "\(mark)-P\(i % 300)",
        closedOn: "2025-\(CrashProgram.month(i))-15", cents: Int64(10_000 + i), mark: mark)
    }
    return batch
  }

  /// The bytes of every file of an export directory.
  static func files(_ dir: URL) throws -> [String: Data] {
    var out: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
      out[name] = try Data(contentsOf: dir.appendingPathComponent(name))
    }
    return out
  }

  @Test(arguments: CrashDatabase.available)
  func anImportKilledMidwayLeavesTheStoreAsItWas(_ kind: CrashDatabase) async throws {
    try await kind.withSeeded { dir, database, _ in
      var program = CrashProgram.seed()
      // How long a whole import takes here, on a copy of the program.
      let reference = dir.appendingPathComponent("reference.sqlite").path
      #expect(try CLI.run(["import", "seed", "--database", reference], in: dir).status == 0)
      try Self.bigImport("FULL", over: program).write(to: dir.appendingPathComponent("full"))
      let started = Date()
      let whole = try CLI.run(["import", "full", "--database", reference], in: dir)
      let seconds = Date().timeIntervalSince(started)
      try #require(whole.status == 0, "\(whole.stderr)")

      var unchanged = 0
      var committed = 0
      for round in 0..<Self.rounds {
        let before = dir.appendingPathComponent("before-\(round)")
        _ = try CrashSetup.export(database, in: dir, name: before.lastPathComponent)
        let batch = Self.bigImport("BIG\(round)", over: program)
        try batch.write(to: dir.appendingPathComponent("big-\(round)"))
        let process = try CLI.start(["import", "big-\(round)", "--database", database], in: dir)
        try await Task.sleep(for: .milliseconds(Int(seconds * 1000 * Double.random(in: 0.05...0.95))))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        let after = dir.appendingPathComponent("after-\(round)")
        let stored = try CrashSetup.export(database, in: dir, name: after.lastPathComponent)
        if try Self.files(after) == Self.files(before) {
          unchanged += 1
        } else {
          // Killed after its commit: then the import is there whole.
          let whole = CrashProgram.merged(program, batch)
          #expect(stored == whole, "round \(round): the store is neither as before nor as after the whole import")
          committed += 1
          program = stored
        }
      }
      #expect(unchanged >= 1, "every kill came after the import's commit; none tested a kill midway")
      // The store opens and takes a whole import afterwards.
      let batch = Self.bigImport("LAST", over: program)
      try batch.write(to: dir.appendingPathComponent("last"))
      let last = try CLI.run(["import", "last", "--database", database], in: dir)
      #expect(last.status == 0, "\(last.stderr)")
      #expect(try CrashSetup.export(database, in: dir, name: "final") == CrashProgram.merged(program, batch))
      print(
        "import crash test (\(kind.rawValue)): a whole import takes \(String(format: "%.2f", seconds)) s; "
          + "\(unchanged) of \(Self.rounds) kills left the store unchanged, \(committed) came after the commit")
    }
  }

  /// Whether SQLite would play the journal at `path` back: it does for a file whose first byte is
  /// not zero (a journal's header starts with a magic number). SQLite writes that number only
  /// after the journal's pages are synced, and nothing to the database before; a kill before
  /// then leaves a file that is empty or starts with a zero, which SQLite leaves in place.
  static func wouldRollBack(_ path: String) -> Bool {
    guard let handle = FileHandle(forReadingAtPath: path) else { return false }
    defer { try? handle.close() }
    let first = (try? handle.read(upToCount: 1)) ?? nil
    return (first?.first ?? 0) != 0
  }

  /// The first import into a new database is written with a rollback journal rather than the
  /// write-ahead log (SQLite only). Killed midway, it leaves a journal that the next command rolls
  /// back: the store opens with no facts, and a later import goes in whole.
  @Test func aFirstImportKilledMidwayLeavesAnEmptyStore() async throws {
    let dir = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let batch = Self.bigImport("FIRST", over: CrashProgram(), deals: Self.deals)
    try batch.write(to: dir.appendingPathComponent("first"))
    let reference = dir.appendingPathComponent("reference.sqlite").path
    let started = Date()
    let whole = try CLI.run(["import", "first", "--database", reference], in: dir)
    let seconds = Date().timeIntervalSince(started)
    try #require(whole.status == 0, "\(whole.stderr)")
    #expect(try CrashSetup.export(reference, in: dir, name: "reference") == batch)

    var empty = 0
    var journaled = 0
    for round in 0..<Self.rounds {
      let database = dir.appendingPathComponent("first-\(round).sqlite").path
      let process = try CLI.start(["import", "first", "--database", database], in: dir)
      if round % 2 == 0 {
        try await Task.sleep(for: .milliseconds(Int(seconds * 1000 * Double.random(in: 0.05...0.95))))
      } else {
        // Every other kill waits for the journal and comes as soon as it appears: the import
        // reads and checks for a while before it writes, and SQLite creates the journal late in
        // the transaction (in CI, kills up to 20 ms after it appeared mostly came after the commit).
        let deadline = Date().addingTimeInterval(seconds * 4 + 10)
        while process.isRunning, !FileManager.default.fileExists(atPath: database + "-journal"), Date() < deadline {
          usleep(200)
        }
      }
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      // Killed while writing: the journal of the rollback is there until the next command opens the file.
      if FileManager.default.fileExists(atPath: database + "-journal") { journaled += 1 }
      let stored = try CrashSetup.export(database, in: dir, name: "after-\(round)")
      if stored == CrashProgram() {
        empty += 1
      } else {
        #expect(stored == batch, "round \(round): the store is neither empty nor the whole import")
      }
      #expect(!Self.wouldRollBack(database + "-journal"), "round \(round): a journal to play back is left")
      let again = try CLI.run(["import", "first", "--database", database], in: dir)
      #expect(again.status == 0, "round \(round): \(again.stderr)")
      #expect(try CrashSetup.export(database, in: dir, name: "again-\(round)") == batch)
    }
    #expect(empty >= 1, "every kill came after the import's commit; none tested a kill midway")
    #expect(journaled >= 1, "no kill found a rollback journal: the first import did not leave the write-ahead log")
    print(
      "first import crash test: a whole import takes \(String(format: "%.2f", seconds)) s; "
        + "\(empty) of \(Self.rounds) kills left the store empty, \(journaled) of them left a journal to roll back")
  }
}
