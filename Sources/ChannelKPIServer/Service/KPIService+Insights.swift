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

  /// Partners' positions among their peers for a KPI and period; with `seenBy`, anonymized for a
  /// caller who sees only some partners.
  public func peerPositions(
    kpi: String, period: Period, peers: PeerGroup, partners: Set<String>?,
    seenBy: (@Sendable (String) -> Bool)? = nil
  ) throws -> [PeerPosition] {
    try PeerBenchmarks(evaluator: evaluator).positions(
      kpi: kpi, period: period, peers: peers, partners: partners, seenBy: seenBy)
  }

  /// The cut points of every peer group of a KPI in a period, for the vendor's KPI page.
  public func peerGroups(kpi: String, period: Period, peers: PeerGroup) throws -> [(
    group: String, count: Int, cuts: QuartileCuts
  )] {
    try PeerBenchmarks(evaluator: evaluator).groups(kpi: kpi, period: period, peers: peers)
  }
}

extension KPIService {
  /// The forecast of a KPI for a scope, under the definitions in force for the period it starts from.
  public func forecast(
    kpi: String, scope: Scope, grain: Grain, horizon: Int?, asOf: Period?, backtest: Int
  ) throws(ForecastError) -> KPIForecast {
    let day = todayDay
    let from = asOf ?? Period(grain: grain, containing: day.month).shifted(by: -1)
    let variant = evaluator.definitions(for: from).variant
    return try KPIForecaster(engine: engine, variant: variant).forecast(
      kpi: kpi, scope: scope, grain: grain, horizon: horizon, asOf: asOf, today: day, backtest: backtest)
  }

  /// The chance that a KPI of a scope reaches its target in a period under way or ahead (nil for
  /// a period that has ended or without enough history), kept until the next write or day.
  public func chanceOfTarget(kpi: String, scope: Scope, period: Period, target: Double, better: Direction) -> Double? {
    let day = todayDay
    let key = "\(kpi)|\(scope)|\(period)|\(target)|\(better.rawValue)|\(day.number)"
    if let cached = chanceCache[key] { return cached }
    let variant = evaluator.definitions(for: period).variant
    let p = KPIForecaster(engine: engine, variant: variant).probability(
      kpi: kpi, scope: scope, period: period, target: target, better: better, today: day)
    if chanceCache.count > 4096 { chanceCache = [:] }
    chanceCache[key] = p
    return p
  }
}
