import ChannelKPI
import ChannelKPIStore
import Hummingbird

/// What the caller may see, applied to the parameters of a read: partner ids, scopes and `by=`.
extension APIController {
  /// Who is asking (the route guard let only signed-in callers reach a handler that needs one).
  func caller(_ context: AppContext) throws(APIError) -> Identity {
    guard let who = context.identity else { throw APIError.unauthorized("sign in or send an API key") }
    return who
  }

  func visibility(_ context: AppContext) async throws(APIError) -> Visibility {
    Visibility(try caller(context).grant, partners: service.partners())
  }

  /// A partner the caller may see; 404 for one it may not (it may not learn that it exists).
  func visiblePartner(_ id: String, _ context: AppContext) async throws(APIError) -> PartnerInfo {
    guard let p = service.partner(id), try await visibility(context).canSee(partner: id) else {
      throw APIError.notFound("no partner '\(id)'")
    }
    return p
  }

  /// An optional `partner` parameter narrowed: the caller's own for a partner's staff, one it may see otherwise.
  func partnerFilter(_ given: String?, _ context: AppContext) async throws(APIError) -> (String?, Visibility) {
    let vis = try await visibility(context)
    if let given {
      _ = try await visiblePartner(given, context)
      return (given, vis)
    }
    return (vis.ownPartner, vis)
  }

  /// Refuses reads of the whole network to callers who see only some partners.
  func requireWholeNetwork(_ context: AppContext, _ what: String) async throws(APIError) {
    guard try await visibility(context).all else {
      throw APIError.forbidden("\(what) covers every partner; you may read only your own partners' data")
    }
  }

  /// The scopes a read may cover: those asked for when all are visible (404 for one that names no
  /// partner; 403 for others' partners), else the visible ones of the kind `by` names (403 when
  /// none, or for a partner's staff, which must name itself).
  func narrowedScopes(_ scopes: [Scope], by: ScopeKind, _ context: AppContext) async throws(APIError) -> [Scope]? {
    let vis = try await visibility(context)
    let partners = service.partners()
    if vis.all {
      // Callers who see every partner learn which value names nothing (others get the 403 below).
      for s in scopes { if let unknown = s.unknown(among: partners) { throw APIError.notFound(unknown) } }
      return scopes.isEmpty ? nil : scopes
    }
    if !scopes.isEmpty {
      for s in scopes where !vis.canSee(s, partners: partners) {
        throw APIError.forbidden("you may not read '\(s)': it holds partners other than yours")
      }
      // One's own partner this instance has not loaded yet: named, but no other partner is.
      for s in scopes { if let unknown = s.unknown(among: partners, hint: false) { throw APIError.notFound(unknown) } }
      return scopes
    }
    if let own = vis.ownPartner {
      throw APIError.forbidden("name your own partner: scope=partner:\(own)")
    }
    var seen = Set<Scope>()
    let visible = partners.compactMap { $0.scope(by) }.filter { seen.insert($0).inserted }
      .filter { vis.canSee($0, partners: partners) }.sorted { $0.description < $1.description }
    guard !visible.isEmpty else { throw APIError.forbidden("none of your partners makes up a whole \(by.rawValue)") }
    return visible
  }
}
