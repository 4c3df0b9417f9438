import ChannelKPI
import Yams

extension ProgramFiles.Parser {
  /// `benchmarks:` — external figures: KPI, peer group (a scope), grain, value and source.
  mutating func benchmarks(_ v: Node, _ path: String) {
    guard case .sequence(let items) = v else {
      error(path, v.mark, "'benchmarks' must be a list, each item starting with '- kpi: …'")
      return
    }
    for item in items {
      var errs: [DefinitionFileError] = []
      let f = fields(item, ["kpi", "peers", "grain", "value", "source"], "a benchmark", path, &errs)
      errors += errs
      guard let f else { continue }
      guard let kpi = text(f["kpi"], "kpi", path), let value = number(f["value"], "value", path),
        let source = text(f["source"], "source", path), !source.isEmpty
      else {
        error(path, item.mark, "a benchmark needs 'kpi:', 'value:' and 'source:' (where the figure comes from)")
        continue
      }
      references.append((kpi, path, f["kpi"]?.mark))
      let peersText = text(f["peers"], "peers", path) ?? "network"
      guard let peers = Scope(peersText), peers.kind != .partner else {
        error(
          path, f["peers"]?.mark,
          "'peers' is the group the figure is about: network, type:X, region:X or tier:X, not '\(peersText)'")
        continue
      }
      var grain: Grain?
      if let g = text(f["grain"], "grain", path) {
        grain = Grain(rawValue: g)
        if grain == nil {
          error(path, f["grain"]?.mark, "'grain' is month, quarter or year, not '\(g)'")
          continue
        }
      }
      if let known {
        let names: Set<String>? =
          switch peers.kind {
          case .type: known.types
          case .region: known.regions
          default: nil
          }
        if let names, let v = peers.value, !names.contains(v) {
          error(
            path, f["peers"]?.mark,
            "no partner has \(peers.kind.rawValue) '\(v)'\(Spelling.hint(for: v, in: names.sorted()))")
          continue
        }
      }
      defs.benchmarks.append(ExternalBenchmark(kpi: kpi, peers: peers, grain: grain, value: value, source: source))
    }
  }
}
