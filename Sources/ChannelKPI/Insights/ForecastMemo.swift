import Synchronization

/// Fitted forecasts kept by what they were fitted on: a KPI's history (and its numerator and
/// denominator series), the horizon and the season. A fit is a pure function of these, so a
/// forecast asked again of an unchanged history (an alert rule's scheduled evaluation, every few
/// minutes, of thousands of partners) is not fitted again, and a history that changed is simply
/// another key. Bounded: it starts over past `capacity` fits.
public final class ForecastMemo: Sendable {
  struct Key: Hashable {
    var kpi: String
    var variant: Int
    /// The KPI's bounds, which forecasts are clamped to.
    var minimum: Double?
    var maximum: Double?
    var horizon: Int
    var seasonLength: Int
    var values: [Double?]
    var numerator: [Double]?
    var denominator: [Double]?
  }

  private let fits = Mutex<[Key: ForecastSeries.Fit]>([:])
  private let reused = Mutex(0)
  public let capacity: Int

  public init(capacity: Int = 50_000) { self.capacity = capacity }

  /// How many fits it holds.
  public var count: Int { fits.withLock { $0.count } }
  /// How many forecasts took a kept fit.
  public var hits: Int { reused.withLock { $0 } }

  /// Forgets every fit (definitions were reloaded: KPIs and their variants may differ).
  public func clear() { fits.withLock { $0.removeAll() } }

  func fit(_ key: Key, _ make: () -> ForecastSeries.Fit) -> ForecastSeries.Fit {
    if let known = fits.withLock({ $0[key] }) {
      reused.withLock { $0 += 1 }
      return known
    }
    let made = make()
    fits.withLock { f in
      if f.count >= capacity { f.removeAll(keepingCapacity: true) }
      f[key] = made
    }
    return made
  }
}
