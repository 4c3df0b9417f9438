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
  public func milestones() -> [String: PartnerMilestones] {
    finishLoading()
    var out: [String: PartnerMilestones] = [:]
    for p in partners() { out[p.id] = PartnerMilestones() }
    for t in CanonicalTable.allCases where Self.isActivity(t) {
      let cols = tables[t.ordinal]
      let schema = t.schema
      let known = t.knownAsOf
      // What the partner did: rows it started, deals it closed, leads it converted, certifications
      // its people completed; not what happened to it (a customer churning, a ticket resolved).
      let done = ["closed_on", "converted_on", "completed_on"].compactMap { schema.index[$0] }
      let dates = (known.origins + known.events.map(\.date).filter { done.contains($0) }).filter { cols.kept[$0] }
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
      for r in 0..<Int32(cols.count) {
        let code = cols.value(r, partnerColumn)
        guard code >= 0 else { continue }
        let id = partnerPool[Int32(code)]
        var m = out[id] ?? PartnerMilestones()
        for c in dates {
          let v = cols.value(r, c)
          guard v != FactColumns.absent64 else { continue }
          let day: Day =
            switch schema.columns[c].type {
            case .datetime: Timestamp(microseconds: v).utcDay
            case .month: Month(index: Int32(v)).firstDay
            default: Day(number: Int32(v))
            }
          m.activeMonths.insert(day.month.index)
        }
        if let stage, let won, let closed, cols.value(r, stage) == won, cols.value(r, closed) != FactColumns.absent64 {
          let day = Day(number: Int32(cols.value(r, closed)))
          let a = amount.map { cols.value(r, $0) }
          if m.firstWon.map({ day < $0 }) ?? true {
            m.firstWon = day
            m.firstWonAmount = a
          } else if day == m.firstWon, let a, a > m.firstWonAmount ?? Int64.min {
            m.firstWonAmount = a
          }
        }
        if let registered, cols.value(r, registered) != FactColumns.absent64 {
          let day = Day(number: Int32(cols.value(r, registered)))
          if m.firstRegistered.map({ day < $0 }) ?? true { m.firstRegistered = day }
        }
        if let completed, cols.value(r, completed) != FactColumns.absent64 {
          let p = program.map { cols.value(r, $0) }.flatMap {
            $0 == FactColumns.absent64 ? nil : programPool?[Int32($0)]
          }
          m.certifications.append(
            PartnerMilestones.Completion(day: Day(number: Int32(cols.value(r, completed))), program: p))
        }
        out[id] = m
      }
    }
    return out
  }
}
