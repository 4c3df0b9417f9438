public import Hummingbird
import NIOCore

/// The request context of every route: who is asking (set by the authenticator) and from where.
public struct AppContext: RequestContext {
  public var coreContext: CoreRequestContextStorage
  /// The signed-in user or API key; nil for an anonymous request.
  public var identity: Identity?
  /// The client's address (the proxy's `X-Forwarded-For` with `--trust-proxy`).
  public var address: String
  /// Whether the client reached the server over https (directly or, trusted, through a proxy).
  public var isSecure = false
  /// The route the router matched, for the access check and the audit log.
  var route: Route?
  /// Why the credentials sent are not valid (an unknown or revoked key, a malformed header):
  /// routes that need a caller answer 401 with it; routes open to anyone go on without one.
  var credentialProblem: String?

  public init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    address = source.channel.remoteAddress?.ipAddress ?? "unknown"
  }

  /// Bodies of up to 64 MiB (a batch of 100,000 facts); routes take less where they can.
  public var maxUploadSize: Int { 64 * 1024 * 1024 }
}
