import ChannelKPI
import PropertyBased
import Testing

/// Window KPIs (any range of whole months) against the naive catalog over the same range.
@Suite(.shrinking(false)) struct WindowPropertyTests {
  static let seeds = Gen<UInt64>.value(in: 1...(1 << 40)).withoutShrink()

  /// Every KPI × every partner and the network × random windows (from one month to three years,
  /// some before the data starts or after it ends) equals the naive catalog for that range.
  static func checkWindows(seed: UInt64) throws {
    let program = RandomProgram(seed: seed)
    let naive = NaiveCatalog(program.records)
    let engine = try Fixture.engine(program.records)
    var g = ProgramGenerator(seed: seed ^ 0x5749_4E44)
    let data = program.monthRange
    var windows: [MonthRange] = []
    for _ in 0..<6 {
      let first = data.first + Int32(g.int(-6...Int(data.last.index - data.first.index) + 3))
      windows.append(MonthRange(first: first, last: first + Int32(g.int(0...35))))
    }
    var problems: [String] = []
    for kind in [ScopeKind.partner, .network] {
      let r = try engine.compute(kpis: NaiveCatalog.kpiIDs, by: kind, windows: windows)
      #expect(r.windows == windows)
      for (k, kpi) in r.kpis.enumerated() {
        for (s, scope) in r.scopes.enumerated() {
          for (w, window) in windows.enumerated() {
            let a = r.value(kpi: k, scope: s, window: w)
            let b = naive.value(kpi, scope, window: window)
            if !close(a, b) { problems.append("\(kpi) \(scope) \(window): engine \(a as Any), naive \(b as Any)") }
          }
        }
      }
    }
    if !problems.isEmpty {
      Issue.record(
        Comment(
          rawValue: "seed \(seed): \(problems.count) window value(s) disagree\n  "
            + problems.prefix(10).joined(separator: "\n  ")))
    }
  }

  @Test func windowsMatchNaive() async throws {
    await propertyCheck(count: 30, input: Self.seeds) { seed in try Self.checkWindows(seed: seed) }
  }

  @Test(arguments: [1, 2, 3] as [UInt64]) func fixedSeeds(seed: UInt64) throws { try Self.checkWindows(seed: seed) }

  /// A window is the months between its ends; a period is the window of its months.
  @Test func windowText() {
    #expect(
      MonthRange(window: "2024-04:2025-03")
        == MonthRange(first: Month(year: 2024, month: 4), last: Month(year: 2025, month: 3)))
    #expect(MonthRange(window: "2024-Q2:2025-Q1")?.description == "2024-04:2025-03")
    #expect(MonthRange(window: "2025")?.description == "2025-01:2025-12")
    #expect(MonthRange(window: "2024:2025-Q1")?.count == 15)
    #expect(MonthRange(window: "2025-04:2024-03") == nil)
    #expect(MonthRange(window: "2025-04:") == nil)
    #expect(MonthRange(window: "2025-04:2025-05:2025-06") == nil)
  }

  /// A window of the months of one period gives the period's values.
  @Test func windowOfAPeriodIsThePeriod() throws {
    let program = RandomProgram(seed: 7)
    let engine = try Fixture.engine(program.records)
    let q = Period("2024-Q3")!
    let byPeriod = try engine.compute(ComputeRequest(kpis: [], by: .partner, grain: .quarter, from: q, to: q))
    let byWindow = try engine.compute(kpis: [], by: .partner, windows: [q.months])
    #expect(byPeriod.values.count == byWindow.values.count)
    for i in byPeriod.values.indices { #expect(byPeriod.values[i] == byWindow.values[i]) }
  }
}
