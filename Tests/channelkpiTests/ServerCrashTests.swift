import ChannelKPITestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The databases the crash tests run on: SQLite always, PostgreSQL when configured or required
/// (then a missing server fails the test).
enum CrashDatabase: String, CaseIterable, Sendable {
  case sqlite, postgres

  static var available: [CrashDatabase] { [.sqlite] + (TestPostgres.isEnabled ? [.postgres] : []) }

  /// Runs `body` in a new directory with a fresh database of this kind (as `--database` takes
  /// it) holding `CrashProgram.seed()`, and an API key that may read and ingest.
  func withSeeded<T>(_ body: (_ dir: URL, _ database: String, _ key: String) async throws -> T) async throws -> T {
    let dir = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    func seeded(_ database: String) async throws -> T {
      try await body(dir, database, try CrashSetup.seed(database, in: dir))
    }
    switch self {
    case .sqlite: return try await seeded(dir.appendingPathComponent("crash.sqlite").path)
    case .postgres: return try await TestPostgres.withDatabase { try await seeded(TestPostgres.text($0)) }
    }
  }
}

/// `channelkpi serve` killed with SIGKILL in the middle of ingestion, round after round on one
/// database: every acknowledged batch is stored, every batch is stored whole or not at all, and
/// the restarted server's KPIs are those of the stored rows.
@Suite(.serialized) struct ServerCrashTests {
  static let rounds = 20
  static let clients = 4

  /// What became of the batches one round sent.
  actor Ledger {
    var sent: [CrashBatch] = []
    var acknowledged: Set<String> = []
    var refused: [String] = []
    private var older: [(String, CrashProgram.Deal)]
    private var olderPartners: [(String, CrashProgram.Partner)]

    init(program: CrashProgram) {
      // Each stored row is updated by at most one batch of the round, so a row's mark says
      // whether that batch was stored.
      older = program.deals.sorted { $0.key < $1.key }.shuffled()
      olderPartners = program.partners.sorted { $0.key < $1.key }.shuffled()
    }

    func next(round: Int, client: Int, number: Int) -> CrashBatch {
      let deals = Array(older.suffix(3))
      let partners = Array(olderPartners.suffix(1))
      let b = CrashBatch.make(
        round: round, client: client, number: number, older: number % 3 == 2 ? [] : deals,
        olderPartners: number % 3 == 2 ? partners : [])
      if number % 3 == 2 { olderPartners.removeLast(partners.count) } else { older.removeLast(deals.count) }
      sent.append(b)
      return b
    }

    func acknowledge(_ name: String) { acknowledged.insert(name) }
    func refuse(_ what: String) { refused.append(what) }
  }

