import ChannelKPI
import ChannelKPIStore

/// The CSV reader and the import's validation of each canonical table: the bytes are a file
/// named for its table, read by the same `CSVImportSource` `channelkpi import` drains into the
/// store, with the demo's partners and campaigns as the stored keys.
struct CSVTarget: FuzzTarget {
  let name = "csv"
  let fileExtension = "csv"
  let seeds: [FuzzInput]
  let tokens = [",", "\"", "\"\"", ",,", "\r\n", "\n\n", ",\"a\nb\",", " ,", "reseller", "won", "lost", "open", "Z"]
  let corpus: FuzzCorpus
  let scratch: String

  init(corpus: FuzzCorpus, scratch: String) {
    self.corpus = corpus
    self.scratch = scratch
    seeds = CanonicalTable.allCases.map { FuzzInput(variant: $0.rawValue, bytes: Array(corpus.csv($0).utf8)) }
  }

  /// A header of the table's columns in a random order (some left out or doubled) over rows of
  /// values drawn from the demo's own values for each column.
  func generate(_ rng: inout FuzzRandom) -> FuzzInput? {
    let table = rng.pick(CanonicalTable.allCases)
    let columns =
      table.schema.columns.indices.filter { _ in rng.chance(0.9) }.shuffled(using: &rng)
      + (rng.chance(0.1) ? [rng.below(table.schema.columns.count)] : [])
    let rows = corpus.rows[table] ?? []
    var lines = [CSVFormat.line(columns.map { table.schema.columns[$0].name })]
    for _ in 0..<rng.int(0, 8) {
      lines.append(CSVFormat.line(columns.map { c in rows.isEmpty ? "" : rng.pick(rows)[c] }))
    }
    return FuzzInput(
      variant: table.rawValue, bytes: Array(lines.joined(separator: rng.chance(0.2) ? "\r\n" : "\n").utf8))
  }

  func run(_ input: FuzzInput) -> FuzzOutcome {
    guard let table = CanonicalTable(rawValue: input.variant) else { return .unclear(["no table \(input.variant)"]) }
    let path = "\(scratch)/\(table.rawValue).csv"
    guard FuzzScratch.write(input.bytes, to: path) else { return .unclear(["cannot write \(path)"]) }
    return Self.drain(
      CSVImportSource(files: [ImportFile(path: path, table: table)], known: corpus.known, options: ImportOptions()),
      file: path, bytes: input.bytes)
  }

  /// Reads every record of the source, and judges the problems it reports if it rejects them.
  static func drain(_ source: CSVImportSource, file: String, bytes: [UInt8]) -> FuzzOutcome {
    do {
      while try source.next() != nil {}
      return .accepted
    } catch let rejected as ImportRejected {
      let shape = Clarity.Shape(bytes)
      if rejected.problems.isEmpty { return .unclear(["a rejection with no problem in it"]) }
      return .rejected.judging(rejected.problems.compactMap { Clarity.check($0, file: file, shape: shape) })
    } catch {
      return .unclear(["an error that is not an import rejection: \(error)"])
    }
  }
}

extension Array {
  /// Shuffled with the fuzzer's generator, so the order is part of the input's seed.
  func shuffled(using rng: inout FuzzRandom) -> [Element] {
    var a = self
    for i in a.indices.reversed() where i > 0 { a.swapAt(i, rng.below(i + 1)) }
    return a
  }
}
