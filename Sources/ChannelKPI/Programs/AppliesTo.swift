/// Which partners a ladder or plan applies to: every key given must match (an empty filter
/// matches everyone).
public struct AppliesTo: Sendable, Hashable {
  public var types: [String]?
  /// The tier held during the period (plans only).
  public var tiers: [String]?
  public var regions: [String]?
  public var partners: [String]?

  public init(types: [String]? = nil, tiers: [String]? = nil, regions: [String]? = nil, partners: [String]? = nil) {
    self.types = types
    self.tiers = tiers
    self.regions = regions
    self.partners = partners
  }

  public var isEmpty: Bool { types == nil && tiers == nil && regions == nil && partners == nil }

  /// Whether a partner holding `tier` (nil: no level of the ladder) matches.
  public func matches(_ p: PartnerInfo, tier: String?) -> Bool {
    if let types, !types.contains(p.type) { return false }
    if let regions, !regions.contains(p.region) { return false }
    if let partners, !partners.contains(p.id) { return false }
    if let tiers {
      guard let tier, tiers.contains(tier) else { return false }
    }
    return true
  }

  /// `types: reseller, msp; tiers: gold` for people.
  public var summary: String {
    let parts = [("types", types), ("tiers", tiers), ("regions", regions), ("partners", partners)]
      .compactMap { k, v in v.map { "\(k): \($0.joined(separator: ", "))" } }
    return parts.isEmpty ? "every partner" : parts.joined(separator: "; ")
  }
}
