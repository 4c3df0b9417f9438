public import ChannelKPI
import Foundation

/// How an import treats bad input.
public struct ImportOptions: Sendable {
  /// Store the good rows and write the rejected ones (with reasons) to `rejectsPath`.
  public var skipInvalid = false
  /// Accept columns the canonical format does not have (and ignore them).
  public var ignoreUnknownColumns = false
  /// How many problems to keep in detail (all are counted).
  public var maxProblems = 100
  /// Where rejected rows go with `skipInvalid`.
  public var rejectsPath = "rejected.csv"
  /// The process opened the database for this import alone (see `RecordSource.soleWriter`).
  public var soleWriter = false

  public init(
    skipInvalid: Bool = false, ignoreUnknownColumns: Bool = false, maxProblems: Int = 100,
    rejectsPath: String = "rejected.csv", soleWriter: Bool = false
  ) {
    self.skipInvalid = skipInvalid
    self.ignoreUnknownColumns = ignoreUnknownColumns
    self.maxProblems = maxProblems
    self.rejectsPath = rejectsPath
    self.soleWriter = soleWriter
  }
}

/// One problem found in an input file: where (file, line, field position and name) and why.
public struct ImportProblem: Sendable, Hashable, CustomStringConvertible {
  public var file: String
  public var line: Int
  /// 1-based position of the field in the row, when the problem is in one field.
  public var column: Int?
  public var field: String?
  public var message: String

  public var description: String {
    // Line 0 is the file as a whole (missing, unreadable, badly named): no place to point at.
    var s = file
    if line > 0 { s += ":\(line)" }
    if line > 0, let column { s += ":\(column)" }
    s += ": "
    if let field { s += "\(field) " }
    return s + message
  }
}

/// The import found bad input and stored nothing.
public struct ImportRejected: Error, Sendable, CustomStringConvertible {
  public var problems: [ImportProblem]
  public var problemCount: Int
  public var description: String {
    var lines = problems.map(\.description)
    if problemCount > problems.count { lines.append("… and \(problemCount - problems.count) more problems") }
    return lines.joined(separator: "\n")
  }
}

/// A file chosen for import and the table it holds.
public struct ImportFile: Sendable, Hashable {
  public var path: String
  public var table: CanonicalTable

  public init(path: String, table: CanonicalTable) {
    self.path = path
    self.table = table
  }
}

/// Canonical CSV files, or foreign exports read through an ``ImportMapping``, turned into validated
/// records, streamed one at a time.
///
/// Used by one thread at a time; the state touched for every row skips Swift's run-time
/// exclusivity checks (`@exclusivity(unchecked)`), as `CSVReader`'s does.
public final class CSVImportSource: RecordSource {
  public let files: [ImportFile]
  /// The mapping every file is read through, when the files are not canonical.
  public let mapping: ImportMapping?
  let options: ImportOptions
  @exclusivity(unchecked) var known: [CanonicalTable: Set<String>]
  public private(set) var problems: [ImportProblem] = []
  public private(set) var problemCount = 0
  @exclusivity(unchecked) public private(set) var rowsRead = 0
  @exclusivity(unchecked) public private(set) var rowsAccepted = 0
  public private(set) var rowsRejected = 0
  /// Rows a mapping's `skip_rows_without` left out (neither stored nor rejected).
  public private(set) var rowsSkipped = 0
  /// Rows stored per table (by table name; only tables with rows).
  public var rowsByTable: [String: Int] {
    Dictionary(
      uniqueKeysWithValues: CanonicalTable.allCases.compactMap { t in
        storedByTable[t.ordinal] > 0 ? (t.rawValue, storedByTable[t.ordinal]) : nil
      })
  }
  /// Rows stored per table, by ordinal (counted per row, so not hashed by name).
  @exclusivity(unchecked) private var storedByTable = [Int](repeating: 0, count: CanonicalTable.allCases.count)
  /// The texts of the row being checked, in schema order (kept from row to row).
  @exclusivity(unchecked) private var texts: [String?] = []
  /// Called with (bytes read, total bytes, rows read) as the import goes.
  public var progress: ((Int, Int, Int) -> Void)?

  @exclusivity(unchecked) private var fileIndex = -1
  @exclusivity(unchecked) private var reader: CSVReader?
  /// The canonical column of each header field (canonical files).
  @exclusivity(unchecked) private var columnOfField: [Int?] = []
  /// The header field of each canonical column, -1 for none (canonical files).
  @exclusivity(unchecked) private var fieldOfColumn: [Int] = []
  /// Per column, the last value found among the keys it references (rows of one partner come
  /// together, so most rows name the partner the row before named).
  @exclusivity(unchecked) private var lastReference: [String?] = []
  /// The mapping bound to the current file's header (mapped files).
  @exclusivity(unchecked) private var binding: ImportMapping.Binding?
  @exclusivity(unchecked) private var headerCount = 0
  private var displayName = ""
  @exclusivity(unchecked) private var bytesBefore = 0
  private let totalBytes: Int
  private var rejects: CSVWriter?

