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

  /// 100,000 rows of 16 bytes each ("D000042,1042.00" and a line break), after a header of 15:
  /// the first 64 KiB give the row length, so the estimate is exact.
  @Test func aLargeFileIsEstimatedFromItsFirstRows() throws {
    let rows = (0..<100_000).map { String(format: "D%06d,%d.00\n", $0, 1000 + $0 % 9000) }
    #expect(Set(rows.map(\.utf8.count)) == [16])
    let (dir, path) = try Self.file("deal_id,amount\n" + rows.joined())
    defer { try? FileManager.default.removeItem(at: dir) }
    #expect(CSVImportSource.estimatedRows(inFile: path) == 100_000)
    // Several files of one table add up.
    let source = CSVImportSource(
      files: [ImportFile(path: path, table: .deals), ImportFile(path: path, table: .deals)], known: [:],
      options: ImportOptions())
    #expect(source.estimatedRows() == [.deals: 200_000])
  }

  /// Rows whose ids grow from one digit to five (11 to 15 bytes with the line break): the
  /// estimate from the short first rows is high, but no more than the file's bytes over its
  /// shortest row allow.
  @Test func rowsOfVaryingLengthGiveAnEstimateWithinTheirBounds() throws {
    let text = "deal_id,amount\n" + (0..<100_000).map { "D\($0),\(1000 + $0 % 9000).00\n" }.joined()
    let (dir, path) = try Self.file(text)
    defer { try? FileManager.default.removeItem(at: dir) }
    let estimate = CSVImportSource.estimatedRows(inFile: path)
    let body = text.utf8.count - 15
    #expect(estimate >= 100_000 && estimate <= body / 11, "\(estimate)")
  }

  /// A named pipe is not read (the bytes read would be lost to the import): no estimate.
  @Test func aPipeIsNotRead() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("estimate-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("deals.csv").path
    #expect(mkfifo(path, 0o600) == 0)
    #expect(CSVImportSource.estimatedRows(inFile: path) == 0)
  }
}
