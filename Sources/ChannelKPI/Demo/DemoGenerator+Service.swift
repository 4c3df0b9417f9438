extension DemoGenerator {
  /// "How likely are you to recommend" answers from the partner's customers (and some anonymous).
  mutating func surveys<S: DemoSink>(
    _ p: DemoPartner, _ w: DemoWindow, customers active: Int, presence: Double, into sink: inout S
  ) {
    let n = rng.poisson(0.03 * Double(active) * w.fraction + 0.25 * presence)
    for _ in 0..<n {
      let day = w.first + Int32(rng.below(w.dayCount))
      var customer = ""
      if rng.chance(0.85), let c = pickCustomer(on: day) {
        customer = DemoText.id("C", customers[c].number, width: 7)
      }
      let r = rng.unit()
      let score: Int
      if r < p.detractors {
        score = rng.pick(DemoGenerator.detractorScores)
      } else if r < 1 - p.promoters {
        score = rng.chance(0.45) ? 7 : 8
      } else {
        score = rng.chance(0.45) ? 9 : 10
      }
      rows.survey[0] = DemoText.id("R", next.response, width: 7)
      next.response += 1
      rows.survey[1] = p.id
      rows.survey[2] = customer
      rows.survey[3] = days[day]
      rows.survey[4] = String(score)
      sink.write(.surveys, rows.survey)
    }
  }

  /// Relative weights of the scores 0…6: unhappy customers mostly answer 5 or 6.
  static let detractorScores: [Double] = [1, 1, 2, 3, 5, 9, 14]

  /// Support tickets, with times in the partner's offset; some resolved around local midnight
  /// (so the UTC date differs from the local one), some never resolved.
  mutating func tickets<S: DemoSink>(
    _ p: DemoPartner, _ w: DemoWindow, customers active: Int, presence: Double, into sink: inout S
  ) {
    let n = rng.poisson(0.05 * Double(active) * w.fraction + 0.35 * presence)
    let offset = Int64(p.offsetMinutes) * 60
    let firstSecond = Int64(range.start.number) * 86_400
    let lastSecond = Int64(range.end.number + 1) * 86_400 - 1
    for _ in 0..<n {
      let day = w.first + Int32(rng.below(w.dayCount))
      let second = rng.chance(0.8) ? 8 * 3_600 + rng.below(10 * 3_600) : rng.below(86_400)
      var opened = Int64(day.number) * 86_400 + Int64(second) - offset
      // Keep both the local and the UTC date inside the range.
      if opened < firstSecond { opened += 86_400 }
      if opened > lastSecond { opened -= 86_400 }

      var customer = ""
      if rng.chance(0.85), let c = pickCustomer(on: day) {
        customer = DemoText.id("C", customers[c].number, width: 7)
      }
      var resolvedText = ""
      var satisfaction = ""
      if !rng.chance(0.025) {
        let median = p.type.resolutionHours * p.supportPace
        let hours = min(1_440, max(0.05, rng.logNormal(median: median, sigma: 1.1)))
        var resolved = opened + Int64(hours * 3_600)
        if rng.chance(0.07) {
          let localDay = DemoText.floorDiv(resolved + offset, 86_400)
          resolved = (localDay + 1) * 86_400 + Int64(rng.int(-1_500, 1_500)) - offset
          if resolved < opened { resolved += 86_400 }
        }
        if resolved <= lastSecond && DemoText.floorDiv(resolved + offset, 86_400) <= Int64(range.end.number) {
          resolvedText = DemoText.dateTime(utcSeconds: resolved, offsetMinutes: p.offsetMinutes)
          if rng.chance(0.62) {
            let ratio = Double(resolved - opened) / 3_600 / median
            let weights =
              ratio < 1 ? DemoGenerator.quickRatings : ratio < 4 ? DemoGenerator.slowRatings : DemoGenerator.lateRatings
            satisfaction = String(rng.pick(weights) + 1)
          }
        }
      }
      rows.ticket[0] = DemoText.id("T", next.ticket, width: 7)
      next.ticket += 1
      rows.ticket[1] = p.id
      rows.ticket[2] = customer
      rows.ticket[3] = DemoText.dateTime(utcSeconds: opened, offsetMinutes: p.offsetMinutes)
      rows.ticket[4] = resolvedText
      rows.ticket[5] = satisfaction
      sink.write(.supportTickets, rows.ticket)
    }
  }

  /// Relative weights of the ratings 1…5 by how fast the ticket was resolved.
  static let quickRatings: [Double] = [2, 4, 10, 34, 50]
  static let slowRatings: [Double] = [5, 10, 25, 35, 25]
  static let lateRatings: [Double] = [20, 25, 30, 15, 10]
}
