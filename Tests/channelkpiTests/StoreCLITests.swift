import ChannelKPITestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Moving programs between databases, and several servers on one PostgreSQL database, through
/// the executable as a user would.
@Suite(.serialized) struct StoreCLITests {
  /// A small demo program in `demo/` of a new directory.
  func demo() throws -> URL {
    let dir = try CLI.temporaryDirectory()
    let r = try CLI.run(
      ["demo-data", "--out", "demo", "--partners", "12", "--months", "6", "--end", "2025-12"], in: dir)
    #expect(r.status == 0, "\(r.stderr)")
    return dir
  }

  /// The rows of every table file of a directory, sorted, without headers.
  func tableRows(_ dir: URL) throws -> [String: [String]] {
    var out: [String: [String]] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".csv") {
      let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
      out[name] = text.split(separator: "\n").dropFirst().map(String.init).sorted()
    }
    return out
  }

  func compute(_ database: String, in dir: URL) throws -> String {
    let r = try CLI.run(
      ["compute", "--by", "partner", "--grain", "quarter", "--format", "csv", "--database", database], in: dir)
    #expect(r.status == 0, "\(r.stderr)")
    return r.stdout
  }

  @Test func exportThenImportGivesTheSameFactsAndKPIs() throws {
    let dir = try demo()
    #expect(try CLI.run(["import", "demo", "--database", "a.sqlite"], in: dir).status == 0)
    let exported = try CLI.run(["export", "out", "--database", "a.sqlite"], in: dir)
    #expect(exported.status == 0, "\(exported.stderr)")
    #expect(exported.stdout.contains("deals.csv"))
    // Every table, row for row as the demo wrote it.
    let original = try tableRows(dir.appendingPathComponent("demo"))
    #expect(try tableRows(dir.appendingPathComponent("out")) == original)
    #expect(original.count == 10)
    let imported = try CLI.run(["import", "out", "--database", "b.sqlite"], in: dir)
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(try compute("b.sqlite", in: dir) == compute("a.sqlite", in: dir))
    // An export does not write over table files.
    let again = try CLI.run(["export", "out", "--database", "a.sqlite"], in: dir)
    #expect(again.status == 1)
    #expect(again.stderr.contains("already holds") && again.stderr.contains("deals.csv"))
  }

  @Test func anImportIntoAnEmptyDatabaseLeavesASnapshotThatComputesTheSame() throws {
    let dir = try demo()
    let first = try CLI.run(["import", "demo", "--database", "a.sqlite"], in: dir)
    #expect(first.status == 0 && first.stdout.contains("Wrote the engine snapshot"), "\(first.stdout)")
    let snapshot = dir.appendingPathComponent("a.sqlite.snapshot").path
    #expect(FileManager.default.fileExists(atPath: snapshot))
    let fromSnapshot = try compute("a.sqlite", in: dir)
    #expect(fromSnapshot.split(separator: "\n").count > 100)
    try FileManager.default.removeItem(atPath: snapshot)
    #expect(try compute("a.sqlite", in: dir) == fromSnapshot)
    // A database that holds facts already gets none (the next start writes it).
    let second = try CLI.run(["import", "demo", "--database", "a.sqlite"], in: dir)
    #expect(second.status == 0 && !second.stdout.contains("snapshot"))
    #expect(!FileManager.default.fileExists(atPath: snapshot))
    // A rejected import into an empty database leaves neither facts nor a snapshot.
    let bad = dir.appendingPathComponent("bad")
    try FileManager.default.createDirectory(at: bad, withIntermediateDirectories: true)
    try "partner_id,name,type,region,country,tier,joined_on,left_on,manager\nP1,One,reseller,emea,,,not-a-day,,\n"
      .write(to: bad.appendingPathComponent("partners.csv"), atomically: true, encoding: .utf8)
    #expect(try CLI.run(["import", "bad", "--database", "c.sqlite"], in: dir).status == 1)
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("c.sqlite.snapshot").path))
  }

  /// A snapshot file is for PostgreSQL: `--snapshot` with a SQLite database is refused, naming the
  /// file it keeps next to it, while `CHANNELKPI_SNAPSHOT` (set for a machine's PostgreSQL
  /// instances) leaves SQLite commands alone.
  @Test func aSnapshotFileIsForPostgreSQLOnly() throws {
    let dir = try demo()
    #expect(try CLI.run(["import", "demo", "--database", "a.sqlite"], in: dir).status == 0)
    let refused = try CLI.run(["compute", "--database", "a.sqlite", "--snapshot", "elsewhere.snapshot"], in: dir)
    #expect(refused.status != 0)
    #expect(refused.stderr.contains("keeps its snapshot next to it (a.sqlite.snapshot)"), "\(refused.stderr)")
    let env = ["CHANNELKPI_SNAPSHOT": dir.appendingPathComponent("elsewhere.snapshot").path]
    let plain = try CLI.run(["compute", "--database", "a.sqlite", "--kpi", "revenue"], in: dir)
    let withEnv = try CLI.run(["compute", "--database", "a.sqlite", "--kpi", "revenue"], in: dir, environment: env)
    #expect(withEnv.status == 0, "\(withEnv.stderr)")
    #expect(withEnv.stdout == plain.stdout && !plain.stdout.isEmpty)
    #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("elsewhere.snapshot").path))
  }

  @Test(.enabled(if: TestPostgres.isEnabled, "PostgreSQL is not configured (CHANNELKPI_TEST_POSTGRES)"))
  func copyRoundTripsBetweenSQLiteAndPostgreSQL() async throws {
    let dir = try demo()
    #expect(try CLI.run(["import", "demo", "--database", "a.sqlite"], in: dir).status == 0)
    let applied = try CLI.run(
      ["program", "apply", "demo/program", "--effective", "2024-01-01", "--database", "a.sqlite"], in: dir)
    #expect(applied.status == 0, "\(applied.stderr)")
    let reviewed = try CLI.run(
      [
        "review", "add", "--partner", "P0003", "--by", "Dana", "--finding", "f, \"q\"", "--action", "a", "--date",
        "2025-05-02", "--database", "a.sqlite",
      ], in: dir)
    #expect(reviewed.status == 0, "\(reviewed.stderr)")
    try await TestPostgres.withDatabase { url in
      let pg = TestPostgres.text(url)
      let there = try CLI.run(["copy", "--from", "a.sqlite", "--to", pg], in: dir)
      #expect(there.status == 0, "\(there.stderr)")
      #expect(there.stdout.contains("1 definitions version, 1 review and 1 import record"))
      let password = try #require(url.password)
      #expect(!there.stdout.contains(password) && !there.stderr.contains(password), "the password was printed")
      let back = try CLI.run(["copy", "--from", pg, "--to", "b.sqlite"], in: dir)
      #expect(back.status == 0, "\(back.stderr)")
      // Facts, KPIs, definitions and reviews come back exactly.
      #expect(try CLI.run(["export", "ea", "--database", "a.sqlite"], in: dir).status == 0)
      #expect(try CLI.run(["export", "eb", "--database", "b.sqlite"], in: dir).status == 0)
      #expect(try tableRows(dir.appendingPathComponent("ea")) == tableRows(dir.appendingPathComponent("eb")))
      #expect(try compute(pg, in: dir) == compute("a.sqlite", in: dir))
      for listing in [["program", "versions"], ["review", "list", "--format", "csv"]] {
        let a = try CLI.run(listing + ["--database", "a.sqlite"], in: dir)
        let b = try CLI.run(listing + ["--database", "b.sqlite"], in: dir)
        #expect(a.status == 0 && a.stdout == b.stdout, "\(listing): \(a.stdout) vs \(b.stdout)")
      }
      // A database that holds a program is not copied over.
      let refused = try CLI.run(["copy", "--from", "a.sqlite", "--to", pg], in: dir)
      #expect(refused.status == 1)
      #expect(refused.stderr.contains("already holds a program"))
    }
  }

  @Test(.enabled(if: TestPostgres.isEnabled, "PostgreSQL is not configured (CHANNELKPI_TEST_POSTGRES)"))
  func twoServersOnOneDatabaseShowTheSameNumbers() async throws {
    let dir = try demo()
    try await TestPostgres.withDatabase { url in
      let pg = TestPostgres.text(url)
      let imported = try CLI.run(["import", "demo", "--database", pg], in: dir)
      #expect(imported.status == 0, "\(imported.stderr)")
      // A server starts once there is an admin; the requests carry an admin's key.
      #expect(try CLI.run(["users", "add", "root", "--role", "admin", "--database", pg], in: dir).status == 0)
      let made = try CLI.run(
        [
          "keys", "create", "--name", "test", "--role", "admin", "--scope", "read", "--scope", "ingest", "--database",
          pg,
        ],
        in: dir)
      let key = try #require(
        made.stdout.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("ckpi_") }.map(String.init))
      let a = try Server.start(database: pg, in: dir, name: "a", key: key)
      defer { a.stop() }
      let b = try Server.start(database: pg, in: dir, name: "b", key: key)
      defer { b.stop() }
      let query = "/api/v1/values?kpi=revenue,win_rate&by=partner&grain=quarter&from=2025-Q1&to=2025-Q4"
      #expect(try await a.get(query) == b.get(query))
      let before = try await b.get("/api/v1/values?kpi=revenue&grain=month&from=2025-06&to=2025-06")
      let deal = """
        {"records":[{"deal_id":"NEW-1","partner_id":"P0001","source":"sourced","created_on":"2025-06-01",
        "stage":"won","closed_on":"2025-06-15","amount":1234.56}]}
        """
      let posted = try await a.post("/api/v1/facts/deals", deal)
      #expect(posted.status == 200, "\(posted.body)")
      var after = before
      for _ in 0..<500 where after == before {
        try await Task.sleep(for: .milliseconds(10))
        after = try await b.get("/api/v1/values?kpi=revenue&grain=month&from=2025-06&to=2025-06")
      }
      let revenue = { (body: String) -> Double? in
        (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
          .flatMap { ($0["values"] as? [[String: Any]])?.first?["value"] as? Double }
      }
      let gained = (revenue(after) ?? 0) - (revenue(before) ?? 0)
      #expect(abs(gained - 1234.56) < 0.001, "B's June revenue went from \(before) to \(after)")
      #expect(try await a.get(query) == b.get(query))
    }
  }
}

