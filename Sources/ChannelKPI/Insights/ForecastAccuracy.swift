/// Forecast accuracy measures on plain arrays. Each gives no value (nil) where its denominator is
/// empty or zero, never a made-up zero.
public enum ForecastAccuracy {
  /// Mean absolute scaled error (Hyndman and Koehler 2006): the mean absolute forecast error
  /// over the in-sample mean absolute error of the seasonal naive forecast (lag `seasonLength`),
  /// or of the naive forecast (lag 1) when the series is non-seasonal or no longer than a season.
  public static func mase(actual: [Double], forecast: [Double], insample: [Double], seasonLength: Int) -> Double? {
    let count = Swift.min(actual.count, forecast.count)
    guard count > 0 else { return nil }
    let lag = seasonLength > 1 && insample.count > seasonLength ? seasonLength : 1
    guard insample.count > lag else { return nil }
    var scale = 0.0
    for t in lag..<insample.count { scale += Swift.abs(insample[t] - insample[t - lag]) }
    scale /= Double(insample.count - lag)
    guard scale > 0 else { return nil }
    var error = 0.0
    for i in 0..<count { error += Swift.abs(actual[i] - forecast[i]) }
    return error / Double(count) / scale
  }

  /// Symmetric mean absolute percentage error in percent, 0–200: the mean of
  /// 200 |y - f| / (|y| + |f|), a period where both are zero counting as 0.
  public static func smape(actual: [Double], forecast: [Double]) -> Double? {
    let count = Swift.min(actual.count, forecast.count)
    guard count > 0 else { return nil }
    var total = 0.0
    for i in 0..<count {
      let denominator = Swift.abs(actual[i]) + Swift.abs(forecast[i])
      if denominator > 0 { total += 2 * Swift.abs(actual[i] - forecast[i]) / denominator }
    }
    return 100 * total / Double(count)
  }

  /// The share (0–1) of actual values inside their interval, bounds included.
  public static func coverage(actual: [Double], lower: [Double], upper: [Double]) -> Double? {
    let count = Swift.min(actual.count, lower.count, upper.count)
    guard count > 0 else { return nil }
    var inside = 0
    for i in 0..<count where actual[i] >= lower[i] && actual[i] <= upper[i] { inside += 1 }
    return Double(inside) / Double(count)
  }
}
