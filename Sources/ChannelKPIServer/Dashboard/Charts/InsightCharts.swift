import ChannelKPI
import Plot

/// A diverging bar for a contribution to a change: right of the middle for a rise, left for a fall,
/// its length relative to the largest contribution shown beside it.
struct ContributionBar: Hashable, Sendable {
  var value: Double
  var largest: Double
  var label: String
  var width = 140
  var height = 14

  var node: Node<HTML.BodyContext> {
    let mid = Double(width) / 2
    let f = largest > 0 ? Swift.min(1, Swift.abs(value) / largest) : 0
    let length = f * (mid - 2)
    let x = value < 0 ? mid - length : mid
    return SVG.root(
      width: width, height: height, label: label, cls: "contribution",
      [
        SVG.rect(
          x: x, y: 2, width: length, height: Double(height) - 4,
          cls: value < 0 ? "contribution-down" : "contribution-up",
          title: label),
        SVG.line(x1: mid, y1: 0, x2: mid, y2: Double(height), cls: "contribution-axis"),
      ])
  }
}

/// A partner's value drawn against its peers: the box from p25 to p75 with the median, a tick at
/// p90, the partner as a dot and external figures as diamonds.
struct PeerBox: Hashable, Sendable {
  var cuts: QuartileCuts
  var value: Double?
  var external: [Double]
  var unit: KPIUnit
  var label: String
  var width = 220
  var height = 26

  var node: Node<HTML.BodyContext> {
    let pad = 6.0
    let all = [cuts.p25, cuts.median, cuts.p75, cuts.p90] + (value.map { [$0] } ?? []) + external
    let finite = all.filter(\.isFinite)
    let lo = finite.min() ?? 0
    let hi = finite.max() ?? 1
    let w = Double(width) - 2 * pad
    func x(_ v: Double) -> Double { pad + (hi == lo ? 0.5 : (v - lo) / (hi - lo)) * w }
    let mid = Double(height) / 2
    var nodes: [SVGNode] = [
      SVG.line(x1: x(cuts.p25), y1: mid, x2: x(cuts.p90), y2: mid, cls: "peer-whisker"),
      SVG.rect(
        x: x(cuts.p25), y: mid - 6, width: x(cuts.p75) - x(cuts.p25), height: 12, cls: "peer-box",
        title:
          "Peers: p25 \(DashboardFormat.value(cuts.p25, unit: unit)), p75 \(DashboardFormat.value(cuts.p75, unit: unit))"
      ),
      SVG.line(x1: x(cuts.median), y1: mid - 6, x2: x(cuts.median), y2: mid + 6, cls: "peer-median"),
      SVG.line(x1: x(cuts.p90), y1: mid - 4, x2: x(cuts.p90), y2: mid + 4, cls: "peer-p90"),
    ]
    for e in external where e.isFinite {
      nodes.append(
        SVG.rect(
          x: x(e) - 3, y: mid - 3, width: 6, height: 6, cls: "peer-external",
          title: "External figure \(DashboardFormat.value(e, unit: unit))"))
    }
    if let value, value.isFinite {
      nodes.append(
        SVG.circle(
          x: x(value), y: mid, r: 4, cls: "peer-value",
          title: "This partner: \(DashboardFormat.value(value, unit: unit))"))
    }
    return SVG.root(width: width, height: height, label: label, cls: "peer-chart", nodes)
  }
}
