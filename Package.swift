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
    .library(name: "ChannelKPI", targets: ["ChannelKPI"]),
    .library(name: "ChannelKPIStore", targets: ["ChannelKPIStore"]),
    .library(name: "ChannelKPIServer", targets: ["ChannelKPIServer"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
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
      ],
      swiftSettings: strict),
    .target(name: "ChannelKPIServer", dependencies: ["ChannelKPI", "ChannelKPIStore"], swiftSettings: strict),
    .executableTarget(
      name: "channelkpi",
      dependencies: [
        "ChannelKPI", "ChannelKPIStore", "ChannelKPIServer",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict),
    .testTarget(
      name: "ChannelKPITests",
      dependencies: ["ChannelKPI", .product(name: "PropertyBased", package: "swift-property-based")],
      swiftSettings: strict),
    .testTarget(
      name: "ChannelKPIStoreTests",
      dependencies: ["ChannelKPI", "ChannelKPIStore", .product(name: "GRDB", package: "GRDB.swift")],
      swiftSettings: strict),
    .testTarget(name: "channelkpiTests", dependencies: ["channelkpi"], swiftSettings: strict),
  ],
  swiftLanguageModes: [.v6]
)
