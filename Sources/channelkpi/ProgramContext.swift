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
    return Day(number: Int32((Date().timeIntervalSince1970 / 86_400).rounded(.down)))
  }
}

/// The engine with every definitions version's KPIs, the evaluator and the reviews, read from
/// the store (which is closed again).
struct ProgramContext {
  let engine: KPIEngine
  let history: ProgramHistory
  let evaluator: ProgramEvaluator
  let reviews: [Review]

  init(_ options: ProgramOptions) async throws {
    let engine: KPIEngine
    let loaded: (ProgramHistory, CompiledCatalog, [Int: Int])
    (engine, loaded, reviews) = try await options.db.withStore { store in
      let stored = try await store.programVersions()
      let loaded: (ProgramHistory, CompiledCatalog, [Int: Int])
      do { loaded = try ProgramLoader.load(stored) } catch let e as DefinitionFileErrors {
        throw CLIError("the stored definitions no longer compile:\n\(e.description)")
      }
      let engine = KPIEngine(catalog: loaded.1, keepsKeys: false)
      _ = try await store.load(into: engine)
      return (engine, loaded, try await store.reviews())
    }
    self.engine = engine
    history = loaded.0
    evaluator = ProgramEvaluator(
      engine: engine, history: history, variantOfVersion: loaded.2, today: options.todayDay)
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
