import ChannelKPI
import Testing

/// Short builders for canonical rows, so the fixtures below read like the CSV files they stand for.
enum Row {
  static func partner(
    _ id: String, type: String, region: String, tier: String? = nil, joined: String, left: String? = nil
  ) -> FactRecord {
    var f = ["partner_id": id, "name": "Partner \(id)", "type": type, "region": region, "joined_on": joined]
    f["tier"] = tier
    f["left_on"] = left
    return Fixture.record(.partners, f)
  }

  static func deal(
    _ id: String, _ partner: String, customer: String? = nil, source: String = "sourced", created: String,
    registered: String? = nil, status: String? = nil, stage: String, closed: String? = nil, amount: String
  ) -> FactRecord {
    var f = [
      "deal_id": id, "partner_id": partner, "source": source, "created_on": created, "stage": stage, "amount": amount,
    ]
    f["customer_id"] = customer
    f["registered_on"] = registered
    f["registration_status"] = status
    f["closed_on"] = closed
    return Fixture.record(.deals, f)
  }

  static func customer(_ id: String, _ partner: String, acquired: String, churned: String? = nil) -> FactRecord {
    var f = ["customer_id": id, "partner_id": partner, "acquired_on": acquired]
    f["churned_on"] = churned
    return Fixture.record(.customers, f)
  }

  static func lead(
    _ id: String, _ partner: String, campaign: String? = nil, created: String, converted: String? = nil,
    deal: String? = nil
  ) -> FactRecord {
    var f = ["lead_id": id, "partner_id": partner, "created_on": created]
    f["campaign_id"] = campaign
    f["converted_on"] = converted
    f["deal_id"] = deal
    return Fixture.record(.leads, f)
  }

  static func campaign(_ id: String, _ partner: String, started: String, cost: String, mdf: String? = nil)
    -> FactRecord
  {
    var f = ["campaign_id": id, "partner_id": partner, "name": "Campaign \(id)", "started_on": started, "cost": cost]
    f["mdf_amount"] = mdf
    return Fixture.record(.campaigns, f)
  }

  static func visits(_ partner: String, _ date: String, campaign: String? = nil, _ count: String) -> FactRecord {
    var f = ["partner_id": partner, "date": date, "visits": count]
    f["campaign_id"] = campaign
    return Fixture.record(.webTraffic, f)
  }

  static func survey(_ id: String, _ partner: String, _ date: String, score: String) -> FactRecord {
    Fixture.record(.surveys, ["response_id": id, "partner_id": partner, "responded_on": date, "score": score])
  }

  static func ticket(
    _ id: String, _ partner: String, opened: String, resolved: String? = nil, satisfaction: String? = nil
  ) -> FactRecord {
    var f = ["ticket_id": id, "partner_id": partner, "opened_at": opened]
    f["resolved_at"] = resolved
    f["satisfaction"] = satisfaction
    return Fixture.record(.supportTickets, f)
  }

  static func certification(
    _ id: String, _ partner: String, person: String, program: String, enrolled: String, completed: String? = nil
  ) -> FactRecord {
    var f = [
      "certification_id": id, "partner_id": partner, "person_id": person, "program": program, "enrolled_on": enrolled,
    ]
    f["completed_on"] = completed
    return Fixture.record(.certifications, f)
  }

  static func market(_ region: String, _ month: String, _ revenue: String) -> FactRecord {
    Fixture.record(.market, ["region": region, "month": month, "market_revenue": revenue])
  }
}

/// Checks KPI values of one engine against hand-computed expectations.
struct KPIProbe {
  let engine: KPIEngine

  init(_ records: [FactRecord]) throws {
    engine = try Fixture.engine(records)
  }

  init(engine: KPIEngine) {
    self.engine = engine
  }

  /// Expects `kpi` of `scope` in `period` to be `expected` (nil = no value), within 1e-9 relative.
  func expect(
    _ kpi: String, _ scope: Scope, _ period: String, _ expected: Double?,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let got = try Fixture.value(engine, kpi, scope, period: period)
    #expect(
      close(got, expected),
      "\(kpi) for \(scope) in \(period): expected \(expected.map { "\($0)" } ?? "nil"), got \(got.map { "\($0)" } ?? "nil")",
      sourceLocation: sourceLocation)
  }
}

/// The scopes of the main program, by name.
enum S {
  static let network = Scope.network
  static let p1 = Scope(.partner, "P1")
  static let p2 = Scope(.partner, "P2")
  static let p3 = Scope(.partner, "P3")
  static let p4 = Scope(.partner, "P4")
  static let msp = Scope(.type, "msp")
  static let reseller = Scope(.type, "reseller")
  static let emea = Scope(.region, "emea")
  static let na = Scope(.region, "na")
  static let gold = Scope(.tier, "gold")
  static let silver = Scope(.tier, "silver")
}

