extension DemoGenerator {
  /// One market row per region and month, sized from the network's average won revenue there so
  /// that its market share is a few percent whatever the configuration; the market grows slowly
  /// and follows the season mildly, so shares move with the network's own ups and downs.
  mutating func writeMarket<S: DemoSink>(into sink: inout S) {
    var r = DemoRandom(seed: seed, stream: 3)
    for region in DemoRegion.allCases {
      var total: Int64 = 0
      for k in 0..<range.months { total += wonCents[region.rawValue * range.months + k] }
      // Without any won deal (tiny configurations) assume a modest network of 2M a month.
      let monthly = total > 0 ? Double(total) / Double(range.months) : 200_000_000
      let base = monthly / region.marketShare
      for k in 0..<range.months {
        let month = range.firstMonth + Int32(k)
        let years = (Double(k) - Double(range.months - 1) / 2) / 12
        let value =
          base * (1 + 0.06 * years) * (0.6 + 0.4 * region.season(month.monthOfYear)) * (0.97 + 0.06 * r.unit())
        // Market sizes are estimates, quoted in thousands.
        let cents = max(100_000, Int64((value / 100_000).rounded()) * 100_000)
        rows.market[0] = region.slug
        rows.market[1] = month.description
        rows.market[2] = DemoText.money(cents: cents)
        sink.write(.market, rows.market)
      }
    }
  }
}
