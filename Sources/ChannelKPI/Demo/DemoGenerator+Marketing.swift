/// A campaign of the current partner that still brings website visits.
struct DemoCampaign {
  let id: String
  let first: Day
  let lastVisitDay: Day
  let visitsPerDay: Double
}

extension DemoGenerator {
  /// Campaigns the partner starts this month, each with the leads it brings.
  mutating func startCampaigns<S: DemoSink>(_ p: DemoPartner, _ w: DemoWindow, presence: Double, into sink: inout S) {
    let n = rng.poisson(p.type.campaignsPerMonth * p.region.marketingFactor * p.size.squareRoot() * presence)
    guard n > 0 else { return }
    let lastActive = p.left.map { min($0 - 1, range.end) } ?? range.end
    for _ in 0..<n {
      let channel = DemoChannel(rawValue: rng.pick(p.region.channelWeights)) ?? .email
      let start = w.first + Int32(rng.below(w.dayCount))
      let length = Int32(rng.int(channel.days.0, channel.days.1))
      var end: Day? = start + (length - 1)
      // Evergreen web campaigns and those still running at the range's end have no end date,
      // unless the partner left, which ends everything it ran.
      if channel == .web && rng.chance(0.15) { end = nil }
      if let e = end, e > range.end { end = nil }
      if p.left != nil, end.map({ $0 > lastActive }) ?? true { end = lastActive }

      let reach = p.type.marketingScale
      let units = rng.logNormal(
        median: channel.medianCost * p.region.marketingFactor * DemoMath.pow(p.size, 0.3) * reach.squareRoot(),
        sigma: 0.6)
      let cost: Int64 =
        rng.chance(0.15) ? max(1, Int64(units * 100)) : Int64(max(1, (units / 50).rounded()) * 50) * 100
      let funded = rng.unit()
      var mdf = ""
      if funded >= 0.4 {
        // Vendors fund a round share of a campaign from market development funds, at most all of it.
        let share = DemoGenerator.mdfShares[rng.pick(DemoGenerator.mdfShareWeights)]
        mdf = DemoText.money(cents: Int64(Double(cost) * share))
      }

      let id = DemoText.id("CM", next.campaign, width: 6)
      next.campaign += 1
      let c = start.civil
      let topic = DemoVocabulary.products[rng.pick(p.productWeights)]
      rows.campaign[0] = id
      rows.campaign[1] = p.id
      rows.campaign[2] = String(c.year) + "-Q" + String((c.month - 1) / 3 + 1) + " " + topic + " " + channel.noun
      rows.campaign[3] = rng.chance(0.05) ? "" : channel.slug
      rows.campaign[4] = days[start]
      rows.campaign[5] = end.map { days[$0] } ?? ""
      rows.campaign[6] = DemoText.money(cents: cost)
      rows.campaign[7] = mdf
      sink.write(.campaigns, rows.campaign)

      // Events and webinars bring their leads in the days after; the others while they run.
      let followUp: Int32 = channel == .event || channel == .webinar ? 14 : 0
      let leadEnd = min(lastActive, (end ?? start + 60) + followUp)
      let leads = rng.poisson(Double(cost) / 100 / (channel.costPerLead * DemoMath.pow(reach, 0.7)))
      for _ in 0..<leads {
        let created =
          followUp > 0 && rng.chance(0.55) ? start : start + Int32(rng.below(Int(leadEnd - start) + 1))
        writeLead(p, campaign: id, created: created, quality: channel.leadQuality, into: &sink)
      }

      if p.hasWebsite, let costPerVisit = channel.costPerVisit {
        let visitEnd = min(lastActive, end ?? range.end)
        let visits = Double(cost) / 100 / costPerVisit / Double(visitEnd - start + 1)
        campaigns.append(DemoCampaign(id: id, first: start, lastVisitDay: visitEnd, visitsPerDay: visits))
      }
    }
  }

