import ChannelKPIStore
import Hummingbird
import Logging

/// Answers an API request whose database is full (507), read-only or out of reach (503) with the
/// API's JSON error instead of an empty 500, so a client knows its write was not stored and why.
/// The answer does not name the database (a file path or a host is the server's business); the
/// log does.
struct DatabaseErrorMiddleware<Context: RequestContext>: RouterMiddleware {
  /// The database as it may be logged (a path, or a URL without its password).
  let database: String

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    do {
      return try await next(request, context)
    } catch let error as any HTTPResponseError {
      throw error
    } catch {
      guard request.uri.path.hasPrefix("/api/"), let cause = StoreError(classifying: error, database: database)
      else { throw error }
      context.logger.error(
        "database error", metadata: ["path": "\(request.uri.path)", "error": "\(cause.description)"])
      switch cause {
      case .full:
        throw APIError.databaseFull(
          "the database is full: nothing of this request was stored; there is no room left on the server's disk "
            + "(its log names the database)")
      case .readOnly:
        throw APIError.databaseUnavailable(
          "the database is read-only: nothing of this request was stored; the server may not write to it "
            + "(its log names the database and why)", readOnly: true)
      case .unavailable:
        throw APIError.databaseUnavailable(
          "the database cannot be reached or opened: the request was not served (the server's log says why)",
          readOnly: false)
      case .notEmpty:
        throw error
      }
    }
  }
}
