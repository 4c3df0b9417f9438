import ChannelKPI
import ChannelKPIStore
import Logging

/// One partner: its scorecard, trends, recent deals and activity in the period.
enum PartnerPage {
  static let trendLength = 8

  /// A KPI of the partner over recent periods.
  struct Trend: Hashable, Sendable {
    var id: String
    var name: String
    var unit: KPIUnit
    var values: [Double?]
    var labels: [String]
    var change: ValueChange?
    var value: Double? { values.last ?? nil }
  }

  /// A KPI of the partner beside the network's.
  struct Comparison: Hashable, Sendable {
    var id: String
    var name: String
    var unit: KPIUnit
    var partner: Double?
    var network: Double?
  }

  /// A deal of the recent deals table.
  struct Deal: Hashable, Sendable {
    var id: String
    var customer: String
    var source: String
    var stage: String
    var created: String
    var closed: String
    var registration: String
    var amount: String
    var product: String
  }

  /// A count of the activity summary.
  struct Activity: Hashable, Sendable {
    var label: String
    var count: Int
  }

  struct Model: Hashable, Sendable {
    var chrome: PageChrome
    var partner: PartnerInfo
    var scorecardName: String?
    var items: [KPIStanding]
    var composite: Double?
    var rank: Int?
    var peers: Int?
    var percentile: Double?
    var version: Int?
    var versionEffective: Day?
    /// Why there is no scorecard, when there is none.
    var scorecardNote: String?
    var trends: [Trend]
    var previousLabel: String
    var comparisons: [Comparison]
    var deals: [Deal]
    var activity: [Activity]
    /// The partner's tier under the ladder (nil: no ladder, or outside it).
    var tier: TierSection? = nil
    /// Its position among partners of its type for each scorecard KPI.
    var benchmarks: [Benchmark] = []
    /// For a period under way or ahead, the chance of reaching each target, by KPI.
    var chances: [String: Double] = [:]
    /// The partner's firing alerts.
    var alerts: [AlertsPage.Row] = []
    /// Trainings the definitions recommend for its off-track KPIs.
    var trainings: [TrainingRecommendation] = []
    /// Its lifecycle stage now, and why.
    var lifecycle: PartnerLifecycle?
  }

  /// A scorecard KPI's position among the partner's peers.
  struct Benchmark: Hashable, Sendable {
    var kpi: String
    var name: String
    var unit: KPIUnit
    var position: PeerPosition
  }

  /// The partner's level, benefits, what it needs for the next level and its evaluations.
  struct TierSection: Hashable, Sendable {
    struct Requirement: Hashable, Sendable {
      var text: String
      var value: String
      var shortfall: String
      var met: Bool
      /// How far along, 0…1, for the bar.
      var progress: Double
    }
    struct Evaluation: Hashable, Sendable {
      var period: Period
      var held: String
      var level: String
      var change: TierChange
      var why: String
    }
    var level: String
    var benefits: [String]
    var next: String?
    var window: String?
    var requirements: [Requirement]
    var history: [Evaluation]
  }

  static func tierSection(service: KPIService, partner id: String) async throws -> TierSection? {
    let h = try service.tierHistory()
    let today = service.todayDay
    guard let ladder = h.ladder, let level = h.tier(of: id, on: today) else { return nil }
    let gap = h.gap(of: id, today: today)
    let text = TierText(catalog: service.catalog)
    let evs = h.evaluations(of: id)
    return TierSection(
      level: level,
      benefits: (ladder.levels.first { $0.id == level }?.benefits ?? []).map { "\($0.key): \($0.value)" },
      next: gap?.next.id,
      window: evs.last.map { PeriodLabel.month($0.window.first) + " – " + PeriodLabel.month($0.window.last) },
      requirements: (gap?.standings ?? []).map { r in
        let progress: Double
        switch r.requirement.bound {
        case .min(let v): progress = v <= 0 ? 1 : (r.value ?? 0) / v
        case .max(let v): progress = r.value.map { $0 <= v ? 1 : (v / $0) } ?? 0
        }
        return TierSection.Requirement(
          text: text.requirement(r.requirement), value: text.value(r.requirement.kpi, r.value), shortfall: text.gap(r),
          met: r.isMet, progress: Swift.min(1, Swift.max(0, progress)))
      },
      history: evs.suffix(8).reversed().map {
        TierSection.Evaluation(period: $0.period, held: $0.held, level: $0.level, change: $0.change, why: text.why($0))
      })
  }

