import ArgumentParser
import ChannelKPI
import ChannelKPIStore
import Foundation

struct DemoDataCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo-data",
    abstract: "Write a realistic demo program in the canonical CSV format.",
    discussion: """
      Every table is populated: partner types and regions that behave differently, seasonality, \
      growth and decline, churn, partners joining and leaving. The same seed gives the same files. \
      Output is streamed, so large programs (--partners 5000 --scale 7: about 10M deals) fit in \
      modest memory. The program's definitions (objectives, targets, scorecards, with a few \
      deliberate hygiene problems) go to DIR/program/: apply them with channelkpi program apply.
      """)

  @Option(help: ArgumentHelp("Directory to write the CSV files into.", valueName: "dir"))
  var out: String

  @Option(help: "Number of partners.")
  var partners = 120

  @Option(help: "Number of months of history.")
  var months = 24

  @Option(help: "Random seed.")
  var seed: UInt64 = 1

  @Option(help: "Activity volume per partner (deals, leads, traffic, …) relative to the default.")
  var scale = 1.0

  @Option(
    help: ArgumentHelp(
      "Last month of the data, e.g. 2025-12 (default: the last full month before today, UTC).", valueName: "month"))
  var end: String?

  func validate() throws {
    guard partners >= 1, partners <= 1_000_000 else { throw ValidationError("--partners must be from 1 to 1000000") }
    guard months >= 1, months <= 600 else { throw ValidationError("--months must be from 1 to 600") }
    guard scale > 0, scale <= 1000 else { throw ValidationError("--scale must be above 0 and at most 1000") }
    if let end, Month(iso: end) == nil { throw ValidationError("--end '\(end)' is not a month YYYY-MM") }
  }

  func run() throws {
    let config = DemoConfiguration(
      partners: partners, months: months, seed: seed, scale: scale,
      lastMonth: end.flatMap { Month(iso: $0) } ?? ProgramOptions.utcToday().month - 1)
    var sink = try CSVDirectorySink(directory: out)
    DemoProgram.generate(config, into: &sink)
    sink.flush()
    let programDir = (out as NSString).appendingPathComponent("program")
    try FileManager.default.createDirectory(atPath: programDir, withIntermediateDirectories: true)
    for (name, text) in DemoProgram.definitions(config) {
      try text.write(toFile: (programDir as NSString).appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    for t in CanonicalTable.allCases {
      print(
        "\(t.fileName.padding(toLength: 20, withPad: " ", startingAt: 0)) \(ValueFormat.grouped(Double(sink.counts[t] ?? 0), decimals: 0)) rows"
      )
    }
    print("Wrote the demo program to \(out)/ and its definitions to \(programDir)/")
  }
}
