/// Which partners a partner is compared with.
public enum PeerGroup: String, CaseIterable, Sendable, Codable {
  /// Partners of the same type (the default).
  case type
  /// Partners of the same type and region.
  case typeRegion = "type_region"
  /// Partners holding the same tier during the period (under the ladder, when there is one).
  case tier
}

/// The cut points of a peer distribution, by linear interpolation between order statistics
/// (numpy's default method).
public struct QuartileCuts: Hashable, Sendable, Codable {
  public var p25: Double
  public var median: Double
  public var p75: Double
  public var p90: Double

  public init(p25: Double, median: Double, p75: Double, p90: Double) {
    self.p25 = p25
    self.median = median
    self.p75 = p75
    self.p90 = p90
  }

  /// The cut points of some values; nil when there are none.
  public init?(_ values: [Double]) {
    guard !values.isEmpty else { return nil }
    let s = values.sorted()
    p25 = Self.quantile(s, 0.25)
    median = Self.quantile(s, 0.5)
    p75 = Self.quantile(s, 0.75)
    p90 = Self.quantile(s, 0.9)
  }

  /// The q-quantile of sorted values: x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]) with h = (n − 1)q.
  public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
    let h = Double(sorted.count - 1) * q
    let lo = Int(h.rounded(.down))
    guard lo + 1 < sorted.count else { return sorted[sorted.count - 1] }
    return sorted[lo] + (h - Double(lo)) * (sorted[lo + 1] - sorted[lo])
  }
}

/// An external figure a program compares itself with (an industry study, an analyst's report).
public struct ExternalBenchmark: Hashable, Sendable, Codable {
  public var kpi: String
  /// The partners it is about: the network, a type, a region or a tier.
  public var peers: Scope
  /// The grain of the periods it applies to; nil: every grain.
  public var grain: Grain?
  public var value: Double
  /// Where the figure comes from.
  public var source: String

  public init(kpi: String, peers: Scope, grain: Grain?, value: Double, source: String) {
    self.kpi = kpi
    self.peers = peers
    self.grain = grain
    self.value = value
    self.source = source
  }

  /// Whether it speaks about this partner in a period of this grain.
  public func applies(to partner: PartnerInfo, grain g: Grain, tier: String?) -> Bool {
    if let grain, grain != g { return false }
    switch peers.kind {
    case .network: return true
    case .type: return peers.value == partner.type
    case .region: return peers.value == partner.region
    case .tier: return peers.value == tier
    case .partner: return peers.value == partner.id
    }
  }

  private enum CodingKeys: String, CodingKey { case kpi, peers, grain, value, source }
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(kpi, forKey: .kpi)
    try c.encode(peers.description, forKey: .peers)
    try c.encodeIfPresent(grain, forKey: .grain)
    try c.encode(value, forKey: .value)
    try c.encode(source, forKey: .source)
  }
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let text = try c.decode(String.self, forKey: .peers)
    guard let scope = Scope(text) else {
      throw DecodingError.dataCorruptedError(forKey: .peers, in: c, debugDescription: "'\(text)' is not a scope")
    }
    self.init(
      kpi: try c.decode(String.self, forKey: .kpi), peers: scope,
      grain: try c.decodeIfPresent(Grain.self, forKey: .grain),
      value: try c.decode(Double.self, forKey: .value), source: try c.decode(String.self, forKey: .source))
  }
}

/// A partner's position among its peers for one KPI and period.
public struct PeerPosition: Hashable, Sendable, Codable {
  public var partner: String
  public var kpi: String
  public var period: String
  /// The peer group, e.g. `type:reseller` or `type:reseller region:emea`.
  public var group: String
  public var value: Double?
  /// The share of the other peers with a value that do worse (0–100, direction-aware).
  public var percentile: Double?
  /// How many other peers have a value (left out for those who may not see every partner).
  public var others: Int?
  /// Cut points over every peer with a value (the partner included).
  public var cuts: QuartileCuts?
  /// External figures that apply to the partner.
  public var external: [ExternalBenchmark]

  public init(
    partner: String, kpi: String, period: String, group: String, value: Double?, percentile: Double?, others: Int?,
    cuts: QuartileCuts?, external: [ExternalBenchmark]
  ) {
    self.partner = partner
    self.kpi = kpi
    self.period = period
    self.group = group
    self.value = value
    self.percentile = percentile
    self.others = others
    self.cuts = cuts
    self.external = external
  }

  /// Peers the caller cannot see, with a value, needed before it is shown its percentile.
  public static let minimumForPercentile = 5
  /// … and before it is shown the cut points: with few peers, cut points interpolated between
  /// order statistics can be solved back for single partners' values.
  public static let minimumForCuts = 10

  /// What a partner (or a manager of some partners) may see, given how many of the other peers
  /// with a value it cannot see: the percentile and cut points only with enough of them, never
  /// how many peers there are or another partner's value.
  public func anonymized(hiddenOthers: Int) -> PeerPosition {
    var p = self
    p.others = nil
    if hiddenOthers < Self.minimumForPercentile { p.percentile = nil }
    if hiddenOthers < Self.minimumForCuts { p.cuts = nil }
    return p
  }
}

