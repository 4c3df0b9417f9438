import ChannelKPI
import ChannelKPIServer
import ChannelKPIStore
import ChannelKPITestSupport
import Foundation
import Testing

/// The databases several servers can share.
enum SharedDatabase: String, CaseIterable, Sendable, CustomTestStringConvertible {
  case sqlite, postgres

  /// SQLite always; PostgreSQL when configured or required (then a missing server fails).
  static var available: [SharedDatabase] { [.sqlite] + (TestPostgres.isEnabled ? [.postgres] : []) }

  var testDescription: String { rawValue }
}

/// Two servers on one database behave as one: what is written through either is read through
/// both. On PostgreSQL they follow each other on notifications, on a SQLite file by polling.
@Suite struct MultiInstanceTests {
  /// Runs `body` with two stores (as two instances would hold) on a fresh, seeded database.
  func withTwoStores(_ kind: SharedDatabase, _ body: (any Store, any Store) async throws -> Void) async throws {
    func run(_ a: any Store, _ b: any Store) async throws {
      do {
        try await Fixture.seed(a)
        try await body(a, b)
      } catch {
        try? await a.close()
        try? await b.close()
        throw error
      }
      try await a.close()
      try await b.close()
    }
    switch kind {
    case .postgres:
      try await TestPostgres.withDatabase { url in
        try await run(
          try await PostgresStore(url: url, logger: TestPostgres.quietLogger),
          try await PostgresStore(url: url, logger: TestPostgres.quietLogger))
      }
    case .sqlite:
      let dir = FileManager.default.temporaryDirectory.appendingPathComponent("channelkpi-two-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: dir) }
      let path = dir.appendingPathComponent("facts.sqlite").path
      try await run(try SQLiteStore(path: path), try SQLiteStore(path: path))
    }
  }

  @Test(arguments: SharedDatabase.available)
  func factsDefinitionsAndReviewsWrittenToOneAreReadOnTheOther(_ kind: SharedDatabase) async throws {
    try await withTwoStores(kind) { storeA, storeB in
      try await withServer(on: storeA) { a in
        try await withServer(on: storeB) { b in
          #expect(try await b.value("revenue", "partner:P2", "2025-Q1") == 8000)
          let r = try await a.post("/api/v1/facts/deals", APIFactsTests.wonDeal)
          #expect(r.status == 200)
          // Durable and applied on A before the answer; B follows the change log.
          #expect(try await a.value("revenue", "partner:P2", "2025-Q1") == 10000.5)
          #expect(try await eventually { try await b.value("revenue", "partner:P2", "2025-Q1") == 10000.5 })

          // A partner added through A can be named at once in a batch sent to B.
          let p9 =
            #"{"records":[{"partner_id":"P9","name":"Nine","type":"msp","region":"na","joined_on":"2025-01-01"}]}"#
          #expect(try await a.post("/api/v1/facts/partners", p9).status == 200)
          let d9 = """
            {"records":[{"deal_id":"D90","partner_id":"P9","source":"sourced","created_on":"2025-02-01","stage":"won",
            "closed_on":"2025-02-10","amount":700}]}
            """
          let onB = try await b.post("/api/v1/facts/deals", d9)
          #expect(onB.status == 200, "\(onB.text)")
          #expect(try await eventually { try await a.value("revenue", "partner:P9", "2025-Q1") == 700 })

          // A definitions version applied through B is in force on A.
          let kpis = Fixture.bigRevenueKPI
          let applied = try await b.post(
            "/api/v1/program", APIProgramTests.body(["kpis.yaml": kpis], #","effective":"2024-01-01""#))
          #expect(applied.status == 201, "\(applied.text)")
          #expect(
            try await eventually {
              (try await a.getJSON("/api/v1/program/versions")["versions"]?.array?.count ?? 0) == 2
            })
          #expect(try await a.value("big_revenue", "network", "2025-Q1") == 18000)

          // A review recorded on A is listed by B.
          let review = #"{"reviewer":"Ann","partner":"P2","finding":"Q1 won","action":"Keep going"}"#
          #expect(try await a.post("/api/v1/reviews", review).status == 201)
          let reviews = try await b.getJSON("/api/v1/reviews")["reviews"]?.array ?? []
          #expect(reviews.contains { $0["finding"]?.string == "Q1 won" })

          // Both end at the same position with the same numbers.
          #expect(try await eventually { await a.service.changePosition == b.service.changePosition })
          let q = "/api/v1/values?by=partner&grain=quarter&from=2025-Q1&to=2025-Q2"
          #expect(try await a.getJSON(q) == b.getJSON(q))
        }
      }
    }
  }

  @Test(arguments: SharedDatabase.available)
  func anInstanceThatStartsWhileAnotherIngestsCatchesUp(_ kind: SharedDatabase) async throws {
    try await withTwoStores(kind) { storeA, storeB in
      try await withServer(on: storeA) { a in
        // A takes 40 batches; B starts once A has taken 10.
        let (progress, reached) = AsyncStream.makeStream(of: Int.self)
        let writer = Task {
          defer { reached.finish() }
          for i in 0..<40 {
            let body = """
              {"records":[{"deal_id":"S\(i)","partner_id":"P1","source":"sourced","created_on":"2025-04-01",
              "stage":"won","closed_on":"2025-04-\(String(format: "%02d", i % 28 + 1))","amount":\(i + 1)}]}
              """
            let r = try await a.post("/api/v1/facts/deals", body)
            guard r.status == 200 else { throw APIServerError(description: "batch \(i): \(r.status) \(r.text)") }
            reached.yield(i + 1)
          }
        }
        for await n in progress where n >= 10 { break }
        try await withServer(on: storeB) { b in
          try await writer.value
          let q = "/api/v1/values?kpi=revenue,win_rate,avg_deal_size&by=partner&grain=month&from=2025-01&to=2025-06"
          let final = try await a.getJSON(q)
          #expect(try await eventually { try await b.getJSON(q) == final })
          #expect(await b.service.changePosition == a.service.changePosition)
          // The fixture has no revenue for P1 in April; the batches won 1 + 2 + … + 40 = 820.
          #expect(try await b.value("revenue", "partner:P1", "2025-04") == 820)
        }
      }
    }
  }
}
