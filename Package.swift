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
    .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
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
        "Interpreter", "CLibSSH2",
        .product(name: "Yams", package: "Yams"),
        .product(name: "Subprocess", package: "swift-subprocess"),
      ],
      swiftSettings: strict),
    .executableTarget(
      name: "haflow",
      dependencies: [
        "Stdlib", "CLibEdit",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict),
    .testTarget(name: "LexerTests", dependencies: ["Lexer"], swiftSettings: strict),
    .testTarget(name: "InterpreterTests", dependencies: ["Interpreter"], swiftSettings: strict),
    .testTarget(name: "StdlibTests", dependencies: ["Stdlib"], swiftSettings: strict),
    .testTarget(
      name: "ScriptTests", dependencies: ["Stdlib"], resources: [.copy("Scripts")],
      swiftSettings: strict),
    .testTarget(name: "HaflowCLITests", dependencies: ["haflow"], swiftSettings: strict),
  ]
)
