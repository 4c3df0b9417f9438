/// One demo partner: what its row says, and the hidden traits that drive its activity.
struct DemoPartner {
  let index: Int
  let id: String
  let name: String
  let type: DemoPartnerType
  let region: DemoRegion
  /// "" when the partner record has no country.
  let country: String
  let tier: DemoTier?
  let joined: Day
  let left: Day?
  /// "" when the partner has no channel manager.
  let manager: String

  /// Volume relative to a typical partner of its kind: log-normal, and tiny for dormant partners.
  let size: Double
  /// Log growth of activity per month: positive for growing partners, negative for declining ones.
  let growth: Double
  /// Added to the win rate: some partners simply sell better.
  let skill: Double
  /// Days from joining until the partner is ready to sell.
  let onboardingDays: Int32
  /// The offset its ticketing system writes times in.
  let offsetMinutes: Int32
  let hasWebsite: Bool
  let dailyTraffic: Bool
  /// Leads per website visit.
  let visitToLead: Double
  /// Partners that never send anyone to certification exist too.
  let certifies: Bool
  let promoters: Double
  let detractors: Double
  /// Multiplies the resolution time of support tickets.
  let supportPace: Double
  let sourceWeights: [Double]
  let segmentWeights: [Double]
  let productWeights: [Double]

  /// The partner of `index` for `seed`; its traits come from its own random stream, so they can
  /// be rebuilt at any time without keeping every partner in memory.
  init(index: Int, seed: UInt64, range: DemoRange) {
    var r = DemoRandom(seed: seed, stream: 1, index: UInt64(index))
    self.index = index
    id = DemoText.id("P", index + 1, width: 4)
    let type = DemoPartnerType(rawValue: r.pick(DemoPartnerType.mix)) ?? .reseller
    let region = DemoRegion(rawValue: r.pick(DemoRegion.mix)) ?? .emea
    self.type = type
    self.region = region

    let countries = region.countries
    let place = countries[r.pick(countries.map(\.weight))]
    country = r.chance(0.03) ? "" : place.code
    // A third of partners run their ticketing in UTC whatever their country.
    offsetMinutes = r.chance(0.3) ? 0 : place.offset

    let local = region.nameWords
    let first =
      r.chance(0.25) ? local[r.below(local.count)] : DemoVocabulary.nameWords[r.below(DemoVocabulary.nameWords.count)]
    let words = type.nameWords
    let suffix = country.isEmpty ? "Group" : place.suffix
    name = first + " " + words[r.below(words.count)] + " " + suffix

    // Most partners predate the range, by up to two years (so the periods the data covers stay
    // close to the range); the rest join during it.
    if r.chance(0.78) {
      joined = range.start - Int32(30 + min(700, r.exponential(mean: 250)))
    } else {
      let span = max(1, Int(range.end - range.start) - 20)
      joined = range.start + Int32(r.below(span))
    }

    // One latent strength drives size; tiers follow the revenue a partner can be expected to make
    // (its size, its kind's deal sizes and volumes, its region), as vendors tier on revenue, and
    // new partners start at the bottom. Like every channel, a long tail of dormant partners sells
    // only now and then.
    let strength = r.normal()
    let dormant = r.chance(type == .referral ? 0.4 : 0.25)
    size = DemoMath.exp(0.55 * strength + 0.25 * r.normal()) * (dormant ? 0.03 : 1)
    let potential = type.typicalRevenue * region.amountFactor * region.volumeFactor / 55_000
    let tierScore = 0.8 * strength + 0.5 * r.normal() + 0.5 * DemoMath.log(potential) - (dormant ? 2.5 : 0)
    let tenure = range.end - joined
    if r.chance(type == .referral ? 0.18 : 0.05) {
      tier = nil
    } else if tenure < 180 || tierScore <= -0.5 {
      tier = .registered
    } else if tenure < 365 || tierScore <= 0.3 {
      tier = .silver
    } else {
      tier = tierScore > 1.1 ? .platinum : .gold
    }

    let trend = r.unit()
    if trend < 0.3 {
      growth = r.double(0.01, 0.03)
    } else if trend < 0.5 {
      growth = -r.double(0.01, 0.03)
    } else {
      growth = r.double(-0.004, 0.006)
    }
    skill = 0.06 * r.normal() + 0.4 * growth

    let leaves = r.chance(growth < -0.01 ? 0.3 : 0.06)
    let earliestLeave = max(joined, range.start) + 120
    if leaves, earliestLeave <= range.end {
      left = earliestLeave + Int32(r.below(Int(range.end - earliestLeave) + 1))
    } else {
      left = nil
    }

    let managers = region.managers
    manager = r.chance(0.06) ? "" : managers[r.below(managers.count)]
    onboardingDays = Int32(r.logNormal(median: type.onboardingDays, sigma: 0.35))
    hasWebsite = r.chance(type.websiteShare)
    dailyTraffic = type.dailyTraffic && r.chance(0.85) || r.chance(0.05)
    visitToLead = min(0.08, r.logNormal(median: 0.02, sigma: 0.4))
    certifies = r.chance(0.88)
    let base = type.satisfaction
    let mood = 0.08 * r.normal() + 0.5 * growth
    promoters = min(0.85, max(0.05, base.promoters + mood))
    detractors = min(0.9 - promoters, max(0.02, base.detractors - 0.8 * mood))
    supportPace = r.logNormal(median: 1, sigma: 0.3)

    let s = type.sourceWeights
    sourceWeights = [s.sourced, s.influenced, s.coSell * region.coSellFactor]
    segmentWeights = type.segmentWeights
    productWeights = type.productWeights
  }

  /// Deal-making strength on `day` apart from the season: nothing before joining or onboarding
  /// and from leaving on, ramping up after onboarding, then following the partner's trend.
  func selling(on day: Day, _ range: DemoRange) -> Double {
    if let left, day >= left { return 0 }
    let ready = joined + onboardingDays
    guard day >= ready else { return 0 }
    let ramp = min(1, 0.15 + Double(day - ready) / 150)
    return ramp * trend(on: day, range)
  }

  /// Marketing and web presence on `day`: like `selling`, but present from joining on.
  func presence(on day: Day, _ range: DemoRange) -> Double {
    if let left, day >= left { return 0 }
    guard day >= joined else { return 0 }
    return max(0.35, min(1, 0.15 + Double(day - joined - onboardingDays) / 150)) * trend(on: day, range)
  }

  private func trend(on day: Day, _ range: DemoRange) -> Double {
    min(3.5, max(0.3, DemoMath.exp(growth * range.monthsIn(day))))
  }
}
