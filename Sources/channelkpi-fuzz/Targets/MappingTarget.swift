import ChannelKPI
import ChannelKPIStore
import Foundation

/// CRM mapping files: the YAML parsed and checked (fields, maps, date and money patterns, time
/// zones) as `import --mapping` does, and a mapping that passes then reads every sample export
/// through the import, so its patterns meet real cells.
struct MappingTarget: FuzzTarget {
  let name = "mapping"
  let fileExtension = "yaml"
  let seeds: [FuzzInput]
  let tokens = [
    "{column: ", "columns: [", "join: ", "split: ", "value: ", "default: ", "map: {", "otherwise: ", "case: upper",
    "prefix: ", "suffix: ", "date_format: ", "datetime_format: ", "timezone: ", "money: {", "only_if: {",
    "currency_symbols: true", "thousands: ", "decimal: ", "round: true", "YYYY", "MMM", "D", "HH:mm", "[", "]",
    "'T'", "Z", "a", "SSS", "~", "&a ", "*a", "<<: *a", "!!str ", "? ", "- ", "table: deals", "fields:",
  ]
  /// Sample exports, written once to the scratch directory.
  let exports: [(path: String, bytes: [UInt8])]
  let known: [CanonicalTable: Set<String>]
  static let file = "mapping.yaml"

  /// - Parameter root: a folder with the repository's `mappings/` examples, when there is one.
  init(corpus: FuzzCorpus, scratch: String, root: String) {
    var mappings = MappingSeeds.mappings
    var exports = MappingSeeds.exports.map { ($0.0, Array($0.1.utf8)) }
    let fm = FileManager.default
    let dir = (root as NSString).appendingPathComponent("mappings")
    for name in ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).sorted() where name.hasSuffix(".yaml") {
      if let d = fm.contents(atPath: "\(dir)/\(name)") { mappings.append(String(decoding: d, as: UTF8.self)) }
    }
    for name in ((try? fm.contentsOfDirectory(atPath: "\(dir)/samples")) ?? []).sorted() where name.hasSuffix(".csv") {
      if let d = fm.contents(atPath: "\(dir)/samples/\(name)") { exports.append((name, Array(d))) }
    }
    seeds = mappings.map { FuzzInput(variant: "mapping", bytes: Array($0.utf8)) }
    self.exports = exports.compactMap { name, bytes in
      let path = "\(scratch)/export-\(name)"
      return FuzzScratch.write(bytes, to: path) ? (path, bytes) : nil
    }
    var known = corpus.known
    known[.partners, default: []].formUnion(["P0001", "P-A17-1", "P-B22", "0018W00001NrtHQAAZ", "0018W00001NrtJKAA1"])
    self.known = known
  }

  func run(_ input: FuzzInput) -> FuzzOutcome {
    let mapping: ImportMapping
    do { mapping = try ImportMapping.parse(yaml: String(decoding: input.bytes, as: UTF8.self), file: Self.file) } catch
    {
      return Clarity.judge(error, file: Self.file, bytes: input.bytes)
    }
    var reasons: [String] = []
    for (path, bytes) in exports {
      let source = CSVImportSource(
        files: [ImportFile(path: path, table: mapping.table)], known: known, options: ImportOptions(), mapping: mapping)
      if case .unclear(let r) = CSVTarget.drain(source, file: path, bytes: bytes) { reasons += r }
    }
    return .accepted.judging(reasons)
  }
}
