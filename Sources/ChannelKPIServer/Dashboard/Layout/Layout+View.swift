import ChannelKPI
import Plot

/// The page shell: skip link, header with the product name and navigation, period picker,
/// main content and footer.
enum Layout {
  static let productName = "ChannelKPI"

  /// The whole document, indented for readable sources and snapshots.
  static func render(_ chrome: PageChrome, _ content: Node<HTML.BodyContext>) -> String {
    document(chrome, content).render(indentedBy: .spaces(1))
  }

  static func document(_ chrome: PageChrome, _ content: Node<HTML.BodyContext>) -> HTML {
    HTML(
      .lang(.english),
      head(chrome.title),
      .body(
        .a(.class("skip-link"), .attr("href", "#main"), "Skip to main content"),
        header(chrome),
        .main(.id("main"), .attr("tabindex", "-1"), content),
        footer(chrome)
      )
    )
  }

  /// The head of every page: its title, and the stylesheet linked, or inside it for a file sent
  /// on its own (a partner's report).
  static func head(_ title: String, embeddedStyles: Bool = false) -> Node<HTML.DocumentContext> {
    .head(
      .meta(.charset(.utf8)),
      .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
      .element(named: "title", nodes: [.plain("\(title) · \(productName)")]),
      embeddedStyles
        ? .element(named: "style", nodes: [.raw(Stylesheet.css)])
        : .selfClosedElement(
          named: "link",
          attributes: [
            Attribute<HTML.HeadContext>(name: "rel", value: "stylesheet"),
            Attribute(name: "href", value: HTMLEscape.attribute(DashboardRoute.stylesheet.url(nil))),
          ])
    )
  }

  static func header(_ chrome: PageChrome) -> Node<HTML.BodyContext> {
    .header(
      .class("site-header"),
      .div(
        .class("bar"),
        .link(
          .overview, chrome.selection, .span(.class("logo"), .attr("aria-hidden", "true"), logo), .plain(productName),
          cls: "brand"),
        .nav(
          .attr("aria-label", "Main"),
          .ul(
            .group(
              NavSection.allCases.filter { Viewer.current?.seesNetwork ?? true || !$0.isNetworkWide }.map { s in
                .li(.link(s.route, chrome.selection, .plain(s.label), current: chrome.section == s))
              })))
      ),
      account,
      periodPicker(chrome)
    )
  }

  /// Who is signed in, with the way out (browser sessions only).
  static var account: Node<HTML.BodyContext> {
    .unwrap(Viewer.current.flatMap { $0.csrf == nil ? nil : $0 }) { v in
      .div(
        .class("account"),
        .span(.plain("Signed in as \(v.name) (\(v.role))")),
        .if(v.isAdmin, .a(.attr("href", Route.dashboardAudit.path), "Audit log")),
        .if(v.isAdmin, .a(.attr("href", Route.dashboardWebhooks.path), "Webhooks")),
        .form(
          .attr("method", "post"), .attr("action", Route.logout.path), .csrfField,
          .button(.type(.submit), .class("btn-link"), "Sign out")))
    }
  }

  static var logo: Node<HTML.BodyContext> {
    .element(
      named: "svg",
      nodes: [
        SVGNode.attribute(named: "viewBox", value: "0 0 24 24"), .attribute(named: "width", value: "24"),
        .attribute(named: "height", value: "24"), .attribute(named: "focusable", value: "false"),
        SVG.rect(x: 3, y: 12, width: 4, height: 9, cls: "logo-a"),
        SVG.rect(x: 10, y: 7, width: 4, height: 14, cls: "logo-b"),
        SVG.rect(x: 17, y: 3, width: 4, height: 18, cls: "logo-c"),
      ])
  }

  /// A GET form that reloads the current page for another grain or period, keeping its filters.
  static func periodPicker(_ chrome: PageChrome) -> Node<HTML.BodyContext> {
    guard let s = chrome.selection, !chrome.periodOptions.isEmpty else {
      return .div(
        .class("toolbar"),
        .div(
          .class("toolbar-inner"),
          .p(.class("toolbar-note"), "No data yet: the period picker appears once data is imported.")))
    }
    let route = chrome.route
    return .div(
      .class("toolbar"),
      .div(
        .class("toolbar-inner"),
        .form(
          .class("period-picker"), .attr("method", "get"), .attr("action", route.path),
          .attr("aria-label", "Reporting period"),
          .group(route.queryItems.filter { $0.0 != "page" }.map { Node.hiddenInput(name: $0.0, value: $0.1) }),
          .labelledSelect(
            id: "grain", name: "grain", label: "Grain",
            options: Grain.allCases.map { ($0.rawValue, DashboardFormat.humanize($0.rawValue)) },
            selected: s.grain.rawValue),
          .labelledSelect(
            id: "period", name: "period", label: "Period",
            options: chrome.periodOptions.map { ($0.description, PeriodLabel.long($0)) }, selected: s.period.description
          ),
          .button(.type(.submit), .class("btn"), "Apply")
        ),
        .div(
          .class("period-steps"),
          .unwrap(
            chrome.previous,
            { p in
              .link(
                route, p, .span(.attr("aria-hidden", "true"), "‹ "), .plain(PeriodLabel.long(p.period)),
                .srOnly(" (previous period)"), cls: "step")
            }),
          .span(.class("current-period"), .plain(PeriodLabel.long(s.period))),
          .unwrap(
            chrome.next,
            { p in
              .link(
                route, p, .plain(PeriodLabel.long(p.period)), .srOnly(" (next period)"),
                .span(.attr("aria-hidden", "true"), " ›"), cls: "step")
            })
        ),
        .if(
          chrome.isPartial,
          .p(
            .class("toolbar-note"),
            .plain("Partial period: the data runs to \(chrome.coverage.map { PeriodLabel.month($0.last) } ?? "—").")))
      ))
  }

  static func footer(_ chrome: PageChrome) -> Node<HTML.BodyContext> {
    .footer(
      .class("site-footer"),
      .p(
        .span(.class("defs"), .plain(chrome.definitionsLabel)),
        .unwrap(chrome.coverage) { c in
          .span(.plain("Data from \(PeriodLabel.month(c.first)) to \(PeriodLabel.month(c.last))"))
        },
        .span(.plain("\(productName) \(ChannelKPIVersion.string)"))
      )
    )
  }
}
