import ChannelKPI
import ChannelKPIStore
import Foundation
import Testing

/// Users, sessions, keys, the audit log and shared reviews behave alike on every store.
@Suite struct AccessStoreContractTests {
  static func user(_ name: String, _ grant: Grant) -> UserAccount {
    UserAccount(
      username: name, name: name.capitalized, grant: grant, passwordHash: "$2b$04$hash-of-\(name)",
      createdAt: "2026-01-01T00:00:00Z", createdBy: "setup")
  }

  @Test(arguments: StoreKind.contract) func usersAreUniqueAndChangesEndTheirSessions(_ kind: StoreKind) async throws {
    try await StoreHarness.with(kind) { h in
      let ana = try await h.store.addUser(Self.user("ana", Grant(role: .manager, manager: "Ana")))
      let p1 = try await h.store.addUser(Self.user("p1-staff", Grant(role: .partner, partner: "P1")))
      #expect(ana != p1)
      await #expect(throws: AccessError.usernameTaken("ana")) {
        _ = try await h.store.addUser(Self.user("ana", Grant(role: .admin)))
      }
      let users = try await h.store.users()
      #expect(users.map(\.username) == ["ana", "p1-staff"])
      #expect(users[0].grant == Grant(role: .manager, manager: "Ana") && users[0].id == ana)
      #expect(try await h.store.user(id: p1)?.grant == Grant(role: .partner, partner: "P1"))
      #expect(try await h.store.user(username: "nobody") == nil)

      // Sessions: stored by the hash of their token, touched, ended by logout or by a change of the user.
      try await h.store.addSession(StoredSession(tokenHash: "h1", userID: ana, createdAt: 100, lastSeenAt: 100))
      try await h.store.addSession(StoredSession(tokenHash: "h2", userID: ana, createdAt: 200, lastSeenAt: 200))
      try await h.store.addSession(StoredSession(tokenHash: "h3", userID: p1, createdAt: 300, lastSeenAt: 300))
      try await h.store.touchSession(tokenHash: "h1", at: 150)
      #expect(
        try await h.store.session(tokenHash: "h1")
          == StoredSession(tokenHash: "h1", userID: ana, createdAt: 100, lastSeenAt: 150))
      try await h.store.deleteSession(tokenHash: "h1")
      #expect(try await h.store.session(tokenHash: "h1") == nil)
      try await h.store.updateUser(username: "ana", passwordHash: "$2b$04$new", disabled: nil)
      #expect(try await h.store.session(tokenHash: "h2") == nil)
      #expect(try await h.store.session(tokenHash: "h3") != nil)
      #expect(try await h.store.user(id: ana)?.passwordHash == "$2b$04$new")
      #expect(try await h.store.user(id: ana)?.disabled == false)
      try await h.store.updateUser(username: "p1-staff", passwordHash: nil, disabled: true)
      #expect(try await h.store.session(tokenHash: "h3") == nil)
      #expect(try await h.store.user(id: p1)?.disabled == true)
      #expect(try await h.store.user(id: p1)?.passwordHash == "$2b$04$hash-of-p1-staff")
      await #expect(throws: AccessError.noUser("zed")) {
        try await h.store.updateUser(username: "zed", passwordHash: nil, disabled: true)
      }
    }
  }

  @Test(arguments: StoreKind.contract) func keysAreFoundByHashAndRevokedOnce(_ kind: StoreKind) async throws {
    try await StoreHarness.with(kind) { h in
      let k = APIKeyRecord(
        name: "crm sync", prefix: "ckpi_ab12", hash: "sha-1", grant: Grant(role: .manager, allPartners: true),
        scopes: [.ingest, .read], createdAt: "2026-01-02T00:00:00Z", createdBy: "admin")
      let id = try await h.store.addKey(k)
      let id2 = try await h.store.addKey(
        APIKeyRecord(
          name: "portal", prefix: "ckpi_cd34", hash: "sha-2", grant: Grant(role: .partner, partner: "P2"),
          scopes: [.read], createdAt: "2026-01-03T00:00:00Z", createdBy: "admin"))
      var stored = k
      stored.id = id
      #expect(try await h.store.key(hash: "sha-1") == stored)
      #expect(try await h.store.key(hash: "sha-3") == nil)
      try await h.store.touchKey(id: id2, at: 1_700_000_000)
      #expect(try await h.store.key(hash: "sha-2")?.lastUsedAt == 1_700_000_000)
      try await h.store.revokeKey(id: id, at: "2026-02-01T00:00:00Z")
      #expect(try await h.store.keys().map(\.revokedAt) == ["2026-02-01T00:00:00Z", nil])
      await #expect(throws: AccessError.keyAlreadyRevoked(id)) { try await h.store.revokeKey(id: id, at: "x") }
      await #expect(throws: AccessError.noKey(999)) { try await h.store.revokeKey(id: 999, at: "x") }
    }
  }

  @Test(arguments: StoreKind.contract) func theAuditLogCountsByActionActorAndAddress(_ kind: StoreKind) async throws {
    try await StoreHarness.with(kind) { h in
      for (at, actor, address) in [(10, "ana", "1.1.1.1"), (20, "ana", "2.2.2.2"), (30, "bob", "1.1.1.1")] {
        try await h.store.recordAudit(
          AuditEntry(at: Int64(at), actor: actor, action: "login.failed", address: address))
      }
      try await h.store.recordAudit(
        AuditEntry(
          at: 40, actor: "ana", action: "facts.ingest", target: "deals", detail: "3 records", address: "1.1.1.1"))
      #expect(try await h.store.countAudit(action: "login.failed", actor: "ana", address: nil, since: 0) == 2)
      #expect(try await h.store.countAudit(action: "login.failed", actor: "ana", address: nil, since: 15) == 1)
      #expect(try await h.store.countAudit(action: "login.failed", actor: nil, address: "1.1.1.1", since: 0) == 2)
      #expect(try await h.store.countAudit(action: "login.failed", actor: nil, address: nil, since: 0) == 3)
      let latest = try await h.store.audit(limit: 2, actor: nil, action: nil)
      #expect(latest.map(\.at) == [40, 30])
      #expect(latest[0].target == "deals" && latest[0].detail == "3 records")
      #expect(try await h.store.audit(limit: 10, actor: "ana", action: "login.failed").map(\.at) == [20, 10])
    }
  }

  @Test(arguments: StoreKind.contract) func sharedReviewsTheirAcknowledgementAndRepliesTravel(_ kind: StoreKind)
    async throws
  {
    try await StoreHarness.with(kind) { source in
      let id = try await source.store.addReview(
        Review(date: Day(iso: "2026-01-10")!, reviewer: "Ana", partner: "P1", finding: "Win rate fell", action: "Call"))
      #expect(try await source.store.reviews()[0].shared == false)
      try await source.store.setReviewShared(id: id, shared: true)
      try await source.store.acknowledgeReview(id: id, by: "p1-staff", at: "2026-01-11T09:00:00Z")
      let reply = try await source.store.addReviewReply(
        ReviewReply(review: id, author: "p1-staff", at: "2026-01-11T09:05:00Z", text: "We hired two reps."))
      await #expect(throws: AccessError.noReview(id + 100)) {
        _ = try await source.store.addReviewReply(ReviewReply(review: id + 100, author: "x", at: "t", text: "t"))
      }
      await #expect(throws: AccessError.noReview(id + 100)) {
        try await source.store.setReviewShared(id: id + 100, shared: true)
      }
      let review = try await source.store.reviews()[0]
      #expect(review.shared && review.acknowledgedBy == "p1-staff" && review.acknowledgedAt == "2026-01-11T09:00:00Z")
      let archive = try await source.store.archive()
      #expect(archive.reviewReplies.map(\.id) == [reply])
      // Users, keys and the audit log stay behind: an archive carries no credential.
      _ = try await source.store.addUser(Self.user("ana", Grant(role: .admin)))
      #expect(try await source.store.archive() == archive)
      try await StoreHarness.with(kind) { target in
        try await target.store.restore(archive)
        #expect(try await target.store.archive() == archive)
        let next = try await target.store.addReviewReply(ReviewReply(review: id, author: "a", at: "t", text: "t"))
        #expect(next > reply)
      }
    }
  }
}
