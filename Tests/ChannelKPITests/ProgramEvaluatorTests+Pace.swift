import ChannelKPI
import Testing

extension ProgramEvaluatorTests {
  // MARK: Pace

  @Test func thePaceOfAFlowInAPeriodUnderWayDrivesItsStatus() throws {
    let defs = ProgramDefinitions(targets: [
      target("revenue", "partner:P1", .value(3500)), target("win_rate", "network", .value(0.5)),
    ])
    // 2025-03-15: 74 of Q1's 90 days elapsed; P1's revenue so far 3000 → pace 3000 × 90 / 74 = 3648.65.
    // 3648.65 / 3500 = 1.0425 → on track (3000 / 3500 = 0.857 would be off track).
    let ev = try F.evaluator(defs, today: "2025-03-15")
    let rev = try F.standing(ev, "revenue", p1, "2025-Q1")
    #expect(rev.actual == 3000)
    #expect(close(rev.pace, 270_000.0 / 74))
    #expect(close(rev.attainment, 270_000.0 / 74 / 3500))
    #expect(rev.status == .onTrack)
    // A rate is not paced: 0.75 / 0.5 from the actual value.
    let win = try F.standing(ev, "win_rate", p1, "2025-Q1")
    #expect(win.pace == nil)
    #expect(close(win.attainment, 1.5))
    // Nor is a mean (the sales cycle).
    #expect(try F.standing(ev, "sales_cycle_days", p1, "2025-Q1").pace == nil)
    // Once the quarter is over there is no pace: 3000 / 3500 → off track.
    let done = try F.standing(try F.evaluator(defs, today: "2025-04-01"), "revenue", p1, "2025-Q1")
    #expect(done.pace == nil)
    #expect(close(done.attainment, 3000.0 / 3500))
    #expect(done.status == .offTrack)
    // A period not yet started has no pace either.
    #expect(try F.standing(ev, "revenue", p1, "2025-Q2").pace == nil)
    // The definitions can turn pacing off for a KPI.
    var noPace = defs
    noPace.pace["revenue"] = false
    let off = try F.standing(try F.evaluator(noPace, today: "2025-03-15"), "revenue", p1, "2025-Q1")
    #expect(off.pace == nil)
    #expect(off.status == .offTrack)
  }

  @Test func flowsAreSumsAndCountsOfDatedFacts() throws {
    let ev = try F.evaluator(ProgramDefinitions())
    for kpi in ["revenue", "sourced_revenue", "deal_registrations", "new_customers", "leads_generated"] {
      #expect(ev.engine.compiled.isFlow(kpi), "\(kpi)")
    }
    for kpi in ["win_rate", "avg_deal_size", "sales_cycle_days", "nps", "marketing_roi", "open_pipeline"] {
      #expect(!ev.engine.compiled.isFlow(kpi), "\(kpi)")
    }
  }
}
