import ChannelKPI
import Testing

/// Forecast accuracy measures and the normal distribution, against values worked out by hand or
/// published to full precision.
@Suite struct ForecastAccuracyTests {
  @Test func maseScalesByTheInSampleNaiveError() {
    // Naive (lag 1) errors of 1…6 are all 1; the forecast errors 1 and 2 average 1.5.
    let insample: [Double] = [1, 2, 3, 4, 5, 6]
    #expect(ForecastAccuracy.mase(actual: [7, 8], forecast: [6, 10], insample: insample, seasonLength: 1) == 1.5)
    // Seasonal naive with lag 2: differences 3-1, 4-2, 5-3, 6-4 = 2 each, so 1.5 / 2.
    #expect(ForecastAccuracy.mase(actual: [7, 8], forecast: [6, 10], insample: insample, seasonLength: 2) == 0.75)
    // A season longer than the history falls back to lag 1.
    #expect(ForecastAccuracy.mase(actual: [7, 8], forecast: [6, 10], insample: insample, seasonLength: 12) == 1.5)
    // No in-sample variation, or nothing to score: no value.
    #expect(ForecastAccuracy.mase(actual: [1], forecast: [2], insample: [3, 3, 3], seasonLength: 1) == nil)
    #expect(ForecastAccuracy.mase(actual: [], forecast: [], insample: insample, seasonLength: 1) == nil)
  }

  @Test func smapeIsTheZeroTo200PercentDefinition() throws {
    // 200·10/210, 0 (both zero), 200·5/5: mean (9.5238095… + 0 + 200) / 3.
    let value = try #require(ForecastAccuracy.smape(actual: [100, 0, 0], forecast: [110, 0, 5]))
    #expect(ETSCheck.near(value, (2000.0 / 210 + 200) / 3, 1e-12))
    #expect(ForecastAccuracy.smape(actual: [], forecast: []) == nil)
  }

  @Test func coverageCountsValuesInsideTheirIntervals() {
    // 1 ∈ [0, 2], 2 ∈ [2, 3] (bounds count), 3 ∉ [4, 5], 4 ∉ [0, 3].
    #expect(ForecastAccuracy.coverage(actual: [1, 2, 3, 4], lower: [0, 2, 4, 0], upper: [2, 3, 5, 3]) == 0.5)
    #expect(ForecastAccuracy.coverage(actual: [], lower: [], upper: []) == nil)
  }

  @Test func normalDistributionMatchesPublishedValues() {
    #expect(ETSCheck.near(Normal.cdf(1.959_963_984_540_054), 0.975, 1e-14))
    #expect(ETSCheck.near(Normal.cdf(-1), 0.158_655_253_931_457_07, 1e-14))
    #expect(Normal.cdf(0) == 0.5)
    #expect(ETSCheck.near(Normal.cdf(0.3), 0.617_911_422_188_952_6, 1e-14))
    // Tails keep their relative accuracy.
    #expect(Swift.abs(Normal.cdf(-8.5) / 9.479_534_822_203_25e-18 - 1) < 1e-12)
    #expect(Swift.abs(Normal.survival(5) / 2.866_515_718_791_933e-07 - 1) < 1e-12)
    #expect(ETSCheck.near(Normal.erfc(0.5), 0.479_500_122_186_953_5, 1e-14))
    #expect(Swift.abs(Normal.erfc(3) / 2.209_049_699_858_544_5e-05 - 1) < 1e-12)
    #expect(Swift.abs(Normal.erfc(6) / 2.151_973_671_249_891_3e-17 - 1) < 1e-12)

    #expect(ETSCheck.near(Normal.quantile(0.9), 1.281_551_565_544_600_4, 1e-14))
    #expect(ETSCheck.near(Normal.quantile(0.975), 1.959_963_984_540_054, 1e-14))
    #expect(ETSCheck.near(Normal.quantile(0.1), -1.281_551_565_544_600_4, 1e-14))
    #expect(ETSCheck.near(Normal.quantile(0.8), 0.841_621_233_572_914_3, 1e-14))
    #expect(ETSCheck.near(Normal.quantile(1e-10), -6.361_340_902_404_056, 1e-13))
    #expect(ETSCheck.near(Normal.quantile(0.999_999), 4.753_424_308_817_087, 1e-9))
    #expect(Normal.quantile(0.5) == 0)
    #expect(Normal.quantile(0) == -.infinity && Normal.quantile(1) == .infinity && Normal.quantile(2).isNaN)
  }
}
