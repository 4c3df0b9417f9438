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

  public var status: HTTPResponse.Status {
    switch self {
    case .badRequest: .badRequest
    case .notFound: .notFound
    case .unprocessable: .unprocessableContent
    case .unsupportedMediaType: .unsupportedMediaType
    case .conflict: .conflict
    case .methodNotAllowed: .methodNotAllowed
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
    case .notFound(let m), .unsupportedMediaType(let m), .conflict(let m):
      return JSONValue.object([("error", .object([("code", .string(code)), ("message", .string(m))]))]).text
    case .methodNotAllowed(let method, let path, let allowed):
      let m = "\(path) does not take \(method); it takes \(allowed.joined(separator: ", "))"
      return JSONValue.object([("error", .object([("code", .string(code)), ("message", .string(m))]))]).text
    }
  }

  public func response(from request: Request, context: some RequestContext) throws -> Response {
    var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
    if case .methodNotAllowed(_, _, let allowed) = self { headers[.allow] = allowed.joined(separator: ", ") }
    return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body + "\n")))
  }
}
