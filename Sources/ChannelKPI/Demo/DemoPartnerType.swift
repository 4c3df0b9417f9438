/// The kinds of partner in a demo program; each sells, markets and serves in its own way.
enum DemoPartnerType: Int, CaseIterable {
  case reseller, msp, referral, systemIntegrator, distributor

  /// Share of each kind among the partners.
  static let mix: [Double] = [0.35, 0.20, 0.20, 0.15, 0.10]

  var slug: String {
    switch self {
    case .reseller: "reseller"
    case .msp: "msp"
    case .referral: "referral"
    case .systemIntegrator: "system_integrator"
    case .distributor: "distributor"
    }
  }

  /// Deals a typical partner opens per month besides those that come from its own leads.
  var dealsPerMonth: Double {
    switch self {
    case .reseller: 11
    case .msp: 8
    case .referral: 4
    case .systemIntegrator: 4
    case .distributor: 29
    }
  }

  /// Leads a typical partner gets per month outside campaigns.
  var leadsPerMonth: Double {
    switch self {
    case .reseller: 7
    case .msp: 5
    case .referral: 4
    case .systemIntegrator: 2.5
    case .distributor: 10
    }
  }

  /// Share of leads that become opportunities.
  var leadConversion: Double {
    switch self {
    case .reseller: 0.22
    case .msp: 0.26
    case .referral: 0.34
    case .systemIntegrator: 0.30
    case .distributor: 0.15
    }
  }

  /// Marketing campaigns a typical partner starts per month.
  var campaignsPerMonth: Double {
    switch self {
    case .reseller: 0.45
    case .msp: 0.3
    case .referral: 0.06
    case .systemIntegrator: 0.2
    case .distributor: 0.9
    }
  }

  /// Median deal amount in currency units, before region, segment and tier.
  var medianAmount: Double {
    switch self {
    case .reseller: 16_000
    case .msp: 8_000
    case .referral: 11_000
    case .systemIntegrator: 70_000
    case .distributor: 24_000
    }
  }

  /// Won revenue per month of a typical partner of this kind, roughly: what tiers are based on.
  var typicalRevenue: Double { dealsPerMonth * medianAmount * winRate }

  /// Partners selling bigger deals spend more per campaign and pay more per lead.
  var marketingScale: Double { medianAmount / 16_000 }

  var amountSigma: Double {
    switch self {
    case .reseller: 0.8
    case .msp: 0.6
    case .referral: 0.7
    case .systemIntegrator: 0.9
    case .distributor: 0.7
    }
  }

  /// Median days from opportunity to close.
  var cycleDays: Double {
    switch self {
    case .reseller: 42
    case .msp: 30
    case .referral: 36
    case .systemIntegrator: 90
    case .distributor: 22
    }
  }

  /// Relative weights of sourced, influenced and co-sell deals.
  var sourceWeights: (sourced: Double, influenced: Double, coSell: Double) {
    switch self {
    case .reseller: (0.60, 0.25, 0.15)
    case .msp: (0.70, 0.20, 0.10)
    case .referral: (0.35, 0.55, 0.10)
    case .systemIntegrator: (0.35, 0.25, 0.40)
    case .distributor: (0.55, 0.40, 0.05)
    }
  }

  var winRate: Double {
    switch self {
    case .reseller: 0.32
    case .msp: 0.42
    case .referral: 0.45
    case .systemIntegrator: 0.36
    case .distributor: 0.28
    }
  }

  /// Share of deals sold to customers the partner already has.
  var repeatShare: Double {
    switch self {
    case .reseller: 0.30
    case .msp: 0.50
    case .referral: 0.10
    case .systemIntegrator: 0.25
    case .distributor: 0.35
    }
  }

  /// Monthly chance that a customer leaves.
  var monthlyChurn: Double {
    switch self {
    case .reseller: 0.013
    case .msp: 0.008
    case .referral: 0.022
    case .systemIntegrator: 0.010
    case .distributor: 0.018
    }
  }

