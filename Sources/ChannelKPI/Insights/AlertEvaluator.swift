/// Evaluates alert rules over the periods that have ended: each (rule, scope) gets its condition
/// period by period and the state that history leads to. Evaluation reads only the data, so the
/// same data always gives the same states, whichever instance evaluates and however often.
public struct AlertEvaluator {
  public let evaluator: ProgramEvaluator
  public let partners: [String: PartnerInfo]
  /// Fits kept across evaluations, so that scheduled ones do not refit unchanged histories.
  public let memo: ForecastMemo?

  public init(evaluator: ProgramEvaluator, partners: [PartnerInfo], memo: ForecastMemo? = nil) {
    self.init(
      evaluator: evaluator, partnersById: Dictionary(partners.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
      memo: memo)
  }

  /// With the partners by id, when the caller keeps them so (a server, between writes).
  public init(evaluator: ProgramEvaluator, partnersById: [String: PartnerInfo], memo: ForecastMemo? = nil) {
    self.evaluator = evaluator
    self.partners = partnersById
    self.memo = memo
  }

  /// How many ended periods a rule's state is worked out over: enough to fire and resolve twice.
  static func window(_ rule: AlertRule) -> Int { Swift.min(36, 2 * (rule.forPeriods + rule.resolveAfter) + 2) }

  /// The last period of a grain that has ended by today (periods under way are not judged: a
  /// drop against a whole period would fire on every partial one).
  public func lastEnded(_ grain: Grain) -> Period {
    Period(grain: grain, containing: evaluator.today.month).shifted(by: -1)
  }

  /// The scopes a rule watches, as of a period (partners in the program then, through the filter).
  public func scopes(of rule: AlertRule, at period: Period, among touched: Set<Scope>? = nil) -> [Scope] {
    switch rule.selector {
    case .one(let s): return touched.map { $0.contains(s) } ?? true ? [s] : []
    case .each(let kind, let filter):
      func watched(_ p: PartnerInfo) -> Bool { p.isInProgram(during: period.months) && filter.admits(p) }
      var scopes: Set<Scope> = []
      if kind == .partner, let touched {
        // A batch touches a few partners of thousands: each is looked up, not every partner copied.
        for s in touched where s.kind == .partner {
          if let p = partners[s.value ?? ""], watched(p) { scopes.insert(s) }
        }
      } else {
        for p in partners.values where watched(p) { if let s = p.scope(kind) { scopes.insert(s) } }
        if let touched { scopes.formIntersection(touched) }
      }
      // In the order of their names, each name made once.
      return scopes.map { ($0.description, $0) }.sorted { $0.0 < $1.0 }.map(\.1)
    }
  }

  /// Every rule's state for each scope it watches; with `touched`, only those scopes (the ones a
  /// batch of facts changed).
  public func evaluate(_ rules: [AlertRule], touched: Set<Scope>? = nil) throws(ProgramError) -> [AlertEvaluation] {
    var out: [AlertEvaluation] = []
    for rule in rules {
      let last = lastEnded(rule.grain)
      let scopes = scopes(of: rule, at: last, among: touched)
      guard !scopes.isEmpty else { continue }
      let periods = (0..<Self.window(rule)).reversed().map { last.shifted(by: -$0) }
      let checks = try self.checks(rule, scopes: scopes, periods: periods)
      for (scope, perPeriod) in zip(scopes, checks) {
        let (state, since) = AlertStateMachine.run(
          perPeriod.map(\.holds), forPeriods: rule.forPeriods, resolveAfter: rule.resolveAfter)
        let now = perPeriod[perPeriod.count - 1]
        out.append(
          AlertEvaluation(
            rule: rule.id, scope: scope, state: state, since: periods[since], period: last, value: now.value,
            threshold: now.threshold, message: now.message, severity: rule.severity, notify: rule.notify))
      }
    }
    return out
  }

  /// The condition for each scope (outer) and period (inner).
  func checks(_ rule: AlertRule, scopes: [Scope], periods: [Period]) throws(ProgramError) -> [[AlertCheck]] {
    let first = periods[0].shifted(by: -rule.condition.lookBack(rule.grain))
    let last = periods[periods.count - 1]
    let (_, _, variant) = evaluator.definitions(for: last)
    let engine = evaluator.engine
    guard let def = engine.compiled.variantCatalogs[variant].kpi(rule.kpi) else {
      throw ProgramError("alert '\(rule.id)': unknown KPI '\(rule.kpi)'")
    }
    let kind = scopes[0].kind
    let values: ComputeResult
    do {
      values = try engine.compute(
        ComputeRequest(
          kpis: [rule.kpi], by: kind, grain: rule.grain, from: first, to: last, scopes: scopes, variant: variant))
    } catch { throw ProgramError("alert '\(rule.id)': \(error.message)") }
    let periodIndex = Dictionary(uniqueKeysWithValues: values.periods.enumerated().map { ($1, $0) })
    let scopeIndex = Dictionary(uniqueKeysWithValues: values.scopes.enumerated().map { ($1, $0) })
    func valueAt(_ s: Scope, _ p: Period) -> Double? {
      guard let si = scopeIndex[s], let pi = periodIndex[p] else { return nil }
      return values.value(kpi: 0, scope: si, period: pi)
    }
    let flow = engine.compiled.isFlow(rule.kpi, variant: variant)
    let text = AlertText(def: def)
    var standings: [Period: [Scope: KPIStanding]] = [:]
    switch rule.condition {
    case .attainmentBelow, .belowBaseline:
      // One computation for every period; should it fail (a KPI some definitions lack), each
      // period alone, so that the others keep their standings.
      let together = try? evaluator.standings(kpis: [rule.kpi], scopes: scopes, partners: partners, periods: periods)
      for p in periods {
        let s =
          together?[p] ?? (try? evaluator.standings(kpis: [rule.kpi], scopes: scopes, partners: partners, period: p))
        standings[p] = s?.compactMapValues(\.first) ?? [:]
      }
    default: break
    }
    var forecaster = KPIForecaster(engine: engine, variant: variant)
    forecaster.memo = memo
    // The data begins with the month of its first fact.
    let activityStart = engine.activity.map { Day(number: $0.lowerBound).month.firstDay.number } ?? Int32.min
    return scopes.map { scope in
      // Only whole periods of data are judged or compared with: a period that began before the
      // data, or before the partner joined, holds a part of one, and its low figures only mean
      // that the export starts later or that the partner was not there yet.
      var start = activityStart
      if scope.kind == .partner, let joined = partners[scope.value ?? ""]?.joinedOn.number {
        start = Swift.max(start, joined)
      }
      func known(_ p: Period) -> Bool { p.start.number >= start }
      func value(_ s: Scope, _ p: Period) -> Double? { known(p) ? valueAt(s, p) : nil }
      return periods.map { p in
        guard known(p.shifted(by: -rule.condition.lookBack(rule.grain))) else {
          return AlertCheck(holds: false, value: nil, threshold: nil, message: "no data yet in \(p)")
        }
        let v = value(scope, p)
        switch rule.condition {
        case .attainmentBelow(let x):
          guard let a = standings[p]?[scope]?.attainment else {
            return AlertCheck(holds: false, value: v, threshold: nil, message: "\(text.name) has no target in \(p)")
          }
          return AlertCheck(
            holds: a < x, value: v, threshold: standings[p]?[scope]?.target,
            message: "\(text.name) at \(text.percent(a)) of its target in \(p) (alert below \(text.percent(x)))")
        case .belowBaseline(let share):
          guard let v, let b = standings[p]?[scope]?.baseline else {
            return AlertCheck(holds: false, value: v, threshold: nil, message: "\(text.name) has no baseline in \(p)")
          }
          let limit = def.better == .higher ? b - Swift.abs(b) * share : b + Swift.abs(b) * share
          return text.check(v, limit, in: p, against: "the baseline \(text.value(b))", by: text.percent(share))
        case .dropShare(let c, let share):
          let q = c == .previousPeriod ? p.shifted(by: -1) : p.shifted(by: -Int(12 / p.grain.months))
          guard let v, let before = value(scope, q) else {
            return AlertCheck(
              holds: false, value: v, threshold: nil, message: "\(text.name) has no value to compare in \(p)")
          }
          let limit = def.better == .higher ? before - Swift.abs(before) * share : before + Swift.abs(before) * share
          return text.check(v, limit, in: p, against: "\(q)'s \(text.value(before))", by: text.percent(share))
        case .dropAmount(let c, let amount):
          let q = c == .previousPeriod ? p.shifted(by: -1) : p.shifted(by: -Int(12 / p.grain.months))
          guard let v, let before = value(scope, q) else {
            return AlertCheck(
              holds: false, value: v, threshold: nil, message: "\(text.name) has no value to compare in \(p)")
          }
          let limit = def.better == .higher ? before - amount : before + amount
          return text.check(v, limit, in: p, against: "\(q)'s \(text.value(before))", by: text.value(amount))
        case .outsideForecast:
          guard let v,
            let f = try? forecaster.forecast(
              kpi: rule.kpi, scope: scope, grain: rule.grain, horizon: 1, asOf: p.shifted(by: -1),
              today: evaluator.today),
            let point = f.points.first
          else {
            return AlertCheck(holds: false, value: v, threshold: nil, message: "\(text.name) has no forecast for \(p)")
          }
          let outside = v < point.lo95 || v > point.hi95
          return AlertCheck(
            holds: outside, value: v, threshold: v < point.lo95 ? point.lo95 : point.hi95,
            message:
              "\(text.name) \(text.value(v)) in \(p) is \(outside ? "outside" : "inside") the forecast's 95% interval \(text.value(point.lo95)) – \(text.value(point.hi95))"
          )
        case .noData(let n):
          let span = (0..<n).map { p.shifted(by: -$0) }
          let empty = span.allSatisfy { q in
            guard let x = value(scope, q) else { return true }
            return flow && x == 0
          }
          return AlertCheck(
            holds: empty, value: v, threshold: nil,
            message: empty
              ? "\(text.name) has no data in \(n == 1 ? "\(p)" : "the \(n) periods to \(p)")"
              : "\(text.name) has data in \(n == 1 ? "\(p)" : "the \(n) periods to \(p)")")
        }
      }
    }
  }
}

/// The sentences of alert checks.
private struct AlertText {
  let def: KPIDefinition
  var name: String { def.name }
  func value(_ v: Double) -> String { ValueFormat.human(v, unit: def.unit) }
  func percent(_ x: Double) -> String { ValueFormat.fixed(x * 100, decimals: 0) + "%" }

  /// Worse than the limit: below it where higher is better, above it where lower is.
  func check(_ v: Double, _ limit: Double, in p: Period, against: String, by: String) -> AlertCheck {
    let worse = def.better == .higher ? v < limit : v > limit
    let direction = def.better == .higher ? "below" : "above"
    return AlertCheck(
      holds: worse, value: v, threshold: limit,
      message:
        "\(name) \(value(v)) in \(p) against \(against): \(worse ? "worse" : "not worse") than the limit \(value(limit)) (\(by) \(direction))"
    )
  }
}
