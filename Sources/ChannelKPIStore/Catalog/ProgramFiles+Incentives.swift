import ChannelKPI
import Foundation
import Yams

extension ProgramFiles.Parser {
  // MARK: Sections

  mutating func tiers(_ v: Node, _ path: String) {
    if let (file, mark) = ladderMark {
      error(path, v.mark, "a program has one ladder, already written at \(file):\(mark?.line ?? 0)")
      return
    }
    ladderMark = (path, v.mark)
    guard
      let f = mapping(
        v, ["evaluate", "window", "demotion_grace", "starts", "applies_to", "levels"], "'tiers'", path)
    else { return }
    let evaluate = grain(f["evaluate"], "evaluate", path) ?? .quarter
    let window = whole(f["window"], "window", path, min: 1, max: Int(1200 / evaluate.months)) ?? 1
    var grace = 1
    if let g = f["demotion_grace"] {
      if let t = text(g, "demotion_grace", path), Int(t) == 0 {
        error(path, g.mark, "'demotion_grace' must be at least 1 (1 demotes at the first miss); 0 is not allowed")
      } else {
        grace = whole(g, "demotion_grace", path, min: 1) ?? 1
      }
    }
    var starts = day(f["starts"], "starts", path)
    if let s = starts, !(Self.plausibleYears.contains(s.month.year)) {
      error(path, f["starts"]?.mark, "'starts' (\(s)) must be a day between 1900 and 2200")
      starts = nil
    }
    let appliesTo = filter(f["applies_to"], path, tiers: false, what: "the ladder")
    guard case .sequence(let items)? = f["levels"], !items.isEmpty else {
      error(path, (f["levels"] ?? v).mark, "'tiers' needs 'levels:', a list of levels lowest first, each '- id: …'")
      return
    }
    var levels: [TierLevel] = []
    for (i, item) in items.enumerated() {
      guard let lf = mapping(item, ["id", "name", "requires", "benefits"], "a tier level", path) else { continue }
      guard let id = text(lf["id"], "id", path), !id.isEmpty else {
        error(path, item.mark, "a tier level needs 'id:'")
        continue
      }
      if levels.contains(where: { $0.id == id }) {
        error(path, lf["id"]?.mark, "the level '\(id)' is on the ladder twice")
      }
      var requires: [TierRequirement] = []
      if let r = lf["requires"] {
        if i == 0 {
          error(path, r.mark, "the lowest level ('\(id)') has no requirements: every partner holds at least it")
        }
        guard case .sequence(let reqs) = r else {
          error(path, r.mark, "'requires' is a list of {kpi: id, min: value} or {kpi: id, max: value}")
          continue
        }
        for req in reqs {
          guard let rf = mapping(req, ["kpi", "min", "max"], "a requirement", path) else { continue }
          guard let kpi = text(rf["kpi"], "kpi", path) else {
            error(path, req.mark, "a requirement needs 'kpi:'")
            continue
          }
          references.append((kpi, path, rf["kpi"]?.mark))
          switch (rf["min"], rf["max"]) {
          case (let m?, nil):
            if let x = number(m, "min", path) { requires.append(TierRequirement(kpi: kpi, bound: .min(x))) }
          case (nil, let m?):
            if let x = number(m, "max", path) { requires.append(TierRequirement(kpi: kpi, bound: .max(x))) }
          default:
            error(path, req.mark, "a requirement has one of 'min:' or 'max:'")
          }
        }
      }
      var benefits: [(String, String)] = []
      if let b = lf["benefits"] {
        if case .mapping(let m) = b {
          for (k, bv) in m { benefits.append((k.string ?? "", bv.string ?? "")) }
        } else {
          error(path, b.mark, "'benefits' maps names to values, e.g. {discount: 0.35, support: priority}")
        }
      }
      levels.append(TierLevel(id: id, name: text(lf["name"], "name", path), requires: requires, benefits: benefits))
    }
    guard !levels.isEmpty else { return }
    defs.tiers = TierLadder(
      evaluate: evaluate, window: window, demotionGrace: grace, starts: starts, appliesTo: appliesTo, levels: levels)
  }

