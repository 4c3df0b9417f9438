import ChannelKPITestSupport
import Foundation
import Testing

/// A full disk and a read-only database, through the executable: clear errors that name the
/// database and the cause, never a crash, and nothing stored in part.
@Suite(.serialized) struct StorageErrorCLITests {
  @Test func aFullDiskRefusesAnImportAndABatchClearlyAndStoresNoneOfThem() async throws {
    let dir = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let database = dir.appendingPathComponent("full.sqlite").path
    let key = try CrashSetup.seed(database, in: dir)
    // The database may grow by 16 pages (64 KiB), as if its disk were that close to full.
    let size = try #require(try FileManager.default.attributesOfItem(atPath: database)[.size] as? Int)
    let full = ["CHANNELKPI_SQLITE_MAX_PAGES": "\(size / 4096 + 16)"]
    _ = try CrashSetup.export(database, in: dir, name: "before")
    let seed = CrashProgram.seed()
    let big = ImportCrashTests.bigImport("BIG", over: seed, deals: 5_000)
    try big.write(to: dir.appendingPathComponent("big"))

    let refused = try CLI.run(["import", "big", "--database", database], in: dir, environment: full)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("the database \(database) is full"), "\(refused.stderr)")
    #expect(!refused.stderr.contains("INSERT") && !refused.stderr.contains("SQLite error"), "\(refused.stderr)")
    _ = try CrashSetup.export(database, in: dir, name: "after-import")
    #expect(
      try ImportCrashTests.files(dir.appendingPathComponent("after-import"))
        == ImportCrashTests.files(dir.appendingPathComponent("before")))

    // A server on the full database refuses a batch that does not fit, and goes on serving.
    let server = try Server.start(database: database, in: dir, name: "full", key: key, environment: full)
    let query = "/api/v1/values?kpi=revenue&by=partner&grain=quarter&from=2025-Q1&to=2025-Q4"
    let values = try await server.get(query)
    // The import's deals of the seeded partners (about 2,500), as one batch.
    let tooBig = CrashBatch(
      name: "BIG", table: "deals", deals: big.deals.filter { CrashProgram.dealPartners.contains($0.value.partner) })
    let answer = try await server.post("/api/v1/facts/deals", tooBig.body)
    #expect(answer.status == 507, "\(answer.body.prefix(300))")
    let error = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: [String: String]]
    #expect(error?["error"]?["code"] == "database_full", "\(answer.body.prefix(300))")
    #expect(error?["error"]?["message"]?.hasPrefix("the database is full: nothing of this request was stored") == true)
    #expect(try await server.get(query) == values)
    let small = CrashBatch.make(round: 0, client: 0, number: 0, older: [], olderPartners: [])
    let fits = try await server.post("/api/v1/facts/deals", small.body)
    #expect(fits.status == 200, "\(fits.body)")
    try await ServerCrashTests.expectRevenue(server, equalTo: small.applied(to: seed), "after the full disk")
    server.stop()
    let log = try String(contentsOf: dir.appendingPathComponent("serve-full.log"), encoding: .utf8)
    #expect(log.contains("the database \(database) is full"), "the log does not say which database is full")
    #expect(try CrashSetup.export(database, in: dir, name: "after-batch") == small.applied(to: seed))

    // With room, the same import goes in whole.
    let imported = try CLI.run(["import", "big", "--database", database], in: dir)
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(
      try CrashSetup.export(database, in: dir, name: "after-room") == CrashProgram.merged(small.applied(to: seed), big))
  }

  /// The first import into a new database (written with a rollback journal, not the log) on a
  /// full disk: the same clear error, no facts stored, no journal left, and with room it goes in.
  @Test func aFullDiskRefusesAFirstImportClearly() throws {
    let dir = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let database = dir.appendingPathComponent("first.sqlite").path
    // The export makes the database (its schema, no facts) and shows it empty.
    #expect(try CrashSetup.export(database, in: dir, name: "before") == CrashProgram())
    let size = try #require(try FileManager.default.attributesOfItem(atPath: database)[.size] as? Int)
    let full = ["CHANNELKPI_SQLITE_MAX_PAGES": "\(size / 4096 + 16)"]
    let big = ImportCrashTests.bigImport("BIG", over: CrashProgram(), deals: 5_000)
    try big.write(to: dir.appendingPathComponent("big"))

    let refused = try CLI.run(["import", "big", "--database", database], in: dir, environment: full)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("the database \(database) is full"), "\(refused.stderr)")
    #expect(!FileManager.default.fileExists(atPath: database + "-journal"))
    #expect(try CrashSetup.export(database, in: dir, name: "after-refused") == CrashProgram())

    let imported = try CLI.run(["import", "big", "--database", database], in: dir)
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(try CrashSetup.export(database, in: dir, name: "after-room") == big)
  }

  /// How to run the executable as a user who may not write what the test made: as the test's
  /// user, unless that is root (whom permissions do not stop), then as `nobody` through setpriv.
  /// The build directory may be closed to nobody (under /root, say), so nobody runs a link to the
  /// executable (or a copy) in `dir`.
  static func unprivileged(in dir: URL) throws -> [String] {
    guard getuid() == 0 else { return [] }
    let setpriv = "/usr/bin/setpriv"
    try #require(
      FileManager.default.isExecutableFile(atPath: setpriv),
      "the tests run as root, whom permissions do not stop: setpriv (util-linux) is needed to run as nobody")
    let binary = try #require(CLI.binary)
    let reachable = dir.appendingPathComponent("channelkpi")
    do { try FileManager.default.linkItem(at: binary, to: reachable) } catch {
      try FileManager.default.copyItem(at: binary, to: reachable)
    }
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", reachable.path]
  }

  @Test func aReadOnlyDatabaseIsSaidSoByImportAndServe() async throws {
    let dir = try CLI.temporaryDirectory()
    let readOnly = dir.appendingPathComponent("ro")
    try FileManager.default.createDirectory(at: readOnly, withIntermediateDirectories: true)
    let database = readOnly.appendingPathComponent("program.sqlite").path
    _ = try CrashSetup.seed(database, in: dir)
    try CrashProgram.seed().write(to: dir.appendingPathComponent("more"))
    let fm = FileManager.default
    for name in try fm.contentsOfDirectory(atPath: readOnly.path) {
      try fm.setAttributes([.posixPermissions: 0o444], ofItemAtPath: readOnly.appendingPathComponent(name).path)
    }
    try fm.setAttributes([.posixPermissions: 0o555], ofItemAtPath: readOnly.path)
    defer {
      try? fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: readOnly.path)
      try? fm.removeItem(at: dir)
    }
    let launcher = try Self.unprivileged(in: dir)

    let imported = try CLI.run(["import", "more", "--database", database], in: dir, launcher: launcher)
    #expect(imported.status == 1)
    #expect(imported.stderr.contains("the database \(database) is read-only"), "\(imported.stderr)")
    #expect(!imported.stderr.contains("SQLite error"), "\(imported.stderr)")

    // The server does not start on a database it cannot write, and says why.
    let log = dir.appendingPathComponent("serve-ro.log")
    _ = fm.createFile(atPath: log.path, contents: nil)
    let out = try FileHandle(forWritingTo: log)
    let serve = try CLI.process(
      ["serve", "--port", "0", "--database", database], in: dir, launcher: launcher)
    serve.standardOutput = out
    serve.standardError = out
    try serve.run()
    let deadline = Date().addingTimeInterval(60)
    while serve.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
    let running = serve.isRunning
    if running {
      serve.interrupt()
      serve.waitUntilExit()
    }
    let text = try String(contentsOf: log, encoding: .utf8)
    #expect(!running, "serve started on a read-only database: \(text)")
    #expect(serve.terminationStatus == 1)
    #expect(text.contains("the database \(database) is read-only"), "\(text)")
  }

  @Test(.enabled(if: TestPostgres.isEnabled, "PostgreSQL is not configured (CHANNELKPI_TEST_POSTGRES)"))
  func aReadOnlyPostgreSQLDatabaseIsSaidSoByImportAndServe() async throws {
    let dir = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    try await TestPostgres.withDatabase { url in
      let database = TestPostgres.text(url)
      _ = try CrashSetup.seed(database, in: dir)
      try await TestPostgres.setReadOnly(url, true)
      let imported = try CLI.run(["import", "seed", "--database", database], in: dir)
      #expect(imported.status == 1)
      // The database named (its password written ***), and why it takes no write.
      let said = { (text: String) in text.contains(url.database) && text.contains("is read-only (a standby") }
      #expect(said(imported.stderr), "\(imported.stderr)")
      let served = try CLI.run(["serve", "--port", "0", "--database", database], in: dir)
      #expect(served.status == 1)
      #expect(said(served.stderr), "\(served.stderr)")
      let password = try #require(url.password)
      #expect(!imported.stderr.contains(password) && !served.stderr.contains(password), "the password was printed")
      try await TestPostgres.setReadOnly(url, false)
    }
  }
}
