import ChannelKPI
import ChannelKPIStore
import Foundation
import Testing

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
}
