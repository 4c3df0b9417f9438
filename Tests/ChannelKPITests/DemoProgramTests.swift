import ChannelKPI
import Testing

/// Keeps every row of a (small) demo by table, each table's rows in the order written.
struct DemoCollectingSink: DemoSink {
  var rows: [CanonicalTable: [[String]]] = [:]

  mutating func write(_ table: CanonicalTable, _ fields: [String]) {
    rows[table, default: []].append(fields)
  }

  subscript(table: CanonicalTable) -> [[String]] { rows[table] ?? [] }

  /// The values of one column over a table's rows.
  func column(_ table: CanonicalTable, _ name: String) -> [String] {
    guard let i = table.schema.index[name] else { return [] }
    return self[table].map { $0[i] }
  }
}

/// Folds every field of every row into one 64-bit FNV-1a hash, to compare large demos cheaply.
struct DemoHashingSink: DemoSink {
  var hash: UInt64 = 0xcbf2_9ce4_8422_2325
  var rows = 0

  mutating func write(_ table: CanonicalTable, _ fields: [String]) {
    rows += 1
    mix(table.rawValue)
    for f in fields { mix(f) }
  }

  private mutating func mix(_ text: String) {
    for b in text.utf8 { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
    hash = (hash ^ 0x1f) &* 0x100_0000_01b3
  }
}

/// Keeps every row in the order it was written.
struct DemoSequenceSink: DemoSink {
  var rows: [(table: CanonicalTable, fields: [String])] = []

  mutating func write(_ table: CanonicalTable, _ fields: [String]) { rows.append((table, fields)) }
}

enum DemoFixture {
  static let small = DemoConfiguration(partners: 40, months: 12, seed: 7)

  static func collect(_ c: DemoConfiguration) -> DemoCollectingSink {
    var sink = DemoCollectingSink()
    DemoProgram.generate(c, into: &sink)
    return sink
  }

  static func count(_ c: DemoConfiguration) -> DemoRowCounter {
    var sink = DemoRowCounter()
    DemoProgram.generate(c, into: &sink)
    return sink
  }

  /// Collected once: the suites below only read it.
  static let demo = collect(small)
}

@Suite struct DemoProgramDeterminismTests {
  @Test func sameSeedGivesTheSameRows() {
    var a = DemoHashingSink()
    var b = DemoHashingSink()
    DemoProgram.generate(DemoFixture.small, into: &a)
    DemoProgram.generate(DemoFixture.small, into: &b)
    #expect(a.rows > 1_000)
    #expect(a.rows == b.rows)
    #expect(a.hash == b.hash)
    #expect(DemoFixture.collect(DemoFixture.small).rows == DemoFixture.demo.rows)
  }

  @Test func differentSeedGivesDifferentRows() {
    var a = DemoHashingSink()
    var b = DemoHashingSink()
    DemoProgram.generate(DemoFixture.small, into: &a)
    var other = DemoFixture.small
    other.seed = 8
    DemoProgram.generate(other, into: &b)
    #expect(a.hash != b.hash)
  }
}

extension DemoFixture {
  /// Configurations unlike the default: one month in a leap February, many months, tiny and busy.
  static let variety: [DemoConfiguration] = [
    DemoConfiguration(partners: 3, months: 1, seed: 99, lastMonth: Month(year: 2024, month: 2)),
    DemoConfiguration(partners: 15, months: 36, seed: 5, scale: 0.3),
    DemoConfiguration(partners: 8, months: 6, seed: 12_345, scale: 3, lastMonth: Month(year: 2026, month: 6)),
  ]

