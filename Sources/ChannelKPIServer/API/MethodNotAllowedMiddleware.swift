import HTTPTypes
import Hummingbird

/// Answers 405 with an `Allow` header when a path has routes but none for the request's method
/// (`DELETE /api/v1/kpis`), instead of the router's empty 404. Under `/api/` the answer is the API's
/// JSON error; elsewhere a plain 405. Added to the router after every route, so it only sees
/// requests that matched none.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
  /// The routes as path segments (`{name}` or `:name` a capture) and the methods each takes.
  let routes: [(segments: [Substring], methods: [HTTPRequest.Method])]

  /// The routes of `router` without wildcards, grouped by path.
  init(routes: [(path: String, method: HTTPRequest.Method)]) {
    var grouped: [(segments: [Substring], methods: [HTTPRequest.Method])] = []
    for r in routes where !r.path.contains("*") {
      let segments = r.path.split(separator: "/")
      if let i = grouped.firstIndex(where: { $0.segments == segments }) {
        if !grouped[i].methods.contains(r.method) { grouped[i].methods.append(r.method) }
      } else {
        grouped.append((segments, [r.method]))
      }
    }
    self.routes = grouped
  }

  /// The order methods are listed in.
  static var order: [HTTPRequest.Method] { [.get, .head, .post, .put, .patch, .delete, .options] }

  /// The methods the routes matching `path` take, GET before POST before the others.
  func allowed(_ path: String) -> [HTTPRequest.Method] {
    let parts = path.split(separator: "/")
    var out: [HTTPRequest.Method] = []
    for r in routes where r.segments.count == parts.count {
      let match = zip(r.segments, parts).allSatisfy { pattern, part in
        pattern.hasPrefix("{") || pattern.hasPrefix(":") || pattern == part
      }
      if match { out += r.methods.filter { !out.contains($0) } }
    }
    // The router answers HEAD wherever it answers GET.
    if out.contains(.get), !out.contains(.head) { out.append(.head) }
    return out.sorted { (Self.order.firstIndex(of: $0) ?? 99) < (Self.order.firstIndex(of: $1) ?? 99) }
  }

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    do {
      return try await next(request, context)
    } catch let error as HTTPError where error.status == .notFound {
      let allowed = allowed(request.uri.path)
      guard !allowed.isEmpty else { throw error }
      let methods = allowed.map(\.rawValue)
      if request.uri.path.hasPrefix("/api/") {
        throw APIError.methodNotAllowed(method: request.method.rawValue, path: request.uri.path, allowed: methods)
      }
      throw HTTPError(
        .methodNotAllowed, headers: [.allow: methods.joined(separator: ", ")],
        message: "\(request.method) is not allowed here; this page takes \(methods.joined(separator: ", "))")
    }
  }
}

extension HTTPField.Name {
  /// The methods a resource takes (RFC 9110 §10.2.1).
  static var allow: Self { Self("Allow")! }
}
