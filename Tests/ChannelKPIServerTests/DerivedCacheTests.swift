import ChannelKPI
import ChannelKPIStore
import Foundation
import GRDB
import Logging
import NIOCore
import Testing

@testable import ChannelKPIServer

/// A server keeps answers (values, ranked scorecards, tier evaluations) between writes and, after
/// a batch, keeps or completes those of the partners the batch did not reach. Every answer after
/// batches must be the answer a server started afresh on the same store gives.
@Suite struct DerivedCacheTests {
  static let config = DemoConfiguration(partners: 30, months: 15, seed: 3)

  static func demoStore() async throws -> SQLiteStore {
    let store = try SQLiteStore(DatabaseQueue())
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("channelkpi-cache-\(UUID().uuidString)")
      .path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var sink = try CSVDirectorySink(directory: dir)
    DemoProgram.generate(config, into: &sink)
    sink.flush()
    var source = CSVImportSource(files: try CSVImportSource.resolve([dir]), known: [:], options: ImportOptions())
    _ = try await store.upsert(from: &source)
    _ = try await store.addProgramVersion(
      files: DemoProgram.definitions(config), effective: config.firstMonth.firstDay, appliedAt: "2026-01-02T08:00:00Z",
      note: "demo")
    return store
  }

  static func service(_ store: any Store) async throws -> KPIService {
    var logger = Logger(label: "channelkpi-cache-tests")
    logger.logLevel = .critical
    let today = config.lastMonth.lastDay + 5
    return try await KPIService(store: store, today: { today }, logger: logger)
  }

  static func deal(_ id: String, _ partner: String, on day: Day, amount: String) throws -> FactRecord {
    try RecordValidator.validate(
      .deals,
      texts: CanonicalTable.deals.schema.columns.map {
        [
          "deal_id": id, "partner_id": partner, "source": "sourced", "created_on": (day - 10).description,
          "stage": "won", "closed_on": day.description, "amount": amount,
        ][$0.name]
      }
    ).get()
  }

  /// Every answer the tests compare: each partner's scorecard (as staff and as the partner sees it),
  /// the values of each partner, and values by type.
  static func answers(_ s: KPIService, partners: [PartnerInfo], period: Period) throws -> [String: String] {
    var out: [String: String] = [:]
    func text(_ b: ByteBuffer) -> String { String(buffer: b) }
    for p in partners {
      out["card \(p.id)"] = text(try s.partnerScorecardBody(id: p.id, period: period, anonymized: false))
      out["own card \(p.id)"] = text(try s.partnerScorecardBody(id: p.id, period: period, anonymized: true))
      let one = ComputeRequest(
        kpis: ["revenue", "win_rate"], by: .partner, grain: .month,
        from: Period(grain: .month, containing: period.firstMonth),
        to: Period(grain: .month, containing: period.lastMonth), scopes: [Scope(.partner, p.id)])
      out["values \(p.id)"] = text(try s.valuesBody(one, csv: false))
    }
    let byType = ComputeRequest(kpis: ["revenue", "win_rate"], by: .type, grain: .quarter, from: period, to: period)
    out["by type"] = text(try s.valuesBody(byType, csv: true))
    return out
  }