  /// - Parameters:
  ///   - known: keys already stored, per referenced table (partners, campaigns).
  ///   - mapping: read every file as an export of the mapping's table, through the mapping
  ///     (whatever table the files were resolved as); nil for canonical files.
  public init(
    files: [ImportFile], known: [CanonicalTable: Set<String>], options: ImportOptions, mapping: ImportMapping? = nil
  ) {
    let files = mapping.map { m in files.map { ImportFile(path: $0.path, table: m.table) } } ?? files
    self.files = files.sorted {
      CanonicalTable.dependencyOrder.firstIndex(of: $0.table)! < CanonicalTable.dependencyOrder.firstIndex(
        of: $1.table)!
    }
    self.mapping = mapping
    self.known = known
    self.options = options
    totalBytes = files.reduce(0) { $0 + CSVReader.size(of: $1.path) }
  }

  /// The files to import for paths given by a user: files, or directories of `TABLE.csv` files.
  public static func resolve(_ paths: [String]) throws(ImportRejected) -> [ImportFile] {
    try resolve(paths) { table(forFile: $0) }
  }

  /// The files to import through a mapping: files of any name, or every `*.csv` file of a directory.
  public static func resolve(_ paths: [String], mapping: ImportMapping) throws(ImportRejected) -> [ImportFile] {
    try resolve(paths) { _ in mapping.table }
  }

  /// Files as given, and the `*.csv` files of directories, each with the table `tableOf` names
  /// for its file name (nil: not a table file).
  private static func resolve(_ paths: [String], tableOf: (String) -> CanonicalTable?) throws(ImportRejected)
    -> [ImportFile]
  {
    var out: [ImportFile] = []
    var problems: [ImportProblem] = []
    let fm = FileManager.default
    func add(_ path: String) {
      if let t = tableOf((path as NSString).lastPathComponent) {
        out.append(ImportFile(path: path, table: t))
      } else {
        problems.append(unknownTable(path))
      }
    }
    for p in paths {
      var isDir: ObjCBool = false
      guard fm.fileExists(atPath: p, isDirectory: &isDir) else {
        problems.append(ImportProblem(file: p, line: 0, message: "does not exist"))
        continue
      }
      guard isDir.boolValue else {
        add(p)
        continue
      }
      let names = ((try? fm.contentsOfDirectory(atPath: p)) ?? []).filter { $0.lowercased().hasSuffix(".csv") }
        .sorted()
      if names.isEmpty { problems.append(ImportProblem(file: p, line: 0, message: "holds no .csv files")) }
      for n in names { add((p as NSString).appendingPathComponent(n)) }
    }
    if !problems.isEmpty { throw ImportRejected(problems: problems, problemCount: problems.count) }
    return out
  }

  private static func unknownTable(_ path: String) -> ImportProblem {
    ImportProblem(
      file: path, line: 0,
      message:
        "is not a canonical table file: name it TABLE.csv (or TABLE.anything.csv) with TABLE one of \(CanonicalTable.allCases.map(\.rawValue).joined(separator: ", "))"
    )
  }

  /// `deals.csv` and `deals.2025-01.csv` hold deals.
  public static func table(forFile name: String) -> CanonicalTable? {
    let lower = name.lowercased()
    guard lower.hasSuffix(".csv") else { return nil }
    let base = String(lower.dropLast(4))
    let first = base.split(separator: ".", maxSplits: 1).first.map(String.init) ?? base
    return CanonicalTable(rawValue: first)
  }

  private func problem(_ line: Int, _ column: Int?, _ field: String?, _ message: String) {
    problemCount += 1
    if problems.count < options.maxProblems {
      problems.append(ImportProblem(file: displayName, line: line, column: column, field: field, message: message))
    }
  }

  /// Done with the current file: its bytes count as read (for progress).
  private func closeReader() {
    if let r = reader { bytesBefore += r.bytesRead }
    reader = nil
  }

