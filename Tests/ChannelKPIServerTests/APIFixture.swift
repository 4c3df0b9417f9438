import ChannelKPI
import ChannelKPIStore

// MARK: - The fixture

/// A small hand-made program: four partners, nine deals in 2025-Q1 and Q2, leads, a campaign,
/// customers, surveys and the rest, with definitions in force from 2024. Every value the tests
/// expect is worked out by hand from these rows (see the comments).
enum Fixture {
  /// After the data, so that no period of the data is under way (no pace).
  static let today = "2025-07-15"

  static let rows: [CanonicalTable: [String]] = [
    // partner_id,name,type,region,country,tier,joined_on,left_on,manager
    .partners: [
      "P1,Alpha,reseller,emea,DE,gold,2024-01-15,,Ann",
      "P2,Beta,reseller,na,US,silver,2024-06-01,,Bob",
      "P3,Gamma,msp,emea,FR,gold,2024-03-01,,Ann",
      "P4,Delta,referral,apac,AU,,2025-01-10,2025-05-01,",
    ],
    // campaign_id,partner_id,name,channel,started_on,ended_on,cost,mdf_amount
    .campaigns: ["C1,P1,Spring push,email,2025-01-10,2025-02-10,1000,400"],
    // deal_id,partner_id,customer_id,source,created_on,registered_on,registration_status,stage,closed_on,amount,product
    // 2025-Q1: P1 wins D1 (10000, Feb) and D2 (5000, Mar), loses D3; P2 wins D4 (8000, Feb), loses D5, D6 is open.
    // 2025-Q2: P3 wins D7 (6000, May); P1 wins D8 (12000, Jun) and loses D9.
    .deals: [
      "D1,P1,K1,sourced,2025-01-05,2025-01-06,approved,won,2025-02-10,10000,Widget",
      "D2,P1,,influenced,2025-01-20,,,won,2025-03-15,5000,",
      "D3,P1,,sourced,2025-02-01,,,lost,2025-03-20,2000,",
      "D4,P2,K2,sourced,2025-01-10,,,won,2025-02-20,8000,",
      "D5,P2,,co_sell,2025-02-15,,,lost,2025-03-01,3000,",
      "D6,P2,,sourced,2025-03-01,,,open,,4000,",
      "D7,P3,,sourced,2025-04-01,,,won,2025-05-10,6000,",
      "D8,P1,,sourced,2025-04-05,,,won,2025-06-01,12000,",
      "D9,P1,,influenced,2025-04-10,,,lost,2025-06-10,1000,",
    ],
    // lead_id,partner_id,campaign_id,created_on,converted_on,deal_id: 2 of the 4 Q1 leads convert.
    .leads: [
      "L1,P1,C1,2025-01-12,2025-01-20,D2", "L2,P1,C1,2025-01-15,,", "L3,P2,,2025-02-01,2025-02-15,D5",
      "L4,P2,,2025-02-03,,",
    ],
    .webTraffic: ["P1,2025-01-12,C1,40"],
    .customers: ["K1,P1,2025-02-10,,smb", "K2,P2,2025-02-20,,mid_market"],
    .surveys: ["R1,P1,K1,2025-02-15,9", "R2,P2,K2,2025-03-01,6"],
    .supportTickets: ["T1,P1,K1,2025-02-03T09:30:00Z,2025-02-03T15:00:00+02:00,4"],
    .certifications: ["X1,P2,E1,sales,2025-01-02,2025-01-30"],
    .market: ["emea,2025-02,1000000"],
  ]

  static var rowCount: Int { rows.values.map(\.count).reduce(0, +) }

  /// The definitions: revenue's baseline is fixed at 20000. Targets for 2025-Q1:
  /// - network revenue: 20000 × 1.1 = 22000 (actual 23000); P1's revenue: 20000 (actual 15000);
  /// - network win rate 0.7 (actual 3/5); resellers' win rate 0.5 (P1: 2/3, P2: 1/2).
  /// P2's revenue target falls back to the network's growth rule: 22000 (actual 8000).
  static let definitions: [String: String] = [
    "program.yaml": """
    objectives:
      - id: grow
        name: Grow revenue
        description: More won business.
        owner: VP Sales
        from: 2025-Q1
        kpis: [revenue, win_rate]
    kpi_settings:
      revenue:
        baseline: 20000
    targets:
      - kpi: revenue
        scope: network
        grain: quarter
        growth: 0.1
      - kpi: revenue
        scope: partner:P1
        grain: quarter
        value: 20000
      - kpi: win_rate
        scope: network
        grain: quarter
        value: 0.7
      - kpi: win_rate
        scope: type:reseller
        grain: quarter
        value: 0.5
    scorecards:
      - id: resellers
        name: Reseller scorecard
        partner_type: reseller
        kpis:
          - {kpi: revenue, weight: 2}
          - win_rate
      - id: program
        name: Program scorecard
        network: true
        kpis: [revenue, win_rate]

    """
  ]

  /// The fixture's records.
  static func records() throws -> [FactRecord] {
    var out: [FactRecord] = []
    for t in CanonicalTable.dependencyOrder {
      for line in rows[t] ?? [] {
        let texts = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.isEmpty ? nil : String($0) }
        switch RecordValidator.validate(t, texts: texts) {
        case .success(let r): out.append(r)
        case .failure(let e): throw APIServerError(description: "\(t.rawValue) \(line): \(e.errors)")
        }
      }
    }
    return out
  }

  /// Facts, definitions (version 1, in force from 2024-01-01) and one import in the history.
  static func seed(_ store: any Store) async throws {
    try await facts(store)
    _ = try ProgramFiles.parse(definitions)
    _ = try await store.addProgramVersion(
      files: definitions, effective: Day(year: 2024, month: 1, day: 1)!, appliedAt: "2025-07-01T08:00:00Z",
      note: "fixture")
  }

  /// The facts and an import record, without definitions.
  static func facts(_ store: any Store) async throws {
    _ = try await store.upsert(try records())
    try await store.recordImport(
      ImportSummary(
        files: ["fixture/partners.csv", "fixture/deals.csv"], rowsRead: rowCount, rowsStored: rowCount,
        rowsRejected: 0, rowsByTable: ["partners": 4, "deals": 9]),
      finishedAt: "2025-07-01T07:00:00Z")
  }

  /// A definitions file with one KPI of its own: revenue of won deals above 6000 (in the
  /// fixture: D1, 10000, and D4, 8000, in 2025-Q1; D8, 12000, in 2025-Q2).
  static let bigRevenueKPI = """
    kpis:
      - id: big_revenue
        name: Big-deal revenue
        unit: money
        formula: sum(deals.amount where stage = 'won' and closed_on in period and amount > 6000)

    """

  /// An empty store: no facts, no definitions.
  static func empty(_ store: any Store) async throws {}
}
