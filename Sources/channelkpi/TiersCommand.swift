import ArgumentParser
import ChannelKPI
import ChannelKPIServer
import ChannelKPIStore
import Foundation

struct TiersCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tiers",
    abstract: "Tier levels from the program's ladder: now, history, and writing them back to partners.",
    subcommands: [
      TiersShowCommand.self, TiersHistoryCommand.self, TiersApplyCommand.self, TiersOverrideCommand.self,
      TiersOverridesCommand.self,
    ],
    defaultSubcommand: TiersShowCommand.self)
}

struct TiersShowCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show",
    abstract: "Tier levels from the program's ladder: who holds what, who moved and why, the gap to the next level.",
    discussion: """
      The ladder (the tiers: section of the definitions) is evaluated for every partner at the end of \
      every evaluation period that has ended, from its start, on KPIs over the trailing window. Without \
      --partner: the latest evaluation's distribution, movements and partners at risk. With --partner: \
      that partner's history and what it needs for the next level.

        channelkpi tiers
        channelkpi tiers --partner P0007
        channelkpi tiers history --from 2025-Q1 --to 2025-Q4 --format csv
      """)

  @Option(help: ArgumentHelp("One partner's history and gap to the next level.", valueName: "id"))
  var partner: String?

  @OptionGroup var options: ProgramOptions

  func run() async throws {
    let context = try await ProgramContext(options)
    let history = try context.tierHistory()
    guard let ladder = history.ladder else {
      throw CLIError("the definitions have no ladder: add a tiers: section and apply it (docs/tiers-and-incentives.md)")
    }
    let text = TierText(catalog: context.engine.compiled.catalog)
    if let partner {
      try showPartner(partner, history, ladder, context, text)
      return
    }
    guard let last = history.evaluations.map(\.period).max() else {
      print("No evaluation yet: the ladder's first evaluation period has not ended.")
      return
    }
    let rows = history.evaluations.filter { $0.period == last }
    print("Tiers after the evaluation of \(last) (\(rows.count) partners):\n")
    let counts = ladder.levels.reversed().map { level in
      [level.id, String(rows.filter { $0.level == level.id }.count)]
    }
    print(TextTable.render(header: ["level", "partners"], rows: counts, rightAlignFrom: 1), terminator: "")
    let moved = rows.filter { $0.change == .promoted || $0.change == .demoted }
    if !moved.isEmpty {
      print("\nMoved:")
      print(
        TextTable.render(
          header: ["partner", "from", "to", "why"],
          rows: moved.map { [$0.partner, $0.held, $0.level, text.why($0)] }), terminator: "")
    }
    let risk = rows.filter { $0.change == .atRisk }
    if !risk.isEmpty {
      print("\nAt risk (below their level, not yet demoted):")
      print(
        TextTable.render(
          header: ["partner", "level", "qualifies for", "misses", "failing"],
          rows: risk.map {
            [$0.partner, $0.level, $0.qualified, "\($0.misses) of \(ladder.demotionGrace)", text.why($0)]
          }
        ), terminator: "")
    }
  }

  func showPartner(
    _ id: String, _ history: TierHistory, _ ladder: TierLadder, _ context: ProgramContext, _ text: TierText
  ) throws {
    guard context.engine.partners().contains(where: { $0.id == id }) else {
      throw CLIError("no partner '\(id)'")
    }
    guard let initial = history.initial[id], initial != nil || !history.evaluations(of: id).isEmpty else {
      print("Partner \(id) is outside the ladder (applies_to: \(ladder.appliesTo.summary)).")
      return
    }
    let evs = history.evaluations(of: id)
    print("Partner \(id): \(history.tier(of: id, on: context.today) ?? "no level") now.\n")
    if evs.isEmpty {
      print("No evaluation yet.")
    } else {
      print(
        TextTable.render(
          header: ["period", "held", "qualified", "level", "change", "misses", "why"],
          rows: evs.map {
            [
              $0.period.description, $0.held, $0.qualified, $0.level, $0.change.rawValue, String($0.misses),
              text.why($0),
            ]
          }), terminator: "")
    }
    if let gap = history.gap(of: id, today: context.today) {
      print("\nTo reach \(gap.next.id) (over \(evs.last?.window.description ?? "the window")):")
      print(
        TextTable.render(
          header: ["requirement", "value", "gap"],
          rows: gap.standings.map {
            [text.requirement($0.requirement), text.value($0.requirement.kpi, $0.value), text.gap($0)]
          }, rightAlignFrom: 1), terminator: "")
    } else {
      print("\nAt the top level.")
    }
  }
}

