import ChannelKPITestSupport
import Foundation
import Testing

@testable import channelkpi_fuzz

@Suite("The fuzz driver")
struct DriverTests {
  @Test func anInputDependsOnlyOnTheSeedAndItsNumber() {
    let target = ProgramTarget(corpus: FuzzCorpus())
    let a = target.input(seed: 7, iteration: 1234)
    #expect(target.input(seed: 7, iteration: 1234) == a)
    #expect(target.input(seed: 7, iteration: 1235) != a)
    #expect(target.input(seed: 8, iteration: 1234) != a)
  }

  @Test func theSeedsAreValidInputs() throws {
    let corpus = FuzzCorpus()
    let csv = CSVTarget(corpus: corpus, scratch: FuzzScratch.directory("test-csv"))
    defer { FuzzScratch.remove(csv.scratch) }
    // Every table's seed file is accepted as it is: mutations start from valid input.
    #expect(csv.seeds.count == 10)
    for seed in csv.seeds { #expect(csv.run(seed) == .accepted, "\(seed.variant)") }
    let json = JSONTarget(corpus: corpus)
    for seed in json.seeds { #expect(json.run(seed) == .accepted, "\(seed.variant)") }
  }

  /// The self-test target traps on input 5, hangs on input 9 and rejects input 12 without a
  /// place: the supervisor must report all three, save them, and still try all 20 inputs.
  @Test func theSupervisorCatchesACrashAHangAndAnUnclearRejection() throws {
    guard let binary = BuiltExecutable.url(named: "channelkpi-fuzz") else {
      Issue.record("channelkpi-fuzz is not built (swift build)")
      return
    }
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: out) }
    let p = Process()
    p.executableURL = binary
    p.arguments = ["--target", "selftest", "--runs", "20", "--time-limit-per-input", "500", "--out", out]
    let stdout = Pipe()
    let stderr = Pipe()
    p.standardOutput = stdout
    p.standardError = stderr
    try p.run()
    let o = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let e = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    #expect(p.terminationStatus == 1)
    #expect(o.contains("selftest: 20 inputs in "))
    #expect(o.contains("17 accepted, 0 rejected clearly, 1 unclear, 1 crashes, 1 hangs"))
    #expect(e.contains("selftest: input 5 (seed 1) crashed the worker"))
    #expect(e.contains("selftest: input 9 (seed 1) took longer than 500 ms"))
    #expect(e.contains("selftest: unclear rejection of input 12 (seed 1)"))
    for (i, word) in [(5, "trap"), (9, "hang"), (12, "unclear")] {
      let saved = FileManager.default.contents(atPath: "\(out)/selftest/selftest.1-\(i).txt")
      #expect(saved.map { String(decoding: $0, as: UTF8.self) } == word)
    }
  }
}