  private func openNext() throws -> Bool {
    closeReader()
    fileIndex += 1
    guard fileIndex < files.count else { return false }
    let f = files[fileIndex]
    displayName = f.path
    let r: CSVReader
    do { r = try CSVReader(path: f.path) } catch {
      problem(0, nil, nil, error.message)
      throw ImportRejected(problems: problems, problemCount: problemCount)
    }
    r.capturesRaw = options.skipInvalid
    reader = r
    let schema = f.table.schema
    let first: (fields: [String], startLine: Int)?
    do { first = try r.next() } catch {
      problem(
        error.line, error.field, nil, error.field == nil ? error.message : "field \(error.field!) \(error.message)")
      throw ImportRejected(problems: problems, problemCount: problemCount)
    }
    guard let header = first?.fields else {
      let expected = mapping?.sourceColumns.map { "\"\($0)\"" } ?? schema.columns.map(\.name)
      problem(1, nil, nil, "is empty: expected a header line with the columns \(expected.joined(separator: ", "))")
      throw ImportRejected(problems: problems, problemCount: problemCount)
    }
    headerCount = header.count
    binding = nil
    if let mapping {
      // Columns the mapping does not read are ignored: exports carry many.
      do { binding = try mapping.bind(header: header) } catch {
        for i in error.issues { problem(1, i.column, i.field, i.message) }
        throw ImportRejected(problems: problems, problemCount: problemCount)
      }
      return true
    }
    var headerOK = true
    columnOfField = []
    var seen: [String: Int] = [:]
    for (i, raw) in header.enumerated() {
      let name = raw.trimmingCharacters(in: .whitespaces)
      if let first = seen[name] {
        problem(1, i + 1, name, "appears twice in the header (also field \(first + 1))")
        headerOK = false
      }
      seen[name] = i
      if let c = schema.index[name] {
        columnOfField.append(c)
      } else {
        columnOfField.append(nil)
        if !options.ignoreUnknownColumns {
          problem(
            1, i + 1, name,
            "is not a column of \(f.table.rawValue) (its columns are \(schema.columns.map(\.name).joined(separator: ", "))); use --ignore-unknown-columns to skip such columns"
          )
          headerOK = false
        }
      }
    }
    for c in schema.columns where c.required && seen[c.name] == nil {
      problem(1, nil, c.name, "is a required column of \(f.table.rawValue) but the header does not have it")
      headerOK = false
    }
    // A bad header makes every row unreadable: stop, whatever --skip-invalid says.
    if !headerOK { throw ImportRejected(problems: problems, problemCount: problemCount) }
    fieldOfColumn = schema.columns.indices.map { c in columnOfField.firstIndex(of: c) ?? -1 }
    lastReference = Array(repeating: nil, count: schema.columns.count)
    return true
  }

  public func next() throws -> FactRecord? {
    while true {
      if reader == nil {
        guard try openNext() else { return try finish() }
      }
      guard let r = reader else { continue }
      let table = files[fileIndex].table
      let schema = table.schema
      let start: Int?
      do { start = try r.nextRecord() } catch { throw syntaxProblem(error, schema) }
      guard let line = start else {
        closeReader()
        continue
      }
      if r.fieldCount == 1 && r.ends[0] == 0 && headerCount > 1 {  // blank line
        if binding?.mapping.endsAtBlankLine == true { closeReader() }
        continue
      }
      rowsRead += 1
      if rowsRead % 4096 == 0 { progress?(bytesBefore + r.bytesRead, totalBytes, rowsRead) }
      guard r.fieldCount == headerCount else {
        reject(line, r, [(nil, nil, "has \(r.fieldCount) fields but the header has \(headerCount)")])
        continue
      }
      let result: RowOutcome
      // Compared first: a canonical file (no mapping) then binds nothing.
      if binding != nil, let binding {
        let mapped = binding.map(r.fields)
        if mapped.skipped {
          rowsSkipped += 1
          continue
        }
        result = mappedRecord(mapped, binding)
      } else if let rec = quickRecord(r, table) {
        result = .record(rec)
      } else {
        result = canonicalRecord(r.fields, table)
      }
      switch result {
      case .problems(let errors):
        reject(line, r, errors)
      case .record(let rec):
        if table == .partners || table == .campaigns, let k = rec.values[0].string {
          known[table, default: []].insert(k)
        }
        rowsAccepted += 1
        storedByTable[table.ordinal] += 1
        return rec
      }
    }
  }

  /// The import stops at a problem with the file's structure: where it is, and the rejection.
  private func syntaxProblem(_ error: CSVReader.SyntaxError, _ schema: TableSchema) -> ImportRejected {
    let name = error.field.flatMap {
      $0 - 1 < columnOfField.count ? columnOfField[$0 - 1].map { schema.columns[$0].name } : nil
    }
    problem(
      error.line, error.field, name,
      name == nil && error.field != nil ? "field \(error.field!) \(error.message)" : error.message)
    return ImportRejected(problems: problems, problemCount: problemCount)
  }

  /// The record of a canonical row taken straight from the reader's bytes when it breaks no rule
  /// and names only known partners and campaigns; nil sends it to `canonicalRecord`, which
  /// decides again and says why.
  private func quickRecord(_ r: CSVReader, _ table: CanonicalTable) -> FactRecord? {
    let record = r.bytes.withUnsafeBufferPointer { bytes in
      r.ends.withUnsafeBufferPointer { ends in
        RecordValidator.quickRecord(
          table, .init(bytes: bytes, ends: ends, isASCII: r.isASCII), fieldOf: fieldOfColumn)
      }
    }
    guard let record else { return nil }
    for (i, _, target) in Self.references[table.ordinal] {
      guard let v = record.values[i].string else { continue }
      if lastReference[i] == v { continue }
      guard known[target]?.contains(v) == true else { return nil }
      lastReference[i] = v
    }
    return record
  }

