import ChannelKPI

/// The overview: every KPI of the network for the period, grouped by family.
enum OverviewPage {
  /// How many periods the sparklines show.
  static let trendLength = 8

  /// One KPI's tile.
  struct Tile: Hashable, Sendable {
    var id: String
    var name: String
    var description: String
    var unit: KPIUnit
    var better: Direction
    var value: Double?
    /// The last periods, oldest first, ending with the selected one.
    var trend: [Double?]
    var trendLabels: [String]
    var previous: Double?
    var yearAgo: Double?
    var changeVsPrevious: ValueChange?
    /// Nil at the year grain, where the previous period is the year before.
    var changeVsYearAgo: ValueChange?
    /// The network target and where the KPI stands, when a target applies.
    var target: Double?
    var attainment: Double?
    var status: TargetStatus?
    /// The value projected to the end of a period under way, which the attainment is read from.
    var pace: Double?
  }

  /// The tiles of one family.
  struct Family: Hashable, Sendable {
    var id: String
    var title: String
    var tiles: [Tile]
  }

  struct Model: Hashable, Sendable {
    var chrome: PageChrome
    var families: [Family]
    var previousLabel: String
    var yearAgoLabel: String?
    /// How many targets are on track, at risk and off track.
    var statusCounts: [TargetStatus: Int]

    var tiles: [Tile] { families.flatMap(\.tiles) }
    func tile(_ id: String) -> Tile? { tiles.first { $0.id == id } }
  }

  static func build(service: KPIService, chrome: PageChrome) async throws -> Model {
    guard let s = chrome.selection else {
      return Model(chrome: chrome, families: [], previousLabel: "", yearAgoLabel: nil, statusCounts: [:])
    }
    let tiles = try await tiles(service: service, selection: s)
    let catalog = service.catalog
    let families = Segments.families(catalog.kpis).map { f in
      Family(id: f, title: Segments.familyTitle(f), tiles: tiles.filter { t in catalog.kpi(t.id)?.family == f })
    }
    var counts: [TargetStatus: Int] = [:]
    for t in tiles { if let st = t.status { counts[st, default: 0] += 1 } }
    return Model(
      chrome: chrome, families: families, previousLabel: PeriodLabel.long(s.previous.period),
      yearAgoLabel: s.grain == .year ? nil : PeriodLabel.long(s.yearAgo.period), statusCounts: counts)
  }

  /// The network tiles of every KPI of the catalog for a period.
  static func tiles(service: KPIService, selection s: PeriodSelection) async throws -> [Tile] {
    let kpis = service.catalog.kpis
    let ids = kpis.map(\.id)
    let first = min(s.period.shifted(by: -(trendLength - 1)), s.yearAgo.period)
    let result = try service.compute(
      ComputeRequest(kpis: ids, by: .network, grain: s.grain, from: first, to: s.period))
    let index = Dictionary(uniqueKeysWithValues: result.periods.enumerated().map { ($1, $0) })
    let trendPeriods = (0..<trendLength).map { s.period.shifted(by: $0 - (trendLength - 1)) }
    let standings = (try? service.standings(kpis: ids, scopes: [.network], period: s.period))?[.network] ?? []
    let standingById = Dictionary(standings.map { ($0.kpi, $0) }, uniquingKeysWith: { a, _ in a })
    return kpis.enumerated().map { k, def in
      func value(_ p: Period) -> Double? { index[p].flatMap { result.value(kpi: k, scope: 0, period: $0) } }
      let current = value(s.period)
      let previous = value(s.previous.period)
      let yearAgo = value(s.yearAgo.period)
      let standing = standingById[def.id]
      let hasTarget = standing?.target != nil
      return Tile(
        id: def.id, name: def.name, description: def.description, unit: def.unit, better: def.better,
        value: current, trend: trendPeriods.map(value), trendLabels: trendPeriods.map(PeriodLabel.long),
        previous: previous, yearAgo: yearAgo,
        changeVsPrevious: ValueChange.between(current, previous, unit: def.unit, better: def.better),
        changeVsYearAgo: s.grain == .year
          ? nil : ValueChange.between(current, yearAgo, unit: def.unit, better: def.better),
        target: hasTarget ? standing?.target : nil, attainment: hasTarget ? standing?.attainment : nil,
        status: hasTarget ? standing?.status : nil, pace: hasTarget ? standing?.pace : nil)
    }
  }
}
