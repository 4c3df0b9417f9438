import ArgumentParser
import ChannelKPI
import ChannelKPIStore
import Foundation
import Logging

/// Where the program is stored: a SQLite file (the default) or a PostgreSQL database.
struct DatabaseOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "The database: a SQLite file, or postgres://user:password@host:port/database for PostgreSQL (default: $CHANNELKPI_DATABASE, else channelkpi.sqlite in this directory).",
      valueName: "path-or-url"))
  var database: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "PostgreSQL only: the file where this machine keeps the engine snapshot, so that serve and compute start from it instead of reading every fact (default: $CHANNELKPI_SNAPSHOT, else none). A SQLite database keeps its snapshot next to its file.",
      valueName: "path"))
  var snapshot: String?

  /// The snapshot file for a database at `location`: on PostgreSQL from the option or the
  /// environment; a SQLite database keeps its own (the environment, set for a machine's
  /// PostgreSQL instances, does not apply to it, and `validate` refuses the option).
  func snapshot(for location: StoreLocation) -> String? {
    guard case .postgres = location else { return snapshot }
    return snapshot ?? ProcessInfo.processInfo.environment["CHANNELKPI_SNAPSHOT"].flatMap { $0.isEmpty ? nil : $0 }
  }

  /// The database as given, from the option or the environment, else the default file.
  var text: String {
    database ?? ProcessInfo.processInfo.environment["CHANNELKPI_DATABASE"].flatMap { $0.isEmpty ? nil : $0 }
      ?? "channelkpi.sqlite"
  }

  /// Whether the database was chosen (by option or environment) rather than defaulted.
  var isChosen: Bool { text != "channelkpi.sqlite" || database != nil }

  func validate() throws {
    let location: StoreLocation
    do { location = try StoreLocation(text) } catch { throw ValidationError(error.message) }
    if case .sqlite(let path) = location, snapshot != nil {
      throw ValidationError(StoreLocationError.snapshotOfSQLite(path).message)
    }
  }

  var location: StoreLocation {
    get throws {
      do { return try StoreLocation(text) } catch { throw CLIError(error.message) }
    }
  }

  /// Opens the store (creating or migrating its schema).
  func open() async throws -> any Store {
    let location = try location
    SQLiteFileLog.install(Console.storeLogger)
    do { return try await location.open(snapshot: snapshot(for: location), logger: Console.storeLogger) } catch {
      throw CLIError.cannotOpen(location, error)
    }
  }

  /// Opens the store, runs `body` and closes the store, whatever `body` does. A database that is
  /// full, read-only or out of reach is said so, naming it.
  func withStore<T>(_ body: (any Store) async throws -> T) async throws -> T {
    let store = try await open()
    do {
      let r = try await body(store)
      try? await store.close()
      return r
    } catch {
      try? await store.close()
      if error is CLIError { throw error }
      throw StoreError(classifying: error, database: store.description).map { CLIError($0.description) } ?? error
    }
  }
}

/// Extra KPI definitions.
struct CatalogOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "A YAML file of KPI definitions that adds to or overrides the built-in catalog (repeatable).",
      valueName: "file"))
  var catalog: [String] = []

  func compiled() throws -> CompiledCatalog {
    if catalog.isEmpty { return try CatalogCompiler.compile(.builtin) }
    do { return try CatalogFile.compile(paths: catalog) } catch let e as DefinitionFileErrors {
      throw CLIError(e.description)
    }
  }
}

/// A message for the user, printed without a stack of types, with a non-zero exit.
struct CLIError: Error, CustomStringConvertible {
  var description: String
  init(_ d: String) { description = d }

  /// A database that could not be opened: the store's own message names it (without password).
  static func cannotOpen(_ location: StoreLocation, _ error: any Error) -> CLIError {
    if let e = StoreError(classifying: error, database: location.description) { return CLIError(e.description) }
    return CLIError("cannot open the database \(location): \(StoreError.describe(error))")
  }
}

/// Writes to standard error.
enum Console {
  /// The store's log: warnings only, so that commands print their own output alone.
  static var storeLogger: Logger {
    var l = Logger(label: "channelkpi.store") { StreamLogHandler.standardError(label: $0) }
    l.logLevel = .warning
    return l
  }

  static func error(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
  }

  static var isTerminal: Bool { isatty(2) != 0 }

  /// Writes text to standard output through a large buffer.
  final class Output {
    private var buffer: [UInt8] = []
    init() { buffer.reserveCapacity(1 << 16) }
    func write(_ s: String) {
      buffer.append(contentsOf: s.utf8)
      if buffer.count >= 1 << 16 { flush() }
    }
    func flush() {
      guard !buffer.isEmpty else { return }
      FileHandle.standardOutput.write(Data(buffer))
      buffer.removeAll(keepingCapacity: true)
    }
    deinit { flush() }
  }
}
