import ChannelKPI
import ChannelKPIStore
import Foundation
import Testing

/// The 1-based line and column of the `occurrence`-th appearance of `needle` in `text`.
private func position(of needle: String, in text: String, occurrence: Int = 1) -> (line: Int, column: Int)? {
  var seen = 0
  for (i, line) in text.components(separatedBy: "\n").enumerated() {
    var search = line.startIndex..<line.endIndex
    while let r = line.range(of: needle, range: search) {
      seen += 1
      if seen == occurrence { return (i + 1, line.distance(from: line.startIndex, to: r.lowerBound) + 1) }
      search = r.upperBound..<line.endIndex
    }
  }
  return nil
}

/// The errors of parsing definitions files (name → YAML) read from the directory `defs`.
private func definitionErrors(_ files: [String: String], sourceLocation: SourceLocation = #_sourceLocation)
  -> [DefinitionFileError]
{
  do {
    _ = try ProgramFiles.parse(files, directory: "defs")
    Issue.record("the definitions parsed", sourceLocation: sourceLocation)
    return []
  } catch {
    return error.errors
  }
}

/// Expects an error starting with `message` at the place of `needle` in `file` (plus `columnOffset`).
private func expectError(
  _ files: [String: String], in file: String, at needle: String, occurrence: Int = 1, columnOffset: Int = 0,
  _ message: String, sourceLocation: SourceLocation = #_sourceLocation
) {
  let errors = definitionErrors(files, sourceLocation: sourceLocation)
  guard let text = files[file], let p = position(of: needle, in: text, occurrence: occurrence) else {
    Issue.record("'\(needle)' is not in \(file)", sourceLocation: sourceLocation)
    return
  }
  let expected = "defs/\(file):\(p.line):\(p.column + columnOffset): \(message)"
  #expect(
    errors.contains { $0.description.hasPrefix(expected) }, "expected \(expected); got \(errors.map(\.description))",
    sourceLocation: sourceLocation)
}

/// A valid set of definitions with every section.
private let validFiles: [String: String] = [
  "kpis.yaml": """
  kpis:
    - id: big_revenue
      name: Big-deal revenue
      unit: money
      formula: sum(deals.amount where stage = 'won' and closed_on in period and amount > 1000)
  partner_facts:
    - name: first_big_win_on
      formula: min(deals.closed_on where stage = 'won' and amount > 1000)
  """,
  "objectives.yaml": """
  objectives:
    - id: grow
      name: Grow revenue
      description: More won business.
      owner: VP Sales
      from: 2025-Q1
      to: 2025-Q4
      kpis: [revenue, big_revenue]
    - id: convert
      name: Convert leads
      kpis: win_rate
  """,
  "targets.yaml": """
  kpi_settings:
    revenue:
      baseline: previous 3
    nps:
      baseline: same period last year
    win_rate:
      baseline: 0.25
      on_track: 0.95
      at_risk: 0.8
    big_revenue:
      pace: false
  targets:
    - kpi: revenue
      growth: 0.05
    - kpi: win_rate
      scope: type:reseller
      grain: quarter
      from: 2025-Q1
      to: 2025-Q4
      value: 0.4
    - kpi: sales_cycle_days
      scope: partner:P1
      grain: month
      delta: -3
    - kpi: big_revenue
      scope: tier:gold
      value: 1_000_000
  """,
  "scorecards.yaml": """
  scorecards:
    - id: resellers
      name: Reseller scorecard
      partner_type: reseller
      kpis:
        - revenue
        - {kpi: win_rate, weight: 2}
        - kpi: big_revenue
          weight: 0.5
    - id: program
      network: true
      kpis: [revenue, nps]
  hygiene:
    max_scorecard_kpis: 5
    recent_periods: 2
    min_data_coverage: 0.6
    off_track_periods: 4
    static_target_periods: 6
    static_actual_change: 0.25
    unattainable_margin: 0.15
  """,
]

/// The valid files with one file replaced.
private func with(_ name: String, _ yaml: String) -> [String: String] {
  var f = validFiles
  f[name] = yaml
  return f
}

@Suite struct ProgramFilesTests {
  // MARK: A valid directory

