import ChannelKPI

/// One KPI: its trend against baseline and target, its breakdown by segment, the partners
/// that lead and trail, and how partners spread.
enum KPIPage {
  /// How many periods the time series shows, by grain.
  static func seriesLength(_ g: Grain) -> Int {
    switch g {
    case .month: 24
    case .quarter: 12
    case .year: 8
    }
  }

  /// A segment's value.
  struct SegmentValue: Hashable, Sendable {
    var value: String
    var label: String
    var amount: Double?
    var partners: Int
  }

  /// The values of one kind of segment (type, region or tier).
  struct Breakdown: Hashable, Sendable {
    var kind: ScopeKind
    var rows: [SegmentValue]
  }

  /// One partner type's cut points and the external figures about it (or the whole network).
  struct PeerGroupCuts: Hashable, Sendable {
    var group: String
    var partners: Int
    var cuts: QuartileCuts
    var external: [ExternalBenchmark]
  }

  /// A partner and its value.
  struct RankedPartner: Hashable, Sendable {
    var rank: Int
    var id: String
    var name: String
    var type: String
    var value: Double
  }

  struct Model: Hashable, Sendable {
    var chrome: PageChrome
    var definition: KPIDefinition
    /// The firing alerts of rules on this KPI (those the viewer may see).
    var alerts: [AlertsPage.Row] = []
    var value: Double?
    var changeVsPrevious: ValueChange?
    var changeVsYearAgo: ValueChange?
    var previousLabel: String
    var yearAgoLabel: String?
    /// The network's standing against its target, when one applies.
    var standing: KPIStanding?
    /// The time series, oldest first, ending with the selected period.
    var periods: [Period]
    var actual: [Double?]
    var baseline: [Double?]
    var target: [Double?]
    var breakdowns: [Breakdown]
    /// Partners with a value, best first.
    var ranked: [RankedPartner]
    var partnersInScope: Int
    var histogram: [Histogram.Bin]
    var median: Double?
    /// The peer distribution of each partner type, with the external figures about it.
    var peerGroups: [PeerGroupCuts] = []
    /// The network's forecast from the selected period on (nil without enough history).
    var forecast: KPIForecast?

    var best: [RankedPartner] { Array(ranked.prefix(10)) }
    /// The worst ten, worst first (empty when the best ten already list everyone).
    var worst: [RankedPartner] { ranked.count > 10 ? Array(ranked.suffix(10).reversed()) : [] }
  }

