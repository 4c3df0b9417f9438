/// The ideal partner profile for recruiting: which attributes are over-represented among the top
/// quartile of partners by a KPI, and a score for a prospect's attributes.
public struct IdealPartnerProfile: Sendable, Hashable, Codable {
  public var kpi: String
  public var period: String
  public var better: Direction
  /// Partners in the program during the period with a value of the KPI.
  public var partners: Int
  /// Of them, those in the top quartile (at or beyond the 75th percentile, direction-aware).
  public var top: Int
  /// The value a partner had to reach to be in the top quartile.
  public var threshold: Double
  /// Every attribute value seen, by attribute and then by lift, highest first.
  public var attributes: [ProfileAttribute]
  /// The bounds of the first-deal bands (quartiles of first won deals, minor units).
  public var firstDealCuts: [Int64]

  /// The attributes a profile reads, in the order shown.
  public static let attributeNames = ["type", "region", "country", "tier", "certified_90d", "first_deal"]
}

/// One value of one attribute among all partners and among the top quartile.
public struct ProfileAttribute: Sendable, Hashable, Codable {
  public var attribute: String
  public var value: String
  /// Partners with this value, and those of them in the top quartile.
  public var partners: Int
  public var top: Int
  /// Its share of all partners and of the top quartile.
  public var share: Double
  public var topShare: Double
  /// topShare / share: above 1 when the value is over-represented among the best.
  public var lift: Double
}

/// How a prospect's attributes compare with the profile.
public struct ProspectScore: Sendable, Hashable, Codable {
  public struct Part: Sendable, Hashable, Codable {
    public var attribute: String
    public var value: String
    /// Nil when too few partners (fewer than `minimumPartners`) had the value to say.
    public var lift: Double?
    public var partners: Int
  }
  /// The product of the lifts of the attributes that count: how many times more likely than an
  /// average partner to reach the top quartile, as far as these attributes say.
  public var lift: Double
  /// The top quartile's share of partners (0.25 give or take ties) times the lift, at most 1.
  public var chance: Double
  public var parts: [Part]
}

public struct ProfileError: Error, Sendable, CustomStringConvertible {
  public let message: String
  public init(_ m: String) { message = m }
  public var description: String { message }
}

public enum PartnerProfiler {
  /// Attribute values held by fewer partners say nothing about a prospect.
  public static let minimumPartners = 3

  /// The profile of `partners` by their `values` of a KPI (partners without a value are left out).
  public static func profile(
    kpi: String, period: Period, better: Direction, values: [String: Double], partners: [PartnerInfo],
    milestones: [String: PartnerMilestones], onboardingDays: Int
  ) throws(ProfileError) -> IdealPartnerProfile {
    let measured = partners.filter { values[$0.id]?.isFinite ?? false }
    guard measured.count >= 4 else {
      throw ProfileError(
        "\(measured.count) partner\(measured.count == 1 ? " has" : "s have") a value of \(kpi) in \(period): a top quartile needs at least 4"
      )
    }
    let sorted = measured.map { values[$0.id]! }.sorted()
    let threshold = QuartileCuts.quantile(sorted, better == .higher ? 0.75 : 0.25)
    let isTop = { (p: PartnerInfo) -> Bool in
      better == .higher ? values[p.id]! >= threshold : values[p.id]! <= threshold
    }
    let firstDeals = measured.compactMap { milestones[$0.id]?.firstWonAmount }.map(Double.init).sorted()
    let cuts: [Int64] =
      firstDeals.isEmpty ? [] : [0.25, 0.5, 0.75].map { Int64(QuartileCuts.quantile(firstDeals, $0).rounded()) }
    let top = measured.filter(isTop)
    var rows: [ProfileAttribute] = []
    for name in IdealPartnerProfile.attributeNames {
      var all: [String: Int] = [:]
      var best: [String: Int] = [:]
      for p in measured {
        let v = attribute(name, of: p, milestones[p.id] ?? PartnerMilestones(), cuts: cuts, days: onboardingDays)
        all[v, default: 0] += 1
        if isTop(p) { best[v, default: 0] += 1 }
      }
      let group = all.map { value, n in
        let share = Double(n) / Double(measured.count)
        let topShare = Double(best[value] ?? 0) / Double(top.count)
        return ProfileAttribute(
          attribute: name, value: value, partners: n, top: best[value] ?? 0, share: share, topShare: topShare,
          lift: topShare / share)
      }
      rows += group.sorted { ($1.lift, $0.value) < ($0.lift, $1.value) }
    }
    return IdealPartnerProfile(
      kpi: kpi, period: period.description, better: better, partners: measured.count, top: top.count,
      threshold: threshold, attributes: rows, firstDealCuts: cuts)
  }

