/// Simulated futures: the model run forward from its final state with Gaussian innovations of
/// its fitted variance, each path the same for the same seed on every platform.
extension ETSModel {
  /// `paths` simulated futures of the next `horizon` values, one array per path: the
  /// predictive distribution of anything computed from them (a sum over several periods, the
  /// first period to cross a line).
  public func samplePaths(horizon: Int, paths: Int, seed: UInt64) -> [[Double]] {
    guard horizon > 0, paths > 0 else { return [] }
    var result: [[Double]] = []
    result.reserveCapacity(paths)
    var path = [Double](repeating: 0, count: horizon)
    ETSSimulation.run(self, horizon: horizon, paths: paths, seed: seed) { values in
      for i in 0..<horizon { path[i] = values[i] * scale }
      result.append(path)
    }
    return result
  }

  /// Sums over `steps` of simulated futures, on the unit scale.
  func simulatedUnitSums(steps: ClosedRange<Int>, paths: Int, seed: UInt64) -> [Double] {
    var sums: [Double] = []
    sums.reserveCapacity(paths)
    ETSSimulation.run(self, horizon: steps.upperBound, paths: paths, seed: seed) { values in
      var sum = 0.0
      for h in steps { sum += values[h - 1] }
      sums.append(sum)
    }
    return sums
  }
}

enum ETSSimulation {
  /// Runs `paths` futures of `horizon` steps on the unit scale, handing each to `body`; the
  /// buffer handed over is reused for the next path.
  static func run(
    _ model: ETSModel, horizon: Int, paths: Int, seed: UInt64, body: (UnsafeBufferPointer<Double>) -> Void
  ) {
    let m = Swift.max(model.seasonLength, 1)
    let recursion = ETSRecursion(spec: model.spec, m: m, smoothing: model.smoothing)
    var random = ForecastRandom(seed: seed)
    let seasonal = model.spec.hasSeason
    let multiplicative = model.spec.error == .multiplicative
    var ring = seasonal ? model.unitState.season : [0]
    var values = [Double](repeating: 0, count: horizon)
    values.withUnsafeMutableBufferPointer { buffer in
      for _ in 0..<paths {
        var level = model.unitState.level
        var slope = model.unitState.slope
        if seasonal {
          for k in 0..<m { ring[k] = model.unitState.season[k] }
        }
        var slot = 0
        var broken = false
        for h in 0..<horizon {
          if broken {
            buffer[h] = buffer[h - 1]
            continue
          }
          var s = seasonal ? ring[slot] : 0
          let f = recursion.forecast(level: level, slope: slope, seasonal: s)
          let e = model.unitSigma * random.normal()
          let y = multiplicative ? f * (1 + e) : f + e
          buffer[h] = y
          // A path whose state can no longer be updated (a multiplicative component at zero)
          // stays where it is rather than turning into NaN.
          if !recursion.update(level: &level, slope: &slope, seasonal: &s, y: y) || !level.isFinite {
            broken = true
            continue
          }
          if seasonal {
            ring[slot] = s
            slot = slot + 1 == m ? 0 : slot + 1
          }
        }
        body(UnsafeBufferPointer(buffer))
      }
    }
  }

  /// The p-quantile of sorted values, interpolating linearly between order statistics.
  static func quantile(sortedValues values: [Double], _ p: Double) -> Double {
    guard let first = values.first else { return 0 }
    let position = p * Double(values.count - 1)
    let lower = Int(position)
    guard lower + 1 < values.count else { return values.last ?? first }
    let weight = position - Double(lower)
    return values[lower] + weight * (values[lower + 1] - values[lower])
  }
}
