import ArgumentParser
import ChannelKPI
import ChannelKPIStore
import Foundation

enum LifecycleView: String, ExpressibleByArgument, CaseIterable {
  case stages, cohorts, profile, enablement
}

struct LifecycleCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lifecycle",
    abstract: "Partners' lifecycle stages, onboarding by joining quarter, and the ideal partner profile.",
    discussion: """
      stages (default): each partner's stage in the current period and why: onboarding until its \
      first won deal (at most 90 days), inactive after two periods without activity, at risk when \
      its composite score fell two periods in a row or an alert fires for it, developing below its \
      type's median score, performing otherwise. A 'lifecycle:' section of the definitions changes \
      the rules.
      cohorts: partners by the quarter they joined, with days to a first win and the shares active \
      and certified within the onboarding window.
      profile: which attributes are over-represented among the top quartile of partners by a KPI; \
      with --prospect, a prospect's score.
      enablement: for each training of the 'enablement:' section that is a certifications.csv \
      program, its KPI the quarter before and after partners completed it, against comparable \
      partners (same type, not certified) over the same quarters.

        channelkpi lifecycle
        channelkpi lifecycle stages --stage at_risk --format csv
        channelkpi lifecycle cohorts
        channelkpi lifecycle enablement --format csv
        channelkpi lifecycle profile --kpi revenue --period 2026-Q3 --prospect type=msp --prospect region=emea
      """)

  @Argument(help: "What to show: stages, cohorts, profile or enablement.")
  var view: LifecycleView = .stages

  @Option(help: ArgumentHelp("Only partners in this stage (stages).", valueName: "stage"))
  var stage: String?

  @Option(help: ArgumentHelp("The KPI partners are ranked by (profile).", valueName: "id"))
  var kpi = "revenue"

  @Option(help: ArgumentHelp("The period (profile; default: the last quarter that ended).", valueName: "period"))
  var period: String?

  @Option(
    help: ArgumentHelp(
      "A prospect's attribute (profile; repeatable): type, region, country, tier, certified_90d or first_deal.",
      valueName: "name=value"))
  var prospect: [String] = []

  @Option(help: "Output format: table, csv or json.")
  var format: OutputFormat = .table

  @OptionGroup var options: ProgramOptions

  func validate() throws {
    if let stage, PartnerStage(rawValue: stage) == nil {
      throw ValidationError(
        "--stage '\(stage)' is not a stage: \(PartnerStage.allCases.map(\.rawValue).joined(separator: ", "))")
    }
    // name=value with a name: "=x" and "=" are refused (the value may be empty).
    for p in prospect where !p.contains("=") || p.hasPrefix("=") {
      throw ValidationError("--prospect '\(p)' is name=value, e.g. type=msp")
    }
  }

  func run() async throws {
    let ctx = try await ProgramContext(options)
    let lifecycle = LifecycleEvaluator(program: ctx.evaluator)
    switch view {
    case .stages:
      let alerts = try await options.db.withStore { store in try await store.alerts() }
      let all = lifecycle.lifecycles(alerting: StoredAlert.firingPartners(alerts))
      let shown = all.filter { stage == nil || $0.stage.rawValue == stage }
      switch format {
      case .json: print(try JSONOutput.encode(shown))
      case .csv:
        print("partner,name,type,stage,since,reason")
        for p in shown {
          print(
            [p.partner, p.name, p.type, p.stage.rawValue, p.since, p.reason].map(CSVText.field).joined(separator: ","))
        }
      case .table:
        print(
          TextTable.render(
            header: ["partner", "name", "type", "stage", "since", "why"],
            rows: shown.map { [$0.partner, $0.name, $0.type, $0.stage.rawValue, $0.since, $0.reason] }),
          terminator: "")
      }
    case .cohorts:
      let cohorts = lifecycle.cohorts()
      // CSV has every digit; the table rounds days to one decimal and shares to whole percents.
      func n(_ x: Double?) -> String {
        x.map { format == .csv ? ValueFormat.machine($0) : ValueFormat.fixed($0, decimals: 1) } ?? ""
      }
      func share(_ x: Double?) -> String {
        x.map { format == .csv ? ValueFormat.machine($0) : ValueFormat.fixed(100 * $0, decimals: 0) + "%" } ?? ""
      }
      switch format {
      case .json: print(try JSONOutput.encode(cohorts))
      case .csv, .table:
        let header = [
          "cohort", "partners", "with_first_win", "median_days_to_first_win", "mean_days_to_first_win", "past_window",
          "activated_share", "certified_share",
        ]
        let rows = cohorts.map { c in
          [
            c.cohort, String(c.partners), String(c.withFirstWin), n(c.medianDaysToFirstWin), n(c.meanDaysToFirstWin),
            String(c.pastWindow), share(c.activatedShare), share(c.certifiedShare),
          ]
        }
        if format == .csv {
          print(header.joined(separator: ","))
          for r in rows { print(r.joined(separator: ",")) }
        } else {
          print(TextTable.render(header: header, rows: rows, rightAlignFrom: 1), terminator: "")
        }
      }
    case .enablement:
      let effects = lifecycle.enablementEffects()
      switch format {
      case .json: print(try JSONOutput.encode(effects))
      case .csv, .table:
        func n(_ x: Double?) -> String {
          x.map { format == .csv ? ValueFormat.machine($0) : ValueFormat.fixed($0, decimals: 2) } ?? ""
        }
        let header = [
          "training", "program", "kpi", "partners", "before", "after", "change", "comparison_partners",
          "comparison_change", "difference", "note",
        ]
        let rows = effects.map { e in
          [
            e.training, e.program ?? "", e.kpi, String(e.partners), n(e.before), n(e.after), n(e.change),
            String(e.comparisonPartners), n(e.comparisonChange), n(e.difference), e.note ?? "",
          ]
        }
        if format == .csv {
          print(header.joined(separator: ","))
          for r in rows { print(r.map(CSVText.field).joined(separator: ",")) }
        } else {
          print(TextTable.render(header: header, rows: rows), terminator: "")
        }
      }
    case .profile:
      let p = try period.map { try ctx.period($0) }
      let profile: IdealPartnerProfile
      var score: ProspectScore?
      do {
        profile = try lifecycle.profile(kpi: kpi, period: p)
        if !prospect.isEmpty {
          var attributes: [String: String] = [:]
          for item in prospect {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            attributes[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
          }
          score = try PartnerProfiler.score(attributes, against: profile)
        }
      } catch { throw CLIError(error.message) }
      switch format {
      case .json:
        struct Answer: Encodable {
          var profile: IdealPartnerProfile
          var prospect: ProspectScore?
        }
        print(try JSONOutput.encode(Answer(profile: profile, prospect: score)))
      case .csv:
        print("attribute,value,partners,top,share,top_share,lift")
        for a in profile.attributes {
          print(
            [
              a.attribute, a.value, String(a.partners), String(a.top), ValueFormat.machine(a.share),
              ValueFormat.machine(a.topShare), ValueFormat.machine(a.lift),
            ].map(CSVText.field).joined(separator: ","))
        }
      case .table:
        print(
          "Top quartile of \(profile.partners) partners by \(kpi) in \(profile.period): \(profile.top) partners at \(ValueFormat.machine(profile.threshold)) or \(profile.better == .higher ? "more" : "less")"
        )
        print(
          TextTable.render(
            header: ["attribute", "value", "partners", "top", "lift"],
            rows: profile.attributes.map {
              [$0.attribute, $0.value, String($0.partners), String($0.top), ValueFormat.fixed($0.lift, decimals: 2)]
            }, rightAlignFrom: 2),
          terminator: "")
        if let score {
          print(
            "Prospect: lift \(ValueFormat.fixed(score.lift, decimals: 2)), a \(ValueFormat.fixed(100 * score.chance, decimals: 0))% chance of the top quartile"
          )
        }
      }
    }
  }
}
