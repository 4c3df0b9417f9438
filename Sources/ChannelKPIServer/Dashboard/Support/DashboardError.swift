import HTTPTypes

/// Why a page cannot be shown, in words for the person who asked for it (never raw error text).
struct DashboardError: Error, Sendable {
  var status: HTTPResponse.Status
  var title: String
  var message: String

  static func notFound(_ title: String, _ message: String) -> DashboardError {
    DashboardError(status: .notFound, title: title, message: message)
  }

  static func badRequest(_ title: String, _ message: String) -> DashboardError {
    DashboardError(status: .badRequest, title: title, message: message)
  }

  /// Something failed on our side; the details go to the log, not to the page.
  static let internalError = DashboardError(
    status: .internalServerError, title: "Something went wrong",
    message: "The page could not be prepared. The problem has been logged; please try again in a moment.")

  static let noPage = DashboardError.notFound(
    "Page not found", "There is no page at this address. Use the navigation above to find your way.")
}
