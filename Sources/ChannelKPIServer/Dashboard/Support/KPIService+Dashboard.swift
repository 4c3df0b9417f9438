import ChannelKPI
import ChannelKPIStore

extension KPIService {
  /// How many of a partner's rows of a table are dated in a period, read newest first from the
  /// store up to `limit` rows; `complete` is false when the limit cut the count short.
  func dashboardCount(
    _ table: CanonicalTable, partner: String, dateColumn: String, period: Period, limit: Int = 5000
  ) async throws -> (count: Int, complete: Bool) {
    let rows = try await store.recentRows(table, partner: partner, newestBy: dateColumn, limit: limit)
    var count = 0
    var oldest: Day?
    for r in rows {
      let day: Day?
      switch r[dateColumn] {
      case .day(let d): day = d
      case .timestamp(let t): day = t.utcDay
      default: day = nil
      }
      guard let day else { continue }
      oldest = day
      if day >= period.start && day <= period.end { count += 1 }
    }
    let complete = rows.count < limit || (oldest.map { $0 < period.start } ?? true)
    return (count, complete)
  }
}
