import Foundation
import Testing

/// A small demo (40 partners, 24 months to 2025-12) imported, with its definitions applied as v1
/// effective 2024-01-01. Made once; each test works on its own copy.
private enum PreparedDemo {
  struct Prepared {
    var dir: URL
    var demoData: CLI.Result
    var apply: CLI.Result
  }

  struct SetupFailed: Error, CustomStringConvertible {
    var description: String
  }

  static let prepared: Result<Prepared, any Error> = Result {
    let dir = try CLI.temporaryDirectory()
    let demo = try CLI.run(
      ["demo-data", "--out", "demo", "--partners", "40", "--months", "24", "--end", "2025-12"], in: dir)
    guard demo.status == 0 else { throw SetupFailed(description: "demo-data failed: \(demo.stderr)") }
    let imported = try CLI.run(["import", "demo"], in: dir)
    guard imported.status == 0 else { throw SetupFailed(description: "import failed: \(imported.stderr)") }
    let apply = try CLI.run(["program", "apply", "demo/program", "--effective", "2024-01-01"], in: dir)
    guard apply.status == 0 else { throw SetupFailed(description: "program apply failed: \(apply.stderr)") }
    return Prepared(dir: dir, demoData: demo, apply: apply)
  }

  /// A fresh copy of the prepared directory (database, CSV files and definitions).
  static func copy() throws -> URL {
    let source = try prepared.get().dir
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("channelkpi-cli-\(UUID().uuidString)")
    try FileManager.default.copyItem(at: source, to: dir)
    return dir
  }
}

/// Options shared by the commands that evaluate the program: a fixed "today" after the demo's data.
private let asOf = ["--period", "2025-Q4", "--today", "2026-06-01"]

private func json(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
  let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
  return try #require(object as? [String: Any], "not a JSON object: \(text)", sourceLocation: sourceLocation)
}

private func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

