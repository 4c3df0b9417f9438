import ArgumentParser
import ChannelKPI
import ChannelKPIServer
import ChannelKPIStore
import Foundation
import Logging

struct ReportsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reports",
    abstract: "Write each partner's report for a period: one self-contained HTML file per partner, ready to send.",
    discussion: """
      The same report a partner prints from its portal: its scorecard against targets with what to \
      do next, trends, tier and what the next level needs, statements and MDF fund. Nothing of any \
      other partner is in it.

        channelkpi reports --period 2025-Q4 --out reports/2025-Q4
      """)

  @Option(help: ArgumentHelp("The period, e.g. 2025-Q4.", valueName: "period")) var period: String
  @Option(help: ArgumentHelp("The directory to write into (made if missing).", valueName: "dir")) var out: String
  @Option(help: ArgumentHelp("Only this partner (repeatable).", valueName: "id")) var partner: [String] = []
  @Option(help: ArgumentHelp("The reporting currency (default: $CHANNELKPI_CURRENCY, else USD).", valueName: "code"))
  var currency: String?
  @Option(help: ArgumentHelp("The day to treat as today, YYYY-MM-DD.", valueName: "date")) var today: String?
  @OptionGroup var db: DatabaseOptions

  func validate() throws {
    guard Period(period) != nil else {
      throw ValidationError("--period '\(period)' is not a period: 2025-03, 2025-Q1 or 2025")
    }
    if let today, Day(iso: today) == nil { throw ValidationError("--today '\(today)' is not a date YYYY-MM-DD") }
  }

  func run() async throws {
    guard let p = Period(period) else { return }
    let code = currency ?? ProcessInfo.processInfo.environment["CHANNELKPI_CURRENCY"] ?? "USD"
    guard let money = Currency(code: code) else {
      throw CLIError("'\(code)' is not a currency code such as USD or EUR")
    }
    let day = today.flatMap { Day(iso: $0) } ?? ProgramOptions.utcToday()
    try await db.withStore { store in
      var logger = Logger(label: "channelkpi.reports")
      logger.logLevel = .warning
      let service = try await KPIService(store: store, today: { day }, logger: logger, metrics: nil)
      let known = Set(service.partners().map(\.id))
      for id in partner where !known.contains(id) { throw CLIError("no partner '\(id)'") }
      let files = try await PartnerReports.write(
        service: service, period: p, partners: partner.isEmpty ? nil : partner, currency: money, to: out)
      print("Wrote \(files.count) report\(files.count == 1 ? "" : "s") for \(p) to \(out)")
    }
  }
}
