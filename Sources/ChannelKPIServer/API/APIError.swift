import Foundation
public import HTTPTypes
public import Hummingbird

/// One problem in a request body, at a JSON path (RFC 6901) or a file place.
public struct APIProblem: Sendable, Hashable {
  public var path: String
  public var message: String
}

/// Errors of the API, each with its HTTP status and a JSON body that says what is wrong.
public enum APIError: Error, HTTPResponseError, Sendable {
  /// A query parameter or body that cannot be used (400).
  case badRequest(String, parameter: String?)
  /// No such partner, scorecard, table or page (404).
  case notFound(String)
  /// Records or definitions that break the rules; nothing was stored (422).
  case unprocessable([APIProblem])
  /// The body is not of a type the route takes (415).
  case unsupportedMediaType(String)
  /// The definitions needed are missing, e.g. no scorecard for a type (409).
  case conflict(String)
  /// A route called with a method it does not take (405), with the methods it takes.
  case methodNotAllowed(method: String, path: String, allowed: [String])
  /// No credentials, or ones that are not valid: a missing, revoked or unknown key, an expired session (401).
  case unauthorized(String)
  /// Credentials that do not allow this: another partner's data, a write by a reader (403).
  case forbidden(String)
  /// A body larger than the route takes (413).
  case payloadTooLarge(String)
  /// Too many failed sign-ins; try again after some seconds (429).
  case tooManyRequests(String, retryAfter: Int)
  /// The database has no room for the write; nothing of it was stored (507).
  case databaseFull(String)
  /// The database may not be written (read-only) or cannot be reached; nothing was stored (503).
  case databaseUnavailable(String, readOnly: Bool)

  public var status: HTTPResponse.Status {
    switch self {
    case .badRequest: .badRequest
    case .notFound: .notFound
    case .unprocessable: .unprocessableContent
    case .unsupportedMediaType: .unsupportedMediaType
    case .conflict: .conflict
    case .methodNotAllowed: .methodNotAllowed
    case .unauthorized: .unauthorized
    case .forbidden: .forbidden
    case .payloadTooLarge: .contentTooLarge
    case .tooManyRequests: .tooManyRequests
    case .databaseFull: .init(code: 507, reasonPhrase: "Insufficient Storage")
    case .databaseUnavailable: .serviceUnavailable
    }
  }

  var code: String {
    switch self {
    case .badRequest: "bad_request"
    case .notFound: "not_found"
    case .unprocessable: "invalid_records"
    case .unsupportedMediaType: "unsupported_media_type"
    case .conflict: "conflict"
    case .methodNotAllowed: "method_not_allowed"
    case .unauthorized: "unauthorized"
    case .forbidden: "forbidden"
    case .payloadTooLarge: "payload_too_large"
    case .tooManyRequests: "too_many_requests"
    case .databaseFull: "database_full"
    case .databaseUnavailable(_, let readOnly): readOnly ? "database_read_only" : "database_unavailable"
    }
  }

  var body: String {
    switch self {
    case .unprocessable(let problems):
      return JSONValue.object([
        (
          "errors",
          .array(problems.map { .object([("path", .string($0.path)), ("message", .string($0.message))]) })
        )
      ]).text
    case .badRequest(let m, let p):
      var pairs: [(String, JSONValue)] = [("code", .string(code)), ("message", .string(m))]
      if let p { pairs.append(("parameter", .string(p))) }
      return JSONValue.object([("error", .object(pairs))]).text
    case .notFound(let m), .unsupportedMediaType(let m), .conflict(let m), .unauthorized(let m), .forbidden(let m),
      .payloadTooLarge(let m), .tooManyRequests(let m, _), .databaseFull(let m), .databaseUnavailable(let m, _):
      return JSONValue.object([("error", .object([("code", .string(code)), ("message", .string(m))]))]).text
    case .methodNotAllowed(let method, let path, let allowed):
      let m = "\(path) does not take \(method); it takes \(allowed.joined(separator: ", "))"
      return JSONValue.object([("error", .object([("code", .string(code)), ("message", .string(m))]))]).text
    }
  }

  public func response(from request: Request, context: some RequestContext) throws -> Response {
    var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
    switch self {
    case .methodNotAllowed(_, _, let allowed): headers[.allow] = allowed.joined(separator: ", ")
    case .unauthorized: headers[.wwwAuthenticate] = "Bearer realm=\"channelkpi\""
    case .tooManyRequests(_, let seconds): headers[.retryAfter] = "\(seconds)"
    default: break
    }
    return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body + "\n")))
  }
}
