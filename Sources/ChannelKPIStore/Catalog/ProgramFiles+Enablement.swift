import ChannelKPI
import Foundation
import Yams

extension ProgramFiles.Parser {
  /// `enablement:` — for a KPI, the training (and the certifications.csv program it is, and a
  /// link) recommended to partners whose KPI is off track.
  mutating func enablement(_ v: Node, _ path: String) {
    guard case .sequence(let items) = v else {
      error(path, v.mark, "'enablement' must be a list, each item starting with '- kpi: …'")
      return
    }
    for item in items {
      var errs: [DefinitionFileError] = []
      let f = fields(item, ["kpi", "training", "program", "link"], "an enablement item", path, &errs)
      errors += errs
      guard let f else { continue }
      guard let kpi = text(f["kpi"], "kpi", path), let training = text(f["training"], "training", path),
        !training.trimmingCharacters(in: .whitespaces).isEmpty
      else {
        error(path, item.mark, "an enablement item needs 'kpi:' and 'training:' (what to recommend)")
        continue
      }
      references.append((kpi, path, f["kpi"]?.mark))
      let program = text(f["program"], "program", path)
      if let program, program.isEmpty || !program.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) {
        error(path, f["program"]?.mark, "'program' is a certifications.csv program such as sales, not '\(program)'")
        continue
      }
      let link = text(f["link"], "link", path)
      if let link {
        guard let u = URL(string: link), ["http", "https"].contains(u.scheme?.lowercased() ?? ""), u.host != nil else {
          error(path, f["link"]?.mark, "'link' must be an http or https address, not '\(link)'")
          continue
        }
      }
      defs.enablement.append(EnablementItem(kpi: kpi, training: training, program: program, link: link))
    }
  }
}
