import Foundation
import Testing

/// The whole incentive flow from the command line on a program small enough to work out by hand:
/// a ladder (bronze; silver at 1,000 revenue a quarter; gold at 2,000), a marginal rebate with a
/// gold bonus, a spiff and MDF, from apply to approval, adjustment, what-if and `tiers apply`.
@Suite struct IncentiveCLITests {
  static let partners = """
    partner_id,name,type,region,tier,joined_on
    P1,Acme,reseller,emea,gold,2024-01-01
    P2,Beta,msp,emea,,2024-01-01
    """

  static let deals = """
    deal_id,partner_id,source,created_on,stage,closed_on,amount,product
    D1,P1,sourced,2024-01-20,won,2024-02-10,1500,Core
    D2,P1,sourced,2024-04-02,won,2024-05-10,600,Core
    D3,P1,sourced,2024-04-03,lost,2024-05-20,100,Core
    D4,P1,sourced,2024-06-01,won,2024-08-05,2500,Edge
    D5,P2,sourced,2024-02-01,won,2024-03-01,400,Core
    D6,P2,sourced,2024-05-01,won,2024-07-01,1200,Edge
    """

  static let campaigns = """
    campaign_id,partner_id,name,started_on,cost,mdf_amount
    C1,P1,Summer,2024-07-15,1000,50
    """

  static let tiers = """
    tiers:
      evaluate: quarter
      window: 1
      demotion_grace: 2
      starts: 2024-01-01
      levels:
        - id: bronze
        - id: silver
          requires:
            - {kpi: revenue, min: 1000}
        - id: gold
          requires:
            - {kpi: revenue, min: 2000}
    """

  static let incentives = """
    incentives:
      - id: rebate
        kind: rebate
        period: quarter
        brackets:
          - {from: 0, rate: 0.1}
          - {from: 1000, rate: 0.2}
        rate_by_tier: {gold: 0.05}
      - id: spiff
        kind: spiff
        period: month
        deals: {product: [Edge]}
        per_deal: 100
        cap: 150
      - id: mdf
        kind: mdf
        period: quarter
        accrual_rate: 0.1
        expires_after: 1
    """

  static let today = ["--today", "2024-12-15"]

