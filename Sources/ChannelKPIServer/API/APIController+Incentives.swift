import ChannelKPI
import ChannelKPIStore
import Foundation
import Hummingbird

extension APIController {
  static func encoded(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
    json(try JSONOutput.encode(value), status: status)
  }

  static func csv(_ text: String) -> Response {
    Response(
      status: .ok, headers: [.contentType: "text/csv; charset=utf-8"],
      body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
  }

  /// CSV when `format=csv` or the client accepts text/csv; `format` is `json` or `csv`.
  static func wantsCSV(_ request: Request, _ q: Query) throws(APIError) -> Bool {
    let format = try q.oneOf("format", ["json", "csv"], default: "")
    return format == "csv" || (format.isEmpty && request.headers[.accept]?.contains("text/csv") == true)
  }

  /// The months of `from` … `to` (default: the data's first month through today's).
  func months(_ q: Query) async throws(APIError) -> (Month, Month) {
    let from = try q.period("from")
    let to = try q.period("to")
    guard let data = service.coverage ?? from.map({ MonthRange(first: $0.firstMonth, last: $0.lastMonth) }) else {
      throw APIError.conflict("no data has been imported yet")
    }
    // By default through today's month: periods that have ended or are under way.
    let first = from?.firstMonth ?? data.first
    let todayMonth = service.todayDay.month
    let last = to?.lastMonth ?? Swift.max(data.last, todayMonth)
    guard first <= last else {
      throw APIError.badRequest(
        "the range is empty: it starts in \(first) and ends in \(last)", parameter: to == nil ? "from" : "to")
    }
    return (first, last)
  }

  func requireLadder(_ h: TierHistory) throws(APIError) -> TierLadder {
    guard let l = h.ladder else {
      throw APIError.conflict("the definitions have no ladder: apply definitions with a tiers: section")
    }
    return l
  }

  // MARK: Tiers

  @Sendable func tiers(_ request: Request, context: AppContext) async throws -> Response {
    try await requireWholeNetwork(context, "the tier distribution")
    let q = Query(request: request)
    let wanted = try q.period("period")
    let h = try service.tierHistory()
    let ladder = try requireLadder(h)
    let period = wanted ?? h.evaluations.map(\.period).max()
    if let wanted, wanted.grain != ladder.evaluate {
      throw APIError.badRequest(
        "the ladder is evaluated by \(ladder.evaluate.rawValue); '\(wanted)' is a \(wanted.grain.rawValue)",
        parameter: "period")
    }
    let rows = h.evaluations.filter { $0.period == period }
    return try Self.encoded(
      TiersResponse(
        period: period?.description, ladder: LadderResponse(ladder),
        distribution: ladder.levels.reversed().map { l in
          TiersResponse.Count(level: l.id, partners: rows.filter { $0.level == l.id }.count)
        },
        moved: rows.filter { $0.change == .promoted || $0.change == .demoted }.map(EvaluationResponse.init),
        atRisk: rows.filter { $0.change == .atRisk }.map(EvaluationResponse.init)))
  }

  @Sendable func tierHistory(_ request: Request, context: AppContext) async throws -> Response {
    let q = Query(request: request)
    let (first, last) = try await months(q)
    let (partner, vis) = try await partnerFilter(q.string("partner"), context)
    let h = try service.tierHistory()
    _ = try requireLadder(h)
    let rows = h.evaluations.filter { e in
      e.period.firstMonth >= first && e.period.lastMonth <= last && (partner.map { e.partner == $0 } ?? true)
        && vis.canSee(partner: e.partner)
    }
    if try Self.wantsCSV(request, q) {
      var text = ""
      IncentiveWriter.tiersCSV(rows, to: { text += $0 })
      return Self.csv(text)
    }
    return try Self.encoded(TierHistoryResponse(evaluations: rows.map(EvaluationResponse.init)))
  }

  @Sendable func partnerTier(_ request: Request, context: AppContext) async throws -> Response {
    let id = try await visiblePartner(context.parameters.get("id") ?? "", context).id
    let h = try service.tierHistory()
    let ladder = try requireLadder(h)
    let today = service.todayDay
    let level = h.tier(of: id, on: today)
    let benefits = ladder.levels.first { $0.id == level }?.benefits ?? []
    let gap = h.gap(of: id, today: today).map {
      PartnerTierResponse.Gap(next: $0.next.id, requirements: $0.standings.map(RequirementResponse.init))
    }
    return try Self.encoded(
      PartnerTierResponse(
        partner: id, level: level,
        benefits: Dictionary(benefits.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }),
        history: h.evaluations(of: id).map(EvaluationResponse.init), gap: gap))
  }

  // MARK: Statements

  @Sendable func statements(_ request: Request, context: AppContext) async throws -> Response {
    let q = Query(request: request)
    let (first, last) = try await months(q)
    let (partner, vis) = try await partnerFilter(q.string("partner"), context)
    let list = try await service.statements(from: first, to: last, partner: partner).filter {
      vis.canSee(partner: $0.partner)
    }
    if try Self.wantsCSV(request, q) {
      var text = ""
      IncentiveWriter.statementsCSV(list, to: { text += $0 })
      return Self.csv(text)
    }
    return try Self.encoded(StatementsResponse(list))
  }

