public import ChannelKPI
import Foundation
import Yams

/// Reads a program's definitions (KPIs, objectives, targets, scorecards, hygiene thresholds) from
/// the YAML files of a directory, checking them with errors at file, line and column.
///
/// Every `*.yaml` file of the directory may hold any of the sections `kpis`, `partner_facts`,
/// `objectives`, `kpi_settings`, `targets`, `scorecards`, `hygiene`, `tiers` and `incentives`.
public enum ProgramFiles {
  /// The YAML files of a directory, by name.
  public static func read(directory: String) throws(DefinitionFileErrors) -> [String: String] {
    let fm = FileManager.default
    var isDir: ObjCBool = false
    guard fm.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
      throw DefinitionFileErrors(errors: [
        DefinitionFileError(file: directory, line: 0, column: 0, message: "is not a directory of definitions")
      ])
    }
    let names = ((try? fm.contentsOfDirectory(atPath: directory)) ?? [])
      .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
    guard !names.isEmpty else {
      throw DefinitionFileErrors(errors: [
        DefinitionFileError(file: directory, line: 0, column: 0, message: "holds no .yaml files")
      ])
    }
    var files: [String: String] = [:]
    for n in names {
      let path = (directory as NSString).appendingPathComponent(n)
      guard let data = fm.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
        throw DefinitionFileErrors(errors: [
          DefinitionFileError(file: path, line: 0, column: 0, message: "cannot be read as UTF-8 text")
        ])
      }
      files[n] = text
    }
    return files
  }

  /// Parses and checks definitions files; the KPIs they define are compiled on top of `base`.
  /// The top-level sections the files hold (e.g. `tiers`, `incentives`).
  public static func sections(_ files: [String: String]) -> Set<String> {
    var out = Set<String>()
    for (name, text) in files {
      guard case .mapping(let top)?? = try? CatalogFile.compose(text, file: name) else { continue }
      for (k, _) in top { if let key = k.string { out.insert(key) } }
    }
    return out
  }

  /// With `known`, the partners, types and regions that ladders and plans name must exist.
  public static func parse(
    _ files: [String: String], base: Catalog = .builtin, directory: String = "", known: KnownPartners? = nil
  ) throws(DefinitionFileErrors) -> ProgramDefinitions {
    var parser = Parser(base: base)
    parser.known = known
    for name in files.keys.sorted() {
      let path = directory.isEmpty ? name : (directory as NSString).appendingPathComponent(name)
      parser.file(files[name]!, path: path)
    }
    return try parser.finish()
  }

  struct Parser {
    let base: Catalog
    var known: KnownPartners?
    /// Where the ladder was written, for errors about it.
    var ladderMark: (String, Mark?)?
    /// KPIs that must be money (rebate and MDF bases): id and place.
    var moneyReferences: [(String, String, Mark?)] = []
    /// Tier levels plans name: id and place.
    var tierReferences: [(String, String, Mark?)] = []
    var planIds: [String: (String, Mark?)] = [:]
    /// Where each plan was written.
    var planMarks: [String: (String, Mark?)] = [:]
    var errors: [DefinitionFileError] = []
    var map = CatalogFile.SourceMap()
    var defs = ProgramDefinitions()
    /// KPI references to check once every file is read: id and place.
    var references: [(String, String, Mark?)] = []
    /// Tiers alert rules name, checked once the whole program is read (a ladder's levels count).
    var alertTierReferences: [(String, String, Mark?)] = []
    var scorecardIds: [String: (String, Mark?)] = [:]
    var objectiveIds: [String: (String, Mark?)] = [:]
    var alertIds: [String: (String, Mark?)] = [:]

    init(base: Catalog) { self.base = base }

    mutating func error(_ file: String, _ mark: Mark?, _ message: String) {
      errors.append(DefinitionFileError(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message))
    }

    mutating func file(_ yaml: String, path: String) {
      let root: Node?
      do { root = try CatalogFile.compose(yaml, file: path) } catch {
        errors += error.errors
        return
      }
      guard let root else { return }
      guard case .mapping(let top) = root else {
        error(path, root.mark, "expected a mapping of sections such as 'objectives:', 'targets:', 'scorecards:'")
        return
      }
      let source = yaml.components(separatedBy: "\n")
      var collected: [DefinitionFileError] = []
      for (k, v) in top {
        let key = k.string ?? ""
        let handled = CatalogFile.section(
          key, v, file: path, source: source, map: &map,
          err: { m, msg in
            collected.append(DefinitionFileError(file: path, line: m?.line ?? 1, column: m?.column ?? 1, message: msg))
          }, into: &defs.catalog)
        if handled { continue }
        switch key {
        case "objectives": objectives(v, path)
        case "targets": targets(v, path)
        case "kpi_settings": settings(v, path)
        case "scorecards": scorecards(v, path)
        case "hygiene": hygiene(v, path)
        case "tiers": tiers(v, path)
        case "incentives": incentives(v, path)
        case "benchmarks": benchmarks(v, path)
        case "alerts": alerts(v, path)
        case "enablement": enablement(v, path)
        case "lifecycle": lifecycle(v, path)
        default:
          error(
            path, k.mark,
            "unknown section '\(key)'; sections are kpis, partner_facts, objectives, kpi_settings, targets, scorecards, hygiene, tiers, incentives, benchmarks, alerts, enablement, lifecycle"
          )
        }
      }
      errors += collected
    }

    // MARK: Values

    func fields(_ n: Node, _ allowed: [String], _ what: String, _ path: String, _ err: inout [DefinitionFileError])
      -> [String: Node]?
    {
      guard case .mapping(let m) = n else {
        err.append(
          DefinitionFileError(
            file: path, line: n.mark?.line ?? 1, column: n.mark?.column ?? 1,
            message: "\(what) must be a mapping of keys to values"))
        return nil
      }
      var out: [String: Node] = [:]
      for (k, v) in m {
        guard let key = k.string, allowed.contains(key) else {
          err.append(
            DefinitionFileError(
              file: path, line: k.mark?.line ?? 1, column: k.mark?.column ?? 1,
              message: "unknown key '\(k.string ?? "?")' in \(what); the keys are \(allowed.joined(separator: ", "))"))
          continue
        }
        out[key] = v
      }
      return out
    }

    mutating func text(_ n: Node?, _ key: String, _ path: String) -> String? {
      guard let n else { return nil }
      guard case .scalar(let s) = n else {
        error(path, n.mark, "'\(key)' must be a single value")
        return nil
      }
      return s.string
    }

    mutating func number(_ n: Node?, _ key: String, _ path: String) -> Double? {
      guard let t = text(n, key, path) else { return nil }
      guard let v = Double(t.replacingOccurrences(of: "_", with: "")), v.isFinite else {
        error(path, n?.mark, "'\(key)' must be a number, not '\(t)'")
        return nil
      }
      return v
    }

    /// A whole number in `range` (a number outside it, or with a fraction, is an error).
    mutating func whole(_ n: Node?, _ key: String, _ path: String, _ range: ClosedRange<Int>) -> Int? {
      guard let x = number(n, key, path) else { return nil }
      guard x == x.rounded(), x >= Double(range.lowerBound), x <= Double(range.upperBound) else {
        error(path, n?.mark, "'\(key)' must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        return nil
      }
      return Int(x)
    }

    mutating func period(_ n: Node?, _ key: String, _ path: String) -> Period? {
      guard let t = text(n, key, path) else { return nil }
      guard let p = Period(t) else {
        error(path, n?.mark, "'\(key)' must be a period such as 2025-03, 2025-Q1 or 2025, not '\(t)'")
        return nil
      }
      return p
    }

    mutating func kpiList(_ n: Node?, _ key: String, _ path: String) -> [String] {
      guard let n else { return [] }
      guard let items = n.listItems else {
        error(path, n.mark, "'\(key)' must be a list of KPI ids such as [revenue, win_rate]")
        return []
      }
      var out: [String] = []
      for i in items {
        guard let id = i.string else {
          error(path, i.mark, "a KPI id is expected here")
          continue
        }
        references.append((id, path, i.mark))
        out.append(id)
      }
      return out
    }

    // MARK: Sections

    mutating func objectives(_ v: Node, _ path: String) {
      guard case .sequence(let items) = v else {
        error(path, v.mark, "'objectives' must be a list, each item starting with '- id: …'")
        return
      }
      for item in items {
        var errs: [DefinitionFileError] = []
        guard
          let f = fields(
            item, ["id", "name", "description", "owner", "from", "to", "kpis"], "an objective", path, &errs)
        else {
          errors += errs
          continue
        }
        errors += errs
        guard let id = text(f["id"], "id", path), let name = text(f["name"], "name", path) else {
          error(path, item.mark, "an objective needs 'id:' and 'name:'")
          continue
        }
        if let (file, mark) = objectiveIds[id] {
          error(path, f["id"]?.mark, "the objective id '\(id)' is already used at \(file):\(mark?.line ?? 0)")
        }
        objectiveIds[id] = (path, f["id"]?.mark)
        let from = period(f["from"], "from", path)
        let to = period(f["to"], "to", path)
        if let from, let to, to.lastMonth < from.firstMonth {
          error(path, f["to"]?.mark, "'to' (\(to)) is before 'from' (\(from))")
        }
        let kpis = kpiList(f["kpis"], "kpis", path)
        if kpis.isEmpty { error(path, item.mark, "objective '\(id)' needs the KPIs that measure it ('kpis: [...]')") }
        defs.objectives.append(
          Objective(
            id: id, name: name, description: text(f["description"], "description", path) ?? "",
            owner: text(f["owner"], "owner", path) ?? "", from: from, to: to, kpis: kpis))
      }
    }

    mutating func targets(_ v: Node, _ path: String) {
      guard case .sequence(let items) = v else {
        error(path, v.mark, "'targets' must be a list, each item starting with '- kpi: …'")
        return
      }
      for item in items {
        var errs: [DefinitionFileError] = []
        guard
          let f = fields(
            item, ["kpi", "scope", "grain", "from", "to", "value", "growth", "delta"], "a target", path, &errs)
        else {
          errors += errs
          continue
        }
        errors += errs
        guard let kpi = text(f["kpi"], "kpi", path) else {
          error(path, item.mark, "a target needs 'kpi:'")
          continue
        }
        references.append((kpi, path, f["kpi"]?.mark))
        let scopeText = text(f["scope"], "scope", path) ?? "network"
        guard let scope = Scope(scopeText) else {
          error(
            path, f["scope"]?.mark,
            "'\(scopeText)' is not a scope: write network, type:X, region:X, tier:X or partner:ID")
          continue
        }
        var grain: Grain?
        if let g = text(f["grain"], "grain", path) {
          grain = Grain(rawValue: g)
          if grain == nil { error(path, f["grain"]?.mark, "'grain' is month, quarter or year, not '\(g)'") }
        }
        let from = period(f["from"], "from", path)
        let to = period(f["to"], "to", path)
        if let from, let to, to.lastMonth < from.firstMonth {
          error(path, f["to"]?.mark, "'to' (\(to)) is before 'from' (\(from))")
        }
        let rules = ["value", "growth", "delta"].filter { f[$0] != nil }
        guard rules.count == 1 else {
          error(
            path, item.mark,
            rules.isEmpty
              ? "a target needs one of 'value:', 'growth:' (baseline × (1 + growth)) or 'delta:' (baseline + delta)"
              : "a target has one of value, growth or delta, not \(rules.joined(separator: " and "))")
          continue
        }
        guard let x = number(f[rules[0]], rules[0], path) else { continue }
        let rule: TargetRule = rules[0] == "value" ? .value(x) : rules[0] == "growth" ? .growth(x) : .delta(x)
        defs.targets.append(TargetDefinition(kpi: kpi, scope: scope, grain: grain, from: from, to: to, rule: rule))
      }
    }

    mutating func settings(_ v: Node, _ path: String) {
      guard case .mapping(let m) = v else {
        error(path, v.mark, "'kpi_settings' maps KPI ids to settings, e.g. revenue: {baseline: previous 4}")
        return
      }
      for (k, sv) in m {
        guard let kpi = k.string else { continue }
        references.append((kpi, path, k.mark))
        var errs: [DefinitionFileError] = []
        guard let f = fields(sv, ["baseline", "on_track", "at_risk", "pace"], "the settings of \(kpi)", path, &errs)
        else {
          errors += errs
          continue
        }
        errors += errs
        if let b = f["baseline"], let t = text(b, "baseline", path) {
          let words = t.lowercased().split(separator: " ").map(String.init)
          if words.count == 2, words[0] == "previous", let n = Int(words[1]), n >= 1, n <= 60 {
            defs.baselines[kpi] = .previousPeriods(n)
          } else if t.lowercased() == "same period last year" {
            defs.baselines[kpi] = .samePeriodLastYear
          } else if let x = Double(t) {
            defs.baselines[kpi] = .fixed(x)
          } else {
            error(
              path, b.mark, "'baseline' is 'previous N' (N periods), 'same period last year', or a number; not '\(t)'")
          }
        }
        if f["on_track"] != nil || f["at_risk"] != nil {
          let on = number(f["on_track"], "on_track", path) ?? StatusThresholds.default.onTrack
          let risk = number(f["at_risk"], "at_risk", path) ?? StatusThresholds.default.atRisk
          if risk > on {
            error(path, (f["at_risk"] ?? sv).mark, "'at_risk' (\(risk)) must not be above 'on_track' (\(on))")
          }
          defs.thresholds[kpi] = StatusThresholds(onTrack: on, atRisk: risk)
        }
        if let p = f["pace"] {
          guard let b = p.bool else {
            error(path, p.mark, "'pace' is true or false")
            continue
          }
          defs.pace[kpi] = b
        }
      }
    }

    mutating func scorecards(_ v: Node, _ path: String) {
      guard case .sequence(let items) = v else {
        error(path, v.mark, "'scorecards' must be a list, each item starting with '- id: …'")
        return
      }
      for item in items {
        var errs: [DefinitionFileError] = []
        guard let f = fields(item, ["id", "name", "partner_type", "network", "kpis"], "a scorecard", path, &errs) else {
          errors += errs
          continue
        }
        errors += errs
        guard let id = text(f["id"], "id", path) else {
          error(path, item.mark, "a scorecard needs 'id:'")
          continue
        }
        if let (file, mark) = scorecardIds[id] {
          error(path, f["id"]?.mark, "the scorecard id '\(id)' is already used at \(file):\(mark?.line ?? 0)")
        }
        scorecardIds[id] = (path, f["id"]?.mark)
        let type = text(f["partner_type"], "partner_type", path)
        let network = f["network"]?.bool ?? false
        if (type == nil) == !network {
          error(
            path, item.mark, "a scorecard is either for a partner type ('partner_type: reseller') or 'network: true'")
          continue
        }
        if let type, defs.scorecards.contains(where: { $0.partnerType == type }) {
          error(path, f["partner_type"]?.mark, "partner type '\(type)' already has a scorecard")
        }
        if network, defs.scorecards.contains(where: { $0.isNetwork }) {
          error(path, f["network"]?.mark, "there is already a network scorecard")
        }
        guard case .sequence(let list)? = f["kpis"], !list.isEmpty else {
          error(path, (f["kpis"] ?? item).mark, "a scorecard needs 'kpis:', a list of KPI ids or {kpi: id, weight: n}")
          continue
        }
        var cardItems: [ScorecardItem] = []
        for entry in list {
          switch entry {
          case .scalar:
            guard let kpi = entry.string else { continue }
            references.append((kpi, path, entry.mark))
            if cardItems.contains(where: { $0.kpi == kpi }) {
              error(path, entry.mark, "'\(kpi)' is on this scorecard twice")
            }
            cardItems.append(ScorecardItem(kpi: kpi))
          default:
            var e2: [DefinitionFileError] = []
            guard let ef = fields(entry, ["kpi", "weight"], "a scorecard KPI", path, &e2),
              let kpi = text(ef["kpi"], "kpi", path)
            else {
              errors += e2
              error(path, entry.mark, "a scorecard KPI is an id, or {kpi: id, weight: n}")
              continue
            }
            errors += e2
            references.append((kpi, path, ef["kpi"]?.mark))
            let w = number(ef["weight"], "weight", path) ?? 1
            if w <= 0 { error(path, ef["weight"]?.mark, "a weight must be above 0") }
            if cardItems.contains(where: { $0.kpi == kpi }) {
              error(path, ef["kpi"]?.mark, "'\(kpi)' is on this scorecard twice")
            }
            cardItems.append(ScorecardItem(kpi: kpi, weight: w))
          }
        }
        defs.scorecards.append(
          ScorecardDefinition(
            id: id, name: text(f["name"], "name", path) ?? id, partnerType: network ? nil : type, items: cardItems))
      }
    }

    mutating func hygiene(_ v: Node, _ path: String) {
      let keys = [
        "max_scorecard_kpis", "recent_periods", "min_data_coverage", "off_track_periods", "static_target_periods",
        "static_actual_change", "unattainable_margin",
      ]
      var errs: [DefinitionFileError] = []
      guard let f = fields(v, keys, "'hygiene'", path, &errs) else {
        errors += errs
        return
      }
      errors += errs
      // Bounded, so that no count overflows when it becomes an Int.
      for (k, keyPath) in [
        ("max_scorecard_kpis", \HygieneThresholds.maxScorecardKPIs), ("recent_periods", \.recentPeriods),
        ("off_track_periods", \.offTrackPeriods), ("static_target_periods", \.staticTargetPeriods),
      ] {
        if let x = whole(f[k], k, path, 1...10_000) { defs.hygiene[keyPath: keyPath] = x }
      }
      func share(_ k: String, max: Double?) -> Double? {
        guard let x = number(f[k], k, path) else { return nil }
        guard x >= 0, max.map({ x <= $0 }) ?? true else {
          error(
            path, f[k]?.mark,
            "'\(k)' must be a share \(max == nil ? "of at least 0" : "from 0 to 1") (0.5 = 50%), not \(ValueFormat.machine(x))"
          )
          return nil
        }
        return x
      }
      if let x = share("min_data_coverage", max: 1) { defs.hygiene.minDataCoverage = x }
      if let x = share("static_actual_change", max: nil) { defs.hygiene.staticActualChange = x }
      if let x = share("unattainable_margin", max: nil) { defs.hygiene.unattainableMargin = x }
    }

    mutating func finish() throws(DefinitionFileErrors) -> ProgramDefinitions {
      // The KPIs defined here must compile on top of the base catalog, and every reference must name one.
      let merged = base.merging(defs.catalog)
      do { _ = try CatalogCompiler.compile(merged) } catch {
        errors += CatalogFile.locate(error, map)
      }
      let knownKPIs = Set(merged.kpis.map(\.id))
      for (id, path, mark) in references where !knownKPIs.contains(id) {
        error(path, mark, "unknown KPI '\(id)'\(Spelling.hint(for: id, in: knownKPIs.sorted()))")
      }
      if let known {
        let tiers = known.tiers.union(defs.tiers?.levels.map(\.id) ?? [])
        for (tier, path, mark) in alertTierReferences where !tiers.contains(tier) {
          error(
            path, mark,
            "no partner and no level of the ladder has tier '\(tier)'; the tiers are \(tiers.sorted().joined(separator: ", "))"
          )
        }
      }
      checkIncentives(merged)
      if !errors.isEmpty {
        throw DefinitionFileErrors(
          errors: errors.sorted { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) })
      }
      return defs
    }
  }
}
