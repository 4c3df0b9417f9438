import ChannelKPI
import ChannelKPIStore
import Foundation
import GRDB
import Logging
import Testing

@testable import ChannelKPIServer

/// Reads run side by side with each other and with ingestion, and never see a batch half
/// applied: every value read is the value before some number of whole batches.
@Suite struct ConcurrentReadTests {
  func wonDeal(_ id: String, amount: String) throws -> FactRecord {
    try RecordValidator.validate(
      .deals,
      texts: CanonicalTable.deals.schema.columns.map {
        [
          "deal_id": id, "partner_id": "P2", "source": "sourced", "created_on": "2025-03-02", "stage": "won",
          "closed_on": "2025-03-25", "amount": amount,
        ][$0.name]
      }
    ).get()
  }

  static func revenue(_ s: KPIService, _ scope: Scope) throws -> Double {
    let p = try #require(Period("2025-Q1"))
    let r = try s.compute(
      ComputeRequest(kpis: ["revenue"], by: scope.kind, grain: p.grain, from: p, to: p, scopes: [scope]))
    return try #require(r.value(kpi: 0, scope: 0, period: 0))
  }

  @Test func readsDuringIngestionSeeWholeBatches() async throws {
    let store = try SQLiteStore(DatabaseQueue())
    try await Fixture.seed(store)
    var logger = Logger(label: "channelkpi-concurrent-tests")
    logger.logLevel = .critical
    let day = try #require(Day(iso: Fixture.today))
    let service = try await KPIService(store: store, today: { day }, logger: logger)
    let type = try #require(service.partner("P2")?.type)
    let scopes = [Scope(.network), Scope(.type, type), Scope(.partner, "P2")]
    let before = try scopes.map { try Self.revenue(service, $0) }
    // 30 batches of 4 deals of 12.50: each batch adds 50.00 to every scope P2 is in.
    let batches = 30
    let done = Locked(false)
    try await withThrowingTaskGroup(of: [String].self) { group in
      for reader in 0..<6 {
        group.addTask {
          var problems: [String] = []
          var last = before
          var reads = 0
          while !done.withLock({ $0 }) || reads == 0 {
            for (i, scope) in scopes.enumerated() {
              let v = try Self.revenue(service, scope)
              let added = (v - before[i]) / 50
              if abs(added - added.rounded()) > 1e-9 || added < 0 || added > Double(batches) {
                problems.append("reader \(reader): \(scope) read \(v), not whole batches after \(before[i])")
              }
              if v < last[i] { problems.append("reader \(reader): \(scope) went back from \(last[i]) to \(v)") }
              last[i] = v
            }
            reads += 1
            await Task.yield()
          }
          return problems
        }
      }
      group.addTask {
        for b in 0..<batches {
          let records = try (0..<4).map { try wonDeal("CR-\(b)-\($0)", amount: "12.50") }
          _ = try await service.ingest(records, table: .deals)
        }
        done.withLock { $0 = true }
        return []
      }
      var problems: [String] = []
      for try await p in group { problems += p }
      #expect(problems.isEmpty, "\(problems.prefix(5))")
    }
    // At the end every scope has every batch: 30 × 50.00 more.
    for (i, scope) in scopes.enumerated() {
      #expect(try Self.revenue(service, scope) == before[i] + 1500)
    }
    try await store.close()
  }
}