  /// Every broken rule in a demo: rows the validator rejects, duplicate keys, long ids, dangling
  /// references, and dates outside the configured months.
  static func problems(_ d: DemoCollectingSink, _ c: DemoConfiguration) -> [String] {
    var out: [String] = []
    let start = c.firstMonth.firstDay
    let end = c.lastMonth.lastDay
    let partners = Set(d.column(.partners, "partner_id"))
    let campaigns = Set(d.column(.campaigns, "campaign_id"))
    var dealPartner: [String: String] = [:]
    for row in d[.deals] { dealPartner[row[0]] = row[1] }
    var customerPartner: [String: String] = [:]
    for row in d[.customers] { customerPartner[row[0]] = row[1] }

    for (table, rows) in d.rows {
      let schema = table.schema
      var keys = Set<[String]>()
      for row in rows {
        guard row.count == schema.columns.count else {
          out.append("\(table.rawValue) row has \(row.count) fields: \(row)")
          continue
        }
        if case .failure(let e) = RecordValidator.validate(table, texts: row) {
          out.append("\(table.rawValue) \(row): \(e.errors)")
        }
        if !keys.insert(schema.keyIndexes.map { row[$0] }).inserted {
          out.append("duplicate key in \(table.rawValue): \(row)")
        }
        for (i, column) in schema.columns.enumerated() where !row[i].isEmpty {
          let text = row[i]
          switch column.type {
          case .id where text.utf8.count > 15:
            out.append("long id \(text) in \(table.rawValue).\(column.name)")
          case .date where column.name != "joined_on":
            if let day = Day(iso: text), day < start || day > end {
              out.append("\(table.rawValue).\(column.name) \(text) outside the range")
            }
          case .datetime:
            if let day = Timestamp(iso: text)?.utcDay, day < start || day > end {
              out.append("\(table.rawValue).\(column.name) \(text) outside the range")
            }
          default: break
          }
        }
        if table != .partners, let i = schema.partnerColumn, !partners.contains(row[i]) {
          out.append("\(table.rawValue) names unknown partner \(row[i])")
        }
        switch table {
        case .leads:
          if !row[2].isEmpty && !campaigns.contains(row[2]) { out.append("lead names unknown campaign \(row[2])") }
          if !row[5].isEmpty && dealPartner[row[5]] != row[1] {
            out.append("lead names deal \(row[5]) of another partner")
          }
        case .webTraffic:
          if !row[2].isEmpty && !campaigns.contains(row[2]) { out.append("traffic names unknown campaign \(row[2])") }
        case .surveys, .supportTickets:
          if !row[2].isEmpty && customerPartner[row[2]] != row[1] {
            out.append("\(table.rawValue) names customer \(row[2]) of another partner")
          }
        default: break
        }
      }
    }
    if d[.market].count != 4 * max(1, c.months) { out.append("\(d[.market].count) market rows") }
    return out
  }
}

@Suite struct DemoProgramShapeTests {
  @Test func everyTableHasRows() {
    for table in CanonicalTable.allCases {
      #expect(!DemoFixture.demo[table].isEmpty, "\(table.rawValue) is empty")
    }
  }

  @Test func everyRowIsValidUniqueAndInRangeWithReferencesThatResolve() {
    let problems = DemoFixture.problems(DemoFixture.demo, DemoFixture.small)
    #expect(problems.isEmpty, "\(problems.count) problems, e.g. \(problems.prefix(5))")
  }

  @Test(arguments: DemoFixture.variety)
  func otherConfigurationsAreConsistentToo(_ c: DemoConfiguration) {
    let demo = DemoFixture.collect(c)
    #expect(demo[.partners].count == c.partners)
    let problems = DemoFixture.problems(demo, c)
    #expect(problems.isEmpty, "\(problems.count) problems, e.g. \(problems.prefix(5))")
  }

  @Test func earlyPartnersJoinedBeforeTheRange() {
    let start = DemoFixture.small.firstMonth.firstDay
    let joined = DemoFixture.demo.column(.partners, "joined_on").compactMap { Day(iso: $0) }
    #expect(joined.contains { $0 < start })
    #expect(joined.contains { $0 >= start })
  }

