import Foundation
import Testing

/// `channelkpi users`, `keys`, `audit`, `reports`, and `serve` refusing to start without an admin.
@Suite struct AccessCLITests {
  /// A small demo program (12 partners, Jul–Dec 2025) imported into `channelkpi.sqlite`.
  func program() throws -> URL {
    let dir = try CLI.temporaryDirectory()
    let demo = try CLI.run(
      ["demo-data", "--out", "demo", "--partners", "12", "--months", "6", "--end", "2025-12"], in: dir)
    #expect(demo.status == 0, "\(demo.stderr)")
    let imported = try CLI.run(["import", "demo"], in: dir)
    #expect(imported.status == 0, "\(imported.stderr)")
    return dir
  }

  @Test func usersKeysAndTheAuditLog() throws {
    let dir = try program()
    defer { try? FileManager.default.removeItem(at: dir) }
    // No admin yet: the server says how to make one instead of serving.
    let refused = try CLI.run(["serve", "--port", "0"], in: dir)
    #expect(refused.status != 0)
    #expect(
      refused.stderr.contains("no admin user yet") && refused.stderr.contains("channelkpi users add NAME --role admin"))

    let admin = try CLI.run(["users", "add", "ana", "--role", "admin", "--name", "Ana Ruiz"], in: dir)
    #expect(admin.status == 0, "\(admin.stderr)")
    let password = try #require(admin.stdout.split(separator: "\n").first { $0.hasPrefix("Password: ") })
    #expect(password.dropFirst("Password: ".count).prefix(19).count == 19)
    #expect(try CLI.run(["users", "add", "p1", "--role", "partner", "--partner", "P0001"], in: dir).status == 0)
    let unknown = try CLI.run(["users", "add", "px", "--role", "partner", "--partner", "NOPE"], in: dir)
    #expect(unknown.status != 0 && unknown.stderr.contains("no partner 'NOPE'"))
    let twice = try CLI.run(["users", "add", "ana", "--role", "analyst"], in: dir)
    #expect(twice.status != 0 && twice.stderr.contains("there is already a user 'ana'"))
    let badRole = try CLI.run(["users", "add", "x", "--role", "owner"], in: dir)
    #expect(badRole.status != 0 && badRole.stderr.contains("--role must be admin, manager, analyst or partner"))

    let key = try CLI.run(["keys", "create", "--name", "crm sync", "--role", "admin", "--scope", "ingest"], in: dir)
    #expect(key.status == 0, "\(key.stderr)")
    let secret = try #require(
      key.stdout.split(whereSeparator: \.isWhitespace).first { $0.hasPrefix("ckpi_") }.map(String.init))
    #expect(secret.count == 69)
    let keys = try CLI.run(["keys", "list"], in: dir)
    #expect(keys.stdout.contains("crm sync") && keys.stdout.contains(String(secret.prefix(12)) + "…"))
    #expect(!keys.stdout.contains(secret) && keys.stdout.contains("never"))
    #expect(try CLI.run(["keys", "revoke", "1"], in: dir).status == 0)
    let again = try CLI.run(["keys", "revoke", "1"], in: dir)
    #expect(again.status != 0 && again.stderr.contains("key 1 is already revoked"))

    #expect(try CLI.run(["users", "disable", "p1"], in: dir).status == 0)
    let users = try CLI.run(["users", "list"], in: dir)
    #expect(users.stdout.contains("Ana Ruiz") && users.stdout.contains("P0001") && !users.stdout.contains("$2b$"))
    let p1 = try #require(users.stdout.split(separator: "\n").first { $0.hasPrefix("p1 ") })
    #expect(p1.contains("yes"), "p1 is disabled: \(p1)")

    // Every write above is in the audit log, newest first, with who and from where.
    let audit = try CLI.run(["audit", "--format", "csv"], in: dir)
    let rows = audit.stdout.split(separator: "\n").map(String.init)
    #expect(rows.first == "at,actor,action,target,detail,address")
    let actions = rows.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[2] }
    #expect(actions == ["disableUser", "revokeKey", "createKey", "addUser", "addUser", "import"])
    #expect(rows.dropFirst().allSatisfy { $0.contains(",cli:") && $0.hasSuffix(",cli") })
    #expect(!audit.stdout.contains(secret) && !audit.stdout.contains(String(password.dropFirst(10))))
  }

  @Test func reportsAreOneSelfContainedFilePerPartner() throws {
    let dir = try program()
    defer { try? FileManager.default.removeItem(at: dir) }
    let one = try CLI.run(
      ["reports", "--period", "2025-Q4", "--out", "r1", "--partner", "P0003", "--today", "2026-01-15"], in: dir)
    #expect(one.status == 0, "\(one.stderr)")
    #expect(one.stdout == "Wrote 1 report for 2025-Q4 to r1\n")
    let html = try String(contentsOf: dir.appendingPathComponent("r1/P0003.html"), encoding: .utf8)
    #expect(html.contains("<style>") && !html.contains("<link") && !html.contains("<script"))
    #expect(html.contains("report for Q4 2025"))
    // Nothing of another partner: no other id, no form to post.
    let partners = try String(contentsOf: dir.appendingPathComponent("demo/partners.csv"), encoding: .utf8)
      .split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
    let me = try #require(partners.first { $0[0] == "P0003" })
    #expect(html.contains(me[1].replacingOccurrences(of: "&", with: "&amp;")))
    for other in partners where other[0] != "P0003" {
      #expect(!html.contains(other[0]), "\(other[0]) is in P0003's report")
    }
    #expect(!html.contains("<form"))
    // Without --partner: every partner in the program during the period.
    let all = try CLI.run(["reports", "--period", "2025-Q4", "--out", "r2", "--today", "2026-01-15"], in: dir)
    #expect(all.status == 0, "\(all.stderr)")
    let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("r2").path)
    #expect(files.count == partners.count && files.allSatisfy { $0.hasSuffix(".html") })
    let bad = try CLI.run(["reports", "--period", "2025-Q5", "--out", "r3"], in: dir)
    #expect(bad.status != 0 && bad.stderr.contains("--period '2025-Q5' is not a period"))
    let nobody = try CLI.run(["reports", "--period", "2025-Q4", "--out", "r3", "--partner", "P9"], in: dir)
    #expect(nobody.status != 0 && nobody.stderr.contains("no partner 'P9'"))
  }
}
