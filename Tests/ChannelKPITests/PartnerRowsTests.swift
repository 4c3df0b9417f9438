import Testing

@testable import ChannelKPI

/// A partner's newest rows and its counts of activity, found in the engine's columns (the store
/// keeps no index by partner): worked out by hand on a few rows.
@Suite struct PartnerRowsTests {
  static func engine(_ records: [FactRecord], keepsKeys: Bool = true) throws -> KPIEngine {
    let e = KPIEngine(
      catalog: try CatalogCompiler.compile(.builtin), keepsKeys: keepsKeys, extraColumns: KPIEngine.activityColumns)
    e.load(records)
    e.finishLoading()
    e.prepareForReads()
    return e
  }

  static let partners = [
    Row.partner("P1", type: "reseller", region: "emea", joined: "2024-01-01"),
    Row.partner("P2", type: "reseller", region: "emea", joined: "2024-01-01"),
  ]

  static func day(_ text: String) throws -> Day { try #require(Day(iso: text)) }

  @Test func newestDealsComeFirstAndAChangedDateMovesARow() throws {
    let e = try Self.engine(
      Self.partners + [
        Row.deal("D1", "P1", created: "2025-03-01", stage: "open", amount: "1"),
        Row.deal("D2", "P1", created: "2025-05-02", stage: "open", amount: "2"),
        Row.deal("D3", "P2", created: "2025-06-01", stage: "open", amount: "3"),
        Row.deal("D4", "P1", created: "2025-05-02", stage: "open", amount: "4"),
        Row.deal("D5", "P1", created: "2025-04-10", stage: "open", amount: "5"),
      ])
    func newest(_ partner: String, _ limit: Int) -> [String]? {
      e.newestKeys(.deals, partner: partner, by: "created_on", limit: limit)?.map { $0.first?.string ?? "?" }
    }
    // D2 and D4 share a day: the one stored later first.
    #expect(newest("P1", 10) == ["D4", "D2", "D5", "D1"])
    #expect(newest("P1", 2) == ["D4", "D2"])
    #expect(newest("P2", 10) == ["D3"])
    #expect(newest("P9", 10) == [])
    #expect(newest("P1", 0) == [])
    // D1 moves to July, and to the top; a new deal of P2 does not reach P1's list.
    _ = e.upsert([
      Row.deal("D1", "P1", created: "2025-07-01", stage: "open", amount: "1"),
      Row.deal("D6", "P2", created: "2025-08-01", stage: "open", amount: "6"),
    ])
    e.prepareForReads()
    #expect(newest("P1", 3) == ["D1", "D4", "D2"])
    #expect(newest("P2", 3) == ["D6", "D3"])
    // Counted by creation day, both ends of the period in.
    func created(_ partner: String, _ from: String, _ to: String) throws -> Int? {
      e.count(.deals, partner: partner, by: "created_on", in: try Self.day(from)...Self.day(to))
    }
    #expect(try created("P1", "2025-04-10", "2025-05-02") == 3)
    #expect(try created("P1", "2025-04-11", "2025-05-01") == 0)
    #expect(try created("P9", "2025-01-01", "2025-12-31") == 0)
  }

  /// A ticket counts on the UTC day it was opened, whatever the offset it was written with.
  @Test func timesCountOnTheirUTCDay() throws {
    let e = try Self.engine(
      Self.partners + [
        // 2025-03-01T01:30Z, 2025-03-31T23:59:59Z and 2025-03-31T23:00Z: March.
        Row.ticket("T1", "P1", opened: "2025-02-28T23:30:00-02:00"),
        Row.ticket("T2", "P1", opened: "2025-03-31T23:59:59Z"),
        Row.ticket("T3", "P1", opened: "2025-04-01T00:00:00+01:00"),
        // 2025-02-28T23:00Z: February; 2025-04-01T00:00Z: April.
        Row.ticket("T4", "P1", opened: "2025-03-01T01:00:00+02:00"),
        Row.ticket("T5", "P1", opened: "2025-04-01T00:00:00Z"),
      ])
    let march = try Self.day("2025-03-01")...Self.day("2025-03-31")
    #expect(e.count(.supportTickets, partner: "P1", by: "opened_at", in: march) == 3)
    #expect(e.count(.supportTickets, partner: "P2", by: "opened_at", in: march) == 0)
    let newest = e.newestKeys(.supportTickets, partner: "P1", by: "opened_at", limit: 2)
    #expect(newest == [[.string("T5")], [.string("T2")]])
  }

  /// Composite keys come back whole, an absent part absent; rows without the date come last.
  @Test func compositeKeysAndRowsWithoutADate() throws {
    let e = try Self.engine(
      Self.partners + [
        Fixture.record(.webTraffic, ["partner_id": "P1", "date": "2025-01-12", "campaign_id": "C1", "visits": "40"]),
        Fixture.record(.webTraffic, ["partner_id": "P1", "date": "2025-01-12", "visits": "7"]),
        Fixture.record(.webTraffic, ["partner_id": "P1", "date": "2025-01-13", "visits": "9"]),
        Fixture.record(.webTraffic, ["partner_id": "P2", "date": "2025-01-14", "visits": "1"]),
        Row.lead("L1", "P1", created: "2025-01-05"),
        Row.lead("L2", "P1", created: "2025-01-06", converted: "2025-01-09"),
        Row.lead("L3", "P1", created: "2025-01-07"),
      ])
    let d12 = try Self.day("2025-01-12")
    let d13 = try Self.day("2025-01-13")
    #expect(
      e.newestKeys(.webTraffic, partner: "P1", by: "date", limit: 5) == [
        [.string("P1"), .day(d13), .absent], [.string("P1"), .day(d12), .absent],
        [.string("P1"), .day(d12), .string("C1")],
      ])
    // Converted on: L2 has one, L1 and L3 none (the later stored first).
    #expect(
      e.newestKeys(.leads, partner: "P1", by: "converted_on", limit: 5) == [
        [.string("L2")], [.string("L3")], [.string("L1")],
      ])
  }

  /// What cannot be answered is nil, not an empty answer: a column that is no date, a table
  /// without partners, an unknown column, and keys a read-only engine does not keep.
  @Test func questionsWithoutAnAnswerAreNil() throws {
    let rows = Self.partners + [Row.deal("D1", "P1", created: "2025-03-01", stage: "open", amount: "1")]
    let e = try Self.engine(rows)
    let year = try Self.day("2025-01-01")...Self.day("2025-12-31")
    #expect(e.newestKeys(.deals, partner: "P1", by: "stage", limit: 5) == nil)
    #expect(e.newestKeys(.deals, partner: "P1", by: "no_such_column", limit: 5) == nil)
    #expect(e.count(.partners, partner: "P1", by: "joined_on", in: year) == nil)
    #expect(e.count(.market, partner: "emea", by: "month", in: year) == nil)
    let readOnly = try Self.engine(rows, keepsKeys: false)
    #expect(readOnly.newestKeys(.deals, partner: "P1", by: "created_on", limit: 5) == nil)
    #expect(readOnly.count(.deals, partner: "P1", by: "created_on", in: year) == 1)
  }
}
