import ChannelKPIStore
import Testing

@Suite struct PostgresURLTests {
  let env = ["USER": "osuser"]

  @Test func readsEveryPartOfAURL() throws {
    let u = try PostgresURL("postgres://ann:s%3Acr%40t@db.example.com:6543/kpis?sslmode=require", environment: env)
    #expect(u.user == "ann")
    #expect(u.password == "s:cr@t")
    #expect(u.host == "db.example.com")
    #expect(u.port == 6543)
    #expect(u.database == "kpis")
    #expect(u.sslMode == .require)
    #expect(u.socketPath == nil)
  }

  @Test func fillsInDefaultsAsLibpqDoes() throws {
    let u = try PostgresURL("postgresql://", environment: env)
    #expect(u.user == "osuser" && u.password == nil && u.host == "localhost" && u.port == 5432)
    #expect(u.database == "osuser" && u.sslMode == .prefer)
    let withEnv = try PostgresURL(
      "postgres:///kpis", environment: ["PGUSER": "svc", "PGPASSWORD": "pw", "PGHOST": "/run/postgresql"])
    #expect(withEnv.user == "svc" && withEnv.password == "pw" && withEnv.database == "kpis")
    #expect(withEnv.socketPath == "/run/postgresql/.s.PGSQL.5432")
  }

  @Test func takesParametersSocketsAndIPv6() throws {
    let socket = try PostgresURL("postgres://ann@/kpis?host=/tmp/pg&port=55432", environment: env)
    #expect(socket.socketPath == "/tmp/pg/.s.PGSQL.55432")
    let v6 = try PostgresURL("postgres://ann@[::1]:5433/kpis?application_name=kpi-web", environment: env)
    #expect(v6.host == "::1" && v6.port == 5433 && v6.applicationName == "kpi-web")
    let ca = try PostgresURL("postgres://h/db?sslmode=verify-full&sslrootcert=/etc/ca.pem", environment: env)
    #expect(ca.sslMode == .verifyFull && ca.sslRootCert == "/etc/ca.pem")
  }

  @Test func neverShowsThePassword() throws {
    let u = try PostgresURL("postgres://ann:hunter2@db:5432/kpis?sslmode=verify-ca", environment: env)
    #expect(u.description == "postgres://ann:***@db:5432/kpis?sslmode=verify-ca")
    #expect(!"\(StoreLocation.postgres(u))".contains("hunter2"))
    // Nor in the message about a URL it cannot read.
    do {
      _ = try PostgresURL("postgres://ann:hunter2@db:notaport/kpis", environment: env)
      Issue.record("a bad port was accepted")
    } catch {
      #expect(error.message.contains("port"))
      #expect(!error.message.contains("hunter2"))
    }
    do {
      _ = try PostgresURL("postgres://db/kpis?password=hunter2&sslmode=sometimes", environment: env)
      Issue.record("a bad sslmode was accepted")
    } catch {
      #expect(error.message.contains("sslmode=sometimes"))
      #expect(!error.message.contains("hunter2"))
    }
  }

  @Test func aPasswordWithSlashesOrQuestionMarksStaysWhole() throws {
    let u = try PostgresURL("postgres://ann:12/34?x@db:5433/kpis?sslmode=disable", environment: env)
    #expect(u.password == "12/34?x" && u.host == "db" && u.port == 5433 && u.database == "kpis")
    #expect(u.sslMode == .disable)
    // A parameter after a password parameter is not named: it could be part of the password.
    do {
      _ = try PostgresURL("postgres://db/kpis?password=secretpart&leakpart", environment: env)
      Issue.record("an unknown parameter was accepted")
    } catch {
      #expect(error.message.contains("a parameter that ChannelKPI does not read"))
      #expect(!error.message.contains("secretpart") && !error.message.contains("leakpart"), "\(error.message)")
    }
  }

  @Test func refusesWhatItCannotUse() {
    for (text, why) in [
      ("postgres://db/kpis?timeout=3", "the parameter 'timeout'"),
      ("postgres://db:0/kpis", "outside 1–65535"),
      ("postgres://[::1/kpis", "closing ']'"),
    ] {
      #expect(throws: StoreLocationError.self, "\(text)") { try PostgresURL(text, environment: env) }
      do { _ = try PostgresURL(text, environment: env) } catch {
        #expect(error.message.contains(why), "\(error.message)")
      }
    }
  }

  @Test func aLocationIsAURLOrAPath() throws {
    #expect(try StoreLocation("channelkpi.sqlite") == .sqlite(path: "channelkpi.sqlite"))
    #expect(try StoreLocation("/data/postgres-export.sqlite") == .sqlite(path: "/data/postgres-export.sqlite"))
    guard case .postgres(let u) = try StoreLocation("POSTGRES://x@h/db") else {
      Issue.record("not read as PostgreSQL")
      return
    }
    #expect(u.host == "h" && u.database == "db")
    #expect(throws: StoreLocationError.self) { try StoreLocation("") }
  }
}
