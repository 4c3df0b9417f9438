import ChannelKPI
import Testing

@Suite struct SmokeTests {
  @Test func builtinCatalogCompiles() throws {
    let c = try CatalogCompiler.compile(.builtin)
    #expect(c.kpis.count == 27)
  }

  @Test func revenueOfOnePartner() throws {
    let e = try Fixture.engine([
      Fixture.record(
        .partners, ["partner_id": "P1", "name": "A", "type": "reseller", "region": "emea", "joined_on": "2024-01-01"]),
      Fixture.record(
        .deals,
        [
          "deal_id": "D1", "partner_id": "P1", "source": "sourced", "created_on": "2025-01-02", "stage": "won",
          "closed_on": "2025-02-03", "amount": "100.50",
        ]),
      Fixture.record(
        .deals,
        [
          "deal_id": "D2", "partner_id": "P1", "source": "sourced", "created_on": "2025-01-02", "stage": "lost",
          "closed_on": "2025-02-03", "amount": "7",
        ]),
    ])
    #expect(try Fixture.value(e, "revenue", period: "2025-Q1") == 100.5)
    #expect(try Fixture.value(e, "win_rate", period: "2025-Q1") == 0.5)
    #expect(try Fixture.value(e, "sales_cycle_days", period: "2025-02") == 32)
    #expect(try Fixture.value(e, "revenue", period: "2025-Q2") == 0)
    #expect(try Fixture.value(e, "win_rate", period: "2025-Q2") == nil)
    #expect(try Fixture.value(e, "open_pipeline", period: "2025-01") == 107.5)
    #expect(try Fixture.value(e, "time_to_first_deal_days", period: "2025") == 399)
  }
}
