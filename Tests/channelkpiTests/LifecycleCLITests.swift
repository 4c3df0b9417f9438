import Foundation
import Testing

/// `channelkpi lifecycle` on the insights fixture: three partners that joined on 2024-01-01 and
/// first won on 2024-07-10 (P1), 2024-07-20 (P2) and 2024-11-01 (P3); no scorecards.
@Suite struct LifecycleCLITests {
  @Test func stagesCohortsAndProfile() throws {
    let dir = try InsightsCLITests.prepared()
    let today = ["--today", "2025-01-15"]
    // The data runs from 2024-07 to 2024-Q4: nobody is inactive over quarters before it, and
    // without scorecards everyone is developing (unscored) from 2024-Q1, when they joined (90
    // days by 2024-03-31: not onboarding any more).
    let stages = try IncentiveCLITests.ok(["lifecycle", "--format", "csv"] + today, in: dir)
    let lines = stages.split(separator: "\n").map(String.init)
    #expect(lines.first == "partner,name,type,stage,since,reason")
    #expect(
      lines.dropFirst().map { $0.split(separator: ",").prefix(5).joined(separator: ",") } == [
        "P1,Acme,reseller,developing,2024-Q1", "P2,Beta,reseller,developing,2024-Q1", "P3,Gamma,msp,developing,2024-Q1",
      ])
    #expect(lines[1].hasSuffix("its type reseller has no scorecard to score it"))
    let json = try IncentiveCLITests.ok(["lifecycle", "--format", "json"] + today, in: dir)
    #expect(!json.contains(#""stage":"inactive""#) && json.contains(#""stage":"developing""#))
    let bad = try CLI.run(["lifecycle", "profile", "--prospect", "="] + today, in: dir)
    #expect(bad.status != 0 && bad.stderr.contains("--prospect '=' is name=value"), "\(bad.stderr)")

    // One cohort: first wins after 191, 201 and 305 days; none within 90 days.
    let cohorts = try IncentiveCLITests.ok(["lifecycle", "cohorts", "--format", "csv"] + today, in: dir)
    #expect(cohorts.contains("2024-Q1,3,3,201,232.33333333333334,3,0,0"), "\(cohorts)")

    // Three partners are too few for a top quartile; a bad stage or prospect is refused.
    let profile = try CLI.run(["lifecycle", "profile", "--period", "2024-Q4"] + today, in: dir)
    #expect(profile.status != 0 && profile.stderr.contains("a top quartile needs at least 4"), "\(profile.stderr)")
    let stage = try CLI.run(["lifecycle", "--stage", "dormant"], in: dir)
    #expect(stage.status != 0 && stage.stderr.contains("--stage 'dormant' is not a stage"), "\(stage.stderr)")
    let prospect = try CLI.run(["lifecycle", "profile", "--prospect", "msp"], in: dir)
    #expect(prospect.status != 0 && prospect.stderr.contains("is name=value"), "\(prospect.stderr)")
  }

  @Test func digestsSayWhenThereIsNothingAndNameUnknownManagers() throws {
    let dir = try AlertsCLITests.prepared()
    let today = ["--today", "2025-01-15"]
    // Nothing stored yet (the alerts command only previews on another day): nothing to report.
    let quiet = try IncentiveCLITests.ok(["digest"] + today, in: dir)
    #expect(quiet.hasPrefix("Nothing to report for 2025-01-15."), "\(quiet)")
    // Recorded, P2's alert fires; P2 has no manager, so it is the program's digest.
    _ = try IncentiveCLITests.ok(["alerts", "--record"] + today, in: dir)
    let digest = try IncentiveCLITests.ok(["digest"] + today, in: dir)
    #expect(digest.hasPrefix("# ChannelKPI digest for the program, 2025-01-15"), "\(digest)")
    #expect(digest.contains("[critical] p2_small, partner:P2, 2024-Q4"), "\(digest)")
    let out = dir.appendingPathComponent("digests")
    let written = try IncentiveCLITests.ok(["digest", "--out", out.path] + today, in: dir)
    #expect(written.hasPrefix("1 digest with something to say, written to"))
    let files = try FileManager.default.contentsOfDirectory(atPath: out.path)
    #expect(files.count == 1 && files[0].hasPrefix("digest-2025-01-15-program-"), "\(files)")
    // "program" names the program's digest.
    let program = try IncentiveCLITests.ok(["digest", "--manager", "program"] + today, in: dir)
    #expect(program.hasPrefix("# ChannelKPI digest for the program"))
    let unknown = try CLI.run(["digest", "--manager", "Zed"] + today, in: dir)
    #expect(unknown.status != 0 && unknown.stderr.contains("no partner has the manager 'Zed'"), "\(unknown.stderr)")
  }
}