  /// `{"period": "2025-Q4", "partner": "P0007"}`: approved in the caller's name.
  @Sendable func approveStatements(_ request: Request, context: AppContext) async throws -> Response {
    let who = try caller(context)
    let vis = try await visibility(context)
    guard case .object(let o) = try JSONInput.parse(try await body(request, context)) else {
      throw APIError.unprocessable([APIProblem(path: "", message: "the body must be an object")])
    }
    var fields = BodyFields(object: o)
    let periodText = fields.text("period", required: true)
    let partner = fields.text("partner", required: false)
    fields.ignoredText("by", "approvals are in the caller's name")
    var problems = fields.problems
    let period = periodText.flatMap(Period.init)
    if let periodText, period == nil {
      problems.append(
        APIProblem(path: "/period", message: "'\(periodText)' is not a period: write 2025-03, 2025-Q1 or 2025"))
    }
    if let partner, service.partner(partner) == nil || !vis.canSee(partner: partner) {
      problems.append(APIProblem(path: "/partner", message: "no partner '\(partner)'"))
    }
    guard problems.isEmpty, let period else { throw APIError.unprocessable(problems) }
    do {
      let approved = try await service.approveStatements(
        period: period, partner: partner, by: who.displayName, among: vis.all ? nil : vis.partners)
      return try Self.encoded(ApprovalsResponse(approvals: approved.map(ApprovalResponse.init)), status: .created)
    } catch let e as ApprovalError {
      throw APIError.conflict(e.description)
    } catch let e as IncentiveRequestError {
      throw APIError.unprocessable([APIProblem(path: "/\(e.parameter ?? "")", message: e.message)])
    }
  }

  @Sendable func approvedStatements(_ request: Request, context: AppContext) async throws -> Response {
    let q = Query(request: request)
    let vis = try await visibility(context)
    let all = try await service.store.statementApprovals().filter { vis.canSee(partner: $0.partner) }
    let withRevoked = try q.oneOf("revoked", ["true", "false"], default: "false") == "true"
    let list = withRevoked ? all : all.filter { !$0.isRevoked }
    if try Self.wantsCSV(request, q) {
      var text = ""
      IncentiveWriter.approvedCSV(list, to: { text += $0 })
      return Self.csv(text)
    }
    return try Self.encoded(ApprovalsResponse(approvals: list.map(ApprovalResponse.init)))
  }

  /// `{"reason": "…"}`: revoked in the caller's name.
  @Sendable func revokeApproval(_ request: Request, context: AppContext) async throws -> Response {
    let who = try caller(context)
    guard let id = context.parameters.get("id").flatMap(Int64.init) else {
      throw APIError.badRequest("the approval id is a whole number", parameter: "id")
    }
    guard case .object(let o) = try JSONInput.parse(try await body(request, context)) else {
      throw APIError.unprocessable([APIProblem(path: "", message: "the body must be an object")])
    }
    var fields = BodyFields(object: o)
    fields.ignoredText("by", "revocations are in the caller's name")
    let reason = fields.text("reason", required: true)
    guard fields.problems.isEmpty, let reason else { throw APIError.unprocessable(fields.problems) }
    do {
      guard let a = try await service.revokeApproval(id: id, by: who.displayName, reason: reason) else {
        throw APIError.notFound("there is no approval \(id)")
      }
      return try Self.encoded(ApprovalResponse(a))
    } catch ApprovalError.noApproval(let n) {
      throw APIError.notFound("there is no approval \(n)")
    } catch let e as ApprovalError {
      throw APIError.conflict(e.description)
    }
  }

  // MARK: MDF and what-if

  @Sendable func mdf(_ request: Request, context: AppContext) async throws -> Response {
    let q = Query(request: request)
    let (first, last) = try await months(q)
    let (partner, vis) = try await partnerFilter(q.string("partner"), context)
    let rows = try await service.mdfLedger().periods.filter { f in
      f.period.firstMonth >= first && f.period.lastMonth <= last && (partner.map { f.partner == $0 } ?? true)
        && vis.canSee(partner: f.partner)
    }
    if try Self.wantsCSV(request, q) {
      var text = ""
      IncentiveWriter.mdfCSV(rows, to: { text += $0 })
      return Self.csv(text)
    }
    return try Self.encoded(FundsResponse(funds: rows.map(FundResponse.init)))
  }

  /// `{"files": {"tiers.yaml": "…"}, "from": "2025-Q1", "to": "2025-Q4"}`.
  @Sendable func whatIf(_ request: Request, context: AppContext) async throws -> Response {
    try await requireWholeNetwork(context, "a what-if run")
    guard case .object(let top) = try JSONInput.parse(try await body(request, context)) else {
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
    var bounds: [String: Period] = [:]
    for k in ["from", "to"] {
      switch top[k] {
      case nil, .null?: continue
      case .string(let s)?:
        guard let p = Period(s) else {
          throw APIError.unprocessable([
            APIProblem(path: "/\(k)", message: "'\(s)' is not a period: write 2025-03, 2025-Q1 or 2025")
          ])
        }
        bounds[k] = p
      default:
        throw APIError.unprocessable([APIProblem(path: "/\(k)", message: "must be a period such as 2025-Q1")])
      }
    }
    guard let data = service.coverage else { throw APIError.conflict("no data has been imported yet") }
    let todayMonth = service.todayDay.month
    let first = bounds["from"]?.firstMonth ?? data.first
    let last = bounds["to"]?.lastMonth ?? Swift.max(data.last, todayMonth)
    guard first <= last else {
      throw APIError.unprocessable([APIProblem(path: "/to", message: "the range is empty: 'from' is after 'to'")])
    }
    do {
      return try Self.encoded(WhatIfResponse(try await service.whatIf(files: files, from: first, to: last)))
    } catch let e as DefinitionFileErrors {
      throw APIError.unprocessable(
        e.errors.map { APIProblem(path: "\($0.file):\($0.line):\($0.column)", message: $0.message) })
    } catch let e as IncentiveRequestError {
      throw APIError.unprocessable([APIProblem(path: "/\(e.parameter ?? "")", message: e.message)])
    }
  }
}
