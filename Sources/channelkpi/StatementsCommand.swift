import ArgumentParser
import ChannelKPI
import ChannelKPIServer
import ChannelKPIStore
import Foundation

struct StatementsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "statements",
    abstract: "Incentive statements: list them, approve them, revoke an approval, export the approved ones.",
    subcommands: [
      StatementsListCommand.self, StatementsApproveCommand.self, StatementsRevokeCommand.self,
      StatementsApprovedCommand.self,
    ],
    defaultSubcommand: StatementsListCommand.self)
}

struct StatementsListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "Incentive statements: each partner's payouts per period under the rebate, bonus and spiff plans.",
    discussion: """
      One statement per partner and period of each grain plans pay at; amounts are exact, each line \
      rounded once to cents. A period that has not ended is an estimate. In csv: \
      partner,period,plan,kind,line,basis,rate,amount (one row per line).

      Approved statements never change: later differences show as adjustment lines on the \
      partner's next statement that is not approved, and a negative total is carried forward.

        channelkpi statements --from 2025-Q4 --to 2025-Q4
        channelkpi statements --from 2025-01 --to 2025-12 --format csv > statements.csv
        channelkpi statements approve --period 2025-Q4 --partner P0007 --by "Dana Reyes"
      """)

  @OptionGroup var range: RangeOptions
  @OptionGroup var options: ProgramOptions

  func run() async throws {
    let context = try await ProgramContext(options, incentives: true)
    let (first, last, partner) = try range.resolve(context)
    let format = range.format
    let statements = try context.incentives().statements(
      from: first, to: last, partners: partner.map { Set([$0]) }, approvals: context.approvals)
    let out = Console.Output()
    switch format {
    case .csv: IncentiveWriter.statementsCSV(statements, to: out.write)
    case .json: out.write(try IncentiveJSON.statements(statements) + "\n")
    case .table:
      for s in statements where !s.lines.isEmpty {
        let state =
          s.approval.map { " (approved by \($0.approvedBy) at \($0.approvedAt), #\($0.id))" }
          ?? (s.isEstimate ? " (estimate: the period has not ended)" : "")
        out.write("\n\(s.partner) \(s.period)\(state)\n")
        out.write(
          TextTable.render(
            header: ["plan", "line", "basis", "rate", "amount"],
            rows: s.lines.map {
              [
                $0.plan, $0.line, $0.basis?.decimal(places: 4) ?? "", $0.rate?.decimal(places: 6) ?? "",
                Cents.text($0.amount),
              ]
            } + [["total", "", "", "", Cents.text(s.total)]], rightAlignFrom: 2))
      }
      let paying = statements.filter { !$0.lines.isEmpty }
      var byPlan: [String: Int64] = [:]
      for s in paying { for (p, a) in s.totalsByPlan where !p.isEmpty { byPlan[p, default: 0] += a } }
      out.write(
        "\n\(paying.count) statements with a payout; totals by plan: "
          + byPlan.sorted { $0.key < $1.key }.map { "\($0.key) \(Cents.text($0.value))" }.joined(separator: ", ")
          + "\n")
    }
    out.flush()
  }
}

struct MDFCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "mdf",
    abstract: "Market development funds: each partner's fund per period, and the MDF return.",
    discussion: """
      Funds accrue at each period's end (rate × basis), are drawn first-in-first-out by campaigns' \
      mdf_amount (on started_on) and expire unused after the plan's expires_after periods; a claim \
      larger than the balance is reported as unfunded. In csv: \
      plan,partner,period,opening,accrued,claimed,unfunded,expired,closing.
      """)

  static func row(_ r: MDFFundPeriod) -> [String] {
    let amounts: [String] = [r.opening, r.accrued, r.claimed, r.unfunded, r.expired, r.closing].map(Cents.text)
    let ret: String = r.mdfReturn.map { $0.decimal(places: 2) + "×" } ?? "—"
    return [r.plan, r.partner, r.period.description] + amounts + [ret]
  }

  @OptionGroup var range: RangeOptions
  @OptionGroup var options: ProgramOptions

  func run() async throws {
    let context = try await ProgramContext(options, incentives: true)
    let (first, last, partner) = try range.resolve(context)
    let format = range.format
    let ledger = try context.incentives().mdfLedger()
    let rows = ledger.periods.filter { r in
      r.period.firstMonth >= first && r.period.lastMonth <= last && (partner.map { r.partner == $0 } ?? true)
    }
    for c in ledger.conflicts {
      Console.error(
        "warning: \(c.plans.joined(separator: " and ")) both apply to \(c.partner) in \(c.period); only \(c.plans[0]) accrues"
      )
    }
    let out = Console.Output()
    switch format {
    case .csv: IncentiveWriter.mdfCSV(rows, to: out.write)
    case .json: out.write(try IncentiveJSON.funds(rows) + "\n")
    case .table:
      out.write(
        TextTable.render(
          header: [
            "plan", "partner", "period", "opening", "accrued", "claimed", "unfunded", "expired", "closing",
            "MDF return",
          ],
          rows: rows.map(Self.row), rightAlignFrom: 3))
    }
    out.flush()
  }
}

