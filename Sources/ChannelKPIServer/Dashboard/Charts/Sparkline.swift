import ChannelKPI
import Plot

/// A small trend line of a KPI over recent periods, each point with a tooltip.
struct Sparkline: Hashable, Sendable {
  var values: [Double?]
  /// The periods of the values, in words (`Q1 2025`).
  var labels: [String]
  var unit: KPIUnit
  var name: String
  var width = 132
  var height = 36

  var node: Node<HTML.BodyContext> {
    let pad = 4.0
    let present = values.compactMap { $0 }.filter(\.isFinite)
    let summary =
      "\(name): "
      + zip(labels, values).map { "\($0) \(DashboardFormat.compact($1, unit: unit))" }.joined(separator: ", ")
    guard let lo = present.min(), let hi = present.max() else {
      return SVG.root(
        width: width, height: height, label: "\(name): no values", cls: "spark",
        [SVG.line(x1: pad, y1: Double(height) / 2, x2: Double(width) - pad, y2: Double(height) / 2, cls: "spark-none")])
    }
    let w = Double(width) - 2 * pad
    let h = Double(height) - 2 * pad
    let n = Swift.max(1, values.count - 1)
    func point(_ i: Int) -> (Double, Double)? {
      guard let v = values[i], v.isFinite else { return nil }
      let f = hi == lo ? 0.5 : (v - lo) / (hi - lo)
      return (pad + w * Double(i) / Double(n), pad + h * (1 - f))
    }
    let points = values.indices.map(point)
    var nodes: [SVGNode] = [SVG.polyline(points, cls: "spark-line")]
    for (i, p) in points.enumerated() {
      guard let (x, y) = p else { continue }
      let last = i == values.count - 1
      let tip = "\(labels[i]): \(DashboardFormat.value(values[i], unit: unit))"
      nodes.append(SVG.circle(x: x, y: y, r: last ? 2.6 : 1.6, cls: last ? "spark-last" : "spark-dot"))
      nodes.append(SVG.circle(x: x, y: y, r: 6, cls: "hit", title: tip))
    }
    return SVG.root(width: width, height: height, label: summary, cls: "spark", nodes)
  }
}
