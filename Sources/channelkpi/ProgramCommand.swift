import ArgumentParser
import ChannelKPI
import ChannelKPIStore
import Foundation

struct ProgramCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "program",
    abstract:
      "Apply and list versions of the program's definitions (objectives, targets, scorecards, KPIs, tiers, incentives).",
    subcommands: [ProgramApplyCommand.self, ProgramVersionsCommand.self])
}

struct ProgramApplyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "apply",
    abstract: "Check a directory of YAML definitions and store it as a new version.",
    discussion: """
      Every *.yaml file of the directory may hold the sections kpis, partner_facts, objectives, \
      kpi_settings, targets, scorecards, hygiene, tiers and incentives. Problems are reported as file:line:column and \
      nothing is stored. A period is evaluated with the version in force on its last day, so past \
      periods keep the definitions they had.
      """)

  @Argument(help: "The directory of definitions, e.g. demo/program.")
  var directory: String

  @Option(
    help: ArgumentHelp(
      "The day the version takes effect: a date (2025-04-01) or a period (2025-Q2, its first day). Default: today.",
      valueName: "when"))
  var effective: String?

  @Option(help: "A note stored with the version.")
  var note = ""

  @Flag(help: "Check the definitions without storing them.")
  var dryRun = false

  @OptionGroup var options: ProgramOptions

  func run() async throws {
    let files: [String: String]
    let defs: ProgramDefinitions
    do {
      files = try ProgramFiles.read(directory: directory)
      // Ladders and plans must name partners, types and regions the data has.
      let known = try await options.db.withStore { try await KnownPartners.read(from: $0) }
      defs = try ProgramFiles.parse(files, directory: directory, known: known)
    } catch let e as DefinitionFileErrors {
      throw CLIError("\(e.description)\nNothing was applied.")
    }
    var summary =
      "\(defs.objectives.count) objectives, \(defs.targets.count) targets, \(defs.scorecards.count) scorecards, \(defs.catalog.kpis.count) KPIs defined"
    if let ladder = defs.tiers { summary += ", a ladder of \(ladder.levels.count) levels" }
    if !defs.incentives.isEmpty { summary += ", \(defs.incentives.count) incentive plans" }
    if !defs.alerts.isEmpty { summary += ", \(defs.alerts.count) alert rule\(defs.alerts.count == 1 ? "" : "s")" }
    // Webhooks live in the store, not in the files: a name no webhook has is said, not refused
    // (the webhook may be added after).
    let hooks = Set(try await options.db.withStore { try await $0.webhooks() }.map(\.name))
    for rule in defs.alerts {
      for name in rule.notify where !hooks.contains(name) {
        FileHandle.standardError.write(
          Data(
            "warning: alert rule \(rule.id) notifies '\(name)', which is no webhook yet (channelkpi webhooks add \(name) --url …)\n"
              .utf8))
      }
    }
    if dryRun {
      print("The definitions in \(directory) are valid: \(summary).")
      return
    }
    let day: Day
    if let effective {
      if let d = Day(iso: effective) {
        day = d
      } else if let p = Period(effective) {
        day = p.start
      } else {
        throw CLIError("--effective '\(effective)' is not a date (2025-04-01) or a period (2025-Q2)")
      }
    } else {
      day = options.todayDay
    }
    let n = try await options.db.withStore { store in
      let at = ISO8601DateFormatter().string(from: Date())
      let n = try await store.addProgramVersion(files: files, effective: day, appliedAt: at, note: note)
      try await store.recordTierBaselineIfNeeded(for: defs, at: at)
      try await CLIActor.record(store, "applyProgram", target: "v\(n)", detail: "effective \(day)")
      return n
    }
    print("Applied the definitions in \(directory) as v\(n), effective \(day): \(summary).")
  }
}

struct ProgramVersionsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "versions", abstract: "List the stored versions.")

  @OptionGroup var db: DatabaseOptions

  func run() async throws {
    let versions = try await db.withStore { try await $0.programVersions() }
    if versions.isEmpty {
      print("No definitions applied yet: channelkpi program apply DIR")
      return
    }
    let rows = versions.map { v in
      [
        "v\(v.number)", v.effective.description, v.appliedAt, v.files.keys.sorted().joined(separator: ", "), v.note,
      ]
    }
    print(
      TextTable.render(header: ["version", "effective", "applied at", "files", "note"], rows: rows), terminator: "")
  }
}
