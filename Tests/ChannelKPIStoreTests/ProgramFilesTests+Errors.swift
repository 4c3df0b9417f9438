import ChannelKPI
import ChannelKPIStore
import Foundation
import Testing

extension ProgramFilesTests {
  // MARK: Errors at their place

  @Test func unknownSection() {
    let yaml = """
      objectives: []
      target:
        - kpi: revenue
          value: 1
      """
    expectError(
      ["a.yaml": yaml], in: "a.yaml", at: "target",
      "unknown section 'target'; sections are kpis, partner_facts, objectives, kpi_settings, targets, scorecards, hygiene"
    )
  }

  @Test func unknownKeys() {
    let targets = """
      targets:
        - kpi: revenue
          valu: 3
      """
    expectError(
      ["t.yaml": targets], in: "t.yaml", at: "valu",
      "unknown key 'valu' in a target; the keys are kpi, scope, grain, from, to, value, growth, delta")
    let objectives = """
      objectives:
        - id: grow
          name: Grow
          owners: Ann
          kpis: [revenue]
      """
    expectError(["o.yaml": objectives], in: "o.yaml", at: "owners", "unknown key 'owners' in an objective")
    let scorecards = """
      scorecards:
        - id: r
          type: reseller
          kpis: [revenue]
      """
    expectError(["s.yaml": scorecards], in: "s.yaml", at: "type", "unknown key 'type' in a scorecard")
    let settings = """
      kpi_settings:
        revenue:
          baseline_method: previous 2
      """
    expectError(
      ["k.yaml": settings], in: "k.yaml", at: "baseline_method",
      "unknown key 'baseline_method' in the settings of revenue")
    let hygiene = """
      hygiene:
        max_kpis: 5
      """
    expectError(["h.yaml": hygiene], in: "h.yaml", at: "max_kpis", "unknown key 'max_kpis' in 'hygiene'")
    let item = """
      scorecards:
        - id: r
          partner_type: reseller
          kpis:
            - {kpi: revenue, wieght: 2}
      """
    expectError(["s.yaml": item], in: "s.yaml", at: "wieght", "unknown key 'wieght' in a scorecard KPI")
  }

  @Test func anObjectivesKPIsThatAreAMappingAreRefused() {
    expectError(
      with("objectives.yaml", "objectives:\n  - id: o\n    name: O\n    kpis: {revenue: 1}\n"),
      in: "objectives.yaml", at: "{revenue: 1}", "'kpis' must be a list of KPI ids such as [revenue, win_rate]")
  }

  @Test func unknownKPIIdsSuggestTheClosest() {
    let hint = "unknown KPI 'win_rat'; did you mean 'win_rate'?"
    expectError(
      with("objectives.yaml", "objectives:\n  - id: o\n    name: O\n    kpis: [revenue, win_rat]\n"),
      in: "objectives.yaml", at: "win_rat", hint)
    expectError(
      with("targets.yaml", "targets:\n  - kpi: win_rat\n    value: 0.5\n"), in: "targets.yaml", at: "win_rat", hint)
    expectError(
      with("targets.yaml", "kpi_settings:\n  win_rat:\n    baseline: previous 2\n"), in: "targets.yaml",
      at: "win_rat", hint)
    // Scorecards, in the short and the long form.
    expectError(
      with(
        "scorecards.yaml",
        "scorecards:\n  - id: r\n    partner_type: reseller\n    kpis:\n      - revenue\n      - win_rat\n"),
      in: "scorecards.yaml", at: "win_rat", hint)
    expectError(
      with(
        "scorecards.yaml",
        "scorecards:\n  - id: r\n    partner_type: reseller\n    kpis:\n      - {kpi: win_rat, weight: 2}\n"),
      in: "scorecards.yaml", at: "win_rat", hint)
    // A KPI defined in another file of the directory is known; a misspelling of it gets a hint.
    expectError(
      with("targets.yaml", "targets:\n  - kpi: big_revenu\n    value: 1\n"), in: "targets.yaml", at: "big_revenu",
      "unknown KPI 'big_revenu'; did you mean 'big_revenue'?")
  }

