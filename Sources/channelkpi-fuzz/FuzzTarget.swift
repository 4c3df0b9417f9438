/// One input to a target: the bytes, and the variant of the entry point they are fed to (the
/// table of a CSV file or JSON body; the target's name where it has one entry).
struct FuzzInput: Sendable, Hashable {
  var variant: String
  var bytes: [UInt8]
}

/// What an entry point did with an input.
enum FuzzOutcome: Sendable, Hashable {
  /// Accepted: parsed, checked and (for imports) turned into records.
  case accepted
  /// Rejected with errors that each pass the target's clarity rule.
  case rejected
  /// Rejected with errors some of which break the clarity rule: each reason names the message
  /// and what it lacks.
  case unclear([String])
}

/// An entry point fed by the fuzzer.
protocol FuzzTarget: Sendable {
  /// The name used with `--target`.
  var name: String { get }
  /// The file extension of saved inputs.
  var fileExtension: String { get }
  /// Valid inputs to mutate.
  var seeds: [FuzzInput] { get }
  /// Pieces of the input language worth inserting (keywords, separators).
  var tokens: [String] { get }
  /// A fresh input built from the input's grammar, when the target has a cheap generator.
  func generate(_ rng: inout FuzzRandom) -> FuzzInput?
  /// Input number `iteration` of the run seeded `seed` (the default mutates the seeds).
  func input(seed: UInt64, iteration: UInt64) -> FuzzInput
  /// Feeds the input to the entry point and judges its errors.
  func run(_ input: FuzzInput) -> FuzzOutcome
}

extension FuzzTarget {
  func generate(_ rng: inout FuzzRandom) -> FuzzInput? { nil }

  /// Input number `iteration` of the run seeded `seed`: a seed as it is, a generated input, or
  /// (mostly) a seed after a few mutations. It depends on nothing else, so it can be made again.
  func input(seed: UInt64, iteration: UInt64) -> FuzzInput {
    var rng = FuzzRandom(seed: seed, iteration: iteration)
    let roll = rng.below(100)
    if roll < 3 { return rng.pick(seeds) }
    if roll < 20, var generated = generate(&rng) {
      if rng.chance(0.5) {
        generated.bytes = Mutator.mutate(generated.bytes, other: rng.pick(seeds).bytes, tokens: tokens, rng: &rng)
      }
      return generated
    }
    let base = rng.pick(seeds)
    let other = rng.pick(seeds)
    return FuzzInput(
      variant: base.variant, bytes: Mutator.mutate(base.bytes, other: other.bytes, tokens: tokens, rng: &rng))
  }
}

extension FuzzOutcome {
  /// This outcome, or `.unclear` when there are reasons.
  func judging(_ reasons: [String]) -> FuzzOutcome { reasons.isEmpty ? self : .unclear(reasons) }
}
