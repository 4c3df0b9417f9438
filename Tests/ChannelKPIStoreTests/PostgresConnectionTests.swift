import ChannelKPIStore
import ChannelKPITestSupport
import Foundation
import Testing

/// Connecting to PostgreSQL: passwords, TLS modes and errors that say what went wrong.
@Suite(.enabled(if: TestPostgres.isEnabled, "PostgreSQL is not configured (CHANNELKPI_TEST_POSTGRES)"))
struct PostgresConnectionTests {
  @Test func aWrongPasswordIsReportedWithoutThePassword() async throws {
    var u = try TestPostgres.admin()
    u.password = "wrong-password-123"
    do {
      let store = try await PostgresStore(url: u, logger: TestPostgres.quietLogger)
      try await store.close()
      Issue.record("connected with a wrong password")
    } catch {
      let text = "\(error)"
      #expect(text.contains("password authentication failed"), "\(text)")
      #expect(!text.contains("wrong-password-123"))
    }
  }

  @Test func anUnreachableServerIsReportedWithItsAddress() async throws {
    var u = try TestPostgres.admin()
    u.port = 9  // discard: nothing listens
    do {
      let store = try await PostgresStore(url: u, logger: TestPostgres.quietLogger)
      try await store.close()
      Issue.record("connected to a port where nothing listens")
    } catch let e as StoreError {
      #expect(e.description.hasPrefix("cannot connect to postgres://"), "\(e)")
      #expect(e.description.contains(":9/"), "\(e)")
      #expect(!e.description.contains(u.password ?? "never"), "\(e)")
    }
  }

  @Test(arguments: ["disable", "prefer", "require"])
  func connectsInEachTLSMode(_ mode: String) async throws {
    try await TestPostgres.withDatabase { base in
      var u = base
      u.sslMode = PostgresURL.SSLMode(rawValue: mode) ?? .prefer
      u.applicationName = "tls-\(mode)-\(UUID().uuidString.prefix(8))"
      let store = try await PostgresStore(url: u, logger: TestPostgres.quietLogger)
      _ = try await store.latestChange()
      // The test server offers TLS: every mode but `disable` takes it.
      let tls = try await TestPostgres.tls(ofApplication: u.applicationName)
      #expect(!tls.isEmpty)
      #expect(tls.allSatisfy { $0 == (mode != "disable") }, "\(tls)")
      try await store.close()
    }
  }

  @Test func verifyFullChecksTheCertificate() async throws {
    let cert = try #require(TestPostgres.certificate, "CHANNELKPI_TEST_POSTGRES_CERT is not set")
    try await TestPostgres.withDatabase { base in
      var u = base
      u.host = "localhost"
      u.sslMode = .verifyFull
      // Without the authority that signed it, the server's certificate is not trusted.
      do {
        let store = try await PostgresStore(url: u, logger: TestPostgres.quietLogger)
        try await store.close()
        Issue.record("a certificate no trusted authority signed was accepted")
      } catch {
        #expect("\(error)".uppercased().contains("CERTIFICATE"), "\(error)")
      }
      u.sslRootCert = cert
      let store = try await PostgresStore(url: u, logger: TestPostgres.quietLogger)
      #expect(try await store.latestChange() == 0)
      try await store.close()
    }
  }
}