  static func build(service: KPIService, chrome: PageChrome, definition def: KPIDefinition) async throws -> Model {
    var model = Model(
      chrome: chrome, definition: def, previousLabel: "", periods: [], actual: [], baseline: [], target: [],
      breakdowns: [], ranked: [], partnersInScope: 0, histogram: [])
    guard let s = chrome.selection, let coverage = chrome.coverage else { return model }
    model.previousLabel = PeriodLabel.long(s.previous.period)
    model.yearAgoLabel = s.grain == .year ? nil : PeriodLabel.long(s.yearAgo.period)

    // The series, from the data's first period at most.
    let firstWithData = Period(grain: s.grain, containing: coverage.first)
    let start = max(s.period.shifted(by: -(seriesLength(s.grain) - 1)), firstWithData)
    let from = min(start, s.yearAgo.period)
    let series = try service.compute(
      ComputeRequest(kpis: [def.id], by: .network, grain: s.grain, from: from, to: s.period))
    let index = Dictionary(uniqueKeysWithValues: series.periods.enumerated().map { ($1, $0) })
    func value(_ p: Period) -> Double? { index[p].flatMap { series.value(kpi: 0, scope: 0, period: $0) } }
    // Leading periods before the KPI has any data (sums read 0 there) say nothing.
    var periods = series.periods.filter { $0 >= start }
    while periods.count > 2, (value(periods[0]) ?? 0) == 0 { periods.removeFirst() }
    model.periods = periods
    model.actual = model.periods.map(value)
    model.value = value(s.period)
    model.changeVsPrevious = ValueChange.between(
      model.value, value(s.previous.period), unit: def.unit, better: def.better)
    if s.grain != .year {
      model.changeVsYearAgo = ValueChange.between(
        model.value, value(s.yearAgo.period), unit: def.unit, better: def.better)
    }

    // Baseline and target of each period, from the definitions in force then.
    for p in model.periods {
      let st = (try? service.standings(kpis: [def.id], scopes: [.network], period: p))?[.network]?.first
      let hasTarget = st?.target != nil
      model.baseline.append(hasTarget ? st?.baseline : nil)
      model.target.append(st?.target)
      if p == s.period && hasTarget { model.standing = st }
    }
    if model.target.allSatisfy({ $0 == nil }) {
      model.baseline = []
      model.target = []
    }

    // Segments.
    let partners = service.partners()
    let members = partners.filter { $0.isInProgram(during: s.period.months) }
    model.partnersInScope = members.count
    for kind in [ScopeKind.type, .region, .tier] {
      let r = try service.compute(
        ComputeRequest(kpis: [def.id], by: kind, grain: s.grain, from: s.period, to: s.period))
      var counts: [String: Int] = [:]
      for p in members { if let v = p.scope(kind)?.value { counts[v, default: 0] += 1 } }
      let rows = r.scopes.enumerated().compactMap { i, scope -> SegmentValue? in
        guard let v = scope.value else { return nil }
        return SegmentValue(
          value: v, label: Segments.label(kind, v), amount: r.value(kpi: 0, scope: i, period: 0),
          partners: counts[v] ?? 0)
      }.sorted { a, b in
        switch (a.amount, b.amount) {
        case (let x?, let y?): x != y ? x > y : a.label < b.label
        case (nil, nil): a.label < b.label
        case (nil, _): false
        case (_, nil): true
        }
      }
      if !rows.isEmpty { model.breakdowns.append(Breakdown(kind: kind, rows: rows)) }
    }

    // The partners in the program during the period, best first.
    guard !members.isEmpty else { return model }
    let byPartner = try service.compute(
      ComputeRequest(
        kpis: [def.id], by: .partner, grain: s.grain, from: s.period, to: s.period,
        scopes: members.map { Scope(.partner, $0.id) }))
    let info = Dictionary(members.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    var values: [(PartnerInfo, Double)] = []
    for (i, scope) in byPartner.scopes.enumerated() {
      guard let id = scope.value, let p = info[id], let v = byPartner.value(kpi: 0, scope: i, period: 0), v.isFinite
      else { continue }
      values.append((p, v))
    }
    values.sort { a, b in
      a.1 != b.1 ? (def.better == .higher ? a.1 > b.1 : a.1 < b.1) : a.0.id < b.0.id
    }
    model.ranked = values.enumerated().map { i, pv in
      RankedPartner(rank: i + 1, id: pv.0.id, name: pv.0.name, type: pv.0.type, value: pv.1)
    }
    let sorted = values.map(\.1).sorted()
    if !sorted.isEmpty {
      let mid = sorted.count / 2
      model.median = sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
    model.histogram = Histogram.bins(sorted)

    // The forecast of the periods after the selected one, from the periods up to it.
    // (A period still under way is not read: the forecast starts from the last that has ended.)
    let ended = s.period.end < (service.todayDay)
    model.forecast = try? await service.forecast(
      kpi: def.id, scope: .network, grain: s.grain, horizon: nil, asOf: ended ? s.period : nil, backtest: 0)

    // Peer distributions by type, beside the external figures of the definitions.
    let (_, defs) = service.definitions(for: s.period)
    let external = defs.benchmarks.filter { $0.kpi == def.id && ($0.grain == nil || $0.grain == s.grain) }
    let groups = (try? await service.peerGroups(kpi: def.id, period: s.period, peers: .type)) ?? []
    model.peerGroups = groups.map { g in
      let type = String(g.group.dropFirst("type:".count))
      return PeerGroupCuts(
        group: type, partners: g.count, cuts: g.cuts,
        external: external.filter { $0.peers == .network || $0.peers == Scope(.type, type) })
    }
    return model
  }
}
