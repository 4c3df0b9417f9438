import ChannelKPI
import ChannelKPIStore
import Foundation
import Testing

/// The errors of parsing definitions files (name → YAML) read from the directory `defs`.
func definitionErrors(_ files: [String: String], sourceLocation: SourceLocation = #_sourceLocation)
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
func expectError(
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
let validFiles: [String: String] = [
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
func with(_ name: String, _ yaml: String) -> [String: String] {
  var f = validFiles
  f[name] = yaml
  return f
}
