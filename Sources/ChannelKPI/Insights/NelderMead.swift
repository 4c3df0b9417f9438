/// Nelder–Mead simplex minimisation inside a box: trial points are clamped into the bounds, as
/// statsforecast's optimiser does, and the coefficients adapt to the dimension (Gao and Han,
/// 2012), which keeps the method from stalling with the 15-odd unknowns of a seasonal model.
/// A simplex can collapse before it reaches the minimum, so the search restarts from its best
/// point with a fresh simplex until a restart no longer improves it.
struct NelderMead {
  /// Stop a run when the standard deviation of the values at the vertices falls below this.
  var tolerance = 1e-3
  /// Iterations allowed in one run.
  var maxIterations = 1000
  /// Fresh simplices allowed after the first run.
  var restarts = 2

  struct Result {
    var point: [Double]
    var value: Double
    var evaluations: Int
  }

  /// Minimises `objective` from `start`, building each simplex with one step per coordinate;
  /// `lower` and `upper` may be infinite. The objective returns +∞ where it is undefined.
  func minimize(
    start: [Double], steps: [Double], lower: [Double], upper: [Double], objective: ([Double]) -> Double
  ) -> Result {
    let n = start.count
    var best = start
    clamp(&best, lower, upper)
    var bestValue = objective(best)
    var evaluations = 1
    guard n > 0 else { return Result(point: best, value: bestValue, evaluations: evaluations) }
    let d = Double(Swift.max(n, 2))
    let coefficients = (expand: 1 + 2 / d, contract: 0.75 - 1 / (2 * d), shrink: 1 - 1 / d)

    var simplex = [Double](repeating: 0, count: (n + 1) * n)
    var values = [Double](repeating: .infinity, count: n + 1)
    var centroid = [Double](repeating: 0, count: n)
    var reflected = [Double](repeating: 0, count: n)
    var trial = [Double](repeating: 0, count: n)

    for run in 0...restarts {
      // A fresh simplex: the best point and one step along each coordinate, turned back at a bound.
      for j in 0...n {
        for i in 0..<n { simplex[j * n + i] = best[i] }
      }
      values[0] = bestValue
      for i in 0..<n {
        var x = best[i] + steps[i]
        if x > upper[i] { x = best[i] - steps[i] }
        simplex[(i + 1) * n + i] = Swift.min(Swift.max(x, lower[i]), upper[i])
        for k in 0..<n { trial[k] = simplex[(i + 1) * n + k] }
        values[i + 1] = objective(trial)
        evaluations += 1
      }

      for _ in 0..<maxIterations {
        var low = 0
        var high = 0
        for j in 1...n {
          if values[j] < values[low] { low = j }
          if values[j] > values[high] { high = j }
        }
        if !values[low].isFinite || spread(values) < tolerance { break }
        var nextHigh = low
        for j in 0...n where j != high && values[j] > values[nextHigh] { nextHigh = j }

        for i in 0..<n {
          var sum = 0.0
          for j in 0...n where j != high { sum += simplex[j * n + i] }
          centroid[i] = sum / Double(n)
        }
        for i in 0..<n {
          reflected[i] = Swift.min(Swift.max(2 * centroid[i] - simplex[high * n + i], lower[i]), upper[i])
        }
        let reflectedValue = objective(reflected)
        evaluations += 1

        if reflectedValue < values[low] {
          for i in 0..<n {
            let x = centroid[i] + coefficients.expand * (reflected[i] - centroid[i])
            trial[i] = Swift.min(Swift.max(x, lower[i]), upper[i])
          }
          let expandedValue = objective(trial)
          evaluations += 1
          if expandedValue < reflectedValue {
            replace(&simplex, &values, vertex: high, with: trial, value: expandedValue)
          } else {
            replace(&simplex, &values, vertex: high, with: reflected, value: reflectedValue)
          }
          continue
        }
        if reflectedValue < values[nextHigh] {
          replace(&simplex, &values, vertex: high, with: reflected, value: reflectedValue)
          continue
        }
        // Contract outside when the reflection beat the worst vertex, inside otherwise.
        let outside = reflectedValue < values[high]
        for i in 0..<n {
          let toward = outside ? reflected[i] : simplex[high * n + i]
          let x = centroid[i] + coefficients.contract * (toward - centroid[i])
          trial[i] = Swift.min(Swift.max(x, lower[i]), upper[i])
        }
        let contractedValue = objective(trial)
        evaluations += 1
        if contractedValue < (outside ? reflectedValue : values[high])
          || (outside && contractedValue == reflectedValue)
        {
          replace(&simplex, &values, vertex: high, with: trial, value: contractedValue)
          continue
        }
        for j in 0...n where j != low {
          for i in 0..<n {
            let x = simplex[low * n + i] + coefficients.shrink * (simplex[j * n + i] - simplex[low * n + i])
            simplex[j * n + i] = Swift.min(Swift.max(x, lower[i]), upper[i])
            trial[i] = simplex[j * n + i]
          }
          values[j] = objective(trial)
          evaluations += 1
        }
      }

      var low = 0
      for j in 1...n where values[j] < values[low] { low = j }
      let improvement = bestValue - values[low]
      if values[low] < bestValue {
        bestValue = values[low]
        for i in 0..<n { best[i] = simplex[low * n + i] }
      }
      if run > 0 && !(improvement > tolerance) { break }
      if !bestValue.isFinite { break }
    }
    return Result(point: best, value: bestValue, evaluations: evaluations)
  }

  private func clamp(_ x: inout [Double], _ lower: [Double], _ upper: [Double]) {
    for i in x.indices { x[i] = Swift.min(Swift.max(x[i], lower[i]), upper[i]) }
  }

  private func replace(
    _ simplex: inout [Double], _ values: inout [Double], vertex: Int, with x: [Double], value: Double
  ) {
    let n = x.count
    for i in 0..<n { simplex[vertex * n + i] = x[i] }
    values[vertex] = value
  }

  /// The standard deviation of the values, statsforecast's stopping rule.
  private func spread(_ values: [Double]) -> Double {
    var mean = 0.0
    for v in values { mean += v }
    mean /= Double(values.count)
    var sum = 0.0
    for v in values { sum += (v - mean) * (v - mean) }
    return (sum / Double(values.count)).squareRoot()
  }
}