  @Test func badScopeGrainAndPeriods() {
    func target(_ lines: String) -> [String: String] { with("targets.yaml", "targets:\n  - kpi: revenue\n" + lines) }
    expectError(
      target("    scope: team:emea\n    growth: 0.1\n"), in: "targets.yaml", at: "team:emea",
      "'team:emea' is not a scope: write network, type:X, region:X, tier:X or partner:ID")
    expectError(
      target("    scope: 'partner:'\n    growth: 0.1\n"), in: "targets.yaml", at: "'partner:'",
      "'partner:' is not a scope: write network, type:X, region:X, tier:X or partner:ID")
    expectError(
      target("    grain: week\n    growth: 0.1\n"), in: "targets.yaml", at: "week",
      "'grain' is month, quarter or year, not 'week'")
    expectError(
      target("    from: 2025-Q5\n    growth: 0.1\n"), in: "targets.yaml", at: "2025-Q5",
      "'from' must be a period such as 2025-03, 2025-Q1 or 2025, not '2025-Q5'")
    expectError(
      target("    to: 2025-13\n    growth: 0.1\n"), in: "targets.yaml", at: "2025-13",
      "'to' must be a period such as 2025-03, 2025-Q1 or 2025, not '2025-13'")
    expectError(
      target("    from: 2025-Q3\n    to: 2025-Q1\n    growth: 0.1\n"), in: "targets.yaml", at: "2025-Q1",
      "'to' (2025-Q1) is before 'from' (2025-Q3)")
    // The same in an objective.
    expectError(
      with(
        "objectives.yaml",
        "objectives:\n  - id: o\n    name: O\n    from: 2025-06\n    to: 2025-05\n    kpis: [revenue]\n"),
      in: "objectives.yaml", at: "2025-05", "'to' (2025-05) is before 'from' (2025-06)")
  }

  @Test func aTargetHasExactlyOneOfValueGrowthOrDelta() {
    let none = "targets:\n  - kpi: revenue\n    scope: network\n"
    expectError(
      with("targets.yaml", none), in: "targets.yaml", at: "kpi: revenue",
      "a target needs one of 'value:', 'growth:' (baseline × (1 + growth)) or 'delta:' (baseline + delta)")
    let two = "targets:\n  - kpi: win_rate\n    value: 0.5\n    growth: 0.1\n"
    expectError(
      with("targets.yaml", two), in: "targets.yaml", at: "kpi: win_rate",
      "a target has one of value, growth or delta, not value and growth")
    let three = "targets:\n  - kpi: win_rate\n    delta: 0.1\n    value: 0.5\n    growth: 0.1\n"
    expectError(
      with("targets.yaml", three), in: "targets.yaml", at: "kpi: win_rate",
      "a target has one of value, growth or delta, not value and growth and delta")
    expectError(
      with("targets.yaml", "targets:\n  - kpi: win_rate\n    value: high\n"), in: "targets.yaml", at: "high",
      "'value' must be a number, not 'high'")
  }

  @Test func aWeightMustBeAboveZero() {
    let zero =
      "scorecards:\n  - id: r\n    partner_type: reseller\n    kpis:\n      - kpi: revenue\n        weight: 0\n"
    expectError(
      with("scorecards.yaml", zero), in: "scorecards.yaml", at: "weight: 0", columnOffset: 8, "a weight must be above 0"
    )
    let negative = "scorecards:\n  - id: r\n    partner_type: reseller\n    kpis:\n      - {kpi: revenue, weight: -1}\n"
    expectError(with("scorecards.yaml", negative), in: "scorecards.yaml", at: "-1", "a weight must be above 0")
  }

