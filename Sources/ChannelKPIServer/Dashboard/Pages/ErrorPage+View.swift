import Plot

extension ErrorPage {
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
