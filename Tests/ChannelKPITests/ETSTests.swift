import ChannelKPI
import Foundation
import Testing

/// Exponential smoothing: fits recover the parameters of series simulated from known models,
/// intervals have the widths of the book's formulas, hand-worked recursions match, and odd
/// inputs still give finite forecasts.
@Suite struct ETSTests {
  @Test func simpleExponentialSmoothingMatchesAHandComputation() throws {
    // α = 0.5, ℓ₀ = 4 on 3, 5, 4, 6, 5: forecasts 4, 3.5, 4.25, 4.125, 5.0625 (ℓ_t = ℓ_{t-1} + α e_t),
    // errors -1, 1.5, -0.25, 1.875, -0.0625, SSE = 6.83203125, final level 5.03125.
    let spec = try #require(ETSSpec("ANN"))
    let model = try #require(
      ETS.evaluate(
        [3, 5, 4, 6, 5], seasonLength: 1, spec: spec, parameters: ETSParameters(alpha: 0.5),
        initialState: ETSState(level: 4)))
    let expectedFitted = [4, 3.5, 4.25, 4.125, 5.0625]
    for (got, want) in zip(model.fitted, expectedFitted) { #expect(ETSCheck.near(got, want, 1e-12)) }
    let sse = model.residuals.reduce(0) { $0 + $1 * $1 }
    #expect(ETSCheck.near(sse, 6.832_031_25, 1e-12))
    #expect(ETSCheck.near(model.finalState.level, 5.031_25, 1e-12))
    // k = 3 (α, ℓ₀, σ): σ² = SSE / (n - k - 1), log-likelihood -n/2 log SSE, AIC = n log SSE + 2k.
    #expect(model.parameterCount == 3)
    #expect(ETSCheck.near(model.sigma2, 6.832_031_25 / 1, 1e-12))
    #expect(ETSCheck.near(model.logLikelihood, -2.5 * log(6.832_031_25), 1e-12))
    #expect(ETSCheck.near(model.aic, 5 * log(6.832_031_25) + 6, 1e-12))
    let forecast = model.forecast(horizon: 2)
    #expect(ETSCheck.near(forecast[0].mean, 5.031_25, 1e-12))
    #expect(ETSCheck.near(forecast[1].mean, 5.031_25, 1e-12))
    // h = 2: σ²(1 + α²) = 6.83203125 × 1.25.
    #expect(
      ETSCheck.near(
        forecast[1].hi95 - forecast[1].mean, 1.959_963_984_540_054 * (6.832_031_25 * 1.25).squareRoot(), 1e-9))
  }

  @Test func recoversSimpleExponentialSmoothing() throws {
    let truth = ETSCheck.simulate(n: 240, alpha: 0.3, level: 100, sigma: 2, seed: 11)
    let spec = try #require(ETSSpec("ANN"))
    let model = try #require(ETS.fit(truth.y, seasonLength: 1, spec: spec))
    // Maximum likelihood can't do worse than the parameters and start that made the data.
    let generating = try #require(
      ETS.evaluate(
        truth.y, seasonLength: 1, spec: spec, parameters: ETSParameters(alpha: 0.3), initialState: ETSState(level: 100))
    )
    #expect(model.logLikelihood >= generating.logLikelihood - 1e-6)
    // For n = 240 the standard error of α̂ is about √((1 - (1-α)²)/n) ≈ 0.046 and of σ̂ about
    // σ/√(2n) ≈ 4.6%: the tolerances are about 2.5 standard errors.
    #expect(Swift.abs(model.parameters.alpha - 0.3) < 0.12)
    #expect(Swift.abs(model.sigma2.squareRoot() / 2 - 1) < 0.11)
    // With the parameters near the truth the filtered level tracks the true one to a fraction of σ.
    #expect(Swift.abs(model.finalState.level - truth.level) < 2)
    // The 95% half-width is 1.959964 √(σ²(1 + (h-1)α²)) from the fitted α and σ².
    let forecast = model.forecast(horizon: 12)
    for (i, point) in forecast.enumerated() {
      let h = Double(i + 1)
      let half = 1.959_963_984_540_054 * (model.sigma2 * (1 + (h - 1) * pow(model.parameters.alpha, 2))).squareRoot()
      #expect(ETSCheck.near(point.hi95 - point.mean, half, 1e-9))
      #expect(ETSCheck.near(point.mean - point.lo95, half, 1e-9))
      #expect(ETSCheck.near(point.hi80 - point.mean, 1.281_551_565_544_600_5 / 1.959_963_984_540_054 * half, 1e-9))
    }
    let chosen = ETS.fit(truth.y, seasonLength: 1)
    #expect(chosen.spec.trend == .none && chosen.spec.season == .none)
  }

  @Test func recoversALinearTrend() throws {
    let truth = ETSCheck.simulate(n: 240, alpha: 0.4, beta: 0.1, level: 100, slope: 1, sigma: 2, seed: 5)
    let spec = try #require(ETSSpec("AAN"))
    let model = try #require(ETS.fit(truth.y, seasonLength: 1, spec: spec))
    let generating = try #require(
      ETS.evaluate(
        truth.y, seasonLength: 1, spec: spec, parameters: ETSParameters(alpha: 0.4, beta: 0.1),
        initialState: ETSState(level: 100, trend: 1)))
    #expect(model.logLikelihood >= generating.logLikelihood - 1e-6)
    #expect(Swift.abs(model.parameters.alpha - 0.4) < 0.15)
    #expect(Swift.abs((model.parameters.beta ?? 0) - 0.1) < 0.08)
    #expect(Swift.abs(model.sigma2.squareRoot() / 2 - 1) < 0.11)
    // The filter forgets its start, so the final level and slope follow the true ones closely.
    #expect(Swift.abs(model.finalState.level - truth.level) < 2)
    #expect(Swift.abs((model.finalState.trend ?? 0) - truth.slope) < 0.5)
    let chosen = ETS.fit(truth.y, seasonLength: 1)
    #expect(chosen.spec.trend != .none && chosen.spec.season == .none)
  }

  @Test func recoversAdditiveSeasonality() throws {
    let pattern = (0..<12).map { 10 * sin(2 * Double.pi * Double($0) / 12) }
    for (trendSlope, code) in [(0.0, "ANA"), (0.5, "AAA")] {
      let truth = ETSCheck.simulate(
        n: 240, m: 12, alpha: 0.2, beta: trendSlope > 0 ? 0.05 : 0, gamma: 0.1, level: 100, slope: trendSlope,
        season: pattern, sigma: 2, seed: 23)
      let spec = try #require(ETSSpec(code))
      let model = try #require(ETS.fit(truth.y, seasonLength: 12, spec: spec))
      let generating = try #require(
        ETS.evaluate(
          truth.y, seasonLength: 12, spec: spec,
          parameters: ETSParameters(alpha: 0.2, beta: trendSlope > 0 ? 0.05 : nil, gamma: 0.1),
          initialState: ETSState(level: 100, trend: trendSlope > 0 ? trendSlope : nil, season: pattern)))
      #expect(model.logLikelihood >= generating.logLikelihood - 1e-6)
      // γ is barely identified here (statsforecast's AutoETS also puts it near 0 on these data), so
      // the check is on α, σ and the states it leads to.
      #expect(Swift.abs(model.parameters.alpha - 0.2) < 0.1)
      #expect(Swift.abs(model.sigma2.squareRoot() / 2 - 1) < 0.12)
      #expect(Swift.abs(model.finalState.level - truth.level) < 3)
      // Each seasonal component, next one first, within 1.5σ of the truth (their amplitude is 5σ).
      #expect(model.finalState.season.count == 12)
      for (got, want) in zip(model.finalState.season, truth.season) { #expect(Swift.abs(got - want) < 3) }
      let chosen = ETS.fit(truth.y, seasonLength: 12)
      #expect(chosen.spec.season != .none)
      if trendSlope > 0 { #expect(chosen.spec.trend != .none) }
    }
  }

  @Test func intervalsCoverAboutTheirLevel() throws {
    // 200 series of ETS(A,N,N), 60 points each, forecast 4 steps: 800 actuals. Parameter
    // uncertainty makes the coverage fall a little short of 80%, never far.
    var inside = 0
    var total = 0
    let spec = try #require(ETSSpec("ANN"))
    for seed in 0..<200 {
      let truth = ETSCheck.simulate(n: 64, alpha: 0.3, level: 50, sigma: 3, seed: UInt64(1000 + seed))
      let model = try #require(ETS.fit(Array(truth.y.prefix(60)), seasonLength: 1, spec: spec))
      for (point, actual) in zip(model.forecast(horizon: 4), truth.y.suffix(4)) {
        if actual >= point.lo80 && actual <= point.hi80 { inside += 1 }
        total += 1
      }
    }
    let share = Double(inside) / Double(total)
    #expect(share >= 0.75 && share <= 0.85)
  }

  @Test func degenerateInputsGiveFiniteForecasts() throws {
    let inputs: [[Double]] = [
      [], [5], [2, 4], [3, 3, 3, 3, 3, 3, 3, 3], [Double](repeating: 0, count: 30),
      [1e300, 2e300, 1.5e300, 1.2e300, 1.8e300, 1.1e300],
      [1, .nan, 3, 4, .infinity, 6, 7, 8, 9, 10], (0..<30).map { Double($0 % 5) - 2 },
      [1e-300, 2e-300, 3e-300, 1e-300, 2e-300],
    ]
    for y in inputs {
      for m in [1, 4, 12] {
        let model = ETS.fit(y, seasonLength: m)
        for point in model.forecast(horizon: 6) {
          for value in [point.mean, point.lo80, point.hi80, point.lo95, point.hi95] { #expect(value.isFinite) }
          #expect(point.lo95 <= point.lo80 && point.lo80 <= point.mean && point.mean <= point.hi80)
          #expect(point.hi80 <= point.hi95)
        }
        #expect(model.sigma2.isFinite || y.first == 1e300)
        #expect(model.aicc.isFinite && model.logLikelihood.isFinite)
      }
    }
    // No data: zero with no spread. One value: itself, with a spread as large as it.
    #expect(
      ETS.fit([], seasonLength: 1).forecast(horizon: 1) == [ForecastPoint(mean: 0, lo80: 0, hi80: 0, lo95: 0, hi95: 0)])
    let single = ETS.fit([5], seasonLength: 1).forecast(horizon: 1)[0]
    #expect(ETSCheck.near(single.mean, 5, 1e-12) && ETSCheck.near(single.hi80, 5 + 1.281_551_565_544_600_5 * 5, 1e-12))
    // Two points: their mean, with the sample variance 2 widened by 1 + 1/2.
    let pair = ETS.fit([2, 4], seasonLength: 1).forecast(horizon: 1)[0]
    #expect(
      ETSCheck.near(pair.mean, 3, 1e-12)
        && ETSCheck.near(pair.hi95, 3 + 1.959_963_984_540_054 * 3.0.squareRoot(), 1e-12))
    // A constant series forecasts itself exactly.
    let flat = ETS.fit([3, 3, 3, 3, 3, 3, 3, 3], seasonLength: 4)
    #expect(flat.estimation == .constant)
    #expect(flat.forecast(horizon: 3).allSatisfy { $0.mean == 3 && $0.lo95 == 3 && $0.hi95 == 3 })
  }

  @Test func fittingManySeriesGivesTheSameModelsInOrder() async {
    let series = (0..<20).map { seed in
      ETSCheck.simulate(n: 30 + seed, alpha: 0.3, level: 10, sigma: 1, seed: UInt64(seed)).y
    }
    let together = await ETS.fitAll(series, seasonLength: 4)
    #expect(together.count == series.count)
    for (model, y) in zip(together, series) {
      let alone = ETS.fit(y, seasonLength: 4)
      #expect(model.spec == alone.spec && model.aicc == alone.aicc && model.observationCount == y.count)
    }
  }

  @Test func specsReadAndPrintTheBookNotation() throws {
    #expect(ETSSpec("AAdN")?.description == "ETS(A,Ad,N)")
    #expect(ETSSpec("ETS(M,A,M)") == ETSSpec(error: .multiplicative, trend: .additive, season: .multiplicative))
    #expect(ETSSpec("M,Ad,A")?.trend == .damped)
    #expect(ETSSpec("AXN") == nil && ETSSpec("") == nil)
    // Additive error with multiplicative season is left out, as in forecast::ets.
    let y = (0..<48).map { 100 + 10 * sin(Double($0)) }
    #expect(ETS.fit(y, seasonLength: 12, spec: try #require(ETSSpec("ANM"))) == nil)
    // Multiplicative models need positive data; a season needs two full seasons.
    #expect(ETS.fit([1, 2, 0, 3, 4, 5, 6, 7], seasonLength: 1, spec: try #require(ETSSpec("MNN"))) == nil)
    #expect(ETS.fit(Array(y.prefix(23)), seasonLength: 12, spec: try #require(ETSSpec("ANA"))) == nil)
  }
}

