public import ChannelKPI
import Foundation

/// Moving a program out of a store and between stores.
public enum StoreTransfer {
  /// Why a transfer cannot be done.
  public struct Failure: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
  }

  /// Writes every table of a store as canonical CSV (`TABLE.csv`, header first) into a directory,
  /// from one snapshot, so that `import DIR` on an empty store gives the same facts. Returns the
  /// rows written per table. Refuses a directory that already holds table files.
  public static func export(_ store: any Store, to directory: String) async throws -> [CanonicalTable: Int] {
    let fm = FileManager.default
    do {
      try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw Failure("cannot create \(directory): \(error.localizedDescription)")
    }
    let existing = ((try? fm.contentsOfDirectory(atPath: directory)) ?? []).filter {
      CSVImportSource.table(forFile: $0) != nil
    }
    if !existing.isEmpty {
      throw Failure(
        "\(directory) already holds \(existing.sorted().joined(separator: ", ")): export into an empty directory")
    }
    let paths = CanonicalTable.allCases.map { (directory as NSString).appendingPathComponent($0.fileName) }
    do {
      var writers: [CanonicalTable: CSVWriter] = [:]
      for (t, path) in zip(CanonicalTable.allCases, paths) {
        do {
          let w = try CSVWriter(path: path)
          w.write(t.schema.columns.map(\.name))
          writers[t] = w
        } catch { throw Failure(error.message) }
      }
      let counts = Counter()
      try await store.forEachRow(of: CanonicalTable.dependencyOrder) { r in
        writers[r.table]?.write(r.values.map(\.description))
        counts.add(r.table)
      }
      for w in writers.values {
        do { try w.close() } catch { throw Failure(error.message) }
      }
      return counts.byTable
    } catch {
      // No half-written export is left behind to be taken for a whole one.
      for path in paths { try? fm.removeItem(atPath: path) }
      throw error
    }
  }

  /// What a copy moved.
  public struct CopySummary: Sendable {
    public var rows: [CanonicalTable: Int]
    public var versions: Int
    public var reviews: Int
    public var imports: Int
  }

  /// Moves a whole program, facts, definitions versions, reviews and the import log, into a
  /// store that holds nothing yet. Facts go through canonical CSV in `scratch` and the import
  /// pipeline (so they are checked on the way in, in one transaction); the rest keeps its
  /// numbers and ids. Afterwards the target's row counts are checked against the source's.
  public static func copy(from source: any Store, to target: any Store, scratch: String) async throws -> CopySummary {
    if try await target.holdsProgram() {
      throw Failure("\(target) already holds a program: copy moves a whole program into an empty database")
    }
    let exported = try await export(source, to: scratch)
    let archive = try await source.archive()
    let files = try CSVImportSource.resolve([scratch])
    var records = CSVImportSource(files: files, known: [:], options: ImportOptions())
    do {
      _ = try await target.upsert(from: &records)
    } catch let e as ImportRejected {
      throw Failure("the source's facts do not import cleanly:\n\(e.description)")
    }
    try await target.restore(archive)
    let copied = try await target.counts()
    for t in CanonicalTable.allCases where copied[t, default: 0] != exported[t, default: 0] {
      throw Failure(
        "\(t.rawValue): \(exported[t, default: 0]) rows were exported but the target holds \(copied[t, default: 0])")
    }
    return CopySummary(
      rows: copied, versions: archive.versions.count, reviews: archive.reviews.count, imports: archive.imports.count)
  }

  /// Rows counted by a callback.
  private final class Counter {
    var byTable: [CanonicalTable: Int] = [:]
    func add(_ t: CanonicalTable) { byTable[t, default: 0] += 1 }
  }
}
