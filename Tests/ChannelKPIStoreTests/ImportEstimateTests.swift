import ChannelKPI
import Foundation
import Testing

@testable import ChannelKPIStore

/// The row counts an import expects from its files' sizes, used to size the engine it stages.
struct ImportEstimateTests {
  static func file(_ text: String) throws -> (URL, String) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("estimate-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent("deals.csv").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return (dir, path)
  }

  @Test func aSmallFileIsCountedExactly() throws {
    for (text, rows) in [
      ("h1,h2\na,1\nb,2\n", 2), ("h1,h2\na,1\nb,2", 2), ("h1,h2\n", 0), ("h1,h2", 0), ("", 0),
    ] {
      let (dir, path) = try Self.file(text)
      defer { try? FileManager.default.removeItem(at: dir) }
      #expect(CSVImportSource.estimatedRows(inFile: path) == rows, "\(text.debugDescription)")
    }
    #expect(CSVImportSource.estimatedRows(inFile: "/nonexistent/deals.csv") == 0)
  }

  /// Rows of 13 to 16 bytes (ids growing from one digit to four): the estimate from the first
  /// 64 KiB is within a few percent of the 100,000 rows.
  @Test func aLargeFileIsEstimatedFromItsFirstRows() throws {
    let text = "deal_id,amount\n" + (0..<100_000).map { "D\($0),\(1000 + $0 % 9000).00\n" }.joined()
    let (dir, path) = try Self.file(text)
    defer { try? FileManager.default.removeItem(at: dir) }
    let estimate = CSVImportSource.estimatedRows(inFile: path)
    #expect(abs(estimate - 100_000) < 10_000, "\(estimate)")
    // Several files of one table add up.
    let source = CSVImportSource(
      files: [ImportFile(path: path, table: .deals), ImportFile(path: path, table: .deals)], known: [:],
      options: ImportOptions())
    #expect(source.estimatedRows() == [.deals: 2 * estimate])
  }
}
