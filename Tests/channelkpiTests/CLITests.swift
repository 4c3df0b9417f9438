import ChannelKPITestSupport
import Foundation
import Testing

/// Runs the built `channelkpi` executable, as a user would.
enum CLI {
  static var binary: URL? {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    return BuiltExecutable.url(named: "channelkpi", root: root)
  }

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// The executable set up to run `args` in `dir`, not started; `environment` adds to the test's own.
  /// With a `launcher` (a command that runs the executable, such as `setpriv … channelkpi`), the
  /// arguments follow it.
  static func process(
    _ args: [String], in dir: URL, environment: [String: String] = [:], launcher: [String] = []
  ) throws -> Process {
    let p = Process()
    guard let binary else { throw CLIMissing() }
    if let first = launcher.first {
      p.executableURL = URL(fileURLWithPath: first)
      p.arguments = launcher.dropFirst() + args
    } else {
      p.executableURL = binary
      p.arguments = args
    }
    p.currentDirectoryURL = dir
    var env = ProcessInfo.processInfo.environment
    env["CHANNELKPI_DATABASE"] = nil
    p.environment = env.merging(environment) { $1 }
    return p
  }

  /// Starts the executable and returns at once (its output is discarded).
  static func start(_ args: [String], in dir: URL) throws -> Process {
    let p = try process(args, in: dir)
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    return p
  }

  static func run(
    _ args: [String], in dir: URL, environment: [String: String] = [:], launcher: [String] = []
  ) throws -> Result {
    let p = try process(args, in: dir, environment: environment, launcher: launcher)
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Result(
      status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
      stderr: String(decoding: e, as: UTF8.self))
  }

  struct CLIMissing: Error, CustomStringConvertible {
    var description: String { "the channelkpi executable is not built (swift build)" }
  }

  static func temporaryDirectory() throws -> URL {
    let d = FileManager.default.temporaryDirectory.appendingPathComponent("channelkpi-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
    return d
  }

  static func write(_ text: String, _ name: String, in dir: URL) throws {
    try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
  }
}

@Suite(.serialized) struct CLITests {
  /// Two partners; values worked out by hand in the expectations below.
  func program() throws -> URL {
    let dir = try CLI.temporaryDirectory()
    let data = dir.appendingPathComponent("data")
    try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
    try CLI.write(
      """
      partner_id,name,type,region,tier,joined_on
      P1,"Acme, Inc.",reseller,emea,gold,2024-01-01
      P2,Beta,msp,na,,2024-06-01

      """, "partners.csv", in: data)
    try CLI.write(
      """
      deal_id,partner_id,source,created_on,stage,closed_on,amount
      D1,P1,sourced,2025-01-05,won,2025-02-10,1000.50
      D2,P1,sourced,2025-01-05,lost,2025-03-31,10
      D3,P2,co_sell,2025-02-01,won,2025-04-02,200
      D4,P2,influenced,2025-02-01,open,,300

      """, "deals.csv", in: data)
    return dir
  }

  @Test func computeWritesTheCSVFormatExactly() throws {
    let dir = try program()
    let imported = try CLI.run(["import", "data"], in: dir)
    #expect(imported.status == 0, "\(imported.stderr)")
    let r = try CLI.run(
      [
        "compute", "--kpi", "revenue,win_rate,open_pipeline", "--by", "partner", "--grain", "quarter", "--from",
        "2025-Q1", "--to", "2025-Q2", "--format", "csv",
      ], in: dir)
    #expect(r.status == 0, "\(r.stderr)")
    // Q1: P1 won D1 (1000.50) and lost D2 → win rate 1/2; P2 closed nothing → no win rate.
    // Q2: P2 won D3 (200) → win rate 1. Open at the end of Q1: D3 (closed 2025-04-02) and D4 → 500
    // for P2; at the end of Q2 only D4 (300).
    let expected = """
      kpi,scope,period,value
      revenue,partner:P1,2025-Q1,1000.5
      revenue,partner:P1,2025-Q2,0
      revenue,partner:P2,2025-Q1,0
      revenue,partner:P2,2025-Q2,200
      win_rate,partner:P1,2025-Q1,0.5
      win_rate,partner:P1,2025-Q2,
      win_rate,partner:P2,2025-Q1,
      win_rate,partner:P2,2025-Q2,1
      open_pipeline,partner:P1,2025-Q1,0
      open_pipeline,partner:P1,2025-Q2,0
      open_pipeline,partner:P2,2025-Q1,500
      open_pipeline,partner:P2,2025-Q2,300

      """
    #expect(r.stdout == expected)
  }

