/// Tier requirements and evaluations in words, each value written in its KPI's unit
/// (`win_rate ≥ 25.0% (is 20.4%)`).
public struct TierText: Sendable {
  let units: [String: KPIUnit]

  public init(catalog: Catalog) {
    units = Dictionary(catalog.kpis.map { ($0.id, $0.unit) }, uniquingKeysWith: { _, b in b })
  }

  public func value(_ kpi: String, _ v: Double?) -> String { ValueFormat.human(v, unit: units[kpi] ?? .number) }

  /// `revenue ≥ 150,000.00`.
  public func requirement(_ r: TierRequirement) -> String {
    switch r.bound {
    case .min(let v): "\(r.kpi) ≥ \(value(r.kpi, v))"
    case .max(let v): "\(r.kpi) ≤ \(value(r.kpi, v))"
    }
  }

  /// `win_rate ≥ 25.0% (is 20.4%)`.
  public func standing(_ s: RequirementStanding) -> String {
    "\(requirement(s.requirement)) (is \(value(s.requirement.kpi, s.value)))"
  }

  /// How far from meeting it: `met`, `short by 4.6%`, or `no value`.
  public func gap(_ s: RequirementStanding) -> String {
    if s.isMet { return "met" }
    return s.shortfall.map { "short by \(value(s.requirement.kpi, $0))" } ?? "no value"
  }

  /// The requirements of `level` an evaluation did not meet, or nil when it met them all.
  public func unmet(_ e: TierEvaluation, level: String) -> String? {
    let list = e.failing.filter { $0.level == level }
    return list.isEmpty ? nil : "\(level) needs " + list.map(standing).joined(separator: ", ")
  }

  /// What decided an evaluation: an override, meeting a level, or the requirements of the level
  /// above the qualified one that were not met.
  public func why(_ e: TierEvaluation) -> String {
    if let o = e.override { return "override by \(o.setBy): \(o.reason)" }
    if e.change == .promoted { return "meets every requirement of \(e.level)" }
    guard let first = e.failing.first?.level else { return "qualifies for \(e.qualified)" }
    return e.failing.filter { $0.level == first }.map(standing).joined(separator: "; ")
  }
}
