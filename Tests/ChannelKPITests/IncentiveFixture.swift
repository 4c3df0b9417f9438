import ChannelKPI
import Testing

/// Builds the evaluator, tier history and incentive calculator of small programs checked by hand.
enum IncentiveFixture {
  /// An evaluator over `records` with one version of `defs`, in force from 2020 on; the engine keeps
  /// the single facts incentive plans read.
  static func evaluator(_ records: [FactRecord], _ defs: ProgramDefinitions, today: String) throws
    -> ProgramEvaluator
  {
    let catalog = try CatalogCompiler.compile(variants: [Catalog.builtin.merging(defs.catalog)])
    let engine = KPIEngine(catalog: catalog, extraColumns: KPIEngine.incentiveColumns)
    engine.load(records)
    engine.finishLoading()
    let version = ProgramVersion(
      number: 1, effective: try day("2020-01-01"), appliedAt: "2024-01-01T00:00:00Z", definitions: defs)
    return ProgramEvaluator(
      engine: engine, history: ProgramHistory(versions: [version]), variantOfVersion: [1: 0], today: try day(today))
  }

  /// Every tier evaluation of the evaluator's ladder.
  static func tiers(
    _ ev: ProgramEvaluator, recorded: [String: String?] = [:], overrides: [TierOverride] = []
  ) throws -> TierHistory {
    try TierEvaluator(
      engine: ev.engine, history: ev.history, variantOfVersion: ev.variantOfVersion, today: ev.today,
      recordedAttributes: recorded, overrides: overrides
    ).evaluate()
  }

  /// The tier history of a program made of `records` and `ladder`.
  static func tiers(
    _ records: [FactRecord], _ ladder: TierLadder, today: String, recorded: [String: String?] = [:],
    overrides: [TierOverride] = []
  ) throws -> TierHistory {
    try tiers(
      try evaluator(records, ProgramDefinitions(tiers: ladder), today: today), recorded: recorded,
      overrides: overrides)
  }

  static func calculator(_ records: [FactRecord], _ defs: ProgramDefinitions, today: String = "2030-01-01") throws
    -> IncentiveCalculator
  {
    let ev = try evaluator(records, defs, today: today)
    return IncentiveCalculator(evaluator: ev, tiers: try tiers(ev), facts: ev.engine.incentiveFacts())
  }

  /// One partner's statement for one period (nil: no plan applies to it).
  static func statement(
    _ calc: IncentiveCalculator, _ partner: String = "P1", _ period: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> PayoutStatement? {
    let p = try #require(Period(period), sourceLocation: sourceLocation)
    return try calc.statements(period: p, partners: calc.evaluator.engine.partners()).first { $0.partner == partner }
  }

  /// The statement of a program with these records and plans, for P1 (which must have one).
  static func statement(
    _ records: [FactRecord], _ plans: [IncentivePlan], targets: [TargetDefinition] = [], period: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> PayoutStatement {
    let calc = try calculator(records, ProgramDefinitions(targets: targets, incentives: plans))
    return try #require(
      try statement(calc, "P1", period, sourceLocation: sourceLocation), sourceLocation: sourceLocation)
  }

  static func day(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Day {
    try #require(Day(iso: text), sourceLocation: sourceLocation)
  }

  static func period(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Period {
    try #require(Period(text), sourceLocation: sourceLocation)
  }

  static func partner(
    _ id: String = "P1", type: String = "reseller", region: String = "emea", tier: String? = nil,
    joined: String = "2023-01-01", left: String? = nil
  ) -> FactRecord {
    Row.partner(id, type: type, region: region, tier: tier, joined: joined, left: left)
  }

  /// A won deal, created on the day it closed unless told otherwise.
  static func won(
    _ id: String, _ partner: String = "P1", closed: String, amount: String, created: String? = nil,
    product: String? = nil, source: String = "sourced", registered: String? = nil
  ) -> FactRecord {
    var f = [
      "deal_id": id, "partner_id": partner, "source": source, "created_on": created ?? closed, "stage": "won",
      "closed_on": closed, "amount": amount,
    ]
    f["product"] = product
    if let registered {
      f["registered_on"] = registered
      f["registration_status"] = "approved"
    }
    return Fixture.record(.deals, f)
  }

  static func lost(_ id: String, _ partner: String = "P1", closed: String, amount: String = "100") -> FactRecord {
    Row.deal(id, partner, created: closed, stage: "lost", closed: closed, amount: amount)
  }
}
