import ChannelKPI
import ChannelKPIStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension DashboardController {
  /// The largest upload accepted.
  static let maxUploadBytes = 32 * 1024 * 1024

  /// `POST /data/upload`: a CSV file checked and imported; the data page with the report.
  func upload(_ request: Request, _ context: AppContext) async throws -> HTMLPage {
    let s = try await selection(DashboardQuery(raw: request.uri.query))
    let (status, report) = await receive(request, context)
    let chrome = await PageChrome.build(service: service, route: .data, selection: s, title: "Data")
    let model = try await DataPage.build(
      service: service, chrome: chrome, report: report, mappings: MappingCatalog.load(directory: mappingsDirectory))
    return HTMLPage(status: status, html: DataPage.View(model: model).render())
  }

  private static func invalid(_ status: HTTPResponse.Status, _ message: String, file: String? = nil) -> (
    HTTPResponse.Status, DataPage.Report
  ) {
    (status, DataPage.Report(outcome: .invalid, fileName: file, message: message))
  }

  /// Reads the form, stores the file where the importer can read it, imports it.
  private func receive(_ request: Request, _ context: AppContext) async -> (
    HTTPResponse.Status, DataPage.Report
  ) {
    guard let type = request.headers[.contentType], let boundary = Multipart.boundary(contentType: type) else {
      return Self.invalid(.unsupportedMediaType, "Send the file with the upload form (multipart/form-data).")
    }
    var buffer: ByteBuffer
    do {
      buffer = try await request.body.collect(upTo: Self.maxUploadBytes)
    } catch is NIOTooManyBytesError {
      return Self.invalid(
        .contentTooLarge, "The file is too large: upload at most \(Self.maxUploadBytes / 1024 / 1024) MB at a time.")
    } catch {
      return Self.invalid(.badRequest, "The upload was interrupted; please try again.")
    }
    let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
    let parts: [MultipartPart]
    do { parts = try Multipart.parse(bytes, boundary: boundary) } catch {
      return Self.invalid(.badRequest, error.message)
    }
    func field(_ name: String) -> String? {
      parts.first { $0.name == name && $0.filename == nil }.map {
        $0.text.trimmingCharacters(in: .whitespacesAndNewlines)
      }
    }
    guard let file = parts.first(where: { $0.name == "file" }), let original = file.filename, !original.isEmpty else {
      return Self.invalid(.badRequest, "Choose a CSV file to upload.")
    }
    let displayName = Self.displayName(original)
    let tableField = field("table") ?? "auto"
    var mapping: (MappingCatalog.Entry, ImportMapping)?
    if let id = field("mapping"), !id.isEmpty, id != "none" {
      guard let found = MappingCatalog.load(directory: mappingsDirectory).mapping(id) else {
        return Self.invalid(
          .badRequest, "There is no CRM mapping “\(id)”: choose one from the list.", file: displayName)
      }
      if tableField != "auto" && !tableField.isEmpty && tableField != found.1.table.rawValue {
        return Self.invalid(
          .badRequest,
          "The mapping “\(id)” reads \(found.1.table.rawValue), not \(tableField): choose “From the file name” or \(found.1.table.rawValue).",
          file: displayName)
      }
      mapping = found
    }
    let table: CanonicalTable
    if let mapping {
      table = mapping.1.table
    } else if tableField == "auto" || tableField.isEmpty {
      guard let t = CSVImportSource.table(forFile: displayName) else {
        return Self.invalid(
          .unprocessableContent,
          "The table cannot be told from the file name “\(displayName)”: choose the table, or name the file after it (deals.csv).",
          file: displayName)
      }
      table = t
    } else {
      guard let t = CanonicalTable(rawValue: tableField) else {
        return Self.invalid(.badRequest, "“\(tableField)” is not a table of the canonical format.", file: displayName)
      }
      table = t
    }
    let skip = field("store_good_rows") == "on"
    let ignoreUnknown = field("ignore_unknown_columns") == "on"
    do {
      return try await importFile(
        file.body, name: displayName, table: table, mapping: mapping, skipInvalid: skip,
        ignoreUnknownColumns: ignoreUnknown)
    } catch {
      let cause = StoreError(classifying: error, database: service.store.description)
      context.logger.error(
        "upload failed",
        metadata: ["file": "\(displayName)", "error": "\(cause?.description ?? StoreError.describe(error))"])
      switch cause {
      case .full?:
        return Self.invalid(
          .init(code: 507, reasonPhrase: "Insufficient Storage"),
          "The file could not be imported: the database is full (the server's disk has no room left); nothing was stored.",
          file: displayName)
      case .readOnly?:
        return Self.invalid(
          .serviceUnavailable,
          "The file could not be imported: the database is read-only (the server may not write to it); nothing was stored.",
          file: displayName)
      default:
        return Self.invalid(
          .internalServerError,
          "The file could not be imported because of a problem on our side; nothing was stored.", file: displayName)
      }
    }
  }

  /// Writes the upload to a private temporary directory under a name that says its table, and
  /// imports it the way `channelkpi import` does.
  private func importFile(
    _ body: [UInt8], name: String, table: CanonicalTable, mapping: (MappingCatalog.Entry, ImportMapping)?,
    skipInvalid: Bool, ignoreUnknownColumns: Bool
  ) async throws -> (HTTPResponse.Status, DataPage.Report) {
    let fm = FileManager.default
    let dir = fm.temporaryDirectory.appendingPathComponent("channelkpi-upload-\(UUID().uuidString)").path
    try fm.createDirectory(atPath: dir, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
    defer { try? fm.removeItem(atPath: dir) }
    let fileName = Self.storedName(name, table: table)
    let path = (dir as NSString).appendingPathComponent(fileName)
    guard fm.createFile(atPath: path, contents: Data(body)) else {
      throw CocoaError(.fileWriteUnknown)
    }
    let files =
      try mapping.map { try CSVImportSource.resolve([path], mapping: $0.1) } ?? CSVImportSource.resolve([path])
    let options = ImportOptions(
      skipInvalid: skipInvalid, ignoreUnknownColumns: ignoreUnknownColumns || mapping != nil, maxProblems: 200,
      rejectsPath: (dir as NSString).appendingPathComponent("rejected.csv"))
    let (summary, rejected, problems) = try await service.importFiles(files, options: options, mapping: mapping?.1)
    func shown(_ p: ImportProblem) -> DataPage.Problem {
      DataPage.Problem(
        file: p.file == path ? name : (p.file as NSString).lastPathComponent, line: p.line, column: p.column,
        field: p.field, message: p.message)
    }
    var report = DataPage.Report(outcome: .stored, fileName: name, table: table.rawValue)
    report.mapping = mapping?.0.id
    report.problems = problems.map(shown)
    if let summary {
      report.rowsRead = summary.rowsRead
      report.rowsStored = summary.rowsStored
      report.rowsRejected = summary.rowsRejected
      report.rowsByTable = summary.rowsByTable
      report.rowsSkipped = max(0, summary.rowsRead - summary.rowsStored - summary.rowsRejected)
      report.problemCount = problems.count
      report.outcome = summary.rowsRejected > 0 || !problems.isEmpty ? .storedWithProblems : .stored
      return (.ok, report)
    }
    report.outcome = .rejected
    report.problemCount = rejected?.problemCount ?? problems.count
    return (.unprocessableContent, report)
  }

  /// A name for the file on disk: ASCII letters, digits, `.`, `-` and `_`, ending in `.csv`,
  /// from which the importer reads the table.
  static func storedName(_ name: String, table: CanonicalTable) -> String {
    var safe = String(
      name.unicodeScalars.prefix(100).map { c -> Character in
        c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "." || c == "-" || c == "_")
          ? Character(c) : "_"
      })
    if !safe.lowercased().hasSuffix(".csv") { safe += ".csv" }
    if safe.hasPrefix(".") { safe = "_" + safe }
    return CSVImportSource.table(forFile: safe) == table ? safe : "\(table.rawValue).\(safe)"
  }

  /// The browser's file name without any folder, kept short.
  static func displayName(_ name: String) -> String {
    let base = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? name
    let cleaned = base.unicodeScalars.filter { $0.value >= 32 && $0.value != 127 }
    let s = String(String.UnicodeScalarView(cleaned))
    return s.count > 120 ? String(s.prefix(120)) : (s.isEmpty ? "upload.csv" : s)
  }
}