  @Test func referencedRowsComeFirst() {
    var sink = DemoSequenceSink()
    DemoProgram.generate(DemoConfiguration(partners: 25, months: 9, seed: 3), into: &sink)
    let customerIds = Set(sink.rows.filter { $0.table == .customers }.map { $0.fields[0] })
    var seen: [CanonicalTable: Set<String>] = [:]
    var late = 0
    func check(_ id: String, in table: CanonicalTable) {
      if !id.isEmpty && !(seen[table]?.contains(id) ?? false) { late += 1 }
    }
    for (table, row) in sink.rows {
      let schema = table.schema
      if table != .partners, let i = schema.partnerColumn { check(row[i], in: .partners) }
      switch table {
      case .leads:
        check(row[2], in: .campaigns)
        check(row[5], in: .deals)
      case .webTraffic: check(row[2], in: .campaigns)
      case .deals, .surveys, .supportTickets:
        if customerIds.contains(row[2]) { check(row[2], in: .customers) }
      default: break
      }
      seen[table, default: []].insert(row[0])
    }
    #expect(late == 0)
    #expect(sink.rows.prefix(25).allSatisfy { $0.table == .partners })
    #expect(sink.rows.last?.table == .market)
  }

  @Test func customersComeFromWonDeals() {
    let d = DemoFixture.demo
    var wonOn: [String: (partner: String, day: String)] = [:]
    for row in d[.deals] where row[7] == "won" && !row[2].isEmpty {
      if let earlier = wonOn[row[2]], earlier.day <= row[8] { continue }
      wonOn[row[2]] = (row[1], row[8])
    }
    for row in d[.customers] {
      let first = wonOn[row[0]]
      #expect(first?.partner == row[1] && first?.day == row[2], "customer \(row[0]) not acquired by a won deal")
    }
  }

  @Test func marketHasOneRowPerRegionAndMonth() {
    let d = DemoFixture.demo
    #expect(d[.market].count == 4 * DemoFixture.small.months)
    let months = Set(d.column(.market, "month"))
    #expect(months.count == DemoFixture.small.months)
    #expect(months.contains(DemoFixture.small.lastMonth.description))
    #expect(months.contains(DemoFixture.small.firstMonth.description))
    #expect(Set(d.column(.market, "region")) == ["emea", "na", "latam", "apac"])
  }
}

@Suite struct DemoProgramRealismTests {
  let d = DemoFixture.demo

  @Test func partnersVary() {
    #expect(Set(d.column(.partners, "type")) == ["reseller", "msp", "referral", "system_integrator", "distributor"])
    #expect(Set(d.column(.partners, "region")) == ["emea", "na", "latam", "apac"])
    #expect(Set(d.column(.partners, "tier")).isSuperset(of: ["gold", "silver", "registered", ""]))
    #expect(d.column(.partners, "left_on").contains { !$0.isEmpty })
  }

  @Test func dealsCoverEveryStageSourceAndRegistration() {
    #expect(Set(d.column(.deals, "source")) == ["sourced", "influenced", "co_sell"])
    #expect(Set(d.column(.deals, "stage")) == ["open", "won", "lost"])
    #expect(Set(d.column(.deals, "registration_status")) == ["", "pending", "approved", "rejected"])
    #expect(d.column(.deals, "customer_id").contains(""))
    for row in d[.deals] {
      #expect((row[7] == "open") == row[8].isEmpty)
    }
  }

  @Test func leadsConvertSometimes() {
    let leads = d[.leads]
    #expect(leads.contains { !$0[2].isEmpty } && leads.contains { $0[2].isEmpty })
    #expect(leads.contains { !$0[4].isEmpty && !$0[5].isEmpty })
    #expect(leads.contains { $0[4].isEmpty && !$0[5].isEmpty })
    let converted = Double(leads.filter { !$0[4].isEmpty }.count) / Double(leads.count)
    #expect(converted > 0.08 && converted < 0.5)
  }

  @Test func campaignsAndTrafficAreAttributed() {
    #expect(
      d[.campaigns].allSatisfy { row in
        row[7].isEmpty || (Money.parseCents(row[7]) ?? .max) <= (Money.parseCents(row[6]) ?? 0)
      })
    #expect(d.column(.campaigns, "mdf_amount").contains(""))
    let traffic = d.column(.webTraffic, "campaign_id")
    #expect(traffic.contains("") && traffic.contains { !$0.isEmpty })
  }