  @Test func aValidDirectoryParsesEverySection() throws {
    let defs = try ProgramFiles.parse(validFiles, directory: "defs")
    // kpis and partner_facts
    #expect(defs.catalog.kpis.map(\.id) == ["big_revenue"])
    #expect(defs.catalog.partnerFacts.map(\.name) == ["first_big_win_on"])
    // objectives: a list of KPIs, or a single one
    #expect(defs.objectives.map(\.id) == ["grow", "convert"])
    let grow = defs.objectives[0]
    #expect(grow.name == "Grow revenue" && grow.description == "More won business." && grow.owner == "VP Sales")
    #expect(grow.from == Period("2025-Q1") && grow.to == Period("2025-Q4"))
    #expect(grow.kpis == ["revenue", "big_revenue"])
    #expect(defs.objectives[1].kpis == ["win_rate"])
    #expect(defs.objectives[1].from == nil && defs.objectives[1].to == nil)
    // kpi_settings
    #expect(defs.baselines["revenue"] == .previousPeriods(3))
    #expect(defs.baselines["nps"] == .samePeriodLastYear)
    #expect(defs.baselines["win_rate"] == .fixed(0.25))
    #expect(defs.baseline(for: "avg_deal_size") == .previousPeriods(4))
    #expect(defs.thresholds["win_rate"] == StatusThresholds(onTrack: 0.95, atRisk: 0.8))
    #expect(defs.thresholds(for: "revenue") == .default)
    #expect(defs.pace == ["big_revenue": false])
    // targets: network by default, every rule, grain and range
    #expect(
      defs.targets == [
        TargetDefinition(kpi: "revenue", scope: .network, rule: .growth(0.05)),
        TargetDefinition(
          kpi: "win_rate", scope: Scope(.type, "reseller"), grain: .quarter, from: Period("2025-Q1"),
          to: Period("2025-Q4"), rule: .value(0.4)),
        TargetDefinition(kpi: "sales_cycle_days", scope: Scope(.partner, "P1"), grain: .month, rule: .delta(-3)),
        TargetDefinition(kpi: "big_revenue", scope: Scope(.tier, "gold"), rule: .value(1_000_000)),
      ])
    // scorecards: short and long KPI forms, a type's and the network's
    #expect(defs.scorecards.count == 2)
    let resellers = try #require(defs.scorecard(forType: "reseller"))
    #expect(resellers.id == "resellers" && resellers.name == "Reseller scorecard")
    #expect(
      resellers.items == [
        ScorecardItem(kpi: "revenue", weight: 1), ScorecardItem(kpi: "win_rate", weight: 2),
        ScorecardItem(kpi: "big_revenue", weight: 0.5),
      ])
    let network = try #require(defs.networkScorecard)
    #expect(network.id == "program" && network.name == "program" && network.partnerType == nil)
    #expect(network.items == [ScorecardItem(kpi: "revenue"), ScorecardItem(kpi: "nps")])
    // hygiene
    var h = HygieneThresholds()
    h.maxScorecardKPIs = 5
    h.recentPeriods = 2
    h.minDataCoverage = 0.6
    h.offTrackPeriods = 4
    h.staticTargetPeriods = 6
    h.staticActualChange = 0.25
    h.unattainableMargin = 0.15
    #expect(defs.hygiene == h)
  }

  @Test func anEmptySetOfSectionsGivesTheDefaults() throws {
    let defs = try ProgramFiles.parse(["a.yaml": "objectives: []\n"])
    #expect(defs == ProgramDefinitions())
    #expect(defs.hygiene.maxScorecardKPIs == 7)
  }

  @Test func definitionsAreReadFromADirectory() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("channelkpi-defs-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    for (name, text) in validFiles {
      try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    try "not definitions".write(to: dir.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
    let files = try ProgramFiles.read(directory: dir.path)
    #expect(files.keys.sorted() == ["kpis.yaml", "objectives.yaml", "scorecards.yaml", "targets.yaml"])
    #expect(try ProgramFiles.parse(files, directory: dir.path) == ProgramFiles.parse(validFiles))
    // A directory without YAML, or no directory at all, is an error.
    let empty = dir.appendingPathComponent("empty")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    #expect(throws: DefinitionFileErrors.self) { try ProgramFiles.read(directory: empty.path) }
    #expect(throws: DefinitionFileErrors.self) {
      try ProgramFiles.read(directory: dir.appendingPathComponent("nope").path)
    }
  }

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

  // MARK: Stored versions

  @Test func versionsWithTheSameKPIsShareACatalogVariant() async throws {
    let h = try StoreHarness()
    func kpis(_ formula: String) -> String {
      "kpis:\n  - id: big_revenue\n    name: Big revenue\n    unit: money\n    formula: \(formula)\n"
    }
    let over1000 = kpis("sum(deals.amount where stage = 'won' and closed_on in period and amount > 1000)")
    let over5000 = kpis("sum(deals.amount where stage = 'won' and closed_on in period and amount > 5000)")
    let day = try #require(Day(iso: "2025-01-01"))
    // v1 and v2 differ only in their targets; v3 redefines big_revenue; v4 goes back to v1's KPIs.
    let v1 = with("kpis.yaml", over1000)
    var v2 = v1
    v2["targets.yaml"] = "targets:\n  - kpi: revenue\n    value: 5\n"
    _ = try await h.store.addProgramVersion(files: v1, effective: day, appliedAt: "", note: "")
    _ = try await h.store.addProgramVersion(files: v2, effective: day + 30, appliedAt: "", note: "")
    _ = try await h.store.addProgramVersion(
      files: with("kpis.yaml", over5000), effective: day + 60, appliedAt: "", note: "")
    let threeVersions = try await h.store.programVersions()
    let (history, compiled, variantOf) = try ProgramLoader.load(threeVersions)
    #expect(history.versions.map(\.number) == [1, 2, 3])
    // Variant 0 holds the latest version's KPIs; v1 and v2 share the other one.
    #expect(compiled.variantCatalogs.count == 2)
    #expect(variantOf[3] == 0)
    #expect(variantOf[1] == 1 && variantOf[2] == 1)
    #expect(compiled.variantCatalogs[0].kpi("big_revenue")?.formula.contains("5000") == true)
    #expect(compiled.variantCatalogs[1].kpi("big_revenue")?.formula.contains("1000") == true)
    // The engine computes each variant's formula: a won deal of 3000 counts for v1's KPI only.
    func record(_ table: CanonicalTable, _ fields: [String: String]) throws -> FactRecord {
      try RecordValidator.validate(table, texts: table.schema.columns.map { fields[$0.name] }).get()
    }
    let partner = try record(
      .partners, ["partner_id": "P1", "name": "A", "type": "reseller", "region": "emea", "joined_on": "2024-01-01"])
    let deal = try record(
      .deals,
      [
        "deal_id": "D1", "partner_id": "P1", "source": "sourced", "created_on": "2025-01-05", "stage": "won",
        "closed_on": "2025-02-01", "amount": "3000",
      ])
    let engine = KPIEngine(catalog: compiled)
    engine.load([partner, deal])
    engine.finishLoading()
    func value(_ variant: Int) throws -> Double? {
      let q = Period("2025-Q1")
      return try engine.compute(
        ComputeRequest(kpis: ["big_revenue"], grain: .quarter, from: q, to: q, variant: variant)
      ).value(kpi: 0, scope: 0, period: 0)
    }
    #expect(try value(1) == 3000)
    #expect(try value(0) == 0)
    // A fourth version with v1's KPIs: it is the latest, and v1 and v2 share its variant 0.
    _ = try await h.store.addProgramVersion(files: v1, effective: day + 90, appliedAt: "", note: "")
    let (_, compiled4, variantOf4) = try ProgramLoader.load(try await h.store.programVersions())
    #expect(compiled4.variantCatalogs.count == 2)
    #expect(variantOf4 == [1: 0, 2: 0, 3: 1, 4: 0])
  }

  @Test func withoutVersionsTheLoaderGivesTheBuiltInCatalog() throws {
    let (history, compiled, variantOf) = try ProgramLoader.load([])
    #expect(history.versions.isEmpty)
    #expect(compiled.variantCatalogs == [Catalog.builtin])
    #expect(variantOf.isEmpty)
  }
}
