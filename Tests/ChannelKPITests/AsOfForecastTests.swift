import ChannelKPI
import Testing

/// Leads that convert weeks after they are created: a forecast as of a month must not count the
/// conversions that came after it.
private enum LateConversions {
  static let first = Month(year: 2024, month: 1)
  /// Leads converted of the 10 created in each month from 2024-01.
  static let converted = [4, 6, 5, 7, 3, 6, 8, 5, 6, 7, 4, 9, 5, 6, 7, 5, 8, 6, 7, 9, 6, 8, 7, 9]

  /// Ten leads on the 5th of every month; lead j converts (when it does) 10·j days later, so
  /// leads 3 and up convert in a later month.
  static func records(asOf cutoff: Day? = nil) -> [FactRecord] {
    var r = [
      Row.partner("P", type: "reseller", region: "emea", joined: "2023-06-01"),
      Row.partner("Q", type: "reseller", region: "emea", joined: "2023-06-01"),
    ]
    for (i, c) in converted.enumerated() {
      let created = (first + Int32(i)).firstDay + 4
      for j in 0..<10 {
        var on: Day? = j < c ? created + Int32(10 * j) : nil
        // The second method: the rows as they were, written out by hand.
        if let cutoff, let d = on, d > cutoff { on = nil }
        r.append(
          Row.lead(
            "L\(i)-\(j)", j % 2 == 0 ? "P" : "Q", created: created.description, converted: on?.description,
            deal: on == nil ? nil : "D\(i)-\(j)"))
      }
    }
    return r
  }
}

@Suite struct AsOfForecastTests {
  @Test func conversionsAfterTheCutOffAreNotYetKnown() throws {
    let all = try Fixture.engine(LateConversions.records())
    let today = try #require(Day(iso: "2026-03-01"))
    let june = try #require(Period("2025-06"))
    let f = try KPIForecaster(engine: all).forecast(
      kpi: "lead_conversion_rate", scope: .network, grain: .month, asOf: june, today: today, backtest: 4)
    // By 2025-06-30, June's leads 0–2 (converted on the 5th, 15th, 25th) had converted, May's
    // leads 0–5 (the 6th converts on 2025-07-04); earlier months are complete.
    let byPeriod = Dictionary(uniqueKeysWithValues: f.history.map { ($0.period, $0.value) })
    #expect(byPeriod["2025-06"] == 0.3)  // min(6, 3) of 10
    #expect(byPeriod["2025-05"] == 0.6)  // min(8, 6) of 10
    #expect(byPeriod["2025-04"] == 0.5)  // all 5
    // Read today, the same months are complete.
    let now = try KPIForecaster(engine: all).forecast(
      kpi: "lead_conversion_rate", scope: .network, grain: .month, today: today)
    let nowByPeriod = Dictionary(uniqueKeysWithValues: now.history.map { ($0.period, $0.value) })
    #expect(nowByPeriod["2025-06"] == 0.6 && nowByPeriod["2025-05"] == 0.8)

    // The same forecast from the rows as they stood on 2025-06-30, censored by hand: the same
    // history, forecast and backtest (whose origins each see their own month's knowledge).
    let then = try Fixture.engine(LateConversions.records(asOf: june.end))
    let g = try KPIForecaster(engine: then).forecast(
      kpi: "lead_conversion_rate", scope: .network, grain: .month, asOf: june, today: today, backtest: 4)
    #expect(f.history == g.history)
    #expect(f.points == g.points)
    #expect(f.backtest == g.backtest)
    // The backtest's last origin forecast June from what was known at the end of May, where May
    // stood at min(8, 3) of 10.
    let mayEnd = try #require(Period("2025-05"))
    let may = try KPIForecaster(engine: all).forecast(
      kpi: "lead_conversion_rate", scope: .network, grain: .month, horizon: 1, asOf: mayEnd, today: today)
    #expect(may.history.last?.value == 0.3)
    let last = try #require(f.backtest?.points.last)
    #expect(last.period == "2025-06" && last.actual == 0.3 && last.forecast == may.points[0].forecast)

    // Partners by scope, and the forecasts of every partner at once, read the same facts.
    let p = try KPIForecaster(engine: all).forecast(
      kpi: "lead_conversion_rate", scope: Scope(.partner, "P"), grain: .month, asOf: june, today: today)
    let q = try KPIForecaster(engine: then).forecast(
      kpi: "lead_conversion_rate", scope: Scope(.partner, "P"), grain: .month, asOf: june, today: today)
    #expect(p.history == q.history && p.points == q.points)
  }

