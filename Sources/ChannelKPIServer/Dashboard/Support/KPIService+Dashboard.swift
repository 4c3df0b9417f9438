import ChannelKPI
import ChannelKPIStore

extension KPIService {
  /// A partner's newest rows of a table by a date column, newest first: the engine finds their
  /// keys (the store keeps no index by partner), the store gives their every column. The engine
  /// applies what the store holds after the store (another server's writes, later), so a row the
  /// store now gives another partner is left out: a partner's page never shows another's row.
  nonisolated func recentRows(_ table: CanonicalTable, partner: String, newestBy column: String, limit: Int)
    async throws -> [FactRecord]
  {
    let keys = shared.read { $0.engine.newestKeys(table, partner: partner, by: column, limit: limit) } ?? []
    guard let owner = table.schema.partnerColumn else { return [] }
    return try await store.rows(table, keys: keys).filter { $0.values[owner] == .string(partner) }
  }

  /// How many of a partner's rows of a table are dated in a period by the table's activity date
  /// (`KPIEngine.activityColumns`); nil when the table has none.
  nonisolated func activityCount(_ table: CanonicalTable, partner: String, period: Period) -> Int? {
    guard let column = KPIEngine.activityColumns[table]?.first else { return nil }
    return shared.read { $0.engine.count(table, partner: partner, by: column, in: period.start...period.end) }
  }
}
