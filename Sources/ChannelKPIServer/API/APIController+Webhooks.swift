import ChannelKPI
import ChannelKPIStore
import Foundation
import Hummingbird

/// A webhook as the API shows it: never its secret.
struct WebhookView: Codable, Sendable, Hashable {
  var name: String
  var url: String
  var createdAt: String
  var createdBy: String

  init(_ w: Webhook) {
    name = w.name
    url = w.url
    createdAt = w.createdAt
    createdBy = w.createdBy
  }
}

struct WebhooksResponse: Codable {
  var webhooks: [WebhookView]
}

/// A webhook just added, with its signing secret (shown only in this answer).
struct AddedWebhookResponse: Codable {
  var webhook: WebhookView
  var secret: String
}

struct QueuedDeliveryResponse: Codable {
  var delivery: Int64
}

struct DeliveriesResponse: Codable {
  var deliveries: [WebhookDelivery]
}

struct RemovedWebhookResponse: Codable {
  var removed: String
}

/// Webhooks through the API (admins only): list, add, test, the delivery log, remove.
extension APIController {
  @Sendable func webhooks(_ request: Request, context: AppContext) async throws -> Response {
    try Self.encoded(WebhooksResponse(webhooks: try await service.store.webhooks().map(WebhookView.init)))
  }

  /// `{"name": "channel-ops", "url": "https://…"}`: the secret is in the answer, once.
  @Sendable func addWebhook(_ request: Request, context: AppContext) async throws -> Response {
    let who = try caller(context)
    guard case .object(let o) = try JSONInput.parse(try await body(request, context)) else {
      throw APIError.unprocessable([APIProblem(path: "", message: "the body must be an object")])
    }
    var fields = BodyFields(object: o)
    let name = fields.text("name", required: true)
    let url = fields.text("url", required: true)
    guard fields.problems.isEmpty, let name, let url else { throw APIError.unprocessable(fields.problems) }
    if let problem = Webhook.problem(name: name, url: url) {
      throw APIError.unprocessable([
        APIProblem(path: problem.hasPrefix("a webhook's name") ? "/name" : "/url", message: problem)
      ])
    }
    let webhook = Webhook(
      name: name, url: url, secret: Credentials.randomToken(),
      createdAt: ISO8601DateFormatter().string(from: Date()), createdBy: who.actor)
    do { _ = try await service.store.addWebhook(webhook) } catch let e as WebhookError {
      throw APIError.conflict(e.description)
    }
    return try Self.encoded(
      AddedWebhookResponse(webhook: WebhookView(webhook), secret: webhook.secret), status: .created)
  }

  /// The webhook the path names (404 when there is none).
  func namedWebhook(_ context: AppContext) async throws -> String {
    let name = context.parameters.get("name").flatMap { $0.removingPercentEncoding } ?? ""
    guard try await service.store.webhooks().contains(where: { $0.name == name }) else {
      throw APIError.notFound("no webhook '\(name)'")
    }
    return name
  }

  /// Queues a test delivery, which the server's dispatcher sends within a second or so.
  @Sendable func testWebhook(_ request: Request, context: AppContext) async throws -> Response {
    let name = try await namedWebhook(context)
    let id = try await service.store.queueTestDelivery(webhook: name, at: Int64(Date().timeIntervalSince1970))
    return try Self.encoded(QueuedDeliveryResponse(delivery: id), status: .accepted)
  }

  @Sendable func webhookDeliveries(_ request: Request, context: AppContext) async throws -> Response {
    let name = try await namedWebhook(context)
    let limit = try Query(request: request).int("limit", default: 100, range: 1...1000)
    return try Self.encoded(
      DeliveriesResponse(deliveries: try await service.store.deliveries(webhook: name, limit: limit)))
  }

  @Sendable func removeWebhook(_ request: Request, context: AppContext) async throws -> Response {
    let name = try await namedWebhook(context)
    do { try await service.store.removeWebhook(name: name) } catch let e as WebhookError {
      throw APIError.notFound(e.description)
    }
    return try Self.encoded(RemovedWebhookResponse(removed: name))
  }
}
