import ChannelKPI
import Foundation
import Testing

/// Sample paths, sums of future periods and threshold probabilities, and the variance formulas
/// of the multiplicative models checked against simulation.
@Suite struct ETSSimulationTests {
  /// ETS(A,N,N) with α = 0.5 and ℓ₀ = 4 on five points: final level 5.03125, σ² = SSE / 1.
  func handModel() throws -> ETSModel {
    let spec = try #require(ETSSpec("ANN"))
    return try #require(
      ETS.evaluate(
        [3, 5, 4, 6, 5], seasonLength: 1, spec: spec, parameters: ETSParameters(alpha: 0.5),
        initialState: ETSState(level: 4)))
  }

  @Test func samplePathsAreDeterministicPerSeed() throws {
    let model = try handModel()
    let a = model.samplePaths(horizon: 5, paths: 50, seed: 7)
    let b = model.samplePaths(horizon: 5, paths: 50, seed: 7)
    let c = model.samplePaths(horizon: 5, paths: 50, seed: 8)
    #expect(a == b)
    #expect(a != c)
    #expect(a.count == 50 && a.allSatisfy { $0.count == 5 })
    #expect(model.samplePaths(horizon: 0, paths: 5, seed: 1).isEmpty)
  }

  @Test func sumOfFuturePeriodsHasTheLinearModelVariance() throws {
    let model = try handModel()
    let sigma = 6.832_031_25.squareRoot()
    // y_{n+h} = ℓ_n + ε_{n+h} + α Σ_{j<h} ε_{n+j}: over steps 1…3 the errors carry 1 + 2α, 1 + α, 1.
    let spread = sigma * (pow(1 + 2 * 0.5, 2) + pow(1 + 0.5, 2) + 1).squareRoot()
    let sum = model.sumForecast(steps: 1...3)
    #expect(ETSCheck.near(sum.mean, 3 * 5.031_25, 1e-12))
    #expect(ETSCheck.near(sum.hi80 - sum.mean, 1.281_551_565_544_600_5 * spread, 1e-9))
    #expect(ETSCheck.near(sum.mean - sum.lo95, 1.959_963_984_540_054 * spread, 1e-9))
    // Steps 2…3 alone: ε_{n+1} carries 2α, ε_{n+2} carries 1 + α, ε_{n+3} carries 1.
    let later = model.sumForecast(steps: 2...3)
    let laterSpread = sigma * (pow(2 * 0.5, 2) + pow(1 + 0.5, 2) + 1).squareRoot()
    #expect(ETSCheck.near(later.hi95 - later.mean, 1.959_963_984_540_054 * laterSpread, 1e-9))
    // Threshold probabilities from the same normal distribution: at the mean one half, one σ up
    // P(Z ≥ 1) = 0.15865525393145707.
    #expect(ETSCheck.near(model.probability(sumAtLeast: sum.mean, steps: 1...3), 0.5, 1e-12))
    #expect(
      ETSCheck.near(model.probability(sumAtLeast: sum.mean + spread, steps: 1...3), 0.158_655_253_931_457_07, 1e-9))
    #expect(ETSCheck.near(model.probability(atLeast: 5.031_25, step: 2), 0.5, 1e-12))
    // The simulated sums agree with the formula within Monte Carlo error (20 000 paths: ±0.01).
    let paths = model.samplePaths(horizon: 3, paths: 20000, seed: 3)
    let hits = paths.filter { $0.reduce(0, +) >= sum.mean + spread }.count
    #expect(Swift.abs(Double(hits) / 20000 - 0.158_655_253_931_457_07) < 0.01)
  }

  @Test func multiplicativeErrorVariancesMatchSimulation() throws {
    // Class 2 (M,N,N) and class 3 (M,N,M, M,A,M): the analytic variance of each step against the
    // variance of 40 000 simulated paths (relative Monte Carlo error about √(2/40000) ≈ 0.7%).
    let y: [Double] = (0..<36).map { t in
      let season = [0.8, 1.0, 1.3, 0.9][t % 4]
      return (100 + 2 * Double(t)) * season * (1 + 0.1 * sin(Double(t * 7)))
    }
    for (code, alpha, beta, gamma, season) in [
      ("MNN", 0.3, nil, nil, [Double]()), ("MNM", 0.3, nil, 0.2, [0.8, 1.0, 1.3, 0.9]),
      ("MAM", 0.3, 0.1, 0.2, [0.8, 1.0, 1.3, 0.9]), ("MAdM", 0.3, 0.1, 0.2, [0.8, 1.0, 1.3, 0.9]),
    ] as [(String, Double, Double?, Double?, [Double])] {
      let spec = try #require(ETSSpec(code))
      let model = try #require(
        ETS.evaluate(
          y, seasonLength: 4, spec: spec,
          parameters: ETSParameters(alpha: alpha, beta: beta, gamma: gamma, phi: spec.trend == .damped ? 0.9 : nil),
          initialState: ETSState(level: 100, trend: beta == nil ? nil : 2, season: season)))
      let forecast = model.forecast(horizon: 6)
      let paths = model.samplePaths(horizon: 6, paths: 40000, seed: 11)
      for h in 0..<6 {
        let values = paths.map { $0[h] }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
        let analytic = pow((forecast[h].hi95 - forecast[h].mean) / 1.959_963_984_540_054, 2)
        #expect(
          Swift.abs(variance / analytic - 1) < 0.04, "\(code) h=\(h + 1): simulated \(variance), formula \(analytic)")
        // The simulated mean sits at the point forecast up to the O(σ²) drift of multiplicative models.
        #expect(Swift.abs(mean / forecast[h].mean - 1) < 0.01)
      }
    }
  }
}
