import ChannelKPI

/// Every KPI of the catalog, by family, with its network value for the period.
enum KPIIndexPage {
  struct Model: Hashable, Sendable {
    var chrome: PageChrome
    /// The families and their KPIs (values only when there is a period).
    var families: [OverviewPage.Family]
    var previousLabel: String
    var count: Int
  }

  static func build(service: KPIService, chrome: PageChrome) async throws -> Model {
    let catalog = service.catalog
    var tiles: [OverviewPage.Tile]
    var previousLabel = ""
    if let s = chrome.selection {
      tiles = try await OverviewPage.tiles(service: service, selection: s)
      previousLabel = PeriodLabel.long(s.previous.period)
    } else {
      tiles = catalog.kpis.map {
        OverviewPage.Tile(
          id: $0.id, name: $0.name, description: $0.description, unit: $0.unit, better: $0.better, trend: [],
          trendLabels: [])
      }
    }
    let families = Segments.families(catalog.kpis).map { f in
      OverviewPage.Family(
        id: f, title: Segments.familyTitle(f), tiles: tiles.filter { catalog.kpi($0.id)?.family == f })
    }
    return Model(chrome: chrome, families: families, previousLabel: previousLabel, count: catalog.kpis.count)
  }
}