  /// A partner's value of a profile attribute.
  static func attribute(_ name: String, of p: PartnerInfo, _ m: PartnerMilestones, cuts: [Int64], days: Int) -> String {
    switch name {
    case "type": return p.type
    case "region": return p.region
    case "country": return p.country ?? "unknown"
    case "tier": return p.tier ?? "none"
    case "certified_90d":
      let end = p.joinedOn + Int32(days - 1)
      return m.certifications.contains { $0.day >= p.joinedOn && $0.day <= end } ? "yes" : "no"
    default:
      guard let a = m.firstWonAmount else { return "no won deal" }
      return band(a, cuts)
    }
  }

  /// The first-deal band of an amount in minor units.
  static func band(_ a: Int64, _ cuts: [Int64]) -> String {
    guard cuts.count == 3 else { return "any" }
    func major(_ x: Int64) -> String { Money.format(cents: x) }
    if a < cuts[0] { return "under \(major(cuts[0]))" }
    if a < cuts[1] { return "\(major(cuts[0]))–\(major(cuts[1]))" }
    if a < cuts[2] { return "\(major(cuts[1]))–\(major(cuts[2]))" }
    return "\(major(cuts[2])) and over"
  }

  /// A prospect scored against a profile. `attributes` are by name: type, region, country, tier,
  /// certified_90d (yes or no) and first_deal (an amount in major units, e.g. 25000).
  public static func score(_ attributes: [String: String], against profile: IdealPartnerProfile) throws(ProfileError)
    -> ProspectScore
  {
    guard !attributes.isEmpty else {
      throw ProfileError(
        "name at least one attribute of the prospect: \(IdealPartnerProfile.attributeNames.joined(separator: ", "))")
    }
    var parts: [ProspectScore.Part] = []
    var lift = 1.0
    for name in IdealPartnerProfile.attributeNames {
      guard var value = attributes[name] else { continue }
      switch name {
      case "certified_90d":
        guard value == "yes" || value == "no" else {
          throw ProfileError("certified_90d is yes or no, not '\(value)'")
        }
      case "first_deal":
        guard let cents = Money.parseCents(value), cents >= 0 else {
          throw ProfileError("first_deal is the amount of the prospect's first deal, such as 25000, not '\(value)'")
        }
        value = band(cents, profile.firstDealCuts)
      default: break
      }
      let row = profile.attributes.first { $0.attribute == name && $0.value == value }
      let counts = (row?.partners ?? 0) >= minimumPartners
      if counts, let row { lift *= row.lift }
      parts.append(
        ProspectScore.Part(attribute: name, value: value, lift: counts ? row?.lift : nil, partners: row?.partners ?? 0))
    }
    let unknown = attributes.keys.filter { !IdealPartnerProfile.attributeNames.contains($0) }.sorted()
    if let u = unknown.first {
      throw ProfileError(
        "unknown attribute '\(u)'\(Spelling.hint(for: u, in: IdealPartnerProfile.attributeNames)); the attributes are \(IdealPartnerProfile.attributeNames.joined(separator: ", "))"
      )
    }
    let base = Double(profile.top) / Double(profile.partners)
    return ProspectScore(lift: lift, chance: Swift.min(1, base * lift), parts: parts)
  }
}
