import ChannelKPI
public import ChannelKPIStore

/// Who is asking: a signed-in user or an API key, with what it acts as and may do.
public struct Identity: Sendable, Hashable {
  /// How the request proved who it is.
  public enum Via: Sendable, Hashable {
    /// A browser session: writes need the session's CSRF token.
    case session(tokenHash: String, csrf: String)
    case key(id: Int64)
  }

  /// The name written in the audit log: a username, or `key:NAME`.
  public var actor: String
  /// The name a person is known by (a user's name, a key's name).
  public var displayName: String
  public var grant: Grant
  /// What it may do: a user may do all its role allows; a key only its scopes.
  public var scopes: Set<KeyScope>
  public var via: Via

  public init(actor: String, displayName: String, grant: Grant, scopes: Set<KeyScope>, via: Via) {
    self.actor = actor
    self.displayName = displayName
    self.grant = grant
    self.scopes = scopes
    self.via = via
  }

  public var role: Role { grant.role }

  /// The CSRF token writes must carry (sessions only).
  var csrf: String? {
    if case .session(_, let csrf) = via { return csrf }
    return nil
  }
}

/// The partners an identity may read: all of them, or a set (a manager's partners, a partner
/// itself), and the scopes made only of those.
struct Visibility: Sendable {
  /// Every partner (admins, analysts, program leaders).
  let all: Bool
  let partners: Set<String>
  /// A partner's own staff: one partner, and never a group scope.
  let ownPartner: String?

  init(_ grant: Grant, partners list: [PartnerInfo]) {
    switch grant.role {
    case .admin, .analyst:
      (all, partners, ownPartner) = (true, [], nil)
    case .manager:
      if grant.allPartners {
        (all, partners, ownPartner) = (true, [], nil)
      } else {
        let name = grant.manager ?? ""
        (all, partners, ownPartner) = (false, Set(list.filter { !name.isEmpty && $0.manager == name }.map(\.id)), nil)
      }
    case .partner:
      let id = grant.partner ?? ""
      (all, partners, ownPartner) = (false, [id], id)
    }
  }

  func canSee(partner id: String) -> Bool { all || partners.contains(id) }

  /// The test of which partners it sees, for filters that run elsewhere (nil: every partner).
  var partnerTest: (@Sendable (String) -> Bool)? {
    if all { return nil }
    let seen = self
    return { @Sendable id in seen.canSee(partner: id) }
  }

  /// Whether every partner of a scope is visible: the network only to those who see all; a
  /// group (type, region, tier) when it has members and all are visible, never to a partner's staff.
  func canSee(_ scope: Scope, partners list: [PartnerInfo]) -> Bool {
    if all { return true }
    switch scope.kind {
    case .network: return false
    case .partner: return partners.contains(scope.value ?? "")
    default:
      if ownPartner != nil { return false }
      let members = list.filter { $0.scope(scope.kind) == scope }
      return !members.isEmpty && members.allSatisfy { partners.contains($0.id) }
    }
  }
}

extension Grant {
  /// Whether the grant reads every partner, whoever the partners are.
  var seesEveryPartner: Bool {
    switch role {
    case .admin, .analyst: true
    case .manager: allPartners
    case .partner: false
    }
  }
}
