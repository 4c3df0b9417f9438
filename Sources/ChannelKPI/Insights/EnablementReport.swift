/// What a training changed: for partners who completed a certification program, a KPI the quarter
/// before the quarter of completion against the quarter after, beside the change of comparable
/// partners (same type, not certified in that program by then) over the same quarters.
public struct EnablementEffect: Sendable, Hashable, Codable {
  public var training: String
  /// The certifications.csv program the training is; nil when it is none (not measured).
  public var program: String?
  public var kpi: String
  public var kpiName: String
  /// Partners who completed it and have a value before and after.
  public var partners: Int
  /// Their mean value in the quarter before completing it, and in the quarter after.
  public var before: Double?
  public var after: Double?
  /// Mean of after − before over them.
  public var change: Double?
  /// Comparable partners behind the comparison (each counted once, however many trained partners
  /// it is compared with).
  public var comparisonPartners: Int
  /// Mean, over the trained partners, of the mean change of their comparable partners over the
  /// same quarters.
  public var comparisonChange: Double?
  /// change − comparisonChange: the part of the change the training may take credit for.
  public var difference: Double?
  /// Why there is no figure, when there is none.
  public var note: String?
}

public enum EnablementReport {
  /// The effect of each training of the `enablement:` section with a program, on its KPI, from
  /// completions up to `today` (the quarter after completion must have ended), over the partners
  /// `only` names (nil: all).
  public static func effects(
    items: [EnablementItem], engine: KPIEngine, milestones: [String: PartnerMilestones], today: Day, variant: Int = 0,
    only: Set<String>? = nil
  ) -> [EnablementEffect] {
    let partners = engine.partners().filter { only?.contains($0.id) ?? true }
    let catalog = engine.compiled.variantCatalogs[variant]
    let lastEnded = Period(grain: .quarter, containing: today.month).shifted(by: -1)
    var out: [EnablementEffect] = []
    for item in items {
      let name = catalog.kpi(item.kpi)?.name ?? item.kpi
      var effect = EnablementEffect(
        training: item.training, program: item.program, kpi: item.kpi, kpiName: name, partners: 0, before: nil,
        after: nil, change: nil, comparisonPartners: 0, comparisonChange: nil, difference: nil, note: nil)
      guard let program = item.program else {
        effect.note = "not a certifications.csv program: completions are not recorded"
        out.append(effect)
        continue
      }
      // Each partner's first completion of the program.
      var completed: [String: Day] = [:]
      for (id, m) in milestones where only?.contains(id) ?? true {
        if let d = m.certifications.filter({ $0.program == program }).map(\.day).min() { completed[id] = d }
      }
      let measured = completed.filter { Period(grain: .quarter, containing: $0.value.month).next <= lastEnded }
      guard let first = measured.values.min(), let last = measured.values.max() else {
        effect.note = "no partner has completed it with a whole quarter after"
        out.append(effect)
        continue
      }
      let from = Period(grain: .quarter, containing: first.month).shifted(by: -1)
      let to = Period(grain: .quarter, containing: last.month).next
      guard
        let result = try? engine.compute(
          ComputeRequest(kpis: [item.kpi], by: .partner, grain: .quarter, from: from, to: to, variant: variant))
      else {
        effect.note = "the KPI cannot be computed by partner"
        out.append(effect)
        continue
      }
      let periodIndex = Dictionary(uniqueKeysWithValues: result.periods.enumerated().map { ($1, $0) })
      let scopeIndex = Dictionary(
        uniqueKeysWithValues: result.scopes.enumerated().compactMap { i, s in s.value.map { ($0, i) } })
      func value(_ id: String, _ p: Period) -> Double? {
        guard let s = scopeIndex[id], let k = periodIndex[p] else { return nil }
        return result.value(kpi: 0, scope: s, period: k)
      }
      var befores: [Double] = []
      var afters: [Double] = []
      var comparisons: [Double] = []
      var compared: Set<String> = []
      for p in partners {
        guard let day = measured[p.id] else { continue }
        let q = Period(grain: .quarter, containing: day.month)
        let (b, a) = (q.shifted(by: -1), q.next)
        guard p.isInProgram(during: b.months), p.isInProgram(during: a.months), let vb = value(p.id, b),
          let va = value(p.id, a)
        else { continue }
        befores.append(vb)
        afters.append(va)
        // Comparable: the same type, in the program in both quarters, not certified by the end of
        // the quarter after.
        var changes: [Double] = []
        for o in partners where o.type == p.type && o.id != p.id {
          if let d = completed[o.id], d <= a.end { continue }
          guard o.isInProgram(during: b.months), o.isInProgram(during: a.months), let ob = value(o.id, b),
            let oa = value(o.id, a)
          else { continue }
          changes.append(oa - ob)
          compared.insert(o.id)
        }
        if !changes.isEmpty { comparisons.append(changes.reduce(0, +) / Double(changes.count)) }
      }
      func mean(_ xs: [Double]) -> Double? { xs.isEmpty ? nil : xs.reduce(0, +) / Double(xs.count) }
      effect.partners = befores.count
      effect.before = mean(befores)
      effect.after = mean(afters)
      effect.change = mean(zip(afters, befores).map { $0 - $1 })
      effect.comparisonPartners = compared.count
      // Only when every trained partner had comparable partners, so both means cover the same
      // partners' quarters.
      effect.comparisonChange = comparisons.count == befores.count ? mean(comparisons) : nil
      if let c = effect.change, let cc = effect.comparisonChange { effect.difference = c - cc }
      if befores.isEmpty {
        effect.note = "no partner that completed it has a value the quarter before and after"
      } else if effect.comparisonChange == nil {
        effect.note = "some partners that completed it have no comparable partner to compare with"
      }
      out.append(effect)
    }
    return out
  }
}
