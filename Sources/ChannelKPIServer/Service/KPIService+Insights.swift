public import ChannelKPI

extension KPIService {
  /// The change of a KPI for a scope between two periods, segment by segment, under the
  /// definitions in force for `period`.
  public func explain(
    kpi: String, scope: Scope, period: Period, versus: Period?, dimensions: [SegmentDimension]?
  ) throws(ExplainError) -> ChangeExplanation {
    let variant = evaluator.definitions(for: period).variant
    return try ChangeExplainer(engine: engine, variant: variant).explain(
      kpi: kpi, scope: scope, period: period, versus: versus, dimensions: dimensions)
  }

  /// Partners' positions among their peers for a KPI and period.
  public func peerPositions(kpi: String, period: Period, peers: PeerGroup, partners: Set<String>?) throws
    -> [PeerPosition]
  {
    try PeerBenchmarks(evaluator: evaluator).positions(kpi: kpi, period: period, peers: peers, partners: partners)
  }
}
