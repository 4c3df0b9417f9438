import ArgumentParser
import ChannelKPI
import ChannelKPIStore
import Foundation

struct StatementsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "statements",
    abstract: "Incentive statements: each partner's payouts per period under the rebate, bonus and spiff plans.",
    discussion: """
      One statement per partner and period of each grain plans pay at; amounts are exact, each line \
      rounded once to cents. A period that has not ended is an estimate. In csv: \
      partner,period,plan,kind,line,basis,rate,amount (one row per line).

        channelkpi statements --from 2025-Q4 --to 2025-Q4
        channelkpi statements --from 2025-01 --to 2025-12 --format csv > statements.csv
      """)

  @Option(help: ArgumentHelp("First period (any grain; its first month counts).", valueName: "period"))
  var from: String?
  @Option(help: ArgumentHelp("Last period (any grain; its last month counts).", valueName: "period"))
  var to: String?
  @Option(help: ArgumentHelp("Only this partner.", valueName: "id"))
  var partner: String?
  @Option(help: "Output format: table or csv.")
  var format: OutputFormat = .table

  @OptionGroup var options: ProgramOptions

  func run() async throws {
    let context = try await ProgramContext(options, incentives: true)
    let (first, last) = try context.months(from: from, to: to)
    if let partner, !context.engine.partners().contains(where: { $0.id == partner }) {
      throw CLIError("no partner '\(partner)'")
    }
    let statements = try context.incentives().statements(
      from: first, to: last, partners: partner.map { Set([$0]) })
    let out = Console.Output()
    switch format {
    case .csv: IncentiveWriter.statementsCSV(statements, to: out.write)
    case .json: throw CLIError("--format json is not available here yet: use csv")
    case .table:
      for s in statements where !s.lines.isEmpty {
        out.write("\n\(s.partner) \(s.period)\(s.isEstimate ? " (estimate: the period has not ended)" : "")\n")
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
      for s in paying { for (p, a) in s.totalsByPlan { byPlan[p, default: 0] += a } }
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

  @Option(help: ArgumentHelp("First period.", valueName: "period"))
  var from: String?
  @Option(help: ArgumentHelp("Last period.", valueName: "period"))
  var to: String?
  @Option(help: ArgumentHelp("Only this partner.", valueName: "id"))
  var partner: String?
  @Option(help: "Output format: table or csv.")
  var format: OutputFormat = .table

  @OptionGroup var options: ProgramOptions

  func run() async throws {
    let context = try await ProgramContext(options, incentives: true)
    let (first, last) = try context.months(from: from, to: to)
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
    case .json: throw CLIError("--format json is not available here yet: use csv")
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
