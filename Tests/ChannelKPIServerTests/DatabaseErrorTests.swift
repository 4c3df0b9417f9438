import ChannelKPIStore
import Foundation
import GRDB
import Testing

/// A database that fills up or turns read-only under a running server: the batch gets a clear
/// JSON error (507, 503), nothing of it is stored or applied, reads go on, and once the database
/// takes writes again so does the server.
@Suite struct DatabaseErrorTests {
  /// Runs `body` with a server over a seeded SQLite file and the pool it writes through.
  func withPool(_ body: (APIServer, DatabasePool) async throws -> Void) async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("channelkpi-dberr-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let pool = try DatabasePool(path: dir.appendingPathComponent("facts.sqlite").path)
    let store = try SQLiteStore(pool)
    try await Fixture.seed(store)
    try await withServer(on: store) { try await body($0, pool) }
    try await store.close()
  }

  /// Sets a pragma on the connection the store writes through.
  func pragma(_ pool: DatabasePool, _ sql: String) async throws {
    try await pool.writeWithoutTransaction { try $0.execute(sql: sql) }
  }

  /// 2,000 deals P2 won in March 2025, for 1.00 each: more than the free room of a page or two.
  static let bigBatch =
    #"{"records":["#
    + (0..<2_000).map { i in
      #"{"deal_id":"F\#(i)","partner_id":"P2","source":"sourced","created_on":"2025-03-01","stage":"won","#
        + #""closed_on":"2025-03-10","amount":1}"#
    }.joined(separator: ",") + "]}"

  @Test func aFullDatabaseAnswers507AndStoresNothingOfTheBatch() async throws {
    try await withPool { server, pool in
      // The fixture's P2 won 8,000 in 2025-Q1; the batch wins 2,000 more.
      #expect(try await server.value("revenue", "partner:P2", "2025-Q1") == 8000)
      let deals = try await server.store.counts()[.deals]
      // No page more than the file has now: as if its disk had just filled up.
      try await pragma(pool, "PRAGMA max_page_count = 1")
      let r = try await server.post("/api/v1/facts/deals", Self.bigBatch)
      #expect(r.status == 507, "\(r.text)")
      #expect(r.json()["error"]?["code"]?.string == "database_full")
      #expect(r.json()["error"]?["message"]?.string?.hasPrefix("the database is full") == true, "\(r.text)")
      #expect(!r.text.contains(pool.path), "the answer names the server's file")
      #expect(try await server.value("revenue", "partner:P2", "2025-Q1") == 8000)
      #expect(try await server.store.counts()[.deals] == deals)

      try await pragma(pool, "PRAGMA max_page_count = 1073741823")
      #expect(try await server.post("/api/v1/facts/deals", Self.bigBatch).status == 200)
      #expect(try await server.value("revenue", "partner:P2", "2025-Q1") == 10000)
      #expect(try await server.store.counts()[.deals] == (deals ?? 0) + 2_000)
    }
  }

  @Test func aReadOnlyDatabaseAnswers503AndStoresNothing() async throws {
    try await withPool { server, pool in
      try await pragma(pool, "PRAGMA query_only = 1")
      let r = try await server.post("/api/v1/facts/deals", APIFactsTests.wonDeal)
      #expect(r.status == 503, "\(r.text)")
      #expect(r.json()["error"]?["code"]?.string == "database_read_only")
      #expect(r.json()["error"]?["message"]?.string?.hasPrefix("the database is read-only") == true, "\(r.text)")
      #expect(try await server.value("revenue", "partner:P2", "2025-Q1") == 8000)

      try await pragma(pool, "PRAGMA query_only = 0")
      #expect(try await server.post("/api/v1/facts/deals", APIFactsTests.wonDeal).status == 200)
      #expect(try await server.value("revenue", "partner:P2", "2025-Q1") == 10000.5)
    }
  }

  @Test func anUploadToAFullOrReadOnlyDatabaseIsRefusedClearly() async throws {
    try await withPool { server, pool in
      let partners = try await server.store.counts()[.partners]
      let rows = (0..<3_000).map { "U\($0),Upload \($0),reseller,emea,2025-01-01" }
      let csv = "partner_id,name,type,region,joined_on\n" + rows.joined(separator: "\n") + "\n"
      let (body, type) = TestServer.multipart(fields: [("table", "auto")], file: ("partners.csv", csv))
      try await pragma(pool, "PRAGMA max_page_count = 1")
      let full = try await server.request("POST", "/data/upload", headers: ["Content-Type": type], body: body)
      #expect(full.status == 507)
      #expect(full.text.contains("The file could not be imported: the database is full"), "\(full.text.prefix(300))")
      try await pragma(pool, "PRAGMA max_page_count = 1073741823")
      try await pragma(pool, "PRAGMA query_only = 1")
      let readOnly = try await server.request("POST", "/data/upload", headers: ["Content-Type": type], body: body)
      #expect(readOnly.status == 503)
      #expect(readOnly.text.contains("the database is read-only"), "\(readOnly.text.prefix(300))")
      try await pragma(pool, "PRAGMA query_only = 0")
      #expect(try await server.store.counts()[.partners] == partners)
    }
  }

  @Test func theCausesAreToldForEachDatabase() {
    let full = StoreError(classifying: DatabaseError(resultCode: .SQLITE_FULL), database: "/data/kpi.sqlite")
    #expect(full?.description.hasPrefix("the database /data/kpi.sqlite is full:") == true)
    let readOnly = StoreError(
      classifying: DatabaseError(resultCode: .SQLITE_READONLY_DBMOVED), database: "/data/kpi.sqlite")
    #expect(readOnly == .readOnly(readOnly?.description ?? ""))
    #expect(
      StoreError(classifying: DatabaseError(resultCode: .SQLITE_CANTOPEN), database: "x.sqlite")?.description
        .hasPrefix("cannot open the database x.sqlite") == true)
    let busy = StoreError(classifying: DatabaseError(resultCode: .SQLITE_BUSY), database: "x.sqlite")
    #expect(busy == .unavailable(busy?.description ?? ""))
    #expect(busy?.description.hasPrefix("the database x.sqlite is locked by another connection") == true)
    #expect(StoreError(classifying: DatabaseError(resultCode: .SQLITE_CONSTRAINT), database: "x.sqlite") == nil)
    #expect(StoreError(classifying: CancellationError(), database: "x.sqlite") == nil)
  }
}
