import Hummingbird

/// Health, metrics and the OpenAPI document.
struct OperationsController {
  let metrics: ServerMetrics?

  @Sendable func healthz(_ request: Request, context: AppContext) async throws -> Response {
    Response(
      status: .ok, headers: [.contentType: "application/json"],
      body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"status\":\"ok\"}\n")))
  }

  var metricsHandler: RouteGuard.Handler {
    let metrics = metrics
    return { _, context in
      // The counts of stored facts are the whole program's.
      if context.identity?.grant.seesEveryPartner != true {
        throw APIError.forbidden("the metrics cover every partner; you may read only your own partners' data")
      }
      return Response(
        status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
        body: ResponseBody(byteBuffer: ByteBuffer(string: metrics?.exposition() ?? "")))
    }
  }

  @Sendable func openAPI(_ request: Request, context: AppContext) async throws -> Response {
    Response(
      status: .ok, headers: [.contentType: "application/json"],
      body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
  }
}
