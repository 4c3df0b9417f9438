import ArgumentParser
import ChannelKPI
import ChannelKPIStore
import Foundation

struct ExportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write every table of the database as canonical CSV files.",
    discussion: """
      Writes TABLE.csv (with a header) for each of the ten tables into DIR, from one snapshot of \
      the database. `channelkpi import DIR` of the result on an empty database gives the same facts \
      and KPIs. Definitions, reviews and the import log are not part of an export: `channelkpi copy` \
      moves those too.

        channelkpi export backup/
        channelkpi export backup/ --database postgres://kpi@db.internal/kpis
      """)

  @Argument(
    help: ArgumentHelp(
      "The directory to write into (created when missing; must hold no table files).", valueName: "dir"))
  var directory: String

  @OptionGroup var db: DatabaseOptions

  func run() async throws {
    let started = Date()
    let counts = try await db.withStore { store in
      do { return try await StoreTransfer.export(store, to: directory) } catch let e as StoreTransfer.Failure {
        throw CLIError(e.description)
      }
    }
    for t in CanonicalTable.dependencyOrder {
      print(
        "\(t.fileName.padding(toLength: 20, withPad: " ", startingAt: 0)) \(ValueFormat.grouped(Double(counts[t] ?? 0), decimals: 0)) rows"
      )
    }
    let total = counts.values.reduce(0, +)
    print(
      "Exported \(ValueFormat.grouped(Double(total), decimals: 0)) rows to \(directory) in \(ValueFormat.fixed(Date().timeIntervalSince(started), decimals: 1)) s."
    )
  }
}

struct CopyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "copy",
    abstract: "Move a whole program from one database to another (SQLite or PostgreSQL).",
    discussion: """
      Copies the facts, every definitions version, the reviews and the import log into a database \
      that holds nothing yet, keeping version numbers and ids. Facts are checked on the way in and \
      written in one transaction; the row counts of both sides are compared at the end. A path \
      means a SQLite file (created when missing), a postgres:// URL a PostgreSQL database.

        channelkpi copy --from channelkpi.sqlite --to postgres://kpi@db.internal/kpis
        channelkpi copy --from postgres://kpi@db.internal/kpis --to snapshot.sqlite
      """)

  @Option(help: ArgumentHelp("The database to copy from.", valueName: "path-or-url"))
  var from: String

  @Option(help: ArgumentHelp("The database to copy into; it must hold no program.", valueName: "path-or-url"))
  var to: String

  func validate() throws {
    for (name, text) in [("--from", from), ("--to", to)] {
      do { _ = try StoreLocation(text) } catch { throw ValidationError("\(name): \(error.message)") }
    }
    if from == to { throw ValidationError("--from and --to name the same database") }
    if case .sqlite(let path) = try StoreLocation(from), !FileManager.default.fileExists(atPath: path) {
      throw ValidationError("--from \(path) does not exist")
    }
  }

  func run() async throws {
    // A SQLite file this copy creates is removed again when the copy fails.
    var created: String?
    if case .sqlite(let path) = try StoreLocation(to), !FileManager.default.fileExists(atPath: path) { created = path }
    let source = try await open(from)
    let target: any Store
    do { target = try await open(to) } catch {
      try? await source.close()
      throw error
    }
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("channelkpi-copy-\(UUID().uuidString)")
      .path
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    let started = Date()
    let summary: StoreTransfer.CopySummary
    do {
      summary = try await StoreTransfer.copy(from: source, to: target, scratch: scratch)
    } catch {
      try? await source.close()
      try? await target.close()
      if let created { StoreLocation.removeSQLiteFiles(at: created) }
      if let e = error as? StoreTransfer.Failure { throw CLIError(e.description) }
      if let e = error as? StoreError { throw CLIError(e.description) }
      throw error
    }
    try? await source.close()
    try? await target.close()
    let rows = summary.rows.values.reduce(0, +)
    print(
      "Copied \(ValueFormat.grouped(Double(rows), decimals: 0)) rows, \(summary.versions) definitions version\(summary.versions == 1 ? "" : "s"), \(summary.reviews) review\(summary.reviews == 1 ? "" : "s") and \(summary.imports) import record\(summary.imports == 1 ? "" : "s") from \(source) to \(target) in \(ValueFormat.fixed(Date().timeIntervalSince(started), decimals: 1)) s."
    )
  }

  private func open(_ text: String) async throws -> any Store {
    let location: StoreLocation
    do { location = try StoreLocation(text) } catch { throw CLIError(error.message) }
    do { return try await location.open(logger: Console.storeLogger) } catch {
      throw CLIError.cannotOpen(location, error)
    }
  }
}
