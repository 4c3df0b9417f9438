public import ChannelKPI
public import ChannelKPIStore
import Foundation

extension KPIService {
  /// An evaluator of the lifecycle over the partners `seen` (nil: all), with the milestones
  /// scanned once per state of the data rather than once per report.
  ///
  /// Without `scanning`, when every partner's milestones are not kept, those of the partners
  /// `seen` (a page's few) are found alone and kept, rather than every partner's.
  func lifecycleEvaluator(seen: Set<String>? = nil, scanning: Bool = true) -> LifecycleEvaluator {
    let program = evaluator
    if milestonesCache == nil {
      if !scanning, let seen {
        let missing = seen.subtracting(pageMilestones.keys)
        if !missing.isEmpty { pageMilestones.merge(engine.milestones(of: missing)) { $1 } }
        return LifecycleEvaluator(program: program, partners: seen, milestones: pageMilestones)
      }
      milestonesCache = engine.milestones()
      pageMilestones = [:]
    } else if !milestonesStale.isEmpty {
      let found = engine.milestones(of: milestonesStale)
      for id in milestonesStale { milestonesCache?[id] = found[id] }
    }
    milestonesStale = []
    return LifecycleEvaluator(program: program, partners: seen, milestones: milestonesCache)
  }

  /// Every partner's lifecycle stage in `period` (default: the current one; another grain is
  /// read as its period of the rules' grain) with its history. Partners with a firing alert are
  /// at risk in the current period when the rules say so (an alert is of now, not of the past).
  public func lifecycles(through period: Period? = nil) async throws -> [PartnerLifecycle] {
    let day = todayDay
    // Read before the evaluator is made: a write during this wait would otherwise leave it
    // holding the milestones from before the write beside the scorecards after it (and cached).
    let firingNow = StoredAlert.firingPartners(try await alerts(state: .firing))
    let lifecycle = lifecycleEvaluator()
    guard let current = lifecycle.currentPeriod() else { return [] }
    let grain = lifecycle.rules(for: current).grain
    let asked = period.map { Period(grain: grain, containing: $0.lastMonth) }.map { Swift.min($0, current) } ?? current
    let firing = asked == current ? firingNow : []
    if let cached = lifecycleCache, cached.today == day, cached.firing == firing, cached.period == asked {
      return cached.stages
    }
    let stages = lifecycle.lifecycles(through: asked, alerting: firing)
    lifecycleCache = (day, firing, asked, stages)
    return stages
  }

  /// One partner's lifecycle stage in the current period with its history, as `lifecycles()`
  /// gives it, without the other types' scorecards or the other partners' milestones when those
  /// are not kept already (nil for an id that names no partner, or one not in the program in the
  /// current period).
  public func lifecycle(of id: String) async throws -> PartnerLifecycle? {
    let day = todayDay
    let firing = StoredAlert.firingPartners(try await alerts(state: .firing))
    let lifecycle = lifecycleEvaluator(seen: [id], scanning: false)
    if let cached = lifecycleCache, cached.today == day, cached.firing == firing,
      cached.period == lifecycle.currentPeriod()
    {
      return cached.stages.first { $0.partner == id }
    }
    return lifecycle.lifecycle(of: id, alerting: firing)
  }

  /// The lifecycle rules in force for a period (default: this month).
  public func lifecycleRules(for period: Period?) -> LifecycleRules {
    evaluator.definitions(for: period ?? Period(grain: .month, containing: todayDay.month)).1.lifecycle
  }

  /// Onboarding by the quarter partners joined, over the partners `seen` (nil: all).
  public func onboardingCohorts(seen: Set<String>? = nil) -> [OnboardingCohort] {
    lifecycleEvaluator(seen: seen).cohorts()
  }

  /// What the definitions' trainings changed, over the partners `seen` (nil: all).
  public func enablementEffects(seen: Set<String>? = nil) -> [EnablementEffect] {
    lifecycleEvaluator(seen: seen).enablementEffects()
  }

  /// The ideal partner profile by a KPI in a period (default: the last quarter that has ended),
  /// over the partners `seen` (nil: all).
  public func idealProfile(kpi: String, period: Period?, seen: Set<String>? = nil) throws -> IdealPartnerProfile {
    try lifecycleEvaluator(seen: seen).profile(kpi: kpi, period: period)
  }
}

extension KPIService {
  /// Today's digests, one per manager and the program's.
  public func digests(baseURL: String?) async throws -> [ManagerDigest] {
    ManagerDigest.build(
      day: todayDay, alerts: try await store.alerts(), events: try await store.alertEvents(alert: nil),
      lifecycles: try await lifecycles(), partners: partners(), baseURL: baseURL)
  }

  /// Sends today's digests unless this or another server already did: the number sent, or nil
  /// when the day's were sent before. Everything that can fail before the day is claimed does:
  /// the digests are built, the webhook must exist and the files are written (again, the same,
  /// if another server claims the day first); only queueing for the webhook follows the claim.
  public func sendDigests(to target: DigestTarget, baseURL: String?) async throws -> Int? {
    let now = Date()
    let digests = try await digests(baseURL: baseURL)
    if let name = target.webhook, !(try await store.webhooks().contains { $0.name == name }) {
      throw WebhookError.unknown(name)
    }
    let files = DigestTarget(directory: target.directory, webhook: nil)
    try await files.deliver(digests, store: store, now: Int64(now.timeIntervalSince1970))
    guard try await store.claimDigest(day: todayDay.description, at: ISO8601DateFormatter().string(from: now)) else {
      return nil
    }
    let queued = DigestTarget(directory: nil, webhook: target.webhook)
    return try await queued.deliver(digests, store: store, now: Int64(now.timeIntervalSince1970)).count
  }

}
