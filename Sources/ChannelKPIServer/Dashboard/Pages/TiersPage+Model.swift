import ChannelKPI

/// The tier ladder: its levels, how many partners hold each after every evaluation, who moved
/// at the evaluation of the period shown and who is at risk.
enum TiersPage {
  /// A partner that moved or is at risk, and why.
  struct Row: Hashable, Sendable {
    var partner: String
    var name: String
    var held: String
    var level: String
    var qualified: String
    var change: TierChange
    var misses: String
    var why: String
  }

  /// A level of the ladder, its requirements and benefits in words.
  struct Level: Hashable, Sendable {
    var id: String
    var requires: [String]
    var benefits: [String]
  }

  struct Model: Hashable, Sendable {
    var chrome: PageChrome
    var hasLadder: Bool
    var rules: String
    var levels: [Level]
    /// The evaluated periods shown (the latest 8 up to the selection).
    var periods: [Period]
    /// `counts[level][period]`, levels highest first.
    var counts: [[Int]]
    /// The evaluation the movements are of.
    var evaluated: Period?
    var moved: [Row]
    var atRisk: [Row]
  }

  static func build(service: KPIService, chrome: PageChrome) async throws -> Model {
    let history = try service.tierHistory()
    guard let ladder = history.ladder else {
      return Model(
        chrome: chrome, hasLadder: false, rules: "", levels: [], periods: [], counts: [], evaluated: nil, moved: [],
        atRisk: [])
    }
    let end = chrome.selection?.period.end
    let all = Array(Set(history.evaluations.map(\.period))).sorted().filter { end == nil || $0.end <= end! }
    let periods = Array(all.suffix(8))
    let levels = ladder.levels.reversed()
    var byPeriod: [Period: [TierEvaluation]] = [:]
    for e in history.evaluations where periods.contains(e.period) { byPeriod[e.period, default: []].append(e) }
    let counts = levels.map { l in periods.map { p in byPeriod[p]?.filter { $0.level == l.id }.count ?? 0 } }
    let evaluated = periods.last
    let text = TierText(catalog: service.catalog)
    var names: [String: String] = [:]
    for p in service.partners() { names[p.id] = p.name }
    func row(_ e: TierEvaluation) -> Row {
      Row(
        partner: e.partner, name: names[e.partner] ?? e.partner, held: e.held, level: e.level, qualified: e.qualified,
        change: e.change, misses: "\(e.misses) of \(ladder.demotionGrace)", why: text.why(e))
    }
    let rows = evaluated.flatMap { byPeriod[$0] } ?? []
    return Model(
      chrome: chrome, hasLadder: true,
      rules:
        "Evaluated at the end of each \(ladder.evaluate.rawValue) on the last \(ladder.window) \(ladder.evaluate.rawValue)\(ladder.window == 1 ? "" : "s"); promotion at once, demotion after \(ladder.demotionGrace) evaluation\(ladder.demotionGrace == 1 ? "" : "s") in a row below the level.",
      levels: levels.map { l in
        Level(
          id: l.id, requires: l.requires.map(text.requirement), benefits: l.benefits.map { "\($0.key): \($0.value)" })
      },
      periods: periods, counts: counts, evaluated: evaluated,
      moved: rows.filter { $0.change == .promoted || $0.change == .demoted }.map(row),
      atRisk: rows.filter { $0.change == .atRisk }.map(row))
  }
}