/// A `channelkpi serve` process on a free port. Its members are constants, so clients on several
/// tasks may share it.
final class Server: @unchecked Sendable {
  let process: Process
  let base: String
  /// The API key every request carries.
  let key: String

  private init(process: Process, base: String, key: String) {
    self.process = process
    self.base = base
    self.key = key
  }

  /// Starts a server and waits until it listens; `environment` adds to the test's own.
  static func start(
    database: String, in dir: URL, name: String, key: String, environment: [String: String] = [:]
  ) throws -> Server {
    guard let binary = CLI.binary else { throw CLI.CLIMissing() }
    let log = dir.appendingPathComponent("serve-\(name).log")
    FileManager.default.createFile(atPath: log.path, contents: nil)
    let out = try FileHandle(forWritingTo: log)
    let p = Process()
    p.executableURL = binary
    p.arguments = ["serve", "--port", "0", "--database", database, "--log-level", "warning", "--today", "2025-12-31"]
    p.currentDirectoryURL = dir
    p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    p.standardOutput = out
    p.standardError = out
    try p.run()
    // The server prints its address once it listens.
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
      let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
      if let range = text.range(of: #"http://127\.0\.0\.1:\d+"#, options: .regularExpression) {
        return Server(process: p, base: String(text[range]), key: key)
      }
      if !p.isRunning { break }
      Thread.sleep(forTimeInterval: 0.05)
    }
    p.terminate()
    throw ServerFailed(log: (try? String(contentsOf: log, encoding: .utf8)) ?? "")
  }

  struct ServerFailed: Error, CustomStringConvertible {
    var log: String
    var description: String { "the server did not start:\n\(log)" }
  }

  func stop() {
    process.interrupt()
    process.waitUntilExit()
  }

  /// Kills the server with SIGKILL, as a crash or the OOM killer would: nothing of it runs after.
  func crash() {
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
  }

  func get(_ path: String, accept: String? = nil) async throws -> String {
    var r = URLRequest(url: URL(string: base + path)!)
    r.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
    if let accept { r.setValue(accept, forHTTPHeaderField: "Accept") }
    let (data, _) = try await URLSession.shared.data(for: r)
    return String(decoding: data, as: UTF8.self)
  }

  func post(_ path: String, _ body: String) async throws -> (status: Int, body: String) {
    var r = URLRequest(url: URL(string: base + path)!)
    r.httpMethod = "POST"
    r.setValue("application/json", forHTTPHeaderField: "Content-Type")
    r.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
    r.httpBody = Data(body.utf8)
    let (data, response) = try await URLSession.shared.data(for: r)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
  }
}
