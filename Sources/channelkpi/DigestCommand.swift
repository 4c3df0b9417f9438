import ArgumentParser
import ChannelKPI
import ChannelKPIStore
import Foundation

struct DigestCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "digest",
    abstract:
      "Each channel manager's daily digest: firing alerts, the day before's changes, partners needing attention.",
    discussion: """
      One digest per manager (the partners' 'manager' attribute) with the alerts firing on their \
      partners, the alert changes of the day before, and their partners at risk or inactive; alerts \
      of types, regions or the network go to the program's digest. Printed as Markdown, written to \
      a directory (one file per manager, digest-DAY-MANAGER.md) or queued for a webhook, which a \
      running server posts signed and retries. A server sends them by itself each day with \
      'serve --digest-dir DIR' or '--digest-webhook NAME'.

        channelkpi digest
        channelkpi digest --manager "Dana Reyes"
        channelkpi digest --out digests --webhook channel-ops
      """)

  @Option(help: ArgumentHelp("Only this manager's digest (or 'program').", valueName: "name"))
  var manager: String?

  @Option(help: ArgumentHelp("Write the digests to this directory.", valueName: "dir"))
  var out: String?

  @Option(help: ArgumentHelp("Queue the digests for this webhook.", valueName: "name"))
  var webhook: String?

  @Option(help: "Output format when printing: table (Markdown) or json.")
  var format: OutputFormat = .table

  @OptionGroup var options: ProgramOptions

  func run() async throws {
    let ctx = try await ProgramContext(options)
    let (alerts, events) = try await options.db.withStore { store in
      (try await store.alerts(), try await store.alertEvents(alert: nil))
    }
    let lifecycles = LifecycleEvaluator(program: ctx.evaluator).lifecycles(
      alerting: StoredAlert.firingPartners(alerts))
    var digests = ManagerDigest.build(
      day: ctx.today, alerts: alerts, events: events, lifecycles: lifecycles, partners: ctx.engine.partners(),
      baseURL: ProcessInfo.processInfo.environment["CHANNELKPI_PUBLIC_URL"])
    if let manager {
      // "program" names the program's digest unless a manager has that name.
      let wanted =
        manager == "program" && !digests.contains { $0.manager == "program" } ? ManagerDigest.program : manager
      digests = digests.filter { $0.manager == wanted }
      if digests.isEmpty {
        let known = Set(ctx.engine.partners().compactMap(\.manager))
        guard known.contains(manager) || manager == ManagerDigest.program else {
          throw CLIError(
            "no partner has the manager '\(manager)'\(Spelling.hint(for: manager, in: known.sorted()))")
        }
      }
    }
    let target = DigestTarget(directory: out, webhook: webhook)
    if target.isSet {
      let sent = try await options.db.withStore { store in
        try await target.deliver(digests, store: store, now: Int64(Date().timeIntervalSince1970))
      }
      print(
        "\(sent.count) digest\(sent.count == 1 ? "" : "s") with something to say"
          + (out.map { ", written to \($0)" } ?? "") + (webhook.map { ", queued for the webhook \($0)" } ?? ""))
      return
    }
    switch format {
    case .json: print(try JSONOutput.encode(digests))
    case .csv: throw CLIError("a digest is Markdown or JSON: --format table or json")
    case .table:
      if digests.allSatisfy(\.isEmpty) { print("Nothing to report for \(ctx.today).") }
      print(digests.filter { !$0.isEmpty }.map(\.text).joined(separator: "\n"), terminator: "")
    }
  }
}
