import Testing

@testable import ChannelKPI

/// What a server keeps between writes (scorecards ranked within a type, tier evaluations), brought
/// up to date after a batch by computing again only the partners the batch reached, must equal the
/// same computed from nothing.
@Suite struct IncrementalDerivedTests {
  /// The small demo program as records, partners first.
  static func demoRecords() throws -> [FactRecord] {
    var out: [FactRecord] = []
    for t in CanonicalTable.dependencyOrder {
      for row in DemoFixture.demo[t] { out.append(try RecordValidator.validate(t, texts: row).get()) }
    }
    return out
  }

  /// Ranked composites the way they were first defined: rank = 1 + how many score higher,
  /// percentile = the share of the others that score lower.
  static func naiveRanks(_ composites: [Double?]) -> [(rank: Int?, percentile: Double?)] {
    let scored = composites.compactMap { $0 }
    return composites.map { c in
      guard let c else { return (nil, nil) }
      let above = scored.filter { $0 > c }.count
      let below = scored.filter { $0 < c }.count
      return (above + 1, scored.count > 1 ? 100 * Double(below) / Double(scored.count - 1) : 100)
    }
  }

  @Test func ranksMatchTheirDefinition() {
    var g = SystemRandomNumberGenerator()
    for n in [0, 1, 2, 7, 60] {
      // Few distinct values, so that ties are common; some partners without a composite.
      let composites: [Double?] = (0..<n).map { _ in
        Int.random(in: 0..<6, using: &g) == 0 ? nil : Double(Int.random(in: 0...8, using: &g)) * 12.5
      }
      let results = composites.enumerated().map { i, c in
        ScorecardResult(
          scope: Scope(.partner, "P\(i)"), partner: nil, period: Period("2025-Q1")!, scorecard: nil, version: nil,
          items: [], composite: c)
      }
      var ranked = results
      ProgramEvaluator.rank(&ranked)
      let expected = Self.naiveRanks(composites)
      for r in ranked {
        let i = Int(r.scope.value!.dropFirst())!
        #expect(r.rank == expected[i].rank, "\(composites)")
        #expect(r.percentile == expected[i].percentile, "\(composites)")
      }
    }
  }

  @Test func scorecardsAndTiersAfterABatchEqualThemComputedAgain() throws {
    let records = try Self.demoRecords()
    let engine = try Fixture.engine(records, catalog: .builtin)
    let activity = try #require(engine.activity)
    let last = Day(number: activity.upperBound)
    let period = Period(grain: .quarter, containing: last.month)
    let firstDay = Day(number: activity.lowerBound)
    let first = Period(grain: .quarter, containing: firstDay.month)
    let partners = engine.partners()
    // The commonest type, and ladder levels around its partners' typical revenue in a quarter.
    let type = Dictionary(grouping: partners, by: \.type).max { $0.value.count < $1.value.count }!.key
    let members = partners.filter { $0.type == type }.map(\.id).sorted()
    try #require(members.count >= 5)
    let revenues = try engine.compute(
      ComputeRequest(kpis: ["revenue"], by: .partner, grain: .quarter, from: first, to: period)
    ).values.compactMap { $0 }.filter { $0 > 0 }.sorted()
    let median = revenues[revenues.count / 2]
    let ladder = TierLadder(
      evaluate: .quarter, window: 1, demotionGrace: 1, starts: first.start,
      levels: [
        TierLevel(id: "registered"),
        TierLevel(id: "silver", requires: [.init(kpi: "revenue", bound: .min(median / 2))]),
        TierLevel(id: "gold", requires: [.init(kpi: "revenue", bound: .min(median * 2))]),
      ])
    let definitions = ProgramDefinitions(
      targets: [
        TargetDefinition(kpi: "revenue", scope: Scope(.tier, "gold"), rule: .value(median * 3)),
        TargetDefinition(kpi: "revenue", scope: .network, rule: .growth(0.1)),
        TargetDefinition(kpi: "win_rate", scope: Scope(.type, type), rule: .value(0.4)),
      ],
      scorecards: [
        ScorecardDefinition(
          id: "card", name: "Card", partnerType: type,
          items: [ScorecardItem(kpi: "revenue", weight: 2), ScorecardItem(kpi: "win_rate")])
      ], tiers: ladder)
    let history = ProgramHistory(versions: [
      ProgramVersion(number: 1, effective: first.start, appliedAt: "t", definitions: definitions)
    ])
    let today = last + 1
    func tiers(updating previous: TierHistory? = nil, changed: Set<String> = []) throws -> TierHistory {
      try TierEvaluator(engine: engine, history: history, variantOfVersion: [1: 0], today: today)
        .evaluate(updating: previous, changed: changed)
    }
    func evaluator(_ tiers: TierHistory) -> ProgramEvaluator {
      var e = ProgramEvaluator(engine: engine, history: history, variantOfVersion: [1: 0], today: today)
      e.tierOf = { id, p in tiers.tier(of: id, during: p) }
      return e
    }
    let tiersBefore = try tiers()
    let cardsBefore = try evaluator(tiersBefore).typeScorecards(type: type, period: period)

    // A big win in the last quarter for one partner, a deal moved from one partner to another,
    // and a big win in the first quarter (which the tier evaluations of every later quarter see).
    var moved = try #require(records.first { $0.table == .deals && $0.values[1] == .string(members[1]) })
    moved.values[1] = .string(members[2])
    let batch = [
      Row.deal(
        "NEW-1", members[0], created: period.start.description, stage: "won", closed: last.description,
        amount: "\(Int(median * 5))"),
      moved,
      Row.deal(
        "NEW-2", members[3], created: firstDay.description, stage: "won", closed: (firstDay + 20).description,
        amount: "\(Int(median * 5))"),
    ]
    let reach = engine.upsert(batch).reach
    guard case .partners(let reached) = reach else {
      Issue.record("a batch of deals within the data's dates reached every partner")
      return
    }
    #expect(reached == Set(members[0...3]))

    let tiersAfter = try tiers()
    let tiersUpdated = try tiers(updating: tiersBefore, changed: reached)
    #expect(tiersAfter.evaluations != tiersBefore.evaluations, "the batch must change some tier evaluation")
    #expect(tiersUpdated.evaluations == tiersAfter.evaluations)
    #expect(tiersUpdated.initial == tiersAfter.initial)
    for id in engine.partners().map(\.id) {
      #expect(tiersUpdated.evaluations(of: id) == tiersAfter.evaluations(of: id), "\(id)")
      #expect(tiersUpdated.tier(of: id, on: today) == tiersAfter.tier(of: id, on: today), "\(id)")
    }
    // Evaluations come ordered by partner whatever the order partners are given in.
    var reversed = TierEvaluator(engine: engine, history: history, variantOfVersion: [1: 0], today: today)
    reversed.knownPartners = engine.partners().reversed()
    #expect(try reversed.evaluate().evaluations == tiersAfter.evaluations)
    // A history of other partners (as many) is not updated but evaluated again whole.
    let all = engine.partners()
    var withoutLast = TierEvaluator(engine: engine, history: history, variantOfVersion: [1: 0], today: today)
    withoutLast.knownPartners = Array(all.dropLast())
    var withoutFirst = withoutLast
    withoutFirst.knownPartners = Array(all.dropFirst())
    let other = try withoutLast.evaluate()
    #expect(
      try withoutFirst.evaluate(updating: other, changed: []).evaluations == withoutFirst.evaluate().evaluations)

