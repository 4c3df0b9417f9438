import Foundation

/// Builds the targets and runs inputs through one of them, in this process.
struct FuzzWorker {
  let target: any FuzzTarget
  let scratch: String

  static let targetNames = ["csv", "kpi", "mapping", "program", "json"]

  /// The target named `name`, with its seeds; `root` is where the repository's examples are.
  init?(name: String, root: String) {
    let corpus = FuzzCorpus()
    scratch = FuzzScratch.directory(name)
    switch name {
    case "csv": target = CSVTarget(corpus: corpus, scratch: scratch)
    case "kpi": target = KPITarget(corpus: corpus)
    case "mapping": target = MappingTarget(corpus: corpus, scratch: scratch, root: root)
    case "program": target = ProgramTarget(corpus: corpus)
    case "json": target = JSONTarget(corpus: corpus)
    case "selftest": target = SelfTestTarget()
    default: return nil
    }
  }

  /// Tries inputs `from..<to` of the run seeded `seed` until `deadline` or `maxUnclear` unclear
  /// rejections, keeping `progress` current so the supervisor can tell which input a crash or a
  /// hang happened on. Unclear rejections are saved to `out` and reported as they are found.
  func run(
    seed: UInt64, from: UInt64, to: UInt64, deadline: Date, maxUnclear: Int, out: String, progress: SharedProgress
  ) {
    var i = from
    while i < to {
      // Reading the clock costs more than most inputs: look every 256.
      if i & 255 == 0, Date() >= deadline { break }
      progress[.current] = i
      let input = target.input(seed: seed, iteration: i)
      switch target.run(input) {
      case .accepted: progress[.accepted] += 1
      case .rejected: progress[.rejected] += 1
      case .unclear(let reasons):
        progress[.unclear] += 1
        let file = save(input, seed: seed, iteration: i, out: out)
        FuzzReport.error(
          "\(target.name): unclear rejection of input \(i) (seed \(seed)), saved as \(file):\n  "
            + reasons.prefix(5).joined(separator: "\n  ") + "\n  replay: \(FuzzReport.replay(target.name, file))")
      }
      progress[.done] += 1
      if progress[.unclear] >= UInt64(maxUnclear) { break }
      i += 1
    }
    progress[.current] = SharedProgress.idle
  }

  /// Writes the input where a replay finds it: `out/TARGET/VARIANT.SEED-ITERATION.EXT`.
  func save(_ input: FuzzInput, seed: UInt64, iteration: UInt64, out: String) -> String {
    let dir = (out as NSString).appendingPathComponent(target.name)
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let path = (dir as NSString).appendingPathComponent("\(input.variant).\(seed)-\(iteration).\(target.fileExtension)")
    _ = FuzzScratch.write(input.bytes, to: path)
    return path
  }

  /// The input a saved file holds: its variant is the file name up to the first dot.
  static func input(file: String) -> FuzzInput? {
    guard let data = FileManager.default.contents(atPath: file) else { return nil }
    let name = (file as NSString).lastPathComponent
    return FuzzInput(variant: String(name.prefix { $0 != "." }), bytes: Array(data))
  }
}

/// What the fuzzer prints.
enum FuzzReport {
  static func error(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
  }

  /// A line on standard output, written at once (a log file sees progress as it is made).
  static func out(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
  }

  static func replay(_ target: String, _ file: String) -> String {
    "channelkpi-fuzz --target \(target) --replay \(file)"
  }

  /// One outcome in words, for a replay.
  static func describe(_ outcome: FuzzOutcome) -> String {
    switch outcome {
    case .accepted: "accepted"
    case .rejected: "rejected, with clear errors"
    case .unclear(let reasons): "rejected, with unclear errors:\n  " + reasons.joined(separator: "\n  ")
    }
  }
}
