import ArgumentParser
import ChannelKPI
import ChannelKPIStore
import Foundation

struct ImportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Import canonical CSV files (or directories of them) into the database.",
    discussion: """
      The table of each file is chosen by its name: deals.csv (or deals.2025-03.csv) holds deals. \
      Every row is checked against the canonical format; bad rows are reported as \
      file:line:column: field rule. By default an import with any bad row stores nothing and exits \
      with status 1. Rows are upserted by key, so importing the same files twice leaves the same data.

      With --mapping, the files are exports of another system (a CRM report, say) and the mapping \
      file says how to read them as one canonical table: every PATH is a file of that table, and a \
      directory means all its *.csv files. Problems name the source file, line and column. See \
      docs/mappings.md; mappings/ has examples for Salesforce and HubSpot.
      """)

  @Argument(help: "CSV files or directories holding them.")
  var paths: [String]

  @Option(
    help: ArgumentHelp(
      "A YAML mapping that reads the files as one canonical table (see docs/mappings.md).", valueName: "file"))
  var mapping: String?

  @OptionGroup var db: DatabaseOptions

  @Flag(help: "Store the good rows and write the rejected ones, with reasons, to the --rejects file.")
  var skipInvalid = false

  @Option(help: ArgumentHelp("Where --skip-invalid writes rejected rows.", valueName: "file"))
  var rejects = "rejected.csv"

  @Flag(
    help: "Ignore columns the canonical format does not have instead of rejecting the file (with --mapping, always).")
  var ignoreUnknownColumns = false

  @Option(help: "How many problems to list (all are counted).")
  var maxErrors = 50

  func run() async throws {
    var importMapping: ImportMapping?
    if let mapping {
      do { importMapping = try ImportMapping.load(path: mapping) } catch { throw CLIError(error.description) }
    }
    let files: [ImportFile]
    do {
      if let importMapping {
        files = try CSVImportSource.resolve(paths, mapping: importMapping)
      } else {
        files = try CSVImportSource.resolve(paths)
      }
    } catch { throw CLIError(error.description) }
    try await db.withStore { store in try await run(files: files, mapping: importMapping, into: store) }
  }

  private func run(files: [ImportFile], mapping importMapping: ImportMapping?, into store: any Store) async throws {
    let known = try await store.referencedKeys()
    let options = ImportOptions(
      skipInvalid: skipInvalid, ignoreUnknownColumns: ignoreUnknownColumns, maxProblems: max(1, maxErrors),
      rejectsPath: rejects, soleWriter: true)
    var source = CSVImportSource(files: files, known: known, options: options, mapping: importMapping)
    let bar = ProgressBar("Importing")
    source.progress = { bar.update($0, $1, $2) }
    let started = Date()
    let snapshot = try await ImportSnapshot(for: store) { source.estimatedRows() }
    let write: FactWrite
    do {
      if let snapshot {
        var fed = snapshot.feeding(source)
        write = try await store.upsert(from: &fed)
      } else {
        write = try await store.upsert(from: &source)
      }
    } catch let e as ImportRejected {
      bar.finish()
      Console.error(e.description)
      throw CLIError(
        "Nothing was imported: \(e.problemCount) problem\(e.problemCount == 1 ? "" : "s") in \(source.rowsRejected) row\(source.rowsRejected == 1 ? "" : "s")"
          + (source.rowsRejected > 0 ? ". Fix them, or use --skip-invalid to store the good rows." : "."))
    } catch {
      // The error (a full disk, say) goes on a line of its own.
      bar.finish()
      throw error
    }
    bar.finish()
    let seconds = Date().timeIntervalSince(started)
    let summary = source.summary
    let finishedAt = ISO8601DateFormatter().string(from: Date())
    try await store.recordImport(summary, finishedAt: finishedAt)
    try await CLIActor.record(
      store, "import", target: summary.files.joined(separator: " "), detail: "\(summary.rowsStored) rows stored")
    // With a ladder, partners new to it start from the tier attribute they came with.
    if summary.rowsByTable[CanonicalTable.partners.rawValue] ?? 0 > 0 {
      try await store.recordNewPartnersInTierBaseline(at: finishedAt)
    }
    for t in CanonicalTable.dependencyOrder {
      if let n = summary.rowsByTable[t.rawValue] {
        print(
          "\(t.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0)) \(ValueFormat.grouped(Double(n), decimals: 0)) rows"
        )
      }
    }
    let rate = seconds > 0 ? Double(summary.rowsStored) / seconds : 0
    print(
      "Imported \(ValueFormat.grouped(Double(summary.rowsStored), decimals: 0)) rows into \(store) in \(ValueFormat.fixed(seconds, decimals: 1)) s (\(ValueFormat.grouped(rate, decimals: 0)) rows/s)."
    )
    if source.rowsSkipped > 0, let importMapping {
      print(
        "Skipped \(ValueFormat.grouped(Double(source.rowsSkipped), decimals: 0)) rows without \(importMapping.skipRowsWithout.joined(separator: " or ")), as the mapping asks."
      )
    }
    if summary.rowsRejected > 0 {
      Console.error(source.problems.map(\.description).joined(separator: "\n"))
      print("Rejected \(summary.rowsRejected) rows; they are in \(rejects) with the reasons.")
    }
    if let snapshot {
      let began = Date()
      do {
        if let bytes = try await snapshot.write(store: store, position: write.change) {
          print(
            "Wrote the engine snapshot (\(ValueFormat.grouped(Double(bytes) / 1e6, decimals: 0)) MB) in \(ValueFormat.fixed(Date().timeIntervalSince(began), decimals: 1)) s: serve and compute start from it."
          )
        }
      } catch {
        // The facts are stored; without a snapshot the next start reads them from the database.
        Console.error("The engine snapshot was not written: \(error)")
      }
    }
  }
}
