import ArgumentParser
import ChannelKPI
import ChannelKPIStore
import Foundation

/// The period and output format of a report.
struct ReportOptions: ParsableArguments {
  @Option(help: ArgumentHelp("The period (default: the quarter of the latest data).", valueName: "period"))
  var period: String?

  @Option(help: "Output format: table, csv or json.")
  var format: OutputFormat = .table
}

struct TargetsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "targets",
    abstract: "The targets in force for a period, resolved to values, with actuals and status.",
    discussion: "Each target definition is shown for its own scope: its baseline, target value, actual and status.")

  @OptionGroup var report: ReportOptions
  @OptionGroup var options: ProgramOptions

  var period: String? { report.period }
  var format: OutputFormat { report.format }

  func run() async throws {
    let ctx = try await ProgramContext(options)
    let p = try ctx.period(period)
    let (version, _, _) = ctx.evaluator.definitions(for: p)
    let partners = Dictionary(uniqueKeysWithValues: ctx.engine.partners().map { ($0.id, $0) })
    let rows = ctx.evaluator.targetStandings(period: p, partners: partners)
    switch format {
    case .csv:
      print("kpi,scope,rule,baseline,target,actual,attainment,status,version")
      for (t, s) in rows {
        print(
          [
            t.kpi, t.scope.description, CSVFormat.line([t.rule.description]), ValueFormat.machine(s?.baseline),
            ValueFormat.machine(s?.target), ValueFormat.machine(s?.actual), ValueFormat.machine(s?.attainment),
            s?.status.rawValue ?? "", version.map { "v\($0.number)" } ?? "",
          ].joined(separator: ","))
      }
    case .json:
      let items = rows.map { t, s in
        "{\"kpi\":\(JSON.string(t.kpi)),\"scope\":\(JSON.string(t.scope.description)),\"rule\":\(JSON.string(t.rule.description)),\"grain\":\(t.grain.map { JSON.string($0.rawValue) } ?? "null"),\"from\":\(t.from.map { JSON.string($0.description) } ?? "null"),\"to\":\(t.to.map { JSON.string($0.description) } ?? "null"),\"baseline\":\(JSON.number(s?.baseline)),\"target\":\(JSON.number(s?.target)),\"actual\":\(JSON.number(s?.actual)),\"attainment\":\(JSON.number(s?.attainment)),\"status\":\(s.map { JSON.string($0.status.rawValue) } ?? "null")}"
      }
      print(
        "{\"period\":\(JSON.string(p.description)),\"version\":\(version.map { String($0.number) } ?? "null"),\"targets\":[\(items.joined(separator: ","))]}"
      )
    case .table:
      print("Targets for \(p) — definitions \(version?.label ?? "none in force")\n")
      let table = rows.map { t, s in
        [
          t.kpi, t.scope.description, t.rule.description, ValueFormat.human(s?.baseline, unit: s?.unit ?? .number),
          ValueFormat.human(s?.target, unit: s?.unit ?? .number),
          ValueFormat.human(s?.actual, unit: s?.unit ?? .number),
          s?.status.label ?? "no data",
        ]
      }
      print(
        TextTable.render(
          header: ["KPI", "scope", "rule", "baseline", "target", "actual", "status"], rows: table, rightAlignFrom: 3),
        terminator: "")
    }
  }
}