  /// A row's record, or its problems as (field position, field, rule).
  private enum RowOutcome {
    case record(FactRecord)
    case problems([(Int?, String?, String)])
  }

  /// A canonical row's record, or its problems as (field position, field, rule).
  private func canonicalRecord(_ fields: [String], _ table: CanonicalTable) -> RowOutcome {
    // The buffer is taken out of the object while it is filled, so that writing its elements
    // needs no exclusivity check each.
    var texts = self.texts
    self.texts = []
    defer { self.texts = texts }
    let width = table.schema.columns.count
    if texts.count != width {
      texts = Array(repeating: nil, count: width)
    } else {
      for i in 0..<width { texts[i] = nil }
    }
    let columnOfField = self.columnOfField
    for (i, f) in fields.enumerated() where !f.isEmpty {
      if let c = columnOfField[i] { texts[c] = f }
    }
    // References are checked on the texts, so a row with other problems reports these too.
    let refErrors = referenceErrors(table, texts)
    let result = RecordValidator.validate(table, texts: texts)
    if case .success(let rec) = result, refErrors.isEmpty { return .record(rec) }
    // The field position of each column, worked out only for rows with problems.
    let schema = table.schema
    func placed(_ e: FieldError) -> (Int?, String?, String) {
      let position = schema.index[e.column].flatMap { c in columnOfField.firstIndex(of: c).map { $0 + 1 } }
      return (position, e.column, e.message)
    }
    if case .failure(let errs) = result { return .problems((errs.errors + refErrors).map(placed)) }
    return .problems(refErrors.map(placed))
  }

  /// A mapped row's record, or its problems placed at the source columns they came from.
  private func mappedRecord(_ row: MappedRow, _ binding: ImportMapping.Binding) -> RowOutcome {
    let refErrors = referenceErrors(row.table, row.texts).map { binding.issue(for: $0, in: row) }
    switch binding.validate(row) {
    case .failure(let errs):
      return .problems((errs.issues + refErrors).map { ($0.column, $0.field, $0.message) })
    case .success(let rec):
      return refErrors.isEmpty ? .record(rec) : .problems(refErrors.map { ($0.column, $0.field, $0.message) })
    }
  }

  /// Partners and campaigns a row names that are neither stored nor earlier in this import.
  private func referenceErrors(_ table: CanonicalTable, _ texts: [String?]) -> [FieldError] {
    var out: [FieldError] = []
    for (i, name, target) in Self.references[table.ordinal] {
      guard let v = texts[i] else { continue }
      if known[target]?.contains(v) != true {
        out.append(
          FieldError(
            column: name,
            message:
              "'\(v)' names no \(target == .partners ? "partner" : "campaign") (not stored and not in this import)"))
      }
    }
    return out
  }

  /// Per table (by ordinal), its checked reference columns: position, name and the table named.
  private static let references: [[(Int, String, CanonicalTable)]] = CanonicalTable.allCases.map { t in
    t.schema.columns.enumerated().compactMap { i, c in c.references.map { (i, c.name, $0) } }
  }

  private func reject(_ line: Int, _ reader: CSVReader, _ errors: [(Int?, String?, String)]) {
    rowsRejected += 1
    for e in errors { problem(line, e.0, e.1, e.2) }
    guard options.skipInvalid else { return }
    if rejects == nil {
      rejects = try? CSVWriter(path: options.rejectsPath)
      rejects?.write(["file", "line", "problems", "record"])
    }
    let reasons = errors.map { e in (e.1.map { "\($0) " } ?? "") + e.2 }.joined(separator: "; ")
    rejects?.write([displayName, String(line), reasons, String(decoding: reader.rawRecord, as: UTF8.self)])
  }

  private func finish() throws -> FactRecord? {
    progress?(totalBytes, totalBytes, rowsRead)
    rejects?.flush()
    if problemCount > 0 && !options.skipInvalid {
      throw ImportRejected(problems: problems, problemCount: problemCount)
    }
    return nil
  }

  /// Files are read and validated ahead of the store's writes, on a thread of their own.
  public var readsAhead: Bool { true }
  public var soleWriter: Bool { options.soleWriter }

  public var summary: ImportSummary {
    ImportSummary(
      files: files.map(\.path), rowsRead: rowsRead, rowsStored: rowsAccepted, rowsRejected: rowsRejected,
      rowsByTable: rowsByTable)
  }
}