struct StatementsApproveCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "approve",
    abstract: "Approve statements of a period that has ended: they are frozen as they stand now.",
    discussion: """
      Without --partner, every statement of the period with a payout that is not approved yet is \
      approved at once, all or none. With --partner, a statement already approved is refused.
      """)

  @Option(help: ArgumentHelp("The period, e.g. 2025-Q4 (its grain picks the statements).", valueName: "period"))
  var period: String
  @Option(help: ArgumentHelp("Only this partner's statement.", valueName: "id"))
  var partner: String?
  @Option(help: ArgumentHelp("Who approves (recorded).", valueName: "name"))
  var by: String

  @OptionGroup var options: ProgramOptions

  func run() async throws {
    guard let p = Period(period) else {
      throw CLIError("--period '\(period)' is not a period: write 2025-03, 2025-Q1 or 2025")
    }
    guard !by.trimmingCharacters(in: .whitespaces).isEmpty else { throw CLIError("--by names who approves") }
    let context = try await ProgramContext(options, incentives: true)
    guard p.end < context.today else {
      throw CLIError(
        "\(p) has not ended (today is \(context.today)): its statements are estimates and cannot be approved")
    }
    if let partner, !context.engine.partners().contains(where: { $0.id == partner }) {
      throw CLIError("no partner '\(partner)'")
    }
    let statements = try context.incentives().statements(
      from: p.firstMonth, to: p.lastMonth, partners: partner.map { Set([$0]) }, approvals: context.approvals
    ).filter { $0.period == p }
    if let already = statements.first(where: { $0.approval != nil }), partner != nil {
      throw CLIError(ApprovalError.alreadyApproved(partner: already.partner, period: p.description).description)
    }
    let pending = statements.filter { $0.approval == nil && !$0.lines.isEmpty }
    guard !pending.isEmpty else {
      print("Nothing to approve for \(p)\(partner.map { " and \($0)" } ?? ""): no statement with a payout is waiting.")
      return
    }
    let at = ISO8601DateFormatter().string(from: Date())
    let approvals = pending.map {
      StatementApproval(partner: $0.partner, period: p, lines: $0.lines, approvedBy: by, approvedAt: at)
    }
    let ids: [Int64]
    do {
      ids = try await options.db.withStore { store in
        let ids = try await store.approveStatements(approvals)
        try await CLIActor.record(store, "approveStatements", target: p.description, detail: "\(ids.count) by \(by)")
        return ids
      }
    } catch let e as ApprovalError { throw CLIError(e.description + "; nothing was approved") }
    let total = pending.reduce(Int64(0)) { $0 + $1.total }
    print(
      "Approved \(ids.count) statement\(ids.count == 1 ? "" : "s") of \(p) (total \(Cents.text(total))) as \(by): #\(ids.map(String.init).joined(separator: ", #"))."
    )
  }
}

struct StatementsRevokeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "revoke",
    abstract: "Undo a wrong approval, with a reason; it stays on record and the statement is computed again.")

  @Argument(help: "The approval's number (#N in channelkpi statements).")
  var id: Int64
  @Option(help: ArgumentHelp("Who revokes (recorded).", valueName: "name"))
  var by: String
  @Option(help: ArgumentHelp("Why (recorded).", valueName: "text"))
  var reason: String

  @OptionGroup var db: DatabaseOptions

  func run() async throws {
    guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw CLIError("--reason says why") }
    guard !by.trimmingCharacters(in: .whitespaces).isEmpty else { throw CLIError("--by names who revokes") }
    do {
      try await db.withStore {
        try await $0.revokeApproval(id: id, by: by, at: ISO8601DateFormatter().string(from: Date()), reason: reason)
        try await CLIActor.record($0, "revokeApproval", target: "\(id)", detail: reason)
      }
    } catch let e as ApprovalError { throw CLIError(e.description) }
    print("Revoked approval #\(id).")
  }
}

struct StatementsApprovedCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "approved",
    abstract: "Approved statements for finance: partner, period, plan, amount, approved by, at.")

  @Option(help: "Output format: table, csv or json.")
  var format: OutputFormat = .table

  @OptionGroup var db: DatabaseOptions

  func run() async throws {
    let approvals = try await db.withStore { try await $0.statementApprovals() }.filter { !$0.isRevoked }
    let out = Console.Output()
    switch format {
    case .csv: IncentiveWriter.approvedCSV(approvals, to: out.write)
    case .json: out.write(try IncentiveJSON.approvals(approvals) + "\n")
    case .table:
      var rows: [[String]] = []
      for a in approvals {
        var byPlan: [String: Int64] = [:]
        for l in a.lines { byPlan[l.plan] = Cents.sum([byPlan[l.plan] ?? 0, l.amount]) }
        for (plan, amount) in byPlan.sorted(by: { $0.key < $1.key }) {
          rows.append([a.partner, a.period.description, plan, Cents.text(amount), a.approvedBy, a.approvedAt])
        }
      }
      out.write(
        TextTable.render(header: ["partner", "period", "plan", "amount", "approved by", "approved at"], rows: rows))
    }
    out.flush()
  }
}
