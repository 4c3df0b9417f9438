/// Maximum likelihood for one model form.
///
/// Without a multiplicative season, a simplex searches the smoothing parameters while least
/// squares sets the initial states (`ETSProfile`); with multiplicative error a short joint simplex
/// over everything then polishes the result. With a multiplicative season the states are not
/// affine and the joint simplex does all the work, starting from the fit of the same model with
/// additive season when there is one (its seasonal offsets turned into ratios), else from
/// forecast::ets's heuristic start. All searches stay inside the usual bounds, and seasonal
/// models with a trend must also be admissible.
enum ETSEstimation {
  static func estimate(_ data: ETSData, spec: ETSSpec, seasonLength: Int, warmStart: ETSModel? = nil) -> ETSModel? {
    let m = spec.hasSeason ? seasonLength : 1
    let layout = ETSLayout(spec: spec, seasonLength: m)
    let n = data.count
    let ring = UnsafeMutableBufferPointer<Double>.allocate(capacity: m)
    ring.initialize(repeating: 0)
    defer { ring.deallocate() }
    let startSmoothing = ETSInitialization.smoothing(spec: spec, seasonLength: m)

    let best: [Double]? = data.unit.withUnsafeBufferPointer { y in
      func criterion(_ x: [Double]) -> Double {
        let smoothing = layout.smoothing(x)
        // Without trend the usual bounds already imply admissibility: only trended seasons need the test.
        if spec.hasSeason && spec.hasTrend && !ETSBounds.admissible(smoothing, seasonLength: m) {
          return .infinity
        }
        var level = 0.0
        var slope = 0.0
        guard layout.state(x, level: &level, slope: &slope, ring: ring) else { return .infinity }
        let recursion = ETSRecursion(spec: spec, m: m, smoothing: smoothing)
        let outcome = recursion.run(y, level: &level, slope: &slope, ring: ring)
        return ETSRecursion.criterion(outcome, count: n, error: spec.error)
      }
      func joint(from start: [Double], steps: [Double], search: ETSLayout.Search, optimizer: NelderMead = NelderMead())
        -> NelderMead.Result
      {
        optimizer.minimize(start: start, steps: steps, lower: search.lower, upper: search.upper, objective: criterion)
      }

      if spec.season != .multiplicative {
        guard let heuristic = ETSInitialization.state(data.unit, spec: spec, seasonLength: m) else { return nil }
        let search = layout.search(smoothing: startSmoothing, state: heuristic)
        let k = layout.smoothingCount
        let profile = ETSProfile(spec: spec, seasonLength: m, count: n)
        var x = search.start
        let outer = NelderMead().minimize(
          start: Array(search.start[0..<k]), steps: Array(search.steps[0..<k]), lower: Array(search.lower[0..<k]),
          upper: Array(search.upper[0..<k])
        ) { u in
          guard let theta = profile.states(layout.smoothing(u), y: y) else { return .infinity }
          for i in 0..<k { x[i] = u[i] }
          for i in 0..<theta.count { x[k + i] = theta[i] }
          return criterion(x)
        }
        guard outer.value.isFinite, let theta = profile.states(layout.smoothing(outer.point), y: y) else {
          return nil
        }
        let profiled = outer.point + theta
        guard spec.error == .multiplicative else { return profiled }
        let polish = joint(
          from: profiled, steps: search.steps.map { $0 * 0.2 }, search: search,
          optimizer: NelderMead(maxIterations: 100, restarts: 0))
        return polish.value < outer.value ? polish.point : profiled
      }

      // Near the optimum already, the warm start needs a smaller first simplex and fewer iterations.
      let result: NelderMead.Result
      if let warm = warmStart, let state = multiplicativeSeason(from: warm, seasonLength: m) {
        let search = layout.search(smoothing: warm.smoothing, state: state)
        result = joint(
          from: search.start, steps: search.steps.map { $0 * 0.3 }, search: search,
          optimizer: NelderMead(maxIterations: 400, restarts: 1))
      } else if let heuristic = ETSInitialization.state(data.unit, spec: spec, seasonLength: m) {
        let search = layout.search(smoothing: startSmoothing, state: heuristic)
        result = joint(from: search.start, steps: search.steps, search: search)
      } else {
        return nil
      }
      return result.value.isFinite ? result.point : nil
    }

    guard let point = best else { return nil }
    var level = 0.0
    var slope = 0.0
    guard layout.state(point, level: &level, slope: &slope, ring: ring) else { return nil }
    let start = ETSModel.UnitState(level: level, slope: slope, season: spec.hasSeason ? Array(ring) : [])
    return ETSModelBuilder.model(
      data, spec: spec, seasonLength: m, smoothing: layout.smoothing(point), start: start,
      parameterCount: spec.freeParameterCount(seasonLength: m) + 1, estimation: .maximumLikelihood)
  }

  /// The initial state of an additive-season fit with its seasonal offsets turned into ratios to
  /// the level, kept positive and normalised to sum to m.
  static func multiplicativeSeason(from model: ETSModel, seasonLength m: Int) -> ETSModel.UnitState? {
    guard model.spec.season == .additive, model.seasonLength == m, model.initialState.season.count == m else {
      return nil
    }
    let level = model.initialState.level / model.scale
    guard level > 0 else { return nil }
    var season = model.initialState.season.map { Swift.max(1 + $0 / model.scale / level, 1e-2) }
    var total = 0.0
    for s in season { total += s }
    season = season.map { $0 * Double(m) / total }
    return ETSModel.UnitState(
      level: level, slope: (model.initialState.trend ?? 0) / model.scale, season: season)
  }
}
