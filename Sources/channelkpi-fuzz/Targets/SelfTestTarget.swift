import Foundation

/// A target that fails on purpose, to prove the driver finds failures: input 5 traps, input 9
/// hangs, input 12 is rejected without a place; every other input is accepted.
struct SelfTestTarget: FuzzTarget {
  let name = "selftest"
  let fileExtension = "txt"
  let seeds = [FuzzInput(variant: "selftest", bytes: Array("ok".utf8))]
  let tokens: [String] = []

  func input(seed: UInt64, iteration: UInt64) -> FuzzInput {
    let word = [5: "trap", 9: "hang", 12: "unclear"][iteration] ?? "ok"
    return FuzzInput(variant: name, bytes: Array(word.utf8))
  }

  func run(_ input: FuzzInput) -> FuzzOutcome {
    switch String(decoding: input.bytes, as: UTF8.self) {
    case "trap": precondition(input.bytes.isEmpty, "the self-test's deliberate trap")
    case "hang": Thread.sleep(forTimeInterval: 30)
    case "unclear": return .unclear(["the self-test's deliberate unclear rejection"])
    default: break
    }
    return .accepted
  }
}
