import Testing

@testable import ChannelKPI

/// What `upsert` says a batch changed, month by month: worked out by hand on a small program
/// (`PropertyTests` holds it to every value on random ones).
@Suite struct FactChangeTests {
  /// P1 and P2, resellers; deals of P1 won in March and May 2025; a campaign of P1 in March, one
  /// of P2 in December (the data reaches the end of 2025).
  static func engine() throws -> KPIEngine {
    let e = try Fixture.engine([
      Row.partner("P1", type: "reseller", region: "emea", joined: "2024-01-01"),
      Row.partner("P2", type: "reseller", region: "emea", joined: "2024-01-01"),
      Row.deal("D1", "P1", created: "2025-02-01", stage: "won", closed: "2025-03-10", amount: "1000"),
      Row.deal("D2", "P1", created: "2025-04-01", stage: "won", closed: "2025-05-10", amount: "2000"),
      Row.deal("D3", "P2", created: "2025-01-15", stage: "open", amount: "500"),
      Row.campaign("C1", "P1", started: "2025-03-01", cost: "100"),
      Row.campaign("C2", "P2", started: "2025-12-31", cost: "50"),
    ])
    e.prepareForReads()
    return e
  }

  static func month(_ text: String) throws -> Month { try #require(Period(text)).lastMonth }

  /// Whether `kpi` may have moved in some period ending by each month, in order.
  static func moved(_ e: KPIEngine, _ kpi: String, _ change: FactChange, through months: [String]) throws -> [Bool] {
    try months.map { e.mayHaveChanged(kpi, through: try month($0), by: change, asOf: false) }
  }

  @Test func aDealOfThisMonthMovesNoEarlierMonth() throws {
    let e = try Self.engine()
    let change = e.upsert([
      Row.deal("D4", "P1", created: "2025-07-01", stage: "won", closed: "2025-07-03", amount: "700")
    ])
    #expect(change.reach == .partners(["P1"]))
    // Dated by its close (revenue, win rate): July and after.
    for kpi in ["revenue", "win_rate"] {
      #expect(try Self.moved(e, kpi, change, through: ["2025-06", "2025-07"]) == [false, true], "\(kpi)")
    }
    // Opened and closed within July, it was open at the end of no month: the pipeline is as it was.
    #expect(try Self.moved(e, "open_pipeline", change, through: ["2025-07", "2026-12"]) == [false, false])
    // No registration: the measure it would feed is untouched in every month.
    #expect(try Self.moved(e, "deal_registrations", change, through: ["2025-07", "2026-12"]) == [false, false])
  }

  @Test func aDealOpenSinceJanuaryAndWonNowMovesItsPipelineFromJanuary() throws {
    let e = try Self.engine()
    let change = e.upsert([
      Row.deal("D3", "P2", created: "2025-01-15", stage: "won", closed: "2025-07-02", amount: "500")
    ])
    #expect(change.reach == .partners(["P2"]))
    // Revenue is dated by the close: July. The deal was open at the end of January to June, as
    // before: the open pipeline changes from July on.
    #expect(try Self.moved(e, "revenue", change, through: ["2025-06", "2025-07"]) == [false, true])
    #expect(try Self.moved(e, "open_pipeline", change, through: ["2025-06", "2025-07"]) == [false, true])
    #expect(try Fixture.value(e, "open_pipeline", Scope(.partner, "P2"), period: "2025-06") == 500)
    #expect(try Fixture.value(e, "open_pipeline", Scope(.partner, "P2"), period: "2025-07") == 0)
    // Its amount changed instead: the pipeline of every month it was open.
    let amount = e.upsert([Row.deal("D3", "P2", created: "2025-01-15", stage: "open", amount: "600")])
    #expect(try Self.moved(e, "open_pipeline", amount, through: ["2024-12", "2025-01"]) == [false, true])
  }

  @Test func aLeadThatNamesAnOldDealMovesTheMonthThatDealWasWon() throws {
    let e = try Self.engine()
    // D2 (won in May) becomes a campaign's deal through a lead of July: its revenue counts for the
    // campaign's return from May on, while revenue itself does not move.
    let change = e.upsert([Row.lead("L1", "P1", campaign: "C1", created: "2025-07-01", deal: "D2")])
    #expect(try Self.moved(e, "marketing_roi", change, through: ["2025-04", "2025-05"]) == [false, true])
    #expect(try Self.moved(e, "revenue", change, through: ["2025-06", "2026-12"]) == [false, false])
    // Over 2025: (2,000 of campaign revenue − 100 of cost) / 100; before the lead, (0 − 100) / 100.
    #expect(try Fixture.value(e, "marketing_roi", Scope(.partner, "P1"), period: "2025") == 19)
  }

  @Test func factsPastTheDatasLastDayMoveEveryKPIFromTheMonthAfter() throws {
    let e = try Self.engine()
    // The data now reaches February 2026: a forecast reads up to the last period the data
    // reaches, so any KPI may differ from January 2026 on; nothing before.
    let change = e.upsert([
      Row.deal("D5", "P1", created: "2026-02-01", stage: "won", closed: "2026-02-03", amount: "100")
    ])
    #expect(change.reach == .everything)
    #expect(try Self.moved(e, "deal_registrations", change, through: ["2025-12", "2026-01"]) == [false, true])
    // Facts before the data's first day: every month.
    let earlier = e.upsert([Row.campaign("C0", "P2", started: "2023-05-01", cost: "10")])
    #expect(try Self.moved(e, "deal_registrations", earlier, through: ["2020-01"]) == [true])
  }

  @Test func aPartnerJoiningASetMovesEveryMonthOfAMeasureOfPartnersThatReadsIt() throws {
    // Partners that ever won a deal, counted in each period: not dated, so P2's first win in July
    // counts it in every month.
    var catalog = Catalog.builtin
    catalog.kpis.append(
      KPIDefinition(
        id: "winners", name: "Partners that ever won", family: "test", unit: .count, better: .higher, stages: [],
        formula: "count(partners where partner_id in (deals.partner_id where stage = 'won'))"))
    let e = try Fixture.engine(
      [
        Row.partner("P1", type: "reseller", region: "emea", joined: "2024-01-01"),
        Row.partner("P2", type: "reseller", region: "emea", joined: "2024-01-01"),
        Row.deal("D1", "P1", created: "2025-02-01", stage: "won", closed: "2025-03-10", amount: "1000"),
        Row.campaign("C2", "P2", started: "2025-12-31", cost: "50"),
      ], catalog: catalog)
    #expect(try Fixture.value(e, "winners", period: "2025-01") == 1)
    let change = e.upsert([
      Row.deal("D4", "P2", created: "2025-07-01", stage: "won", closed: "2025-07-03", amount: "700")
    ])
    #expect(try Fixture.value(e, "winners", period: "2025-01") == 2)
    #expect(try Self.moved(e, "winners", change, through: ["2024-01"]) == [true])
    // Partners' rows that read a set are applied again whenever a batch may change it: any deal
    // moves every month of every KPI then (a second win of P1 too, though it changes no value).
    #expect(change.reach == .everything)
  }

  @Test func newPartnersAndMarketFiguresMoveEverything() throws {
    let e = try Self.engine()
    let change = e.upsert([Row.partner("P3", type: "msp", region: "emea", joined: "2025-07-01")])
    #expect(change.reach == .everything)
    #expect(try Self.moved(e, "revenue", change, through: ["2020-01"]) == [true])
  }
}
