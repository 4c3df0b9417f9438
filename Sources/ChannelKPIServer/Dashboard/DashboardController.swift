import Hummingbird

/// The dashboard's HTML pages.
struct DashboardController {
  let service: KPIService

  func addRoutes(to router: Router<BasicRequestContext>) {}
}
