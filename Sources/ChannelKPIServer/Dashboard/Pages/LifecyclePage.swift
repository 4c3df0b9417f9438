import ChannelKPI
import Foundation
import Plot

/// The partner lifecycle: every partner's stage and why, onboarding by joining quarter, the ideal
/// partner profile with a prospect's score, and the program's KPIs by lifecycle stage.
enum LifecyclePage {
  struct KPIRow: Hashable, Sendable {
    var id: String
    var name: String
    var value: String
    var status: TargetStatus?
  }

  struct Model: Hashable, Sendable {
    var chrome: PageChrome
    var rules: LifecycleRules
    var period: String?
    var partners: [PartnerLifecycle]
    var stage: PartnerStage?
    var counts: [PartnerStage: Int]
    var cohorts: [OnboardingCohort]
    /// What each training changed, with the unit of its KPI.
    var trainings: [(effect: EnablementEffect, unit: KPIUnit)]
    var profile: IdealPartnerProfile?
    var profileProblem: String?
    var prospect: [String: String]
    var score: ProspectScore?
    var scoreProblem: String?
    /// The network's KPIs by lifecycle stage (only for those who see every partner).
    var program: [(stage: LifecycleStage, kpis: [KPIRow])]

    static func == (a: Model, b: Model) -> Bool {
      a.chrome == b.chrome && a.partners == b.partners && a.cohorts == b.cohorts && a.profile == b.profile
    }
    func hash(into h: inout Hasher) { h.combine(partners) }
  }

  /// The stages KPIs are grouped by, in the order of a program's life.
  static let programStages: [LifecycleStage] = [
    .strategize, .recruit, .onboard, .enable, .market, .sell, .incentivize, .accelerate,
  ]

  static func build(service: KPIService, chrome: PageChrome, query: DashboardQuery, visibility: Visibility?)
    async throws -> Model
  {
    let seen: Set<String>? = (visibility?.all ?? true) ? nil : visibility?.partners
    let all = try await service.lifecycles(through: chrome.selection?.period).filter {
      seen?.contains($0.partner) ?? true
    }
    var counts: [PartnerStage: Int] = [:]
    for p in all { counts[p.stage, default: 0] += 1 }
    var stage: PartnerStage?
    if let text = query.string("stage") {
      guard let s = PartnerStage(rawValue: text) else {
        throw DashboardError.badRequest(
          "No such stage", "'\(text)' is not a stage: \(PartnerStage.allCases.map(\.rawValue).joined(separator: ", "))."
        )
      }
      stage = s
    }
    var profile: IdealPartnerProfile?
    var profileProblem: String?
    do { profile = try await service.idealProfile(kpi: "revenue", period: nil, seen: seen) } catch {
      profileProblem = (error as? ProfileError)?.message ?? "\(error)"
    }
    var prospect: [String: String] = [:]
    for name in IdealPartnerProfile.attributeNames {
      if let v = query.string(name), !v.isEmpty { prospect[name] = v }
    }
    var score: ProspectScore?
    var scoreProblem: String?
    if let profile, !prospect.isEmpty {
      do { score = try PartnerProfiler.score(prospect, against: profile) } catch { scoreProblem = error.message }
    }
    let catalog = service.catalog
    var program: [(LifecycleStage, [KPIRow])] = []
    if seen == nil, let s = chrome.selection {
      let tiles = try await OverviewPage.tiles(service: service, selection: s)
      for stage in programStages {
        let rows = tiles.filter { catalog.kpi($0.id)?.stages.contains(stage) ?? false }.map {
          KPIRow(id: $0.id, name: $0.name, value: DashboardFormat.value($0.value, unit: $0.unit), status: $0.status)
        }
        if !rows.isEmpty { program.append((stage, rows)) }
      }
    }
    let rules = await service.lifecycleRules(for: chrome.selection?.period)
    return Model(
      chrome: chrome, rules: rules, period: all.first?.history.last?.period,
      partners: all.filter { stage == nil || $0.stage == stage }, stage: stage, counts: counts,
      cohorts: await service.onboardingCohorts(seen: seen),
      trainings: await service.enablementEffects(seen: seen).map { ($0, catalog.kpi($0.kpi)?.unit ?? .number) },
      profile: profile, profileProblem: profileProblem,
      prospect: prospect, score: score, scoreProblem: scoreProblem, program: program)
  }

  static func badge(_ s: PartnerStage) -> Node<HTML.BodyContext> {
    let tone =
      switch s {
      case .performing: "badge-on_track"
      case .developing, .onboarding: "badge-at_risk"
      case .atRisk, .inactive: "badge-off_track"
      }
    return .span(.class("badge \(tone)"), .text(s.title))
  }

  struct View {
    let model: Model

    func render() -> String { Layout.render(model.chrome, content) }

