/// A partner as the engine holds it.
public struct PartnerInfo: Sendable, Hashable {
  public let id: String
  public let name: String
  public let type: String
  public let region: String
  public let country: String?
  public let tier: String?
  public let joinedOn: Day
  public let leftOn: Day?
  public let manager: String?

  public init(
    id: String, name: String, type: String, region: String, country: String?, tier: String?, joinedOn: Day,
    leftOn: Day?, manager: String?
  ) {
    self.id = id
    self.name = name
    self.type = type
    self.region = region
    self.country = country
    self.tier = tier
    self.joinedOn = joinedOn
    self.leftOn = leftOn
    self.manager = manager
  }

  /// The scope of kind `kind` this partner belongs to (nil for tier when it has none).
  public func scope(_ kind: ScopeKind) -> Scope? {
    switch kind {
    case .network: .network
    case .partner: Scope(.partner, id)
    case .type: Scope(.type, type)
    case .region: Scope(.region, region)
    case .tier: tier.map { Scope(.tier, $0) }
    }
  }

  /// The same partner holding another tier (the level of a ladder in a period).
  public func with(tier: String?) -> PartnerInfo {
    PartnerInfo(
      id: id, name: name, type: type, region: region, country: country, tier: tier, joinedOn: joinedOn, leftOn: leftOn,
      manager: manager)
  }

  /// Whether the partner was in the program on any day of the range.
  public func isInProgram(during r: MonthRange) -> Bool {
    // Active on day d when joined_on ≤ d < left_on: the first day that could be is the later of
    // joining and the range's start (a partner that left the day it joined never was).
    let first = max(joinedOn, r.start)
    return first <= r.end && (leftOn.map { first < $0 } ?? true)
  }
}

extension KPIEngine {
  /// How many rows of a table the engine holds.
  public func rowCount(_ table: CanonicalTable) -> Int { tables[table.ordinal].count }

  /// Every partner, sorted by id.
  public func partners() -> [PartnerInfo] {
    finishLoading()
    let t = tables[Self.partnersIndex]
    let s = CanonicalTable.partners.schema
    func text(_ row: Int32, _ name: String) -> String? {
      let c = s.index[name]!
      let v = t.value(row, c)
      return v == FactColumns.absent64 ? nil : pool(s.columns[c].domain)[Int32(v)]
    }
    func day(_ row: Int32, _ name: String) -> Day? {
      let v = t.value(row, s.index[name]!)
      return v == FactColumns.absent64 ? nil : Day(number: Int32(v))
    }
    var out: [PartnerInfo] = []
    for row in 0..<Int32(t.count) {
      out.append(
        PartnerInfo(
          id: text(row, "partner_id") ?? "", name: text(row, "name") ?? "", type: text(row, "type") ?? "",
          region: text(row, "region") ?? "", country: text(row, "country"), tier: text(row, "tier"),
          joinedOn: day(row, "joined_on") ?? Day(number: 0), leftOn: day(row, "left_on"), manager: text(row, "manager"))
      )
    }
    return out.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
  }
}
