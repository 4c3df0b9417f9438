import Foundation

/// Runs a target's inputs in worker processes of this same program and watches them: a worker
/// that dies (a trap: overflow, index out of range, a forced unwrap) or stops moving on one input
/// for longer than the time limit (a hang) is reported with the input it was on, which is made
/// again from the seed and the input's number and saved; a new worker goes on after it.
struct FuzzSupervisor {
  var target: String
  var seed: UInt64
  /// The first input's number: runs on several machines or cores share one seed by splitting
  /// the numbers (`--from 0 --runs 500000` and `--from 500000 --runs 1000000`).
  var from: UInt64 = 0
  var runs: UInt64
  var seconds: Double
  var timeLimit: Double
  var maxFailures: Int
  var out: String
  var root: String

  /// A crash or a hang, at an input.
  struct Failure {
    var kind: String
    var iteration: UInt64
    var file: String
  }

  /// The run's figures.
  struct Summary {
    var target: String
    var inputs: UInt64
    var accepted: UInt64
    var rejected: UInt64
    var unclear: UInt64
    var failures: [Failure]
    var seconds: Double

    var failed: Bool { unclear > 0 || !failures.isEmpty }

    var line: String {
      let rate = seconds > 0 ? Double(inputs) / seconds : 0
      let crashes = failures.filter { $0.kind == "crash" }.count
      return "\(target): \(inputs) inputs in \(String(format: "%.1f", seconds)) s (\(Int(rate))/s), "
        + "\(accepted) accepted, \(rejected) rejected clearly, \(unclear) unclear, \(crashes) crashes, "
        + "\(failures.count - crashes) hangs"
    }
  }

  func run() throws -> Summary {
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    let progressPath = (out as NSString).appendingPathComponent("progress-\(target)")
    guard let progress = SharedProgress(path: progressPath, reset: true) else {
      throw FuzzError("cannot map \(progressPath)")
    }
    let started = Date()
    let deadline = started.addingTimeInterval(seconds)
    var next = from
    var failures: [Failure] = []
    var lastReport = started
    while next < runs, Date() < deadline, failures.count < maxFailures, progress[.unclear] < UInt64(maxFailures) {
      progress[.current] = SharedProgress.idle
      let worker = try spawn(from: next, seconds: deadline.timeIntervalSinceNow)
      var seen = progress[.current]
      var since = Date()
      var hung = false
      while worker.isRunning {
        usleep(20_000)
        let now = Date()
        let current = progress[.current]
        if current != seen {
          seen = current
          since = now
        } else if now.timeIntervalSince(since) > (current == SharedProgress.idle ? 300 : timeLimit) {
          kill(worker.processIdentifier, SIGKILL)
          hung = true
        }
        if now.timeIntervalSince(lastReport) >= 30 {
          lastReport = now
          let done = progress[.done]
          FuzzReport.out("  \(target): \(done) inputs, \(Int(Double(done) / now.timeIntervalSince(started)))/s")
        }
      }
      worker.waitUntilExit()
      FuzzScratch.remove(FuzzScratch.directory(target, pid: worker.processIdentifier))
      let at = progress[.current]
      if !hung && worker.terminationReason == .exit && worker.terminationStatus == 0 { break }
      guard at != SharedProgress.idle else {
        throw FuzzError("the worker for \(target) failed before its first input (status \(worker.terminationStatus))")
      }
      let kind = hung ? "hang" : "crash"
      let file = try record(kind, at: at, status: worker.terminationStatus)
      failures.append(Failure(kind: kind, iteration: at, file: file))
      progress[.done] += 1
      next = at + 1
    }
    return Summary(
      target: target, inputs: progress[.done], accepted: progress[.accepted], rejected: progress[.rejected],
      unclear: progress[.unclear], failures: failures, seconds: Date().timeIntervalSince(started))
  }

  private func spawn(from: UInt64, seconds: Double) throws -> Process {
    let p = Process()
    p.executableURL = FuzzSupervisor.executable
    p.arguments = [
      "--target", target, "--seed", String(seed), "--runs", String(runs), "--worker-from", String(from),
      "--seconds", String(max(0, seconds)), "--max-failures", String(maxFailures), "--out", out, "--root", root,
    ]
    // A trap ends the worker at once: the supervisor says which input; a replay gives the backtrace.
    var environment = ProcessInfo.processInfo.environment
    environment["SWIFT_BACKTRACE"] = "enable=no"
    p.environment = environment
    try p.run()
    return p
  }

  /// Makes the failing input again, saves it and says how to replay it.
  private func record(_ kind: String, at iteration: UInt64, status: Int32) throws -> String {
    guard let worker = FuzzWorker(name: target, root: root) else { throw FuzzError("no target \(target)") }
    defer { FuzzScratch.remove(worker.scratch) }
    let input = worker.target.input(seed: seed, iteration: iteration)
    let file = worker.save(input, seed: seed, iteration: iteration, out: out)
    let what = kind == "hang" ? "took longer than \(Int(timeLimit * 1000)) ms" : "crashed the worker (status \(status))"
    FuzzReport.error(
      "\(target): input \(iteration) (seed \(seed)) \(what); saved as \(file)\n"
        + "  replay: \(FuzzReport.replay(target, file))\n"
        + "  or make it again: channelkpi-fuzz --target \(target) --seed \(seed) --iteration \(iteration)")
    return file
  }

  /// This program, to start workers from.
  static var executable: URL {
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      return URL(fileURLWithPath: path)
    }
    return URL(fileURLWithPath: CommandLine.arguments[0])
  }
}

/// A fuzzer run that could not be carried out (not a finding).
struct FuzzError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
