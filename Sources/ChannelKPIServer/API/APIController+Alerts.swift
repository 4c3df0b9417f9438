import ChannelKPI
import ChannelKPIStore
import Hummingbird

/// `{"alerts": […]}`: the alerts a caller may see.
struct AlertsResponse: Codable {
  var alerts: [StoredAlert]
}

/// One alert with every change of its state.
struct AlertResponse: Codable {
  var alert: StoredAlert
  var events: [AlertEvent]
}

/// An acknowledged alert and the review it recorded.
struct AcknowledgedAlertResponse: Codable {
  var alert: StoredAlert
  var review: Int64
}

/// Alerts of the definitions' rules: listing, one with its history, acknowledging.
extension APIController {
  /// The alerts of scopes the caller may see (a manager: its partners' and the groups made of
  /// them only).
  func visibleAlerts(state: AlertState? = nil, _ context: AppContext) async throws -> [StoredAlert] {
    let vis = try await visibility(context)
    let partners = service.partners()
    return try await service.alerts(state: state).filter { a in
      vis.all || (Scope(a.scope).map { vis.canSee($0, partners: partners) } ?? false)
    }
  }

  /// The alert the path names; 404 when there is none the caller may see.
  func visibleAlert(_ context: AppContext) async throws -> StoredAlert {
    let text = context.parameters.get("id") ?? ""
    guard let id = Int64(text) else { throw APIError.badRequest("the alert id is a whole number", parameter: "id") }
    guard let a = try await visibleAlerts(context).first(where: { $0.id == id }) else {
      throw APIError.notFound("no alert \(id)")
    }
    return a
  }

  /// `/alerts[?state=ok|pending|firing|resolved]`
  @Sendable func alerts(_ request: Request, context: AppContext) async throws -> Response {
    let q = Query(request: request)
    var state: AlertState?
    if let text = q.string("state") {
      guard let s = AlertState(rawValue: text) else {
        throw APIError.badRequest("'\(text)' is not a state: ok, pending, firing or resolved", parameter: "state")
      }
      state = s
    }
    return try Self.encoded(AlertsResponse(alerts: try await visibleAlerts(state: state, context)))
  }

  /// `/alerts/{id}`: the alert and its history.
  @Sendable func alert(_ request: Request, context: AppContext) async throws -> Response {
    let a = try await visibleAlert(context)
    return try Self.encoded(AlertResponse(alert: a, events: try await service.store.alertEvents(alert: a.id)))
  }

  /// `{"note": "…"}`: acknowledges a firing alert in the caller's name and records a review.
  @Sendable func acknowledgeAlert(_ request: Request, context: AppContext) async throws -> Response {
    let who = try caller(context)
    let a = try await visibleAlert(context)
    guard case .object(let o) = try JSONInput.parse(try await body(request, context)) else {
      throw APIError.unprocessable([APIProblem(path: "", message: "the body must be an object")])
    }
    var fields = BodyFields(object: o)
    fields.ignoredText("by", "acknowledgements are in the caller's name")
    let note = fields.text("note", required: true)
    if let note, note.count > 4000 {
      fields.problems.append(APIProblem(path: "/note", message: "must be at most 4000 characters"))
    }
    guard fields.problems.isEmpty, let note else { throw APIError.unprocessable(fields.problems) }
    let review: Int64
    do {
      review = try await service.acknowledgeAlert(id: a.id, by: who.displayName, note: note)
    } catch let e as AlertError {
      throw APIError.conflict(e.description)
    }
    let updated = try await service.alerts().first { $0.id == a.id } ?? a
    return try Self.encoded(AcknowledgedAlertResponse(alert: updated, review: review))
  }
}
