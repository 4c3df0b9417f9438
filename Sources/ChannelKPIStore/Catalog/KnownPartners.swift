import ChannelKPI

/// The partners, types and regions a program's data holds, so that ladders and plans that name
/// none of them are refused.
public struct KnownPartners: Sendable {
  public var partners: Set<String>
  public var types: Set<String>
  public var regions: Set<String>
  /// The `tier` and `manager` attributes partners have.
  public var tiers: Set<String>
  public var managers: Set<String>

  public init(
    partners: Set<String>, types: Set<String>, regions: Set<String>, tiers: Set<String> = [], managers: Set<String> = []
  ) {
    self.partners = partners
    self.types = types
    self.regions = regions
    self.tiers = tiers
    self.managers = managers
  }

  /// The partners a store holds (nil when it holds none yet: then nothing can be checked).
  public static func read(from store: any Store) async throws -> KnownPartners? {
    let known = Locked(KnownPartners(partners: [], types: [], regions: []))
    try await store.forEachRow(of: [.partners]) { r in
      known.withLock { k in
        if let id = r["partner_id"].string { k.partners.insert(id) }
        if let t = r["type"].string { k.types.insert(t) }
        if let g = r["region"].string { k.regions.insert(g) }
        if let t = r["tier"].string { k.tiers.insert(t) }
        if let m = r["manager"].string { k.managers.insert(m) }
      }
    }
    let k = known.withLock { $0 }
    return k.partners.isEmpty ? nil : k
  }
}
