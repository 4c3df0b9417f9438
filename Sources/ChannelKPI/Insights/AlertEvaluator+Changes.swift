extension AlertEvaluator {
  /// The rules whose decisions a change of facts may move, in their order. A rule judges ended
  /// periods only, so a change that moved no month up to the end of its last ended period, in
  /// the KPI it reads (under any definitions that have it) and, for a rule against targets, in
  /// the KPIs of a tier ladder (the tiers held, and so the tier targets), leaves its decisions as
  /// they were: a batch of this month's deals decides nothing again.
  ///
  /// This holds against decisions made with the same last ended periods: the caller keeps it to
  /// the month in which every rule was last decided for every scope.
  public func rules(_ rules: [AlertRule], movedBy change: FactChange) -> [AlertRule] {
    let engine = evaluator.engine
    let compiled = engine.compiled
    func variants(of kpi: String) -> [Int] {
      (0..<compiled.variantCount).filter { compiled.variantCatalogs[$0].kpi(kpi) != nil }
    }
    var ladder: [(kpi: String, variant: Int)] = []
    for v in evaluator.history.versions {
      for k in v.definitions.tiers?.kpis ?? [] { ladder.append((k, evaluator.variantOfVersion[v.number] ?? 0)) }
    }
    return rules.filter { rule in
      let through = lastEnded(rule.grain).lastMonth
      let kpiVariants = variants(of: rule.kpi)
      // A KPI no definitions have: deciding it says so.
      if kpiVariants.isEmpty { return true }
      let asOf = if case .outsideForecast = rule.condition { true } else { false }
      let moved = kpiVariants.contains {
        engine.mayHaveChanged(rule.kpi, variant: $0, through: through, by: change, asOf: asOf)
      }
      if moved { return true }
      guard case .attainmentBelow = rule.condition else { return false }
      return ladder.contains {
        engine.mayHaveChanged($0.kpi, variant: $0.variant, through: through, by: change, asOf: false)
      }
    }
  }
}