/// Runs a command that must succeed.
@discardableResult
private func run(_ args: [String], in dir: URL, sourceLocation: SourceLocation = #_sourceLocation) throws
  -> CLI.Result
{
  let r = try CLI.run(args, in: dir)
  #expect(r.status == 0, "\(args.joined(separator: " ")): \(r.stderr)", sourceLocation: sourceLocation)
  return r
}

/// The 1-based line and column of the first `needle` in `text`.
private func position(of needle: String, in text: String) -> (line: Int, column: Int)? {
  for (i, line) in text.components(separatedBy: "\n").enumerated() {
    if let r = line.range(of: needle) { return (i + 1, line.distance(from: line.startIndex, to: r.lowerBound) + 1) }
  }
  return nil
}

@Suite struct ProgramCLITests {
  @Test func demoDataWritesTheDefinitionsAndApplyStoresThemAsAVersion() throws {
    let prepared = try PreparedDemo.prepared.get()
    #expect(prepared.demoData.stdout.contains("its definitions to demo/program/"))
    let program = prepared.dir.appendingPathComponent("demo/program").path
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: program).sorted() == [
        "alerts.yaml", "benchmarks.yaml", "enablement.yaml", "hygiene.yaml", "incentives.yaml", "objectives.yaml",
        "scorecards.yaml",
        "targets.yaml",
        "tiers.yaml",
      ])
    #expect(
      prepared.apply.stdout
        == "Applied the definitions in demo/program as v1, effective 2024-01-01: 4 objectives, 19 targets, 6 scorecards, 0 KPIs defined, a ladder of 4 levels, 4 incentive plans, 4 alert rules.\n"
    )
    let dir = try PreparedDemo.copy()
    defer { try? FileManager.default.removeItem(at: dir) }
    let versions = try run(["program", "versions"], in: dir)
    let v1 = try #require(lines(versions.stdout).first { $0.hasPrefix("v1 ") })
    #expect(v1.contains("2024-01-01"))
    #expect(v1.contains("hygiene.yaml, incentives.yaml, objectives.yaml, scorecards.yaml, targets.yaml, tiers.yaml"))
    // A dry run checks without storing; a period as --effective means its first day.
    let dry = try run(["program", "apply", "demo/program", "--dry-run"], in: dir)
    #expect(dry.stdout.hasPrefix("The definitions in demo/program are valid: 4 objectives, 19 targets"))
    #expect(try run(["program", "versions"], in: dir).stdout == versions.stdout)
    let v2 = try run(["program", "apply", "demo/program", "--effective", "2025-Q3", "--note", "again"], in: dir)
    #expect(v2.stdout.contains("as v2, effective 2025-07-01"))
    let after = lines(try run(["program", "versions"], in: dir).stdout)
    #expect(after.contains { $0.hasPrefix("v2 ") && $0.contains("2025-07-01") && $0.hasSuffix("again") })
  }

  @Test func aBrokenDirectoryIsRejectedWithPlacesAndNothingIsStored() throws {
    let dir = try PreparedDemo.copy()
    defer { try? FileManager.default.removeItem(at: dir) }
    let before = try run(["program", "versions"], in: dir).stdout
    let broken = dir.appendingPathComponent("broken")
    try FileManager.default.copyItem(at: dir.appendingPathComponent("demo/program"), to: broken)
    // A misspelt KPI in targets.yaml and a zero weight in scorecards.yaml.
    let targetsURL = broken.appendingPathComponent("targets.yaml")
    let targets = try String(contentsOf: targetsURL, encoding: .utf8)
      .replacingOccurrences(of: "- kpi: win_rate\n    scope: type:msp", with: "- kpi: win_ratte\n    scope: type:msp")
    try targets.write(to: targetsURL, atomically: true, encoding: .utf8)
    let cardsURL = broken.appendingPathComponent("scorecards.yaml")
    let cards = try String(contentsOf: cardsURL, encoding: .utf8)
      .replacingOccurrences(of: "{kpi: marketing_roi, weight: 1}", with: "{kpi: marketing_roi, weight: 0}")
    try cards.write(to: cardsURL, atomically: true, encoding: .utf8)
    let kpi = try #require(position(of: "win_ratte", in: targets))
    let weight = try #require(position(of: "weight: 0}", in: cards))

    let r = try CLI.run(["program", "apply", "broken", "--effective", "2025-01-01"], in: dir)
    #expect(r.status != 0)
    #expect(
      r.stderr.contains(
        "broken/targets.yaml:\(kpi.line):\(kpi.column): unknown KPI 'win_ratte'; did you mean 'win_rate'?"),
      "\(r.stderr)")
    #expect(r.stderr.contains("broken/scorecards.yaml:\(weight.line):\(weight.column + 8): a weight must be above 0"))
    #expect(r.stderr.contains("Nothing was applied"))
    #expect(try run(["program", "versions"], in: dir).stdout == before)
  }

  @Test func scorecardsOfAPartnerATypeAndTheNetwork() throws {
    let dir = try PreparedDemo.copy()
    defer { try? FileManager.default.removeItem(at: dir) }
    // The resellers, ranked (JSON).
    let typeJSON = try json(try run(["scorecard", "--type", "reseller", "--format", "json"] + asOf, in: dir).stdout)
    let cards = try #require(typeJSON["scorecards"] as? [[String: Any]])
    #expect(cards.count > 3)
    let ranks = cards.compactMap { $0["rank"] as? Int }
    #expect(ranks.first == 1)
    #expect(ranks == ranks.sorted())
    for c in cards {
      #expect(c["scorecard"] as? String == "reseller")
      #expect(c["version"] as? Int == 1)
      #expect(c["period"] as? String == "2025-Q4")
      #expect(
        (c["kpis"] as? [[String: Any]])?.map { $0["kpi"] as? String } == [
          "revenue", "win_rate", "deal_registrations", "nps",
        ])
      if let rank = c["rank"] as? Int {
        #expect(c["peers"] as? Int == ranks.count)
        let composite = try #require(c["composite"] as? Double)
        #expect((0...100).contains(composite))
        let percentile = try #require(c["percentile"] as? Double)
        #expect((0...100).contains(percentile))
        #expect(rank >= 1 && rank <= ranks.count)
      }
    }
    // The same as a table: every partner listed with its rank.
    let ids = cards.compactMap { ($0["scope"] as? String)?.replacingOccurrences(of: "partner:", with: "") }
    let table = try run(["scorecard", "--type", "reseller"] + asOf, in: dir).stdout
    #expect(table.hasPrefix("Reseller scorecard — 2025-Q4 — definitions v1 (effective 2024-01-01)"))
    for id in ids { #expect(table.contains(id)) }
    #expect(lines(table).contains { $0.hasPrefix("1 ") && $0.contains(ids[0]) })
    // As CSV: one row per partner and KPI, 14 fields each.
    let csv = lines(try run(["scorecard", "--type", "reseller", "--format", "csv"] + asOf, in: dir).stdout)
    #expect(
      csv.first
        == "scope,period,kpi,weight,actual,pace,target,baseline,attainment,status,composite,rank,percentile,version")
    #expect(csv.count == 1 + 4 * cards.count)
    for row in csv.dropFirst() {
      let fields = row.split(separator: ",", omittingEmptySubsequences: false)
      #expect(fields.count == 14, "\(row)")
      #expect(fields.last == "v1")
      #expect(["on_track", "at_risk", "off_track", "no_data"].contains(String(fields[9])))
    }

    // One partner: its composite and its rank among the resellers.
    let best = cards[0]
    let id = ids[0]
    let partnerTable = try run(["scorecard", "--partner", id] + asOf, in: dir).stdout
    #expect(partnerTable.contains("(partner \(id); reseller"))
    #expect(partnerTable.contains("Composite score: "))
    #expect(partnerTable.contains("rank 1 of \(ranks.count)"))
    let partnerJSON = try json(try run(["scorecard", "--partner", id, "--format", "json"] + asOf, in: dir).stdout)
    let one = try #require((partnerJSON["scorecards"] as? [[String: Any]])?.first)
    #expect(one["rank"] as? Int == 1)
    #expect(one["composite"] as? Double == best["composite"] as? Double)
    let partnerCSV = lines(try run(["scorecard", "--partner", id, "--format", "csv"] + asOf, in: dir).stdout)
    #expect(partnerCSV.count == 5)

    // The network.
    let network = try run(["scorecard", "--network"] + asOf, in: dir).stdout
    #expect(network.hasPrefix("Program scorecard — network — 2025-Q4"))
    #expect(network.contains("Composite score: "))
    let networkJSON = try json(try run(["scorecard", "--network", "--format", "json"] + asOf, in: dir).stdout)
    let n = try #require((networkJSON["scorecards"] as? [[String: Any]])?.first)
    #expect(n["scope"] as? String == "network")
    #expect(n["composite"] is Double)
    #expect(n["rank"] is NSNull)
    #expect((n["kpis"] as? [Any])?.count == 6)
    let networkCSV = lines(try run(["scorecard", "--network", "--format", "csv"] + asOf, in: dir).stdout)
    #expect(networkCSV.count == 7)

    // Exactly one of --partner, --type and --network.
    let both = try CLI.run(["scorecard", "--network", "--type", "msp"], in: dir)
    #expect(both.status != 0)
    #expect(both.stderr.contains("give exactly one of --partner ID, --type T or --network"))
  }

  /// The demo's deliberate problems, as (rule, subject).
  static let deliberate: [(String, String)] = [
    ("too_many_kpis", "scorecard system_integrator"),
    ("kpi_without_objective", "scorecard referral: web_visits"),
    ("lack_of_data", "scorecard referral: co_sell_cycle_days"),
    ("unchallenging_target", "target revenue for type:reseller"),
    ("unattainable_target", "target revenue for type:distributor"),
    ("unattainable_target", "target win_rate for type:msp"),
    ("static_target", "target nps for network"),
  ]

  @Test func checkFindsTheDemosDeliberateProblems() throws {
    let dir = try PreparedDemo.copy()
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try run(["check", "--format", "json"] + asOf, in: dir)
    let findings = try #require(try json(r.stdout)["findings"] as? [[String: Any]])
    let found = Set(findings.map { "\($0["rule"] as? String ?? "") \($0["subject"] as? String ?? "")" })
    for (rule, subject) in Self.deliberate {
      #expect(found.contains("\(rule) \(subject)"), "\(rule) \(subject) not in \(found.sorted())")
    }
    for f in findings {
      #expect((f["evidence"] as? [String])?.isEmpty == false, "no evidence for \(f)")
    }
    // The table and CSV say the same.
    let table = try run(["check"] + asOf, in: dir).stdout
    #expect(table.hasPrefix("KPI hygiene up to 2025-Q4 — definitions v1 (effective 2024-01-01)"))
    for (rule, subject) in Self.deliberate { #expect(table.contains("[\(rule)] \(subject): ")) }
    #expect(table.hasSuffix("\(findings.count) findings.\n"))
    let csv = lines(try run(["check", "--format", "csv"] + asOf, in: dir).stdout)
    #expect(csv.first == "rule,subject,message,evidence,version")
    for (rule, subject) in Self.deliberate { #expect(csv.contains { $0.hasPrefix("\(rule),\(subject),") }) }
    // --strict fails the run when anything is found.
    let strict = try CLI.run(["check", "--strict"] + asOf, in: dir)
    #expect(strict.status == 1)
    #expect(strict.stdout == table)
  }

  @Test func reviewsAreRecordedListedAndCountedByTheCheck() throws {
    let dir = try PreparedDemo.copy()
    defer { try? FileManager.default.removeItem(at: dir) }
    #expect(try run(["review", "list"], in: dir).stdout.hasPrefix("No reviews recorded yet"))
    // Results the check says were ignored: off track three quarters running, nobody reviewed them.
    func ignored() throws -> [String] {
      let findings = try #require(
        try json(try run(["check", "--format", "json"] + asOf, in: dir).stdout)["findings"] as? [[String: Any]])
      return findings.filter { $0["rule"] as? String == "ignored_results" }.flatMap {
        $0["evidence"] as? [String] ?? []
      }
    }
    let before = try ignored()
    let first = try #require(before.first, "the demo has no ignored results")
    // "partner P0026: Partner revenue" → P0026
    let partner = String(try #require(first.split(separator: ":").first).dropFirst("partner ".count))

    let added = try run(
      [
        "review", "add", "--partner", partner, "--by", "Ann Lee", "--finding", "Revenue fell, \"big\" deals slipped",
        "--action", "Quarterly business review", "--date", "2025-11-20", "--period", "2025-Q4",
      ], in: dir)
    #expect(added.stdout == "Recorded review 1 of partner \(partner) on 2025-11-20.\n")
    let kpi = try run(
      [
        "review", "add", "--kpi", "win_rate", "--by", "Bob", "--finding", "Low everywhere", "--action", "Training",
        "--date", "2025-10-01",
      ], in: dir)
    #expect(kpi.stdout == "Recorded review 2 of KPI win_rate on 2025-10-01.\n")

    let table = try run(["review", "list"], in: dir).stdout
    #expect(table.contains("Ann Lee") && table.contains(partner) && table.contains("Quarterly business review"))
    let listed = try #require(
      try json(try run(["review", "list", "--format", "json"], in: dir).stdout)["reviews"] as? [[String: Any]])
    #expect(listed.count == 2)
    // Oldest first.
    #expect(listed.map { $0["date"] as? String } == ["2025-10-01", "2025-11-20"])
    #expect(listed[0]["kpi"] as? String == "win_rate" && listed[0]["partner"] is NSNull)
    #expect(listed[1]["partner"] as? String == partner && listed[1]["period"] as? String == "2025-Q4")
    #expect(listed[1]["finding"] as? String == "Revenue fell, \"big\" deals slipped")
    let csv = lines(try run(["review", "list", "--format", "csv"], in: dir).stdout)
    #expect(csv.first == "id,date,reviewer,partner,kpi,period,finding,action")
    #expect(csv.count == 3)

    // The reviewed partner's results and the win rate of every partner are no longer ignored.
    let after = try ignored()
    #expect(after.count < before.count)
    #expect(!after.contains { $0.hasPrefix("partner \(partner):") })
    #expect(!after.contains { $0.hasSuffix(": Deal closure rate") })
    #expect(before.contains { $0.hasSuffix(": Deal closure rate") })
  }

  @Test func aReviewMustSayWhatWasReviewed() throws {
    let dir = try PreparedDemo.copy()
    defer { try? FileManager.default.removeItem(at: dir) }
    let none = try CLI.run(["review", "add", "--by", "Ann", "--finding", "x", "--action", "y"], in: dir)
    #expect(none.status != 0)
    #expect(none.stderr.contains("say what was reviewed: --partner ID and/or --kpi ID"))
    let badKPI = try CLI.run(
      ["review", "add", "--kpi", "win_rat", "--by", "Ann", "--finding", "x", "--action", "y"], in: dir)
    #expect(badKPI.status != 0)
    #expect(badKPI.stderr.contains("unknown KPI 'win_rat'; did you mean 'win_rate'?"))
    let badPartner = try CLI.run(
      ["review", "add", "--partner", "P9999", "--by", "Ann", "--finding", "x", "--action", "y"], in: dir)
    #expect(badPartner.status != 0)
    #expect(badPartner.stderr.contains("no partner 'P9999' is stored"))
    #expect(try run(["review", "list"], in: dir).stdout.hasPrefix("No reviews recorded yet"))
  }

  @Test func targetsAndObjectivesInEveryFormat() throws {
    let dir = try PreparedDemo.copy()
    defer { try? FileManager.default.removeItem(at: dir) }
    // Targets: all 19 of the demo are quarterly and open-ended.
    let table = try run(["targets"] + asOf, in: dir).stdout
    #expect(table.hasPrefix("Targets for 2025-Q4 — definitions v1 (effective 2024-01-01)"))
    #expect(table.contains("type:distributor") && table.contains("baseline × (1 + 3)"))
    let csv = lines(try run(["targets", "--format", "csv"] + asOf, in: dir).stdout)
    #expect(csv.first == "kpi,scope,rule,baseline,target,actual,attainment,status,version")
    #expect(csv.count == 20)
    #expect(csv.dropFirst().allSatisfy { $0.hasSuffix(",v1") })
    let targets = try json(try run(["targets", "--format", "json"] + asOf, in: dir).stdout)
    #expect(targets["period"] as? String == "2025-Q4")
    #expect(targets["version"] as? Int == 1)
    let items = try #require(targets["targets"] as? [[String: Any]])
    #expect(items.count == 19)
    let nps = try #require(items.first { $0["kpi"] as? String == "nps" })
    #expect(nps["target"] as? Double == 30)
    #expect(nps["scope"] as? String == "network")
    #expect(nps["grain"] as? String == "quarter")

    // Objectives: the demo's four, all active.
    let objectives = try run(["objectives"] + asOf, in: dir).stdout
    #expect(objectives.hasPrefix("Objectives in 2025-Q4 — definitions v1 (effective 2024-01-01)"))
    for name in ["Grow channel revenue", "Make partner marketing pay", "Keep customers happy and loyal"] {
      #expect(objectives.contains(name))
    }
    let ocsv = lines(try run(["objectives", "--format", "csv"] + asOf, in: dir).stdout)
    #expect(ocsv.first == "objective,name,owner,from,to,active,kpi,actual,target,status,version")
    #expect(ocsv.count == 1 + 11 + 5 + 5 + 5)  // one row per objective and KPI
    let ojson = try json(try run(["objectives", "--format", "json"] + asOf, in: dir).stdout)
    let list = try #require(ojson["objectives"] as? [[String: Any]])
    #expect(
      list.map { $0["id"] as? String } == [
        "grow_revenue", "partner_marketing", "customer_experience", "enable_partners",
      ])
    #expect(list.allSatisfy { $0["active"] as? Bool == true })
    #expect((list[0]["kpis"] as? [Any])?.count == 11)
  }
}
