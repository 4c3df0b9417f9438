import ArgumentParser
import ChannelKPI
import ChannelKPIStore
import Foundation

/// Options shared by the commands that hold KPIs against the program's definitions.
struct ProgramOptions: ParsableArguments {
  @OptionGroup var db: DatabaseOptions

  @Option(
    help: ArgumentHelp(
      "The day to treat as today, YYYY-MM-DD (default: today, UTC); decides which periods are under way.",
      valueName: "date"))
  var today: String?

  func validate() throws {
    if let today, Day(iso: today) == nil { throw ValidationError("--today '\(today)' is not a date YYYY-MM-DD") }
  }

  var todayDay: Day {
    if let today, let d = Day(iso: today) { return d }
    return Self.utcToday()
  }

  /// Today's date in UTC, from the clock.
  static func utcToday() -> Day { Day(number: Int32((Date().timeIntervalSince1970 / 86_400).rounded(.down))) }
}

/// The engine with every definitions version's KPIs, the evaluator and the reviews, read from
/// the store (which is closed again).
struct ProgramContext {
  let engine: KPIEngine
  let history: ProgramHistory
  let evaluator: ProgramEvaluator
  let reviews: [Review]
  let approvals: [StatementApproval]
  let tierBaseline: [String: String?]
  let tierOverrides: [TierOverride]
  /// The tier evaluations, when the definitions have a ladder.
  let tiers: TierHistory?
  let variantOfVersion: [Int: Int]
  let today: Day
  /// The change-log position of the data read.
  let position: Int64

  /// With `incentives`, the engine also keeps the single facts incentive plans read; `extraColumns`
  /// are kept besides (e.g. the columns facts are split by to explain a change).
  init(
    _ options: ProgramOptions, incentives: Bool = false, extraColumns: [CanonicalTable: [String]] = [:]
  ) async throws {
    let engine: KPIEngine
    let loaded: (ProgramHistory, CompiledCatalog, [Int: Int])
    (engine, loaded, reviews, approvals, tierBaseline, tierOverrides, position) = try await options.db.withStore {
      store in
      let stored = try await store.programVersions()
      let loaded: (ProgramHistory, CompiledCatalog, [Int: Int])
      do { loaded = try ProgramLoader.load(stored) } catch let e as DefinitionFileErrors {
        throw CLIError("the stored definitions no longer compile:\n\(e.description)")
      }
      let columns = (incentives ? KPIEngine.incentiveColumns : [:]).merging(extraColumns) { $0 + $1 }
        .merging(KPIEngine.asOfColumns) { $0 + $1 }.merging(KPIEngine.milestoneColumns) { $0 + $1 }
      // From the database's engine snapshot when no fact changed since it and it keeps these columns.
      let (engine, position) = try await EngineSnapshotFile.load(
        { KPIEngine(catalog: loaded.1, keepsKeys: false, extraColumns: columns) }, from: store)
      return (
        engine, loaded, try await store.reviews(), try await store.statementApprovals(), try await store.tierBaseline(),
        try await store.tierOverrides(), position
      )
    }
    self.engine = engine
    history = loaded.0
    variantOfVersion = loaded.2
    today = options.todayDay
    var evaluator = ProgramEvaluator(
      engine: engine, history: history, variantOfVersion: loaded.2, today: options.todayDay)
    // With a ladder, everything that asks for a partner's tier in a period (targets set for a
    // tier, plans) gets the level it held then.
    if history.versions.contains(where: { $0.definitions.tiers != nil }) {
      let evaluated: TierHistory
      do {
        evaluated = try TierEvaluator(
          engine: engine, history: history, variantOfVersion: loaded.2, today: options.todayDay,
          recordedAttributes: tierBaseline, overrides: tierOverrides
        ).evaluate()
      } catch { throw CLIError(error.message) }
      tiers = evaluated
      evaluator.tierOf = { id, period in evaluated.tier(of: id, during: period) }
    } else {
      tiers = nil
    }
    self.evaluator = evaluator
  }

