import ChannelKPI
import ChannelKPIStore
import Foundation
import Hummingbird
import NIOCore

/// The JSON API under `/api/v1`.
struct APIController {
  let service: KPIService

  static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(
      status: status, headers: [.contentType: "application/json; charset=utf-8"],
      body: ResponseBody(byteBuffer: ByteBuffer(string: text.hasSuffix("\n") ? text : text + "\n")))
  }

  static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
    json(value.text, status: status)
  }

  /// The period a request names, or the quarter of the latest data.
  func period(_ q: Query, grain: Grain = .quarter) async throws(APIError) -> Period {
    if let p = try q.period("period") { return p }
    guard let c = service.coverage else { throw APIError.conflict("no data has been imported yet") }
    return Period(grain: grain, containing: c.last)
  }

  // MARK: KPIs and values

  @Sendable func kpis(_ request: Request, context: AppContext) async throws -> Response {
    let catalog = service.catalog
    return Self.json(
      .object([
        (
          "kpis",
          .array(
            catalog.kpis.map { k in
              .object([
                ("id", .string(k.id)), ("name", .string(k.name)), ("family", .string(k.family)),
                ("unit", .string(k.unit.rawValue)), ("better", .string(k.better.rawValue)),
                ("stages", .array(k.stages.map { .string($0.rawValue) })), ("description", .string(k.description)),
                ("formula", .string(k.formula)), ("min", .number(k.minimum)), ("max", .number(k.maximum)),
              ])
            })
        )
      ]))
  }

  @Sendable func values(_ request: Request, context: AppContext) async throws -> Response {
    let q = Query(request: request)
    let by = try q.scopeKind(default: .network)
    var scopes: [Scope] = []
    for s in q.list("scope") {
      guard let scope = Scope(s) else {
        throw APIError.badRequest(
          "'\(s)' is not a scope: network, partner:ID, type:X, region:X or tier:X", parameter: "scope")
      }
      guard scope.kind == by else {
        throw APIError.badRequest("'\(s)' is not of the kind by=\(by.rawValue)", parameter: "scope")
      }
      scopes.append(scope)
    }
    let catalog = service.catalog
    for k in q.list("kpi") where catalog.kpi(k) == nil {
      throw APIError.badRequest(
        "unknown KPI '\(k)'\(Spelling.hint(for: k, in: catalog.kpis.map(\.id)))", parameter: "kpi")
    }
    let narrowed = try await narrowedScopes(scopes, by: by, context)
    let windows = try q.windows()
    let wantsCSV = try Self.wantsCSV(request, q)
    if windows.isEmpty {
      // The commonest reads: sent as they were encoded for the same request since the last write.
      let req = ComputeRequest(
        kpis: q.list("kpi"), by: by, grain: try q.grain(default: .month), from: try q.period("from"),
        to: try q.period("to"), scopes: narrowed)
      let body: ByteBuffer
      do { body = try service.valuesBody(req, csv: wantsCSV) } catch {
        throw APIError.badRequest(error.message, parameter: nil)
      }
      return Response(
        status: .ok,
        headers: [.contentType: wantsCSV ? "text/csv; charset=utf-8" : "application/json; charset=utf-8"],
        body: ResponseBody(byteBuffer: body))
    }
    for name in ["from", "to", "grain"] where q.string(name) != nil {
      throw APIError.badRequest("'window' replaces 'from', 'to' and 'grain': give one or the other", parameter: name)
    }
    let result: WindowResult
    do {
      result = try service.compute(kpis: q.list("kpi"), by: by, scopes: narrowed, windows: windows)
    } catch { throw APIError.badRequest(error.message, parameter: nil) }
    var text = ""
    if wantsCSV {
      ResultWriter.csv(result, to: { text += $0 })
      return Response(
        status: .ok, headers: [.contentType: "text/csv; charset=utf-8"],
        body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
    ResultWriter.json(result, to: { text += $0 })
    return Self.json(text)
  }

  // MARK: Partners

  static func partnerJSON(_ p: PartnerInfo, kpis: [(String, Double?)]? = nil) -> JSONValue {
    var pairs: [(String, JSONValue)] = [
      ("id", .string(p.id)), ("name", .string(p.name)), ("type", .string(p.type)), ("region", .string(p.region)),
      ("country", .string(p.country)), ("tier", .string(p.tier)), ("joined_on", .string(p.joinedOn.description)),
      ("left_on", .string(p.leftOn?.description)), ("manager", .string(p.manager)),
    ]
    if let kpis { pairs.append(("kpis", .object(kpis.map { ($0.0, .number($0.1)) }))) }
    return .object(pairs)
  }

  static let partnerSorts = ["id", "name", "type", "region", "tier", "joined_on"]

  @Sendable func partners(_ request: Request, context: AppContext) async throws -> Response {
    let q = Query(request: request)
    let vis = try await visibility(context)
    let all = service.partners().filter { vis.canSee(partner: $0.id) }
    let catalog = service.catalog
    let kpiIds = q.list("kpis")
    for k in kpiIds where catalog.kpi(k) == nil {
      throw APIError.badRequest(
        "unknown KPI '\(k)'\(Spelling.hint(for: k, in: catalog.kpis.map(\.id)))", parameter: "kpis")
    }
    let sort = try q.oneOf("sort", Self.partnerSorts + kpiIds, default: "id")
    let order = try q.oneOf("order", ["asc", "desc"], default: "asc")
    let limit = try q.int("limit", default: 50, range: 1...1000)
    let offset = try q.int("offset", default: 0, range: 0...10_000_000)
    for name in ["type", "region", "tier"] { _ = try q.slug(name) }
    // Checked even when no KPI asks for it: a period that is not one is a bad request.
    _ = try q.period("period")
    let search = q.string("q")?.lowercased()
    var list = all.filter { p in
      (q.string("type").map { $0 == p.type } ?? true) && (q.string("region").map { $0 == p.region } ?? true)
        && (q.string("tier").map { $0 == p.tier } ?? true)
        && (search.map { p.id.lowercased().contains($0) || p.name.lowercased().contains($0) } ?? true)
    }
    var values: [String: [(String, Double?)]] = [:]
    var period: Period?
    if !kpiIds.isEmpty {
      let p = try await self.period(q)
      period = p
      let result: ComputeResult
      do {
        result = try service.compute(
          ComputeRequest(
            kpis: kpiIds, by: .partner, grain: p.grain, from: p, to: p, scopes: list.map { Scope(.partner, $0.id) }))
      } catch { throw APIError.badRequest(error.message, parameter: nil) }
      for (s, scope) in result.scopes.enumerated() {
        values[scope.value ?? ""] = kpiIds.indices.map { (kpiIds[$0], result.value(kpi: $0, scope: s, period: 0)) }
      }
    }
    func key(_ p: PartnerInfo) -> String {
      switch sort {
      case "name": p.name
      case "type": p.type
      case "region": p.region
      case "tier": p.tier ?? ""
      case "joined_on": p.joinedOn.description
      default: p.id
      }
    }
    if let k = kpiIds.firstIndex(of: sort) {
      // Partners without a value go last whatever the order.
      list.sort { a, b in
        let x = values[a.id]?[k].1
        let y = values[b.id]?[k].1
        switch (x, y) {
        case (let x?, let y?): return order == "asc" ? (x, a.id) < (y, b.id) : (x, b.id) > (y, a.id)
        case (nil, nil): return a.id < b.id
        case (nil, _): return false
        case (_, nil): return true
        }
      }
    } else {
      list.sort { order == "asc" ? (key($0), $0.id) < (key($1), $1.id) : (key($0), $0.id) > (key($1), $1.id) }
    }
    let page = list.dropFirst(offset).prefix(limit)
    return Self.json(
      .object([
        ("total", .int(list.count)), ("limit", .int(limit)), ("offset", .int(offset)),
        ("period", .string(period?.description)),
        ("partners", .array(page.map { Self.partnerJSON($0, kpis: kpiIds.isEmpty ? nil : values[$0.id]) })),
      ]))
  }

  @Sendable func partner(_ request: Request, context: AppContext) async throws -> Response {
    let p = try await visiblePartner(try context.parameters.require("id"), context)
    return Self.json(Self.partnerJSON(p))
  }

  // MARK: Scorecards and definitions

  func evaluate<T: Sendable>(_ body: () async throws -> T) async throws(APIError) -> T {
    do { return try await body() } catch let e as ProgramError { throw APIError.conflict(e.message) } catch let e
      as APIError
    {
      throw e
    } catch { throw APIError.conflict("\(error)") }
  }

  @Sendable func partnerScorecard(_ request: Request, context: AppContext) async throws -> Response {
    let id = try await visiblePartner(try context.parameters.require("id"), context).id
    let p = try await period(Query(request: request))
    // Who does not see every partner sees a position among others only as an anonymous percentile.
    let anonymized = try await !visibility(context).all
    let body = try await evaluate { try service.partnerScorecardBody(id: id, period: p, anonymized: anonymized) }
    return Response(
      status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: body))
  }

  @Sendable func networkScorecard(_ request: Request, context: AppContext) async throws -> Response {
    try await requireWholeNetwork(context, "the network's scorecard")
    let p = try await period(Query(request: request))
    let r = try await evaluate { try service.networkScorecard(period: p) }
    return Self.json(ScorecardWriter.jsonObject(r))
  }

  @Sendable func typeScorecards(_ request: Request, context: AppContext) async throws -> Response {
    let type = try context.parameters.require("type")
    // Whether the type exists is told only to those who may read it.
    _ = try await narrowedScopes([Scope(.type, type)], by: .type, context)
    let p = try await period(Query(request: request))
    let rs = try await evaluate { try service.typeScorecards(type: type, period: p) }
    return Self.json(ScorecardWriter.json(rs))
  }

  @Sendable func objectives(_ request: Request, context: AppContext) async throws -> Response {
    let p = try await period(Query(request: request))
    let (version, defs) = service.definitions(for: p)
    return Self.json(
      .object([
        ("period", .string(p.description)), ("version", .int(version?.number)),
        (
          "objectives",
          .array(
            defs.objectives.map { o in
              .object([
                ("id", .string(o.id)), ("name", .string(o.name)), ("description", .string(o.description)),
                ("owner", .string(o.owner)), ("from", .string(o.from?.description)), ("to", .string(o.to?.description)),
                ("active", .bool(o.isActive(in: p.months))), ("kpis", .array(o.kpis.map { .string($0) })),
              ])
            })
        ),
      ]))
  }

  @Sendable func targets(_ request: Request, context: AppContext) async throws -> Response {
    let p = try await period(Query(request: request))
    let (version, _) = service.definitions(for: p)
    var items: [JSONValue] = []
    let vis = try await visibility(context)
    let partners = service.partners()
    for (t, s) in service.targetStandings(period: p) {
      // A target of a scope the caller may not read is left out, with its values.
      if !vis.canSee(t.scope, partners: partners) { continue }
      items.append(
        .object([
          ("kpi", .string(t.kpi)), ("scope", .string(t.scope.description)), ("rule", .string(t.rule.description)),
          ("grain", .string(t.grain?.rawValue)), ("from", .string(t.from?.description)),
          ("to", .string(t.to?.description)), ("baseline", .number(s?.baseline)), ("target", .number(s?.target)),
          ("actual", .number(s?.actual)), ("attainment", .number(s?.attainment)),
          ("status", .string(s?.status.rawValue)),
        ]))
    }
    return Self.json(
      .object([("period", .string(p.description)), ("version", .int(version?.number)), ("targets", .array(items))]))
  }

  @Sendable func programVersions(_ request: Request, context: AppContext) async throws -> Response {
    let versions = service.versions
    return Self.json(
      .object([
        (
          "versions",
          .array(
            versions.map { v in
              .object([
                ("version", .int(v.number)), ("effective", .string(v.effective.description)),
                ("applied_at", .string(v.appliedAt)), ("note", .string(v.note)),
                ("objectives", .int(v.definitions.objectives.count)), ("targets", .int(v.definitions.targets.count)),
                ("scorecards", .int(v.definitions.scorecards.count)),
              ])
            })
        )
      ]))
  }

  /// `{"files": {"targets.yaml": "…"}, "effective": "2025-04-01", "note": "…"}`.
  @Sendable func applyProgram(_ request: Request, context: AppContext) async throws -> Response {
    let data = try await body(request, context)
    guard case .object(let top) = try JSONInput.parse(data) else {
      throw APIError.unprocessable([APIProblem(path: "", message: "the body must be an object with 'files'")])
    }
    guard case .object(let filesIn)? = top["files"], !filesIn.isEmpty else {
      throw APIError.unprocessable([
        APIProblem(path: "/files", message: "must be an object of file names to YAML texts")
      ])
    }
    var files: [String: String] = [:]
    for (name, v) in filesIn {
      guard case .string(let text) = v else {
        throw APIError.unprocessable([
          APIProblem(path: "/files/\(RecordsBody.escape(name))", message: "must be the YAML text")
        ])
      }
      files[name] = text
    }
    var effective = service.todayDay
    if let e = top["effective"] {
      guard case .string(let t) = e, let d = Day(iso: t) ?? Period(t)?.start else {
        throw APIError.unprocessable([APIProblem(path: "/effective", message: "must be a date YYYY-MM-DD or a period")])
      }
      effective = d
    }
    var note = ""
    switch top["note"] {
    case .string(let n)?: note = n
    case nil, .null?: break
    default: throw APIError.unprocessable([APIProblem(path: "/note", message: "must be a string")])
    }
    let known = try await KnownPartners.read(from: service.store)
    let defs: ProgramDefinitions
    do { defs = try ProgramFiles.parse(files, known: known) } catch {
      throw APIError.unprocessable(
        error.errors.map { APIProblem(path: "\($0.file):\($0.line):\($0.column)", message: $0.message) })
    }
    let n = try await service.applyProgram(files: files, effective: effective, note: note)
    try await service.store.recordTierBaselineIfNeeded(for: defs, at: ISO8601DateFormatter().string(from: Date()))
    return Self.json(
      .object([("version", .int(n)), ("effective", .string(effective.description))]), status: .created)
  }

  @Sendable func check(_ request: Request, context: AppContext) async throws -> Response {
    try await requireWholeNetwork(context, "the hygiene check")
    let p = try await period(Query(request: request))
    let findings = try await evaluate { try await service.hygiene(asOf: p) }
    return Self.json(
      .object([
        ("period", .string(p.description)),
        (
          "findings",
          .array(
            findings.map { f in
              .object([
                ("rule", .string(f.rule.rawValue)), ("subject", .string(f.subject)), ("message", .string(f.message)),
                ("evidence", .array(f.evidence.map { .string($0) })),
              ])
            })
        ),
      ]))
  }

  // MARK: Facts

  @Sendable func imports(_ request: Request, context: AppContext) async throws -> Response {
    try await requireWholeNetwork(context, "the import log")
    let limit = try Query(request: request).int("limit", default: 50, range: 1...1000)
    let list = try await service.store.imports(limit: limit)
    return Self.json(
      .object([
        (
          "imports",
          .array(
            list.map { r in
              .object([
                ("id", .number(Double(r.id))), ("finished_at", .string(r.finishedAt)),
                ("files", .array(r.summary.files.map { .string($0) })), ("rows_read", .int(r.summary.rowsRead)),
                ("rows_stored", .int(r.summary.rowsStored)), ("rows_rejected", .int(r.summary.rowsRejected)),
              ])
            })
        )
      ]))
  }

  func body(_ request: Request, _ context: AppContext) async throws -> Data {
    if let type = request.headers[.contentType], !type.lowercased().hasPrefix("application/json") {
      throw APIError.unsupportedMediaType("send the body as application/json, not \(type)")
    }
    // A batch of facts may be large; every other body is small.
    let limit = context.route == .ingest ? 64 * 1024 * 1024 : 4 * 1024 * 1024
    var buffer: ByteBuffer
    do { buffer = try await request.body.collect(upTo: limit) } catch is NIOTooManyBytesError {
      throw APIError.payloadTooLarge("the body is larger than \(limit / 1024 / 1024) MiB")
    }
    return buffer.readData(length: buffer.readableBytes) ?? Data()
  }

  @Sendable func ingest(_ request: Request, context: AppContext) async throws -> Response {
    let name = try context.parameters.require("table")
    guard let table = CanonicalTable(rawValue: name) else {
      throw APIError.notFound(
        "no table '\(name)'; the tables are \(CanonicalTable.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    let body = try RecordsBody.read(try await body(request, context), table: table)
    let r = try await service.ingest(table: table) { known in try RecordsBody.parse(body, table: table, known: known) }
    return Self.json(
      .object([
        ("table", .string(table.rawValue)), ("received", .int(r.received)), ("stored", .int(r.stored)),
        ("alerts", .raw(try JSONOutput.encode(r.alerts))), ("alerts_deferred", .bool(r.alertsDeferred)),
      ]))
  }
}
