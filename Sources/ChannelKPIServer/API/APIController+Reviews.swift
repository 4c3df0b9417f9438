import ChannelKPI
import ChannelKPIStore
import Foundation
import Hummingbird

/// Reviews: recorded by managers, shared with a partner, acknowledged and answered by it.
extension APIController {
  static func reviewJSON(_ r: Review, replies: [ReviewReply] = []) -> JSONValue {
    .object([
      ("id", .number(r.id.map(Double.init))), ("date", .string(r.date.description)), ("reviewer", .string(r.reviewer)),
      ("partner", .string(r.partner)), ("kpi", .string(r.kpi)), ("period", .string(r.period?.description)),
      ("finding", .string(r.finding)), ("action", .string(r.action)), ("shared", .bool(r.shared)),
      ("acknowledged_by", .string(r.acknowledgedBy)), ("acknowledged_at", .string(r.acknowledgedAt)),
      (
        "replies",
        .array(
          replies.map {
            .object([
              ("id", .number($0.id.map(Double.init))), ("author", .string($0.author)), ("at", .string($0.at)),
              ("text", .string($0.text)),
            ])
          })
      ),
    ])
  }

  /// The reviews a caller may read: all for those who see every partner; a manager's partners'
  /// reviews; for a partner's staff, only those shared with it.
  func visibleReviews(_ context: AppContext) async throws -> [Review] {
    let vis = try await visibility(context)
    return try await service.store.reviews().filter { r in
      if vis.all { return true }
      guard let p = r.partner, vis.canSee(partner: p) else { return false }
      return vis.ownPartner == nil || r.shared
    }
  }

  @Sendable func reviews(_ request: Request, context: AppContext) async throws -> Response {
    let rs = try await visibleReviews(context)
    let replies = Dictionary(grouping: try await service.store.reviewReplies(), by: \.review)
    return Self.json(
      .object([("reviews", .array(rs.map { Self.reviewJSON($0, replies: replies[$0.id ?? 0] ?? []) }))]))
  }

  /// `{"partner": "P1", "kpi": "win_rate", "period": "2025-Q1", "finding": "…", "action": "…", "shared": true}`.
  @Sendable func addReview(_ request: Request, context: AppContext) async throws -> Response {
    let who = try caller(context)
    guard case .object(let o) = try JSONInput.parse(try await body(request, context)) else {
      throw APIError.unprocessable([APIProblem(path: "", message: "the body must be an object")])
    }
    var fields = BodyFields(object: o)
    let partner = fields.text("partner", required: false)
    let kpi = fields.text("kpi", required: false)
    // Managers review in their own name; an admin may record a review made by someone else.
    let named = fields.text("reviewer", required: false)
    let reviewer = who.role == .admin ? named ?? who.displayName : who.displayName
    let finding = fields.text("finding", required: true)
    let action = fields.text("action", required: true)
    let periodText = fields.text("period", required: false)
    let dateText = fields.text("date", required: false)
    let shared = fields.bool("shared", fallback: false)
    var problems = fields.problems
    let vis = try await visibility(context)
    if partner == nil && kpi == nil {
      problems.append(APIProblem(path: "/partner", message: "give a partner, a kpi, or both"))
    }
    if let partner, service.partner(partner) == nil || !vis.canSee(partner: partner) {
      problems.append(APIProblem(path: "/partner", message: "no partner '\(partner)'"))
    }
    if partner == nil, !vis.all {
      problems.append(APIProblem(path: "/partner", message: "name one of your partners"))
    }
    if shared, partner == nil {
      problems.append(APIProblem(path: "/shared", message: "only a review of a partner can be shared with it"))
    }
    if let kpi, service.catalog.kpi(kpi) == nil {
      problems.append(APIProblem(path: "/kpi", message: "unknown KPI '\(kpi)'"))
    }
    var period: Period?
    if let p = periodText {
      period = Period(p)
      if period == nil { problems.append(APIProblem(path: "/period", message: "'\(p)' is not a period")) }
    }
    var date = service.todayDay
    if let d = dateText {
      if let day = Day(iso: d) {
        date = day
      } else {
        problems.append(APIProblem(path: "/date", message: "'\(d)' is not a date"))
      }
    }
    guard problems.isEmpty, let finding, let action else { throw APIError.unprocessable(problems) }
    let review = Review(
      date: date, reviewer: reviewer, partner: partner, kpi: kpi, period: period, finding: finding, action: action,
      shared: shared)
    let id = try await service.addReview(review)
    var stored = review
    stored.id = id
    return Self.json(Self.reviewJSON(stored), status: .created)
  }

