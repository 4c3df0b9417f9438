import ChannelKPI
import ChannelKPIStore
import Foundation
import Testing

extension ProgramFilesTests {
  // MARK: Stored versions

  @Test func versionsWithTheSameKPIsShareACatalogVariant() async throws {
    let h = try StoreHarness()
    func kpis(_ formula: String) -> String {
      "kpis:\n  - id: big_revenue\n    name: Big revenue\n    unit: money\n    formula: \(formula)\n"
    }
    let over1000 = kpis("sum(deals.amount where stage = 'won' and closed_on in period and amount > 1000)")
    let over5000 = kpis("sum(deals.amount where stage = 'won' and closed_on in period and amount > 5000)")
    let day = try #require(Day(iso: "2025-01-01"))
    // v1 and v2 differ only in their targets; v3 redefines big_revenue; v4 goes back to v1's KPIs.
    let v1 = with("kpis.yaml", over1000)
    var v2 = v1
    v2["targets.yaml"] = "targets:\n  - kpi: revenue\n    value: 5\n"
    _ = try await h.store.addProgramVersion(files: v1, effective: day, appliedAt: "", note: "")
    _ = try await h.store.addProgramVersion(files: v2, effective: day + 30, appliedAt: "", note: "")
    _ = try await h.store.addProgramVersion(
      files: with("kpis.yaml", over5000), effective: day + 60, appliedAt: "", note: "")
    let threeVersions = try await h.store.programVersions()
    let (history, compiled, variantOf) = try ProgramLoader.load(threeVersions)
    #expect(history.versions.map(\.number) == [1, 2, 3])
    // Variant 0 holds the latest version's KPIs; v1 and v2 share the other one.
    #expect(compiled.variantCatalogs.count == 2)
    #expect(variantOf[3] == 0)
    #expect(variantOf[1] == 1 && variantOf[2] == 1)
    #expect(compiled.variantCatalogs[0].kpi("big_revenue")?.formula.contains("5000") == true)
    #expect(compiled.variantCatalogs[1].kpi("big_revenue")?.formula.contains("1000") == true)
    // The engine computes each variant's formula: a won deal of 3000 counts for v1's KPI only.
    func record(_ table: CanonicalTable, _ fields: [String: String]) throws -> FactRecord {
      try RecordValidator.validate(table, texts: table.schema.columns.map { fields[$0.name] }).get()
    }
    let partner = try record(
      .partners, ["partner_id": "P1", "name": "A", "type": "reseller", "region": "emea", "joined_on": "2024-01-01"])
    let deal = try record(
      .deals,
      [
        "deal_id": "D1", "partner_id": "P1", "source": "sourced", "created_on": "2025-01-05", "stage": "won",
        "closed_on": "2025-02-01", "amount": "3000",
      ])
    let engine = KPIEngine(catalog: compiled)
    engine.load([partner, deal])
    engine.finishLoading()
    func value(_ variant: Int) throws -> Double? {
      let q = Period("2025-Q1")
      return try engine.compute(
        ComputeRequest(kpis: ["big_revenue"], grain: .quarter, from: q, to: q, variant: variant)
      ).value(kpi: 0, scope: 0, period: 0)
    }
    #expect(try value(1) == 3000)
    #expect(try value(0) == 0)
    // A fourth version with v1's KPIs: it is the latest, and v1 and v2 share its variant 0.
    _ = try await h.store.addProgramVersion(files: v1, effective: day + 90, appliedAt: "", note: "")
    let (_, compiled4, variantOf4) = try ProgramLoader.load(try await h.store.programVersions())
    #expect(compiled4.variantCatalogs.count == 2)
    #expect(variantOf4 == [1: 0, 2: 0, 3: 1, 4: 0])
  }

  @Test func withoutVersionsTheLoaderGivesTheBuiltInCatalog() throws {
    let (history, compiled, variantOf) = try ProgramLoader.load([])
    #expect(history.versions.isEmpty)
    #expect(compiled.variantCatalogs == [Catalog.builtin])
    #expect(variantOf.isEmpty)
  }
}