  mutating func incentives(_ v: Node, _ path: String) {
    guard case .sequence(let items) = v else {
      error(path, v.mark, "'incentives' must be a list of plans, each starting with '- id: …'")
      return
    }
    let common = ["id", "name", "kind", "period", "applies_to", "starts", "ends"]
    let byKind: [String: [String]] = [
      "rebate": ["basis", "mode", "brackets", "rate_by_tier"],
      "attainment_bonus": ["target_bonus", "kpis", "threshold", "at_threshold", "accelerator", "cap"],
      "spiff": ["deals", "per_deal", "share", "cap"],
      "mdf": ["basis", "accrual_rate", "rate_by_tier", "expires_after"],
    ]
    for item in items {
      guard case .mapping(let m) = item else {
        error(path, item.mark, "a plan must be a mapping starting with 'id:'")
        continue
      }
      let kindNode = m.first { $0.key.string == "kind" }?.value
      guard let kindText = text(kindNode, "kind", path), let extra = byKind[kindText] else {
        error(
          path, (kindNode ?? item).mark,
          "a plan needs 'kind:', one of rebate, attainment_bonus, spiff, mdf\(kindNode == nil ? "" : ", not '\(kindNode?.string ?? "")'")"
        )
        continue
      }
      guard let f = mapping(item, common + extra, "a \(kindText) plan", path) else { continue }
      guard let id = text(f["id"], "id", path), !id.isEmpty else {
        error(path, item.mark, "a plan needs 'id:'")
        continue
      }
      if let (file, mark) = planIds[id] {
        error(path, f["id"]?.mark, "the plan id '\(id)' is already used at \(file):\(mark?.line ?? 0)")
      }
      planIds[id] = (path, f["id"]?.mark)
      planMarks[id] = (path, item.mark)
      guard let period = grain(f["period"], "period", path) else {
        if f["period"] == nil { error(path, item.mark, "plan '\(id)' needs 'period:' (month, quarter or year)") }
        continue
      }
      let appliesTo = filter(f["applies_to"], path, tiers: true, what: "plan '\(id)'")
      let starts = day(f["starts"], "starts", path)
      let ends = day(f["ends"], "ends", path)
      if let starts, let ends, ends < starts {
        error(path, f["ends"]?.mark, "'ends' (\(ends)) is before 'starts' (\(starts))")
      }
      let rule: IncentivePlan.Rule?
      switch kindText {
      case "rebate": rule = rebate(f, item, path, id)
      case "attainment_bonus": rule = attainmentBonus(f, item, path, id)
      case "spiff": rule = spiff(f, item, path, id)
      default: rule = mdf(f, item, path, id)
      }
      guard let rule else { continue }
      defs.incentives.append(
        IncentivePlan(
          id: id, name: text(f["name"], "name", path), period: period, appliesTo: appliesTo, starts: starts,
          ends: ends, rule: rule))
    }
  }

  mutating func basis(_ f: [String: Node], _ path: String) -> String {
    guard let n = f["basis"], let b = text(n, "basis", path) else { return "revenue" }
    references.append((b, path, n.mark))
    moneyReferences.append((b, path, n.mark))
    return b
  }

