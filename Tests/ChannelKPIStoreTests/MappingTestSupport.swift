import Foundation

/// The repository's `mappings/` directory (example mappings and their sample exports).
private let mappingsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("mappings").path

func example(_ name: String) -> String { (mappingsDirectory as NSString).appendingPathComponent(name) }
