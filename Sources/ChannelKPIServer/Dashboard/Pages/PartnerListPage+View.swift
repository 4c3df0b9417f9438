import ChannelKPI
import Plot

extension PartnerListPage {
  /// Renders the partner list.
  struct View {
    let model: Model

    func render() -> String { Layout.render(model.chrome, content) }

    var selection: PeriodSelection? { model.chrome.selection }

    var content: Node<HTML.BodyContext> {
      .group(
        .pageHeader(
          eyebrow: selection.map { "Key KPIs for \(PeriodLabel.long($0.period))" }, title: "Partners",
          lead:
            "Find a partner by name, id or manager, narrow the list by type, region or tier, and sort by any column."),
        filters,
        results)
    }

    var filters: Node<HTML.BodyContext> {
      let f = model.filter
      return .form(
        .class("filters"), .attr("method", "get"), .attr("action", DashboardRoute.partnerList.path),
        .attr("role", "search"), .attr("aria-label", "Filter partners"),
        .div(
          .class("field"),
          .label(.for("q"), "Search"),
          .element(
            named: "input",
            nodes: [
              .attr("type", "search"), .attr("id", "q"), .attr("name", "q"), .attr("value", f.search ?? ""),
              .attr("placeholder", "Name, id or manager"),
            ])),
        .labelledSelect(
          id: "type", name: "type", label: "Type",
          options: [("", "All types")] + options(model.types, f.type).map { ($0, Segments.label(.type, $0)) },
          selected: f.type ?? ""),
        .labelledSelect(
          id: "region", name: "region", label: "Region",
          options: [("", "All regions")] + options(model.regions, f.region).map { ($0, Segments.label(.region, $0)) },
          selected: f.region ?? ""),
        .labelledSelect(
          id: "tier", name: "tier", label: "Tier",
          options: [("", "All tiers")] + options(model.tiers, f.tier).map { ($0, Segments.label(.tier, $0)) },
          selected: f.tier ?? ""),
        .if(
          f.sort != PartnerFilter.defaultSort || !f.descending,
          .group(
            .hiddenInput(name: "sort", value: f.sort),
            .hiddenInput(name: "order", value: f.descending ? "desc" : "asc"))),
        .group((selection?.queryItems ?? []).map { Node.hiddenInput(name: $0.0, value: $0.1) }),
        .button(.type(.submit), .class("btn"), "Apply filters"),
        .if(
          f.isFiltered,
          .link(
            .partners(PartnerFilter(sort: f.sort, descending: f.descending)), selection, "Clear filters",
            cls: "btn btn-quiet"))
      )
    }

    /// The known values, plus the one asked for when no partner has it (so the form shows it).
    func options(_ known: [String], _ chosen: String?) -> [String] {
      guard let chosen, !known.contains(chosen) else { return known }
      return known + [chosen]
    }

    var results: Node<HTML.BodyContext> {
      guard !model.rows.isEmpty else {
        return model.total == 0
          ? .noDataYet(selection)
          : .empty("No partner matches", "Try another search or clear the filters.")
      }
      let first = (model.page - 1) * PartnerListPage.pageSize + 1
      let last = first + model.rows.count - 1
      let of = model.matching == model.total ? "" : " matching (of \(DashboardFormat.count(model.total)))"
      return .group(
        .p(
          .class("result-count"), .attr("aria-live", "polite"),
          .plain("Showing \(first)–\(last) of \(DashboardFormat.count(model.matching)) partners\(of)")),
        .div(
          .class("table-wrap"),
          .table(
            .class("partner-table"),
            .caption(
              .class("sr-only"),
              .plain("Partners, sorted by \(sortLabel) \(model.filter.descending ? "descending" : "ascending")")),
            .thead(
              .tr(
                header("name", "Partner"), header("type", "Type"), header("region", "Region"), header("tier", "Tier"),
                .group(model.columns.map { header($0.id, $0.short, title: $0.name, numeric: true) }))),
            .tbody(.group(model.rows.map(row))))),
        pager)
    }

    var sortLabel: String {
      model.columns.first { $0.id == model.filter.sort }?.name ?? DashboardFormat.humanize(model.filter.sort)
    }

    /// A column header whose link sorts by the column (again: the other way).
    func header(_ key: String, _ label: String, title: String? = nil, numeric: Bool = false) -> Node<
      HTML.TableRowContext
    > {
      let f = model.filter
      let active = f.sort == key
      var next = f
      next.sort = key
      next.page = 1
      next.descending = active ? !f.descending : !PartnerListPage.textSorts.contains(key)
      let arrow = active ? (f.descending ? "▼" : "▲") : ""
      return .th(
        .attr("scope", "col"), .if(numeric, .class("num")), .unwrap(title) { .attr("title", $0) },
        .if(active, .attr("aria-sort", f.descending ? "descending" : "ascending")),
        .link(
          .partners(next), selection, .plain(label),
          .if(!arrow.isEmpty, .span(.attr("aria-hidden", "true"), .plain(arrow))),
          .srOnly(
            active
              ? ", sorted \(f.descending ? "descending" : "ascending"); sort the other way" : ", sort by this column")))
    }

    func row(_ r: Row) -> Node<HTML.TableContext> {
      let p = r.partner
      return .tr(
        .th(
          .attr("scope", "row"), .link(.partner(p.id), selection, .plain(p.name)),
          .span(
            .class("sub"), .plain(p.id),
            .unwrap(p.leftOn) { .plain(" · left \(PeriodLabel.day($0))") })),
        .td(.plain(Segments.label(.type, p.type))),
        .td(.plain(Segments.label(.region, p.region))),
        .td(.unwrap(p.tier, { .span(.class("pill"), .plain(Segments.label(.tier, $0))) }, else: .plain("—"))),
        .group(zip(model.columns, r.values).map { c, v in .num(DashboardFormat.value(v, unit: c.unit)) }))
    }

    var pager: Node<HTML.BodyContext> {
      guard model.pageCount > 1 else { return .empty }
      let f = model.filter
      let current = model.page
      let pages = pageNumbers(current: current, count: model.pageCount)
      return .nav(
        .class("pager"), .attr("aria-label", "Pages"),
        current > 1
          ? .link(.partners(f.with(page: current - 1)), selection, "‹ Previous")
          : .span(.class("disabled"), "‹ Previous"),
        .group(
          pages.map { n in
            guard let n else { return .span(.attr("aria-hidden", "true"), "…") }
            return .link(.partners(f.with(page: n)), selection, .plain(String(n)), current: n == current)
          }),
        current < model.pageCount
          ? .link(.partners(f.with(page: current + 1)), selection, "Next ›")
          : .span(.class("disabled"), "Next ›"))
    }

    /// 1 … 4 5 [6] 7 8 … 20
    func pageNumbers(current: Int, count: Int) -> [Int?] {
      var out: [Int?] = []
      for n in 1...count where n == 1 || n == count || Swift.abs(n - current) <= 2 {
        if let last = out.last, let l = last, n - l > 1 { out.append(nil) }
        out.append(n)
      }
      return out
    }
  }
}