  /// A directory with the data imported and the definitions applied.
  static func prepared() throws -> URL {
    let dir = try CLI.temporaryDirectory()
    let data = dir.appendingPathComponent("data")
    let defs = dir.appendingPathComponent("defs")
    try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: defs, withIntermediateDirectories: true)
    try (partners + "\n").write(to: data.appendingPathComponent("partners.csv"), atomically: true, encoding: .utf8)
    try (deals + "\n").write(to: data.appendingPathComponent("deals.csv"), atomically: true, encoding: .utf8)
    try (campaigns + "\n").write(to: data.appendingPathComponent("campaigns.csv"), atomically: true, encoding: .utf8)
    try tiers.write(to: defs.appendingPathComponent("tiers.yaml"), atomically: true, encoding: .utf8)
    try incentives.write(to: defs.appendingPathComponent("incentives.yaml"), atomically: true, encoding: .utf8)
    try ok(["import", "data"], in: dir)
    try ok(["program", "apply", "defs", "--effective", "2024-01-01"], in: dir)
    return dir
  }

  @discardableResult
  static func ok(_ args: [String], in dir: URL, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    let r = try CLI.run(args, in: dir)
    #expect(r.status == 0, "\(args.joined(separator: " ")): \(r.stderr)", sourceLocation: sourceLocation)
    return r.stdout
  }

  /// P1 starts gold: 1,500 in Q1 qualifies silver (at risk), 600 in Q2 bronze (demoted straight to
  /// bronze after the second miss), 2,500 in Q3 gold (promoted over silver). P2 has no tier
  /// attribute, so bronze: 400, 0, then 1,200 (silver). Q4 has not ended on 2024-12-15.
  static let history = """
    partner,period,held,qualified,level,change,misses
    P1,2024-Q1,gold,silver,gold,at_risk,1
    P1,2024-Q2,gold,bronze,bronze,demoted,0
    P1,2024-Q3,bronze,gold,gold,promoted,0
    P2,2024-Q1,bronze,bronze,bronze,held,0
    P2,2024-Q2,bronze,bronze,bronze,held,0
    P2,2024-Q3,bronze,silver,silver,promoted,0

    """

  /// Tiers held during a quarter are the previous evaluation's: P1 gold in Q1 and Q2 (+0.05),
  /// bronze in Q3. Rebates: P1 Q1 1,000 × 0.15 + 500 × 0.25; Q2 600 × 0.15; Q3 1,000 × 0.1 +
  /// 1,500 × 0.2; P2 Q1 400 × 0.1, Q3 100 + 200 × 0.2. Spiff: one Edge deal each, 100.
  static let statements = """
    partner,period,plan,kind,line,basis,rate,amount
    P1,2024-Q1,rebate,rebate,bracket 0-1000,1000,0.15,150.00
    P1,2024-Q1,rebate,rebate,bracket 1000+,500,0.25,125.00
    P1,2024-Q2,rebate,rebate,bracket 0-1000,600,0.15,90.00
    P1,2024-Q3,rebate,rebate,bracket 0-1000,1000,0.1,100.00
    P1,2024-Q3,rebate,rebate,bracket 1000+,1500,0.2,300.00
    P1,2024-08,spiff,spiff,D4,2500,,100.00
    P2,2024-Q1,rebate,rebate,bracket 0-1000,400,0.1,40.00
    P2,2024-07,spiff,spiff,D6,1200,,100.00
    P2,2024-Q3,rebate,rebate,bracket 0-1000,1000,0.1,100.00
    P2,2024-Q3,rebate,rebate,bracket 1000+,200,0.2,40.00

    """

  /// Accruals of 10% at each quarter's end; a credit unused one quarter later expires. P1's claim
  /// of 50 in Q3 draws on Q2's 60 (Q1's 150 expired at the end of Q2), and the 10 left expires at
  /// the end of Q3.
  static let funds = """
    plan,partner,period,opening,accrued,claimed,unfunded,expired,closing
    mdf,P1,2024-Q1,0.00,150.00,0.00,0.00,0.00,150.00
    mdf,P1,2024-Q2,150.00,60.00,0.00,0.00,150.00,60.00
    mdf,P1,2024-Q3,60.00,250.00,50.00,0.00,10.00,250.00
    mdf,P2,2024-Q1,0.00,40.00,0.00,0.00,0.00,40.00
    mdf,P2,2024-Q2,40.00,0.00,0.00,0.00,40.00,0.00
    mdf,P2,2024-Q3,0.00,120.00,0.00,0.00,0.00,120.00

    """

  @Test func tiersStatementsAndFundsAsWorkedOutByHand() throws {
    let dir = try Self.prepared()
    defer { try? FileManager.default.removeItem(at: dir) }
    #expect(try Self.ok(["tiers", "history", "--format", "csv"] + Self.today, in: dir) == Self.history)
    #expect(
      try Self.ok(["statements", "--from", "2024-01", "--to", "2024-12", "--format", "csv"] + Self.today, in: dir)
        == Self.statements)
    #expect(try Self.ok(["mdf", "--format", "csv"] + Self.today, in: dir) == Self.funds)
    let partner = try Self.ok(["tiers", "--partner", "P2"] + Self.today, in: dir)
    #expect(partner.contains("Partner P2: silver now."))
    #expect(partner.contains("To reach gold"))
    #expect(partner.contains("revenue ≥ 2,000.00"))
  }

  @Test func approvalFreezesAndALaterChangeBecomesAnAdjustment() throws {
    let dir = try Self.prepared()
    defer { try? FileManager.default.removeItem(at: dir) }
    let approved = try Self.ok(
      ["statements", "approve", "--period", "2024-Q3", "--partner", "P1", "--by", "Dana Reyes"] + Self.today, in: dir)
    #expect(approved.contains("Approved 1 statement of 2024-Q3 (total 400.00) as Dana Reyes"))
    // Twice is refused, and so is a period that has not ended.
    let again = try CLI.run(
      ["statements", "approve", "--period", "2024-Q3", "--partner", "P1", "--by", "Dana Reyes"] + Self.today, in: dir)
    #expect(again.status != 0 && again.stderr.contains("already approved"))
    let early = try CLI.run(
      ["statements", "approve", "--period", "2024-Q4", "--by", "Dana Reyes"] + Self.today, in: dir)
    #expect(early.status != 0 && early.stderr.contains("has not ended"))

    // D4 was 3,000, not 2,500: Q3's rebate is now 100 + 2,000 × 0.2 = 500, 100 more than approved.
    let fix = dir.appendingPathComponent("fix")
    try FileManager.default.createDirectory(at: fix, withIntermediateDirectories: true)
    try
      "deal_id,partner_id,source,created_on,stage,closed_on,amount,product\nD4,P1,sourced,2024-06-01,won,2024-08-05,3000,Edge\n"
      .write(to: fix.appendingPathComponent("deals.csv"), atomically: true, encoding: .utf8)
    try Self.ok(["import", "fix"], in: dir)
    let csv = try Self.ok(
      ["statements", "--partner", "P1", "--from", "2024-Q3", "--to", "2024-Q4", "--format", "csv"] + Self.today, in: dir
    )
    #expect(
      csv == """
        partner,period,plan,kind,line,basis,rate,amount
        P1,2024-Q3,rebate,rebate,bracket 0-1000,1000,0.1,100.00
        P1,2024-Q3,rebate,rebate,bracket 1000+,1500,0.2,300.00
        P1,2024-08,spiff,spiff,D4,3000,,100.00
        P1,2024-Q4,rebate,rebate,adjustment 2024-Q3,,,100.00

        """)
    let finance = try Self.ok(["statements", "approved", "--format", "csv"], in: dir)
    #expect(
      finance.hasPrefix("partner,period,plan,amount,approved_by,approved_at\nP1,2024-Q3,rebate,400.00,Dana Reyes,"))
  }

  @Test func whatIfOfAStricterLadderMovesP2() throws {
    let dir = try Self.prepared()
    defer { try? FileManager.default.removeItem(at: dir) }
    let draft = dir.appendingPathComponent("draft")
    try FileManager.default.createDirectory(at: draft, withIntermediateDirectories: true)
    try Self.tiers.replacingOccurrences(of: "min: 1000", with: "min: 1600").write(
      to: draft.appendingPathComponent("tiers.yaml"), atomically: true, encoding: .utf8)
    let out = try Self.ok(
      ["whatif", "draft", "--from", "2024-Q1", "--to", "2024-Q4", "--format", "json"] + Self.today, in: dir)
    let doc = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    let moves = try #require(doc["moves"] as? [[String: Any]])
    #expect(moves.count == 1)
    #expect(moves.first?["partner"] as? String == "P2" && moves.first?["period"] as? String == "2024-Q3")
    #expect(moves.first?["current"] as? String == "silver" && moves.first?["draft"] as? String == "bronze")
    #expect(moves.first?["why"] as? String == "under the draft, silver needs revenue ≥ 1,600.00 (is 1,200.00)")
    let table = try Self.ok(["whatif", "draft", "--from", "2024-Q1", "--to", "2024-Q4"] + Self.today, in: dir)
    #expect(
      table.contains(
        "gold      1 → 1    0 → 0    1 → 1\nsilver    0 → 0    0 → 0    1 → 0\nbronze    1 → 1    2 → 2    0 → 1"))
    // P2 holds bronze in Q4 under the draft, so its estimate is the same (no Q4 revenue): payouts
    // through Q3 do not depend on Q3's evaluation.
    let payouts = try Self.ok(
      ["whatif", "draft", "--from", "2024-Q1", "--to", "2024-Q3", "--format", "csv"] + Self.today, in: dir)
    #expect(payouts.contains("2024-Q3,rebate,540.00,540.00,0.00,"))
    // Nothing was stored: the history is the same.
    #expect(try Self.ok(["tiers", "history", "--format", "csv"] + Self.today, in: dir) == Self.history)
  }

  @Test func tiersApplyWritesLevelsWithoutRewritingHistory() throws {
    let dir = try Self.prepared()
    defer { try? FileManager.default.removeItem(at: dir) }
    let applied = try Self.ok(["tiers", "apply"] + Self.today, in: dir)
    #expect(applied.contains("P2") && applied.contains("promoted to silver at the evaluation of 2024-Q3"))
    #expect(applied.contains("Wrote the tier attribute of 1 partner."))
    // P2's attribute is now silver, but its history still starts from the recorded attribute.
    #expect(try Self.ok(["tiers", "history", "--format", "csv"] + Self.today, in: dir) == Self.history)
    #expect(
      try Self.ok(
        ["compute", "--kpi", "revenue", "--by", "tier", "--window", "2024-07:2024-09", "--format", "csv"], in: dir)
        == "kpi,scope,period,value\nrevenue,tier:gold,2024-07:2024-09,2500\nrevenue,tier:silver,2024-07:2024-09,1200\n")
  }

  @Test func anOverrideReplacesTheEvaluationThatTakesEffectInsideIt() throws {
    let dir = try Self.prepared()
    defer { try? FileManager.default.removeItem(at: dir) }
    let bad = try CLI.run(
      [
        "tiers", "override", "--partner", "P2", "--level", "platinum", "--until", "2024-12-31", "--reason", "x", "--by",
        "D",
      ]
        + Self.today, in: dir)
    #expect(bad.status != 0 && bad.stderr.contains("'platinum' is not a level of the ladder (bronze, silver, gold)"))
    try Self.ok(
      [
        "tiers", "override", "--partner", "P2", "--level", "gold", "--from", "2024-10-01", "--until", "2024-12-31",
        "--reason", "new security practice", "--by", "Dana Reyes",
      ] + Self.today, in: dir)
    // The 2024-Q3 evaluation takes effect on 2024-10-01, inside the override: gold instead of silver.
    let history = try Self.ok(["tiers", "history", "--partner", "P2", "--format", "csv"] + Self.today, in: dir)
    #expect(history.hasSuffix("P2,2024-Q3,bronze,silver,gold,promoted,0\n"))
    let show = try Self.ok(["tiers", "--partner", "P2"] + Self.today, in: dir)
    #expect(show.contains("Partner P2: gold now."))
    #expect(show.contains("override by Dana Reyes: new security practice"))
    #expect(
      try Self.ok(["tiers", "overrides"], in: dir).contains("P2       gold   2024-10-01  2024-12-31  Dana Reyes"))
  }

  @Test func aLadderThatCannotBeEvaluatedIsRefusedWithItsPlace() throws {
    let dir = try Self.prepared()
    defer { try? FileManager.default.removeItem(at: dir) }
    let bad = dir.appendingPathComponent("bad")
    try FileManager.default.createDirectory(at: bad, withIntermediateDirectories: true)
    let text = Self.tiers.replacingOccurrences(of: "demotion_grace: 2", with: "demotion_grace: 0")
      .replacingOccurrences(of: "kpi: revenue, min: 2000", with: "kpi: revenu, min: 2000")
    try text.write(to: bad.appendingPathComponent("tiers.yaml"), atomically: true, encoding: .utf8)
    let r = try CLI.run(["program", "apply", "bad"], in: dir)
    #expect(r.status != 0)
    #expect(r.stderr.contains("bad/tiers.yaml:4:19: 'demotion_grace' must be at least 1"))
    #expect(r.stderr.contains("bad/tiers.yaml:13:17: unknown KPI 'revenu'; did you mean 'revenue'?"))
    #expect(r.stderr.contains("Nothing was applied."))
    #expect(try Self.ok(["program", "versions"], in: dir).contains("v1 ") == true)
    #expect(!(try Self.ok(["program", "versions"], in: dir).contains("v2 ")))
  }
}
