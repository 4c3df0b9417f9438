import ChannelKPI
import ChannelKPIStore
import Foundation
import Testing

extension ProgramFilesTests {
  // MARK: Sections

  @Test func benchmarksSection() throws {
    let yaml = """
      benchmarks:
        - kpi: win_rate
          peers: type:reseller
          grain: quarter
          value: 0.3
          source: Reseller study 2025
        - {kpi: nps, value: 40, source: NPS report}
      """
    let defs = try ProgramFiles.parse(["b.yaml": yaml])
    #expect(
      defs.benchmarks == [
        ExternalBenchmark(
          kpi: "win_rate", peers: Scope(.type, "reseller"), grain: .quarter, value: 0.3, source: "Reseller study 2025"),
        ExternalBenchmark(kpi: "nps", peers: .network, grain: nil, value: 40, source: "NPS report"),
      ])
    let bad = """
      benchmarks:
        - {kpi: win_rat, value: 0.3, source: S}
        - {kpi: nps, peers: partner:P1, value: 40, source: S}
        - {kpi: nps, grain: week, value: 40, source: S}
        - {kpi: nps, value: 40}
      """
    expectError(["b.yaml": bad], in: "b.yaml", at: "win_rat", "unknown KPI 'win_rat'; did you mean 'win_rate'?")
    expectError(
      ["b.yaml": bad], in: "b.yaml", at: "partner:P1",
      "'peers' is the group the figure is about: network, type:X, region:X or tier:X, not 'partner:P1'")
    expectError(["b.yaml": bad], in: "b.yaml", at: "week", "'grain' is month, quarter or year, not 'week'")
    expectError(
      ["b.yaml": bad], in: "b.yaml", at: "{kpi: nps, value: 40}",
      "a benchmark needs 'kpi:', 'value:' and 'source:' (where the figure comes from)")
  }

  @Test func alertsSection() throws {
    let yaml = """
      alerts:
        - id: partner_win_rate_drop
          name: A partner's win rate fell
          kpi: win_rate
          scope: each partner
          where: {type: [reseller, msp], manager: Kim}
          grain: quarter
          when: {drop: 0.2, versus: same_period_last_year}
          for: 2
          resolve_after: 3
          severity: critical
          notify: [ops, sales]
        - id: quiet
          kpi: deal_registrations
          when: {no_data: 2}
        - {id: off, kpi: revenue, scope: type:msp, when: {attainment_below: 0.8}, notify: ops}
        - {id: odd, kpi: revenue, scope: each region, when: {outside_forecast: true}, severity: info}
        - {id: small, kpi: revenue, when: {drop_amount: 5000}}
        - {id: base, kpi: revenue, when: {below_baseline: 0.1}}
      """
    let defs = try ProgramFiles.parse(["a.yaml": yaml])
    #expect(
      defs.alerts == [
        AlertRule(
          id: "partner_win_rate_drop", name: "A partner's win rate fell", kpi: "win_rate",
          selector: .each(.partner, AlertFilter(types: ["reseller", "msp"], managers: ["Kim"])), grain: .quarter,
          condition: .dropShare(.samePeriodLastYear, 0.2), forPeriods: 2, resolveAfter: 3, severity: .critical,
          notify: ["ops", "sales"]),
        AlertRule(
          id: "quiet", name: "quiet", kpi: "deal_registrations", selector: .one(.network), grain: .month,
          condition: .noData(periods: 2)),
        AlertRule(
          id: "off", name: "off", kpi: "revenue", selector: .one(Scope(.type, "msp")), grain: .month,
          condition: .attainmentBelow(0.8), notify: ["ops"]),
        AlertRule(
          id: "odd", name: "odd", kpi: "revenue", selector: .each(.region, AlertFilter()), grain: .month,
          condition: .outsideForecast, severity: .info),
        AlertRule(
          id: "small", name: "small", kpi: "revenue", selector: .one(.network), grain: .month,
          condition: .dropAmount(.previousPeriod, 5000)),
        AlertRule(
          id: "base", name: "base", kpi: "revenue", selector: .one(.network), grain: .month,
          condition: .belowBaseline(share: 0.1)),
      ])
    let bad = """
      alerts:
        - {id: a, kpi: win_rat, when: {drop: 0.2}}
        - {id: b, kpi: revenue, when: {drop: 0.2, no_data: 2}}
        - {id: c, kpi: revenue, when: {drop: 1.5}}
        - {id: d, kpi: revenue, when: {no_data: 2, versus: previous_period}}
        - {id: e, kpi: revenue, scope: network, where: {type: msp}, when: {no_data: 2}}
        - {id: f, kpi: revenue, scope: each planet, when: {no_data: 2}}
        - {id: g, kpi: revenue, when: {no_data: 2}, severity: loud}
        - {id: g, kpi: revenue, when: {no_data: 2}}
        - {id: h, kpi: revenue, when: {no_data: 2}, for: 0}
        - {id: i, kpi: revenue}
        - {id: j, kpi: revenue, when: {drop: 0.1, versus: last_week}}
      """
    expectError(["a.yaml": bad], in: "a.yaml", at: "win_rat", "unknown KPI 'win_rat'; did you mean 'win_rate'?")
    expectError(
      ["a.yaml": bad], in: "a.yaml", at: "{drop: 0.2, no_data: 2}",
      "'when' holds exactly one condition: attainment_below, below_baseline, drop, drop_amount, outside_forecast, no_data (found drop and no_data)"
    )
    expectError(
      ["a.yaml": bad], in: "a.yaml", at: "1.5", "'drop' is a share above 0 and at most 1 (0.2 = 20%), not 1.5")
    expectError(
      ["a.yaml": bad], in: "a.yaml", at: "previous_period", "'versus' belongs to 'drop' and 'drop_amount'")
    expectError(["a.yaml": bad], in: "a.yaml", at: "{type: msp}", "'where' narrows 'each partner' only")
    expectError(
      ["a.yaml": bad], in: "a.yaml", at: "each planet",
      "'each' is followed by partner, type, region or tier, not 'planet'")
    expectError(["a.yaml": bad], in: "a.yaml", at: "loud", "'severity' is info, warning or critical, not 'loud'")
    expectError(["a.yaml": bad], in: "a.yaml", at: "g, kpi: revenue, when: {no_data: 2}}", "alert 'g' is defined twice")
    expectError(["a.yaml": bad], in: "a.yaml", at: "0}", "'for' is a number of periods from 1 to 24")
    expectError(
      ["a.yaml": bad], in: "a.yaml", at: "{id: i, kpi: revenue}",
      "an alert rule needs 'id:', 'kpi:' and 'when:' (its condition)")
    expectError(
      ["a.yaml": bad], in: "a.yaml", at: "last_week",
      "'versus' is previous_period or same_period_last_year, not 'last_week'")
  }

  @Test func enablementSection() throws {
    let yaml = """
      enablement:
        - {kpi: win_rate, training: Solution selling, program: sales, link: "https://academy.example.com/ss"}
        - {kpi: nps, training: Customer care}
      """
    let defs = try ProgramFiles.parse(["e.yaml": yaml])
    #expect(
      defs.enablement == [
        EnablementItem(
          kpi: "win_rate", training: "Solution selling", program: "sales", link: "https://academy.example.com/ss"),
        EnablementItem(kpi: "nps", training: "Customer care"),
      ])
    let bad = """
      enablement:
        - {kpi: win_rat, training: T}
        - {kpi: nps}
        - {kpi: nps, training: T, link: "ftp://x.example"}
        - {kpi: nps, training: T, program: "two words"}
      """
    expectError(["e.yaml": bad], in: "e.yaml", at: "win_rat", "unknown KPI 'win_rat'; did you mean 'win_rate'?")
    expectError(
      ["e.yaml": bad], in: "e.yaml", at: "{kpi: nps}",
      "an enablement item needs 'kpi:' and 'training:' (what to recommend)")
    expectError(
      ["e.yaml": bad], in: "e.yaml", at: "\"ftp://x.example\"",
      "'link' must be an http or https address, not 'ftp://x.example'")
    expectError(
      ["e.yaml": bad], in: "e.yaml", at: "\"two words\"",
      "'program' is a certifications.csv program such as sales, not 'two words'")
  }

  @Test func alertScopesMustNameWhatTheDataHas() throws {
    let known = KnownPartners(
      partners: ["P1", "P2"], types: ["reseller"], regions: ["emea"], tiers: ["gold"], managers: ["Ann"])
    let yaml = """
      alerts:
        - {id: a, kpi: revenue, scope: partner:P9, when: {no_data: 2}}
        - {id: b, kpi: revenue, scope: tier:diamond, when: {no_data: 2}}
        - {id: c, kpi: revenue, scope: each partner, where: {manager: Bob}, when: {no_data: 2}}
        - {id: d, kpi: revenue, scope: each partner, where: {tier: platinum}, when: {no_data: 2}}
        - {id: e, kpi: revenue, scope: each partner, where: {tier: gold, manager: Ann}, when: {no_data: 2}}
      """
    var messages: [String] = []
    do { _ = try ProgramFiles.parse(["a.yaml": yaml], known: known) } catch { messages = error.errors.map(\.message) }
    #expect(
      messages == [
        "no partner 'P9'; did you mean 'P1'?",
        "no partner and no level of the ladder has tier 'diamond'; the tiers are gold",
        "no partner has the manager 'Bob'",
        "no partner and no level of the ladder has tier 'platinum'; the tiers are gold",
      ])
    // A ladder's levels are tiers too, wherever the ladder is written.
    let ladder = """
      tiers:
        evaluate: quarter
        levels:
          - {id: registered}
          - {id: platinum, requires: [{kpi: revenue, min: 1000}]}
      """
    let ok = try ProgramFiles.parse(
      ["a.yaml": "alerts:\n  - {id: d, kpi: revenue, scope: tier:platinum, when: {no_data: 2}}\n", "z.yaml": ladder],
      known: known)
    #expect(ok.alerts.count == 1)
    // Without data, nothing can be checked.
    #expect(try ProgramFiles.parse(["a.yaml": yaml]).alerts.count == 5)
  }

  @Test func lifecycleSection() throws {
    let defs = try ProgramFiles.parse([
      "l.yaml": "lifecycle: {grain: month, onboarding_days: 60, inactive_periods: 3, alerts_mean_at_risk: false}\n"
    ])
    var expected = LifecycleRules()
    expected.grain = .month
    expected.onboardingDays = 60
    expected.inactivePeriods = 3
    expected.alertsMeanAtRisk = false
    #expect(defs.lifecycle == expected)
    #expect(try ProgramFiles.parse(["l.yaml": "objectives: []\n"]).lifecycle == LifecycleRules())
    let bad =
      "lifecycle: {grain: week, onboarding_days: 0, falling_periods: 1.5, alerts_mean_at_risk: maybe, stages: 3}\n"
    expectError(["l.yaml": bad], in: "l.yaml", at: "week", "'grain' is month, quarter or year, not 'week'")
    expectError(["l.yaml": bad], in: "l.yaml", at: "0,", "'onboarding_days' must be a whole number from 1 to 3650")
    expectError(["l.yaml": bad], in: "l.yaml", at: "1.5", "'falling_periods' must be a whole number from 1 to 24")
    expectError(["l.yaml": bad], in: "l.yaml", at: "maybe", "'alerts_mean_at_risk' is true or false, not 'maybe'")
    expectError(
      ["l.yaml": bad], in: "l.yaml", at: "stages",
      "unknown key 'stages' in 'lifecycle'; the keys are grain, onboarding_days, inactive_periods, falling_periods, alerts_mean_at_risk"
    )
  }
}
