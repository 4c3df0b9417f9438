import ArgumentParser
import Foundation

/// `channelkpi-fuzz`: feeds mutated and generated inputs to ChannelKPI's input parsers and fails
/// on any crash, hang or rejection without a clear error.
@main
struct FuzzCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "channelkpi-fuzz",
    abstract: "Fuzz the CSV import, the KPI language, mappings, program files and JSON ingestion bodies.",
    discussion: """
      Each input is made from --seed and its number alone, by mutating a valid input (the demo \
      program's rows and definitions, the mapping examples) or generating one from the input's \
      grammar. Inputs run in a worker process that a supervisor watches: a crash or an input \
      slower than --time-limit-per-input is saved under --out with the command that replays it. \
      Every rejection must say why and where (file:line:column, or a JSON pointer into the \
      body); one that does not is saved too. The exit status is 1 when anything was found.
      """)

  @Option(help: "csv, kpi, mapping, program, json, or all.")
  var target = "all"

  @Option(help: "Inputs per target: their numbers run from --from up to this.")
  var runs: UInt64 = 10_000

  @Option(help: "The first input's number, to split one seed's inputs between processes.")
  var from: UInt64 = 0

  @Option(help: "Seconds per target at most (the run stops at --runs or here, whichever comes first).")
  var seconds: Double = 86_400

  @Option(help: "The run's seed; the same seed gives the same inputs.")
  var seed: UInt64 = 1

  @Option(name: .customLong("time-limit-per-input"), help: "Milliseconds an input may take before it is a hang.")
  var timeLimit = 2_000

  @Option(help: "Stop a target after this many crashes, hangs or unclear rejections.")
  var maxFailures = 10

  @Option(help: "Where failing inputs and progress files go.")
  var out = ".fuzz"

  @Option(help: "The repository, for its mapping examples.")
  var root = "."

  @Option(help: "Run one saved input (with --target) and say what happened to it.")
  var replay: String?

  @Option(help: "Make input number N of --seed again, save it and run it.")
  var iteration: UInt64?

  @Option(name: .customLong("worker-from"), help: ArgumentHelp(visibility: .private))
  var workerFrom: UInt64?

  mutating func run() throws {
    if let workerFrom { return try work(from: workerFrom) }
    if replay != nil || iteration != nil { return try runOne() }
    let names = target == "all" ? FuzzWorker.targetNames : [target]
    // `selftest` fails on purpose, to check the driver itself; `all` leaves it out.
    guard names.allSatisfy({ FuzzWorker.targetNames.contains($0) || $0 == "selftest" }) else {
      throw ValidationError(
        "unknown target '\(target)'; the targets are \(FuzzWorker.targetNames.joined(separator: ", ")), all")
    }
    var failed = false
    for name in names {
      FuzzReport.out("\(name): inputs \(from)..<\(runs) of seed \(seed)")
      let summary = try FuzzSupervisor(
        target: name, seed: seed, from: from, runs: runs, seconds: seconds, timeLimit: Double(timeLimit) / 1000,
        maxFailures: maxFailures, out: out, root: root
      ).run()
      FuzzReport.out(summary.line)
      failed = failed || summary.failed
    }
    if failed { throw ExitCode(1) }
  }

  /// A worker: inputs from `from` on, in this process, watched by the supervisor that started it.
  private func work(from: UInt64) throws {
    guard let worker = FuzzWorker(name: target, root: root) else { throw ValidationError("unknown target '\(target)'") }
    defer { FuzzScratch.remove(worker.scratch) }
    let path = (out as NSString).appendingPathComponent("progress-\(target)")
    guard let progress = SharedProgress(path: path, reset: false) else { throw FuzzError("cannot map \(path)") }
    worker.run(
      seed: seed, from: from, to: runs, deadline: Date().addingTimeInterval(seconds), maxUnclear: maxFailures,
      out: out, progress: progress)
  }

  /// One input, saved or made again, run here and now.
  private func runOne() throws {
    guard let worker = FuzzWorker(name: target, root: root) else {
      throw ValidationError("give --target: one of \(FuzzWorker.targetNames.joined(separator: ", "))")
    }
    defer { FuzzScratch.remove(worker.scratch) }
    let input: FuzzInput
    if let replay {
      guard let saved = FuzzWorker.input(file: replay) else { throw ValidationError("cannot read \(replay)") }
      input = saved
    } else {
      input = worker.target.input(seed: seed, iteration: iteration ?? 0)
      print("saved as \(worker.save(input, seed: seed, iteration: iteration ?? 0, out: out))")
    }
    let started = Date()
    let outcome = worker.target.run(input)
    print("\(target) (\(input.variant), \(input.bytes.count) bytes): \(FuzzReport.describe(outcome))")
    print(String(format: "in %.1f ms", Date().timeIntervalSince(started) * 1000))
    if case .unclear = outcome { throw ExitCode(1) }
  }
}
