import ChannelKPI
import ChannelKPIStore
import Foundation
import Hummingbird

/// The partner portal: a partner's own page, its printable report, and its answers to reviews.
struct PortalController {
  let service: KPIService
  let dashboard: DashboardController

  func page(_ build: @escaping @Sendable (Request, AppContext) async throws -> DashboardController.HTMLPage)
    -> RouteGuard.Handler
  {
    dashboard.page(build)
  }

  /// The partner the signed-in user works for.
  func partner(_ context: AppContext) async throws -> PartnerInfo {
    guard let id = context.identity?.grant.partner, let p = service.partner(id) else {
      throw DashboardError.notFound(
        "Your partner is not in the program", "Your account names a partner the program does not hold (any more).")
    }
    return p
  }

  func model(_ request: Request, _ context: AppContext, printable: Bool) async throws -> PortalPage.Model {
    let p = try await partner(context)
    let q = DashboardQuery(raw: request.uri.query)
    let s = try await dashboard.selection(q)
    let chrome = await PageChrome.build(service: service, route: .overview, selection: s, title: p.name)
    return try await PortalPage.build(
      service: service, chrome: chrome, partner: p, printable: printable, logger: context.logger)
  }

  func home(_ request: Request, _ context: AppContext) async throws -> DashboardController.HTMLPage {
    DashboardController.HTMLPage(
      html: PortalPage.View(model: try await model(request, context, printable: false)).render())
  }

  func report(_ request: Request, _ context: AppContext) async throws -> DashboardController.HTMLPage {
    DashboardController.HTMLPage(
      html: PortalPage.View(model: try await model(request, context, printable: true)).render())
  }

  /// The review of the path, if shared with the caller's partner.
  func sharedReview(_ context: AppContext) async throws -> Review {
    let id = context.parameters.get("id").flatMap(Int64.init)
    let partner = context.identity?.grant.partner
    guard let id, let r = try await service.store.reviews().first(where: { $0.id == id }),
      r.shared, let partner, r.partner == partner
    else {
      throw DashboardError.notFound("Review not found", "There is no review with this number shared with you.")
    }
    return r
  }

  var acknowledge: RouteGuard.Handler {
    let service = service
    return { request, context in try await acknowledged(request, context, service) }
  }

  private func acknowledged(_ request: Request, _ context: AppContext, _ service: KPIService) async throws -> Response {
    let r = try await sharedReview(context)
    let who = context.identity?.displayName ?? ""
    if let id = r.id, r.acknowledgedBy == nil {
      try await service.updateReviews {
        try await $0.acknowledgeReview(id: id, by: who, at: ISO8601DateFormatter().string(from: Date()))
      }
    }
    return RouteGuard.redirect(to: Route.portal.path + "#reviews")
  }

  var reply: RouteGuard.Handler {
    { request, context in
      let r = try await sharedReview(context)
      var request = request
      let buffer = try await request.collectBody(upTo: 64 * 1024)
      let form = DashboardQuery(raw: String(decoding: buffer.readableBytesView, as: UTF8.self))
      guard let text = form.string("text"), text.count <= 4000, let id = r.id else {
        throw DashboardError.badRequest("Nothing to send", "Write your reply (up to 4,000 characters), then send it.")
      }
      let who = context.identity?.displayName ?? ""
      _ = try await service.updateReviews {
        try await $0.addReviewReply(
          ReviewReply(review: id, author: who, at: ISO8601DateFormatter().string(from: Date()), text: text))
      }
      return RouteGuard.redirect(to: Route.portal.path + "#reviews")
    }
  }
}