struct TiersHistoryCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "history",
    abstract: "Every evaluation of every partner: held, qualified and resulting level, change and misses.",
    discussion: """
      change is promoted, demoted, held or at_risk (below the held level, demotion waiting for the \
      grace); misses counts the evaluations in a row below the held level. In csv: \
      partner,period,held,qualified,level,change,misses.
      """)

  @OptionGroup var range: RangeOptions
  @OptionGroup var options: ProgramOptions

  func run() async throws {
    let context = try await ProgramContext(options)
    let history = try context.tierHistory()
    guard history.ladder != nil else {
      throw CLIError("the definitions have no ladder: add a tiers: section and apply it (docs/tiers-and-incentives.md)")
    }
    let (first, last, partner) = try range.resolve(context)
    let format = range.format
    let rows = history.evaluations.filter { r in
      r.period.firstMonth >= first && r.period.lastMonth <= last && (partner.map { r.partner == $0 } ?? true)
    }
    let out = Console.Output()
    switch format {
    case .csv: IncentiveWriter.tiersCSV(rows, to: out.write)
    case .json: out.write(try IncentiveJSON.tierHistory(rows) + "\n")
    case .table:
      out.write(
        TextTable.render(
          header: ["partner", "period", "held", "qualified", "level", "change", "misses"],
          rows: rows.map {
            [$0.partner, $0.period.description, $0.held, $0.qualified, $0.level, $0.change.rawValue, String($0.misses)]
          }))
    }
    out.flush()
  }
}

struct TiersApplyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "apply",
    abstract: "Write the partners' current levels back as their tier attributes, so rollups by tier follow the ladder.",
    discussion: """
      Each change is recorded with the evaluation that decided it. The ladder's history is not \
      affected: it starts from the tier attributes recorded when the ladder was first applied, and \
      payouts, targets and peer groups use the levels held in each period.
      """)

  @Flag(help: "Show what would change without writing it.")
  var dryRun = false

  @OptionGroup var options: ProgramOptions

  func run() async throws {
    let context = try await ProgramContext(options)
    let history = try context.tierHistory()
    guard history.ladder != nil else {
      throw CLIError("the definitions have no ladder: add a tiers: section and apply it (docs/tiers-and-incentives.md)")
    }
    let at = ISO8601DateFormatter().string(from: Date())
    var changes: [TierApplication] = []
    for p in context.engine.partners() {
      guard let level = history.tier(of: p.id, on: context.today), level != p.tier,
        let last = history.evaluations(of: p.id).last
      else { continue }
      let reason =
        last.override.map { "override by \($0.setBy): \($0.reason)" }
        ?? "\(last.change.rawValue) to \(last.level) at the evaluation of \(last.period)"
      changes.append(
        TierApplication(
          partner: p.id, previous: p.tier, level: level, period: last.period, reason: reason, appliedAt: at))
    }
    if changes.isEmpty {
      print("Every partner's tier attribute already matches its level.")
      return
    }
    print(
      TextTable.render(
        header: ["partner", "tier", "becomes", "why"],
        rows: changes.map { [$0.partner, $0.previous ?? "—", $0.level, $0.reason] }),
      terminator: "")
    if dryRun {
      print("\n\(changes.count) partners would change (dry run: nothing written).")
      return
    }
    let wanted = Dictionary(uniqueKeysWithValues: changes.map { ($0.partner, $0.level) })
    try await options.db.withStore { store in
      // Partners that came after the ladder start from the attribute they have now: record it
      // before it is overwritten, so their history does not change.
      _ = try await store.recordTierBaseline(try await store.partnerTiers(), at: at)
      let records = Locked([FactRecord]())
      try await store.forEachRow(of: [.partners]) { r in
        guard let id = r["partner_id"].string, let level = wanted[id] else { return }
        var values = r.values
        values[CanonicalTable.partners.schema.index["tier"]!] = .string(level)
        records.withLock { $0.append(FactRecord(table: .partners, values: values)) }
      }
      _ = try await store.upsert(records.withLock { $0 })
      try await store.recordTierApplications(changes)
      try await CLIActor.record(store, "applyTiers", detail: "\(changes.count) partners")
    }
    print("\nWrote the tier attribute of \(changes.count) partner\(changes.count == 1 ? "" : "s").")
  }
}

