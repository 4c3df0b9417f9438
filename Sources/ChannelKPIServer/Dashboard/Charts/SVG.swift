import ChannelKPI
import Foundation
import Plot

/// The context of nodes inside an inline SVG drawing.
enum SVGContext {}

/// A node of an inline SVG drawing.
typealias SVGNode = Node<SVGContext>

/// Builders of SVG elements on top of Plot, with every attribute value and text escaped.
enum SVG {
  static func element(_ name: String, _ attributes: [(String, String)], _ children: [SVGNode] = []) -> SVGNode {
    .element(
      named: name,
      nodes: attributes.map { SVGNode.attribute(named: $0.0, value: HTMLEscape.attribute($0.1)) } + children)
  }

  /// A tooltip: the `<title>` child browsers show on hover.
  static func title(_ text: String) -> SVGNode { .element(named: "title", nodes: [SVGNode.raw(HTMLEscape.text(text))]) }

  static func text(_ text: String, x: Double, y: Double, anchor: String = "middle", cls: String) -> SVGNode {
    .element(
      named: "text",
      nodes: [
        .attribute(named: "x", value: num(x)), .attribute(named: "y", value: num(y)),
        .attribute(named: "text-anchor", value: anchor), .attribute(named: "class", value: cls),
        .raw(HTMLEscape.text(text)),
      ])
  }

  static func line(x1: Double, y1: Double, x2: Double, y2: Double, cls: String) -> SVGNode {
    element("line", [("x1", num(x1)), ("y1", num(y1)), ("x2", num(x2)), ("y2", num(y2)), ("class", cls)])
  }

  /// A path through points, broken where a value is missing.
  static func polyline(_ points: [(Double, Double)?], cls: String) -> SVGNode {
    var d = ""
    var pen = false
    for p in points {
      guard let (x, y) = p else {
        pen = false
        continue
      }
      d += (pen ? "L" : "M") + num(x) + " " + num(y) + " "
      pen = true
    }
    guard !d.isEmpty else { return .empty }
    return element("path", [("d", String(d.dropLast())), ("class", cls)])
  }

  static func circle(x: Double, y: Double, r: Double, cls: String, title: String? = nil) -> SVGNode {
    element(
      "circle", [("cx", num(x)), ("cy", num(y)), ("r", num(r)), ("class", cls)], title.map { [SVG.title($0)] } ?? [])
  }

  static func rect(x: Double, y: Double, width: Double, height: Double, cls: String, title: String? = nil) -> SVGNode {
    element(
      "rect",
      [
        ("x", num(x)), ("y", num(y)), ("width", num(Swift.max(0, width))), ("height", num(Swift.max(0, height))),
        ("class", cls),
      ],
      title.map { [SVG.title($0)] } ?? [])
  }

  /// The `<svg>` element in a page: a labelled image whose size follows its container.
  static func root(width: Int, height: Int, label: String, cls: String, _ children: [SVGNode]) -> Node<HTML.BodyContext>
  {
    .element(
      named: "svg",
      nodes: [
        SVGNode.attribute(named: "viewBox", value: "0 0 \(width) \(height)"),
        .attribute(named: "width", value: String(width)), .attribute(named: "height", value: String(height)),
        .attribute(named: "class", value: cls), .attribute(named: "role", value: "img"),
        .attribute(named: "aria-label", value: HTMLEscape.attribute(label)),
        .attribute(named: "focusable", value: "false"),
      ] + children)
  }

  /// A coordinate with at most one decimal.
  static func num(_ v: Double) -> String { DashboardFormat.trimZeros(ValueFormat.fixed(v, decimals: 1)) }
}

/// An axis scale with round tick values (1, 2 or 5 times a power of ten).
struct NiceScale: Hashable, Sendable {
  let lower: Double
  let upper: Double
  let step: Double

  init(min lo: Double, max hi: Double, ticks: Int = 5, includeZero: Bool = false) {
    var lo = lo
    var hi = hi
    if includeZero {
      lo = Swift.min(lo, 0)
      hi = Swift.max(hi, 0)
    }
    if lo == hi {
      let pad = lo == 0 ? 1 : Swift.abs(lo) * 0.1
      lo -= pad
      hi += pad
    }
    let step = Self.niceNumber((hi - lo) / Double(Swift.max(1, ticks - 1)), round: true)
    self.step = step
    lower = (lo / step).rounded(.down) * step
    upper = (hi / step).rounded(.up) * step
  }

  var ticks: [Double] {
    var out: [Double] = []
    var v = lower
    while v <= upper + step * 1e-9 && out.count < 50 {
      out.append(Swift.abs(v) < step * 1e-9 ? 0 : v)
      v += step
    }
    return out
  }

  /// Where `v` falls from 0 (lower) to 1 (upper).
  func fraction(_ v: Double) -> Double { upper == lower ? 0.5 : (v - lower) / (upper - lower) }

  static func niceNumber(_ x: Double, round: Bool) -> Double {
    guard x > 0, x.isFinite else { return 1 }
    let exponent = (log10(x)).rounded(.down)
    let power = pow(10, exponent)
    let f = x / power
    let nice: Double
    if round {
      nice = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10
    } else {
      nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10
    }
    return nice * power
  }
}
