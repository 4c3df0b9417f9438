/// A training or certification the `enablement:` section recommends when a KPI is off track.
public struct EnablementItem: Sendable, Hashable {
  public var kpi: String
  /// What to take, e.g. "Solution selling".
  public var training: String
  /// The `program` of certifications.csv this training is, when it is one (for the report of
  /// what it changed).
  public var program: String?
  /// Where to take it.
  public var link: String?

  public init(kpi: String, training: String, program: String? = nil, link: String? = nil) {
    self.kpi = kpi
    self.training = training
    self.program = program
    self.link = link
  }
}

/// A training recommended to a partner, with the off-track KPIs it answers.
public struct TrainingRecommendation: Sendable, Hashable, Codable {
  public var training: String
  public var program: String?
  public var link: String?
  /// The names of the off-track KPIs it is for.
  public var kpis: [String]
}

/// Recommendations from KPI standings: each training mapped to a KPI that is off track, once,
/// in the order the definitions list them.
public enum Enablement {
  public static func recommendations(_ items: [EnablementItem], standings: [KPIStanding]) -> [TrainingRecommendation] {
    let off = Dictionary(
      standings.filter { $0.status == .offTrack }.map { ($0.kpi, $0.name) }, uniquingKeysWith: { a, _ in a })
    var out: [TrainingRecommendation] = []
    for item in items {
      guard let name = off[item.kpi] else { continue }
      if let i = out.firstIndex(where: { $0.training == item.training }) {
        if !out[i].kpis.contains(name) { out[i].kpis.append(name) }
      } else {
        out.append(
          TrainingRecommendation(training: item.training, program: item.program, link: item.link, kpis: [name]))
      }
    }
    return out
  }
}