struct ObjectivesCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "objectives",
    abstract: "The program's objectives, whether they are active, and how their KPIs stand for the network.")

  @OptionGroup var report: ReportOptions
  @OptionGroup var options: ProgramOptions

  var period: String? { report.period }
  var format: OutputFormat { report.format }

  func run() async throws {
    let ctx = try await ProgramContext(options)
    let p = try ctx.period(period)
    let (version, defs, _) = ctx.evaluator.definitions(for: p)
    let kpis = Array(Set(defs.objectives.flatMap(\.kpis))).sorted()
    let standings =
      kpis.isEmpty ? [] : (try ctx.evaluator.standings(kpis: kpis, scopes: [.network], period: p)[.network] ?? [])
    let byKPI = Dictionary(uniqueKeysWithValues: standings.map { ($0.kpi, $0) })
    switch format {
    case .csv:
      print("objective,name,owner,from,to,active,kpi,actual,target,status,version")
      for o in defs.objectives {
        for k in o.kpis {
          let s = byKPI[k]
          print(
            CSVFormat.line([
              o.id, o.name, o.owner, o.from?.description ?? "", o.to?.description ?? "",
              o.isActive(in: p.months) ? "true" : "false", k, ValueFormat.machine(s?.actual),
              ValueFormat.machine(s?.target), s?.status.rawValue ?? "", version.map { "v\($0.number)" } ?? "",
            ]))
        }
      }
    case .json:
      let items = defs.objectives.map { o in
        let ks = o.kpis.map { k in
          let s = byKPI[k]
          return
            "{\"kpi\":\(JSON.string(k)),\"actual\":\(JSON.number(s?.actual)),\"target\":\(JSON.number(s?.target)),\"status\":\(s.map { JSON.string($0.status.rawValue) } ?? "null")}"
        }
        return
          "{\"id\":\(JSON.string(o.id)),\"name\":\(JSON.string(o.name)),\"description\":\(JSON.string(o.description)),\"owner\":\(JSON.string(o.owner)),\"from\":\(o.from.map { JSON.string($0.description) } ?? "null"),\"to\":\(o.to.map { JSON.string($0.description) } ?? "null"),\"active\":\(o.isActive(in: p.months)),\"kpis\":[\(ks.joined(separator: ","))]}"
      }
      print(
        "{\"period\":\(JSON.string(p.description)),\"version\":\(version.map { String($0.number) } ?? "null"),\"objectives\":[\(items.joined(separator: ","))]}"
      )
    case .table:
      print("Objectives in \(p) — definitions \(version?.label ?? "none in force")")
      for o in defs.objectives {
        let span = "\(o.from?.description ?? "…")–\(o.to?.description ?? "…")"
        print(
          "\n\(o.name) [\(o.id)] — \(o.owner.isEmpty ? "no owner" : o.owner), \(span)\(o.isActive(in: p.months) ? "" : " (not active)")"
        )
        if !o.description.isEmpty { print("  \(o.description)") }
        let rows = o.kpis.map { k -> [String] in
          let s = byKPI[k]
          return [
            "  " + (s?.name ?? k), ValueFormat.human(s?.actual, unit: s?.unit ?? .number),
            ValueFormat.human(s?.target, unit: s?.unit ?? .number), s?.status.label ?? "no data",
          ]
        }
        print(
          TextTable.render(header: ["  KPI (network)", "actual", "target", "status"], rows: rows, rightAlignFrom: 1),
          terminator: "")
      }
    }
  }
}

struct ReviewCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "review",
    abstract: "Record and list reviews of partner scorecards and KPIs.",
    subcommands: [ReviewAddCommand.self, ReviewListCommand.self])
}

struct ReviewAddCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add",
    abstract: "Record a review: of a partner's scorecard (--partner), of a KPI (--kpi), or of one KPI of a partner.")

  @Option(help: ArgumentHelp("The partner whose scorecard was reviewed.", valueName: "id"))
  var partner: String?

  @Option(help: ArgumentHelp("The KPI reviewed.", valueName: "id"))
  var kpi: String?

  @Option(help: ArgumentHelp("The period reviewed.", valueName: "period"))
  var period: String?

  @Option(name: .customLong("by"), help: ArgumentHelp("Who reviewed.", valueName: "name"))
  var reviewer: String

  @Option(help: "What the review found.")
  var finding: String

  @Option(help: "The action agreed.")
  var action: String

  @Option(help: ArgumentHelp("The day of the review (default: today).", valueName: "date"))
  var date: String?

  @OptionGroup var db: DatabaseOptions

  func validate() throws {
    guard partner != nil || kpi != nil else {
      throw ValidationError("say what was reviewed: --partner ID and/or --kpi ID")
    }
    if let period, Period(period) == nil { throw ValidationError("--period '\(period)' is not a period") }
    if let date, Day(iso: date) == nil { throw ValidationError("--date '\(date)' is not a date YYYY-MM-DD") }
    for (name, v) in [("--by", reviewer), ("--finding", finding), ("--action", action)]
    where v.trimmingCharacters(in: .whitespaces).isEmpty {
      throw ValidationError("\(name) must not be empty")
    }
  }

  func run() async throws {
    try await db.withStore { store in try await record(into: store) }
  }

  private func record(into store: any Store) async throws {
    if let kpi, CatalogCompiler.isKnown(kpi) == false {
      let versions = try await store.programVersions()
      let (_, compiled, _) = try ProgramLoader.load(versions)
      if !compiled.variantCatalogs.contains(where: { $0.kpi(kpi) != nil }) {
        throw CLIError("unknown KPI '\(kpi)'\(Spelling.hint(for: kpi, in: compiled.kpis.map(\.id)))")
      }
    }
    if let partner, !(try await store.keys(of: .partners)).contains(partner) {
      throw CLIError("no partner '\(partner)' is stored")
    }
    let day =
      date.flatMap { Day(iso: $0) } ?? Day(number: Int32((Date().timeIntervalSince1970 / 86_400).rounded(.down)))
    try await CLIActor.record(store, "addReview", target: partner ?? kpi ?? "")
    let id = try await store.addReview(
      Review(
        date: day, reviewer: reviewer, partner: partner, kpi: kpi, period: period.flatMap(Period.init),
        finding: finding,
        action: action))
    print(
      "Recorded review \(id) of \([partner.map { "partner \($0)" }, kpi.map { "KPI \($0)" }].compactMap { $0 }.joined(separator: ", ")) on \(day)."
    )
  }
}

