import ChannelKPI
import Plot

/// A line chart of a KPI over periods, with axes, labelled ticks, point tooltips and optional
/// baseline and target lines.
struct LineChart: Hashable, Sendable {
  enum Style: String, Sendable { case actual, baseline, target, forecast, interval }

  /// One line of the chart.
  struct Series: Hashable, Sendable {
    var name: String
    var values: [Double?]
    var style: Style
  }

  /// Short labels of the periods for the axis, and long ones for tooltips.
  var axisLabels: [String]
  var labels: [String]
  var series: [Series]
  var unit: KPIUnit
  /// The index of the selected period, drawn as a band.
  var highlight: Int?
  var title: String
  var width = 1120
  var height = 320

  static let margin = (left: 78.0, right: 18.0, top: 16.0, bottom: 40.0)

  /// Money and counts are read from zero; rates, days and scores from their range.
  var startsAtZero: Bool {
    switch unit {
    case .money, .moneyPerDay, .count, .countPerPartner: true
    default: false
    }
  }

  var scale: NiceScale? {
    let all = series.flatMap(\.values).compactMap { $0 }.filter(\.isFinite)
    guard let lo = all.min(), let hi = all.max() else { return nil }
    return NiceScale(min: lo, max: hi, ticks: 5, includeZero: startsAtZero)
  }

  var node: Node<HTML.BodyContext> {
    let m = Self.margin
    let plotW = Double(width) - m.left - m.right
    let plotH = Double(height) - m.top - m.bottom
    let n = axisLabels.count
    guard let scale, n > 0 else {
      return SVG.root(
        width: width, height: height, label: "\(title): no values", cls: "chart",
        [SVG.text("No values for these periods", x: Double(width) / 2, y: Double(height) / 2, cls: "chart-empty")])
    }
    let slot = plotW / Double(n)
    func x(_ i: Int) -> Double { m.left + slot * (Double(i) + 0.5) }
    func y(_ v: Double) -> Double { m.top + plotH * (1 - scale.fraction(v)) }
    var nodes: [SVGNode] = []
    if let h = highlight, h >= 0, h < n {
      nodes.append(SVG.rect(x: m.left + slot * Double(h), y: m.top, width: slot, height: plotH, cls: "band"))
    }
    for t in scale.ticks {
      nodes.append(SVG.line(x1: m.left, y1: y(t), x2: m.left + plotW, y2: y(t), cls: t == 0 ? "grid zero" : "grid"))
      nodes.append(
        SVG.text(DashboardFormat.tick(t, unit: unit), x: m.left - 8, y: y(t) + 4, anchor: "end", cls: "tick"))
    }
    nodes.append(SVG.line(x1: m.left, y1: m.top + plotH, x2: m.left + plotW, y2: m.top + plotH, cls: "axis"))
    let every = Swift.max(1, Int((Double(n) / 12).rounded(.up)))
    for i in 0..<n where (n - 1 - i) % every == 0 {
      nodes.append(SVG.line(x1: x(i), y1: m.top + plotH, x2: x(i), y2: m.top + plotH + 5, cls: "axis"))
      nodes.append(SVG.text(axisLabels[i], x: x(i), y: m.top + plotH + 20, cls: "tick"))
    }
    // Reference lines first, so the actual values are drawn on top.
    for s in series.sorted(by: { ($0.style == .actual ? 1 : 0) < ($1.style == .actual ? 1 : 0) }) {
      let points = s.values.indices.map { i in s.values[i].flatMap { $0.isFinite ? (x(i), y($0)) : nil } }
      nodes.append(SVG.polyline(points, cls: "line " + s.style.rawValue))
      for (i, p) in points.enumerated() {
        guard let (px, py) = p else { continue }
        let tip = "\(s.name), \(labels[i]): \(DashboardFormat.value(s.values[i], unit: unit))"
        if s.style == .actual {
          nodes.append(SVG.circle(x: px, y: py, r: i == highlight ? 4.5 : 3, cls: "pt " + s.style.rawValue))
        }
        nodes.append(SVG.circle(x: px, y: py, r: 9, cls: "hit", title: tip))
      }
    }
    return SVG.root(width: width, height: height, label: title, cls: "chart", nodes)
  }
}

/// Counts of partners by value range, drawn as bars with tooltips.
struct Histogram: Hashable, Sendable {
  /// A value range and how many partners fall in it.
  struct Bin: Hashable, Sendable {
    var lower: Double
    var upper: Double
    var count: Int
  }

