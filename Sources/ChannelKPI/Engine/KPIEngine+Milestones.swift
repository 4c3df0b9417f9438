/// What a partner has done since joining, from its facts: its first won deal, first registration,
/// completed certifications and the months it was active in. The lifecycle stages, onboarding
/// cohorts and the ideal partner profile read these.
public struct PartnerMilestones: Sendable, Hashable {
  /// The day of its first won deal (the least `closed_on` of its won deals).
  public var firstWon: Day?
  /// The amount (minor units) of its first won deal; the largest when several closed that day.
  public var firstWonAmount: Int64?
  /// The first day it registered a deal.
  public var firstRegistered: Day?
  /// The certifications its people completed.
  public var certifications: [Completion] = []
  /// Month indexes with any activity: a deal created, registered or closed, a lead created or
  /// converted, a campaign started, web visits, a customer acquired, a survey, a ticket opened, a
  /// certification begun or completed.
  public var activeMonths: Set<Int32> = []

  /// A certification completed on a day, of a certifications.csv program.
  public struct Completion: Sendable, Hashable {
    public var day: Day
    public var program: String?

    public init(day: Day, program: String?) {
      self.day = day
      self.program = program
    }
  }

  public init() {}

  /// Whether the partner had any activity in the months of a range.
  public func active(during r: MonthRange) -> Bool {
    activeMonths.contains { $0 >= r.first.index && $0 <= r.last.index }
  }
}

extension KPIEngine {
  /// The columns milestones read besides those of `asOfColumns`.
  public static let milestoneColumns: [CanonicalTable: [String]] = [.deals: ["amount"], .certifications: ["program"]]

  /// Every partner's milestones, by partner id (partners without any fact have empty ones).
  /// Columns the engine does not keep are skipped: an engine kept up to date keeps every column
  /// this reads; a read-only one, when built with `asOfColumns` and `milestoneColumns`.
  ///
  /// Each table is tallied by partner code, in place, with active months as bits over a span of
  /// months from the first activity; partners are named and merged only at the end of a table.
  /// (By partner id, every row made a string, hashed it and copied the partner's milestones.)
  public func milestones() -> [String: PartnerMilestones] { milestones(only: nil) }

  /// The milestones of the partners `ids` alone, as `milestones()` gives them: an entry for each
  /// id that is a partner or has a row. A partner's come from its own rows only, so a server
  /// brings its milestones up to date with those of the partners a batch reached.
  public func milestones(of ids: Set<String>) -> [String: PartnerMilestones] { milestones(only: ids) }