  /// Every partner's tier evaluations under the program's ladder.
  func tierHistory() throws -> TierHistory {
    if let tiers { return tiers }
    do {
      return try TierEvaluator(
        engine: engine, history: history, variantOfVersion: variantOfVersion, today: today,
        recordedAttributes: tierBaseline, overrides: tierOverrides
      ).evaluate()
    } catch { throw CLIError(error.message) }
  }

  /// Statements and funds, with the tiers they depend on; with `history`, under those definitions.
  func incentives(history other: ProgramHistory? = nil, facts: IncentiveFacts? = nil) throws -> IncentiveCalculator {
    let h = other ?? history
    let tiers: TierHistory
    if other == nil {
      tiers = try tierHistory()
    } else {
      do {
        tiers = try TierEvaluator(
          engine: engine, history: h, variantOfVersion: variantOfVersion, today: today,
          recordedAttributes: tierBaseline, overrides: tierOverrides
        ).evaluate()
      } catch { throw CLIError(error.message) }
    }
    var evaluator = ProgramEvaluator(engine: engine, history: h, variantOfVersion: variantOfVersion, today: today)
    if tiers.ladder != nil { evaluator.tierOf = { id, period in tiers.tier(of: id, during: period) } }
    return IncentiveCalculator(evaluator: evaluator, tiers: tiers, facts: facts ?? engine.incentiveFacts())
  }

  /// The months from `--from` to `--to` (default: the data's first month through today's).
  func months(from: String?, to: String?) throws -> (Month, Month) {
    func parse(_ t: String?, _ name: String) throws -> Period? {
      guard let t else { return nil }
      guard let p = Period(t) else { throw CLIError("\(name) '\(t)' is not a period: write 2025-03, 2025-Q1 or 2025") }
      return p
    }
    let f = try parse(from, "--from")
    let t = try parse(to, "--to")
    // By default, from the start of the data through today's month (or the data's last month
    // when it lies later): evaluations and statements stop at today anyway.
    guard let first = f?.firstMonth ?? engine.activity.map({ Day(number: $0.lowerBound).month }),
      let last = t?.lastMonth ?? engine.coverage.map({ Swift.max(Day(number: $0.upperBound).month, today.month) })
    else { throw CLIError("no data yet: import some first (channelkpi import DIR)") }
    guard first <= last else { throw CLIError("the range is empty: --from \(from ?? "") is after --to \(to ?? "")") }
    return (first, last)
  }

  /// The period a command looks at: the one given, or the quarter holding the last day of data.
  func period(_ text: String?, grain: Grain = .quarter) throws -> Period {
    if let text {
      guard let p = Period(text) else {
        throw CLIError("--period '\(text)' is not a period: write 2025-03, 2025-Q1 or 2025")
      }
      return p
    }
    guard let c = engine.coverage else { throw CLIError("no data yet: import some first (channelkpi import DIR)") }
    return Period(grain: grain, containing: Day(number: c.upperBound).month)
  }
}

/// The range, partner and format options of the commands that list tiers, statements and funds.
struct RangeOptions: ParsableArguments {
  @Option(help: ArgumentHelp("First period (any grain; its first month counts).", valueName: "period"))
  var from: String?
  @Option(help: ArgumentHelp("Last period (any grain; its last month counts).", valueName: "period"))
  var to: String?
  @Option(help: ArgumentHelp("Only this partner.", valueName: "id"))
  var partner: String?
  @Option(help: "Output format: table, csv or json.")
  var format: OutputFormat = .table

  /// The months of the range, and the partner after checking it exists.
  func resolve(_ context: ProgramContext) throws -> (first: Month, last: Month, partner: String?) {
    let (first, last) = try context.months(from: from, to: to)
    if let partner, !context.engine.partners().contains(where: { $0.id == partner }) {
      throw CLIError("no partner '\(partner)'")
    }
    return (first, last, partner)
  }
}
