import ChannelKPI
import ChannelKPIStore

/// A draft (uploaded YAML) compared side by side with the current rules over a range of periods.
enum WhatIfPage {
  struct Model: Hashable, Sendable {
    var chrome: PageChrome
    /// The range the form proposes or ran.
    var from: String
    var to: String
    var fileName: String?
    /// Problems with the draft or the form, in words.
    var problems: [String]
    var sections: [String]
    var periods: [Period]
    var levels: [String]
    /// `counts[level][period]` as (current, draft).
    var counts: [[Pair]]
    var moves: [Move]
    var payouts: [Payout]
    var ran: Bool
  }

  struct Pair: Hashable, Sendable {
    var current: Int
    var draft: Int
  }

  struct Move: Hashable, Sendable {
    var partner: String
    var period: Period
    var current: String
    var draft: String
    var why: String
  }

  struct Payout: Hashable, Sendable {
    var plan: String
    var current: String
    var draft: String
    var difference: String
    var up: Bool?
  }

  /// The empty form, proposing the last four quarters of the data.
  static func form(chrome: PageChrome, coverage: MonthRange?) -> Model {
    let last = coverage.map { Period(grain: .quarter, containing: $0.last) }
    return Model(
      chrome: chrome, from: last.map { $0.shifted(by: -3).description } ?? "", to: last?.description ?? "",
      fileName: nil, problems: [], sections: [], periods: [], levels: [], counts: [], moves: [], payouts: [], ran: false
    )
  }

  static func result(_ r: WhatIfResult, form: Model, sections: Set<String>) -> Model {
    var m = form
    m.ran = true
    m.sections = sections.sorted()
    m.periods = Array(Set(r.levels.map(\.period))).sorted()
    let shown = Set(r.levels.map(\.level))
    m.levels = r.levelOrder.filter(shown.contains)
    m.counts = m.levels.map { level in
      m.periods.map { p in
        let c = r.levels.first { $0.period == p && $0.level == level }
        return Pair(current: c?.current ?? 0, draft: c?.draft ?? 0)
      }
    }
    m.moves = r.moves.prefix(200).map {
      Move(partner: $0.partner, period: $0.period, current: $0.current ?? "—", draft: $0.draft ?? "—", why: $0.why)
    }
    m.payouts = r.totalsByPlan.map {
      let d = $0.draft - $0.current
      return Payout(
        plan: $0.plan, current: DashboardFormat.cents($0.current),
        draft: DashboardFormat.cents($0.draft), difference: DashboardFormat.cents(d),
        up: d == 0 ? nil : d > 0)
    }
    return m
  }
}
