import Foundation
import Testing

@testable import ChannelKPIStore

/// The reader against the writer's own quoting: random records (commas, quotes, line breaks of
/// every kind inside quotes, non-ASCII text, empty fields) written to a file big enough to split
/// fields across many of the reader's 64 KiB reads come back field for field, on the right lines,
/// with their original text.
struct CSVReaderPropertyTests {
  struct Generator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state >> 33
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
  }

  static let pieces = ["a", "P0001", "2025-01-31", "1200.50", ",", "\"", "\n", "\r\n", "\r", " ", "é", "日本", "x"]

  @Test(arguments: [1, 2, 3, 4])
  func recordsComeBackAsWritten(seed: UInt64) throws {
    var g = Generator(state: seed)
    var records: [[String]] = []
    var text: [UInt8] = []
    var lines: [Int] = []
    var raws: [String] = []
    var line = 1
    while text.count < 400_000 {
      let width = 1 + g.below(6)
      var fields: [String] = []
      for _ in 0..<width {
        var f = ""
        // Long fields now and then, so that some outlast a read.
        let n = g.below(20) == 0 ? 2_000 + g.below(70_000) : g.below(5)
        for _ in 0..<n { f += Self.pieces[n > 100 ? g.below(4) : g.below(Self.pieces.count)] }
        fields.append(f)
      }
      // A lone empty field is a blank line, which the importer skips: keep records non-blank.
      if fields == [""] { fields = ["a"] }
      let encoded = CSVFormat.line(fields)
      records.append(fields)
      lines.append(line)
      raws.append(encoded)
      line += 1 + encoded.utf8.filter { $0 == UInt8(ascii: "\n") }.count
      text += Array(encoded.utf8) + Array(["\n", "\r\n", "\r"][g.below(3)].utf8)
    }
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("csv-\(UUID().uuidString).csv").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Data(text).write(to: URL(fileURLWithPath: path))
    let reader = try CSVReader(path: path)
    reader.capturesRaw = true
    var i = 0
    while let r = try reader.next() {
      guard i < records.count else {
        Issue.record("more records than written")
        break
      }
      #expect(r.fields == records[i], "record \(i)")
      #expect(r.startLine == lines[i], "record \(i)")
      #expect(String(decoding: reader.rawRecord, as: UTF8.self) == raws[i], "record \(i)")
      #expect(reader.isASCII == records[i].allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } }, "record \(i)")
      i += 1
    }
    #expect(i == records.count)
    #expect(reader.bytesRead == text.count)
  }

  /// Structural errors name the line and field, also when they sit across a read boundary.
  @Test func errorsNameLineAndField() throws {
    for (content, line, field, message) in [
      ("a,b\nc,d\"e\n", 2, 2, "has a quote inside an unquoted value"),
      ("a,\"b\"c\n", 1, 2, "has text after its closing quote"),
      ("a\n\"b\nc", 2, 1, "opens a quote that is not closed"),
      (String(repeating: "x", count: 70_000) + ",\"q\"z\n", 1, 2, "has text after its closing quote"),
    ] {
      let path = FileManager.default.temporaryDirectory.appendingPathComponent("csv-\(UUID().uuidString).csv").path
      defer { try? FileManager.default.removeItem(atPath: path) }
      try Data(content.utf8).write(to: URL(fileURLWithPath: path))
      let reader = try CSVReader(path: path)
      var caught: CSVReader.SyntaxError?
      do { while try reader.next() != nil {} } catch { caught = error }
      #expect(caught?.line == line && caught?.field == field, "\(String(describing: caught))")
      #expect(caught?.message.hasPrefix(message) == true, "\(String(describing: caught))")
    }
    // Bytes that are not UTF-8, split by a read boundary.
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("csv-\(UUID().uuidString).csv").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Data(Array("a,".utf8) + [UInt8](repeating: 0x41, count: 65_534) + [0xC3, 0x28] + Array("\n".utf8)).write(
      to: URL(fileURLWithPath: path))
    let reader = try CSVReader(path: path)
    var caught: CSVReader.SyntaxError?
    do { while try reader.next() != nil {} } catch { caught = error }
    #expect(caught?.line == 1 && caught?.field == 2 && caught?.message == "is not valid UTF-8")

    // A field's bad byte is reported where the field ends, before a quote that follows it.
    for (content, field) in [([0xFF, 0x22] + Array("x,y\n".utf8), 1), (Array("a,\"".utf8) + [0xFF, 0x22, 0x78], 2)] {
      try Data(Array("h,i\n".utf8) + content).write(to: URL(fileURLWithPath: path))
      let again = try CSVReader(path: path)
      var found: CSVReader.SyntaxError?
      do { while try again.next() != nil {} } catch { found = error }
      #expect(
        found?.line == 2 && found?.field == field && found?.message == "is not valid UTF-8",
        "\(String(describing: found))")
    }
  }
}
