import ChannelKPI

/// The partners, filtered, sorted and paged, with a few key KPIs for the period.
enum PartnerListPage {
  static let pageSize = 25
  /// The KPIs the list shows, when the catalog has them.
  static let keyKPIs = ["revenue", "open_pipeline", "win_rate", "deal_registrations", "nps"]
  static let textSorts = ["name", "type", "region", "tier"]

  /// Short headers of the key KPIs, so the table fits a laptop screen.
  static let shortNames = [
    "revenue": "Revenue", "open_pipeline": "Pipeline", "win_rate": "Win rate", "deal_registrations": "Registrations",
    "nps": "NPS",
  ]

  /// A KPI column.
  struct Column: Hashable, Sendable {
    var id: String
    var name: String
    var unit: KPIUnit
    var short: String
  }

  /// One partner and its values, in column order.
  struct Row: Hashable, Sendable {
    var partner: PartnerInfo
    var values: [Double?]
  }

  struct Model: Hashable, Sendable {
    var chrome: PageChrome
    var filter: PartnerFilter
    var columns: [Column]
    var rows: [Row]
    /// Partners matching the filters, and all partners.
    var matching: Int
    var total: Int
    var page: Int
    var pageCount: Int
    var types: [String]
    var regions: [String]
    var tiers: [String]
  }

  /// The filters of a request; 400 for a sort, order or page that cannot be.
  static func filter(_ q: DashboardQuery) throws(DashboardError) -> PartnerFilter {
    var f = PartnerFilter(
      search: q.string("q"), type: q.string("type"), region: q.string("region"), tier: q.string("tier"))
    if let sort = q.string("sort") {
      guard textSorts.contains(sort) || keyKPIs.contains(sort) else {
        throw .badRequest(
          "That list cannot be sorted that way",
          "“\(sort)” is not a column of the partner list: sort by \((textSorts + keyKPIs).joined(separator: ", ")).")
      }
      f.sort = sort
      f.descending = !textSorts.contains(sort)
    }
    if let order = q.string("order") {
      guard order == "asc" || order == "desc" else {
        throw .badRequest("That list cannot be sorted that way", "“\(order)” is not an order: use asc or desc.")
      }
      f.descending = order == "desc"
    }
    if let page = q.string("page") {
      guard let n = Int(page), n >= 1, n <= 1_000_000 else {
        throw .badRequest("That page does not exist", "“\(page)” is not a page number: use 1, 2, 3…")
      }
      f.page = n
    }
    return f
  }

  /// The list; `visibility` narrows it to the partners the viewer may see.
  static func build(service: KPIService, chrome: PageChrome, filter: PartnerFilter, visibility: Visibility? = nil)
    async throws -> Model
  {
    let all = service.partners().filter { visibility?.canSee(partner: $0.id) ?? true }
    let catalog = service.catalog
    let columns = keyKPIs.compactMap { id in
      catalog.kpi(id).map { Column(id: $0.id, name: $0.name, unit: $0.unit, short: shortNames[$0.id] ?? $0.name) }
    }
    let search = filter.search?.lowercased()
    var list = all.filter { p in
      (filter.type.map { $0 == p.type } ?? true) && (filter.region.map { $0 == p.region } ?? true)
        && (filter.tier.map { $0 == p.tier } ?? true)
        && (search.map { s in
          p.id.lowercased().contains(s) || p.name.lowercased().contains(s)
            || (p.manager?.lowercased().contains(s) ?? false)
        } ?? true)
    }
    var values: [String: [Double?]] = [:]
    if let s = chrome.selection, !columns.isEmpty, !list.isEmpty {
      let r = try service.compute(
        ComputeRequest(
          kpis: columns.map(\.id), by: .partner, grain: s.grain, from: s.period, to: s.period,
          scopes: list.map { Scope(.partner, $0.id) }))
      for (i, scope) in r.scopes.enumerated() {
        values[scope.value ?? ""] = columns.indices.map { r.value(kpi: $0, scope: i, period: 0) }
      }
    }
    sort(&list, filter: filter, columns: columns, values: values)
    let pageCount = max(1, (list.count + pageSize - 1) / pageSize)
    let page = min(filter.page, pageCount)
    let rows = list.dropFirst((page - 1) * pageSize).prefix(pageSize).map { p in
      Row(partner: p, values: values[p.id] ?? columns.map { _ in nil })
    }
    func distinct(_ key: (PartnerInfo) -> String?) -> [String] { Array(Set(all.compactMap(key))).sorted() }
    return Model(
      chrome: chrome, filter: filter, columns: columns, rows: Array(rows), matching: list.count, total: all.count,
      page: page, pageCount: pageCount, types: distinct(\.type), regions: distinct(\.region), tiers: distinct(\.tier))
  }

  /// Sorts by a text column or a KPI; partners without a value go last whatever the order.
  static func sort(_ list: inout [PartnerInfo], filter: PartnerFilter, columns: [Column], values: [String: [Double?]]) {
    let desc = filter.descending
    if let k = columns.firstIndex(where: { $0.id == filter.sort }) {
      list.sort { a, b in
        let x = values[a.id]?[k] ?? nil
        let y = values[b.id]?[k] ?? nil
        switch (x, y) {
        case (let x?, let y?): return x != y ? (desc ? x > y : x < y) : a.name < b.name
        case (nil, nil): return a.name < b.name
        case (nil, _): return false
        case (_, nil): return true
        }
      }
      return
    }
    func key(_ p: PartnerInfo) -> String {
      switch filter.sort {
      case "type": p.type
      case "region": p.region
      case "tier": p.tier ?? ""
      default: p.name.lowercased()
      }
    }
    list.sort { a, b in
      let (x, y) = (key(a), key(b))
      if x != y { return desc ? x > y : x < y }
      return a.name.lowercased() != b.name.lowercased() ? a.name.lowercased() < b.name.lowercased() : a.id < b.id
    }
  }
}