  mutating func rebate(_ f: [String: Node], _ item: Node, _ path: String, _ id: String) -> IncentivePlan.Rule? {
    let basis = basis(f, path)
    if f["basis"] == nil { moneyReferences.append(("revenue", path, item.mark)) }
    var mode = RebateRule.Mode.marginal
    if let n = f["mode"], let t = text(n, "mode", path) {
      guard let m = RebateRule.Mode(rawValue: t) else {
        error(path, n.mark, "'mode' is marginal or retroactive, not '\(t)'")
        return nil
      }
      mode = m
    }
    guard case .sequence(let list)? = f["brackets"], !list.isEmpty else {
      error(path, (f["brackets"] ?? item).mark, "rebate '\(id)' needs 'brackets:', a list of {from: amount, rate: r}")
      return nil
    }
    var brackets: [RebateBracket] = []
    var ok = true
    for b in list {
      guard let bf = mapping(b, ["from", "rate"], "a bracket", path),
        let from = money(bf["from"], "from", path), let r = rate(bf["rate"], "rate", path)
      else {
        if case .mapping = b, b.mapping?["from"] == nil || b.mapping?["rate"] == nil {
          error(path, b.mark, "a bracket needs 'from:' and 'rate:'")
        }
        ok = false
        continue
      }
      if brackets.isEmpty, !from.isZero {
        error(path, bf["from"]?.mark, "the first bracket starts from 0, not \(from.decimal(places: 2))")
        ok = false
      }
      if let last = brackets.last, !(last.from < from) {
        error(
          path, bf["from"]?.mark,
          "brackets must ascend: 'from: \(from.decimal(places: 2))' is not above the previous \(last.from.decimal(places: 2))"
        )
        ok = false
      }
      brackets.append(RebateBracket(from: from, rate: r))
    }
    let byTier = ratesByTier(f["rate_by_tier"], path)
    return ok ? .rebate(RebateRule(basis: basis, mode: mode, brackets: brackets, rateByTier: byTier)) : nil
  }

  mutating func attainmentBonus(_ f: [String: Node], _ item: Node, _ path: String, _ id: String) -> IncentivePlan.Rule?
  {
    guard let bonus = money(f["target_bonus"], "target_bonus", path) else {
      if f["target_bonus"] == nil { error(path, item.mark, "plan '\(id)' needs 'target_bonus:', paid at 100%") }
      return nil
    }
    guard case .mapping(let m)? = f["kpis"], !m.isEmpty else {
      error(path, (f["kpis"] ?? item).mark, "plan '\(id)' needs 'kpis:', KPI ids with weights summing to 1")
      return nil
    }
    var weights: [AttainmentBonusRule.KPIWeight] = []
    var sum = Rational.zero
    for (k, wv) in m {
      guard let kpi = k.string else { continue }
      references.append((kpi, path, k.mark))
      guard let w = rate(wv, "weight of \(kpi)", path) else { continue }
      weights.append(AttainmentBonusRule.KPIWeight(kpi: kpi, weight: w))
      sum = sum + w
    }
    if weights.count == m.count, sum != .one {
      error(path, f["kpis"]?.mark, "the weights of 'kpis' sum to \(sum.decimal(places: 6)), not 1")
    }
    let threshold = rate(f["threshold"], "threshold", path) ?? .zero
    if !(threshold < .one) { error(path, f["threshold"]?.mark, "'threshold' must be below 1 (100%)") }
    let at = rate(f["at_threshold"], "at_threshold", path) ?? .zero
    if Rational.one < at { error(path, f["at_threshold"]?.mark, "'at_threshold' must be from 0 to 1") }
    let accelerator = rate(f["accelerator"], "accelerator", path) ?? .one
    var cap: Rational?
    if let c = f["cap"] {
      cap = rate(c, "cap", path)
      if let x = cap, x < .one { error(path, c.mark, "'cap' must be at least 1 (the curve's value at 100%)") }
    }
    return .attainmentBonus(
      AttainmentBonusRule(
        targetBonus: bonus, weights: weights, threshold: threshold, atThreshold: at, accelerator: accelerator, cap: cap)
    )
  }