  private func milestones(only: Set<String>?) -> [String: PartnerMilestones] {
    finishLoading()
    var out: [String: PartnerMilestones] = [:]
    for p in partners() where only?.contains(p.id) ?? true { out[p.id] = PartnerMilestones() }
    // The bits start at the first activity (partners' join dates may lie far earlier).
    let firstMonth = activity.map { Day(number: $0.lowerBound).month.index } ?? 0
    for t in CanonicalTable.allCases where Self.isActivity(t) {
      let cols = tables[t.ordinal]
      let schema = t.schema
      let known = t.knownAsOf
      // What the partner did: rows it started, deals it closed, leads it converted, certifications
      // its people completed; not what happened to it (a customer churning, a ticket resolved).
      let done = ["closed_on", "converted_on", "completed_on"].compactMap { schema.index[$0] }
      let dates = (known.origins + known.events.map(\.date).filter { done.contains($0) }).filter { cols.kept[$0] }
        .map { (column: $0, type: schema.columns[$0].type) }
      let partnerColumn = schema.partnerColumn!
      let partnerPool = pool(schema.columns[partnerColumn].domain)
      func column(_ name: String) -> Int? { schema.index[name].flatMap { cols.kept[$0] ? $0 : nil } }
      let stage = column("stage")
      let won = stage.flatMap { code("won", domain: schema.columns[$0].domain) }.map(Int64.init)
      let closed = column("closed_on")
      let amount = column("amount")
      let registered = column("registered_on")
      let completed = t == .certifications ? column("completed_on") : nil
      let program = t == .certifications ? column("program") : nil
      let programPool = program.map { pool(schema.columns[$0].domain) }
      var tally = MilestoneTally(partners: partnerPool.count, firstMonth: firstMonth)
      // The codes asked for (all when nil): other partners' rows are passed over.
      let wanted = only.map { ids in
        var w = [Bool](repeating: false, count: partnerPool.count)
        for id in ids { if let c = partnerPool.code(of: id) { w[Int(c)] = true } }
        return w
      }
      for r in 0..<Int32(cols.count) {
        let code = cols.value(r, partnerColumn)
        guard code >= 0, code < partnerPool.count, wanted?[Int(code)] ?? true else { continue }
        let p = Int(code)
        tally.seen[p] = true
        for (c, type) in dates {
          let v = cols.value(r, c)
          guard v != FactColumns.absent64 else { continue }
          let day: Day =
            switch type {
            case .datetime: Timestamp(microseconds: v).utcDay
            case .month: Month(index: Int32(v)).firstDay
            default: Day(number: Int32(v))
            }
          tally.active(day.month.index, partner: p)
        }
        if let stage, let won, let closed, cols.value(r, stage) == won, cols.value(r, closed) != FactColumns.absent64 {
          tally.found[p].won(on: Day(number: Int32(cols.value(r, closed))), amount: amount.map { cols.value(r, $0) })
        }
        if let registered, cols.value(r, registered) != FactColumns.absent64 {
          tally.found[p].registered(on: Day(number: Int32(cols.value(r, registered))))
        }
        if let completed, cols.value(r, completed) != FactColumns.absent64 {
          let taken = program.map { cols.value(r, $0) }.flatMap {
            $0 == FactColumns.absent64 ? nil : programPool?[Int32($0)]
          }
          tally.found[p].certifications.append(
            PartnerMilestones.Completion(day: Day(number: Int32(cols.value(r, completed))), program: taken))
        }
      }
      for p in tally.seen.indices where tally.seen[p] {
        out[partnerPool[Int32(p)], default: PartnerMilestones()].merge(tally.milestones(of: p))
      }
    }
    return out
  }
}

extension PartnerMilestones {
  /// A won deal closed on `day`: the first win is the earliest, its amount the largest of that
  /// day's (a deal without an amount leaves it).
  mutating func won(on day: Day, amount: Int64?) {
    if firstWon.map({ day < $0 }) ?? true {
      firstWon = day
      firstWonAmount = amount
    } else if day == firstWon, let amount, amount > firstWonAmount ?? Int64.min {
      firstWonAmount = amount
    }
  }

  mutating func registered(on day: Day) {
    if firstRegistered.map({ day < $0 }) ?? true { firstRegistered = day }
  }

  /// Adds what `other` found (in rows after this one's).
  mutating func merge(_ other: PartnerMilestones) {
    if let day = other.firstWon {
      if firstWon == day {
        // Both first wins on one day: the largest amount either knows.
        if let a = other.firstWonAmount, a > firstWonAmount ?? Int64.min { firstWonAmount = a }
      } else {
        won(on: day, amount: other.firstWonAmount)
      }
    }
    if let day = other.firstRegistered { registered(on: day) }
    certifications += other.certifications
    activeMonths.formUnion(other.activeMonths)
  }
}

/// One table's milestones by partner code, with active months as bits: one word per 64 months
/// from the first month of activity, 1,024 months in all; a month outside goes into the set.
private struct MilestoneTally {
  var found: [PartnerMilestones]
  var seen: [Bool]
  let firstMonth: Int32
  static let words = 16
  var bits: [UInt64]

  init(partners: Int, firstMonth: Int32) {
    found = Array(repeating: PartnerMilestones(), count: partners)
    seen = Array(repeating: false, count: partners)
    bits = Array(repeating: 0, count: partners * Self.words)
    self.firstMonth = firstMonth
  }

  mutating func active(_ month: Int32, partner p: Int) {
    let offset = Int(month) - Int(firstMonth)
    if offset >= 0, offset < Self.words * 64 {
      bits[p * Self.words + offset >> 6] |= 1 << UInt64(offset & 63)
    } else {
      found[p].activeMonths.insert(month)
    }
  }

  func milestones(of p: Int) -> PartnerMilestones {
    var m = found[p]
    for w in 0..<Self.words {
      var word = bits[p * Self.words + w]
      while word != 0 {
        m.activeMonths.insert(firstMonth + Int32(w * 64 + word.trailingZeroBitCount))
        word &= word - 1
      }
    }
    return m
  }
}