  /// The review of a path's id that the caller may act on; 404 for one it may not see.
  func visibleReview(_ context: AppContext) async throws -> Review {
    let raw = context.parameters.get("id") ?? ""
    guard let id = Int64(raw) else { throw APIError.badRequest("a review id is a whole number", parameter: "id") }
    guard let r = try await visibleReviews(context).first(where: { $0.id == id }) else {
      throw APIError.notFound("there is no review \(id)")
    }
    return r
  }

  /// `{"shared": true}`: shares a review with its partner, or stops sharing it.
  @Sendable func shareReview(_ request: Request, context: AppContext) async throws -> Response {
    let r = try await visibleReview(context)
    guard case .object(let o) = try JSONInput.parse(try await body(request, context)) else {
      throw APIError.unprocessable([APIProblem(path: "", message: "the body must be an object")])
    }
    var fields = BodyFields(object: o)
    let shared = fields.bool("shared", fallback: true)
    if r.partner == nil {
      fields.problems.append(APIProblem(path: "/shared", message: "only a review of a partner can be shared with it"))
    }
    guard fields.problems.isEmpty, let id = r.id else { throw APIError.unprocessable(fields.problems) }
    try await service.updateReviews { try await $0.setReviewShared(id: id, shared: shared) }
    var updated = r
    updated.shared = shared
    return Self.json(Self.reviewJSON(updated))
  }

  /// A partner's staff marks a review shared with it as read.
  @Sendable func acknowledgeReview(_ request: Request, context: AppContext) async throws -> Response {
    let who = try caller(context)
    let r = try await visibleReview(context)
    guard let id = r.id, let partner = r.partner, who.grant.partner == partner else {
      throw APIError.forbidden("only the partner the review is about acknowledges it")
    }
    let at = ISO8601DateFormatter().string(from: Date())
    try await service.updateReviews { try await $0.acknowledgeReview(id: id, by: who.displayName, at: at) }
    var updated = r
    updated.acknowledgedBy = who.displayName
    updated.acknowledgedAt = at
    return Self.json(Self.reviewJSON(updated))
  }

  /// `{"text": "…"}`: an answer to a review, from its partner or the vendor's side.
  @Sendable func replyToReview(_ request: Request, context: AppContext) async throws -> Response {
    let who = try caller(context)
    let r = try await visibleReview(context)
    guard case .object(let o) = try JSONInput.parse(try await body(request, context)) else {
      throw APIError.unprocessable([APIProblem(path: "", message: "the body must be an object")])
    }
    var fields = BodyFields(object: o)
    let text = fields.text("text", required: true)
    if let text, text.count > 4000 {
      fields.problems.append(APIProblem(path: "/text", message: "must be at most 4000 characters"))
    }
    guard fields.problems.isEmpty, let text, let id = r.id else { throw APIError.unprocessable(fields.problems) }
    let reply = ReviewReply(
      review: id, author: who.displayName, at: ISO8601DateFormatter().string(from: Date()), text: text)
    var stored = reply
    stored.id = try await service.updateReviews { try await $0.addReviewReply(reply) }
    return Self.json(
      .object([
        ("id", .number(stored.id.map(Double.init))), ("review", .number(Double(id))),
        ("author", .string(who.displayName)),
        ("at", .string(stored.at)), ("text", .string(text)),
      ]), status: .created)
  }
}
