import Hummingbird

/// The handler of every route of the table. The switch has no default: a new route does not
/// compile until it has a handler here and its method, path and access in `Route`.
struct RouteTable {
  let api: APIController
  let dashboard: DashboardController
  let auth: LoginController
  let portal: PortalController
  let operations: OperationsController

  func handler(_ route: Route) -> RouteGuard.Handler {
    switch route {
    case .healthz: operations.healthz
    case .metrics: operations.metricsHandler
    case .openAPI: operations.openAPI
    case .kpis: api.kpis
    case .values: api.values
    case .partners: api.partners
    case .partner: api.partner
    case .partnerScorecard: api.partnerScorecard
    case .networkScorecard: api.networkScorecard
    case .typeScorecards: api.typeScorecards
    case .objectives: api.objectives
    case .targets: api.targets
    case .programVersions: api.programVersions
    case .applyProgram: api.applyProgram
    case .reviews: api.reviews
    case .addReview: api.addReview
    case .shareReview: api.shareReview
    case .acknowledgeReview: api.acknowledgeReview
    case .replyToReview: api.replyToReview
    case .check: api.check
    case .imports: api.imports
    case .ingest: api.ingest
    case .tiers: api.tiers
    case .tierHistory: api.tierHistory
    case .partnerTier: api.partnerTier
    case .statements: api.statements
    case .approveStatements: api.approveStatements
    case .approvedStatements: api.approvedStatements
    case .revokeApproval: api.revokeApproval
    case .explain: api.explain
    case .benchmarks: api.benchmarks
    case .forecast: api.forecast
    case .lifecycle: api.lifecycle
    case .lifecycleCohorts: api.lifecycleCohorts
    case .lifecycleProfile: api.lifecycleProfile
    case .enablementReport: api.enablementReport
    case .alerts: api.alerts
    case .alert: api.alert
    case .acknowledgeAlert: api.acknowledgeAlert
    case .mdf: api.mdf
    case .whatIf: api.whatIf
    case .me: api.me
    case .users: api.users
    case .addUser: api.addUser
    case .disableUser: api.disableUser
    case .resetPassword: api.resetPassword
    case .keys: api.keys
    case .createKey: api.createKey
    case .revokeKey: api.revokeKey
    case .audit: api.audit
    case .webhooks: api.webhooks
    case .addWebhook: api.addWebhook
    case .testWebhook: api.testWebhook
    case .webhookDeliveries: api.webhookDeliveries
    case .removeWebhook: api.removeWebhook
    case .loginPage: auth.loginPage
    case .login: auth.login
    case .logout: auth.logout
    case .dashboardOverview: dashboard.page { r, c in try await dashboard.overview(r, c) }
    case .dashboardKPIs: dashboard.page { r, c in try await dashboard.kpiIndex(r, c) }
    case .dashboardKPI: dashboard.page { r, c in try await dashboard.kpi(r, c) }
    case .dashboardPartners: dashboard.page { r, c in try await dashboard.partnerList(r, c) }
    case .dashboardPartner: dashboard.page { r, c in try await dashboard.partner(r, c) }
    case .dashboardData, .dashboardUploadPage:
      dashboard.page { r, c in
        try await DashboardController.requireWholeNetwork(c, service: dashboard.service)
        return try await dashboard.data(r)
      }
    case .dashboardTiers: dashboard.page { r, c in try await dashboard.tiers(r, c) }
    case .dashboardStatements: dashboard.page { r, c in try await dashboard.statements(r, c) }
    case .dashboardWhatIfForm:
      dashboard.page { r, c in
        try await DashboardController.requireWholeNetwork(c, service: dashboard.service)
        return try await dashboard.whatIf(r, nil)
      }
    case .dashboardWhatIf: dashboard.page { r, c in try await dashboard.whatIfUpload(r, c) }
    case .dashboardUpload: dashboard.page { r, c in try await dashboard.upload(r, c) }
    case .dashboardAudit: dashboard.page { r, _ in try await dashboard.audit(r) }
    case .dashboardExplain: dashboard.page { r, c in try await dashboard.explain(r, c) }
    case .dashboardAlerts: dashboard.page { r, c in try await dashboard.alerts(r, c) }
    case .dashboardAlert: dashboard.page { r, c in try await dashboard.alert(r, c) }
    case .dashboardAcknowledgeAlert: { r, c in try await dashboard.acknowledgeAlert(r, c) }
    case .dashboardLifecycle: dashboard.page { r, c in try await dashboard.lifecycle(r, c) }
    case .dashboardWebhooks: dashboard.page { r, _ in try await dashboard.webhooks(r, added: nil, problem: nil) }
    case .dashboardAddWebhook: dashboard.page { r, c in try await dashboard.addWebhook(r, c) }
    case .dashboardTestWebhook: { r, c in try await dashboard.testWebhook(r, c) }
    case .stylesheet: DashboardController.stylesheet
    case .portal: portal.page { r, c in try await portal.home(r, c) }
    case .portalReport: portal.page { r, c in try await portal.report(r, c) }
    case .portalAcknowledge: portal.acknowledge
    case .portalReply: portal.reply
    }
  }

  /// Adds every route of the table to the router, each behind its access check.
  func register(on router: Router<AppContext>, service: KPIService, policy: AuthPolicy) {
    for route in Route.allCases {
      router.on(
        RouterPath(route.routerPath), method: route.method,
        use: RouteGuard.wrap(route, service: service, policy: policy, handler(route)))
    }
  }
}