  static let mdfShares: [Double] = [0, 0.25, 0.5, 0.75, 1]
  static let mdfShareWeights: [Double] = [0.05, 0.15, 0.4, 0.2, 0.2]

  /// Leads that come to the partner outside its campaigns.
  mutating func organicLeads<S: DemoSink>(_ p: DemoPartner, _ w: DemoWindow, presence: Double, into sink: inout S) {
    let n = rng.poisson(p.type.leadsPerMonth * p.size * p.region.volumeFactor * presence)
    for _ in 0..<n {
      writeLead(p, campaign: "", created: w.first + Int32(rng.below(w.dayCount)), quality: 1, into: &sink)
    }
  }

  /// A lead, and the deal it becomes when it converts (written first, so the lead can name it).
  mutating func writeLead<S: DemoSink>(
    _ p: DemoPartner, campaign: String, created: Day, quality: Double, into sink: inout S
  ) {
    var converted = ""
    var dealId = ""
    if rng.chance(p.type.leadConversion * quality * (1 + 2 * p.skill)) {
      let day = created + Int32(min(120, rng.exponential(mean: 12)))
      if day <= range.end, p.left.map({ day < $0 }) ?? true {
        let r = rng.unit()
        var deal = planDeal(p, created: day, source: r < 0.8 ? 0 : r < 0.92 ? 2 : 1)
        register(&deal, p)
        let id = writeDeal(deal, p, into: &sink)
        // Real CRMs lose a link now and then: a deal without the conversion date, or the reverse.
        let quirk = rng.unit()
        converted = quirk < 0.03 ? "" : days[day]
        dealId = quirk >= 0.03 && quirk < 0.045 ? "" : id
      }
    }
    rows.lead[0] = DemoText.id("L", next.lead, width: 8)
    next.lead += 1
    rows.lead[1] = p.id
    rows.lead[2] = campaign
    rows.lead[3] = days[created]
    rows.lead[4] = converted
    rows.lead[5] = dealId
    sink.write(.leads, rows.lead)
  }

  /// Website visits per day (or per week, dated on Mondays): one unattributed row per date and one
  /// per campaign running then, so (partner, date, campaign) stays unique.
  mutating func webTraffic<S: DemoSink>(_ p: DemoPartner, _ w: DemoWindow, presence: Double, into sink: inout S) {
    let perDay = p.type.leadsPerMonth * p.size * p.region.volumeFactor / 30.44 / p.visitToLead * presence
    let lastActive = p.left.map { min($0 - 1, range.end) } ?? range.end
    var d = w.first
    let step: Int32 = p.dailyTraffic ? 1 : 7
    if !p.dailyTraffic {
      while (d.number + 3) % 7 != 0 { d = d + 1 }
    }
    while d <= w.last {
      let last = p.dailyTraffic ? d : min(lastActive, d + 6)
      let span = Double(last - d + 1)
      let factor = p.dailyTraffic ? DemoGenerator.weekdayFactor[Int((d.number + 3) % 7)] : 1
      let date = days[d]
      rows.traffic[0] = p.id
      rows.traffic[1] = date
      rows.traffic[2] = ""
      rows.traffic[3] = String(rng.poisson(perDay * factor * span))
      sink.write(.webTraffic, rows.traffic)
      for c in campaigns where c.first <= last && c.lastVisitDay >= d {
        let overlap = Double(min(c.lastVisitDay, last) - max(c.first, d) + 1)
        rows.traffic[2] = c.id
        rows.traffic[3] = String(rng.poisson(c.visitsPerDay * overlap * factor))
        sink.write(.webTraffic, rows.traffic)
      }
      d = d + step
    }
  }

  /// Visits by day of the week, Monday first: offices browse, weekends don't.
  static let weekdayFactor: [Double] = [1.16, 1.18, 1.16, 1.14, 1.06, 0.55, 0.5]
}