/// Tolerant comparison and an independent simulator of additive-error ETS series.
enum ETSCheck {
  static func near(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
    Swift.abs(a - b) <= tolerance * Swift.max(1, Swift.abs(a), Swift.abs(b))
  }

  /// SplitMix64 with Box–Muller normals.
  struct Noise {
    var state: UInt64
    mutating func uniform() -> Double {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return (Double((z ^ (z >> 31)) >> 11) + 0.5) * 0x1.0p-53
    }
    mutating func normal() -> Double { sqrt(-2 * log(uniform())) * cos(2 * Double.pi * uniform()) }
  }

  /// A series from the innovations form y = ℓ + φb + s + ε, ℓ += φb + αε, b = φb + βε,
  /// s += γε, with the final state (seasonal components next one first).
  static func simulate(
    n: Int, m: Int = 1, alpha: Double, beta: Double = 0, gamma: Double = 0, phi: Double = 1, level: Double,
    slope: Double = 0, season: [Double] = [], sigma: Double, seed: UInt64
  ) -> (y: [Double], level: Double, slope: Double, season: [Double]) {
    var noise = Noise(state: seed)
    var l = level
    var b = slope
    var s = season.isEmpty ? [Double](repeating: 0, count: m) : season
    var y: [Double] = []
    for t in 0..<n {
      let e = sigma * noise.normal()
      y.append(l + phi * b + s[t % m] + e)
      l += phi * b + alpha * e
      b = phi * b + beta * e
      s[t % m] += gamma * e
    }
    return (y, l, b, (0..<m).map { s[(n + $0) % m] })
  }
}
