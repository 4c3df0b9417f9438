import ArgumentParser
import ChannelKPI
import ChannelKPIServer
import ChannelKPIStore
import Foundation
import Logging

struct WebhooksCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "webhooks",
    abstract: "Endpoints alert changes are posted to, signed, and their delivery log.",
    discussion: """
      Alert rules name webhooks in 'notify:'. When an alert starts firing or resolves, a running \
      server posts a JSON body to each, with X-ChannelKPI-Signature: sha256=HMAC-SHA256(secret, body), \
      and retries failed attempts for about a day (see docs/monitoring.md).

        channelkpi webhooks add channel-ops --url https://hooks.example.com/channelkpi
        channelkpi webhooks test channel-ops --send
        channelkpi webhooks deliveries channel-ops
      """,
    subcommands: [
      WebhooksAddCommand.self, WebhooksListCommand.self, WebhooksRemoveCommand.self, WebhooksTestCommand.self,
      WebhooksDeliveriesCommand.self,
    ])
}

struct WebhooksAddCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add", abstract: "Add a webhook; prints its signing secret once.")

  @Argument(help: "Its name, as alert rules' 'notify:' lists it.")
  var name: String

  @Option(help: ArgumentHelp("Where to post: an http or https address.", valueName: "url"))
  var url: String

  @Option(help: ArgumentHelp("Who adds it, for the record.", valueName: "name"))
  var by = "cli"

  @OptionGroup var db: DatabaseOptions

  func validate() throws {
    if let problem = Webhook.problem(name: name, url: url) { throw ValidationError(problem) }
  }

  func run() async throws {
    let secret = Credentials.randomToken()
    do {
      _ = try await db.withStore { store in
        try await store.addWebhook(
          Webhook(
            name: name, url: url, secret: secret, createdAt: ISO8601DateFormatter().string(from: Date()),
            createdBy: by))
      }
    } catch let e as WebhookError { throw CLIError(e.description) }
    print("Webhook \(name) added. Its signing secret, shown only now:\n\(secret)")
  }
}

struct WebhooksListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the webhooks (never their secrets).")

  @OptionGroup var db: DatabaseOptions

  func run() async throws {
    let hooks = try await db.withStore { try await $0.webhooks() }
    print(
      TextTable.render(
        header: ["name", "url", "added", "by"], rows: hooks.map { [$0.name, $0.url, $0.createdAt, $0.createdBy] }))
  }
}

struct WebhooksRemoveCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a webhook and its log.")

  @Argument(help: "The webhook's name.")
  var name: String

  @OptionGroup var db: DatabaseOptions

  func run() async throws {
    do { try await db.withStore { try await $0.removeWebhook(name: name) } } catch let e as WebhookError {
      throw CLIError(e.description)
    }
    print("Webhook \(name) removed.")
  }
}

struct WebhooksTestCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "test",
    abstract: "Queue a test delivery (a running server sends it); with --send, send it now from here.")

  @Argument(help: "The webhook's name.")
  var name: String

  @Flag(help: "Send it now from here, without waiting for a server.")
  var send = false

  @OptionGroup var db: DatabaseOptions

  func run() async throws {
    let id = try await db.withStore { store in
      do {
        let id = try await store.queueTestDelivery(webhook: name, at: Int64(Date().timeIntervalSince1970))
        if send {
          var logger = Logger(label: "channelkpi-webhooks")
          logger.logLevel = .warning
          let client = WebhookDispatcher.client()
          let dispatcher = WebhookDispatcher(store: store, baseURL: nil, logger: logger)
          _ = try? await dispatcher.deliverDue(client: client, only: id)
          try? await client.shutdown()
        }
        return id
      } catch let e as WebhookError { throw CLIError(e.description) }
    }
    let log = try await db.withStore { try await $0.deliveries(webhook: name, limit: 50) }
    guard send, let d = log.first(where: { $0.id == id }) else {
      print("Test delivery \(id) queued for \(name).")
      return
    }
    let status = d.lastStatus.map { "HTTP \($0)" } ?? (d.lastError ?? "no answer")
    print("Test delivery \(id) to \(name): \(d.state) (\(status)).")
  }
}

struct WebhooksDeliveriesCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "deliveries", abstract: "The delivery log: each notification's attempts and last status.")

  @Argument(help: "Only this webhook's.")
  var name: String?

  @Option(help: "Output format: table, csv or json.")
  var format: OutputFormat = .table

  @OptionGroup var db: DatabaseOptions

  func run() async throws {
    let log = try await db.withStore { try await $0.deliveries(webhook: name, limit: 500) }
    func time(_ t: Int64?) -> String {
      t.map { ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval($0))) } ?? ""
    }
    switch format {
    case .json: print(try JSONOutput.encode(log))
    case .csv:
      print("id,webhook,event,state,attempts,last_status,last_error,first_attempt_at,delivered_at")
      for d in log {
        print(
          [
            "\(d.id)", CSVText.field(d.webhook), d.event.map(String.init) ?? "", d.state, "\(d.attempts)",
            d.lastStatus.map(String.init) ?? "", CSVText.field(d.lastError ?? ""), time(d.firstAttemptAt),
            time(d.deliveredAt),
          ].joined(separator: ","))
      }
    case .table:
      print(
        TextTable.render(
          header: ["id", "webhook", "event", "state", "attempts", "last status", "delivered"],
          rows: log.map {
            [
              "\($0.id)", $0.webhook, $0.event.map { "alert change \($0)" } ?? "test", $0.state, "\($0.attempts)",
              $0.lastStatus.map(String.init) ?? ($0.lastError ?? ""), time($0.deliveredAt),
            ]
          }))
    }
  }
}
