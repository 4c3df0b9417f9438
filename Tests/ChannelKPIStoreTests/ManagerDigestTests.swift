import ChannelKPI
import ChannelKPIStore
import Testing

/// Digests gather each manager's firing alerts, the day before's changes and partners at risk.
@Suite struct ManagerDigestTests {
  static func partner(_ id: String, manager: String?) -> PartnerInfo {
    PartnerInfo(
      id: id, name: "Partner \(id)", type: "reseller", region: "emea", country: nil, tier: nil,
      joinedOn: Day(iso: "2024-01-01")!, leftOn: nil, manager: manager)
  }

  static func alert(_ id: Int64, _ scope: String, _ state: AlertState) -> StoredAlert {
    StoredAlert(
      id: id, rule: "drop", scope: scope, state: state, severity: .critical, since: "2025-Q2", period: "2025-Q2",
      value: 0.2, threshold: 0.3, message: "fell", changedAt: "2025-07-14T10:00:00Z", acknowledgedBy: nil,
      acknowledgedAt: nil, note: nil, review: nil)
  }

  static func event(_ alert: Int64, _ scope: String, at: String) -> AlertEvent {
    AlertEvent(
      id: alert, alert: alert, rule: "drop", scope: scope, from: .pending, to: .firing, period: "2025-Q2", value: 0.2,
      threshold: 0.3, message: "fell", at: at)
  }

  static func life(_ id: String, _ stage: PartnerStage) -> PartnerLifecycle {
    PartnerLifecycle(
      partner: id, name: "Partner \(id)", type: "reseller", manager: nil, stage: stage, reason: "why", since: "2025-Q2",
      history: [], days: [:])
  }

  @Test func eachManagerGetsTheirPartnersAndTheProgramTheGroups() {
    let digests = ManagerDigest.build(
      day: Day(iso: "2025-07-15")!,
      alerts: [
        Self.alert(1, "partner:P1", .firing), Self.alert(2, "partner:P2", .resolved),
        Self.alert(3, "type:reseller", .firing),
      ],
      events: [
        // Only the day before (2025-07-14) counts.
        Self.event(1, "partner:P1", at: "2025-07-14T10:00:00Z"),
        Self.event(2, "partner:P2", at: "2025-07-13T23:59:59Z"),
        Self.event(3, "type:reseller", at: "2025-07-15T00:00:00Z"),
      ],
      lifecycles: [Self.life("P1", .performing), Self.life("P2", .inactive), Self.life("P3", .atRisk)],
      partners: [
        Self.partner("P1", manager: "Ann"), Self.partner("P2", manager: "Ann"), Self.partner("P3", manager: "Bob"),
        Self.partner("P4", manager: nil),
      ], baseURL: "https://kpi.example.com")
    #expect(digests.map(\.manager) == [ManagerDigest.program, "Ann", "Bob"])
    let ann = digests[1]
    #expect(ann.partners == 2 && ann.firing.map(\.alert) == [1] && ann.changes.map(\.alert) == [1])
    #expect(ann.changes[0].state == "pending → firing" && ann.firing[0].link == "https://kpi.example.com/alerts/1")
    #expect(ann.attention.map(\.partner) == ["P2"])
    #expect(digests[2].attention.map(\.partner) == ["P3"] && digests[2].firing.isEmpty)
    #expect(digests[0].firing.map(\.alert) == [3] && digests[0].changes.isEmpty && digests[0].partners == 0)
    #expect(digests[0].text.hasPrefix("# ChannelKPI digest for the program, 2025-07-15"))
    #expect(ann.text.hasPrefix("# ChannelKPI digest for Ann, 2025-07-15\n\n1 alert firing, 1 change the day before"))
    #expect(ann.text.contains("- pending → firing: [critical] drop, partner:P1, 2025-Q2: fell"))
    #expect(ann.text.contains("- Partner P2 (P2), inactive: why (https://kpi.example.com/partners/P2)"))
  }

  @Test func fileNamesNeverCollide() {
    func file(_ manager: String) -> String {
      ManagerDigest(day: "2025-07-15", manager: manager, partners: 0, firing: [], changes: [], attention: []).fileName
    }
    // A name that is already a file name is used as it is; any other gets a hash of itself.
    #expect(file("ann-lee") == "digest-2025-07-15-ann-lee.md")
    let names = ["Ann Lee", "ann-lee", "Ann.Lee", "ANN LEE", "program", ManagerDigest.program, "Amélie Laurent"]
    let files = names.map(file)
    #expect(Set(files).count == names.count, "\(files)")
    #expect(file("Ann Lee").hasPrefix("digest-2025-07-15-ann-lee-") && file("Ann Lee") == file("Ann Lee"))
    #expect(files.allSatisfy { $0.allSatisfy { $0.isASCII } })
  }
}