    var rulesText: String {
      let r = model.rules
      return
        "Judged each \(r.grain.rawValue): onboarding until the first won deal, at most \(r.onboardingDays) days; inactive after \(r.inactivePeriods) \(r.grain.rawValue)\(r.inactivePeriods == 1 ? "" : "s") without any activity; at risk when the composite score fell \(r.fallingPeriods) \(r.grain.rawValue)\(r.fallingPeriods == 1 ? "" : "s") in a row\(r.alertsMeanAtRisk ? " or an alert fires" : ""); developing below the median score of its partner type; performing otherwise."
    }

    var content: Node<HTML.BodyContext> {
      .group(
        .pageHeader(eyebrow: model.period.map { "Stages in \($0)" }, title: "Lifecycle", lead: rulesText),
        stages, partners, cohorts, trainings, profile, program)
    }

    var stages: Node<HTML.BodyContext> {
      .section(
        .attr("aria-labelledby", "lifecycle-stages"),
        .h2(.id("lifecycle-stages"), "Partners by stage"),
        .div(
          .class("table-wrap"),
          .table(
            .thead(.tr(.col("Stage"), .col("Partners", numeric: true))),
            .tbody(
              .group(
                PartnerStage.allCases.map { s in
                  .tr(
                    .th(
                      .attr("scope", "row"),
                      .a(.href(DashboardRoute.lifecycle.path + "?stage=" + s.rawValue), .text(s.title))),
                    .num(String(model.counts[s] ?? 0)))
                })))))
    }

    var partners: Node<HTML.BodyContext> {
      .section(
        .attr("aria-labelledby", "lifecycle-partners"),
        .h2(.id("lifecycle-partners"), model.stage.map { "\($0.title) partners" } ?? "Partners"),
        model.partners.isEmpty
          ? .empty("No partner here", "No partner is in this stage.")
          : .div(
            .class("table-wrap"),
            .table(
              .thead(
                .tr(.col("Partner"), .col("Type"), .col("Stage"), .col("Since"), .col("Why"), .col("Days in stages"))),
              .tbody(
                .group(
                  model.partners.map { p in
                    .tr(
                      .th(.attr("scope", "row"), .a(.href(DashboardRoute.partner(p.partner).path), .text(p.name))),
                      .td(.plain(DashboardFormat.humanize(p.type))), .td(badge(p.stage)), .td(.plain(p.since)),
                      .td(.plain(p.reason)),
                      .td(
                        .plain(
                          PartnerStage.allCases.compactMap { s in p.days[s.rawValue].map { "\(s.title) \($0)" } }
                            .joined(separator: ", "))))
                  })))))
    }

    var cohorts: Node<HTML.BodyContext> {
      .section(
        .attr("aria-labelledby", "lifecycle-cohorts"),
        .h2(.id("lifecycle-cohorts"), "Onboarding by joining quarter"),
        .p(
          .class("muted"),
          .text(
            "Shares are over the partners whose first \(model.rules.onboardingDays) days have passed; days to a first win over those that have one."
          )),
        model.cohorts.isEmpty
          ? .empty("No partners yet", "Import partners to see their onboarding.")
          : .div(
            .class("table-wrap"),
            .table(
              .thead(
                .tr(
                  .col("Joined"), .col("Partners", numeric: true), .col("With a first win", numeric: true),
                  .col("Median days to first win", numeric: true),
                  .col("Active in \(model.rules.onboardingDays) days", numeric: true),
                  .col("Certified in \(model.rules.onboardingDays) days", numeric: true))),
              .tbody(
                .group(
                  model.cohorts.map { c in
                    .tr(
                      .th(.attr("scope", "row"), .plain(c.cohort)), .num(String(c.partners)),
                      .num(String(c.withFirstWin)),
                      .num(c.medianDaysToFirstWin.map { ValueFormat.fixed($0, decimals: 0) } ?? "–"),
                      .num(c.activatedShare.map { "\(DashboardFormat.percent($0)) of \(c.pastWindow)" } ?? "–"),
                      .num(c.certifiedShare.map { "\(DashboardFormat.percent($0)) of \(c.pastWindow)" } ?? "–"))
                  })))))
    }

    var trainings: Node<HTML.BodyContext> {
      .if(
        !model.trainings.isEmpty,
        .section(
          .attr("aria-labelledby", "lifecycle-trainings"),
          .h2(.id("lifecycle-trainings"), "What trainings changed"),
          .p(
            .class("muted"),
            .text(
              "For partners who completed a training's certification: its KPI the quarter before the quarter of completion and the quarter after, against partners of the same type who had not, over the same quarters."
            )),
          .div(
            .class("table-wrap"),
            .table(
              .thead(
                .tr(
                  .col("Training"), .col("KPI"), .col("Partners", numeric: true), .col("Before", numeric: true),
                  .col("After", numeric: true), .col("Change", numeric: true),
                  .col("Comparable partners", numeric: true),
                  .col("Their change", numeric: true), .col("Difference", numeric: true))),
              .tbody(
                .group(
                  model.trainings.map { t in
                    let e = t.effect
                    func v(_ x: Double?) -> String { DashboardFormat.value(x, unit: t.unit) }
                    return .tr(
                      .th(.attr("scope", "row"), .plain(e.training)), .td(.plain(e.kpiName)),
                      .group(
                        e.partners == 0
                          ? [.td(.attr("colspan", "7"), .class("muted"), .text(e.note ?? ""))]
                          : [
                            .num(String(e.partners)), .num(v(e.before)), .num(v(e.after)), .num(v(e.change)),
                            .num(String(e.comparisonPartners)), .num(v(e.comparisonChange)), .num(v(e.difference)),
                          ]))
                  }))))))
    }