  @Test func scopesOfEveryKindAreWrittenAsInTheFormat() throws {
    let dir = try program()
    _ = try CLI.run(["import", "data"], in: dir)
    for (by, scopes) in [
      ("network", ["network"]), ("type", ["type:msp", "type:reseller"]), ("region", ["region:emea", "region:na"]),
      ("tier", ["tier:gold"]),
    ] {
      let r = try CLI.run(
        [
          "compute", "--kpi", "revenue", "--by", by, "--grain", "year", "--from", "2025", "--to", "2025", "--format",
          "csv",
        ],
        in: dir)
      let lines = r.stdout.split(separator: "\n").dropFirst()
      #expect(lines.map { $0.split(separator: ",", omittingEmptySubsequences: false)[1] }.map(String.init) == scopes)
    }
    // The network's 2025 revenue: 1000.50 + 200.
    let n = try CLI.run(
      ["compute", "--kpi", "revenue", "--grain", "year", "--from", "2025", "--to", "2025", "--format", "json"], in: dir)
    #expect(
      n.stdout == "{\"values\":[{\"kpi\":\"revenue\",\"scope\":\"network\",\"period\":\"2025\",\"value\":1200.5}]}\n")
  }

  @Test func aBadRowIsReportedWithItsPlaceAndNothingIsStored() throws {
    let dir = try program()
    _ = try CLI.run(["import", "data"], in: dir)
    let bad = dir.appendingPathComponent("bad")
    try FileManager.default.createDirectory(at: bad, withIntermediateDirectories: true)
    try CLI.write(
      """
      deal_id,partner_id,source,created_on,stage,closed_on,amount
      D9,P1,sourced,2025-01-05,won,2025-02-10,999
      D10,P1,sourced,2025-03-05,won,2025-02-10,5

      """, "deals.csv", in: bad)
    let r = try CLI.run(["import", "bad"], in: dir)
    #expect(r.status != 0)
    #expect(
      r.stderr.contains("bad/deals.csv:3:6: closed_on must be on or after created_on (2025-03-05), got 2025-02-10"))
    #expect(r.stderr.contains("Nothing was imported"))
    // D9 was good but must not have been stored: revenue is still the first import's.
    let v = try CLI.run(
      ["compute", "--kpi", "revenue", "--grain", "year", "--from", "2025", "--to", "2025", "--format", "csv"], in: dir)
    #expect(v.stdout.hasSuffix("revenue,network,2025,1200.5\n"))
  }

  @Test func badArgumentsGetClearErrors() throws {
    let dir = try program()
    let r = try CLI.run(["compute", "--from", "2025-13"], in: dir)
    #expect(r.status != 0)
    #expect(r.stderr.contains("--from '2025-13' is not a period"))
    _ = try CLI.run(["import", "data"], in: dir)
    let k = try CLI.run(["compute", "--kpi", "revenu"], in: dir)
    #expect(k.status != 0)
    #expect(k.stderr.contains("unknown KPI 'revenu'; did you mean 'revenue'?"))
  }

  /// A scope naming no partner is an error naming the value, with --window too; nothing is written.
  @Test func scopesThatNameNothingAreErrors() throws {
    let dir = try program()
    _ = try CLI.run(["import", "data"], in: dir)
    for (args, message) in [
      (["--by", "partner", "--scope", "partner:P9"], "no partner 'P9'; did you mean 'P1'?"),
      (["--by", "type", "--scope", "type:florist"], "no partner has the type 'florist'"),
      (["--by", "region", "--scope", "region:emea", "--scope", "region:mars"], "no partner has the region 'mars'"),
      (["--by", "partner", "--scope", "partner:NOPE", "--window", "2025-01:2025-03"], "no partner 'NOPE'"),
    ] {
      let r = try CLI.run(["compute", "--kpi", "revenue"] + args, in: dir)
      #expect(r.status != 0 && r.stderr.contains(message) && r.stdout.isEmpty, "\(args): \(r.stderr)")
    }
  }
}
