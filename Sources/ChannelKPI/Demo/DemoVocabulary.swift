/// Words and names the demo draws from.
enum DemoVocabulary {
  static let products: [String] = [
    "Cloud Suite", "Security Edge", "Data Platform", "Endpoint Manager", "Analytics Pro",
    "Backup & Recovery", "Support Plus", "Network Fabric",
  ]

  static let nameWords: [String] = [
    "North", "Blue", "Summit", "Apex", "Cedar", "Harbor", "Nimbus", "Vertex", "Granite", "Silverline",
    "Pioneer", "Atlas", "Orion", "Crest", "Quantum", "Ironwood", "Maple", "Coastal", "Polar",
    "Sunrise", "Bright", "Keystone", "Evergreen", "Redwood", "Falcon", "Lumen", "Nova", "Zenith",
    "Meridian", "Horizon", "Beacon", "Copper",
  ]

  static let segments: [String] = ["smb", "mid_market", "enterprise"]

  /// How much each segment's deals are worth relative to mid-market.
  static let segmentAmount: [Double] = [0.45, 1.0, 2.6]

  /// How much more or less likely each segment is to leave in a month.
  static let segmentChurn: [Double] = [1.4, 1.0, 0.6]

  static let sources: [String] = ["sourced", "influenced", "co_sell"]
}

/// The marketing channels of demo campaigns.
enum DemoChannel: Int, CaseIterable {
  case email, event, web, paidSearch, webinar, social

  var slug: String {
    switch self {
    case .email: "email"
    case .event: "event"
    case .web: "web"
    case .paidSearch: "paid_search"
    case .webinar: "webinar"
    case .social: "social"
    }
  }

  /// How a campaign of this channel is named.
  var noun: String {
    switch self {
    case .email: "Newsletter"
    case .event: "Roadshow"
    case .web: "Landing Page"
    case .paidSearch: "Search Ads"
    case .webinar: "Webinar"
    case .social: "Social Push"
    }
  }

  /// Typical length in days (lower...upper).
  var days: (Int, Int) {
    switch self {
    case .email: (1, 10)
    case .event: (1, 3)
    case .web: (30, 90)
    case .paidSearch: (14, 60)
    case .webinar: (1, 1)
    case .social: (14, 45)
    }
  }

  /// Median total cost in currency units.
  var medianCost: Double {
    switch self {
    case .email: 1_500
    case .event: 14_000
    case .web: 4_000
    case .paidSearch: 6_000
    case .webinar: 2_500
    case .social: 3_000
    }
  }

  /// Currency units spent per lead.
  var costPerLead: Double {
    switch self {
    case .email: 280
    case .event: 900
    case .web: 460
    case .paidSearch: 380
    case .webinar: 240
    case .social: 440
    }
  }

  /// How much better than an organic lead one from this channel converts.
  var leadQuality: Double {
    switch self {
    case .email: 0.8
    case .event: 1.25
    case .web: 0.9
    case .paidSearch: 0.9
    case .webinar: 1.1
    case .social: 0.7
    }
  }

  /// Currency units spent per website visit; nil when the channel brings no attributed visits.
  var costPerVisit: Double? {
    switch self {
    case .email: 1.5
    case .event: nil
    case .web: 4
    case .paidSearch: 2.5
    case .webinar: 6
    case .social: 2
    }
  }
}