  @Test func surveyScoresSpreadOverTheScale() {
    let scores = d.column(.surveys, "score").compactMap { Int($0) }
    #expect(Set(scores).count >= 10)
    let promoters = scores.filter { $0 >= 9 }.count
    let detractors = scores.filter { $0 <= 6 }.count
    let nps = 100 * Double(promoters - detractors) / Double(scores.count)
    #expect(nps > 5 && nps < 60)
  }

  @Test func ticketsUseOffsetsAndCrossMidnight() throws {
    let opened = d.column(.supportTickets, "opened_at")
    #expect(opened.contains { $0.hasSuffix("Z") })
    #expect(opened.contains { $0.hasSuffix("+01:00") || $0.hasSuffix("+02:00") })
    #expect(opened.contains { $0.hasSuffix("-05:00") || $0.hasSuffix("-03:00") })
    let resolved = d.column(.supportTickets, "resolved_at")
    #expect(resolved.contains(""))
    var crossing = 0
    for text in resolved where !text.isEmpty {
      let t = try #require(Timestamp(iso: text))
      if t.utcDay.description != String(text.prefix(10)) { crossing += 1 }
    }
    #expect(crossing > 0)
    let satisfaction = d.column(.supportTickets, "satisfaction")
    #expect(satisfaction.contains("") && Set(satisfaction).count == 6)
  }

  @Test func certificationsIncludeUnfinishedOnes() {
    #expect(Set(d.column(.certifications, "program")) == ["sales", "technical", "presales"])
    let completed = d.column(.certifications, "completed_on")
    #expect(completed.contains("") && completed.contains { !$0.isEmpty })
  }

  @Test func customersChurn() {
    let churned = d.column(.customers, "churned_on")
    #expect(churned.contains("") && churned.contains { !$0.isEmpty })
  }

  @Test func networkMarketShareIsAFewPercent() {
    var won: [String: Int64] = [:]
    var region: [String: String] = [:]
    for row in d[.partners] { region[row[0]] = row[3] }
    for row in d[.deals] where row[7] == "won" {
      won[region[row[1]] ?? "", default: 0] += Money.parseCents(row[9]) ?? 0
    }
    var market: [String: Int64] = [:]
    for row in d[.market] { market[row[0], default: 0] += Money.parseCents(row[2]) ?? 0 }
    for (r, total) in market {
      let share = Double(won[r] ?? 0) / Double(total)
      #expect(share > 0.005 && share < 0.12, "\(r): \(share)")
    }
  }
}

@Suite struct DemoProgramVolumeTests {
  @Test func dealsGrowLinearlyWithScale() {
    let base = DemoConfiguration(partners: 60, months: 12, seed: 11)
    var doubled = base
    doubled.scale = 2
    var halved = base
    halved.scale = 0.5
    let one = Double(DemoFixture.count(base)[.deals])
    #expect(one > 1_000)
    let ratioUp = Double(DemoFixture.count(doubled)[.deals]) / one
    let ratioDown = Double(DemoFixture.count(halved)[.deals]) / one
    #expect(ratioUp > 1.8 && ratioUp < 2.2, "×2 gave \(ratioUp)")
    #expect(ratioDown > 0.4 && ratioDown < 0.6, "×0.5 gave \(ratioDown)")
  }

  @Test func dealsGrowWithPartners() {
    let few = Double(DemoFixture.count(DemoConfiguration(partners: 50, months: 12, seed: 5))[.deals])
    let many = Double(DemoFixture.count(DemoConfiguration(partners: 200, months: 12, seed: 5))[.deals])
    #expect(many / few > 3 && many / few < 5)
  }

  @Test func defaultDemoHasTensOfThousandsOfDeals() {
    let counts = DemoFixture.count(DemoConfiguration())
    #expect(counts[.partners] == 120)
    #expect(counts[.deals] >= 20_000 && counts[.deals] <= 40_000, "\(counts[.deals]) deals")
    #expect(counts[.market] == 4 * 24)
  }

  @Test func noPartnersStillGivesTheMarket() {
    let none = DemoFixture.collect(DemoConfiguration(partners: 0, months: 1))
    #expect(none[.partners].isEmpty && none[.deals].isEmpty)
    #expect(none[.market].count == 4)
  }
}
