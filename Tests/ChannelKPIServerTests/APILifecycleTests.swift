import ChannelKPI
import ChannelKPIStore
import Foundation
import Testing

/// The lifecycle through the API and the dashboard, on the fixture (today 2025-07-15; the data
/// runs to 2025-06-10, so stages are judged for 2025-Q2).
@Suite struct APILifecycleTests {
  static func seed(_ store: any Store) async throws {
    try await Fixture.seed(store)
    try await TestKeys.add("ckpi_test_manager_bob", Grant(role: .manager, manager: "Bob"), to: store)
  }

  /// Milestones follow a write: P4 (joined 2025-01-10) wins its first deal on 2025-03-01, 50
  /// days in, and its cohort gets its first win and activation.
  @Test func cohortsFollowAWrite() async throws {
    try await withServer(seed: Self.seed) { server in
      let before = try await server.getJSON("/api/v1/lifecycle/cohorts")["cohorts"]?.array ?? []
      #expect(before.last?["cohort"]?.string == "2025-Q1" && before.last?["with_first_win"]?.number == 0)
      let posted = try await server.post(
        "/api/v1/facts/deals",
        #"{"records":[{"deal_id":"D91","partner_id":"P4","source":"sourced","created_on":"2025-02-01","stage":"won","closed_on":"2025-03-01","amount":500}]}"#
      )
      #expect(posted.status == 200, "\(posted.text)")
      let after = try await server.getJSON("/api/v1/lifecycle/cohorts")["cohorts"]?.array ?? []
      #expect(after.last?["with_first_win"]?.number == 1 && after.last?["median_days_to_first_win"]?.number == 50)
      #expect(after.last?["activated_share"]?.number == 1, "\(after)")
      // The other cohorts are as they were.
      #expect(Array(after.dropLast()) == Array(before.dropLast()))
    }
  }

  /// A partner page's lifecycle, read before any report scanned every partner's milestones,
  /// follows a write too: P4 (joined 2025-01-10) is onboarding in 2025-Q1, 80 days in without a
  /// win; a first win on 2025-03-01 ends that in the quarter it happens (P4, a referral partner,
  /// has no scorecard: developing).
  @Test func onePartnersLifecycleFollowsAWrite() async throws {
    try await withServer(seed: Self.seed) { server in
      func q1() async throws -> PartnerStage? {
        try await server.service.lifecycle(of: "P4")?.history.first { $0.period == "2025-Q1" }?.stage
      }
      #expect(try await q1() == .onboarding)
      let posted = try await server.post(
        "/api/v1/facts/deals",
        #"{"records":[{"deal_id":"D92","partner_id":"P4","source":"sourced","created_on":"2025-02-01","stage":"won","closed_on":"2025-03-01","amount":500}]}"#
      )
      #expect(posted.status == 200, "\(posted.text)")
      #expect(try await q1() == .developing)
      // The same as every partner's lifecycles give.
      let all = try await server.service.lifecycles().first { $0.partner == "P4" }
      #expect(try await server.service.lifecycle(of: "P4") == all)
    }
  }

