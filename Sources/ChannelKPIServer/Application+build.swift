public import ChannelKPIStore
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
  /// Sessions, sign-in throttles and proxies.
  public var auth: AuthPolicy
  /// How often every alert rule is evaluated besides after each write.
  public var alertInterval: Duration
  /// The dashboard's address for people, for links in webhook notifications.
  public var publicURL: String?
  /// Where each day's digests go (nowhere when neither is set).
  public var digests: DigestTarget
  public init(
    host: String = "127.0.0.1", port: Int = 8080, mappingsDirectory: String? = nil, currency: Currency = .usd,
    auth: AuthPolicy = AuthPolicy(), alertInterval: Duration = .seconds(300), publicURL: String? = nil,
    digests: DigestTarget = DigestTarget(directory: nil, webhook: nil)
  ) {
    self.digests = digests
    self.publicURL = publicURL
    self.auth = auth
    self.alertInterval = alertInterval
    self.host = host
    self.port = port
    self.mappingsDirectory = mappingsDirectory
    self.currency = currency
  }
}

/// The routes of the server, from the route table, each behind its access check: health,
/// metrics, the OpenAPI document, the JSON API, sign-in, the dashboard and the partner portal.
public func buildRouter(
  service: KPIService, metrics: ServerMetrics?, mappingsDirectory: String? = nil, currency: Currency = .usd,
  policy: AuthPolicy = AuthPolicy()
) -> Router<AppContext> {
  var dashboard = DashboardController(service: service, currency: currency)
  if let mappingsDirectory { dashboard.mappingsDirectory = mappingsDirectory }
  return buildRouter(service: service, metrics: metrics, dashboard: dashboard, policy: policy)
}

/// The routes over a given dashboard controller.
func buildRouter(service: KPIService, metrics: ServerMetrics?, dashboard: DashboardController, policy: AuthPolicy)
  -> Router<AppContext>
{
  // Every GET route answers HEAD too, with the same status and headers and no body.
  let router = Router(context: AppContext.self, options: .autoGenerateHeadEndpoints)
  router.middlewares.add(SecurityHeadersMiddleware())
  router.middlewares.add(LogRequestsMiddleware(.info))
  if metrics != nil {
    router.middlewares.add(MetricsMiddleware())
    router.middlewares.add(ErrorResponseMiddleware())
  }
  router.middlewares.add(DatabaseErrorMiddleware(database: service.store.description))
  router.middlewares.add(Authenticator(store: service.store, policy: policy))
  let table = RouteTable(
    api: APIController(service: service), dashboard: dashboard,
    auth: LoginController(service: service, policy: policy),
    portal: PortalController(service: service, dashboard: dashboard), operations: OperationsController(metrics: metrics)
  )
  table.register(on: router, service: service, policy: policy)
  dashboard.addFallbacks(to: router)
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
      currency: configuration.currency, policy: configuration.auth),
    configuration: .init(
      address: .hostname(configuration.host, port: configuration.port), serverName: "ChannelKPI"),
    services: [
      ChangeFollower(service: service, logger: logger),
      AlertScheduler(
        service: service, interval: configuration.alertInterval, digests: configuration.digests,
        baseURL: configuration.publicURL, logger: logger),
      WebhookDispatcher(store: service.store, baseURL: configuration.publicURL, logger: logger),
    ],
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
