/// The sales regions of a demo program, with their countries, seasons and ways of doing business.
enum DemoRegion: Int, CaseIterable {
  case emea, na, latam, apac

  /// Share of partners in each region.
  static let mix: [Double] = [0.36, 0.34, 0.12, 0.18]

  var slug: String {
    switch self {
    case .emea: "emea"
    case .na: "na"
    case .latam: "latam"
    case .apac: "apac"
    }
  }

  /// Countries with relative weights, the UTC offset their partners write times in (minutes),
  /// and the legal-form suffix of company names there.
  var countries: [(code: String, weight: Double, offset: Int32, suffix: String)] {
    switch self {
    case .emea:
      [
        ("GB", 5, 0, "Ltd"), ("DE", 5, 60, "GmbH"), ("FR", 4, 60, "SAS"), ("NL", 2, 60, "BV"),
        ("ES", 2, 60, "SL"), ("IT", 2, 60, "Srl"), ("SE", 1, 60, "AB"), ("PL", 1, 60, "Sp. z o.o."),
        ("FI", 1, 120, "Oy"), ("ZA", 1, 120, "Pty Ltd"), ("IL", 1, 120, "Ltd"), ("AE", 1, 240, "FZ-LLC"),
      ]
    case .na:
      [
        ("US", 8, -300, "Inc"), ("US", 4, -360, "LLC"), ("US", 5, -480, "Inc"), ("US", 2, -420, "LLC"),
        ("CA", 3, -300, "Ltd"),
      ]
    case .latam:
      [
        ("BR", 5, -180, "Ltda"), ("MX", 4, -360, "S.A. de C.V."), ("AR", 2, -180, "SRL"),
        ("CL", 1, -240, "SpA"), ("CO", 2, -300, "SAS"),
      ]
    case .apac:
      [
        ("AU", 4, 600, "Pty Ltd"), ("JP", 3, 540, "KK"), ("SG", 3, 480, "Pte Ltd"),
        ("IN", 4, 330, "Pvt Ltd"), ("KR", 1, 540, "Co Ltd"), ("NZ", 1, 720, "Ltd"),
      ]
    }
  }

  /// Words for partner names that sound local.
  var nameWords: [String] {
    switch self {
    case .emea: ["Nordlicht", "Élan", "Söder", "Alpen", "Thames", "Rhein", "Baltic", "Côte"]
    case .na: ["Liberty", "Cascade", "Prairie", "Lakeshore", "Sierra", "Hudson", "Pacific", "Great Lakes"]
    case .latam: ["Andes", "Pampa", "Río", "Sertão", "Azteca", "Caribe", "Austral", "Tropical"]
    case .apac: ["Sakura", "Harbour", "Kiwi", "Lotus", "Monsoon", "Coral", "Outback", "Han"]
    }
  }

  /// The channel account managers of the region.
  var managers: [String] {
    switch self {
    case .emea: ["Amélie Laurent", "Jonas Weber", "Fatima Haddad", "Oliver Grant"]
    case .na: ["Megan Brooks", "Daniel Kim", "Rachel Ortiz", "Tom Becker"]
    case .latam: ["José Álvarez", "Camila Souza", "Diego Ramírez"]
    case .apac: ["Sakura Tanaka", "Arjun Mehta", "Grace Liu"]
    }
  }

  var amountFactor: Double {
    switch self {
    case .emea: 1.0
    case .na: 1.2
    case .latam: 0.62
    case .apac: 0.92
    }
  }

  var volumeFactor: Double {
    switch self {
    case .emea: 1.0
    case .na: 1.1
    case .latam: 0.85
    case .apac: 0.9
    }
  }

  var cycleFactor: Double {
    switch self {
    case .emea: 1.1
    case .na: 0.9
    case .latam: 1.25
    case .apac: 1.15
    }
  }

  /// How much more or less the vendor's own sales team sells together with partners here.
  var coSellFactor: Double {
    switch self {
    case .emea: 1.0
    case .na: 1.35
    case .latam: 0.6
    case .apac: 0.8
    }
  }

  /// How much partners here spend on campaigns.
  var marketingFactor: Double {
    switch self {
    case .emea: 1.0
    case .na: 1.3
    case .latam: 0.7
    case .apac: 0.85
    }
  }

  /// Relative weights of `DemoChannel.allCases` in this region's campaigns.
  var channelWeights: [Double] {
    switch self {
    case .emea: [0.30, 0.25, 0.12, 0.13, 0.15, 0.05]
    case .na: [0.25, 0.10, 0.15, 0.30, 0.12, 0.08]
    case .latam: [0.30, 0.25, 0.15, 0.10, 0.05, 0.15]
    case .apac: [0.25, 0.20, 0.15, 0.20, 0.10, 0.10]
    }
  }

  /// The network's share of this region's market the demo aims for.
  var marketShare: Double {
    switch self {
    case .emea: 0.035
    case .na: 0.045
    case .latam: 0.05
    case .apac: 0.022
    }
  }

  /// Business activity by month of the year: quarter ends and Q4 busy, holidays quiet.
  func season(_ monthOfYear: Int) -> Double {
    let m = (monthOfYear - 1) % 12
    return DemoRegion.seasons[rawValue * 12 + m]
  }

  private static let seasons: [Double] = [
    // emea: quiet August and holidays
    0.85, 0.95, 1.08, 0.95, 1.0, 1.08, 0.85, 0.65, 1.08, 1.02, 1.12, 1.05,
    // na: strong Q4
    0.88, 0.95, 1.08, 0.95, 1.0, 1.08, 0.9, 0.88, 1.08, 1.04, 1.15, 1.2,
    // latam: southern summer in January and February
    0.72, 0.75, 1.05, 0.98, 1.02, 1.08, 0.95, 0.95, 1.08, 1.04, 1.12, 1.0,
    // apac: lunar new year in February, Japanese fiscal year end in March
    0.92, 0.78, 1.15, 0.95, 1.0, 1.08, 0.95, 0.92, 1.08, 1.02, 1.12, 1.1,
  ]
}
