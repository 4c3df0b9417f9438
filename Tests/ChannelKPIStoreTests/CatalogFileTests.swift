import ChannelKPI
import ChannelKPIStore
import Foundation
import Testing

/// The errors of compiling one YAML catalog over the built-in one.
private func errors(_ yaml: String, file: String = "my-kpis.yaml", sourceLocation: SourceLocation = #_sourceLocation)
  -> [DefinitionFileError]
{
  do {
    _ = try CatalogFile.compile(files: [(path: file, yaml: yaml)])
    Issue.record("the catalog compiled", sourceLocation: sourceLocation)
    return []
  } catch {
    return error.errors
  }
}

/// Expects an error whose message contains `message`, at the place of `needle` in the YAML.
private func expectError(
  _ yaml: String, at needle: String, occurrence: Int = 1, columnOffset: Int = 0, _ message: String,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  expectPlacedError(
    errors(yaml, sourceLocation: sourceLocation), in: "my-kpis.yaml", text: yaml, at: needle, occurrence: occurrence,
    columnOffset: columnOffset, message, sourceLocation: sourceLocation)
}

/// Facts for checking catalog values: partner P1 (reseller) with deals in 2025-Q1 and a market.
private func fixtureRecords() throws -> [FactRecord] {
  func rec(_ t: CanonicalTable, _ fields: [String: String]) throws -> FactRecord {
    let texts = t.schema.columns.map { fields[$0.name] }
    return try RecordValidator.validate(t, texts: texts).get()
  }
  let deal = { (id: String, stage: String, closed: String?, amount: String) throws -> FactRecord in
    var f = ["deal_id": id, "partner_id": "P1", "source": "sourced", "created_on": "2025-01-02", "stage": stage]
    f["closed_on"] = closed
    f["amount"] = amount
    return try rec(.deals, f)
  }
  return [
    try rec(
      .partners, ["partner_id": "P1", "name": "A", "type": "reseller", "region": "emea", "joined_on": "2024-01-01"]),
    try deal("D1", "won", "2025-02-03", "500"),
    try deal("D2", "won", "2025-02-10", "2000"),
    try deal("D3", "lost", "2025-03-01", "300"),
    try deal("D4", "open", nil, "900"),
    try rec(.market, ["region": "emea", "month": "2025-02", "market_revenue": "28000"]),
  ]
}

private func value(_ e: KPIEngine, _ kpi: String, period: String) throws -> Double? {
  let p = try #require(Period(period))
  let r = try e.compute(ComputeRequest(kpis: [kpi], by: .network, grain: p.grain, from: p, to: p))
  return r.value(kpi: 0, scope: 0, period: 0)
}

@Suite struct CatalogFileTests {
  static let valid = """
    partner_facts:
      - name: first_big_win_on
        description: The day the partner's first deal over 1000 was won.
        formula: min(deals.closed_on where stage = 'won' and amount > 1000)
    kpis:
      - id: big_revenue
        name: Big-deal revenue
        family: partner_performance
        unit: money
        better: higher
        stages: [sell, accelerate]
        description: Revenue from deals over 1000.
        formula: sum(deals.amount where stage = 'won' and closed_on in period and amount > 1000)
      - id: big_winners
        name: Partners with a first big win
        unit: count
        formula: count(partners where first_big_win_on in period)
      - id: revenue
        name: Closed revenue
        unit: money
        better: lower
        stages: [sell]
        formula: |
          sum(deals.amount where stage = 'won' and closed_on in period)
          + sum(deals.amount where stage = 'lost' and closed_on in period)
    """

  @Test func validCatalogAddsAndOverridesKPIs() throws {
    let compiled = try CatalogFile.compile(files: [(path: "my-kpis.yaml", yaml: Self.valid)])
    #expect(compiled.kpis.count == 29)
    let big = try #require(compiled.catalog.kpi("big_revenue"))
    #expect(big.name == "Big-deal revenue")
    #expect(big.family == "partner_performance")
    #expect(big.unit == .money)
    #expect(big.better == .higher)
    #expect(big.stages == [.sell, .accelerate])
    #expect(big.description == "Revenue from deals over 1000.")
    let winners = try #require(compiled.catalog.kpi("big_winners"))
    #expect(winners.family == "custom")
    #expect(winners.better == .higher)
    #expect(winners.stages == [])
    let revenue = try #require(compiled.catalog.kpi("revenue"))
    #expect(revenue.name == "Closed revenue")
    #expect(revenue.better == .lower)
    #expect(compiled.catalog.kpis.filter { $0.id == "revenue" }.count == 1)
    #expect(compiled.catalog.partnerFacts.contains { $0.name == "first_big_win_on" })

    let e = KPIEngine(catalog: compiled)
    e.load(try fixtureRecords())
    e.finishLoading()
    #expect(try value(e, "big_revenue", period: "2025-Q1") == 2000)
    #expect(try value(e, "big_winners", period: "2025-02") == 1)
    #expect(try value(e, "big_winners", period: "2025-03") == 0)
    #expect(try value(e, "revenue", period: "2025-Q1") == 2800)
    // Built-ins that use revenue see the override; others are unchanged.
    #expect(try value(e, "market_share", period: "2025-02") == 2500.0 / 28000)
    #expect(try value(e, "avg_deal_size", period: "2025-Q1") == 1250)
    #expect(try value(e, "win_rate", period: "2025-Q1") == 2.0 / 3)

    let builtin = KPIEngine(catalog: try CatalogCompiler.compile(.builtin))
    builtin.load(try fixtureRecords())
    builtin.finishLoading()
    #expect(try value(builtin, "revenue", period: "2025-Q1") == 2500)
  }

  @Test func catalogFilesAreReadFromPaths() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("channelkpi-catalog-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let good = dir.appendingPathComponent("good.yaml").path
    let bad = dir.appendingPathComponent("bad.yaml").path
    try Self.valid.write(toFile: good, atomically: true, encoding: .utf8)
    try "kpis:\n  - id: x\n    name: X\n    formula: revenu\n".write(toFile: bad, atomically: true, encoding: .utf8)
    let compiled = try CatalogFile.compile(paths: [good])
    #expect(compiled.catalog.kpi("big_revenue") != nil)
    do {
      _ = try CatalogFile.compile(paths: [good, bad])
      Issue.record("the bad catalog compiled")
    } catch let e as DefinitionFileErrors {
      #expect(e.errors.count == 1)
      #expect(
        e.errors.first?.description
          == "\(bad):4:14: KPI 'x' (formula): unknown name 'revenu': not a KPI id, a let name, or a function; did you mean 'revenue'?"
      )
    }
  }

  // MARK: Formula errors at their place in the file

  @Test func unknownFieldInAPlainFormula() {
    let yaml = """
      kpis:
        - id: big_revenue
          name: Big revenue
          unit: money
          formula: sum(deals.amount where stage = 'won' and closed_on in period and amout > 50000)
      """
    expectError(yaml, at: "amout", "KPI 'big_revenue' (formula): deals has no field 'amout'")
  }

  @Test func aSetWhoseConditionReadsAnotherSetIsRefused() {
    let yaml = """
      kpis:
        - id: enterprise_leads
          name: Leads of enterprise deals
          formula: count(leads where deal_id in (deals.deal_id where customer_id in (customers.customer_id where segment = 'enterprise')))
      """
    expectError(yaml, at: "customer_id in", "a set's condition cannot look ids up in another set")
  }

  @Test func errorOnTheSecondLineOfALiteralBlock() {
    let yaml = """
      kpis:
        - id: won_share
          name: Won share
          formula: |
            count(deals where stage = 'won' and closed_on in period)
            / count(deals where stge = 'won' and closed_on in period)
      """
    expectError(yaml, at: "stge", "deals has no field 'stge'")
  }

  @Test func errorOnAMoreIndentedSecondLineOfALiteralBlock() {
    let yaml = """
      kpis:
        - id: won_share
          name: Won share
          formula: |
            count(deals where stage = 'won' and closed_on in period)
              / count(deals where stge = 'won' and closed_on in period)
      """
    expectError(yaml, at: "stge", "deals has no field 'stge'")
  }

  @Test func errorInADoubleQuotedFormula() {
    let yaml = """
      kpis:
        - id: won_share
          name: Won share
          formula: "count(deals where stage = 'won' and closed_on in period) / count(deals where stge = 'won')"
      """
    expectError(yaml, at: "stge", "deals has no field 'stge'")
  }

  @Test func errorInAFoldedMultiLinePlainFormula() {
    let yaml = """
      kpis:
        - id: won_share
          name: Won share
          formula: count(deals where stage = 'won' and closed_on in period)
            / count(deals where stage = 'won' and closed_on in period and amout > 0)
            * 100
      """
    expectError(yaml, at: "amout", "deals has no field 'amout'")
  }

  @Test func errorInALetFormula() {
    let yaml = """
      kpis:
        - id: won_share
          name: Won share
          let:
            won: count(deals where stage = 'won' and closed_on in period)
            closed: count(deals where stage in ('won', 'lost') and closed_in in period)
          formula: won / closed
      """
    expectError(yaml, at: "closed_in", "KPI 'won_share' (let closed): deals has no field 'closed_in'")
  }

  @Test func errorInAPartnerFact() {
    let yaml = """
      partner_facts:
        - name: last_lost_on
          formula: max(deals.closed_on where stage = 'lots')
      kpis: []
      """
    // The compiler places a bad literal at the comparison it is in.
    expectError(yaml, at: "stage = 'lots'", "partner fact 'last_lost_on': 'lots' is not a possible value here")
  }

  @Test func unknownKPIReferenceSuggestsAName() {
    let yaml = """
      kpis:
        - id: revenue_share
          name: Revenue share
          formula: sourced_revenue / revenu
      """
    expectError(yaml, at: "/ revenu", columnOffset: 2, "unknown name 'revenu'")
    let e = errors(yaml).first
    #expect(e?.message.contains("did you mean 'revenue'?") == true, "\(String(describing: e))")
  }

  @Test func cycleBetweenTwoKPIs() {
    let yaml = """
      kpis:
        - id: ping
          name: Ping
          formula: 1 + pong
        - id: pong
          name: Pong
          formula: 2 * ping
      """
    let errs = errors(yaml)
    #expect(!errs.isEmpty)
    #expect(errs.allSatisfy { $0.message.contains("refers to itself") }, "\(errs.map(\.description))")
    let ping = errs.first { $0.message.hasPrefix("KPI 'ping'") }
    let pong = errs.first { $0.message.hasPrefix("KPI 'pong'") }
    #expect(ping?.message.contains("ping → pong → ping") == true, "\(String(describing: ping))")
    // Each error points at the reference that closes the cycle.
    let pingRef = position(of: "+ pong", in: yaml).map { ($0.line, $0.column + 2) }!
    let pongRef = position(of: "* ping", in: yaml).map { ($0.line, $0.column + 2) }!
    #expect(ping.map { ($0.line, $0.column) == pingRef } == true, "\(String(describing: ping)) not at \(pingRef)")
    #expect(pong.map { ($0.line, $0.column) == pongRef } == true, "\(String(describing: pong)) not at \(pongRef)")
  }

  // MARK: Errors in the YAML structure

  @Test func unknownKPIKey() {
    let yaml = """
      kpis:
        - id: big_revenue
          name: Big revenue
          units: money
          formula: sum(deals.amount where stage = 'won' and closed_on in period)
      """
    expectError(yaml, at: "units", "unknown key 'units' in a KPI")
  }

  @Test func badUnit() {
    let yaml = """
      kpis:
        - id: big_revenue
          name: Big revenue
          unit: euro
          formula: sum(deals.amount where stage = 'won' and closed_on in period)
      """
    expectError(yaml, at: "euro", "unknown unit 'euro'")
  }

  @Test func boundsAreRead() throws {
    let yaml = """
      kpis:
        - id: margin_rate
          name: Margin rate
          unit: rate
          min: -0.5
          max: 1
          formula: sum(deals.amount where stage = 'won' and closed_on in period) / 100
        - id: open_ended
          name: Open ended
          min: 0
          formula: 1
      """
    let c = try CatalogFile.compile(files: [(path: "my-kpis.yaml", yaml: yaml)]).catalog
    #expect(c.kpi("margin_rate")?.minimum == -0.5)
    #expect(c.kpi("margin_rate")?.maximum == 1)
    #expect(c.kpi("open_ended")?.minimum == 0)
    #expect(c.kpi("open_ended")?.maximum == nil)
    #expect(c.kpi("margin_rate")?.clamped(1.5) == 1)
    #expect(c.kpi("margin_rate")?.clamped(-2) == -0.5)
    #expect(c.kpi("margin_rate")?.clamped(0.3) == 0.3)
  }

  @Test func badBounds() {
    let notANumber = """
      kpis:
        - id: margin_rate
          name: Margin rate
          max: full
          formula: 1
      """
    expectError(
      notANumber, at: "full", "'max' is the highest value the KPI can take, a number such as 0 or 1, not 'full'")
    let crossed = """
      kpis:
        - id: margin_rate
          name: Margin rate
          min: 5
          max: 1
          formula: 1
      """
    expectError(crossed, at: "max: 1", columnOffset: 5, "'max' (1) must not be below 'min' (5)")
  }

  @Test func badBetter() {
    let yaml = """
      kpis:
        - id: big_revenue
          name: Big revenue
          better: more
          formula: sum(deals.amount where stage = 'won' and closed_on in period)
      """
    expectError(yaml, at: "more", "'better' is higher or lower, not 'more'")
  }

  @Test func badStage() {
    let yaml = """
      kpis:
        - id: big_revenue
          name: Big revenue
          stages: [sell, selling]
          formula: sum(deals.amount where stage = 'won' and closed_on in period)
      """
    expectError(yaml, at: "selling", "unknown stage 'selling'")
  }

  @Test func stagesThatAreAMapping() {
    let yaml = """
      kpis:
        - id: big_revenue
          name: Big revenue
          stages: {sell: 1}
          formula: sum(deals.amount where stage = 'won' and closed_on in period)
      """
    expectError(yaml, at: "{sell: 1}", "'stages' is a list such as [sell, market]")
  }

  @Test func missingId() {
    let yaml = """
      kpis:
        - name: Big revenue
          formula: sum(deals.amount where stage = 'won' and closed_on in period)
      """
    expectError(yaml, at: "name", "a KPI needs an 'id:'")
  }

  @Test func missingName() {
    let yaml = """
      kpis:
        - id: big_revenue
          formula: sum(deals.amount where stage = 'won' and closed_on in period)
      """
    expectError(yaml, at: "id", "KPI 'big_revenue' needs 'name:'")
  }

  @Test func missingFormula() {
    let yaml = """
      kpis:
        - id: big_revenue
          name: Big revenue
          unit: money
      """
    expectError(yaml, at: "id", "KPI 'big_revenue' needs 'formula:'")
  }

  @Test func invalidYAMLSyntax() {
    let yaml = """
      kpis:
        - id: big_revenue
          name: Big revenue: all of it
          formula: sum(deals.amount where stage = 'won' and closed_on in period)
      """
    // libyaml stops at the second ':' of line 3.
    expectError(yaml, at: ": all", "not valid YAML")
  }

  @Test func invalidYAMLSyntaxUnclosedQuote() {
    let yaml = """
      kpis:
        - id: big_revenue
          name: "Big revenue
          formula: sum(deals.amount where stage = 'won' and closed_on in period)
      """
    let errs = errors(yaml)
    #expect(errs.count == 1)
    #expect(errs.first?.message.hasPrefix("not valid YAML") == true)
    #expect((errs.first?.line ?? 0) >= 3, "\(errs.map(\.description))")
  }

  @Test func severalErrorsAreAllReported() {
    let yaml = """
      kpis:
        - id: a_kpi
          name: A
          unit: euro
          formula: 1
        - id: b_kpi
          name: B
          better: more
          formula: 2
      """
    let errs = errors(yaml)
    #expect(errs.count == 2, "\(errs.map(\.description))")
  }

  // MARK: The built-in catalog as YAML

  @Test func builtinCatalogRoundTripsThroughYAML() throws {
    let yaml = CatalogFile.yaml(Catalog.builtin)
    #expect(!yaml.isEmpty)
    let parsed = try CatalogFile.compile(base: Catalog(), files: [(path: "builtin.yaml", yaml: yaml)])
    #expect(parsed.kpis.count == 27)
    #expect(parsed.kpis.map(\.id) == Catalog.builtin.kpis.map(\.id))
    for k in Catalog.builtin.kpis {
      guard let p = parsed.catalog.kpi(k.id) else {
        Issue.record("\(k.id) is missing")
        continue
      }
      #expect(p.name == k.name, "\(k.id)")
      #expect(p.family == k.family, "\(k.id)")
      #expect(p.unit == k.unit, "\(k.id)")
      #expect(p.better == k.better, "\(k.id)")
      #expect(p.stages == k.stages, "\(k.id)")
      #expect(p.description == k.description, "\(k.id)")
      #expect(p.formula == k.formula, "\(k.id)")
      #expect(p.lets == k.lets, "\(k.id)")
      #expect(p.minimum == k.minimum && p.maximum == k.maximum, "\(k.id)")
    }
    #expect(parsed.catalog.partnerFacts == Catalog.builtin.partnerFacts)
    #expect(parsed.catalog == Catalog.builtin)

    // Layered over the built-ins (as --catalog does), it changes nothing either.
    let layered = try CatalogFile.compile(files: [(path: "builtin.yaml", yaml: yaml)])
    #expect(layered.catalog == Catalog.builtin)
  }
}
