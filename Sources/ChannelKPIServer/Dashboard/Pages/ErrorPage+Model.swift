import ChannelKPI

/// A friendly page for a request that cannot be answered (unknown partner or KPI, bad period).
enum ErrorPage {
  struct Model: Hashable, Sendable {
    var chrome: PageChrome
    var status: Int
    var title: String
    var message: String
  }

  /// The page; `section` is the navigation item the address belongs to (none for unknown pages).
  static func build(
    service: KPIService, error: DashboardError, route: DashboardRoute, selection: PeriodSelection?,
    section: NavSection?
  ) async -> Model {
    var chrome = await PageChrome.build(service: service, route: route, selection: selection, title: error.title)
    chrome.section = section
    return Model(chrome: chrome, status: Int(error.status.code), title: error.title, message: error.message)
  }
}