/// The main fixture program: four partners, every table filled, mostly in 2025-Q1.
///
/// Partners (scope membership by current values):
/// - P1 reseller / emea / gold,   joined 2024-01-01
/// - P2 msp      / na   / gold,   joined 2024-06-01, left 2025-02-28 (not active on 2025-02-28)
/// - P3 msp      / emea / no tier, joined 2024-03-01
/// - P4 reseller / na   / silver, joined 2025-02-10 (mid-range)
/// Active on end of: 2024-12 {P1,P2,P3}; 2025-01 {P1,P2,P3}; 2025-02, 2025-03, 2025-Q1, 2025 {P1,P3,P4}.
///
/// Deals (cycle = closed_on − created_on in days):
/// | id  | partner | customer | source     | created    | registered         | stage | closed     | amount | cycle |
/// | D0  | P1 | C1 | sourced    | 2024-05-01 | —                     | won  | 2024-06-15 | 250    | 45 |
/// | D1  | P1 | C1 | sourced    | 2024-11-01 | 2024-11-02 approved   | won  | 2025-01-10 | 1000   | 70 |
/// | D2  | P1 | C2 | co_sell    | 2025-01-05 | 2025-01-06 approved   | won  | 2025-02-14 | 500    | 40 |
/// | D3  | P1 | —  | influenced | 2025-02-01 | 2025-02-03 rejected   | lost | 2025-03-31 | 300    |    |
/// | D4  | P1 | C1 | sourced    | 2025-03-01 | 2025-03-02 pending    | open | —          | 2000   |    |
/// | D5  | P2 | C3 | sourced    | 2024-12-01 | —                     | won  | 2025-01-20 | 800    | 50 |
/// | D6  | P2 | C4 | co_sell    | 2025-01-10 | 2025-01-10 approved   | lost | 2025-02-10 | 400    |    |
/// | D7  | P2 | —  | sourced    | 2025-01-15 | 2025-01-15 rejected   | lost | 2025-03-05 | 100.25 |    |
/// | D8  | P3 | C5 | co_sell    | 2025-02-01 | 2025-02-02 approved   | won  | 2025-03-31 | 1200   | 58 |
/// | D9  | P3 | C5 | sourced    | 2025-03-10 | —                     | open | —          | 700    |    |
/// | D10 | P4 | C6 | sourced    | 2025-02-20 | 2025-02-21 approved   | won  | 2025-03-15 | 600    | 23 |
/// | D11 | P4 | —  | sourced    | 2025-03-01 | 2025-03-25 pending    | open | —          | 900    |    |
/// Cycles: D0 2024-05-01→06-15 = 31+14 = 45; D1 2024-11-01→2025-01-10 = 30+31+9 = 70;
/// D2 01-05→02-14 = 31+9 = 40; D5 2024-12-01→2025-01-20 = 31+19 = 50; D8 02-01→03-31 = 28+30 = 58;
/// D10 02-20→03-15 = 9+14 = 23.
///
/// Customers: C1 P1 acq 2024-06-15; C2 P1 acq 2025-02-14; C3 P2 acq 2024-09-01 churn 2025-02-15;
/// C4 P2 acq 2024-10-01 churn 2025-03-31; C5 P3 acq 2025-01-15; C6 P4 acq 2025-03-15;
/// C7 P3 acq 2024-01-10 churn 2024-12-31; C8 P1 acq 2024-12-31 churn 2025-04-10; C9 P1 acq 2023-05-01;
/// C10 P2 acq 2023-01-01 churn 2024-08-01.
enum MainProgram {
  static var records: [FactRecord] {
    partners + deals + customers + leads + campaigns + traffic + surveys + tickets + certifications + market
  }

  static let partners = [
    Row.partner("P1", type: "reseller", region: "emea", tier: "gold", joined: "2024-01-01"),
    Row.partner("P2", type: "msp", region: "na", tier: "gold", joined: "2024-06-01", left: "2025-02-28"),
    Row.partner("P3", type: "msp", region: "emea", joined: "2024-03-01"),
    Row.partner("P4", type: "reseller", region: "na", tier: "silver", joined: "2025-02-10"),
  ]