  var bins: [Bin]
  var unit: KPIUnit
  var title: String
  var width = 1120
  var height = 260

  /// Bins of round width over the values (about `target` of them); one bin when all are equal.
  static func bins(_ values: [Double], target: Int = 10) -> [Bin] {
    let v = values.filter(\.isFinite)
    guard let lo = v.min(), let hi = v.max() else { return [] }
    if lo == hi { return [Bin(lower: lo, upper: hi, count: v.count)] }
    let step = NiceScale.niceNumber((hi - lo) / Double(target), round: true)
    let start = (lo / step).rounded(.down) * step
    let count = clamp((hi - start) / step, 0, 59) + 1
    var bins = (0..<count).map { i in
      Bin(lower: start + Double(i) * step, upper: start + Double(i + 1) * step, count: 0)
    }
    for x in v { bins[clamp((x - start) / step, 0, count - 1)].count += 1 }
    return bins
  }

  /// `x` rounded down into `lo...hi`, without trapping on infinities or NaN.
  static func clamp(_ x: Double, _ lo: Int, _ hi: Int) -> Int {
    guard x.isFinite else { return x > 0 ? hi : lo }
    return Int(Swift.min(Double(hi), Swift.max(Double(lo), x.rounded(.down))))
  }

  func rangeLabel(_ b: Bin) -> String {
    b.lower == b.upper
      ? DashboardFormat.compact(b.lower, unit: unit)
      : "\(DashboardFormat.compact(b.lower, unit: unit)) to \(DashboardFormat.compact(b.upper, unit: unit))"
  }

  var node: Node<HTML.BodyContext> {
    let m = (left: 48.0, right: 16.0, top: 12.0, bottom: 40.0)
    let plotW = Double(width) - m.left - m.right
    let plotH = Double(height) - m.top - m.bottom
    guard let most = bins.map(\.count).max(), most > 0 else {
      return SVG.root(
        width: width, height: height, label: "\(title): no values", cls: "chart",
        [SVG.text("No partner has a value", x: Double(width) / 2, y: Double(height) / 2, cls: "chart-empty")])
    }
    let scale = NiceScale(min: 0, max: Double(most), ticks: Swift.min(5, most + 1), includeZero: true)
    let step = Swift.max(1, scale.step.rounded(.up))
    let top = (Double(most) / step).rounded(.up) * step
    func y(_ c: Double) -> Double { m.top + plotH * (1 - c / top) }
    var nodes: [SVGNode] = []
    var t = 0.0
    while t <= top + 1e-9 {
      nodes.append(SVG.line(x1: m.left, y1: y(t), x2: m.left + plotW, y2: y(t), cls: t == 0 ? "grid zero" : "grid"))
      nodes.append(SVG.text(ValueFormatInt.string(t), x: m.left - 8, y: y(t) + 4, anchor: "end", cls: "tick"))
      t += step
    }
    let slot = plotW / Double(bins.count)
    let every = Swift.max(1, Int((Double(bins.count + 1) / 8).rounded(.up)))
    for (i, b) in bins.enumerated() {
      let x = m.left + slot * Double(i)
      let noun = b.count == 1 ? "partner" : "partners"
      nodes.append(
        SVG.rect(
          x: x + 1.5, y: y(Double(b.count)), width: slot - 3, height: plotH * Double(b.count) / top, cls: "bar",
          title: "\(rangeLabel(b)): \(b.count) \(noun)"))
      if i % every == 0 {
        nodes.append(SVG.text(DashboardFormat.tick(b.lower, unit: unit), x: x, y: m.top + plotH + 20, cls: "tick"))
      }
    }
    if bins.count % every == 0, let last = bins.last {
      nodes.append(
        SVG.text(
          DashboardFormat.tick(last.upper, unit: unit), x: m.left + plotW, y: m.top + plotH + 20, cls: "tick"))
    }
    nodes.append(SVG.line(x1: m.left, y1: m.top + plotH, x2: m.left + plotW, y2: m.top + plotH, cls: "axis"))
    return SVG.root(width: width, height: height, label: title, cls: "chart", nodes)
  }
}

enum ValueFormatInt {
  static func string(_ v: Double) -> String { DashboardFormat.count(Int(v.rounded())) }
}
