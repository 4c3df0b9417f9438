import ChannelKPIStore
import Foundation
public import Hummingbird
public import Logging

/// Where the server listens.
public struct ServerConfiguration: Sendable {
  public var host: String
  public var port: Int
  /// Where the dashboard finds CRM mappings for uploads (nil: $CHANNELKPI_MAPPINGS, else ./mappings).
  public var mappingsDirectory: String?
  /// The program's reporting currency, for amounts on the dashboard.
  public var currency: Currency
  public init(
    host: String = "127.0.0.1", port: Int = 8080, mappingsDirectory: String? = nil, currency: Currency = .usd
  ) {
    self.host = host
    self.port = port
    self.mappingsDirectory = mappingsDirectory
    self.currency = currency
  }
}

/// The routes of the server: health, metrics, the OpenAPI document, the JSON API and the dashboard.
public func buildRouter(
  service: KPIService, metrics: ServerMetrics?, mappingsDirectory: String? = nil, currency: Currency = .usd
) -> Router<BasicRequestContext> {
  // Every GET route answers HEAD too, with the same status and headers and no body.
  let router = Router(context: BasicRequestContext.self, options: .autoGenerateHeadEndpoints)
  router.middlewares.add(LogRequestsMiddleware(.info))
  if metrics != nil {
    router.middlewares.add(MetricsMiddleware())
    router.middlewares.add(ErrorResponseMiddleware())
  }
  router.get("healthz") { _, _ in
    Response(
      status: .ok, headers: [.contentType: "application/json"],
      body: ResponseBody(byteBuffer: ByteBuffer(string: "{\"status\":\"ok\"}\n")))
  }
  router.get("metrics") { _, _ in
    Response(
      status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
      body: ResponseBody(byteBuffer: ByteBuffer(string: metrics?.exposition() ?? "")))
  }
  router.get("openapi.json") { _, _ in
    Response(
      status: .ok, headers: [.contentType: "application/json"],
      body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
  }
  APIController(service: service).addRoutes(to: router)
  var dashboard = DashboardController(service: service, currency: currency)
  if let mappingsDirectory { dashboard.mappingsDirectory = mappingsDirectory }
  dashboard.addRoutes(to: router)
  // Last, so that it wraps only the router's "no route" answer.
  router.middlewares.add(
    MethodNotAllowedMiddleware(routes: router.routes.map { ("\($0.path)", $0.method) }))
  return router
}

/// The HTTP application over a service.
public func buildApplication(
  service: KPIService, configuration: ServerConfiguration, metrics: ServerMetrics?, logger: Logger,
  onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
  Application(
    router: buildRouter(
      service: service, metrics: metrics, mappingsDirectory: configuration.mappingsDirectory,
      currency: configuration.currency),
    configuration: .init(
      address: .hostname(configuration.host, port: configuration.port), serverName: "ChannelKPI"),
    services: [ChangeFollower(service: service, logger: logger)],
    onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
    logger: logger)
}

/// Turns errors that carry their own response (4xx answers) into that response here, so that the
/// metrics middleware around it records their duration as it does for any other answer (it only
/// counts the errors that pass through it).
struct ErrorResponseMiddleware<Context: RequestContext>: RouterMiddleware {
  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    do {
      return try await next(request, context)
    } catch let error as any HTTPResponseError {
      return try error.response(from: request, context: context)
    }
  }
}
