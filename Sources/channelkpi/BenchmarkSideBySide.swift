import ChannelKPI
import ChannelKPIServer
import ChannelKPIStore
import Foundation

/// `channelkpi benchmark --duckdb`: ChannelKPI and the project's DuckDB implementation of the
/// catalog on the same CSV files in the same run, each as a whole process, step by step.
struct SideBySide {
  var dataDir: String
  var database: String
  var location: StoreLocation
  var workDir: String
  var python: String
  var script: String
  var runs: Int
  var reuse: Bool

  /// One step's figures: seconds (median of the runs) and peak memory for each side.
  struct Step {
    var name: String
    var ours: Double?
    var duck: Double?
    var note: String = ""
  }

  private var me: String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "channelkpi"
  }
  private func file(_ name: String) -> String { (workDir as NSString).appendingPathComponent(name) }

  func run() async throws {
    guard FileManager.default.fileExists(atPath: script) else {
      throw CLIError(
        "no DuckDB implementation at \(script): run from the repository's root or give --duckdb-script (needs pip install duckdb)"
      )
    }
    try FileManager.default.createDirectory(atPath: workDir, withIntermediateDirectories: true)
    var steps: [Step] = []

    // Import: the whole `channelkpi import` process against DuckDB reading the same files.
    let importStep = try await importOnce()
    let store = try await location.open(logger: Console.storeLogger)
    let rows = try await store.counts().values.reduce(0, +)
    try await store.close()

    // Whole-process compute, the two sides taking turns so that a noisy neighbour hurts both.
    var ours: [ChildProcess.Outcome] = []
    var duck: [(ChildProcess.Outcome, [String: Double])] = []
    for i in 1...runs {
      print("  run \(i) of \(runs): compute (ChannelKPI, then DuckDB) …")
      ours.append(
        try ChildProcess.run(
          [me, "compute", "--by", "partner", "--grain", "quarter", "--format", "csv", "--database", database],
          stdout: file("channelkpi.csv"), stderr: file("channelkpi.err")))
      let d = try ChildProcess.run(
        [python, script, dataDir, "--by", "partner", "--grain", "quarter", "--out", file("duckdb.csv"), "--timing"],
        stdout: file("duckdb.out"), stderr: file("duckdb.err"))
      duck.append((d, Self.timings(file("duckdb.err"))))
    }
    let duckLoad = Self.median(duck.compactMap { $0.1["load_seconds"] })
    steps.append(
      Step(
        name: "import: validate and store / DuckDB reads the CSV", ours: importStep?.seconds, duck: duckLoad,
        note: importStep.map { "\(Self.grouped(Double(rows) / $0.seconds)) rows/s" } ?? "(stored before: --reuse)"))
    steps.append(
      Step(
        name: "compute by partner and quarter, whole process", ours: Self.median(ours.map(\.seconds)),
        duck: Self.median(duck.map(\.0.seconds)),
        note:
          "peak \(Self.megabytes(ours.map(\.peakBytes).max() ?? 0)) vs \(Self.megabytes(duck.map(\.0.peakBytes).max() ?? 0))"
      ))
    let comparer = ((script as NSString).deletingLastPathComponent as NSString).appendingPathComponent("compare.py")
    let agree = try? ChildProcess.run(
      [
        python, comparer, file("channelkpi.csv"), file("duckdb.csv"),
      ], stdout: file("compare.out"), stderr: file("compare.err"))

    // Cold start: `serve` until it answers a KPI read.
    let serve = try await coldStarts(rows: rows)
    steps += serve

    print("")
    print(Self.table(steps))
    if !FileManager.default.fileExists(atPath: comparer) {
      print("The outputs were not compared: no \(comparer).")
    } else {
      print(
        agree != nil
          ? "The two outputs agree (benchmarks/duckdb/compare.py)."
          : "The two outputs DIFFER: see \(file("compare.out"))")
    }
    print(
      "Rows stored: \(Self.grouped(Double(rows))). \(runs == 1 ? "One run" : "Medians of \(runs) runs"); outputs and logs in \(workDir)."
    )
  }

  /// Imports the CSV files into a fresh database as a whole process; nil with --reuse when the
  /// database already holds facts.
  private func importOnce() async throws -> ChildProcess.Outcome? {
    let existing = try await location.open(logger: Console.storeLogger)
    let stored = try await existing.hasFacts()
    try await existing.close()
    if reuse && stored { return nil }
    guard !stored else {
      throw CLIError("\(database) already holds facts: the benchmark imports into an empty database")
    }
    print("  import (ChannelKPI) …")
    return try ChildProcess.run(
      [me, "import", dataDir, "--database", database], stdout: file("import.out"), stderr: file("import.err"))
  }

  /// Starts `serve` on the database `runs` times: seconds until /healthz answers, until a KPI
  /// read answers, and the resident memory then.
  private func coldStarts(rows: Int) async throws -> [Step] {
    let store = try await location.open(logger: Console.storeLogger)
    // `serve` starts only with an active admin: one made for the benchmark, disabled again after.
    if try await store.users().contains(where: { $0.username == "benchmark" }) {
      try await store.updateUser(username: "benchmark", passwordHash: nil, disabled: false)
    } else {
      _ = try await Accounts.addUser(
        username: "benchmark", name: nil, grant: Grant(role: .admin), password: nil, by: "cli:benchmark", store: store)
    }
    let (key, secret) = try await Accounts.createKey(
      name: "benchmark", grant: Grant(role: .admin), scopes: [.read], by: "cli:benchmark", store: store)
    do {
      let steps = try serveRuns(key: secret, rows: rows)
      try await store.revokeKey(id: key.id ?? 0, at: ISO8601DateFormatter().string(from: Date()))
      try await store.updateUser(username: "benchmark", passwordHash: nil, disabled: true)
      try await store.close()
      return steps
    } catch {
      try? await store.revokeKey(id: key.id ?? 0, at: ISO8601DateFormatter().string(from: Date()))
      try? await store.updateUser(username: "benchmark", passwordHash: nil, disabled: true)
      try? await store.close()
      throw error
    }
  }

  private func serveRuns(key secret: String, rows: Int) throws -> [Step] {
    var health: [Double] = []
    var first: [Double] = []
    var resident: [Int] = []
    for i in 1...runs {
      print("  run \(i) of \(runs): serve until it answers …")
      let port = LocalHTTP.freePort()
      let child = try ChildProcess.start(
        [me, "serve", "--database", database, "--port", "\(port)", "--log-level", "warning"],
        stdout: file("serve.out"), stderr: file("serve.err"))
      defer {
        child.terminate()
        _ = child.wait()
      }
      let deadline = Date().addingTimeInterval(900)
      while LocalHTTP.get(port: port, path: "/healthz") != 200 {
        guard Date() < deadline, !child.hasEnded else {
          throw CLIError("serve did not answer /healthz: see \(file("serve.err"))")
        }
        usleep(10_000)
      }
      health.append(Date().timeIntervalSince(child.started))
      let status = LocalHTTP.get(
        port: port, path: "/api/v1/values?kpi=revenue&by=network&grain=quarter",
        headers: ["Authorization": "Bearer \(secret)"])
      guard status == 200 else {
        throw CLIError("serve answered \(status.map(String.init) ?? "nothing") to a KPI read")
      }
      first.append(Date().timeIntervalSince(child.started))
      resident.append(child.residentBytes() ?? 0)
    }
    let rss = resident.max() ?? 0
    return [
      Step(name: "serve: start until /healthz answers", ours: Self.median(health), duck: nil),
      Step(
        name: "serve: start until a KPI read answers", ours: Self.median(first), duck: nil,
        note:
          "resident \(Self.megabytes(rss)) = \(rows > 0 ? Self.grouped(Double(rss) / Double(rows)) : "–") bytes per stored row"
      ),
    ]
  }

  /// `name value` lines of catalog.py --timing.
  static func timings(_ path: String) -> [String: Double] {
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    var out: [String: Double] = [:]
    for line in text.split(separator: "\n") {
      let parts = line.split(whereSeparator: { $0 == " " || $0 == "=" || $0 == ":" || $0 == "\t" })
      if parts.count >= 2, let v = Double(parts[1]) { out[String(parts[0])] = v }
    }
    return out
  }

  static func median(_ xs: [Double]) -> Double? {
    guard !xs.isEmpty else { return nil }
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
  }

  static func table(_ steps: [Step]) -> String {
    func secs(_ v: Double?) -> String { v.map { ValueFormat.fixed($0, decimals: 2) + " s" } ?? "—" }
    var rows = [["step", "ChannelKPI", "DuckDB", "ratio", ""]]
    for s in steps {
      let ratio = s.ours.flatMap { o in s.duck.map { ValueFormat.fixed(o / $0, decimals: 2) } } ?? "—"
      rows.append([s.name, secs(s.ours), secs(s.duck), ratio, s.note])
    }
    let widths = (0..<5).map { c in rows.map { $0[c].count }.max() ?? 0 }
    return rows.map { r in
      r.enumerated().map { c, v in
        c == 0 || c == 4
          ? v.padding(toLength: widths[c], withPad: " ", startingAt: 0)
          : String(repeating: " ", count: widths[c] - v.count) + v
      }
      .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }.joined(separator: "\n")
  }

  static func grouped(_ n: Double) -> String { ValueFormat.grouped(n, decimals: 0) }
  static func megabytes(_ bytes: Int) -> String { "\(grouped(Double(bytes) / 1_048_576)) MB" }
}