  /// With `seenBy`, for a viewer who sees only some partners: its position among peers anonymized.
  static func build(
    service: KPIService, chrome: PageChrome, partner p: PartnerInfo, logger: Logger,
    seenBy: (@Sendable (String) -> Bool)? = nil
  ) async throws -> Model {
    var model = Model(
      chrome: chrome, partner: p, items: [], trends: [], previousLabel: "", comparisons: [], deals: [], activity: [])
    model.deals = try await service.recentRows(.deals, partner: p.id, newestBy: "created_on", limit: 10).map(deal)
    model.tier = try await tierSection(service: service, partner: p.id)
    guard let s = chrome.selection else { return model }
    model.previousLabel = PeriodLabel.long(s.previous.period)
    let catalog = service.catalog

    // Scorecard.
    do {
      let r = try service.partnerScorecard(id: p.id, period: s.period)
      model.scorecardName = r.scorecard?.name
      model.items = r.items
      model.composite = r.composite
      model.rank = r.rank
      model.peers = r.peers
      model.percentile = r.percentile
      model.version = r.version?.number
      model.versionEffective = r.version?.effective
    } catch {
      let (version, defs) = service.definitions(for: s.period)
      if version == nil {
        model.scorecardNote =
          "No program definitions are in force for \(PeriodLabel.long(s.period)), so there is no scorecard."
      } else if defs.scorecard(forType: p.type) == nil {
        model.scorecardNote =
          "The definitions in force (v\(version?.number ?? 0)) have no scorecard for \(Segments.label(.type, p.type)) partners."
      } else {
        logger.error("partner scorecard failed", metadata: ["partner": "\(p.id)", "error": "\(error)"])
        model.scorecardNote = "The scorecard could not be computed for this period."
      }
    }

    // Trainings for what is off track.
    model.trainings = Enablement.recommendations(
      service.definitions(for: s.period).1.enablement, standings: model.items)

    // The chance of reaching each target, while the period is under way or ahead.
    if s.period.end >= (service.todayDay) {
      for item in model.items {
        guard let target = item.target else { continue }
        model.chances[item.kpi] = await service.chanceOfTarget(
          kpi: item.kpi, scope: Scope(.partner, p.id), period: s.period, target: target, better: item.better)
      }
    }

    // Its position among peers, for the scorecard's KPIs.
    for item in model.items {
      guard
        let position = try? await service.peerPositions(
          kpi: item.kpi, period: s.period, peers: .type, partners: [p.id], seenBy: seenBy
        ).first
      else { continue }
      model.benchmarks.append(Benchmark(kpi: item.kpi, name: item.name, unit: item.unit, position: position))
    }

    // Trends of the scorecard's KPIs (or the key ones without a scorecard).
    let trendIds =
      model.items.isEmpty ? PartnerListPage.keyKPIs.filter { catalog.kpi($0) != nil } : model.items.map(\.kpi)
    let periods = (0..<trendLength).map { s.period.shifted(by: $0 - (trendLength - 1)) }
    if !trendIds.isEmpty {
      let r = try service.compute(
        ComputeRequest(
          kpis: trendIds, by: .partner, grain: s.grain, from: periods[0], to: s.period, scopes: [Scope(.partner, p.id)])
      )
      let index = Dictionary(uniqueKeysWithValues: r.periods.enumerated().map { ($1, $0) })
      model.trends = trendIds.enumerated().compactMap { k, id in
        guard let def = catalog.kpi(id) else { return nil }
        let values = periods.map { pe in index[pe].flatMap { r.value(kpi: k, scope: 0, period: $0) } }
        let change = ValueChange.between(
          values[trendLength - 1], values[trendLength - 2], unit: def.unit, better: def.better)
        return Trend(
          id: id, name: def.name, unit: def.unit, values: values, labels: periods.map(PeriodLabel.long), change: change)
      }
    }

    // Every KPI, partner beside network.
    let ids = catalog.kpis.map(\.id)
    let mine = try service.compute(
      ComputeRequest(
        kpis: ids, by: .partner, grain: s.grain, from: s.period, to: s.period, scopes: [Scope(.partner, p.id)]))
    let network = try service.compute(
      ComputeRequest(kpis: ids, by: .network, grain: s.grain, from: s.period, to: s.period))
    model.comparisons = catalog.kpis.enumerated().map { k, def in
      Comparison(
        id: def.id, name: def.name, unit: def.unit,
        partner: mine.scopes.isEmpty ? nil : mine.value(kpi: k, scope: 0, period: 0),
        network: network.value(kpi: k, scope: 0, period: 0))
    }

    // Activity in the period, counted on the dates the server's engine keeps.
    let counted: [(String, CanonicalTable)] = [
      ("Deals created", .deals), ("Leads", .leads), ("Campaigns started", .campaigns), ("New customers", .customers),
      ("Survey responses", .surveys), ("Support tickets opened", .supportTickets),
      ("Certifications completed", .certifications),
    ]
    for (label, table) in counted {
      guard let n = service.activityCount(table, partner: p.id, period: s.period) else { continue }
      model.activity.append(Activity(label: label, count: n))
    }
    return model
  }

  static func deal(_ r: FactRecord) -> Deal {
    func text(_ c: String) -> String {
      let v = r[c].description
      return v.isEmpty ? "—" : v
    }
    let amount = r["amount"].money.map { DashboardFormat.money(Double($0) / 100) } ?? "—"
    return Deal(
      id: text("deal_id"), customer: text("customer_id"), source: DashboardFormat.humanize(text("source")),
      stage: text("stage"), created: r["created_on"].day.map(PeriodLabel.day) ?? "—",
      closed: r["closed_on"].day.map(PeriodLabel.day) ?? "—",
      registration: r["registration_status"].string.map(DashboardFormat.humanize) ?? "—", amount: amount,
      product: text("product"))
  }
}
