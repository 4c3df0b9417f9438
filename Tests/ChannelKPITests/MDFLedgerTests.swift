import ChannelKPI
import Testing

private typealias F = IncentiveFixture

/// A quarterly MDF plan: 2% of revenue.
private func mdfPlan(
  expiresAfter: Int? = nil, rateByTier: [String: Rational] = [:], starts: String? = nil
) throws -> IncentivePlan {
  IncentivePlan(
    id: "mdf", period: .quarter, starts: try starts.map { try F.day($0) },
    rule: .mdf(MDFRule(accrualRate: Rational(2, 100), rateByTier: rateByTier, expiresAfter: expiresAfter)))
}

/// A campaign claiming `mdf` of the fund on `started`.
private func claim(_ id: String, _ started: String, _ mdf: String, _ partner: String = "P1") -> FactRecord {
  Row.campaign(id, partner, started: started, cost: mdf, mdf: mdf)
}

/// Every fund period of 2024 (today 2025-01-01), by partner.
private func ledger(_ records: [FactRecord], _ plan: IncentivePlan) throws -> MDFLedger {
  try F.calculator(records, ProgramDefinitions(incentives: [plan]), today: "2025-01-01").mdfLedger()
}

/// One partner's fund rows as [opening, accrued, claimed, unfunded, expired, closing] in cents.
private func rows(_ l: MDFLedger, _ partner: String = "P1") -> [[Int64]] {
  l.periods.filter { $0.partner == partner }.map {
    [$0.opening, $0.accrued, $0.claimed, $0.unfunded, $0.expired, $0.closing]
  }
}

@Suite struct MDFLedgerTests {
  @Test func claimsDrawTheOldestCreditFirst() throws {
    // Revenue 100 000 in Q1 → credit 2000.00; 50 000 in Q2 → credit 1000.00. A claim of 2500 in Q3 takes
    // the whole Q1 credit and 500 of Q2's. With expires_after 2, Q1's credit would expire at Q3's end
    // (nothing left of it) and Q2's at Q4's end: its unused 500.00 expires then. (Drawing the newest first
    // would leave 500 of Q1's credit, expiring at Q3's end instead.)
    //          opening  accrued  claimed  unfunded  expired  closing
    // Q1:           0    2000        0        0        0     2000
    // Q2:        2000    1000        0        0        0     3000
    // Q3:        3000       0     2500        0        0      500
    // Q4:         500       0        0        0      500        0
    let records = [
      F.partner(), F.won("D1", closed: "2024-02-15", amount: "100000"),
      F.won("D2", closed: "2024-05-15", amount: "50000"),
      claim("C1", "2024-08-01", "2500"),
    ]
    let l = try ledger(records, try mdfPlan(expiresAfter: 2))
    #expect(
      rows(l) == [
        [0, 200_000, 0, 0, 0, 200_000], [200_000, 100_000, 0, 0, 0, 300_000], [300_000, 0, 250_000, 0, 0, 50_000],
        [50_000, 0, 0, 0, 50_000, 0],
      ])
    #expect(
      l.periods.filter { $0.partner == "P1" }.map(\.period)
        == (try ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"].map { try F.period($0) }))
  }

