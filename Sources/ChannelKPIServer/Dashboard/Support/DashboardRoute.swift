import ChannelKPI

/// The pages of the dashboard and how their URLs are built: the only place that knows paths.
enum DashboardRoute: Hashable, Sendable {
  case overview
  case kpis
  case kpi(String)
  case partners(PartnerFilter)
  case partner(String)
  case data
  case upload
  case tiers
  case statements
  /// The statements of a period as CSV, from the API.
  case statementsExport(Period)
  case whatIf
  /// The explanation of a KPI's change for a scope (against the period before, or `versus`).
  case explain(kpi: String, scope: Scope, versus: Period?)
  /// The same explanation as CSV, from the API.
  case explainExport(kpi: String, scope: Scope, versus: Period?)
  case alerts
  case lifecycle
  case alert(Int64)
  /// The form that acknowledges an alert.
  case alertAcknowledge(Int64)
  case stylesheet

  /// The partner list with no filter, sorted the default way.
  static let partnerList = DashboardRoute.partners(PartnerFilter())

  /// The path, with ids percent-encoded.
  var path: String {
    switch self {
    case .overview: "/"
    case .kpis: "/kpis"
    case .kpi(let id): "/kpis/" + DashboardQuery.encode(id)
    case .partners: "/partners"
    case .partner(let id): "/partners/" + DashboardQuery.encode(id)
    case .data: "/data"
    case .upload: "/data/upload"
    case .tiers: "/tiers"
    case .statements: "/statements"
    case .statementsExport: "/api/v1/statements"
    case .whatIf: "/whatif"
    case .explain(let kpi, _, _): "/kpis/" + DashboardQuery.encode(kpi) + "/explain"
    case .explainExport(let kpi, _, _): "/api/v1/kpis/" + DashboardQuery.encode(kpi) + "/explain"
    case .alerts: "/alerts"
    case .lifecycle: "/lifecycle"
    case .alert(let id): "/alerts/\(id)"
    case .alertAcknowledge(let id): "/alerts/\(id)/acknowledge"
    case .stylesheet: "/assets/app.css"
    }
  }

  /// The query items of the page itself (filters, sorting, paging), without the period.
  var queryItems: [(String, String)] {
    switch self {
    case .partners(let f): f.queryItems
    case .statementsExport(let p): [("from", p.description), ("to", p.description), ("format", "csv")]
    case .explain(_, let scope, let versus):
      [("scope", scope.description)] + (versus.map { [("vs", $0.description)] } ?? [])
    case .explainExport(_, let scope, let versus):
      [("scope", scope.description), ("format", "csv")]
        + (versus.map { [("vs", $0.description)] } ?? [])
    default: []
    }
  }

  /// Whether the page reads the period (the stylesheet does not).
  var takesPeriod: Bool {
    switch self {
    case .stylesheet, .statementsExport, .alertAcknowledge: false
    default: true
    }
  }

  /// The URL of the page for a period (nil: the default period).
  func url(_ selection: PeriodSelection?) -> String {
    var items = queryItems
    if takesPeriod, let selection { items += selection.queryItems }
    guard !items.isEmpty else { return path }
    return path + "?"
      + items.map { DashboardQuery.encode($0.0) + "=" + DashboardQuery.encode($0.1) }.joined(separator: "&")
  }

  /// The navigation section the page belongs to.
  var section: NavSection? {
    switch self {
    case .overview: .overview
    case .kpis, .kpi, .explain, .explainExport: .kpis
    case .partners, .partner: .partners
    case .data, .upload: .data
    case .tiers: .tiers
    case .statements, .statementsExport, .whatIf: .incentives
    case .alerts, .alert, .alertAcknowledge: .alerts
    case .lifecycle: .lifecycle
    case .stylesheet: nil
    }
  }
}

/// The sections of the header navigation.
enum NavSection: String, CaseIterable, Sendable {
  case overview, partners, kpis, alerts, lifecycle, tiers, incentives, data

  var label: String {
    switch self {
    case .overview: "Overview"
    case .partners: "Partners"
    case .kpis: "KPIs"
    case .alerts: "Alerts"
    case .lifecycle: "Lifecycle"
    case .tiers: "Tiers"
    case .incentives: "Incentives"
    case .data: "Data"
    }
  }

  /// Pages of the whole network, hidden from managers who see only their partners.
  var isNetworkWide: Bool { [.overview, .kpis, .tiers, .data].contains(self) }

  var route: DashboardRoute {
    switch self {
    case .overview: .overview
    case .partners: .partnerList
    case .kpis: .kpis
    case .alerts: .alerts
    case .lifecycle: .lifecycle
    case .tiers: .tiers
    case .incentives: .statements
    case .data: .data
    }
  }
}

/// The filters, sorting and page of the partner list.
struct PartnerFilter: Hashable, Sendable {
  var search: String?
  var type: String?
  var region: String?
  var tier: String?
  var sort: String = PartnerFilter.defaultSort
  var descending = true
  var page = 1

  static let defaultSort = "revenue"

  init(
    search: String? = nil, type: String? = nil, region: String? = nil, tier: String? = nil,
    sort: String = PartnerFilter.defaultSort, descending: Bool = true, page: Int = 1
  ) {
    self.search = search
    self.type = type
    self.region = region
    self.tier = tier
    self.sort = sort
    self.descending = descending
    self.page = page
  }

  var queryItems: [(String, String)] {
    var items: [(String, String)] = []
    if let search { items.append(("q", search)) }
    if let type { items.append(("type", type)) }
    if let region { items.append(("region", region)) }
    if let tier { items.append(("tier", tier)) }
    if sort != Self.defaultSort || !descending {
      items.append(("sort", sort))
      items.append(("order", descending ? "desc" : "asc"))
    }
    if page != 1 { items.append(("page", String(page))) }
    return items
  }

  /// Whether any filter narrows the list.
  var isFiltered: Bool { search != nil || type != nil || region != nil || tier != nil }

  func with(page: Int) -> PartnerFilter {
    var f = self
    f.page = page
    return f
  }
}
