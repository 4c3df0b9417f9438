import Foundation
import Testing

/// `channelkpi alerts` on the insights fixture: revenue by quarter, P1 300 → 400, P2 50 → 60, P3
/// 0 → 500 (2024-Q3 → 2024-Q4), judged on 2025-01-15 (2024-Q4 is the last quarter that ended).
@Suite struct AlertsCLITests {
  static let rules = """
    alerts:
      - id: low_revenue
        kpi: revenue
        scope: each partner
        where: {type: reseller}
        grain: quarter
        when: {drop_amount: 50, versus: previous_period}
      - id: p2_small
        name: P2 below 100 a quarter
        kpi: revenue
        scope: partner:P2
        grain: quarter
        when: {attainment_below: 1}
        severity: critical
    targets:
      - {kpi: revenue, scope: partner:P2, grain: quarter, value: 100}
    """

  static func prepared() throws -> URL {
    let dir = try InsightsCLITests.prepared()
    let defs = dir.appendingPathComponent("defs")
    try CLI.write(rules, "alerts.yaml", in: defs)
    try IncentiveCLITests.ok(["program", "apply", "defs", "--effective", "2024-01-01"], in: dir)
    return dir
  }

  @Test func listsAcknowledgesAndShowsTheHistory() throws {
    let dir = try Self.prepared()
    let today = ["--today", "2025-01-15"]
    // Neither reseller lost 50 (P1 +100, P2 +10); P2's 60 is 60% of its target of 100, in both
    // quarters (Q3: 50), so it fires.
    // With another day than today the states are only shown (numbered 0) unless --record.
    let preview = try IncentiveCLITests.ok(["alerts", "--format", "csv"] + today, in: dir)
    #expect(preview.contains("\n0,p2_small,partner:P2,firing,"), "\(preview)")
    let csv = try IncentiveCLITests.ok(["alerts", "--format", "csv", "--record"] + today, in: dir)
    let lines = csv.split(separator: "\n").map(String.init)
    #expect(
      lines.first == "id,rule,scope,state,severity,since,period,value,threshold,changed_at,acknowledged_by,note,message"
    )
    #expect(lines.count == 2, "\(csv)")
    let fields = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    #expect(
      Array(fields[1...8]) == ["p2_small", "partner:P2", "firing", "critical", "2024-Q3", "2024-Q4", "60", "100"])
    let id = fields[0]

    let ack = try IncentiveCLITests.ok(
      ["alerts", "ack", id, "--by", "Dana", "--note", "Call with P2 on Monday"] + today, in: dir)
    #expect(ack.hasPrefix("Alert \(id) acknowledged; review "))
    let reviews = try IncentiveCLITests.ok(["review", "list", "--format", "csv"], in: dir)
    #expect(reviews.contains("Call with P2 on Monday") && reviews.contains("P2"), "\(reviews)")
    let listed = try IncentiveCLITests.ok(["alerts", "--state", "firing", "--record"] + today, in: dir)
    #expect(listed.contains("Dana"))

    let history = try IncentiveCLITests.ok(["alerts", "history", id, "--format", "csv"], in: dir)
    #expect(history.split(separator: "\n").count == 2 && history.contains(",ok,firing,2024-Q4,"), "\(history)")

    let missing = try CLI.run(["alerts", "ack", "999", "--by", "Dana", "--note", "x"], in: dir)
    #expect(missing.status != 0 && missing.stderr.contains("no alert 999"), "\(missing.stderr)")
    let blank = try CLI.run(["alerts", "ack", id, "--by", "Dana", "--note", " "], in: dir)
    #expect(blank.status != 0 && blank.stderr.contains("--note says what is being done"), "\(blank.stderr)")
    let state = try CLI.run(["alerts", "--state", "burning"], in: dir)
    #expect(state.status != 0 && state.stderr.contains("burning"), "\(state.stderr)")
  }
}