  @Test func stagesCohortsAndProfile() async throws {
    try await withServer(seed: Self.seed) { server in
      let life = try await server.getJSON("/api/v1/lifecycle")
      #expect(life["period"]?.string == "2025-Q2")
      let partners = life["partners"]?.array ?? []
      #expect(partners.compactMap { $0["partner"]?.string } == ["P1", "P2", "P3", "P4"])
      let counts = life["counts"]?.object ?? [:]
      #expect(counts.values.compactMap(\.number).reduce(0, +) == 4)
      // P3 (an MSP) and P4 (a referral partner) have no scorecard for their type.
      for p in partners where ["P3", "P4"].contains(p["partner"]?.string ?? "") {
        #expect(p["stage"]?.string == "developing")
        #expect(p["reason"]?.string?.contains("has no scorecard") == true, "\(p)")
      }
      // Only the stage asked for; a stage that is none is refused.
      let developing = try await server.getJSON("/api/v1/lifecycle?stage=developing")
      #expect(developing["partners"]?.array?.allSatisfy { $0["stage"]?.string == "developing" } == true)
      // An earlier period: its stages (P4 joined on 2025-01-10, 80 days before 2025-Q1 ended, and
      // had won nothing: onboarding); a month is read as its quarter.
      let q1 = try await server.getJSON("/api/v1/lifecycle?period=2025-02")
      #expect(q1["period"]?.string == "2025-Q1")
      #expect(q1["partners"]?.array?.first { $0["partner"]?.string == "P4" }?["stage"]?.string == "onboarding")
      let bad = try await server.get("/api/v1/lifecycle?stage=dormant")
      #expect(bad.status == 400 && bad.json()["error"]?["parameter"]?.string == "stage")

      // Cohorts: P1 and P3 joined in 2024-Q1 and first won after 392 and 435 days; P2 (2024-Q2)
      // after 264; P4 (2025-Q1) never. Nobody registered, won or certified within 90 days.
      let cohorts = try await server.getJSON("/api/v1/lifecycle/cohorts")["cohorts"]?.array ?? []
      #expect(cohorts.compactMap { $0["cohort"]?.string } == ["2024-Q1", "2024-Q2", "2025-Q1"])
      #expect(cohorts[0]["median_days_to_first_win"]?.number == 413.5)
      #expect(cohorts[0]["with_first_win"]?.number == 2 && cohorts[0]["activated_share"]?.number == 0)
      #expect(cohorts[1]["median_days_to_first_win"]?.number == 264)
      #expect(cohorts[2]["with_first_win"]?.number == 0 && cohorts[2]["median_days_to_first_win"] == nil)

      // Revenue in 2025-Q2: P1 12000, P3 6000, P2 and P4 0; numpy's p75 of (0, 0, 6000, 12000) is
      // 7500, so P1 alone is the top quartile: resellers (P1, P2) have lift (1/1) / (2/4) = 2.
      let profile = try await server.getJSON("/api/v1/lifecycle/profile?kpi=revenue&period=2025-Q2&type=reseller")
      #expect(profile["profile"]?["partners"]?.number == 4 && profile["profile"]?["top"]?.number == 1)
      #expect(profile["profile"]?["threshold"]?.number == 7500)
      let reseller = profile["profile"]?["attributes"]?.array?.first {
        $0["attribute"]?.string == "type" && $0["value"]?.string == "reseller"
      }
      #expect(reseller?["lift"]?.number == 2 && reseller?["partners"]?.number == 2)
      // Two resellers are too few to count for a prospect: its lift stays 1.
      #expect(profile["prospect"]?["lift"]?.number == 1 && profile["prospect"]?["chance"]?.number == 0.25)
      let unknown = try await server.get("/api/v1/lifecycle/profile?kpi=revenu")
      #expect(unknown.status == 400 && unknown.json()["error"]?["parameter"]?.string == "kpi")
      let badValue = try await server.get("/api/v1/lifecycle/profile?period=2025-Q2&certified_90d=maybe")
      #expect(badValue.status == 400)

      // Bob manages P2 only: its stage, and no profile from one partner.
      let bob = try await server.request("GET", "/api/v1/lifecycle", key: "ckpi_test_manager_bob")
      #expect(bob.json()["partners"]?.array?.compactMap { $0["partner"]?.string } == ["P2"])
      let bobProfile = try await server.request(
        "GET", "/api/v1/lifecycle/profile?period=2025-Q2", key: "ckpi_test_manager_bob")
      #expect(bobProfile.status == 409)

      // The page: stages, cohorts, the profile and the program by lifecycle stage.
      let page = try await server.request("GET", "/lifecycle?period=2025-Q2&type=reseller", key: TestKeys.admin)
      #expect(page.status == 200)
      for text in [
        "Partners by stage", "Onboarding by joining quarter", "Ideal partner profile", "Score a prospect",
        "The program by lifecycle stage", "has no scorecard",
      ] {
        #expect(page.text.contains(text), "\(text)")
      }
      // The partner page names its stage and why.
      let p3 = try await server.request("GET", "/partners/P3", key: TestKeys.admin)
      #expect(p3.text.contains("Developing") && p3.text.contains("its type msp has no scorecard to score it"))
      let bobPage = try await server.request("GET", "/lifecycle", key: "ckpi_test_manager_bob")
      #expect(bobPage.status == 200 && !bobPage.text.contains("Gamma") && !bobPage.text.contains("The program by"))
    }
  }

  @Test func whatTrainingsChanged() async throws {
    try await withServer(seed: APIAlertTests.seed) { server in
      // Pipeline building is no certification program; P2 completed "sales" on 2025-01-30 but had
      // no closed deal in 2024-Q4, so its win rate before is unknown.
      let trainings = try await server.getJSON("/api/v1/enablement")["trainings"]?.array ?? []
      #expect(
        trainings.compactMap { $0["training"]?.string } == ["Pipeline building", "Solution selling", "Customer care"])
      #expect(trainings[0]["note"]?.string?.contains("not a certifications.csv program") == true)
      #expect(trainings[1]["program"]?.string == "sales" && trainings[1]["partners"]?.number == 0)
      #expect(
        trainings[1]["note"]?.string == "no partner that completed it has a value the quarter before and after")
      let page = try await server.request("GET", "/lifecycle", key: TestKeys.admin)
      #expect(page.text.contains("What trainings changed") && page.text.contains("Solution selling"))
    }
  }

  @Test func theDaysDigestsAreWrittenAndQueuedOnce() async throws {
    try await withServer(seed: APIAlertTests.seed) { server in
      // Two lost deals make P1's win rate of 2025-Q2 fall (alerts are judged as the batch lands).
      _ = try await server.post(
        "/api/v1/facts/deals", APIAlertTests.deals([("D20", "P1", "lost"), ("D21", "P1", "lost")]))
      _ = try await server.store.addWebhook(
        Webhook(name: "digest", url: "https://hooks.example/d", secret: "s", createdAt: "t", createdBy: "test"))
      let dir = FileManager.default.temporaryDirectory.appendingPathComponent("digests-\(UUID().uuidString)")
      defer { try? FileManager.default.removeItem(at: dir) }
      let target = DigestTarget(directory: dir.path, webhook: "digest")
      let sent = try await server.service.sendDigests(to: target, baseURL: "https://kpi.example.com")
      // P1 is Ann's: its firing alert makes Ann's digest; a second try the same day sends nothing.
      let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
      let annFile = try #require(files.first { $0.hasPrefix("digest-2025-07-15-ann-") })
      let ann = try String(contentsOf: dir.appendingPathComponent(annFile), encoding: .utf8)
      #expect(ann.contains("win_rate_drop, partner:P1, 2025-Q2"), "\(ann)")
      #expect(ann.contains("https://kpi.example.com/alerts/"))
      #expect(try await server.service.sendDigests(to: target, baseURL: nil) == nil)
      let queued = try await server.store.claimDeliveries(now: Int64.max / 2, limit: 50, lease: 60)
      #expect(queued.count == sent && queued.allSatisfy { $0.payload?.contains(#""kind":"digest""#) == true })
      #expect(queued.contains { $0.payload?.contains(#""manager":"Ann""#) == true })
    }
  }
}
