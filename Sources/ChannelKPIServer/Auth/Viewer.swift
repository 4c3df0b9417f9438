import ChannelKPIStore
import Plot

/// The person a page is rendered for, so that every page's chrome can name them, offer to sign
/// out, and put the session's CSRF token in its forms, without each page passing it along.
struct Viewer: Sendable, Hashable {
  var name: String
  var role: String
  /// The session's CSRF token (nil for an API key, which needs none).
  var csrf: String?
  var isAdmin: Bool
  /// Whether they see every partner (a manager of some partners sees no network-wide page).
  var seesNetwork: Bool

  @TaskLocal static var current: Viewer?

  init(_ identity: Identity) {
    name = identity.displayName
    role = identity.role.rawValue
    csrf = identity.csrf
    isAdmin = identity.role == .admin
    seesNetwork = identity.grant.seesEveryPartner
  }
}

extension Node where Context == HTML.FormContext {
  /// The hidden CSRF field of a POST form, when the page is shown to a browser session.
  static var csrfField: Node {
    .unwrap(Viewer.current?.csrf) { .input(.type(.hidden), .name(CSRF.field), .value($0)) }
  }
}
