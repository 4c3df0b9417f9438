import ChannelKPI
import ChannelKPIStore
import Foundation

/// Uploading CSV files, the validation report of the last upload, and the import history.
enum DataPage {
  /// One problem of an upload, where it is and what rule it breaks.
  struct Problem: Hashable, Sendable {
    var file: String
    var line: Int
    var column: Int?
    var field: String?
    var message: String
  }

  /// What an upload did.
  struct Report: Hashable, Sendable {
    enum Outcome: String, Sendable {
      /// Every row stored.
      case stored
      /// The good rows stored, the bad ones skipped.
      case storedWithProblems
      /// Problems found, nothing stored.
      case rejected
      /// The form itself could not be used (no file, unknown table…).
      case invalid
    }

    var outcome: Outcome
    var fileName: String?
    var table: String?
    var rowsRead = 0
    var rowsStored = 0
    var rowsRejected = 0
    var rowsByTable: [String: Int] = [:]
    var problems: [Problem] = []
    var problemCount = 0
    /// What went wrong with the form, for `invalid`.
    var message: String?
    /// The mapping the file went through, in words.
    var mapping: String?
    /// Rows the mapping leaves out (`skip_rows_without`), neither stored nor rejected.
    var rowsSkipped = 0
  }

  /// A table of the canonical format and how many rows the store holds.
  struct TableInfo: Hashable, Sendable {
    var name: String
    var columns: [String]
    var required: [String]
    var stored: Int
  }

  /// One past import.
  struct ImportRow: Hashable, Sendable {
    var id: Int64
    var finishedAt: String
    var files: [String]
    var read: Int
    var stored: Int
    var rejected: Int
    var byTable: [String: Int]
  }

  /// A CRM mapping the upload can go through.
  struct MappingOption: Hashable, Sendable {
    var id: String
    var label: String
  }

  struct Model: Hashable, Sendable {
    var chrome: PageChrome
    var report: Report?
    var tables: [TableInfo]
    var history: [ImportRow]
    var mappings: [MappingOption]
    /// Where the mappings are read from (nil: no directory).
    var mappingsDirectory: String?
  }

  static let historyLimit = 20

  static func build(service: KPIService, chrome: PageChrome, report: Report?, mappings: MappingCatalog) async throws
    -> Model
  {
    let counts = try await service.store.counts()
    let tables = CanonicalTable.allCases.map { t in
      TableInfo(
        name: t.rawValue, columns: t.schema.columns.map(\.name),
        required: t.schema.columns.filter(\.required).map(\.name),
        stored: counts[t] ?? 0)
    }
    let history = try await service.store.imports(limit: historyLimit).map { r in
      ImportRow(
        id: r.id, finishedAt: instant(r.finishedAt), files: r.summary.files.map { ($0 as NSString).lastPathComponent },
        read: r.summary.rowsRead, stored: r.summary.rowsStored, rejected: r.summary.rowsRejected,
        byTable: r.summary.rowsByTable)
    }
    return Model(
      chrome: chrome, report: report, tables: tables, history: history,
      mappings: mappings.entries.map { MappingOption(id: $0.id, label: $0.label) },
      mappingsDirectory: mappings.directory)
  }

  /// `2025-07-01T10:04:05Z` → `1 Jul 2025, 10:04 UTC`; other text as it is.
  static func instant(_ iso: String) -> String {
    let parts = iso.split(separator: "T", maxSplits: 1)
    guard parts.count == 2, let day = Day(iso: parts[0]), parts[1].count >= 5 else { return iso }
    let time = parts[1].prefix(5)
    let zone = parts[1].hasSuffix("Z") ? " UTC" : ""
    return "\(PeriodLabel.day(day)), \(time)\(zone)"
  }
}
