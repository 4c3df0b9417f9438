import ChannelKPI
import Plot

extension DataPage {
  /// Renders the data page.
  struct View {
    let model: Model

    func render() -> String { Layout.render(model.chrome, content) }

    var selection: PeriodSelection? { model.chrome.selection }

    var content: Node<HTML.BodyContext> {
      .group(
        .pageHeader(
          title: "Data",
          lead:
            "Upload the program’s facts as CSV files in the canonical format. Every row is checked first: when a file has problems nothing is stored, unless you choose to store the good rows."
        ),
        .unwrap(model.report) { report($0) },
        uploadForm,
        tables,
        history)
    }

    // MARK: Report

    func report(_ r: Report) -> Node<HTML.BodyContext> {
      let file = r.fileName.map { "“\($0)”" } ?? "The upload"
      let headline: String
      let cls: String
      switch r.outcome {
      case .stored:
        headline =
          "\(file) was imported: \(DashboardFormat.count(r.rowsStored)) rows stored\(r.mapping.map { " through the mapping \($0)" } ?? "")."
        cls = "notice-good"
      case .storedWithProblems:
        headline =
          "\(file) was imported in part: \(DashboardFormat.count(r.rowsStored)) rows stored, \(DashboardFormat.count(r.rowsRejected)) skipped."
        cls = "notice-warn"
      case .rejected:
        headline =
          "\(file) was not imported: \(DashboardFormat.count(r.problemCount)) \(r.problemCount == 1 ? "problem" : "problems") found, nothing was stored."
        cls = "notice-bad"
      case .invalid:
        headline = r.message ?? "The upload could not be used."
        cls = "notice-bad"
      }
      return .section(
        .class("section"), .attr("aria-labelledby", "report"), .attr("role", r.outcome == .stored ? "status" : "alert"),
        .div(
          .class("notice \(cls)"),
          .h2(.id("report"), .plain(r.outcome == .invalid ? "Upload not accepted" : "Validation report")),
          .p(.plain(headline)),
          .if(
            r.outcome != .invalid && r.outcome != .rejected,
            .p(
              .plain(
                "Rows read: \(DashboardFormat.count(r.rowsRead)) · stored: \(DashboardFormat.count(r.rowsStored)) · rejected: \(DashboardFormat.count(r.rowsRejected))"
                  + (r.rowsSkipped > 0 ? " · skipped by the mapping: \(DashboardFormat.count(r.rowsSkipped))" : "")
                  + (r.rowsByTable.isEmpty
                    ? ""
                    : " · by table: "
                      + r.rowsByTable.sorted { $0.key < $1.key }.map { "\($0.key) \(DashboardFormat.count($0.value))" }
                      .joined(separator: ", ")))))),
        .if(!r.problems.isEmpty, problems(r)))
    }

    func problems(_ r: Report) -> Node<HTML.BodyContext> {
      .div(
        .class("table-wrap"),
        .table(
          .caption(
            .plain(
              r.problemCount > r.problems.count
                ? "The first \(r.problems.count) of \(DashboardFormat.count(r.problemCount)) problems" : "Problems")),
          .thead(
            .tr(.col("File"), .col("Line", numeric: true), .col("Column", numeric: true), .col("Field"), .col("Rule"))),
          .tbody(
            .group(
              r.problems.map { p in
                .tr(
                  .td(.plain(p.file)), .num(String(p.line)), .num(p.column.map(String.init) ?? "—"),
                  .td(.unwrap(p.field, { .code(.plain($0)) }, else: .plain("—"))), .td(.plain(p.message)))
              }))))
    }

    // MARK: Form

