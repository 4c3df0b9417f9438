import ChannelKPI
import ChannelKPIStore
import Foundation
import Testing

/// Webhooks through the API and the dashboard: admins add, list, test and remove them and read
/// their delivery log; the secret is shown once; nobody else may.
@Suite struct APIWebhookTests {
  @Test func addListTestRemove() async throws {
    try await withServer(seed: APIAlertTests.seed) { server in
      let added = try await server.post(
        "/api/v1/webhooks", #"{"name":"ops","url":"https://hooks.example.com/ops"}"#)
      #expect(added.status == 201)
      let secret = try #require(added.json()["secret"]?.string)
      // The stored secret is the one answered, and it signs the deliveries; lists never show it.
      #expect(try await server.store.webhooks().first { $0.name == "ops" }?.secret == secret)
      let list = try await server.get("/api/v1/webhooks")
      #expect(list.json()["webhooks"]?[0]?["name"]?.string == "ops" && !list.text.contains(secret))
      #expect(list.json()["webhooks"]?[0]?["created_by"]?.string?.hasPrefix("key:") == true)  // the key that added it

      // Refusals: the same name again, a name or address a webhook cannot have.
      #expect(try await server.post("/api/v1/webhooks", #"{"name":"ops","url":"https://x.example"}"#).status == 409)
      let badURL = try await server.post("/api/v1/webhooks", #"{"name":"x","url":"ftp://x.example"}"#)
      #expect(badURL.status == 422 && badURL.json()["errors"]?[0]?["path"]?.string == "/url")
      let badName = try await server.post("/api/v1/webhooks", #"{"name":"a b","url":"https://x.example"}"#)
      #expect(badName.status == 422 && badName.json()["errors"]?[0]?["path"]?.string == "/name")

      // A test is queued and shows in the log as pending.
      let test = try await server.post("/api/v1/webhooks/ops/test", "")
      #expect(test.status == 202)
      let id = try #require(test.json()["delivery"]?.number)
      let log = try await server.get("/api/v1/webhooks/ops/deliveries")
      #expect(log.json()["deliveries"]?[0]?["id"]?.number == id)
      #expect(log.json()["deliveries"]?[0]?["state"]?.string == "pending")
      #expect(try await server.get("/api/v1/webhooks/nobody/deliveries").status == 404)
      #expect(try await server.post("/api/v1/webhooks/nobody/test", "").status == 404)

      // Managers and partners may not.
      let bob = try await server.request("GET", "/api/v1/webhooks", key: "ckpi_test_manager_bob")
      #expect(bob.status == 403)

      // The dashboard: the page lists it with its log; the form adds one and shows its secret once.
      let page = try await server.request("GET", "/webhooks", key: TestKeys.admin)
      #expect(page.status == 200 && page.text.contains("https://hooks.example.com/ops") && !page.text.contains(secret))
      #expect(page.text.contains("Send a test"))
      let form = try await server.request(
        "POST", "/webhooks", headers: ["Content-Type": "application/x-www-form-urlencoded"],
        body: Data("name=sales&url=https%3A%2F%2Fhooks.example.com%2Fsales".utf8), key: TestKeys.admin)
      let salesSecret = try #require(try await server.store.webhooks().first { $0.name == "sales" }?.secret)
      #expect(form.status == 200 && form.text.contains(salesSecret))
      let again = try await server.request("GET", "/webhooks", key: TestKeys.admin)
      #expect(!again.text.contains(salesSecret))
      let bad = try await server.request(
        "POST", "/webhooks", headers: ["Content-Type": "application/x-www-form-urlencoded"],
        body: Data("name=x&url=nowhere".utf8), key: TestKeys.admin)
      #expect(bad.status == 200 && bad.text.contains("the url must be an http or https address, not 'nowhere'"))
      let button = try await server.request(
        "POST", "/webhooks/sales/test", headers: ["Content-Type": "application/x-www-form-urlencoded"],
        body: Data(), key: TestKeys.admin)
      #expect(button.status == 200 && button.text.contains("A test delivery to sales is queued"))
      #expect(try await server.store.deliveries(webhook: "sales", limit: 5).count == 1)

      // Removed, with its log.
      let removed = try await server.post("/api/v1/webhooks/ops/remove", "")
      #expect(removed.status == 200 && removed.json()["removed"]?.string == "ops")
      #expect(try await server.store.webhooks().map(\.name) == ["sales"])
    }
  }
}
