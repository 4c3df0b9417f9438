import ChannelKPI

/// What every page shows around its content: the navigation, the period picker and the
/// definitions version in force.
struct PageChrome: Hashable, Sendable {
  var title: String
  var route: DashboardRoute
  var selection: PeriodSelection?
  var coverage: MonthRange?
  /// `v2`, when definitions are in force for the period.
  var definitionsVersion: Int?
  var definitionsEffective: Day?
  /// The navigation item shown as current (the route's section unless set).
  var section: NavSection?

  /// The periods the picker offers, at the selected grain, newest first.
  var periodOptions: [Period] { PeriodSelection.options(grain: selection?.grain ?? .quarter, coverage: coverage) }

  /// The selected period goes past the last month of data.
  var isPartial: Bool {
    guard let s = selection, let c = coverage else { return false }
    return s.period.lastMonth > c.last
  }

  /// The neighbouring periods that still hold data.
  var previous: PeriodSelection? { neighbour(selection?.previous) }
  var next: PeriodSelection? { neighbour(selection?.next) }

  private func neighbour(_ s: PeriodSelection?) -> PeriodSelection? {
    guard let s, let c = coverage, s.period.lastMonth >= c.first, s.period.firstMonth <= c.last else { return nil }
    return s
  }

  var definitionsLabel: String {
    guard let v = definitionsVersion else {
      return selection.map { "No program definitions in force for \(PeriodLabel.long($0.period))" }
        ?? "No program definitions in force"
    }
    let effective = definitionsEffective.map { ", effective \(PeriodLabel.day($0))" } ?? ""
    return "Definitions v\(v)\(effective)"
  }

  static func build(service: KPIService, route: DashboardRoute, selection: PeriodSelection?, title: String) async
    -> PageChrome
  {
    let coverage = service.coverage
    var chrome = PageChrome(
      title: title, route: route, selection: selection, coverage: coverage, section: route.section)
    if let s = selection {
      let (version, _) = service.definitions(for: s.period)
      chrome.definitionsVersion = version?.number
      chrome.definitionsEffective = version?.effective
    }
    return chrome
  }
}
