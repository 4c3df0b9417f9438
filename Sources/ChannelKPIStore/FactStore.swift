public import ChannelKPI

/// Validated records handed to a store one at a time, inside one transaction.
///
/// `next()` returns nil at the end; throwing from it (e.g. because the import found bad rows)
/// rolls the whole transaction back.
public protocol RecordSource {
  mutating func next() throws -> FactRecord?
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
}

/// Persistence of a program's facts, behind which SQLite and PostgreSQL both stand.
public protocol FactStore: Sendable {
  /// The keys already stored in a table with a single-column key (for reference checks).
  func keys(of table: CanonicalTable) async throws -> Set<String>

  /// Upserts every record the source yields in one transaction; when the source throws, nothing
  /// is stored. Returns the number of records written.
  func upsert(from source: inout some RecordSource) async throws -> Int

  /// Upserts records in one transaction.
  func upsert(_ records: [FactRecord]) async throws -> Int

  /// Loads every stored fact into an engine (without applying it; the engine applies on first read).
  func load(into engine: KPIEngine) async throws

  /// Counts of stored rows per table.
  func counts() async throws -> [CanonicalTable: Int]

  /// Records a finished import.
  func recordImport(_ summary: ImportSummary, finishedAt: String) async throws

  /// Past imports, newest first.
  func imports(limit: Int) async throws -> [ImportRecord]
}

/// Records from an array.
public struct ArrayRecordSource: RecordSource {
  private var iterator: IndexingIterator<[FactRecord]>
  public init(_ records: [FactRecord]) { iterator = records.makeIterator() }
  public mutating func next() throws -> FactRecord? { iterator.next() }
}