extension DashboardController {
  /// `GET /whatif`: the form.
  func whatIf(_ request: Request, _ problems: [String]?) async throws -> HTMLPage {
    let s = try await selection(DashboardQuery(raw: request.uri.query))
    let chrome = await PageChrome.build(service: service, route: .whatIf, selection: s, title: "What-if")
    return HTMLPage(
      html: WhatIfPage.View(model: WhatIfPage.form(chrome: chrome, coverage: service.coverage)).render())
  }

  /// `POST /whatif`: draft YAML files and a range, compared with the current rules.
  func whatIfUpload(_ request: Request, _ context: AppContext) async throws -> HTMLPage {
    try await Self.requireWholeNetwork(context, service: service)
    let s = try await selection(DashboardQuery(raw: request.uri.query))
    let chrome = await PageChrome.build(service: service, route: .whatIf, selection: s, title: "What-if")
    var model = WhatIfPage.form(chrome: chrome, coverage: service.coverage)
    func fail(_ status: HTTPResponse.Status, _ problems: [String]) -> HTMLPage {
      model.problems = problems
      return HTMLPage(status: status, html: WhatIfPage.View(model: model).render())
    }
    guard let type = request.headers[.contentType], let boundary = Multipart.boundary(contentType: type) else {
      return fail(.unsupportedMediaType, ["Send the draft with the form (multipart/form-data)."])
    }
    let buffer: ByteBuffer
    do { buffer = try await request.body.collect(upTo: 4 * 1024 * 1024) } catch {
      return fail(.contentTooLarge, ["The draft is too large: at most 4 MB of YAML."])
    }
    var copy = buffer
    let parts: [MultipartPart]
    do { parts = try Multipart.parse(copy.readBytes(length: copy.readableBytes) ?? [], boundary: boundary) } catch {
      return fail(.badRequest, [error.message])
    }
    func field(_ name: String) -> String? {
      parts.first { $0.name == name && $0.filename == nil }.map {
        $0.text.trimmingCharacters(in: .whitespacesAndNewlines)
      }
    }
    model.from = field("from") ?? model.from
    model.to = field("to") ?? model.to
    var files: [String: String] = [:]
    for p in parts where p.name == "draft" {
      guard let name = p.filename, !name.isEmpty else { continue }
      files[Self.displayName(name)] = p.text
    }
    guard !files.isEmpty else { return fail(.badRequest, ["Choose one or more draft YAML files."]) }
    model.fileName = files.keys.sorted().joined(separator: ", ")
    var problems: [String] = []
    let from = Period(model.from)
    let to = Period(model.to)
    if from == nil { problems.append("“\(model.from)” is not a period: write 2025-03, 2025-Q1 or 2025.") }
    if to == nil { problems.append("“\(model.to)” is not a period: write 2025-03, 2025-Q1 or 2025.") }
    guard problems.isEmpty, let from, let to else { return fail(.badRequest, problems) }
    guard from.firstMonth <= to.lastMonth else { return fail(.badRequest, ["“From” is after “To”."]) }
    do {
      let result = try await service.whatIf(files: files, from: from.firstMonth, to: to.lastMonth)
      let m = WhatIfPage.result(result, form: model, sections: ProgramFiles.sections(files))
      return HTMLPage(html: WhatIfPage.View(model: m).render())
    } catch let e as DefinitionFileErrors {
      return fail(.unprocessableContent, e.errors.map { "\($0.file):\($0.line):\($0.column): \($0.message)" })
    } catch let e as IncentiveRequestError {
      return fail(.unprocessableContent, [e.message])
    }
  }
}
