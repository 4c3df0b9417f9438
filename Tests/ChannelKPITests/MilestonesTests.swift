import ChannelKPI
import Testing

/// Partners' milestones as the engine finds them in its columns.
@Suite struct MilestonesTests {
  private func day(_ s: String) -> Day { Day(iso: s)! }
  private func months(_ s: String...) -> Set<Int32> { Set(s.map { Period($0)!.firstMonth.index }) }

  /// Worked by hand: the first win is the earliest close of a won deal, with the largest amount
  /// that day; months count creations, registrations and closes, certifications begun and
  /// completed, however far from the others (2200 is outside the span kept as bits).
  @Test func milestonesWorkedByHand() throws {
    let engine = try Fixture.engine([
      Row.partner("P1", type: "reseller", region: "emea", joined: "2024-01-01"),
      Row.partner("P2", type: "reseller", region: "emea", joined: "2024-01-01"),
      Row.deal("D1", "P1", created: "2025-01-05", stage: "won", closed: "2025-03-10", amount: "100"),
      Row.deal(
        "D2", "P1", created: "2025-02-01", registered: "2025-02-02", status: "approved", stage: "won",
        closed: "2025-03-10", amount: "250"),
      Row.deal("D3", "P1", created: "2024-12-01", stage: "lost", closed: "2025-01-20", amount: "900"),
      Row.deal("D4", "P1", created: "2200-01-01", stage: "open", amount: "5"),
      Row.deal("D5", "P1", created: "2025-05-01", stage: "won", closed: "2025-06-01", amount: "7000"),
      Row.certification("C1", "P1", person: "a", program: "sales", enrolled: "2025-03-01", completed: "2025-04-01"),
    ])
    let m = engine.milestones()
    #expect(m.keys.sorted() == ["P1", "P2"])
    let p1 = try #require(m["P1"])
    #expect(p1.firstWon == day("2025-03-10") && p1.firstWonAmount == 25_000)
    #expect(p1.firstRegistered == day("2025-02-02"))
    #expect(p1.certifications == [PartnerMilestones.Completion(day: day("2025-04-01"), program: "sales")])
    #expect(
      p1.activeMonths == months("2024-12", "2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2200-01"))
    #expect(m["P2"] == PartnerMilestones())
  }

  /// The same as a second method, row by row over the records by partner id, on random programs
  /// whose dates spread over centuries.
  @Test(arguments: 1...20) func milestonesAgreeWithARecordByRecordReading(seed: UInt64) throws {
    var rng = RandomProgram.RNG(seed: seed)
    func below(_ n: Int) -> Int { Int.random(in: 0..<n, using: &rng) }
    func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    func date() -> String {
      let year = below(3) == 0 ? 1900 + below(400) : 2023 + below(3)
      return "\(year)-\(twoDigits(1 + below(12)))-\(twoDigits(1 + below(28)))"
    }
    var records = (0..<6).map { Row.partner("P\($0)", type: "reseller", region: "emea", joined: "2020-01-01") }
    for i in 0..<200 {
      let partner = "P\(below(7))"  // P6 is no partner of partners.csv
      let stage = ["won", "lost", "open"][Int(below(3))]
      // Registered and closed on or after the day created (ISO dates of four-digit years sort as text).
      let created = date()
      let registered = below(2) == 0 ? max(created, date()) : nil
      records.append(
        Row.deal(
          "D\(i)", partner, created: created, registered: registered, status: registered.map { _ in "approved" },
          stage: stage, closed: stage == "open" ? nil : max(created, date()), amount: "\(below(50))"))
      if below(4) == 0 {
        let enrolled = date()
        records.append(
          Row.certification(
            "C\(i)", partner, person: "x", program: below(2) == 0 ? "sales" : "technical", enrolled: enrolled,
            completed: below(2) == 0 ? max(enrolled, date()) : nil))
      }
    }
    let engine = try Fixture.engine(records)
    let all = engine.milestones()
    #expect(all == Self.reference(records))
    // Some partners alone (P6 has rows but no partners.csv row; PX is nothing): as in the whole.
    let some: Set<String> = Set((0..<7).filter { _ in below(2) == 0 }.map { "P\($0)" }).union(["PX"])
    #expect(engine.milestones(of: some) == all.filter { some.contains($0.key) })
  }

  /// Milestones read from the records themselves, partner by partner id, in record order.
  static func reference(_ records: [FactRecord]) -> [String: PartnerMilestones] {
    var out: [String: PartnerMilestones] = [:]
    for r in records where r.table == .partners { out[r.values[0].string!] = PartnerMilestones() }
    for t in CanonicalTable.allCases where t != .partners && t != .market {
      let schema = t.schema
      let done = ["closed_on", "converted_on", "completed_on"].compactMap { schema.index[$0] }
      let dates = t.knownAsOf.origins + t.knownAsOf.events.map(\.date).filter { done.contains($0) }
      for r in records where r.table == t {
        let id = r.values[schema.partnerColumn!].string!
        var m = out[id] ?? PartnerMilestones()
        for c in dates {
          switch r.values[c] {
          case .day(let d): m.activeMonths.insert(d.month.index)
          case .month(let mo): m.activeMonths.insert(mo.index)
          case .timestamp(let ts): m.activeMonths.insert(ts.utcDay.month.index)
          default: break
          }
        }
        func value(_ name: String) -> FieldValue? { schema.index[name].map { r.values[$0] } }
        if value("stage")?.string == "won", let closed = value("closed_on")?.day {
          let amount = value("amount")?.money
          if m.firstWon.map({ closed < $0 }) ?? true {
            (m.firstWon, m.firstWonAmount) = (closed, amount)
          } else if closed == m.firstWon, let amount, amount > m.firstWonAmount ?? .min {
            m.firstWonAmount = amount
          }
        }
        if let registered = value("registered_on")?.day, m.firstRegistered.map({ registered < $0 }) ?? true {
          m.firstRegistered = registered
        }
        if t == .certifications, let completed = value("completed_on")?.day {
          m.certifications.append(.init(day: completed, program: value("program")?.string))
        }
        out[id] = m
      }
    }
    return out
  }
}
