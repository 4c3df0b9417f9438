import Plot

extension Node where Context: HTML.BodyContext {
  /// The heading of a page: a small line above, the title, and a sentence below.
  static func pageHeader(eyebrow: String? = nil, title: String, lead: String? = nil, _ extra: Node...) -> Node {
    .div(
      .class("page-header"),
      .unwrap(eyebrow) { .p(.class("eyebrow"), .plain($0)) },
      .h1(.plain(title)),
      .unwrap(lead) { .p(.class("lead"), .plain($0)) },
      .group(extra))
  }

  /// The page shown when there is no data at all.
  static func noDataYet(_ selection: PeriodSelection?) -> Node {
    .div(
      .class("empty"),
      .p(.class("empty-title"), "No data yet"),
      .p("Import the program’s facts (partners, deals, leads…) to see its KPIs here."),
      .p(.link(.data, selection, "Go to the Data page", cls: "btn")))
  }
}
