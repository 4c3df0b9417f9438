import Plot

extension ErrorPage {
  /// The page for someone who is not one of the vendor's people (not signed in, or a partner):
  /// no navigation, no period picker, nothing of the program; a way back to their start page.
  static func minimal(_ error: DashboardError, home: String) -> String {
    HTML(
      .lang(.english),
      Layout.head(error.title),
      .body(
        .main(
          .id("main"), .class("error-page"),
          .p(.class("error-code"), .attr("aria-hidden", "true"), .plain(String(error.status.code))),
          .h1(.plain(error.title)),
          .p(.class("lead"), .plain(error.message)),
          .div(.class("actions"), .a(.class("btn"), .attr("href", home), "Go to your start page"))))
    ).render(indentedBy: .spaces(1))
  }

  /// Renders an error page.
  struct View {
    let model: Model

    func render() -> String { Layout.render(model.chrome, content) }

    var content: Node<HTML.BodyContext> {
      let s = model.chrome.selection
      return .div(
        .class("error-page"),
        .p(.class("error-code"), .attr("aria-hidden", "true"), .plain(String(model.status))),
        .h1(.plain(model.title)),
        .p(.class("lead"), .plain(model.message)),
        .div(
          .class("actions"),
          .link(.overview, s, "Go to the overview", cls: "btn"),
          .link(.partnerList, s, "Browse partners", cls: "btn btn-quiet"),
          .link(.kpis, s, "See all KPIs", cls: "btn btn-quiet")))
    }
  }
}