    let cardsAfter = try evaluator(tiersAfter).typeScorecards(type: type, period: period)
    let cardsUpdated = try evaluator(tiersUpdated).typeScorecards(
      type: type, period: period, updating: cardsBefore, changed: reached)
    func summary(_ cards: [ScorecardResult]) -> [String] {
      cards.map {
        "\($0.scope) \($0.rank.map(String.init) ?? "-") \($0.percentile ?? -1) \($0.composite ?? -1) \($0.items)"
      }
    }
    #expect(summary(cardsAfter) != summary(cardsBefore), "the batch must change the ranking")
    #expect(summary(cardsUpdated) == summary(cardsAfter))
  }
}

/// A set read in a measure's value (not its filter) is followed like one read in a filter: a
/// change to the set's rows changes the values of the partners whose rows read it.
@Suite struct SetReadInAValueTests {
  @Test func aChangedSetMemberChangesTheReadersValues() throws {
    var catalog = Catalog.builtin
    catalog.kpis.append(
      KPIDefinition(
        id: "enterprise_revenue", name: "Enterprise revenue", family: "test", unit: .money, better: .higher,
        stages: [],
        formula:
          "sum(if(customer_id in (customers.customer_id where segment = 'enterprise'), amount, 0) from deals where stage = 'won' and closed_on in period)"
      ))
    let base = [
      Row.partner("X", type: "reseller", region: "emea", joined: "2024-01-01"),
      Row.partner("Y", type: "reseller", region: "emea", joined: "2024-01-01"),
      Row.customer("C1", "Y", acquired: "2025-01-01"),
      Row.deal("D1", "X", customer: "C1", created: "2025-01-05", stage: "won", closed: "2025-02-01", amount: "100"),
    ]
    let engine = try Fixture.engine(base, catalog: catalog)
    #expect(try Fixture.value(engine, "enterprise_revenue", Scope(.partner, "X"), period: "2025-Q1") == 0)
    // C1 (Y's customer) becomes an enterprise: X's deal with it now counts.
    let enterprise = Fixture.record(
      .customers, ["customer_id": "C1", "partner_id": "Y", "acquired_on": "2025-01-01", "segment": "enterprise"])
    let reach = engine.upsert([enterprise]).reach
    #expect(reach.reaches("X") && reach.reaches("Y"))
    let fresh = try Fixture.engine(base + [enterprise], catalog: catalog)
    #expect(try Fixture.value(fresh, "enterprise_revenue", Scope(.partner, "X"), period: "2025-Q1") == 100)
    #expect(try Fixture.value(engine, "enterprise_revenue", Scope(.partner, "X"), period: "2025-Q1") == 100)
  }
}
