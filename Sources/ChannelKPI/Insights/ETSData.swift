/// A series made ready for fitting: gaps filled, and divided by its mean absolute value so that
/// every model is fitted on numbers near 1 (the likelihood only shifts by 2n log scale, the
/// same for every model, so the choice of model doesn't change).
struct ETSData {
  /// The observations, non-finite ones replaced by linear interpolation between their finite
  /// neighbours (or the nearest finite value at either end).
  let values: [Double]
  /// `values` divided by `scale`.
  let unit: [Double]
  let scale: Double
  /// Every value strictly positive: multiplicative error and season need it.
  let positive: Bool
  /// Every value the same.
  let constant: Bool

  var count: Int { values.count }

  init(_ series: [Double]) {
    let filled = ETSData.filled(series)
    values = filled
    var largest = 0.0
    for v in filled { largest = Swift.max(largest, Swift.abs(v)) }
    var scale = 1.0
    if largest > 0 {
      // The mean absolute value, computed relative to the largest so that huge values can't overflow.
      var sum = 0.0
      for v in filled { sum += Swift.abs(v) / largest }
      scale = largest * (sum / Double(filled.count))
    }
    self.scale = scale
    unit = filled.map { $0 / scale }
    positive = !filled.isEmpty && filled.allSatisfy { $0 > 0 }
    constant = filled.allSatisfy { $0 == filled.first }
  }

  /// Linear interpolation over non-finite entries; an all-missing series is empty.
  static func filled(_ series: [Double]) -> [Double] {
    guard series.contains(where: { !$0.isFinite }) else { return series }
    guard let firstFinite = series.firstIndex(where: { $0.isFinite }) else { return [] }
    var result = series
    var previous = firstFinite
    for i in 0..<firstFinite { result[i] = series[firstFinite] }
    var i = firstFinite + 1
    while i < series.count {
      if series[i].isFinite {
        let gap = i - previous
        if gap > 1 {
          for k in 1..<gap {
            let weight = Double(k) / Double(gap)
            result[previous + k] = series[previous] + weight * (series[i] - series[previous])
          }
        }
        previous = i
      }
      i += 1
    }
    for k in (previous + 1)..<Swift.max(series.count, previous + 1) { result[k] = series[previous] }
    return result
  }
}
