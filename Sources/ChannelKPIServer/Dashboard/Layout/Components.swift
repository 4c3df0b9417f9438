import ChannelKPI
import Plot

extension Node {
  /// An attribute whose value is escaped.
  static func attr(_ name: String, _ value: String) -> Node {
    .attribute(named: name, value: HTMLEscape.attribute(value))
  }

  /// A boolean attribute (`selected`, `disabled`, `checked`).
  static func flag(_ name: String, _ on: Bool = true) -> Node {
    on ? .attribute(named: name) : .empty
  }

  /// Text from data, escaped.
  static func plain(_ text: String) -> Node { .raw(HTMLEscape.text(text)) }

  /// The `href` of a dashboard page.
  static func href(_ route: DashboardRoute, _ selection: PeriodSelection?) -> Node {
    .attr("href", route.url(selection))
  }
}

extension Node where Context: HTML.BodyContext {
  /// A link to a dashboard page for a period.
  static func link(
    _ route: DashboardRoute, _ selection: PeriodSelection?, _ content: Node<HTML.AnchorContext>...,
    cls: String? = nil, current: Bool = false
  ) -> Node {
    .a(
      .href(route, selection), .unwrap(cls) { .class($0) }, .if(current, .attr("aria-current", "page")),
      .group(content))
  }

  /// Text only screen readers read.
  static func srOnly(_ text: String) -> Node { .span(.class("sr-only"), .plain(text)) }

  /// A status badge: words and colour (on track, at risk, off track, no data).
  static func statusBadge(_ status: TargetStatus) -> Node {
    .span(.class("badge badge-\(status.rawValue)"), .plain(Self.statusLabel(status)))
  }

  static func statusLabel(_ s: TargetStatus) -> String {
    switch s {
    case .onTrack: "On track"
    case .atRisk: "At risk"
    case .offTrack: "Off track"
    case .noData: "No data"
    }
  }

  /// A change with its arrow and colour, and words for screen readers.
  static func change(_ c: ValueChange?, versus: String) -> Node {
    guard let c else {
      return .span(
        .class("chg chg-none"), .span(.attr("aria-hidden", "true"), "—"), .srOnly("no comparison"), " ",
        .span(.class("vs"), .plain("vs \(versus)")))
    }
    return .span(
      .class("chg chg-\(c.tone.rawValue)"),
      .span(.class("arrow"), .attr("aria-hidden", "true"), .plain(c.arrow)), " ",
      .plain(c.text), .srOnly(" (\(c.spoken))"), " ", .span(.class("vs"), .plain("vs \(versus)")))
  }

  /// A number with its unit set smaller.
  static func valueWithUnit(_ parts: (number: String, unit: String)) -> Node {
    .group(.plain(parts.number), parts.unit.isEmpty ? .empty : .span(.class("unit"), .plain(parts.unit)))
  }

  /// A horizontal bar of a fraction (0…1 fills the track; more is capped), as decoration.
  static func bar(_ fraction: Double?, cls: String) -> Node {
    let f = Swift.min(1, Swift.max(0, fraction ?? 0))
    return .span(
      .class("bar-track"), .attr("aria-hidden", "true"),
      .span(.class("bar-fill \(cls)"), .attr("style", "width: \(SVG.num(f * 100))%")))
  }

  /// An empty state: a title and a sentence, with an optional link.
  static func empty(_ title: String, _ text: String) -> Node {
    .div(.class("empty"), .p(.class("empty-title"), .plain(title)), .p(.plain(text)))
  }

  /// A `<select>` with a label, options as (value, label) pairs.
  static func labelledSelect(
    id: String, name: String, label: String, options: [(String, String)], selected: String?, disabled: Bool = false
  ) -> Node {
    .div(
      .class("field"),
      .label(.for(id), .plain(label)),
      .select(
        .attr("id", id), .attr("name", name), .flag("disabled", disabled),
        .group(options.map { Node<HTML.SelectContext>.option(value: $0.0, label: $0.1, selected: $0.0 == selected) })))
  }

  static func hiddenInput(name: String, value: String) -> Node {
    .element(named: "input", nodes: [.attr("type", "hidden"), .attr("name", name), .attr("value", value)])
  }
}

extension Node where Context == HTML.SelectContext {
  static func option(value: String, label: String, selected: Bool) -> Node {
    .element(named: "option", nodes: [.attr("value", value), .flag("selected", selected), .plain(label)])
  }
}

extension Node where Context == HTML.TableRowContext {
  /// A header cell of a column.
  static func col(_ text: String, numeric: Bool = false) -> Node {
    .th(.attr("scope", "col"), .if(numeric, .class("num")), .plain(text))
  }

  /// A numeric cell, right-aligned with tabular figures.
  static func num(_ text: String) -> Node { .td(.class("num"), .plain(text)) }
}
