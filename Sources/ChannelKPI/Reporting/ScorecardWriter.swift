/// Writes scorecards and KPI standings as tables for people, CSV or JSON.
public enum ScorecardWriter {
  static func percent(_ v: Double?) -> String {
    v.map { ValueFormat.fixed($0 * 100, decimals: 0) + "%" } ?? "—"
  }

  static func targetText(_ s: KPIStanding) -> String {
    guard let t = s.targetSource else { return "" }
    return "\(t.scope): \(t.rule.description)"
  }

  /// One scorecard in full: every KPI against its target, the composite score and the rank.
  public static func table(_ r: ScorecardResult) -> String {
    var out = ""
    let who: String
    if let p = r.partner {
      who = "\(p.name) (partner \(p.id); \(p.type), \(p.region)\(p.tier.map { ", \($0)" } ?? ""))"
    } else {
      who = r.scope.description
    }
    out += "\(r.scorecard?.name ?? "Scorecard") — \(who) — \(r.period)\n"
    out += "Definitions \(r.version?.label ?? "none in force")\n\n"
    let rows = r.items.map { s in
      [
        s.name, s.weight.map { ValueFormat.machine($0) } ?? "", ValueFormat.human(s.actual, unit: s.unit),
        s.pace.map { ValueFormat.human($0, unit: s.unit) } ?? "", ValueFormat.human(s.target, unit: s.unit),
        ValueFormat.human(s.baseline, unit: s.unit), percent(s.attainment), s.status.label,
      ]
    }
    out += TextTable.render(
      header: ["KPI", "weight", "actual", "pace", "target", "baseline", "attainment", "status"], rows: rows,
      rightAlignFrom: 1)
    out += "\nComposite score: \(r.composite.map { ValueFormat.fixed($0, decimals: 1) } ?? "—")"
    if let rank = r.rank, let peers = r.peers {
      out += "   rank \(rank) of \(peers)"
      if let pc = r.percentile { out += " (percentile \(ValueFormat.fixed(pc, decimals: 0)))" }
    }
    out += "\n\nTargets:" + (r.items.contains { $0.targetSource != nil } ? "" : " none apply")
    for s in r.items where s.targetSource != nil { out += "\n  \(s.kpi): \(targetText(s))" }
    return out + "\n"
  }

  /// The partners of a type ranked by composite score, with each KPI's status.
  public static func ranking(_ results: [ScorecardResult]) -> String {
    guard let first = results.first else { return "No partners of this type were in the program in that period.\n" }
    var out =
      "\(first.scorecard?.name ?? "Scorecard") — \(first.period) — definitions \(first.version?.label ?? "none")\n\n"
    let kpis = first.items.map(\.kpi)
    let rows = results.map { r in
      [
        r.rank.map(String.init) ?? "—", r.partner?.id ?? r.scope.description, r.partner?.name ?? "",
        r.composite.map { ValueFormat.fixed($0, decimals: 1) } ?? "—",
        r.percentile.map { ValueFormat.fixed($0, decimals: 0) } ?? "—",
      ] + kpis.map { k in r.items.first { $0.kpi == k }.map { statusMark($0.status) } ?? "" }
    }
    out += TextTable.render(header: ["rank", "partner", "name", "score", "pctl"] + kpis, rows: rows)
    out += "\n● on track  ◐ at risk  ○ off track  · no data\n"
    return out
  }

  static func statusMark(_ s: TargetStatus) -> String {
    switch s {
    case .onTrack: "●"
    case .atRisk: "◐"
    case .offTrack: "○"
    case .noData: "·"
    }
  }

  public static let csvHeader =
    "scope,period,kpi,weight,actual,pace,target,baseline,attainment,status,composite,rank,percentile,version\n"

  /// One row per scope and KPI.
  public static func csv(_ results: [ScorecardResult]) -> String {
    var out = csvHeader
    for r in results {
      for s in r.items {
        out +=
          [
            CSVText.field(r.scope.description), r.period.description, CSVText.field(s.kpi),
            ValueFormat.machine(s.weight),
            ValueFormat.machine(s.actual), ValueFormat.machine(s.pace), ValueFormat.machine(s.target),
            ValueFormat.machine(s.baseline), ValueFormat.machine(s.attainment), s.status.rawValue,
            ValueFormat.machine(r.composite), r.rank.map(String.init) ?? "", ValueFormat.machine(r.percentile),
            r.version.map { "v\($0.number)" } ?? "",
          ].joined(separator: ",") + "\n"
      }
    }
    return out
  }

  /// `{"scorecards":[…]}`.
  public static func json(_ results: [ScorecardResult]) -> String {
    "{\"scorecards\":[\(results.map(jsonObject).joined(separator: ","))]}\n"
  }

  /// One scorecard as a JSON object.
  public static func jsonObject(_ r: ScorecardResult) -> String {
    let items = r.items.map { s in
      "{\"kpi\":\(JSON.string(s.kpi)),\"name\":\(JSON.string(s.name)),\"unit\":\(JSON.string(s.unit.rawValue)),\"better\":\(JSON.string(s.better.rawValue)),\"weight\":\(JSON.number(s.weight)),\"actual\":\(JSON.number(s.actual)),\"pace\":\(JSON.number(s.pace)),\"target\":\(JSON.number(s.target)),\"baseline\":\(JSON.number(s.baseline)),\"baseline_method\":\(JSON.string(s.baselineMethod.description)),\"target_rule\":\(s.targetSource == nil ? "null" : JSON.string(targetText(s))),\"attainment\":\(JSON.number(s.attainment)),\"status\":\(JSON.string(s.status.rawValue)),\"version\":\(s.version.map(String.init) ?? "null")}"
    }
    return
      "{\"scope\":\(JSON.string(r.scope.description)),\"partner\":\(r.partner.map { JSON.string($0.name) } ?? "null"),\"period\":\(JSON.string(r.period.description)),\"scorecard\":\(r.scorecard.map { JSON.string($0.id) } ?? "null"),\"version\":\(r.version.map { String($0.number) } ?? "null"),\"effective\":\(r.version.map { JSON.string($0.effective.description) } ?? "null"),\"composite\":\(JSON.number(r.composite)),\"rank\":\(r.rank.map(String.init) ?? "null"),\"peers\":\(r.peers.map(String.init) ?? "null"),\"percentile\":\(JSON.number(r.percentile)),\"kpis\":[\(items.joined(separator: ","))]}"
  }
}
