// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
  name: "ChannelKPI",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "channelkpi", targets: ["channelkpi"]),
    .executable(name: "channelkpi-fuzz", targets: ["channelkpi-fuzz"]),
    .library(name: "ChannelKPI", targets: ["ChannelKPI"]),
    .library(name: "ChannelKPIStore", targets: ["ChannelKPIStore"]),
    .library(name: "ChannelKPIServer", targets: ["ChannelKPIServer"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    .package(url: "https://github.com/JohnSundell/Plot", from: "0.14.0"),
    .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    // bcrypt for passwords; SHA-256 (already built for PostgreSQL's SCRAM) for key and session hashes.
    .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
    .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    // Posting alert webhooks (NIO is built already for the server and PostgreSQL).
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
  ],
  targets: [
    .target(name: "ChannelKPI", swiftSettings: strict),
    .target(
      name: "ChannelKPIStore",
      dependencies: [
        "ChannelKPI",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "GRDBSQLite", package: "GRDB.swift"),
        .product(name: "Yams", package: "Yams"),
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict),
    .target(
      name: "ChannelKPIServer",
      dependencies: [
        "ChannelKPI", "ChannelKPIStore",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Metrics", package: "swift-metrics"),
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "Plot", package: "Plot"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
      ],
      swiftSettings: strict),
    .executableTarget(
      name: "channelkpi",
      dependencies: [
        "ChannelKPI", "ChannelKPIStore", "ChannelKPIServer",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict),
    // Fuzzes the input parsers: CSV import, KPI language, mappings, program files, JSON bodies.
    .executableTarget(
      name: "channelkpi-fuzz",
      dependencies: [
        "ChannelKPI", "ChannelKPIStore", "ChannelKPIServer",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict),
    .testTarget(
      name: "ChannelKPITests",
      dependencies: ["ChannelKPI", .product(name: "PropertyBased", package: "swift-property-based")],
      swiftSettings: strict),
    // Shared by the test targets: a throwaway PostgreSQL database per test.
    .target(
      name: "ChannelKPITestSupport",
      dependencies: [
        "ChannelKPIStore",
        .product(name: "PostgresNIO", package: "postgres-nio"),
        .product(name: "Logging", package: "swift-log"),
      ],
      path: "Tests/Support",
      swiftSettings: strict),
    .testTarget(
      name: "ChannelKPIStoreTests",
      dependencies: [
        "ChannelKPI", "ChannelKPIStore", "ChannelKPITestSupport", .product(name: "GRDB", package: "GRDB.swift"),
      ],
      swiftSettings: strict),
    .testTarget(
      name: "channelkpi-fuzzTests", dependencies: ["channelkpi-fuzz", "ChannelKPITestSupport"], swiftSettings: strict),
    .testTarget(
      name: "channelkpiTests", dependencies: ["channelkpi", "ChannelKPITestSupport"], swiftSettings: strict),
    .testTarget(
      name: "ChannelKPIServerTests",
      dependencies: [
        "ChannelKPI", "ChannelKPIStore", "ChannelKPIServer", "ChannelKPITestSupport",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
      ],
      exclude: ["__Snapshots__"],
      swiftSettings: strict),
  ],
  swiftLanguageModes: [.v6]
)
