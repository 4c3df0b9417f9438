import Foundation

/// The JSON texts both stores keep in text columns (import file lists and counts, definitions
/// files), written and read in one place.
enum StoredJSON {
  static func encode(_ value: some Encodable) throws -> String {
    String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
  }

  /// Decodes a stored text; a text that no longer decodes reads as `fallback`.
  static func decode<T: Decodable>(_ type: T.Type, _ text: String, fallback: T) -> T {
    (try? JSONDecoder().decode(T.self, from: Data(text.utf8))) ?? fallback
  }

  static func summary(files: String, rowsRead: Int, rowsStored: Int, rowsRejected: Int, rowsByTable: String)
    -> ImportSummary
  {
    ImportSummary(
      files: decode([String].self, files, fallback: []), rowsRead: rowsRead, rowsStored: rowsStored,
      rowsRejected: rowsRejected, rowsByTable: decode([String: Int].self, rowsByTable, fallback: [:]))
  }
}