  @Test func answersAfterBatchesEqualAFreshServers() async throws {
    let store = try await Self.demoStore()
    let service = try await Self.service(store)
    let period = Period(grain: .quarter, containing: Self.config.lastMonth)
    let partners = service.partners().filter { $0.isInProgram(during: period.months) }
    let type = Dictionary(grouping: partners, by: \.type).max { $0.value.count < $1.value.count }!.key
    let members = partners.filter { $0.type == type }
    try #require(members.count >= 4)
    let before = try Self.answers(service, partners: partners, period: period)

    // Batches reaching a few partners of one type: one climbs to the top of its type this quarter,
    // another gains in the first quarter (which its tier evaluations see).
    let last = Self.config.lastMonth.lastDay
    let first = Self.config.firstMonth.firstDay + 15
    let batches = [
      [try Self.deal("CACHE-1", members[0].id, on: last - 3, amount: "9000000.00")],
      [try Self.deal("CACHE-2", members[1].id, on: first, amount: "9000000.00")],
      [
        try Self.deal("CACHE-3", members[2].id, on: last - 40, amount: "120000.00"),
        try Self.deal("CACHE-1", members[3].id, on: last - 3, amount: "9000000.00"),
      ],
    ]
    var previous = before
    for (i, batch) in batches.enumerated() {
      _ = try await service.ingest(batch, table: .deals)
      let cached = try Self.answers(service, partners: partners, period: period)
      let fresh = try Self.answers(try await Self.service(store), partners: partners, period: period)
      for key in fresh.keys.sorted() where cached[key] != fresh[key] {
        Issue.record(
          "after batch \(i + 1), \(key) differs from a fresh server's:\n\(cached[key] ?? "")\n\(fresh[key] ?? "")")
      }
      // Each batch changes the reached partners' answers, and the ranks of their type.
      let reached = members[i].id
      #expect(fresh["card \(reached)"] != previous["card \(reached)"], "batch \(i + 1)")
      previous = fresh
    }
    // The last batch moved CACHE-1 from the first partner to the fourth.
    #expect(previous["card \(members[3].id)"] != before["card \(members[3].id)"])
  }

  @Test func refusedRequestsKeepNothing() async throws {
    let service = try await Self.service(try await Self.demoStore())
    let period = Period(grain: .quarter, containing: Self.config.lastMonth)
    let known = try #require(service.partners().first?.id)
    let one = ComputeRequest(kpis: ["revenue"], by: .partner, grain: .quarter, from: period, to: period)
    _ = try service.valuesBody(
      ComputeRequest(
        kpis: one.kpis, by: .partner, grain: .quarter, from: period, to: period, scopes: [Scope(.partner, known)]),
      csv: false)
    #expect(service.shared.keptAnswers == 1)
    for i in 0..<50 {
      var request = one
      request.scopes = [Scope(.partner, "NOPE-\(i)")]
      #expect(throws: ComputeError.self) { try service.valuesBody(request, csv: false) }
    }
    #expect(service.shared.keptAnswers == 1)
  }

  /// One partner's lifecycle (the partner page's) comes from its own type's scorecards, kept
  /// between writes, and from its own milestones: after each batch it must equal that partner's
  /// entry among every partner's lifecycles, here and on a server started afresh.
  @Test func onePartnersLifecycleEqualsEveryPartnersAfterBatches() async throws {
    let store = try await Self.demoStore()
    let service = try await Self.service(store)
    let period = Period(grain: .quarter, containing: Self.config.lastMonth)
    let partners = service.partners().filter { $0.isInProgram(during: period.months) }
    // The scored partner lowest this quarter, and another of its type.
    let start = try await Self.service(store).lifecycles()
    let scored = start.filter { $0.history.last?.score != nil }
      .sorted { $0.history.last!.score! < $1.history.last!.score! }
    let low = try #require(scored.first)
    let other = try #require(scored.first { $0.type == low.type && $0.partner != low.partner })
    let last = Self.config.lastMonth.lastDay
    let batches = [
      [try Self.deal("LIFE-1", low.partner, on: last - 3, amount: "9000000.00")],
      [try Self.deal("LIFE-2", other.partner, on: last - 20, amount: "50.00")],
    ]
    var scores: [Double?] = []
    for step in 0...batches.count {
      if step > 0 { _ = try await service.ingest(batches[step - 1], table: .deals) }
      // Asked one by one first (no milestones kept yet after a start), then all at once.
      var one: [String: PartnerLifecycle] = [:]
      for p in partners { one[p.id] = try await service.lifecycle(of: p.id) }
      let all = try await service.lifecycles()
      let fresh = try await Self.service(store).lifecycles()
      #expect(all == fresh, "step \(step)")
      for p in partners {
        let whole = fresh.first { $0.partner == p.id }
        #expect(one[p.id] == whole, "step \(step), \(p.id)")
        // Asked again once every partner's are kept.
        #expect(try await service.lifecycle(of: p.id) == whole, "step \(step), \(p.id)")
      }
      scores.append(one[low.partner]?.history.last?.score)
    }
    // The first batch lifted the lowest partner's score this quarter.
    #expect(scores[0] == low.history.last?.score && scores[1]! > scores[0]!, "\(scores)")
    #expect(try await service.lifecycle(of: "NOPE") == nil)
  }
}
