import ChannelKPI
import Testing

/// Scopes that name no partner are refused by the engine with the unknown value named.
struct UnknownScopeTests {
  static func engine() throws -> KPIEngine {
    try Fixture.engine([
      Fixture.record(
        .partners,
        [
          "partner_id": "P1", "name": "A", "type": "reseller", "region": "emea", "tier": "gold",
          "joined_on": "2025-01-01",
        ]
      ),
      Fixture.record(
        .partners, ["partner_id": "P2", "name": "B", "type": "msp", "region": "na", "joined_on": "2025-01-01"]),
      Fixture.record(
        .deals,
        [
          "deal_id": "D1", "partner_id": "P1", "source": "sourced", "created_on": "2025-01-05", "stage": "won",
          "closed_on": "2025-02-01", "amount": "100",
        ]),
    ])
  }

  @Test func everyKindOfUnknownScopeIsNamed() throws {
    let e = try Self.engine()
    let q1 = try #require(Period("2025-Q1"))
    for (scope, known, message) in [
      (Scope(.partner, "P3"), "P1", "no partner 'P3'; did you mean 'P1'?"),
      (Scope(.type, "distributor"), "msp", "no partner has the type 'distributor'"),
      (Scope(.region, "emeа"), "na", "no partner has the region 'emeа'; did you mean 'emea'?"),
      // P2 has no tier: no partner makes up "silver".
      (Scope(.tier, "silver"), "gold", "no partner has the tier 'silver'"),
    ] {
      #expect(throws: ComputeError(message)) {
        try e.compute(
          ComputeRequest(kpis: ["revenue"], by: scope.kind, grain: .quarter, from: q1, to: q1, scopes: [scope]))
      }
      let window = try #require(MonthRange(window: "2025-01:2025-03"))
      #expect(throws: ComputeError(message)) {
        try e.compute(kpis: ["revenue"], by: scope.kind, scopes: [.init(scope.kind, known), scope], windows: [window])
          .kpis
      }
    }
  }

  /// Definitions may name a scope before its partners are imported: they read it as empty.
  @Test func definitionsMayReadAnEmptyScope() throws {
    let e = try Self.engine()
    let q1 = try #require(Period("2025-Q1"))
    var request = ComputeRequest(
      kpis: ["revenue", "win_rate"], by: .region, grain: .quarter, from: q1, to: q1,
      scopes: [Scope(.region, "mars"), Scope(.region, "emea")])
    request.allowsEmptyScopes = true
    let r = try e.compute(request)
    #expect(r.scopes == [Scope(.region, "emea"), Scope(.region, "mars")])
    // emea: P1's one won deal of 100; mars: nobody, so no revenue and no win rate.
    #expect(r.values == [100, 0, 1, nil])
  }

  @Test func knownScopesAndScopesOfAnotherKind() throws {
    let e = try Self.engine()
    let q1 = try #require(Period("2025-Q1"))
    #expect(try Fixture.value(e, "revenue", Scope(.partner, "P2"), period: "2025-Q1") == 0)
    #expect(try Fixture.value(e, "revenue", Scope(.tier, "gold"), period: "2025-Q1") == 100)
    #expect(throws: ComputeError("the scope type:msp is not of the kind partner the values are computed by")) {
      try e.compute(
        ComputeRequest(
          kpis: ["revenue"], by: .partner, grain: .quarter, from: q1, to: q1, scopes: [Scope(.type, "msp")]))
    }
  }
}

/// "Did you mean" suggests a name only when most of it is right; a swap of neighbours is one edit.
struct SpellingTests {
  @Test func suggestions() {
    #expect(Spelling.closest(to: "nsp", in: ["win_rate", "nps"]) == "nps")
    #expect(Spelling.closest(to: "revenu", in: ["win_rate", "revenue"]) == "revenue")
    #expect(Spelling.closest(to: "P9", in: ["P1", "P10"]) == "P1")
    #expect(Spelling.closest(to: "nope", in: ["msp", "reseller"]) == nil)
    #expect(Spelling.closest(to: "Bob", in: ["Ann"]) == nil)
    #expect(Spelling.closest(to: "x", in: ["y"]) == nil)
  }
}
