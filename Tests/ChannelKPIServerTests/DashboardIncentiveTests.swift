import ChannelKPI
import Foundation
import Testing

@testable import ChannelKPIServer

/// The tiers, statements, what-if and partner tier pages on the fixture with a ladder and a rebate
/// (`DashboardFixture.incentiveDefinitions` works the values out by hand).
@Suite struct DashboardIncentiveTests {
  @Test func tiersPageCountsMovesAndRisks() async throws {
    let f = try await DashboardFixture.make(incentives: true)
    let chrome = try await DashboardModelTests.chrome(f, .tiers, period: "2025-Q2", title: "Tiers")
    let m = try await TiersPage.build(service: f.service, chrome: chrome)
    #expect(m.hasLadder)
    #expect(m.periods.map(\.description) == ["2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2"])
    #expect(m.levels.map(\.id) == ["gold", "silver", "bronze"])
    // gold, silver, bronze after each evaluation: at risk keeps the level (P1 and P3 in 2024-Q3);
    // P4 is not evaluated in 2025-Q2 (it left).
    #expect(m.counts == [[2, 0, 0, 1], [1, 2, 2, 1], [2, 3, 3, 2]])
    #expect(m.evaluated?.description == "2025-Q2")
    #expect(m.moved.map { "\($0.partner) \($0.held)→\($0.level)" } == ["P1 silver→gold"])
    #expect(m.atRisk.isEmpty)
    let q4 = try await TiersPage.build(
      service: f.service, chrome: try await DashboardModelTests.chrome(f, .tiers, period: "2024-Q4", title: "Tiers"))
    #expect(q4.moved.map { "\($0.partner) \($0.held)→\($0.level)" } == ["P1 gold→bronze", "P3 gold→silver"])
    #expect(q4.atRisk.map(\.partner) == ["P2"])
    #expect(q4.atRisk.first?.why == "revenue ≥ 1,000.00 (is 900.00)")
    Snapshot.check(TiersPage.View(model: m).render(), named: "tiers")
  }

  @Test func statementsPageTotalsByPlan() async throws {
    let f = try await DashboardFixture.make(incentives: true)
    let chrome = try await DashboardModelTests.chrome(f, .statements, period: "2025-Q2", title: "Statements")
    let m = try await StatementsPage.build(service: f.service, chrome: chrome)
    #expect(m.rows.map(\.partner) == ["P1", "P2", "P3"])
    #expect(m.rows.map(\.total) == ["$200.00", "$60.00", "$90.00"])
    #expect(m.plans.map(\.amount) == ["$350.00"])
    #expect(m.rows.allSatisfy { $0.status == "To approve" })
    Snapshot.check(StatementsPage.View(model: m).render(), named: "statements")
  }

  @Test func partnerPageShowsTierAndGap() async throws {
    let f = try await DashboardFixture.make(incentives: true)
    let info = try #require(f.service.partner("P3"))
    let chrome = try await DashboardModelTests.chrome(f, .partner("P3"), title: info.name)
    let m = try await PartnerPage.build(service: f.service, chrome: chrome, partner: info, logger: .init(label: "t"))
    let tier = try #require(m.tier)
    #expect(tier.level == "silver")
    #expect(tier.next == "gold")
    // Over 2025-Q1…Q2: revenue 1,700 of 2,000; win rate 2 of 3 won (66.7%) of 70%.
    #expect(tier.requirements.map(\.value) == ["1,700.00", "66.7%"])
    #expect(tier.requirements.map(\.shortfall) == ["short by 300.00", "short by 3.3%"])
    #expect(abs(tier.requirements[0].progress - 0.85) < 1e-12)
    #expect(tier.history.map(\.change) == [.held, .held, .demoted, .atRisk])
    Snapshot.check(PartnerPage.View(model: m).render(), named: "partner-P3-tier")
  }

  /// P1's attribute says gold, but in 2025-Q2 it holds silver (the 2025-Q1 evaluation): the
  /// target set for silver is its target, not the network's.
  @Test func tierTargetsFollowTheLevelHeld() async throws {
    let f = try await DashboardFixture.make(incentives: true)
    let card = try f.service.partnerScorecard(id: "P1", period: Period("2025-Q2")!)
    let winRate = try #require(card.items.first { $0.kpi == "win_rate" })
    #expect(winRate.targetSource?.scope == Scope(.tier, "silver"))
    #expect(winRate.target == 0.6)
    // In 2024-Q3 it still held gold (its attribute when the ladder was applied): no silver target.
    let before = try f.service.partnerScorecard(id: "P1", period: Period("2024-Q3")!)
    #expect(before.items.first { $0.kpi == "win_rate" }?.targetSource?.scope == .network)
  }

  @Test func whatIfOfAStricterLadder() async throws {
    let f = try await DashboardFixture.make(incentives: true)
    let stricter = DashboardFixture.incentiveDefinitions["tiers.yaml"]!.replacingOccurrences(
      of: "{kpi: revenue, min: 1000}", with: "{kpi: revenue, min: 1500}")
    let r = try await f.service.whatIf(
      files: ["tiers.yaml": stricter], from: Period("2025-Q1")!.firstMonth, to: Period("2025-Q2")!.lastMonth)
    // 2025-Q1: P1's 1,200 and P3's 1,900 … P1 stays bronze under the draft; P3 keeps silver.
    #expect(
      r.moves.map { "\($0.period) \($0.partner) \($0.current ?? "-")→\($0.draft ?? "-")" } == [
        "2025-Q1 P1 silver→bronze"
      ])
    #expect(r.moves.first?.why == "under the draft, silver needs revenue ≥ 1,500.00 (is 1,200.00)")
    // Rebates: 2025-Q1 (tiers of the 2024-Q4 evaluation, the same on both sides) P1 100 + 40,
    // P3 80; 2025-Q2 200 + 60 + 90. Only gold earns a bonus, and nobody holds gold then.
    #expect(
      r.payouts.map { "\($0.period) \($0.plan) \($0.current) \($0.draft)" } == [
        "2025-Q1 rebate 22000 22000", "2025-Q2 rebate 35000 35000",
      ])
    let chrome = try await DashboardModelTests.chrome(f, .whatIf, title: "What-if")
    var form = WhatIfPage.form(chrome: chrome, coverage: f.service.coverage)
    form.from = "2025-Q1"
    form.to = "2025-Q2"
    form.fileName = "tiers.yaml"
    Snapshot.check(
      WhatIfPage.View(model: WhatIfPage.result(r, form: form, sections: ["tiers"])).render(), named: "whatif")
  }
}
