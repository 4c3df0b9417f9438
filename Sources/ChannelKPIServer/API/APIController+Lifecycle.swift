import ChannelKPI
import Hummingbird

/// `{"period": …, "counts": {stage: n}, "partners": […]}`: partners' lifecycle stages.
struct LifecycleResponse: Codable {
  var period: String?
  var counts: [String: Int]
  var partners: [PartnerLifecycle]
}

/// `{"cohorts": […]}`: onboarding by the quarter partners joined.
struct CohortsResponse: Codable {
  var cohorts: [OnboardingCohort]
}

/// `{"trainings": […]}`: what each training of the definitions changed.
struct EnablementResponse: Codable {
  var trainings: [EnablementEffect]
}

/// The ideal partner profile, and a prospect's score when attributes were given.
struct ProfileResponse: Codable {
  var profile: IdealPartnerProfile
  var prospect: ProspectScore?
}

/// The partner lifecycle: stages, onboarding cohorts and the ideal partner profile. A manager of
/// some partners reads only theirs.
extension APIController {
  /// The partners the caller may see (nil: every partner).
  func seenPartners(_ context: AppContext) async throws -> Set<String>? {
    let vis = try await visibility(context)
    return vis.all ? nil : vis.partners
  }

  /// `/lifecycle[?stage=S][&period=P]`
  @Sendable func lifecycle(_ request: Request, context: AppContext) async throws -> Response {
    let q = Query(request: request)
    var stage: PartnerStage?
    if let text = q.string("stage") {
      guard let s = PartnerStage(rawValue: text) else {
        throw APIError.badRequest(
          "'\(text)' is not a stage: \(PartnerStage.allCases.map(\.rawValue).joined(separator: ", "))",
          parameter: "stage")
      }
      stage = s
    }
    let period = try q.period("period")
    let seen = try await seenPartners(context)
    let all = try await service.lifecycles(through: period).filter { seen?.contains($0.partner) ?? true }.map {
      seen == nil ? $0 : $0.withoutPeerFigures()
    }
    var counts: [String: Int] = [:]
    for s in PartnerStage.allCases { counts[s.rawValue] = all.filter { $0.stage == s }.count }
    return try Self.encoded(
      LifecycleResponse(
        period: all.first?.history.last?.period, counts: counts,
        partners: all.filter { stage == nil || $0.stage == stage }))
  }

  /// `/lifecycle/cohorts`
  @Sendable func lifecycleCohorts(_ request: Request, context: AppContext) async throws -> Response {
    let seen = try await seenPartners(context)
    return try Self.encoded(CohortsResponse(cohorts: await service.onboardingCohorts(seen: seen)))
  }

  /// `/enablement`
  @Sendable func enablementReport(_ request: Request, context: AppContext) async throws -> Response {
    let seen = try await seenPartners(context)
    return try Self.encoded(EnablementResponse(trainings: await service.enablementEffects(seen: seen)))
  }

  /// `/lifecycle/profile?kpi=K[&period=P][&type=…&region=…&country=…&tier=…&certified_90d=…&first_deal=…]`
  @Sendable func lifecycleProfile(_ request: Request, context: AppContext) async throws -> Response {
    let q = Query(request: request)
    let kpi = q.string("kpi") ?? "revenue"
    guard service.catalog.kpi(kpi) != nil else {
      let ids = service.catalog.kpis.map(\.id)
      throw APIError.badRequest("unknown KPI '\(kpi)'\(Spelling.hint(for: kpi, in: ids))", parameter: "kpi")
    }
    let period = try q.period("period")
    let seen = try await seenPartners(context)
    var attributes: [String: String] = [:]
    for name in IdealPartnerProfile.attributeNames { attributes[name] = q.string(name) }
    // A misspelt attribute (?segment=, ?Type=) would be silently left out of the score.
    let taken = Set(["kpi", "period"] + IdealPartnerProfile.attributeNames)
    for (name, _) in request.uri.queryParameters where !taken.contains(String(name)) {
      throw APIError.badRequest(
        "unknown parameter '\(name)'; the profile takes kpi, period and a prospect's \(IdealPartnerProfile.attributeNames.joined(separator: ", "))",
        parameter: String(name))
    }
    let profile: IdealPartnerProfile
    do { profile = try await service.idealProfile(kpi: kpi, period: period, seen: seen) } catch let e as ProfileError {
      throw APIError.conflict(e.message)
    }
    var prospect: ProspectScore?
    if !attributes.isEmpty {
      do { prospect = try PartnerProfiler.score(attributes, against: profile) } catch {
        throw APIError.badRequest(error.message, parameter: nil)
      }
    }
    return try Self.encoded(ProfileResponse(profile: profile, prospect: prospect))
  }
}
