import Foundation

/// JSON as the API and the CLI's `--format json` write it: snake_case keys, sorted, so that the
/// same result reads the same everywhere.
public enum JSONOutput {
  public static func encode(_ value: some Encodable) throws -> String {
    let e = JSONEncoder()
    e.keyEncodingStrategy = .convertToSnakeCase
    e.outputFormatting = [.sortedKeys]
    return String(decoding: try e.encode(value), as: UTF8.self)
  }
}