  mutating func spiff(_ f: [String: Node], _ item: Node, _ path: String, _ id: String) -> IncentivePlan.Rule? {
    var products: [String]?
    var sources: [String]?
    var minAmount: Rational?
    if let d = f["deals"], let df = mapping(d, ["product", "source", "min_amount"], "'deals'", path) {
      products = words(df["product"], "product", path)?.map(\.0)
      sources = words(df["source"], "source", path)?.map(\.0)
      for (s, mark) in words(df["source"], "source", path) ?? []
      where !["sourced", "influenced", "co_sell"].contains(s) {
        error(path, mark, "'\(s)' is not a deal source: sourced, influenced or co_sell")
      }
      minAmount = money(df["min_amount"], "min_amount", path)
    }
    let reward: SpiffRule.Reward
    switch (f["per_deal"], f["share"]) {
    case (let p?, nil):
      guard let x = money(p, "per_deal", path) else { return nil }
      reward = .perDeal(x)
    case (nil, let s?):
      guard let x = rate(s, "share", path) else { return nil }
      reward = .share(x)
    case (_?, _?):
      error(path, f["share"]?.mark, "a spiff pays 'per_deal:' or 'share:', not both")
      return nil
    case (nil, nil):
      error(path, item.mark, "spiff '\(id)' needs 'per_deal:' (an amount per deal) or 'share:' (of its amount)")
      return nil
    }
    let cap = f["cap"] == nil ? nil : money(f["cap"], "cap", path)
    return .spiff(SpiffRule(products: products, sources: sources, minAmount: minAmount, reward: reward, cap: cap))
  }

  mutating func mdf(_ f: [String: Node], _ item: Node, _ path: String, _ id: String) -> IncentivePlan.Rule? {
    let basis = basis(f, path)
    if f["basis"] == nil { moneyReferences.append(("revenue", path, item.mark)) }
    guard let r = rate(f["accrual_rate"], "accrual_rate", path) else {
      if f["accrual_rate"] == nil { error(path, item.mark, "mdf plan '\(id)' needs 'accrual_rate:'") }
      return nil
    }
    let byTier = ratesByTier(f["rate_by_tier"], path)
    let expires = f["expires_after"] == nil ? nil : whole(f["expires_after"], "expires_after", path, min: 1)
    return .mdf(MDFRule(basis: basis, accrualRate: r, rateByTier: byTier, expiresAfter: expires))
  }

  // MARK: Checks across sections

  /// Bases are money KPIs, tiers named are levels of the ladder, and MDF plans that can be seen to
  /// overlap are refused.
  mutating func checkIncentives(_ merged: Catalog) {
    for (id, path, mark) in moneyReferences {
      if let k = merged.kpi(id), k.unit != .money {
        error(path, mark, "the basis '\(id)' is not a money KPI (its unit is \(k.unit.rawValue))")
      }
    }
    if let ladder = defs.tiers {
      let levels = ladder.levels.map(\.id)
      for (t, path, mark) in tierReferences where !levels.contains(t) {
        error(
          path, mark,
          "'\(t)' is not a level of the ladder (\(levels.joined(separator: ", ")))\(Spelling.hint(for: t, in: levels))")
      }
    }
    let mdfs = defs.incentives.filter { $0.kind == .mdf }
    for (i, a) in mdfs.enumerated() {
      for b in mdfs[(i + 1)...] where Self.mayOverlap(a, b) {
        let (path, mark) = planMarks[b.id] ?? ("", nil)
        error(
          path, mark,
          "the MDF plans '\(a.id)' and '\(b.id)' can apply to the same partner in the same period; at most one MDF plan applies to a partner: make their applies_to or dates disjoint"
        )
      }
    }
  }

  /// Whether two plans may both apply to one partner in one period: their dates overlap and no key
  /// of `applies_to` given in both has disjoint values.
  static func mayOverlap(_ a: IncentivePlan, _ b: IncentivePlan) -> Bool {
    if let ae = a.ends, let bs = b.starts, ae < bs { return false }
    if let be = b.ends, let aStarts = a.starts, be < aStarts { return false }
    let pairs = [
      (a.appliesTo.types, b.appliesTo.types), (a.appliesTo.tiers, b.appliesTo.tiers),
      (a.appliesTo.regions, b.appliesTo.regions), (a.appliesTo.partners, b.appliesTo.partners),
    ]
    for (x, y) in pairs {
      if let x, let y, Set(x).isDisjoint(with: y) { return false }
    }
    return true
  }
}
