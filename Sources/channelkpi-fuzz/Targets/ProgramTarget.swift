import ChannelKPI
import ChannelKPIStore

/// Program definitions: one YAML file holding any of the sections `program apply` reads
/// (objectives, targets, scorecards, tiers, incentives, alerts, benchmarks, enablement,
/// lifecycle, KPIs), parsed and checked against the demo's partners, types and regions.
struct ProgramTarget: FuzzTarget {
  let name = "program"
  let fileExtension = "yaml"
  let seeds: [FuzzInput]
  let tokens = [
    "objectives:", "targets:", "scorecards:", "tiers:", "incentives:", "alerts:", "benchmarks:", "enablement:",
    "lifecycle:", "kpis:", "\n  - id: ", "kpi: revenue", "from: 2025-Q1", "until: ", "min: ", "max: ", "weight: ",
    "value: ", "growth: ", "grain: quarter", "grain: month", "scope: ", "partner:P0001", "type:reseller",
    "region:", "every: ", "for: ", "below: ", "rate: ", "basis: ", "~", "&a ", "*a", "[", "]", "{", "}", "- ",
  ]
  let known: KnownPartners
  static let file = "program.yaml"

  init(corpus: FuzzCorpus) {
    known = corpus.partners
    let files = corpus.definitions.keys.sorted().compactMap { corpus.definitions[$0] }
    // Each demo file alone, and all of them as one file (sections refer to each other).
    seeds = (files + [files.joined(separator: "\n")]).map { FuzzInput(variant: "program", bytes: Array($0.utf8)) }
  }

  func run(_ input: FuzzInput) -> FuzzOutcome {
    do {
      _ = try ProgramFiles.parse([Self.file: String(decoding: input.bytes, as: UTF8.self)], known: known)
      return .accepted
    } catch {
      return Clarity.judge(error, file: Self.file, bytes: input.bytes)
    }
  }
}
