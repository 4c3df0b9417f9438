import ChannelKPI
import Testing

@Suite struct EnablementTests {
  static func standing(_ kpi: String, _ name: String, _ status: TargetStatus) -> KPIStanding {
    KPIStanding(
      kpi: kpi, name: name, unit: .rate, better: .higher, weight: 1, actual: 0.2, baseline: nil,
      baselineMethod: .default, target: 0.5, targetSource: nil, pace: nil, attainment: 0.4, status: status,
      version: 1)
  }

  @Test func offTrackKPIsGetTheirTrainingsOnceInTheDefinitionsOrder() {
    let items = [
      EnablementItem(kpi: "nps", training: "Customer care"),
      EnablementItem(kpi: "win_rate", training: "Solution selling", program: "sales", link: "https://a.example/ss"),
      EnablementItem(kpi: "avg_deal_size", training: "Solution selling", program: "sales"),
      EnablementItem(kpi: "revenue", training: "Pipeline building"),
      EnablementItem(kpi: "leads_generated", training: "Campaigns 101"),
    ]
    let standings = [
      Self.standing("win_rate", "Win rate", .offTrack), Self.standing("avg_deal_size", "Deal size", .offTrack),
      Self.standing("revenue", "Revenue", .atRisk), Self.standing("nps", "NPS", .onTrack),
      Self.standing("leads_generated", "Leads", .offTrack),
    ]
    let r = Enablement.recommendations(items, standings: standings)
    // At risk and on track get nothing; one training for two off-track KPIs is listed once.
    #expect(r.map(\.training) == ["Solution selling", "Campaigns 101"])
    #expect(r[0].kpis == ["Win rate", "Deal size"] && r[0].link == "https://a.example/ss" && r[0].program == "sales")
    #expect(r[1].kpis == ["Leads"])
    #expect(Enablement.recommendations(items, standings: []).isEmpty)
  }
}
