import ChannelKPI
import Hummingbird

/// Explanations of a KPI's change and peer benchmarks.
extension APIController {
  /// A scope from the `scope` parameter that the caller may read and that names partners:
  /// 400 when it is not a scope, 403 when it holds others' partners, 404 when it names nothing.
  func readableScope(_ q: Query, _ context: AppContext) async throws(APIError) -> Scope {
    let text = q.string("scope") ?? "network"
    guard let scope = Scope(text) else {
      throw APIError.badRequest(
        "'\(text)' is not a scope: network, partner:ID, type:X, region:X or tier:X", parameter: "scope")
    }
    if scope.kind == .partner {
      return Scope(.partner, try await visiblePartner(scope.value ?? "", context).id)
    }
    _ = try await narrowedScopes([scope], by: scope.kind, context)
    return scope
  }

  /// The KPI the path names; 404 when the catalog has none of that id.
  func knownKPI(_ context: AppContext) async throws(APIError) -> String {
    let kpi = context.parameters.get("id") ?? ""
    let catalog = service.catalog
    guard catalog.kpi(kpi) != nil else {
      throw APIError.notFound("no KPI '\(kpi)'\(Spelling.hint(for: kpi, in: catalog.kpis.map(\.id)))")
    }
    return kpi
  }

  /// `/kpis/{id}/explain?scope=S&period=P[&vs=P2][&dimension=D,…][&format=csv]`
  @Sendable func explain(_ request: Request, context: AppContext) async throws -> Response {
    let q = Query(request: request)
    let kpi = try await knownKPI(context)
    let scope = try await readableScope(q, context)
    let p = try await period(q)
    let versus = try q.period("vs")
    var dimensions: [SegmentDimension] = []
    for d in q.list("dimension") {
      guard let dim = SegmentDimension(d) else {
        throw APIError.badRequest(
          "'\(d)' is not a dimension: \(SegmentDimension.all.map(\.description).joined(separator: ", "))",
          parameter: "dimension")
      }
      dimensions.append(dim)
    }
    let result: ChangeExplanation
    do {
      result = try await service.explain(
        kpi: kpi, scope: scope, period: p, versus: versus, dimensions: dimensions.isEmpty ? nil : dimensions)
    } catch { throw APIError.badRequest(error.message, parameter: nil) }
    if try Self.wantsCSV(request, q) { return Self.csv(result.csv) }
    return try Self.encoded(result)
  }

  /// `/kpis/{id}/benchmarks?period=P[&peers=type|type_region|tier][&partner=ID,…][&format=csv]`
  @Sendable func benchmarks(_ request: Request, context: AppContext) async throws -> Response {
    let q = Query(request: request)
    let kpi = try await knownKPI(context)
    let p = try await period(q)
    let peersText = try q.oneOf("peers", PeerGroup.allCases.map(\.rawValue), default: PeerGroup.type.rawValue)
    let peers = PeerGroup(rawValue: peersText) ?? .type
    let vis = try await visibility(context)
    var only: Set<String>?
    let asked = q.list("partner")
    if !asked.isEmpty {
      for id in asked { _ = try await visiblePartner(id, context) }
      only = Set(asked)
    } else if !vis.all {
      only = Set(
        service.partners().filter { vis.canSee(partner: $0.id) && $0.isInProgram(during: p.months) }.map(\.id))
    }
    // Who does not see every partner sees peers only as anonymous figures, and only with enough
    // of them it cannot see.
    let seenBy = vis.partnerTest
    let positions = try await evaluate {
      try await service.peerPositions(kpi: kpi, period: p, peers: peers, partners: only, seenBy: seenBy)
    }
    if try Self.wantsCSV(request, q) { return Self.csv(PeerPosition.csv(positions)) }
    return try Self.encoded(BenchmarksResponse(kpi: kpi, period: p.description, peers: peers, positions: positions))
  }
}

extension APIController {
  /// `/kpis/{id}/forecast?scope=S&grain=G[&horizon=H][&as_of=P][&backtest=N][&format=csv]`
  @Sendable func forecast(_ request: Request, context: AppContext) async throws -> Response {
    let q = Query(request: request)
    let kpi = try await knownKPI(context)
    let scope = try await readableScope(q, context)
    let grain = try q.grain(default: .month)
    let horizon = q.string("horizon") == nil ? nil : try q.int("horizon", default: 1, range: 1...60)
    let asOf = try q.period("as_of")
    let backtest = try q.int("backtest", default: 0, range: 0...KPIForecaster.maximumBacktest)
    let result: KPIForecast
    do {
      result = try await service.forecast(
        kpi: kpi, scope: scope, grain: grain, horizon: horizon, asOf: asOf, backtest: backtest)
    } catch { throw APIError.conflict(error.message) }
    if try Self.wantsCSV(request, q) { return Self.csv(result.csv) }
    return try Self.encoded(result)
  }
}

/// The answer of `GET /api/v1/benchmarks`.
struct BenchmarksResponse: Encodable {
  let kpi: String
  let period: String
  let peers: PeerGroup
  let positions: [PeerPosition]
}
