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

  public init(
    skipInvalid: Bool = false, ignoreUnknownColumns: Bool = false, maxProblems: Int = 100,
    rejectsPath: String = "rejected.csv"
  ) {
    self.skipInvalid = skipInvalid
    self.ignoreUnknownColumns = ignoreUnknownColumns
    self.maxProblems = maxProblems
    self.rejectsPath = rejectsPath
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
    var s = "\(file):\(line)"
    if let column { s += ":\(column)" }
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
}

/// Canonical CSV files turned into validated records, streamed one at a time.
public final class CSVImportSource: RecordSource {
  public let files: [ImportFile]
  let options: ImportOptions
  var known: [CanonicalTable: Set<String>]
  public private(set) var problems: [ImportProblem] = []
  public private(set) var problemCount = 0
  public private(set) var rowsRead = 0
  public private(set) var rowsAccepted = 0
  public private(set) var rowsRejected = 0
  public private(set) var rowsByTable: [String: Int] = [:]
  /// Called with (bytes read, total bytes, rows read) as the import goes.
  public var progress: ((Int, Int, Int) -> Void)?

  private var fileIndex = -1
  private var reader: CSVReader?
  private var mapping: [Int?] = []
  private var headerCount = 0
  private var displayName = ""
  private var bytesBefore = 0
  private let totalBytes: Int
  private var rejects: CSVWriter?

  /// - Parameter known: keys already stored, per referenced table (partners, campaigns).
  public init(files: [ImportFile], known: [CanonicalTable: Set<String>], options: ImportOptions) {
    self.files = files.sorted {
      CanonicalTable.dependencyOrder.firstIndex(of: $0.table)! < CanonicalTable.dependencyOrder.firstIndex(
        of: $1.table)!
    }
    self.known = known
    self.options = options
    totalBytes = files.reduce(0) { $0 + CSVReader.size(of: $1.path) }
  }

  /// The files to import for paths given by a user: files, or directories of `TABLE.csv` files.
  public static func resolve(_ paths: [String]) throws(ImportRejected) -> [ImportFile] {
    var out: [ImportFile] = []
    var problems: [ImportProblem] = []
    let fm = FileManager.default
    for p in paths {
      var isDir: ObjCBool = false
      guard fm.fileExists(atPath: p, isDirectory: &isDir) else {
        problems.append(ImportProblem(file: p, line: 0, message: "does not exist"))
        continue
      }
      if isDir.boolValue {
        let names = ((try? fm.contentsOfDirectory(atPath: p)) ?? []).filter { $0.lowercased().hasSuffix(".csv") }
          .sorted()
        if names.isEmpty { problems.append(ImportProblem(file: p, line: 0, message: "holds no .csv files")) }
        for n in names {
          let full = (p as NSString).appendingPathComponent(n)
          if let t = table(forFile: n) {
            out.append(ImportFile(path: full, table: t))
          } else {
            problems.append(unknownTable(full))
          }
        }
      } else if let t = table(forFile: (p as NSString).lastPathComponent) {
        out.append(ImportFile(path: p, table: t))
      } else {
        problems.append(unknownTable(p))
      }
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

  private func openNext() throws -> Bool {
    if let r = reader { bytesBefore += r.bytesRead }
    reader = nil
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
      problem(
        1, nil, nil,
        "is empty: expected a header line with the columns \(schema.columns.map(\.name).joined(separator: ", "))")
      throw ImportRejected(problems: problems, problemCount: problemCount)
    }
    var headerOK = true
    mapping = []
    var seen: [String: Int] = [:]
    for (i, raw) in header.enumerated() {
      let name = raw.trimmingCharacters(in: .whitespaces)
      if let first = seen[name] {
        problem(1, i + 1, name, "appears twice in the header (also field \(first + 1))")
        headerOK = false
      }
      seen[name] = i
      if let c = schema.index[name] {
        mapping.append(c)
      } else {
        mapping.append(nil)
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
    headerCount = header.count
    // A bad header makes every row unreadable: stop, whatever --skip-invalid says.
    if !headerOK { throw ImportRejected(problems: problems, problemCount: problemCount) }
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
      let next: (fields: [String], startLine: Int)?
      do { next = try r.next() } catch {
        let name = error.field.flatMap {
          $0 - 1 < mapping.count ? mapping[$0 - 1].map { schema.columns[$0].name } : nil
        }
        problem(
          error.line, error.field, name,
          name == nil && error.field != nil ? "field \(error.field!) \(error.message)" : error.message)
        throw ImportRejected(problems: problems, problemCount: problemCount)
      }
      guard let record = next else {
        reader = nil
        continue
      }
      if record.fields.count == 1 && record.fields[0].isEmpty && headerCount > 1 { continue }  // blank line
      rowsRead += 1
      if rowsRead % 4096 == 0 { progress?(bytesBefore + r.bytesRead, totalBytes, rowsRead) }
      let line = record.startLine
      guard record.fields.count == headerCount else {
        reject(line, r, [(nil, nil, "has \(record.fields.count) fields but the header has \(headerCount)")])
        continue
      }
      var texts = [String?](repeating: nil, count: schema.columns.count)
      var position = [Int](repeating: 0, count: schema.columns.count)
      for (i, f) in record.fields.enumerated() {
        if let c = mapping[i] {
          texts[c] = f.isEmpty ? nil : f
          position[c] = i + 1
        }
      }
      // References are checked on the texts, so a row with other problems reports these too.
      var refErrors: [(Int?, String?, String)] = []
      for (i, c) in schema.columns.enumerated() {
        guard let target = c.references, let v = texts[i] else { continue }
        if known[target]?.contains(v) != true {
          refErrors.append(
            (
              position[i], c.name,
              "'\(v)' names no \(target == .partners ? "partner" : "campaign") (not stored and not in this import)"
            ))
        }
      }
      switch RecordValidator.validate(table, texts: texts) {
      case .failure(let errs):
        let fieldErrors = errs.errors.map { e -> (Int?, String?, String) in
          let c = schema.index[e.column]
          return (c.flatMap { position[$0] == 0 ? nil : position[$0] }, e.column, e.message)
        }
        reject(line, r, fieldErrors + refErrors)
      case .success(let rec):
        if !refErrors.isEmpty {
          reject(line, r, refErrors)
          continue
        }
        if table == .partners || table == .campaigns, let k = rec.values[0].string {
          known[table, default: []].insert(k)
        }
        rowsAccepted += 1
        rowsByTable[table.rawValue, default: 0] += 1
        return rec
      }
    }
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

  public var summary: ImportSummary {
    ImportSummary(
      files: files.map(\.path), rowsRead: rowsRead, rowsStored: rowsAccepted, rowsRejected: rowsRejected,
      rowsByTable: rowsByTable)
  }
}