struct TiersOverrideCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "override",
    abstract: "Set a partner's level by decision, for a while: it replaces the evaluated level on those days.",
    discussion: """
      Recorded with who set it and why. Evaluations whose result would take effect inside the \
      override are replaced by it; when it ends, evaluation resumes from the overridden level.

        channelkpi tiers override --partner P0007 --level gold --until 2026-06-30 \\
          --reason "strategic account, onboarding a new practice" --by "Dana Reyes"
      """)

  @Option(help: ArgumentHelp("The partner.", valueName: "id"))
  var partner: String
  @Option(help: ArgumentHelp("The level it holds.", valueName: "level"))
  var level: String
  @Option(help: ArgumentHelp("The first day (default: today).", valueName: "date"))
  var from: String?
  @Option(help: ArgumentHelp("The last day.", valueName: "date"))
  var until: String
  @Option(help: ArgumentHelp("Why (recorded).", valueName: "text"))
  var reason: String
  @Option(help: ArgumentHelp("Who decides (recorded).", valueName: "name"))
  var by: String

  @OptionGroup var options: ProgramOptions

  func run() async throws {
    guard let untilDay = Day(iso: until) else { throw CLIError("--until '\(until)' is not a date YYYY-MM-DD") }
    let fromDay: Day
    if let from {
      guard let d = Day(iso: from) else { throw CLIError("--from '\(from)' is not a date YYYY-MM-DD") }
      fromDay = d
    } else {
      fromDay = options.todayDay
    }
    guard fromDay <= untilDay else { throw CLIError("--until (\(untilDay)) is before --from (\(fromDay))") }
    for (name, v) in [("--reason", reason), ("--by", by)] where v.trimmingCharacters(in: .whitespaces).isEmpty {
      throw CLIError("\(name) must not be empty")
    }
    let context = try await ProgramContext(options)
    guard context.engine.partners().contains(where: { $0.id == partner }) else {
      throw CLIError("no partner '\(partner)'")
    }
    guard let ladder = context.history.latest?.definitions.tiers else {
      throw CLIError("the definitions have no ladder: add a tiers: section and apply it (docs/tiers-and-incentives.md)")
    }
    guard ladder.rank(of: level) != nil else {
      let levels = ladder.levels.map(\.id)
      throw CLIError(
        "'\(level)' is not a level of the ladder (\(levels.joined(separator: ", ")))\(Spelling.hint(for: level, in: levels))"
      )
    }
    let o = TierOverride(
      partner: partner, level: level, reason: reason, from: fromDay, until: untilDay, setBy: by,
      setAt: ISO8601DateFormatter().string(from: Date()))
    try await options.db.withStore { store in
      try await store.addTierOverride(o)
      try await CLIActor.record(store, "overrideTier", target: partner, detail: "\(level): \(reason)")
    }
    print("\(partner) holds \(level) from \(fromDay) to \(untilDay), by decision of \(by).")
  }
}

struct TiersOverridesCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "overrides", abstract: "Every override of a partner's level.")

  @OptionGroup var db: DatabaseOptions

  func run() async throws {
    let list = try await db.withStore { try await $0.tierOverrides() }
    if list.isEmpty {
      print("No overrides.")
      return
    }
    print(
      TextTable.render(
        header: ["partner", "level", "from", "until", "by", "at", "reason"],
        rows: list.map {
          [$0.partner, $0.level, $0.from.description, $0.until.description, $0.setBy, $0.setAt, $0.reason]
        }),
      terminator: "")
  }
}
