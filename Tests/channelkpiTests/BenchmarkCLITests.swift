import Foundation
import Testing

/// `channelkpi benchmark --duckdb` runs both implementations on the same files. It needs python3
/// with duckdb (CI installs it): without them the test fails rather than skips.
struct BenchmarkCLITests {
  @Test func sideBySideRunsBothAndTheirOutputsAgree() throws {
    let dir = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let script = root.appendingPathComponent("benchmarks/duckdb/catalog.py").path
    let r = try CLI.run(
      [
        "benchmark", "--duckdb", "--duckdb-script", script, "--deals", "3000", "--partners", "30", "--months", "6",
        "--runs", "1", "--dir", "bench",
      ], in: dir)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("The two outputs agree"), "\(r.stdout)")
    // Each timed line has ChannelKPI's seconds, DuckDB's (or a dash) and their ratio.
    let lines = r.stdout.split(separator: "\n").map(String.init)
    for step in [
      "import: validate and store", "compute by partner and quarter, whole process",
      "serve: start until a KPI read answers",
    ] {
      let line = try #require(lines.first { $0.hasPrefix(step) }, "\(r.stdout)")
      let seconds = line.matches(of: /(\d+\.\d\d) s/).compactMap { Double($0.output.1) }
      #expect(!seconds.isEmpty && seconds.allSatisfy { $0 > 0 }, "\(line)")
    }
    let compute = try #require(lines.first { $0.hasPrefix("compute by partner") })
    #expect(compute.contains(/\d+\.\d\d s +\d+\.\d\d s +\d+\.\d\d +peak \d+ MB vs \d+ MB/), "\(compute)")
    // Both wrote every KPI for every partner and quarter: 30 partners × 2 quarters × 27 KPIs, plus a header.
    let ours = try String(contentsOf: dir.appendingPathComponent("bench/side-by-side/channelkpi.csv"), encoding: .utf8)
    #expect(ours.hasPrefix("kpi,scope,period,value\n"))
    #expect(ours.split(separator: "\n").count > 1 + 30 * 27)
  }
}
