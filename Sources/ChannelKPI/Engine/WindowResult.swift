/// The values of a computation over windows of whole months, held densely: KPI × scope × window.
public struct WindowResult: Sendable {
  public let kpis: [String]
  public let scopes: [Scope]
  public let windows: [MonthRange]
  /// `values[(k * scopes.count + s) * windows.count + w]`.
  public let values: [Double?]

  public init(kpis: [String], scopes: [Scope], windows: [MonthRange], values: [Double?]) {
    self.kpis = kpis
    self.scopes = scopes
    self.windows = windows
    self.values = values
  }

  public func value(kpi k: Int, scope s: Int, window w: Int) -> Double? {
    values[(k * scopes.count + s) * windows.count + w]
  }
}

/// A grid of KPI values (KPI × scope × column) as the writers print it: the columns are periods
/// or windows, each with its label.
public protocol ValueGrid {
  var kpis: [String] { get }
  var scopes: [Scope] { get }
  /// One label per column: `2025-Q1`, or `2024-04:2025-03` for a window.
  var columnLabels: [String] { get }
  func value(kpi: Int, scope: Int, column: Int) -> Double?
}

extension ComputeResult: ValueGrid {
  public var columnLabels: [String] { periods.map(\.description) }
  public func value(kpi: Int, scope: Int, column: Int) -> Double? { value(kpi: kpi, scope: scope, period: column) }
}

extension WindowResult: ValueGrid {
  public var columnLabels: [String] { windows.map(\.description) }
  public func value(kpi: Int, scope: Int, column: Int) -> Double? { value(kpi: kpi, scope: scope, window: column) }
}

extension MonthRange: CustomStringConvertible {
  /// `2024-04:2025-03`.
  public var description: String { "\(first):\(last)" }

  /// Parses `FIRST:LAST`, each side a month, quarter or year (`2024-04:2025-03`,
  /// `2024-Q2:2025-Q1`, `2024:2025`): the window runs from the first side's first month to the
  /// last side's last month. A single period is the window of its months.
  public init?(window text: String) {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    switch parts.count {
    case 1:
      guard let p = Period(String(parts[0])) else { return nil }
      self = p.months
    case 2:
      guard let a = Period(String(parts[0])), let b = Period(String(parts[1])), a.firstMonth <= b.lastMonth else {
        return nil
      }
      self.init(first: a.firstMonth, last: b.lastMonth)
    default: return nil
    }
  }

  /// How many months it covers.
  public var count: Int { Int(last.index - first.index) + 1 }
}
