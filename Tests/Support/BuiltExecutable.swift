public import Foundation

/// Finds an executable of this package that the build put beside the test bundle, for tests
/// that run it as a user would.
public enum BuiltExecutable {
  /// `name` from the build's products directory, or from `.build/debug` under `root` (the
  /// repository), or nil when it is not built.
  public static func url(named name: String, root: URL? = nil) -> URL? {
    var candidates: [URL] = []
    if let first = CommandLine.arguments.first {
      var dir = URL(fileURLWithPath: first).deletingLastPathComponent()
      // An .xctest bundle on macOS nests the executable a few levels down.
      for _ in 0..<4 {
        candidates.append(dir.appendingPathComponent(name))
        dir = dir.deletingLastPathComponent()
      }
    }
    if let root { candidates.append(root.appendingPathComponent(".build/debug/\(name)")) }
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
  }
}