  @Test func aClaimLargerThanTheBalanceLeavesAnUnfundedRemainder() throws {
    // Credit 2000.00 at Q1's end; a 2500 claim in Q2 draws it to 0 and 500.00 is unfunded — the balance
    // is 0, never −500.
    // Q1: 0 +2000 → 2000; Q2: 2000, claimed 2000, unfunded 500 → 0; Q3, Q4: 0.
    let records = [F.partner(), F.won("D1", closed: "2024-02-15", amount: "100000"), claim("C1", "2024-05-01", "2500")]
    let l = try ledger(records, try mdfPlan())
    #expect(
      rows(l) == [
        [0, 200_000, 0, 0, 0, 200_000], [200_000, 0, 200_000, 50_000, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0],
      ])
    #expect(l.periods.allSatisfy { $0.closing >= 0 && $0.opening >= 0 })
  }

  @Test(arguments: [
    // Credit of 2000.00 made at the end of Q1 (k), never used: it expires at the end of Q1 + N.
    (1, [Int64(0), 200_000, 0, 0]),  // N = 1: expires at Q2's end
    (2, [0, 0, 200_000, 0]),  // N = 2: at Q3's end
    (3, [0, 0, 0, 200_000]),  // N = 3: at Q4's end
  ])
  func anUnusedCreditExpiresAfterNPeriods(expiresAfter: Int, expired: [Int64]) throws {
    let records = [F.partner(), F.won("D1", closed: "2024-02-15", amount: "100000")]
    let l = try ledger(records, try mdfPlan(expiresAfter: expiresAfter))
    let p1 = l.periods.filter { $0.partner == "P1" }
    #expect(p1.map(\.expired) == expired)
    // Closing balance 2000 until the expiry, 0 from then on.
    let firstZero = try #require(expired.firstIndex { $0 > 0 })
    #expect(p1.map(\.closing) == expired.indices.map { $0 < firstZero ? 200_000 : 0 })
  }

  @Test func aClaimInTheExpiryPeriodStillDrawsTheCredit() throws {
    // expires_after 2: Q1's credit of 2000 expires at Q3's end; a 500 claim during Q3 draws it first,
    // and the remaining 1500.00 expires. Q3: opening 2000, claimed 500, expired 1500, closing 0.
    let records = [F.partner(), F.won("D1", closed: "2024-02-15", amount: "100000"), claim("C1", "2024-09-30", "500")]
    let l = try ledger(records, try mdfPlan(expiresAfter: 2))
    #expect(rows(l)[2] == [200_000, 0, 50_000, 0, 150_000, 0])
  }

  @Test func aPeriodsClaimsCannotUseItsOwnAccrual() throws {
    // Q1 revenue 100 000 accrues 2000.00 at Q1's end; the 300 claim of 2024-02-01 finds a balance of 0:
    // all unfunded. Q1: opening 0, accrued 2000, claimed 0, unfunded 300, closing 2000.
    let records = [F.partner(), F.won("D1", closed: "2024-02-15", amount: "100000"), claim("C1", "2024-02-01", "300")]
    let l = try ledger(records, try mdfPlan())
    #expect(rows(l).first == [0, 200_000, 0, 30_000, 0, 200_000])
  }

  @Test func rateByTierReplacesTheAccrualRate() throws {
    // 2%, gold 3%. Q1 revenue 100 000 each: P1 (gold) accrues 100 000 × 3% = 3000.00 (not 5%);
    // P2 (silver) 2000.00. P3 (no tier) 1234.56 × 2% = 24.6912 → 24.69.
    let records = [
      F.partner("P1", tier: "gold"), F.partner("P2", tier: "silver"), F.partner("P3"),
      F.won("D1", "P1", closed: "2024-02-15", amount: "100000"),
      F.won("D2", "P2", closed: "2024-02-15", amount: "100000"),
      F.won("D3", "P3", closed: "2024-02-15", amount: "1234.56"),
    ]
    let l = try ledger(records, try mdfPlan(rateByTier: ["gold": Rational(3, 100)]))
    let q1 = try F.period("2024-Q1")
    func row(_ p: String) -> MDFFundPeriod? { l.periods.first { $0.partner == p && $0.period == q1 } }
    #expect(row("P1")?.accrued == 300_000)
    #expect(row("P1")?.rate == Rational(3, 100))
    #expect(row("P2")?.accrued == 200_000)
    #expect(row("P2")?.rate == Rational(2, 100))
    #expect(row("P3")?.accrued == 2469)
  }

  @Test func claimsBeforeTheFundStartsAreNotDrawn() throws {
    // The plan starts 2024-04-01: the fund opens with Q2. The 300 claim of 2024-02-01 is outside the fund
    // (listed, not drawn); Q1's revenue accrues nothing.
    // Q2: 0, +2000 (revenue 100 000 in Q2) → 2000; Q3: claim 500 → 1500; Q4: 1500.
    let records = [
      F.partner(), F.won("D1", closed: "2024-02-15", amount: "100000"),
      F.won("D2", closed: "2024-05-15", amount: "100000"),
      claim("C0", "2024-02-01", "300"), claim("C1", "2024-08-01", "500"),
    ]
    let l = try ledger(records, try mdfPlan(starts: "2024-04-01"))
    #expect(
      l.periods.filter { $0.partner == "P1" }.map(\.period)
        == (try ["2024-Q2", "2024-Q3", "2024-Q4"].map { try F.period($0) }))
    #expect(
      rows(l) == [
        [0, 200_000, 0, 0, 0, 200_000], [200_000, 0, 50_000, 0, 0, 150_000], [150_000, 0, 0, 0, 0, 150_000],
      ])
    #expect(l.outsideFund.map(\.claim.campaign) == ["C0"])
    #expect(l.outsideFund.map(\.plan) == ["mdf"])
  }

  @Test func afterThePlanStopsClaimsAndExpiryGoOnButAccrualStops() throws {
    // The plan ends 2024-06-30 (Q1, Q2 covered); expires_after 3. Q1 revenue 100 000 → 2000 credit;
    // Q3 revenue 100 000 accrues nothing (the plan no longer applies). A 500 claim in Q3 still draws
    // the fund; the remaining 1500 of Q1's credit expires at Q4's end (Q1 + 3).
    //        opening accrued claimed unfunded expired closing
    // Q1:         0   2000      0       0        0    2000
    // Q2:      2000      0      0       0        0    2000
    // Q3:      2000      0    500       0        0    1500
    // Q4:      1500      0      0       0     1500       0
    let records = [
      F.partner(), F.won("D1", closed: "2024-02-15", amount: "100000"),
      F.won("D2", closed: "2024-08-15", amount: "100000"),
      claim("C1", "2024-08-01", "500"),
    ]
    var plan = try mdfPlan(expiresAfter: 3)
    plan.ends = try F.day("2024-06-30")
    let l = try ledger(records, plan)
    #expect(
      rows(l) == [
        [0, 200_000, 0, 0, 0, 200_000], [200_000, 0, 0, 0, 0, 200_000], [200_000, 0, 50_000, 0, 0, 150_000],
        [150_000, 0, 0, 0, 150_000, 0],
      ])
  }

  @Test func theMDFReturnIsCampaignRevenueOverFundedClaims() throws {
    // Q1 revenue 100 000 → credit 2000. C1 (MDF 1000) starts in Q3; its lead L1 names D9, won in Q3 for 4000,
    // and L3 names D11, won in Q4 for 3000. C2 has no MDF amount: its deal D10 (7000, Q3) does not count.
    // Q3: funded 1000, campaign revenue 4000 → return 4000 / 1000 = 4.
    // Q4: campaign revenue 3000 but nothing funded → no value. Q1: nothing funded → no value.
    // Q3's accrual: revenue 4000 + 7000 = 11 000 × 2% = 220.00 → closing 2000 − 1000 + 220 = 1220.00.
    let records = [
      F.partner(), F.won("D1", closed: "2024-02-15", amount: "100000"),
      claim("C1", "2024-08-01", "1000"), Row.campaign("C2", "P1", started: "2024-08-01", cost: "500"),
      Row.lead("L1", "P1", campaign: "C1", created: "2024-08-02", converted: "2024-08-03", deal: "D9"),
      Row.lead("L2", "P1", campaign: "C2", created: "2024-08-02", converted: "2024-08-03", deal: "D10"),
      Row.lead("L3", "P1", campaign: "C1", created: "2024-08-05", converted: "2024-08-06", deal: "D11"),
      F.won("D9", closed: "2024-09-10", amount: "4000", created: "2024-08-03"),
      F.won("D10", closed: "2024-09-12", amount: "7000", created: "2024-08-03"),
      F.won("D11", closed: "2024-11-10", amount: "3000", created: "2024-08-06"),
    ]
    let l = try ledger(records, try mdfPlan())
    let p1 = l.periods.filter { $0.partner == "P1" }
    #expect(p1.map(\.claimed) == [0, 0, 100_000, 0])
    #expect(p1.map(\.campaignRevenue) == [0, 0, 400_000, 300_000])
    #expect(p1.map(\.mdfReturn) == [nil, nil, Rational(4), nil])
    #expect(p1[2].closing == 122_000)
  }
}