  @Test func everyPartnerAtOnceReadsTheFactsAsOfTheCutOff() async throws {
    let all = try Fixture.engine(LateConversions.records())
    let today = try #require(Day(iso: "2026-03-01"))
    let june = try #require(Period("2025-06"))
    let then = try Fixture.engine(LateConversions.records(asOf: june.end))
    let a = try await KPIForecaster(engine: all).forecastAll(
      kpi: "lead_conversion_rate", by: .partner, grain: .month, asOf: june, today: today)
    let b = try await KPIForecaster(engine: then).forecastAll(
      kpi: "lead_conversion_rate", by: .partner, grain: .month, asOf: june, today: today)
    #expect(a.map(\.scope) == ["partner:P", "partner:Q"])
    #expect(a.map(\.history) == b.map(\.history) && a.map(\.points) == b.map(\.points))
  }

  @Test func onlyKPIsThatReadLaterEventsAreReadAsOf() throws {
    let e = try Fixture.engine(LateConversions.records())
    // Counted by a date and reading an event that can come later.
    #expect(e.tablesChangedAsOf("lead_conversion_rate") == [.partners, .leads])
    // Partners' measures that read other tables (a first won deal, a completed certification).
    #expect(e.tablesChangedAsOf("certified_partner_rate") == [.partners, .certifications])
    #expect(e.tablesChangedAsOf("time_to_first_deal_days") == [.partners, .deals])
    // Counted by the very event they read (a deal won on its closing day), or reading no later
    // event: all facts and the facts as of any later day give the same past values.
    for kpi in ["revenue", "win_rate", "avg_deal_size", "sales_cycle_days", "deal_registrations", "leads_generated"] {
      #expect(e.tablesChangedAsOf(kpi) == nil, "\(kpi)")
    }
  }

  @Test func aCertificationCompletedLaterIsNotYetCompleted() throws {
    let e = try Fixture.engine([
      Row.partner("P", type: "reseller", region: "emea", joined: "2024-01-01"),
      Row.partner("Q", type: "reseller", region: "emea", joined: "2024-01-01"),
      Row.partner("R", type: "reseller", region: "emea", joined: "2025-08-01"),
      Row.certification("C1", "P", person: "a", program: "sales", enrolled: "2025-01-10", completed: "2025-08-20"),
      Row.certification("C2", "Q", person: "b", program: "sales", enrolled: "2025-02-01", completed: "2025-03-15"),
      Row.certification("C3", "R", person: "c", program: "sales", enrolled: "2025-08-02", completed: "2025-08-03"),
    ])
    let tables = try #require(e.tablesChangedAsOf("certified_partner_rate"))
    let cutoff = try #require(Day(iso: "2025-06-30"))
    let then = try #require(e.asOf(cutoff, tables: tables))
    // By June's end only Q had completed; the months before are the same either way.
    #expect(try Fixture.value(then, "certified_partner_rate", period: "2025-06") == 0.5)
    #expect(try Fixture.value(e, "certified_partner_rate", period: "2025-06") == 0.5)
    // Read past the cut-off, the engine as of June still knows only Q, and not R (joined later).
    #expect(try Fixture.value(then, "certified_partner_rate", period: "2025-09") == 0.5)
    #expect(try Fixture.value(e, "certified_partner_rate", period: "2025-09") == 1)
    #expect(then.activity?.upperBound == cutoff.number)
  }

  @Test func aPartnerThatJoinedLaterHasNoHistoryAsOfBefore() throws {
    var records = LateConversions.records()
    records.append(Row.partner("R", type: "msp", region: "na", joined: "2025-09-01"))
    records.append(Row.lead("LR", "R", created: "2025-09-03", converted: "2025-10-01"))
    let e = try Fixture.engine(records)
    let june = try #require(Period("2025-06"))
    let today = try #require(Day(iso: "2026-03-01"))
    #expect(throws: ForecastError.self) {
      try KPIForecaster(engine: e).forecast(
        kpi: "lead_conversion_rate", scope: Scope(.partner, "R"), grain: .month, asOf: june, today: today)
    }
  }
}
