import ChannelKPI
import ChannelKPIStore
import Foundation

/// The CRM mappings an upload can go through: the `*.yaml` files of one directory (by default
/// `$CHANNELKPI_MAPPINGS`, else `mappings/` in the working directory, where the shipped ones are).
/// Uploads name a mapping by its id (the file name without `.yaml`), never by a path.
struct MappingCatalog: Sendable {
  /// A mapping that reads, and what it reads.
  struct Entry: Hashable, Sendable {
    var id: String
    var label: String
    var table: CanonicalTable
    var path: String
  }

  let directory: String?
  let entries: [Entry]
  /// Ids of files that could not be read as mappings.
  let broken: [String]

  /// The directory the server uses when none is configured.
  static var defaultDirectory: String? {
    if let d = ProcessInfo.processInfo.environment["CHANNELKPI_MAPPINGS"], !d.isEmpty { return d }
    var isDir: ObjCBool = false
    return FileManager.default.fileExists(atPath: "mappings", isDirectory: &isDir) && isDir.boolValue
      ? "mappings" : nil
  }

  /// Reads every mapping of a directory (none without one).
  static func load(directory: String?) -> MappingCatalog {
    guard let directory, let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
      return MappingCatalog(directory: directory, entries: [], broken: [])
    }
    var entries: [Entry] = []
    var broken: [String] = []
    for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
      let id = (name as NSString).deletingPathExtension
      let path = (directory as NSString).appendingPathComponent(name)
      guard let m = try? ImportMapping.load(path: path) else {
        broken.append(id)
        continue
      }
      let about = m.about.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
      entries.append(
        Entry(id: id, label: (about.isEmpty ? id : about) + " → \(m.table.rawValue)", table: m.table, path: path))
    }
    return MappingCatalog(directory: directory, entries: entries, broken: broken)
  }

  /// The mapping of an id the catalog lists.
  func mapping(_ id: String) -> (Entry, ImportMapping)? {
    guard let e = entries.first(where: { $0.id == id }), let m = try? ImportMapping.load(path: e.path) else {
      return nil
    }
    return (e, m)
  }
}