  @Test func scorecardIdsAndTypesAreUnique() {
    let ids = """
      scorecards:
        - id: resellers
          partner_type: reseller
          kpis: [revenue]
        - id: resellers
          partner_type: msp
          kpis: [revenue]
      """
    expectError(
      with("scorecards.yaml", ids), in: "scorecards.yaml", at: "resellers", occurrence: 2,
      "the scorecard id 'resellers' is already used at defs/scorecards.yaml:2")
    let types = """
      scorecards:
        - id: a
          partner_type: reseller
          kpis: [revenue]
        - id: b
          partner_type: reseller
          kpis: [win_rate]
      """
    expectError(
      with("scorecards.yaml", types), in: "scorecards.yaml", at: "reseller", occurrence: 2,
      "partner type 'reseller' already has a scorecard")
    let networks = """
      scorecards:
        - id: a
          network: true
          kpis: [revenue]
        - id: b
          network: true
          kpis: [win_rate]
      """
    expectError(
      with("scorecards.yaml", networks), in: "scorecards.yaml", at: "true", occurrence: 2,
      "there is already a network scorecard")
  }

  @Test func aScorecardIsForATypeOrForTheNetwork() {
    let message = "a scorecard is either for a partner type ('partner_type: reseller') or 'network: true'"
    let neither = "scorecards:\n  - id: r\n    name: R\n    kpis: [revenue]\n"
    expectError(with("scorecards.yaml", neither), in: "scorecards.yaml", at: "id: r", message)
    let notNetwork = "scorecards:\n  - id: r\n    network: false\n    kpis: [revenue]\n"
    expectError(with("scorecards.yaml", notNetwork), in: "scorecards.yaml", at: "id: r", message)
    let both = "scorecards:\n  - id: r\n    partner_type: reseller\n    network: true\n    kpis: [revenue]\n"
    expectError(with("scorecards.yaml", both), in: "scorecards.yaml", at: "id: r", message)
  }

  @Test func atRiskMustNotBeAboveOnTrack() {
    let yaml = "kpi_settings:\n  win_rate:\n    on_track: 0.9\n    at_risk: 0.95\n"
    expectError(
      with("targets.yaml", yaml), in: "targets.yaml", at: "0.95", "'at_risk' (0.95) must not be above 'on_track' (0.9)")
    // Only at_risk given: checked against the default on_track of 1.
    expectError(
      with("targets.yaml", "kpi_settings:\n  win_rate:\n    at_risk: 1.2\n"), in: "targets.yaml", at: "1.2",
      "'at_risk' (1.2) must not be above 'on_track' (1.0)")
  }

  @Test func badBaselines() {
    for bad in ["previous", "previous 0", "previous two", "last year"] {
      expectError(
        with("targets.yaml", "kpi_settings:\n  revenue:\n    baseline: \(bad)\n"), in: "targets.yaml", at: bad,
        "'baseline' is 'previous N' (N periods), 'same period last year', or a number; not '\(bad)'")
    }
  }

  @Test func aFormulaErrorInAKPIsSectionIsAtItsPlace() {
    let yaml = """
      kpis:
        - id: big_revenue
          name: Big revenue
          unit: money
          formula: sum(deals.amount where stage = 'won' and closed_on in period and amout > 1000)
      """
    expectError(
      with("kpis.yaml", yaml), in: "kpis.yaml", at: "amout", "KPI 'big_revenue' (formula): deals has no field 'amout'")
  }

  @Test func everyErrorIsReportedInFileAndLineOrder() {
    var files = validFiles
    files["b.yaml"] = "targets:\n  - kpi: revenu\n    value: 1\n"
    files["a.yaml"] = "objectives:\n  - id: o\n    name: O\n    kpis: [nps]\n  - id: o\n    name: P\n    kpis: [nsp]\n"
    let errors = definitionErrors(files)
    #expect(
      errors.map(\.description) == [
        "defs/a.yaml:5:9: the objective id 'o' is already used at defs/a.yaml:2",
        "defs/a.yaml:7:12: unknown KPI 'nsp'; did you mean 'nps'?",
        "defs/b.yaml:2:10: unknown KPI 'revenu'; did you mean 'revenue'?",
      ])
  }
}
