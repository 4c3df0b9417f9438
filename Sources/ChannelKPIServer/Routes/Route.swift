public import HTTPTypes

/// Every route of the server, with its method, path and who may call it: the one table the
/// router, the OpenAPI document and the access checks read. A new route is a new case, and the
/// compiler then asks for its method, path, access and handler.
public enum Route: String, Sendable, Hashable, CaseIterable {
  // Operations
  case healthz, metrics, openAPI
  // KPIs, partners, scorecards, definitions
  case kpis, values, partners, partner, partnerScorecard, networkScorecard, typeScorecards
  // Alerts (before the definitions: the OpenAPI examples run in this order, and one applies
  // definitions without alert rules)
  case alerts, alert, acknowledgeAlert
  case objectives, targets, programVersions, applyProgram
  // Reviews and the hygiene check
  case reviews, addReview, shareReview, acknowledgeReview, replyToReview, check
  // Facts
  case imports, ingest
  // Insights
  case explain, benchmarks, forecast
  // The partner lifecycle
  case lifecycle, lifecycleCohorts, lifecycleProfile, enablementReport
  // Incentives
  case tiers, tierHistory, partnerTier, statements, approveStatements, approvedStatements, revokeApproval, mdf, whatIf
  // Who is asking, users, keys and the audit log
  case me, users, addUser, disableUser, resetPassword, keys, createKey, revokeKey, audit
  // Webhooks
  case webhooks, addWebhook, testWebhook, webhookDeliveries, removeWebhook
  // Signing in and out
  case loginPage, login, logout
  // The dashboard
  case dashboardOverview, dashboardKPIs, dashboardKPI, dashboardPartners, dashboardPartner, dashboardData
  case dashboardTiers, dashboardStatements, dashboardWhatIfForm, dashboardWhatIf, dashboardUploadPage, dashboardUpload
  case dashboardAudit, dashboardExplain, dashboardAlerts, dashboardAlert, dashboardAcknowledgeAlert, dashboardLifecycle
  case dashboardWebhooks, dashboardAddWebhook, dashboardTestWebhook
  case stylesheet
  // The partner portal
  case portal, portalReport, portalAcknowledge, portalReply

  public var method: HTTPRequest.Method {
    switch self {
    case .applyProgram, .addReview, .shareReview, .acknowledgeReview, .replyToReview, .ingest, .approveStatements,
      .revokeApproval, .whatIf, .addUser, .disableUser, .resetPassword, .createKey, .revokeKey, .login, .logout,
      .dashboardWhatIf, .dashboardUpload, .portalAcknowledge, .portalReply, .acknowledgeAlert,
      .dashboardAcknowledgeAlert, .addWebhook, .testWebhook, .removeWebhook, .dashboardAddWebhook,
      .dashboardTestWebhook:
      .post
    default: .get
    }
  }

