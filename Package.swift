// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
  name: "haflow",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "haflow", targets: ["haflow"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
    .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
    .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
  ],
  targets: [
    .systemLibrary(
      name: "CLibSSH2", path: "Sources/CLibSSH2", pkgConfig: "libssh2",
      providers: [.apt(["libssh2-1-dev"])]),
    .systemLibrary(
      name: "CLibEdit", path: "Sources/CLibEdit", pkgConfig: "libedit",
      providers: [.apt(["libedit-dev"])]),
    .target(name: "Lexer", swiftSettings: strict),
    .target(
      name: "Interpreter",
      dependencies: ["Lexer", .product(name: "OrderedCollections", package: "swift-collections")],
      swiftSettings: strict),
    .target(
      name: "Stdlib",
      dependencies: [
        "Lexer", "Interpreter",
        .product(name: "OrderedCollections", package: "swift-collections"),
        .product(name: "Yams", package: "Yams"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "SwiftASN1", package: "swift-asn1"),
        .product(name: "X509", package: "swift-certificates"),
      ],
      path: "Sources/Stdlib/Builtins",
      swiftSettings: strict),
    .target(
      name: "Remote",
      dependencies: [
        "CLibSSH2",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Subprocess", package: "swift-subprocess"),
      ],
      path: "Sources/Stdlib/Remote",
      swiftSettings: strict),
    .target(
      name: "Inventory",
      dependencies: [
        "Lexer",
        .product(name: "OrderedCollections", package: "swift-collections"),
        .product(name: "Yams", package: "Yams"),
      ],
      path: "Sources/Stdlib/Inventory",
      swiftSettings: strict),
    .target(
      name: "Lab",
      dependencies: [
        "Remote",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "_CryptoExtras", package: "swift-crypto"),
        .product(name: "SwiftASN1", package: "swift-asn1"),
        .product(name: "X509", package: "swift-certificates"),
        .product(name: "Yams", package: "Yams"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
      ],
      path: "Sources/Stdlib/Lab",
      swiftSettings: strict),
    .target(
      name: "Session",
      dependencies: [
        "Lexer", "Interpreter", "Stdlib", "Remote", "Inventory",
        .product(name: "OrderedCollections", package: "swift-collections"),
        .product(name: "Yams", package: "Yams"),
      ],
      path: "Sources/Stdlib/Session",
      swiftSettings: strict),
    .executableTarget(
      name: "haflow",
      dependencies: [
        "Lexer", "Interpreter", "Stdlib", "Remote", "Inventory", "Lab", "Session", "CLibEdit",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict),
    .testTarget(name: "LexerTests", dependencies: ["Lexer"], swiftSettings: strict),
    .testTarget(name: "InterpreterTests", dependencies: ["Interpreter"], swiftSettings: strict),
    // Shared by the test targets below: event recorders, a real sshd on loopback, test users.
    .target(
      name: "TestSupport", dependencies: ["Interpreter", "Remote", "Session"],
      path: "Tests/TestSupport",
      swiftSettings: strict),
    .testTarget(
      name: "StdlibTests", dependencies: ["Stdlib", "Session", "TestSupport"],
      swiftSettings: strict),
    .testTarget(
      name: "RemoteTests",
      dependencies: ["Remote", "TestSupport", .product(name: "Crypto", package: "swift-crypto")],
      swiftSettings: strict),
    .testTarget(
      name: "InventoryTests", dependencies: ["Inventory", "Session", "TestSupport"],
      resources: [.copy("Fixtures")], swiftSettings: strict),
    .testTarget(
      name: "LabTests", dependencies: ["Lab", "Session", "Inventory", "Stdlib", "TestSupport"],
      swiftSettings: strict),
    .testTarget(
      name: "SessionTests",
      dependencies: [
        "Session", "Stdlib", "Remote", "Inventory", "TestSupport",
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      swiftSettings: strict),
    .testTarget(
      name: "ScriptTests", dependencies: ["Stdlib", "Session"], resources: [.copy("Scripts")],
      swiftSettings: strict),
    .testTarget(
      name: "HaflowCLITests", dependencies: ["haflow", "TestSupport"], swiftSettings: strict),
    // Reads docs/architecture.md and every import in Sources/: the one-way rules hold.
    .testTarget(name: "ArchitectureTests", swiftSettings: strict),
  ]
)