  /// Relative weights of smb, mid_market and enterprise customers.
  var segmentWeights: [Double] {
    switch self {
    case .reseller: [0.50, 0.35, 0.15]
    case .msp: [0.70, 0.25, 0.05]
    case .referral: [0.50, 0.35, 0.15]
    case .systemIntegrator: [0.10, 0.40, 0.50]
    case .distributor: [0.60, 0.30, 0.10]
    }
  }

  /// Median days from joining to being ready to sell.
  var onboardingDays: Double {
    switch self {
    case .reseller: 60
    case .msp: 75
    case .referral: 30
    case .systemIntegrator: 120
    case .distributor: 45
    }
  }

  /// Chance that a sourced deal gets registered.
  var registrationRate: Double {
    switch self {
    case .reseller: 0.85
    case .msp: 0.75
    case .referral: 0.45
    case .systemIntegrator: 0.70
    case .distributor: 0.90
    }
  }

  /// Shares of promoters and detractors among a typical partner's survey answers.
  var satisfaction: (promoters: Double, detractors: Double) {
    switch self {
    case .reseller: (0.45, 0.18)
    case .msp: (0.55, 0.12)
    case .referral: (0.48, 0.15)
    case .systemIntegrator: (0.50, 0.14)
    case .distributor: (0.33, 0.26)
    }
  }

  /// Median hours to resolve a support ticket.
  var resolutionHours: Double {
    switch self {
    case .reseller: 14
    case .msp: 5
    case .referral: 30
    case .systemIntegrator: 20
    case .distributor: 28
    }
  }

  /// People a typical partner sends to certification when it joins.
  var certifiedStaff: Double {
    switch self {
    case .reseller: 3
    case .msp: 3
    case .referral: 1
    case .systemIntegrator: 5
    case .distributor: 4
    }
  }

  /// Partners with many visitors report traffic per day, the others per week.
  var dailyTraffic: Bool { self == .reseller || self == .msp || self == .distributor }

  /// Chance of having a website whose traffic is reported at all.
  var websiteShare: Double { self == .referral ? 0.75 : 0.95 }

  /// Relative weights of `DemoVocabulary.products`.
  var productWeights: [Double] {
    switch self {
    case .reseller: [3, 2, 1, 2, 1, 1, 1, 1]
    case .msp: [1, 2, 0.5, 3, 0.5, 3, 3, 1]
    case .referral: [3, 1, 1, 1, 1, 0.5, 0.5, 0.5]
    case .systemIntegrator: [2, 1, 3, 0.5, 3, 0.5, 0.5, 2]
    case .distributor: [2, 2, 1, 2, 1, 2, 1, 2]
    }
  }

  /// A word that partners of this kind like to put in their name.
  var nameWords: [String] {
    switch self {
    case .reseller: ["Systems", "Technologies", "IT", "Solutions", "Digital", "Computing"]
    case .msp: ["Managed Services", "Cloud Services", "IT Services", "Networks", "Secure"]
    case .referral: ["Advisors", "Partners", "Consulting", "Associates"]
    case .systemIntegrator: ["Integration", "Consulting", "Engineering", "Data"]
    case .distributor: ["Distribution", "Trade", "Supply", "Wholesale"]
    }
  }
}

/// The current tier of a demo partner.
enum DemoTier: Int, CaseIterable {
  case platinum, gold, silver, registered

  var slug: String {
    switch self {
    case .platinum: "platinum"
    case .gold: "gold"
    case .silver: "silver"
    case .registered: "registered"
    }
  }

  /// How much better or worse than its kind's norm the tier wins.
  var winBonus: Double {
    switch self {
    case .platinum: 0.08
    case .gold: 0.05
    case .silver: 0
    case .registered: -0.04
    }
  }

  /// Higher tiers sell somewhat bigger deals.
  var amountFactor: Double {
    switch self {
    case .platinum: 1.25
    case .gold: 1.12
    case .silver: 1.0
    case .registered: 0.9
    }
  }
}