  static let deals = [
    Row.deal("D0", "P1", customer: "C1", created: "2024-05-01", stage: "won", closed: "2024-06-15", amount: "250"),
    Row.deal(
      "D1", "P1", customer: "C1", created: "2024-11-01", registered: "2024-11-02", status: "approved", stage: "won",
      closed: "2025-01-10", amount: "1000"),
    Row.deal(
      "D2", "P1", customer: "C2", source: "co_sell", created: "2025-01-05", registered: "2025-01-06",
      status: "approved", stage: "won", closed: "2025-02-14", amount: "500"),
    Row.deal(
      "D3", "P1", source: "influenced", created: "2025-02-01", registered: "2025-02-03", status: "rejected",
      stage: "lost", closed: "2025-03-31", amount: "300"),
    Row.deal(
      "D4", "P1", customer: "C1", created: "2025-03-01", registered: "2025-03-02", status: "pending", stage: "open",
      amount: "2000"),
    Row.deal("D5", "P2", customer: "C3", created: "2024-12-01", stage: "won", closed: "2025-01-20", amount: "800"),
    Row.deal(
      "D6", "P2", customer: "C4", source: "co_sell", created: "2025-01-10", registered: "2025-01-10",
      status: "approved", stage: "lost", closed: "2025-02-10", amount: "400"),
    Row.deal(
      "D7", "P2", created: "2025-01-15", registered: "2025-01-15", status: "rejected", stage: "lost",
      closed: "2025-03-05", amount: "100.25"),
    Row.deal(
      "D8", "P3", customer: "C5", source: "co_sell", created: "2025-02-01", registered: "2025-02-02",
      status: "approved", stage: "won", closed: "2025-03-31", amount: "1200"),
    Row.deal("D9", "P3", customer: "C5", created: "2025-03-10", stage: "open", amount: "700"),
    Row.deal(
      "D10", "P4", customer: "C6", created: "2025-02-20", registered: "2025-02-21", status: "approved", stage: "won",
      closed: "2025-03-15", amount: "600"),
    Row.deal(
      "D11", "P4", created: "2025-03-01", registered: "2025-03-25", status: "pending", stage: "open", amount: "900"),
  ]

  static let customers = [
    Row.customer("C1", "P1", acquired: "2024-06-15"),
    Row.customer("C2", "P1", acquired: "2025-02-14"),
    Row.customer("C3", "P2", acquired: "2024-09-01", churned: "2025-02-15"),
    Row.customer("C4", "P2", acquired: "2024-10-01", churned: "2025-03-31"),
    Row.customer("C5", "P3", acquired: "2025-01-15"),
    Row.customer("C6", "P4", acquired: "2025-03-15"),
    Row.customer("C7", "P3", acquired: "2024-01-10", churned: "2024-12-31"),
    Row.customer("C8", "P1", acquired: "2024-12-31", churned: "2025-04-10"),
    Row.customer("C9", "P1", acquired: "2023-05-01"),
    Row.customer("C10", "P2", acquired: "2023-01-01", churned: "2024-08-01"),
  ]

  /// L2 is converted after Q1; L3 names a deal but has no converted_on; L5 is P1's campaign lead naming
  /// P3's deal D8, which L6 (P3's campaign lead) names too; L7 names D10 but has no campaign.
  static let leads = [
    Row.lead("L1", "P1", campaign: "K1", created: "2025-01-05", converted: "2025-01-05", deal: "D2"),
    Row.lead("L2", "P1", campaign: "K1", created: "2025-01-20", converted: "2025-04-02", deal: "D4"),
    Row.lead("L3", "P1", created: "2025-02-10", deal: "D3"),
    Row.lead("L4", "P2", campaign: "K2", created: "2025-01-08", converted: "2025-01-10", deal: "D6"),
    Row.lead("L5", "P1", campaign: "K1", created: "2025-02-01", converted: "2025-02-01", deal: "D8"),
    Row.lead("L6", "P3", campaign: "K3", created: "2025-02-02", converted: "2025-02-02", deal: "D8"),
    Row.lead("L7", "P4", created: "2025-02-20", converted: "2025-02-20", deal: "D10"),
    Row.lead("L8", "P3", created: "2025-03-20"),
    Row.lead("L9", "P2", campaign: "K2", created: "2024-11-20", converted: "2024-12-01", deal: "D5"),
  ]

  static let campaigns = [
    Row.campaign("K1", "P1", started: "2025-01-02", cost: "1000", mdf: "500"),
    Row.campaign("K2", "P2", started: "2024-11-01", cost: "300"),
    Row.campaign("K3", "P3", started: "2025-02-01", cost: "2000"),
    Row.campaign("K4", "P4", started: "2025-03-01", cost: "400"),
  ]

  static let traffic = [
    Row.visits("P1", "2025-01-15", "100"),
    Row.visits("P1", "2025-01-15", campaign: "K1", "50"),
    Row.visits("P2", "2025-02-01", "200"),
    Row.visits("P3", "2025-03-31", "40"),
    Row.visits("P4", "2025-02-28", "10"),
    Row.visits("P3", "2024-12-31", "1000"),
  ]

