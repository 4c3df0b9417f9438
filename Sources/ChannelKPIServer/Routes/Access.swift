import ChannelKPIStore

/// Who may call a route. The router checks it before the handler runs, the OpenAPI document
/// states it, and the security tests try every route with every kind of caller against it.
enum Access: String, Sendable, Hashable, CaseIterable {
  /// No credentials needed (health, this document, the sign-in page, the stylesheet).
  case anyone
  /// Every role; partners and managers get only what they may see (the handler narrows).
  case signedIn
  /// The vendor's people: admins, managers (their partners) and analysts.
  case staff
  /// A partner's own staff: the portal.
  case partner
  /// Admins; keys need the `ingest` scope.
  case ingest
  /// Admins and managers (on their partners): reviews and statement approvals.
  case manage
  /// Partners on the reviews shared with them, and the vendor's managers.
  case respond
  /// Admins only: definitions, users, keys, the audit log, revoking approvals.
  case admin

  /// The roles allowed (nil: anyone, signed in or not).
  var roles: Set<Role>? {
    switch self {
    case .anyone: nil
    case .signedIn: Set(Role.allCases)
    case .staff: [.admin, .manager, .analyst]
    case .partner: [.partner]
    case .ingest, .admin: [.admin]
    case .manage: [.admin, .manager]
    case .respond: [.admin, .manager, .partner]
    }
  }

  /// The scope an API key needs.
  var scope: KeyScope {
    switch self {
    case .anyone, .signedIn, .staff, .partner: .read
    case .ingest: .ingest
    case .manage, .respond, .admin: .admin
    }
  }

  /// Whether a POST to the route changes something (and so is audited).
  var writes: Bool { scope != .read }

  /// Who may call it, in words, for the OpenAPI document.
  var summary: String {
    switch self {
    case .anyone: "Anyone; no credentials needed."
    case .signedIn:
      "Any signed-in user or API key with the `read` scope; a manager sees only their partners and a partner only itself."
    case .staff:
      "Admins, analysts and managers (a manager only their partners), with the `read` scope; partners get 403."
    case .partner: "A partner's users only."
    case .ingest: "Admins, with an API key's `ingest` scope."
    case .manage: "Admins and managers (on their own partners), with the `admin` scope."
    case .respond: "Partners on the reviews shared with them, managers and admins, with the `admin` scope."
    case .admin: "Admins only, with the `admin` scope."
    }
  }
}