    var profile: Node<HTML.BodyContext> {
      guard let p = model.profile else {
        return .section(
          .attr("aria-labelledby", "lifecycle-profile"), .h2(.id("lifecycle-profile"), "Ideal partner profile"),
          .empty("No profile", model.profileProblem ?? ""))
      }
      let strong = p.attributes.filter { $0.lift > 1 && $0.partners >= PartnerProfiler.minimumPartners }
      return .section(
        .attr("aria-labelledby", "lifecycle-profile"),
        .h2(.id("lifecycle-profile"), "Ideal partner profile"),
        .p(
          .text(
            "What the top quartile of partners by revenue in \(p.period) (\(p.top) of \(p.partners), revenue of at least \(DashboardFormat.money(p.threshold))) have more often than the others. Lift 2 means twice as common among the best as among all."
          )),
        strong.isEmpty
          ? .empty("Nothing stands out", "No attribute held by at least 3 partners is over-represented at the top.")
          : .div(
            .class("table-wrap"),
            .table(
              .thead(
                .tr(
                  .col("Attribute"), .col("Value"), .col("Lift", numeric: true), .col("Top quartile", numeric: true),
                  .col("All partners", numeric: true))),
              .tbody(
                .group(
                  strong.map { a in
                    .tr(
                      .td(.plain(DashboardFormat.humanize(a.attribute))), .td(.plain(a.value)),
                      .num(ValueFormat.fixed(a.lift, decimals: 2)),
                      .num("\(a.top) (\(DashboardFormat.percent(a.topShare)))"),
                      .num("\(a.partners) (\(DashboardFormat.percent(a.share)))"))
                  })))),
        prospectForm(p))
    }

    func prospectForm(_ p: IdealPartnerProfile) -> Node<HTML.BodyContext> {
      let fields = [
        ("type", "Type", "msp"), ("region", "Region", "emea"), ("country", "Country", "DE"), ("tier", "Tier", "gold"),
        ("certified_90d", "Certified within 90 days", "yes or no"), ("first_deal", "First deal amount", "25000"),
      ]
      let base = Double(p.top) / Double(p.partners)
      return .div(
        .class("prospect"),
        .h3(.id("prospect-title"), "Score a prospect"),
        .form(
          .attr("method", "get"), .attr("action", DashboardRoute.lifecycle.path),
          .group(
            fields.map { name, label, hint in
              .group(
                .label(.for("prospect-\(name)"), .text(label)),
                .input(
                  .type(.text), .name(name), .id("prospect-\(name)"), .value(model.prospect[name] ?? ""),
                  .placeholder(hint)))
            }),
          .button(.type(.submit), .class("btn"), "Score")),
        .if(
          model.scoreProblem != nil, .p(.class("form-error"), .attr("role", "alert"), .text(model.scoreProblem ?? ""))),
        .unwrap(model.score) { s in
          .p(
            .class("prospect-score"),
            .text(
              "Lift \(ValueFormat.fixed(s.lift, decimals: 2)): a \(DashboardFormat.percent(s.chance)) chance of reaching the top quartile (an average partner: \(DashboardFormat.percent(base)))."
                + (s.parts.contains { $0.lift == nil }
                  ? " Not counted, too few partners have them: "
                    + s.parts.filter { $0.lift == nil }.map { "\($0.attribute) \($0.value)" }.joined(separator: ", ")
                    + "."
                  : "")))
        })
    }

    var program: Node<HTML.BodyContext> {
      .if(
        !model.program.isEmpty,
        .section(
          .attr("aria-labelledby", "lifecycle-program"),
          .h2(.id("lifecycle-program"), "The program by lifecycle stage"),
          .group(
            model.program.map { group in
              .div(
                .class("table-wrap"),
                .table(
                  .caption(.text(DashboardFormat.humanize(group.stage.rawValue))),
                  .thead(.tr(.col("KPI"), .col("Network", numeric: true), .col("Target"))),
                  .tbody(
                    .group(
                      group.kpis.map { k in
                        .tr(
                          .th(.attr("scope", "row"), .a(.href(DashboardRoute.kpi(k.id).path), .text(k.name))),
                          .num(k.value), .td(k.status.map { .statusBadge($0) } ?? .plain("–")))
                      }))))
            })))
    }
  }
}