  /// The path, with parameters as `{name}` (OpenAPI's form).
  public var path: String {
    switch self {
    case .healthz: "/healthz"
    case .metrics: "/metrics"
    case .openAPI: "/openapi.json"
    case .kpis: "/api/v1/kpis"
    case .values: "/api/v1/values"
    case .partners: "/api/v1/partners"
    case .partner: "/api/v1/partners/{id}"
    case .partnerScorecard: "/api/v1/partners/{id}/scorecard"
    case .networkScorecard: "/api/v1/scorecards/network"
    case .typeScorecards: "/api/v1/scorecards/types/{type}"
    case .objectives: "/api/v1/objectives"
    case .targets: "/api/v1/targets"
    case .programVersions: "/api/v1/program/versions"
    case .applyProgram: "/api/v1/program"
    case .reviews, .addReview: "/api/v1/reviews"
    case .shareReview: "/api/v1/reviews/{id}/share"
    case .acknowledgeReview: "/api/v1/reviews/{id}/acknowledge"
    case .replyToReview: "/api/v1/reviews/{id}/replies"
    case .check: "/api/v1/check"
    case .imports: "/api/v1/imports"
    case .ingest: "/api/v1/facts/{table}"
    case .tiers: "/api/v1/tiers"
    case .tierHistory: "/api/v1/tiers/history"
    case .partnerTier: "/api/v1/partners/{id}/tier"
    case .statements: "/api/v1/statements"
    case .approveStatements: "/api/v1/statements/approve"
    case .approvedStatements: "/api/v1/statements/approved"
    case .revokeApproval: "/api/v1/statements/approvals/{id}/revoke"
    case .explain: "/api/v1/kpis/{id}/explain"
    case .benchmarks: "/api/v1/kpis/{id}/benchmarks"
    case .forecast: "/api/v1/kpis/{id}/forecast"
    case .lifecycle: "/api/v1/lifecycle"
    case .lifecycleCohorts: "/api/v1/lifecycle/cohorts"
    case .lifecycleProfile: "/api/v1/lifecycle/profile"
    case .enablementReport: "/api/v1/enablement"
    case .alerts: "/api/v1/alerts"
    case .alert: "/api/v1/alerts/{id}"
    case .acknowledgeAlert: "/api/v1/alerts/{id}/acknowledge"
    case .mdf: "/api/v1/mdf"
    case .whatIf: "/api/v1/whatif"
    case .me: "/api/v1/me"
    case .users, .addUser: "/api/v1/users"
    case .disableUser: "/api/v1/users/{username}/disable"
    case .resetPassword: "/api/v1/users/{username}/reset-password"
    case .keys, .createKey: "/api/v1/keys"
    case .revokeKey: "/api/v1/keys/{id}/revoke"
    case .audit: "/api/v1/audit"
    case .webhooks, .addWebhook: "/api/v1/webhooks"
    case .testWebhook: "/api/v1/webhooks/{name}/test"
    case .webhookDeliveries: "/api/v1/webhooks/{name}/deliveries"
    case .removeWebhook: "/api/v1/webhooks/{name}/remove"
    case .loginPage, .login: "/login"
    case .logout: "/logout"
    case .dashboardOverview: "/"
    case .dashboardKPIs: "/kpis"
    case .dashboardKPI: "/kpis/{id}"
    case .dashboardPartners: "/partners"
    case .dashboardPartner: "/partners/{id}"
    case .dashboardData: "/data"
    case .dashboardTiers: "/tiers"
    case .dashboardStatements: "/statements"
    case .dashboardWhatIfForm, .dashboardWhatIf: "/whatif"
    case .dashboardUploadPage, .dashboardUpload: "/data/upload"
    case .dashboardAudit: "/audit"
    case .dashboardExplain: "/kpis/{id}/explain"
    case .dashboardAlerts: "/alerts"
    case .dashboardAlert: "/alerts/{id}"
    case .dashboardAcknowledgeAlert: "/alerts/{id}/acknowledge"
    case .dashboardLifecycle: "/lifecycle"
    case .dashboardWebhooks, .dashboardAddWebhook: "/webhooks"
    case .dashboardTestWebhook: "/webhooks/{name}/test"
    case .stylesheet: "/assets/app.css"
    case .portal: "/portal"
    case .portalReport: "/portal/report"
    case .portalAcknowledge: "/portal/reviews/{id}/acknowledge"
    case .portalReply: "/portal/reviews/{id}/reply"
    }
  }

  var access: Access {
    switch self {
    case .healthz, .openAPI, .loginPage, .login, .stylesheet: .anyone
    case .kpis, .values, .partners, .partner, .partnerScorecard, .reviews, .partnerTier, .tierHistory, .statements,
      .mdf, .me, .logout, .explain, .benchmarks, .forecast:
      .signedIn
    case .metrics, .networkScorecard, .typeScorecards, .objectives, .targets, .programVersions, .check, .imports,
      .tiers, .approvedStatements, .whatIf, .dashboardOverview, .dashboardKPIs, .dashboardKPI, .dashboardPartners,
      .dashboardPartner, .dashboardExplain, .dashboardTiers, .dashboardStatements, .dashboardWhatIfForm,
      .dashboardWhatIf, .dashboardData,
      .dashboardUploadPage, .alerts, .alert, .dashboardAlerts, .dashboardAlert, .lifecycle, .lifecycleCohorts,
      .lifecycleProfile, .enablementReport, .dashboardLifecycle:
      .staff
    case .portal, .portalReport: .partner
    case .ingest, .dashboardUpload: .ingest
    case .addReview, .shareReview, .approveStatements, .acknowledgeAlert, .dashboardAcknowledgeAlert: .manage
    case .acknowledgeReview, .replyToReview, .portalAcknowledge, .portalReply: .respond
    case .applyProgram, .revokeApproval, .users, .addUser, .disableUser, .resetPassword, .keys, .createKey, .revokeKey,
      .audit, .dashboardAudit, .webhooks, .addWebhook, .testWebhook, .webhookDeliveries, .removeWebhook,
      .dashboardWebhooks, .dashboardAddWebhook, .dashboardTestWebhook:
      .admin
    }
  }

  /// Whether it answers HTML for people (a sign-in redirect, error pages) rather than JSON.
  var isPage: Bool {
    !path.hasPrefix("/api/") && ![.healthz, .metrics, .openAPI, .stylesheet].contains(self)
  }

  /// The path in the router's form (`:name` for a parameter).
  var routerPath: String {
    path.split(separator: "/", omittingEmptySubsequences: false).map { part in
      part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : String(part)
    }.joined(separator: "/")
  }

  /// The audit log's name for a write: the path's words after the API prefix.
  var auditAction: String { rawValue }
}