/// Places partners among their peers.
public struct PeerBenchmarks {
  public let evaluator: ProgramEvaluator

  public init(evaluator: ProgramEvaluator) { self.evaluator = evaluator }

  /// The positions of every partner in the program during the period (or only `partners`), for
  /// one KPI, among the peers of their group. With `seenBy`, for a caller who sees only the
  /// partners it accepts: each position anonymized by how many other peers it cannot see.
  public func positions(
    kpi: String, period: Period, peers: PeerGroup = .type, partners only: Set<String>? = nil,
    seenBy canSee: ((String) -> Bool)? = nil
  ) throws(ProgramError) -> [PeerPosition] {
    let engine = evaluator.engine
    let (_, defs, variant) = evaluator.definitions(for: period)
    guard let def = engine.compiled.variantCatalogs[variant].kpi(kpi) else {
      throw ProgramError(
        "unknown KPI '\(kpi)'\(Spelling.hint(for: kpi, in: engine.compiled.variantCatalogs[variant].kpis.map(\.id)))")
    }
    let partners = evaluator.partners
    let all = partners.filter { $0.isInProgram(during: period.months) }
    if let only, let missing = only.first(where: { id in !all.contains { $0.id == id } }) {
      throw ProgramError(
        partners.contains { $0.id == missing }
          ? "partner '\(missing)' is not in the program during \(period)" : "no partner '\(missing)'")
    }
    let result: ComputeResult
    do {
      let request = ComputeRequest(
        kpis: [kpi], by: .partner, grain: period.grain, from: period, to: period,
        scopes: all.map { Scope(.partner, $0.id) }, variant: variant)
      result = try evaluator.values(request)
    } catch { throw ProgramError(error.message) }
    var value: [String: Double] = [:]
    for (s, scope) in result.scopes.enumerated() {
      if let id = scope.value, let v = result.value(kpi: 0, scope: s, period: 0) { value[id] = v }
    }
    let tierOf: (PartnerInfo) -> String? = { p in evaluator.tierOf.map { $0(p.id, period) } ?? p.tier }
    func group(_ p: PartnerInfo) -> String? {
      switch peers {
      case .type: "type:\(p.type)"
      case .typeRegion: "type:\(p.type) region:\(p.region)"
      case .tier: tierOf(p).map { "tier:\($0)" }
      }
    }
    var members: [String: [PartnerInfo]] = [:]
    for p in all { if let g = group(p) { members[g, default: []].append(p) } }
    let lowerIsBetter = def.better == .lower
    var out: [PeerPosition] = []
    for p in all where only?.contains(p.id) ?? true {
      let g = group(p)
      let peerValues = g.flatMap { members[$0] }?.compactMap { value[$0.id] } ?? []
      let otherPeers = (g.flatMap { members[$0] } ?? []).filter { $0.id != p.id && value[$0.id] != nil }
      let others = otherPeers.compactMap { value[$0.id] }
      let own = value[p.id]
      var percentile: Double?
      if let own, !others.isEmpty {
        let worse = others.filter { lowerIsBetter ? $0 > own : $0 < own }.count
        percentile = 100 * Double(worse) / Double(others.count)
      }
      let external = defs.benchmarks.filter {
        $0.kpi == kpi && $0.applies(to: p, grain: period.grain, tier: tierOf(p))
      }
      var position = PeerPosition(
        partner: p.id, kpi: kpi, period: period.description, group: g ?? "(no \(peers.rawValue))", value: own,
        percentile: percentile, others: others.count, cuts: QuartileCuts(peerValues), external: external)
      if let canSee { position = position.anonymized(hiddenOthers: otherPeers.filter { !canSee($0.id) }.count) }
      out.append(position)
    }
    return out.sorted { $0.partner < $1.partner }
  }

  /// The cut points of every group of a KPI in a period (for the distribution on a KPI page).
  public func groups(kpi: String, period: Period, peers: PeerGroup = .type) throws(ProgramError) -> [(
    group: String, count: Int, cuts: QuartileCuts
  )] {
    let positions = try positions(kpi: kpi, period: period, peers: peers)
    var byGroup: [String: (Int, QuartileCuts)] = [:]
    for p in positions where p.value != nil {
      if let c = p.cuts { byGroup[p.group] = ((byGroup[p.group]?.0 ?? 0) + 1, c) }
    }
    return byGroup.keys.sorted().map { (group: $0, count: byGroup[$0]!.0, cuts: byGroup[$0]!.1) }
  }
}

extension PeerPosition {
  /// `partner,kpi,period,value,percentile,p25,median,p75,p90`, one line per position.
  public static func csv(_ positions: [PeerPosition]) -> String {
    var out = "partner,kpi,period,value,percentile,p25,median,p75,p90\n"
    for p in positions {
      out +=
        [
          CSVText.field(p.partner), CSVText.field(p.kpi), p.period, ValueFormat.machine(p.value),
          ValueFormat.machine(p.percentile), ValueFormat.machine(p.cuts?.p25), ValueFormat.machine(p.cuts?.median),
          ValueFormat.machine(p.cuts?.p75), ValueFormat.machine(p.cuts?.p90),
        ].joined(separator: ",") + "\n"
    }
    return out
  }
}