struct ReviewListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "list", abstract: "List recorded reviews.")

  @Option(help: "Output format: table, csv or json.")
  var format: OutputFormat = .table

  @OptionGroup var db: DatabaseOptions

  func run() async throws {
    let reviews = try await db.withStore { try await $0.reviews() }
    switch format {
    case .csv:
      print("id,date,reviewer,partner,kpi,period,finding,action")
      for r in reviews {
        print(
          CSVFormat.line([
            String(r.id ?? 0), r.date.description, r.reviewer, r.partner ?? "", r.kpi ?? "",
            r.period?.description ?? "",
            r.finding, r.action,
          ]))
      }
    case .json:
      let items = reviews.map { r in
        "{\"id\":\(r.id ?? 0),\"date\":\(JSON.string(r.date.description)),\"reviewer\":\(JSON.string(r.reviewer)),\"partner\":\(r.partner.map(JSON.string) ?? "null"),\"kpi\":\(r.kpi.map(JSON.string) ?? "null"),\"period\":\(r.period.map { JSON.string($0.description) } ?? "null"),\"finding\":\(JSON.string(r.finding)),\"action\":\(JSON.string(r.action))}"
      }
      print("{\"reviews\":[\(items.joined(separator: ","))]}")
    case .table:
      if reviews.isEmpty {
        print("No reviews recorded yet: channelkpi review add --partner ID --by NAME --finding … --action …")
        return
      }
      let rows = reviews.map { r in
        [
          r.date.description, r.reviewer, r.partner ?? "", r.kpi ?? "", r.period?.description ?? "", r.finding,
          r.action,
        ]
      }
      print(
        TextTable.render(header: ["date", "by", "partner", "kpi", "period", "finding", "action"], rows: rows),
        terminator: "")
    }
  }
}

struct CheckCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract:
      "Check the program for KPI pitfalls: too many, irrelevant, lacking data, ignored, static, badly targeted.",
    discussion: """
      Looks at the definitions in force and the recent periods up to --period. Thresholds come from \
      the 'hygiene' section of the definitions. With --strict the command exits with status 1 when \
      it finds anything, so it can run in a team's own CI.
      """)

  @Option(
    help: ArgumentHelp("The last period to look at (default: the quarter of the latest data).", valueName: "period"))
  var period: String?

  @Flag(help: "Exit with status 1 when anything is found.")
  var strict = false

  @Option(help: "Output format: table, csv or json.")
  var format: OutputFormat = .table

  @OptionGroup var options: ProgramOptions

  func run() async throws {
    let ctx = try await ProgramContext(options)
    let p = try ctx.period(period)
    let findings: [HygieneFinding]
    do {
      findings = try HygieneChecker(evaluator: ctx.evaluator, reviews: ctx.reviews).check(asOf: p)
    } catch let e as ProgramError { throw CLIError(e.message) }
    let version = ctx.evaluator.definitions(for: p).0
    switch format {
    case .csv:
      print("rule,subject,message,evidence,version")
      for f in findings {
        print(
          CSVFormat.line([
            f.rule.rawValue, f.subject, f.message, f.evidence.joined(separator: "; "),
            version.map { "v\($0.number)" } ?? "",
          ]))
      }
    case .json:
      let items = findings.map { f in
        "{\"rule\":\(JSON.string(f.rule.rawValue)),\"subject\":\(JSON.string(f.subject)),\"message\":\(JSON.string(f.message)),\"evidence\":[\(f.evidence.map(JSON.string).joined(separator: ","))]}"
      }
      print(
        "{\"period\":\(JSON.string(p.description)),\"version\":\(version.map { String($0.number) } ?? "null"),\"findings\":[\(items.joined(separator: ","))]}"
      )
    case .table:
      print("KPI hygiene up to \(p) — definitions \(version?.label ?? "none")\n")
      if findings.isEmpty { print("No problems found.") }
      for f in findings {
        print("[\(f.rule.rawValue)] \(f.subject): \(f.message)")
        for e in f.evidence { print("    \(e)") }
      }
      if !findings.isEmpty { print("\n\(findings.count) finding\(findings.count == 1 ? "" : "s").") }
    }
    if strict && !findings.isEmpty { throw ExitCode(1) }
  }
}
