public import ChannelKPI
import Metrics
public import Prometheus

/// Prometheus metrics of the server: the request metrics of the HTTP layer (through
/// swift-metrics) and the engine's own.
public final class ServerMetrics: Sendable {
  public let registry: PrometheusCollectorRegistry
  let engineUpdate: DurationHistogram
  private let gauges: [CanonicalTable: Prometheus.Gauge]

  /// The process-wide metrics: swift-metrics can be bootstrapped only once.
  public static let shared = ServerMetrics()

  private init() {
    let registry = PrometheusCollectorRegistry()
    self.registry = registry
    MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    engineUpdate = registry.makeDurationHistogram(
      name: "channelkpi_engine_update_seconds",
      buckets: [
        .microseconds(100), .milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .seconds(1),
      ],
      help: "Time the engine takes to apply an accepted batch of facts")
    var g: [CanonicalTable: Prometheus.Gauge] = [:]
    for t in CanonicalTable.allCases {
      g[t] = registry.makeGauge(
        name: "channelkpi_facts_stored", labels: [("table", t.rawValue)], help: "Rows stored per canonical table")
    }
    gauges = g
  }

  func facts(_ t: CanonicalTable) -> Prometheus.Gauge { gauges[t]! }

  /// The metrics in the Prometheus text format.
  public func exposition() -> String {
    var buffer: [UInt8] = []
    registry.emit(into: &buffer)
    return String(decoding: buffer, as: UTF8.self)
  }
}
