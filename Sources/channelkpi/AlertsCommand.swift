import ArgumentParser
import ChannelKPI
import ChannelKPIStore
import Foundation

struct AlertsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "alerts",
    abstract: "Alerts of the definitions' alert rules: their states, history and acknowledgements.",
    discussion: """
      Rules live in the definitions' 'alerts:' section. A running server evaluates them after \
      every import, batch of facts and definitions change, and every few minutes for periods that \
      end without new facts; 'channelkpi alerts' evaluates them too before it lists them.

        channelkpi alerts --state firing
        channelkpi alerts ack 12 --by "Dana Reyes" --note "Called the partner; pipeline review Friday"
        channelkpi alerts history 12
      """,
    subcommands: [AlertsListCommand.self, AlertsAckCommand.self, AlertsHistoryCommand.self],
    defaultSubcommand: AlertsListCommand.self)
}

struct AlertsListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "Evaluate the rules now and list the alerts that are or were not ok.")

  @Option(help: "Only alerts in this state: ok, pending, firing or resolved.")
  var state: AlertState?

  @Option(help: "Output format: table, csv or json.")
  var format: OutputFormat = .table

  @Flag(help: "With --today, store the states too (they are then told to webhooks); without it they are only shown.")
  var record = false

  @OptionGroup var options: ProgramOptions

  func run() async throws {
    let ctx = try await ProgramContext(options)
    let rules = ctx.history.latest?.definitions.alerts ?? []
    let checker = AlertEvaluator(evaluator: ctx.evaluator, partners: ctx.engine.partners())
    let (evaluations, skipped) = AlertRun.evaluations(rules, with: checker)
    for (rule, reason) in skipped {
      FileHandle.standardError.write(Data("alert rule \(rule) not evaluated: \(reason)\n".utf8))
    }
    let alerts = try await options.db.withStore { store in
      // Another day is a what-if: its states are shown, not stored (they would be told to
      // webhooks, and a server's next evaluation would undo them), unless asked to.
      if options.today != nil && !record {
        return AlertRun.preview(evaluations, rules: rules, state: state)
      }
      let failed = Set(skipped.map(\.rule))
      let unwatched = AlertRun.unwatched(
        try await store.alerts(), evaluations: evaluations, rules: rules.filter { !failed.contains($0.id) },
        evaluator: checker)
      _ = try await store.recordAlertEvaluations(
        evaluations + unwatched, at: ISO8601DateFormatter().string(from: Date()), position: ctx.position)
      return AlertRun.current(try await store.alerts(), rules: rules, state: state)
    }
    switch format {
    case .json: print(try JSONOutput.encode(alerts))
    case .csv: print(AlertTable.csv(alerts), terminator: "")
    case .table:
      if rules.isEmpty {
        print("No alert rules: add an 'alerts:' section to the definitions (see docs/monitoring.md).")
      } else if alerts.isEmpty {
        print(
          "No alerts\(state.map { " \($0.rawValue)" } ?? ""): \(rules.count) rule\(rules.count == 1 ? "" : "s") evaluated."
        )
      } else {
        print(AlertTable.text(alerts))
      }
    }
  }
}

struct AlertsAckCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ack",
    abstract: "Acknowledge a firing alert with a note; this records a review of its partner and KPI.")

  @Argument(help: "The alert's id (see 'channelkpi alerts').")
  var id: Int64

  @Option(help: ArgumentHelp("Who acknowledges it.", valueName: "name"))
  var by: String

  @Option(help: "What is being done about it.")
  var note: String

  @OptionGroup var options: ProgramOptions

  func validate() throws {
    if by.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--by names who acknowledges it") }
    if note.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--note says what is being done") }
  }

  func run() async throws {
    let review = try await options.db.withStore { store in
      let stored = try await store.programVersions()
      let rules: [AlertRule]
      do { rules = try ProgramLoader.load(stored).0.latest?.definitions.alerts ?? [] } catch {
        throw CLIError("the stored definitions no longer compile")
      }
      do {
        return try await AlertRun.acknowledge(
          id: id, by: by, note: note, rules: rules, store: store, today: options.todayDay,
          at: ISO8601DateFormatter().string(from: Date()))
      } catch let e as AlertError { throw CLIError(e.description) }
    }
    print("Alert \(id) acknowledged; review \(review) recorded.")
  }
}

struct AlertsHistoryCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "history", abstract: "Every change of state of one alert (or of all), oldest first.")

  @Argument(help: "The alert's id (default: every alert).")
  var id: Int64?

  @Option(help: "Output format: table, csv or json.")
  var format: OutputFormat = .table

  @OptionGroup var db: DatabaseOptions

  func run() async throws {
    let events = try await db.withStore { store in
      if let id, try await !store.alerts().contains(where: { $0.id == id }) { throw CLIError("no alert \(id)") }
      return try await store.alertEvents(alert: id)
    }
    switch format {
    case .json: print(try JSONOutput.encode(events))
    case .csv: print(AlertTable.eventsCSV(events), terminator: "")
    case .table:
      print(
        TextTable.render(
          header: ["at", "alert", "rule", "scope", "from", "to", "period", "message"],
          rows: events.map {
            [$0.at, "\($0.alert)", $0.rule, $0.scope, $0.from.rawValue, $0.to.rawValue, $0.period, $0.message]
          }))
    }
  }
}

/// Alerts as text and CSV.
enum AlertTable {
  static func text(_ alerts: [StoredAlert]) -> String {
    TextTable.render(
      header: ["id", "state", "severity", "rule", "scope", "since", "acknowledged", "message"],
      rows: alerts.map {
        [
          "\($0.id)", $0.state.rawValue, $0.severity.rawValue, $0.rule, $0.scope, $0.since,
          $0.acknowledgedBy ?? "", $0.message,
        ]
      })
  }

  static func csv(_ alerts: [StoredAlert]) -> String {
    var out = "id,rule,scope,state,severity,since,period,value,threshold,changed_at,acknowledged_by,note,message\n"
    for a in alerts {
      out +=
        [
          "\(a.id)", CSVText.field(a.rule), CSVText.field(a.scope), a.state.rawValue, a.severity.rawValue, a.since,
          a.period, a.value.map(ValueFormat.machine) ?? "", a.threshold.map(ValueFormat.machine) ?? "",
          CSVText.field(a.changedAt), CSVText.field(a.acknowledgedBy ?? ""), CSVText.field(a.note ?? ""),
          CSVText.field(a.message),
        ].joined(separator: ",") + "\n"
    }
    return out
  }

  static func eventsCSV(_ events: [AlertEvent]) -> String {
    var out = "id,alert,rule,scope,from,to,period,value,threshold,at,message\n"
    for e in events {
      out +=
        [
          "\(e.id)", "\(e.alert)", CSVText.field(e.rule), CSVText.field(e.scope), e.from.rawValue, e.to.rawValue,
          e.period, e.value.map(ValueFormat.machine) ?? "", e.threshold.map(ValueFormat.machine) ?? "",
          CSVText.field(e.at), CSVText.field(e.message),
        ].joined(separator: ",") + "\n"
    }
    return out
  }
}
