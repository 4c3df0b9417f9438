public import ChannelKPI

/// Validated records handed to a store one at a time, inside one transaction.
///
/// `next()` returns nil at the end; throwing from it (e.g. because the import found bad rows)
/// rolls the whole transaction back.
public protocol RecordSource: SendableMetatype {
  mutating func next() throws -> FactRecord?
  /// Whether the store should read this source on a thread of its own, ahead of its writes (a
  /// big file is parsed and validated on one core while the other writes). Small batches are
  /// not worth a thread.
  var readsAhead: Bool { get }
  /// Whether the process opened the database for this write alone (`channelkpi import`): a first
  /// import into a database with no facts may then leave the write-ahead log for a rollback
  /// journal. Never in a server, whose own readers share the file.
  var soleWriter: Bool { get }
}

extension RecordSource {
  public var readsAhead: Bool { false }
  public var soleWriter: Bool { false }
}

/// What one import stored.
public struct ImportSummary: Sendable, Hashable, Codable {
  public var files: [String]
  public var rowsRead: Int
  public var rowsStored: Int
  public var rowsRejected: Int
  public var rowsByTable: [String: Int]

  public init(
    files: [String] = [], rowsRead: Int = 0, rowsStored: Int = 0, rowsRejected: Int = 0,
    rowsByTable: [String: Int] = [:]
  ) {
    self.files = files
    self.rowsRead = rowsRead
    self.rowsStored = rowsStored
    self.rowsRejected = rowsRejected
    self.rowsByTable = rowsByTable
  }
}

/// One past import, as recorded in the store.
public struct ImportRecord: Sendable, Hashable, Codable {
  public var id: Int64
  /// ISO 8601 instant the import finished.
  public var finishedAt: String
  public var summary: ImportSummary

  public init(id: Int64, finishedAt: String, summary: ImportSummary) {
    self.id = id
    self.finishedAt = finishedAt
    self.summary = summary
  }
}

/// What one committed write of facts did.
public struct FactWrite: Sendable, Hashable {
  /// Records written (a record upserted twice in one batch counts twice).
  public var rows: Int
  /// The position of the write in the store's change log.
  public var change: Int64

  public init(rows: Int, change: Int64) {
    self.rows = rows
    self.change = change
  }
}

/// Persistence of a program's facts.
///
/// Methods that take a non-`Sendable` argument (a record source, an engine, a row callback) run
/// in the caller's isolation; the store moves the database work off it and the caller waits.
public protocol FactStore: Sendable {
  /// The keys already stored in a table with a single-column key (for reference checks).
  func keys(of table: CanonicalTable) async throws -> Set<String>

  /// Upserts every record the source yields in one transaction and logs the change; when the
  /// source throws, nothing is stored. Durable when it returns.
  nonisolated(nonsending) func upsert(from source: inout some RecordSource) async throws -> FactWrite

  /// Loads every stored fact into an engine (without applying it; the engine applies on first
  /// read). Returns the change-log position the loaded facts reflect, read in the same snapshot.
  nonisolated(nonsending) func load(into engine: KPIEngine) async throws -> Int64

  /// Counts of stored rows per table.
  func counts() async throws -> [CanonicalTable: Int]

  /// Whether any fact table holds a row: what "an empty store" means to an import, a snapshot
  /// and the benchmark. Cheaper than `counts()`, which reads every row.
  func hasFacts() async throws -> Bool

  /// The stored rows of a table with the given keys (each key's values in key column order, as
  /// `FactRecord.key` gives them), in the order asked. A key that names no row gives none.
  func rows(_ table: CanonicalTable, keys: [[FieldValue]]) async throws -> [FactRecord]

  /// Calls `body` with every stored row of the tables, table after table, each in key order,
  /// all from one snapshot (rows written meanwhile are not seen).
  nonisolated(nonsending) func forEachRow(
    of tables: [CanonicalTable], _ body: @escaping (FactRecord) throws -> Void
  ) async throws

  /// Records a finished import.
  func recordImport(_ summary: ImportSummary, finishedAt: String) async throws

  /// Past imports, newest first.
  func imports(limit: Int) async throws -> [ImportRecord]
}

extension FactStore {
  /// Upserts records in one transaction.
  public func upsert(_ records: [FactRecord]) async throws -> FactWrite {
    var source = ArrayRecordSource(records)
    return try await upsert(from: &source)
  }

  /// The keys referenced tables hold now, for validating new rows (partners and campaigns).
  public func referencedKeys() async throws -> [CanonicalTable: Set<String>] {
    [.partners: try await keys(of: .partners), .campaigns: try await keys(of: .campaigns)]
  }
}

/// Records from an array.
public struct ArrayRecordSource: RecordSource {
  private var iterator: IndexingIterator<[FactRecord]>
  public init(_ records: [FactRecord]) { iterator = records.makeIterator() }
  public mutating func next() throws -> FactRecord? { iterator.next() }
}

extension CanonicalTable {
  /// The query behind `hasFacts`, one row of one column (true when some fact table holds a row),
  /// with each table's name written as the store's dialect quotes it.
  static func anyFactSQL(quoted: (CanonicalTable) -> String) -> String {
    "SELECT EXISTS (" + allCases.map { "SELECT 1 FROM \(quoted($0))" }.joined(separator: " UNION ALL ") + ")"
  }
}