    var uploadForm: Node<HTML.BodyContext> {
      .section(
        .class("card section"), .attr("aria-labelledby", "upload"),
        .h2(.id("upload"), "Upload a CSV file"),
        .form(
          .class("upload-form"), .attr("method", "post"), .attr("action", DashboardRoute.upload.url(selection)),
          .attr("enctype", "multipart/form-data"), .csrfField,
          .div(
            .class("row"),
            .div(
              .class("field"),
              .label(.for("file"), "CSV file"),
              .element(
                named: "input",
                nodes: [
                  .attr("type", "file"), .attr("id", "file"), .attr("name", "file"), .attr("accept", ".csv,text/csv"),
                  .flag("required"), .attr("aria-describedby", "file-hint"),
                ])),
            .labelledSelect(
              id: "table", name: "table", label: "Table",
              options: [("auto", "From the file name")] + CanonicalTable.allCases.map { ($0.rawValue, $0.rawValue) },
              selected: "auto"),
            // CRM mappings: the YAML files of the mappings directory (disabled when there are none).
            .labelledSelect(
              id: "mapping", name: "mapping", label: "CRM mapping",
              options: [("none", "None (canonical CSV)")] + model.mappings.map { ($0.id, $0.label) }, selected: "none",
              disabled: model.mappings.isEmpty)
          ),
          .p(
            .id("file-hint"), .class("hint"),
            .plain(
              "Name the file after its table (deals.csv, deals.2025-06.csv) or choose the table. "
                + (model.mappings.isEmpty
                  ? "No CRM mapping is installed\(model.mappingsDirectory.map { " (in \($0)/)" } ?? ""): upload canonical CSV files."
                  : "To import a CRM export as it is, choose its mapping: the table is the mapping’s."))),
          .div(
            .class("check"),
            .element(
              named: "input",
              nodes: [
                .attr("type", "checkbox"), .attr("id", "store_good_rows"), .attr("name", "store_good_rows"),
                .attr("value", "on"),
              ]),
            .label(
              .for("store_good_rows"), .strong("Store the good rows"),
              .span(.class("hint"), .plain(" — skip the rows with problems instead of rejecting the whole file")))),
          .div(
            .class("check"),
            .element(
              named: "input",
              nodes: [
                .attr("type", "checkbox"), .attr("id", "ignore_unknown_columns"),
                .attr("name", "ignore_unknown_columns"),
                .attr("value", "on"),
              ]),
            .label(
              .for("ignore_unknown_columns"), .strong("Ignore unknown columns"),
              .span(.class("hint"), .plain(" — accept columns the canonical format does not have")))),
          .div(.button(.type(.submit), .class("btn"), "Check and import"))))
    }

    // MARK: Tables and history

    var tables: Node<HTML.BodyContext> {
      .section(
        .class("section"), .attr("aria-labelledby", "tables"),
        .h2(.id("tables"), "Tables"),
        .div(
          .class("table-wrap"),
          .table(
            .thead(.tr(.col("Table"), .col("Rows stored", numeric: true), .col("Columns (required in bold)"))),
            .tbody(
              .group(
                model.tables.map { t in
                  .tr(
                    .th(.attr("scope", "row"), .code(.plain(t.name))),
                    .num(DashboardFormat.count(t.stored)),
                    .td(
                      .group(
                        t.columns.enumerated().map { i, c in
                          .group(
                            .if(i > 0, .plain(", ")),
                            t.required.contains(c) ? .strong(.plain(c)) : .plain(c))
                        })))
                })))))
    }

    var history: Node<HTML.BodyContext> {
      .section(
        .class("section"), .attr("aria-labelledby", "history"),
        .h2(.id("history"), "Import history"),
        model.history.isEmpty
          ? .empty("No imports yet", "Imports appear here once a file has been stored.")
          : .div(
            .class("table-wrap"),
            .table(
              .caption(.class("sr-only"), .plain("The last \(DataPage.historyLimit) imports, newest first")),
              .thead(
                .tr(
                  .col("#", numeric: true), .col("Finished"), .col("Files"), .col("Read", numeric: true),
                  .col("Stored", numeric: true), .col("Rejected", numeric: true), .col("By table"))),
              .tbody(
                .group(
                  model.history.map { h in
                    .tr(
                      .td(.class("num rank"), .plain(String(h.id))),
                      .td(.plain(h.finishedAt)),
                      .td(.plain(filesLabel(h.files))),
                      .num(DashboardFormat.count(h.read)), .num(DashboardFormat.count(h.stored)),
                      .num(DashboardFormat.count(h.rejected)),
                      .td(
                        .class("sub"),
                        .plain(
                          h.byTable.sorted { $0.key < $1.key }.map { "\($0.key) \(DashboardFormat.count($0.value))" }
                            .joined(separator: ", "))))
                  })))))
    }

    func filesLabel(_ files: [String]) -> String {
      files.count <= 3
        ? files.joined(separator: ", ") : files.prefix(3).joined(separator: ", ") + " and \(files.count - 3) more"
    }
  }
}