  @Test(arguments: CrashDatabase.available)
  func killedMidIngestionLosesNoAcknowledgedBatchAndStoresNoneInPart(_ kind: CrashDatabase) async throws {
    try await kind.withSeeded { dir, database, key in
      var program = CrashProgram.seed()
      var acknowledgedTotal = 0
      var unacknowledgedStored = 0
      var roundsKilledMidBatch = 0
      for round in 0...Self.rounds {
        let server = try Server.start(database: database, in: dir, name: "r\(round)", key: key)
        // The engine a restart loads from the store gives the KPIs of the stored rows.
        try await Self.expectRevenue(server, equalTo: program, "after restart \(round)")
        guard round < Self.rounds else {
          try await Self.expectComputeAgrees(server, database: database, in: dir)
          server.crash()
          break
        }
        let ledger = Ledger(program: program)
        let tasks = (0..<Self.clients).map { client in
          Task { try await Self.post(to: server, round: round, client: client, ledger: ledger) }
        }
        // Killed once ingestion is under way, at a random moment of it.
        let started = Date()
        while await ledger.acknowledged.isEmpty, Date().timeIntervalSince(started) < 60 {
          try await Task.sleep(for: .milliseconds(2))
        }
        try await Task.sleep(for: .milliseconds(Int.random(in: 0...250)))
        server.crash()
        for t in tasks { try await t.value }

        let refused = await ledger.refused
        #expect(refused.isEmpty, "round \(round): \(refused)")
        let sent = await ledger.sent
        let acknowledged = await ledger.acknowledged
        #expect(!acknowledged.isEmpty, "round \(round): nothing was acknowledged before the kill")
        let stored = try CrashSetup.export(database, in: dir, name: "export-\(round)")
        var expected = program
        for b in sent {
          let n = b.stored(in: stored)
          #expect(n == 0 || n == b.count, "round \(round): batch \(b.name) is stored in part, \(n) of \(b.count) rows")
          if acknowledged.contains(b.name) {
            #expect(
              n == b.count, "round \(round): batch \(b.name) was acknowledged but \(n) of \(b.count) rows are stored")
          } else if n == b.count {
            unacknowledgedStored += 1
          }
          if n == b.count { expected = b.applied(to: expected) }
        }
        // Nothing else changed: the store holds exactly the seed and the stored batches.
        #expect(stored.deals == expected.deals, "round \(round): deals differ from the batches stored")
        #expect(stored.partners == expected.partners, "round \(round): partners differ from the batches stored")
        program = stored
        acknowledgedTotal += acknowledged.count
        if sent.count > acknowledged.count { roundsKilledMidBatch += 1 }
      }
      // The kills came while batches were under way, not between them.
      #expect(acknowledgedTotal >= Self.rounds)
      #expect(roundsKilledMidBatch >= Self.rounds / 2, "only \(roundsKilledMidBatch) kills came with a batch under way")
      print(
        "crash test (\(kind.rawValue)): \(Self.rounds) kills, \(acknowledgedTotal) batches acknowledged, "
          + "\(roundsKilledMidBatch) kills with a batch under way, \(unacknowledgedStored) unacknowledged batches stored whole"
      )
    }
  }

  /// Posts batches until the server is gone; a refusal while it runs is recorded.
  static func post(to server: Server, round: Int, client: Int, ledger: Ledger) async throws {
    for number in 0..<400 {
      let b = await ledger.next(round: round, client: client, number: number)
      let answer: (status: Int, body: String)
      do { answer = try await server.post("/api/v1/facts/\(b.table)", b.body) } catch { return }
      guard answer.status == 200 else {
        await ledger.refuse("\(b.name): \(answer.status) \(answer.body.prefix(200))")
        return
      }
      await ledger.acknowledge(b.name)
    }
  }

  /// The server's revenue by partner and quarter equals the revenue worked out from `program`.
  static func expectRevenue(_ server: Server, equalTo program: CrashProgram, _ when: String) async throws {
    let body = try await server.get("/api/v1/values?kpi=revenue&by=partner&grain=quarter&from=2025-Q1&to=2025-Q4")
    let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
    let values = try #require(json?["values"] as? [[String: Any]], "\(when): \(body.prefix(300))")
    var served: [String: Int64] = [:]
    for v in values {
      let value = v["value"] as? Double ?? .nan
      served["\(v["scope"] as? String ?? "?") \(v["period"] as? String ?? "?")"] = Int64((value * 100).rounded())
    }
    let expected = program.revenue()
    #expect(served == expected, "\(when): \(served.filter { expected[$0.key] != $0.value }.sorted { $0.key < $1.key })")
  }

  /// The server's KPIs are those `channelkpi compute` works out from the same database.
  static func expectComputeAgrees(_ server: Server, database: String, in dir: URL) async throws {
    let query = "kpi=revenue,win_rate,avg_deal_size&by=partner&grain=quarter&from=2025-Q1&to=2025-Q4"
    let served = try await server.get("/api/v1/values?\(query)", accept: "text/csv")
    var args = ["compute", "--format", "csv", "--database", database]
    for pair in query.split(separator: "&") {
      let kv = pair.split(separator: "=")
      args += ["--\(kv[0])", String(kv[1])]
    }
    let computed = try CLI.run(args, in: dir)
    #expect(computed.status == 0, "\(computed.stderr)")
    #expect(served == computed.stdout)
    #expect(served.split(separator: "\n").count > 20)
  }
}

/// Setting up a crash test's database, and reading it back.
enum CrashSetup {
  /// Imports `CrashProgram.seed()` (written to `seed/`), adds an admin and returns an API key
  /// that may read and ingest.
  static func seed(_ database: String, in dir: URL) throws -> String {
    try CrashProgram.seed().write(to: dir.appendingPathComponent("seed"))
    let imported = try CLI.run(["import", "seed", "--database", database], in: dir)
    try #require(imported.status == 0, "\(imported.stderr)")
    try #require(try CLI.run(["users", "add", "root", "--role", "admin", "--database", database], in: dir).status == 0)
    let made = try CLI.run(
      [
        "keys", "create", "--name", "crash", "--role", "admin", "--scope", "read", "--scope", "ingest", "--database",
        database,
      ], in: dir)
    return try #require(
      made.stdout.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("ckpi_") }.map(String.init),
      "\(made.stdout) \(made.stderr)")
  }

  /// The store's partners and deals, through `channelkpi export`.
  static func export(_ database: String, in dir: URL, name: String) throws -> CrashProgram {
    let r = try CLI.run(["export", name, "--database", database], in: dir)
    try #require(r.status == 0, "\(r.stderr)")
    return try CrashProgram.read(export: dir.appendingPathComponent(name))
  }
}
