import ChannelKPI
import Testing

/// Builds validated records for tests from column texts.
enum Fixture {
  static func record(_ table: CanonicalTable, _ fields: [String: String]) -> FactRecord {
    let schema = table.schema
    for k in fields.keys where schema.index[k] == nil { Issue.record("\(table.rawValue) has no column \(k)") }
    let texts = schema.columns.map { fields[$0.name] }
    switch RecordValidator.validate(table, texts: texts) {
    case .success(let r): return r
    case .failure(let e):
      Issue.record("invalid fixture row \(fields): \(e.errors)")
      return FactRecord(table: table, values: Array(repeating: .absent, count: schema.columns.count))
    }
  }

  static func engine(_ records: [FactRecord], catalog: Catalog = .builtin) throws -> KPIEngine {
    let compiled = try CatalogCompiler.compile(catalog)
    let e = KPIEngine(catalog: compiled)
    e.load(records)
    e.finishLoading()
    return e
  }

  /// The value of one KPI for one scope and period.
  static func value(
    _ engine: KPIEngine, _ kpi: String, _ scope: Scope = .network, period: String
  ) throws -> Double? {
    let p = try #require(Period(period))
    let r = try engine.compute(
      ComputeRequest(kpis: [kpi], by: scope.kind, grain: p.grain, from: p, to: p, scopes: [scope]))
    return r.value(kpi: 0, scope: 0, period: 0)
  }
}

/// Whether two optional numbers agree within a relative tolerance (both nil counts as agreeing).
func close(_ a: Double?, _ b: Double?, tolerance: Double = 1e-9) -> Bool {
  switch (a, b) {
  case (nil, nil): return true
  case (let x?, let y?): return Swift.abs(x - y) <= tolerance * Swift.max(1, Swift.abs(x), Swift.abs(y))
  default: return false
  }
}
