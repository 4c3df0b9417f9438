/// The partners that make up each scope a computation asks for, and the refusal of scopes that
/// name nobody.
extension KPIEngine {
  /// The scopes of a kind, each with its member partners (rows of `partners`), sorted.
  func scopeGroups(_ kind: ScopeKind, only: [Scope]? = nil) -> [(scope: Scope, members: [Int32])] {
    let partners = tables[Self.partnersIndex]
    let schema = CanonicalTable.partners.schema
    if kind == .partner, let only, keepsKeys {
      return partnerGroups(only)
    }
    let rows = (0..<Int32(partners.count)).filter { Int($0) < applied[Self.partnersIndex] }
    var out: [(scope: Scope, members: [Int32])]
    switch kind {
    case .network:
      out = [(.network, rows)]
    case .partner:
      let idc = schema.index["partner_id"]!
      let pool = pool("partner")
      out = rows.map { (Scope(.partner, pool[Int32(partners.value($0, idc))]), [$0]) }
    case .type, .region, .tier:
      let c = schema.index[kind.rawValue]!
      let domain = schema.columns[c].domain
      var byCode: [Int64: [Int32]] = [:]
      for r in rows {
        let v = partners.value(r, c)
        if v != FactColumns.absent64 { byCode[v, default: []].append(r) }
      }
      let pool = pool(domain)
      out = byCode.map { (Scope(kind, pool[Int32($0.key)]), $0.value) }
    }
    out.sort { $0.scope < $1.scope }
    if let only {
      let wanted = Set(only)
      out = out.filter { wanted.contains($0.scope) }
      for s in only where s.kind == kind && !out.contains(where: { $0.scope == s }) { out.append((s, [])) }
      out.sort { $0.scope < $1.scope }
    }
    return out
  }

  /// The groups of named partners, found through the key index rather than by listing every
  /// partner (a read of one partner's values is the commonest).
  private func partnerGroups(_ only: [Scope]) -> [(scope: Scope, members: [Int32])] {
    let p = Self.partnersIndex
    var out: [(scope: Scope, members: [Int32])] = []
    for s in Set(only) where s.kind == .partner {
      let row = s.value.flatMap { code($0, domain: "partner") }.flatMap { rowByCode[p][Int($0)] }
      if let row, row >= 0, Int(row) < applied[p] { out.append((s, [row])) } else { out.append((s, [])) }
    }
    out.sort { $0.scope < $1.scope }
    return out
  }

  /// Refuses asked-for scopes of another kind than `by`, and scopes that name no partner (which
  /// would otherwise read as partners that sold nothing).
  func requireKnown(
    _ scopes: [Scope]?, by kind: ScopeKind, _ groups: [(scope: Scope, members: [Int32])]
  ) throws(ComputeError) {
    for s in scopes ?? [] where s.kind != kind {
      throw ComputeError("the scope \(s) is not of the kind \(kind.rawValue) the values are computed by")
    }
    guard scopes != nil, let empty = groups.first(where: { $0.members.isEmpty && $0.scope != .network }) else { return }
    throw ComputeError(empty.scope.unknown(among: partners()) ?? "the scope \(empty.scope) names no partner")
  }
}
