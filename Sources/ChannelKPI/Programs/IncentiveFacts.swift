/// A won deal as incentive plans read it.
public struct WonDeal: Sendable, Hashable {
  public var id: String
  public var partner: String
  public var closedOn: Day
  public var amount: Int64
  public var product: String?
  public var source: String
}

/// A campaign's claim on market development funds.
public struct MDFClaim: Sendable, Hashable {
  public var campaign: String
  public var partner: String
  public var startedOn: Day
  public var amount: Int64
}

/// The single facts incentive plans read: won deals, MDF claims and which deals campaigns led to.
public struct IncentiveFacts: Sendable {
  /// Won deals by partner, by closing day.
  public var wonDeals: [String: [WonDeal]] = [:]
  /// Campaigns with an MDF amount, by partner, by start day.
  public var claims: [String: [MDFClaim]] = [:]
  /// For each campaign, the deals its leads name.
  public var dealsOfCampaign: [String: Set<String>] = [:]
}

extension KPIEngine {
  /// The columns incentive plans read, to keep when the engine is built for them.
  public static let incentiveColumns: [CanonicalTable: [String]] = [
    .deals: ["deal_id", "stage", "closed_on", "amount", "product", "source"],
    .campaigns: ["campaign_id", "started_on", "mdf_amount"],
    .leads: ["lead_id", "campaign_id", "deal_id"],
  ]

  /// Reads the facts incentive plans need (the engine must keep `incentiveColumns`).
  public func incentiveFacts() -> IncentiveFacts {
    finishLoading()
    var out = IncentiveFacts()
    func reader(_ t: CanonicalTable) -> (rows: Int32, text: (Int32, String) -> String?, int: (Int32, String) -> Int64?)
    {
      let ti = Self.tableIndex(t)
      let cols = tables[ti]
      let schema = t.schema
      let text: (Int32, String) -> String? = { row, name in
        guard let c = schema.index[name], cols.kept[c] else { return nil }
        let v = cols.value(row, c)
        return v == FactColumns.absent64 ? nil : self.pool(schema.columns[c].domain)[Int32(v)]
      }
      let int: (Int32, String) -> Int64? = { row, name in
        guard let c = schema.index[name], cols.kept[c] else { return nil }
        let v = cols.value(row, c)
        return v == FactColumns.absent64 ? nil : v
      }
      return (Int32(Swift.min(cols.count, applied[ti])), text, int)
    }
    let deals = reader(.deals)
    for r in 0..<deals.rows where deals.text(r, "stage") == "won" {
      guard let id = deals.text(r, "deal_id"), let partner = deals.text(r, "partner_id"),
        let closed = deals.int(r, "closed_on"), let amount = deals.int(r, "amount")
      else { continue }
      out.wonDeals[partner, default: []].append(
        WonDeal(
          id: id, partner: partner, closedOn: Day(number: Int32(closed)), amount: amount,
          product: deals.text(r, "product"), source: deals.text(r, "source") ?? ""))
    }
    for k in out.wonDeals.keys {
      out.wonDeals[k]!.sort {
        $0.closedOn != $1.closedOn ? $0.closedOn < $1.closedOn : $0.id.utf8.lexicographicallyPrecedes($1.id.utf8)
      }
    }
    let campaigns = reader(.campaigns)
    for r in 0..<campaigns.rows {
      guard let mdf = campaigns.int(r, "mdf_amount"), let id = campaigns.text(r, "campaign_id"),
        let partner = campaigns.text(r, "partner_id"), let started = campaigns.int(r, "started_on")
      else { continue }
      out.claims[partner, default: []].append(
        MDFClaim(campaign: id, partner: partner, startedOn: Day(number: Int32(started)), amount: mdf))
    }
    for k in out.claims.keys {
      out.claims[k]!.sort {
        $0.startedOn != $1.startedOn
          ? $0.startedOn < $1.startedOn : $0.campaign.utf8.lexicographicallyPrecedes($1.campaign.utf8)
      }
    }
    let leads = reader(.leads)
    for r in 0..<leads.rows {
      guard let c = leads.text(r, "campaign_id"), let d = leads.text(r, "deal_id") else { continue }
      out.dealsOfCampaign[c, default: []].insert(d)
    }
    return out
  }
}
