public import ChannelKPI
import Foundation

/// Writes records as canonical CSV files (`TABLE.csv` with a header) into a directory.
public struct CSVDirectorySink: DemoSink {
  private var writers: [CanonicalTable: CSVWriter] = [:]
  public let directory: String
  public private(set) var counts: [CanonicalTable: Int] = [:]

  public init(directory: String) throws {
    self.directory = directory
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    // Every table gets its file, even one the data leaves empty.
    for t in CanonicalTable.allCases {
      let w = try CSVWriter(path: (directory as NSString).appendingPathComponent(t.fileName))
      w.write(t.schema.columns.map(\.name))
      writers[t] = w
    }
  }

  public mutating func write(_ table: CanonicalTable, _ fields: [String]) {
    writers[table]?.write(fields)
    counts[table, default: 0] += 1
  }

  /// Writes buffered rows to disk.
  public func flush() { writers.values.forEach { $0.flush() } }
}
