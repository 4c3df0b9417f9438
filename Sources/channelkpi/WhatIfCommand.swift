import ArgumentParser
import ChannelKPI
import ChannelKPIServer
import ChannelKPIStore
import Foundation

struct WhatIfCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "whatif",
    abstract: "Run draft definitions (a stricter ladder, new plans) over history without storing them.",
    discussion: """
      The draft's sections (tiers, incentives, targets, …) replace the same sections of each \
      period's definitions; the others stay as they are. For each evaluated period: how many \
      partners hold each level under the current rules and under the draft, which partners would \
      move and the requirement that moves them; for each period and plan: the payout under each, \
      the difference, and what approved statements hold.

        channelkpi whatif drafts/stricter-ladder --from 2025-Q1 --to 2025-Q4
      """)

  @Argument(help: "A directory of draft YAML files (not applied).")
  var directory: String
  @Option(help: ArgumentHelp("First period.", valueName: "period"))
  var from: String?
  @Option(help: ArgumentHelp("Last period.", valueName: "period"))
  var to: String?
  @Option(help: "Output format: table, csv (the payouts: period,plan,current,draft,difference,approved) or json.")
  var format: OutputFormat = .table

  @OptionGroup var options: ProgramOptions

  func run() async throws {
    let context = try await ProgramContext(options, incentives: true)
    let files: [String: String]
    let draft: ProgramDefinitions
    do {
      files = try ProgramFiles.read(directory: directory)
      let known = try await options.db.withStore { try await KnownPartners.read(from: $0) }
      // The draft may name the KPIs the applied definitions add.
      let base = Catalog.builtin.merging(context.history.latest?.definitions.catalog ?? Catalog())
      draft = try ProgramFiles.parse(files, base: base, directory: directory, known: known)
    } catch let e as DefinitionFileErrors { throw CLIError(e.description) }
    let sections = ProgramFiles.sections(files)
    let unsupported = sections.subtracting(WhatIf.replaceable)
    guard unsupported.isEmpty else {
      throw CLIError(
        "a draft replaces \(WhatIf.replaceable.sorted().joined(separator: ", ")); \(unsupported.sorted().joined(separator: ", ")) must be applied (channelkpi program apply)"
      )
    }
    let (first, last) = try context.months(from: from, to: to)
    let facts = context.engine.incentiveFacts()
    let current = try context.incentives(facts: facts)
    let drafted = try context.incentives(
      history: WhatIf.draftHistory(context.history, draft: draft, sections: sections), facts: facts)
    let result = try WhatIf.compare(
      current: current, draft: drafted, from: first, to: last, approvals: context.approvals)
    let out = Console.Output()
    switch format {
    case .csv: WhatIfWriter.payoutsCSV(result, to: out.write)
    case .json: out.write(try IncentiveJSON.whatIf(result) + "\n")
    case .table: WhatIfWriter.table(result, sections: sections, to: out.write)
    }
    out.flush()
  }
}