  /// Promoters (≥ 9): S1, S2, S7; detractors (≤ 6): S3, S5; passives: S4, S6.
  static let surveys = [
    Row.survey("S1", "P1", "2025-01-10", score: "10"),
    Row.survey("S2", "P1", "2025-02-10", score: "9"),
    Row.survey("S3", "P1", "2025-02-20", score: "6"),
    Row.survey("S4", "P2", "2025-01-15", score: "7"),
    Row.survey("S5", "P2", "2025-02-15", score: "0"),
    Row.survey("S6", "P3", "2025-03-01", score: "8"),
    Row.survey("S7", "P4", "2025-03-20", score: "9"),
  ]

  /// UTC instants and durations:
  /// - T1 P1 01-31T20:00-05:00 = 02-01T01:00Z → 01-31T23:00-05:00 = 02-01T04:00Z: 3 h, UTC Feb (local Jan), sat 4
  /// - T2 P3 03-01T00:30+02:00 = 02-28T22:30Z → 03-01T01:30+02:00 = 02-28T23:30Z: 1 h, UTC Feb (local Mar), sat 2
  /// - T3 P2 01-10T08:00Z → 01-11T20:00Z: 36 h, Jan, no satisfaction
  /// - T4 P4 03-20T10:00Z → 03-20T16:30Z: 6.5 h, Mar, sat 5
  /// - T5 P1 opened 03-30, never resolved
  /// - T6 P3 03-31T22:00Z → 04-01T02:00+03:00 = 03-31T23:00Z: 1 h, UTC Mar (local Apr), sat 3
  /// - T7 P1 2024-12-31T23:00Z → 2025-01-01T00:30+01:00 = 2024-12-31T23:30Z: 0.5 h, UTC 2024-12, sat 1
  /// - T8 P2 01-20T22:00-05:00 = 01-21T03:00Z → 01-21T07:00+02:00 = 01-21T05:00Z: 2 h, Jan, no satisfaction
  static let tickets = [
    Row.ticket(
      "T1", "P1", opened: "2025-01-31T20:00:00-05:00", resolved: "2025-01-31T23:00:00-05:00", satisfaction: "4"),
    Row.ticket(
      "T2", "P3", opened: "2025-03-01T00:30:00+02:00", resolved: "2025-03-01T01:30:00+02:00", satisfaction: "2"),
    Row.ticket("T3", "P2", opened: "2025-01-10T08:00:00Z", resolved: "2025-01-11T20:00:00Z"),
    Row.ticket("T4", "P4", opened: "2025-03-20T10:00:00Z", resolved: "2025-03-20T16:30:00Z", satisfaction: "5"),
    Row.ticket("T5", "P1", opened: "2025-03-30T12:00:00Z"),
    Row.ticket("T6", "P3", opened: "2025-03-31T22:00:00Z", resolved: "2025-04-01T02:00:00+03:00", satisfaction: "3"),
    Row.ticket("T7", "P1", opened: "2024-12-31T23:00:00Z", resolved: "2025-01-01T00:30:00+01:00", satisfaction: "1"),
    Row.ticket("T8", "P2", opened: "2025-01-20T22:00:00-05:00", resolved: "2025-01-21T07:00:00+02:00"),
  ]

  /// Sales-certified: P1 since 2024-06-01, P3 since 2025-02-28; P2 only technical (its sales one unfinished);
  /// P4 sales unfinished, technical done.
  static let certifications = [
    Row.certification("CE1", "P1", person: "A", program: "sales", enrolled: "2024-05-01", completed: "2024-06-01"),
    Row.certification("CE2", "P2", person: "B", program: "technical", enrolled: "2024-07-01", completed: "2024-08-01"),
    Row.certification("CE3", "P3", person: "C", program: "sales", enrolled: "2025-01-05", completed: "2025-02-28"),
    Row.certification("CE4", "P4", person: "D", program: "sales", enrolled: "2025-02-15"),
    Row.certification("CE5", "P2", person: "E", program: "sales", enrolled: "2025-01-01"),
    Row.certification("CE6", "P4", person: "F", program: "technical", enrolled: "2025-02-15", completed: "2025-03-01"),
  ]

  /// emea Q1 = 10000 + 10000 + 20000 = 40000; na Q1 = 5000 + 5000 + 10000 = 20000; latam has no partner.
  static let market = [
    Row.market("emea", "2025-01", "10000"),
    Row.market("emea", "2025-02", "10000"),
    Row.market("emea", "2025-03", "20000"),
    Row.market("na", "2025-01", "5000"),
    Row.market("na", "2025-02", "5000"),
    Row.market("na", "2025-03", "10000"),
    Row.market("latam", "2025-01", "99999"),
  ]
}
