import ChannelKPI
import ChannelKPIStore
import Foundation

/// Valid inputs the targets start from: a small demo program (its rows and its definitions
/// files) made in code, and the repository's mapping examples when the run starts in a clone.
struct FuzzCorpus: Sendable {
  /// Up to `rowsPerTable` rows of each table, as canonical texts ("" = absent).
  var rows: [CanonicalTable: [[String]]] = [:]
  /// Every partner and campaign id of the demo, as an import would find them stored.
  var known: [CanonicalTable: Set<String>] = [:]
  /// Partners, types and regions the definitions may name.
  var partners = KnownPartners(partners: [], types: [], regions: [])
  /// The demo's definitions files: name → YAML.
  var definitions: [String: String] = [:]

  static let rowsPerTable = 6

  init() {
    var sink = Collector()
    let config = DemoConfiguration(partners: 8, months: 14, seed: 3, scale: 0.3)
    DemoProgram.generate(config, into: &sink)
    rows = sink.rows
    known = sink.known
    partners = KnownPartners(
      partners: sink.known[.partners] ?? [], types: sink.types, regions: sink.regions, tiers: sink.tiers,
      managers: sink.managers)
    definitions = DemoProgram.definitions(config)
  }

  /// A table's rows as a canonical CSV file with its header.
  func csv(_ table: CanonicalTable) -> String {
    let header = CSVFormat.line(table.schema.columns.map(\.name))
    return ([header] + (rows[table] ?? []).map(CSVFormat.line)).joined(separator: "\n") + "\n"
  }

  /// A table's rows as an ingestion body: money and integers as JSON numbers, the rest as strings.
  func json(_ table: CanonicalTable) -> String {
    let columns = table.schema.columns
    let records = (rows[table] ?? []).map { row in
      var o: [String: Any] = [:]
      for (c, text) in zip(columns, row) where !text.isEmpty {
        o[c.name] = (c.type == .money || c.type == .int) ? (Double(text).map { $0 as Any } ?? text) : text
      }
      return o
    }
    let data = (try? JSONSerialization.data(withJSONObject: ["records": records], options: [.sortedKeys])) ?? Data()
    return String(decoding: data, as: UTF8.self)
  }

  /// The demo's rows, keeping a few per table and every key other tables refer to.
  private struct Collector: DemoSink {
    var rows: [CanonicalTable: [[String]]] = [:]
    var known: [CanonicalTable: Set<String>] = [:]
    var types: Set<String> = []
    var regions: Set<String> = []
    var tiers: Set<String> = []
    var managers: Set<String> = []

    mutating func write(_ table: CanonicalTable, _ fields: [String]) {
      if rows[table, default: []].count < FuzzCorpus.rowsPerTable { rows[table, default: []].append(fields) }
      guard table == .partners || table == .campaigns else { return }
      known[table, default: []].insert(fields[0])
      if table == .partners {
        let schema = table.schema
        func value(_ name: String) -> String? {
          schema.index[name].map { fields[$0] }.flatMap { $0.isEmpty ? nil : $0 }
        }
        if let v = value("type") { types.insert(v) }
        if let v = value("region") { regions.insert(v) }
        if let v = value("tier") { tiers.insert(v) }
        if let v = value("manager") { managers.insert(v) }
      }
    }
  }
}

/// A scratch directory for the files a target must write (CSV imports read files), in memory
/// where the system has a RAM disk.
enum FuzzScratch {
  /// This process's scratch directory for a target, created.
  static func directory(_ name: String) -> String {
    let dir = directory(name, pid: getpid())
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }

  /// The scratch directory of process `pid` for a target.
  static func directory(_ name: String, pid: Int32) -> String {
    let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    return (base as NSString).appendingPathComponent("channelkpi-fuzz-\(pid)-\(name)")
  }

  /// Writes the bytes to `path`, replacing what was there (plain POSIX calls: this runs once per
  /// input, and Foundation's atomic write costs a rename each time).
  static func write(_ bytes: [UInt8], to path: String) -> Bool {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    return bytes.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
        if n <= 0 { return false }
        offset += n
      }
      return true
    }
  }

  /// Removes a scratch directory and what it holds.
  static func remove(_ dir: String) { try? FileManager.default.removeItem(atPath: dir) }
}
