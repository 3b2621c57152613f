// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Vigil",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vigil", targets: ["vigil"]),
        .library(name: "VigilPattern", targets: ["VigilPattern"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Pattern parsing, validation, compilation and byte-level matching. No Foundation on the hot path.
        .target(
            name: "VigilPattern",
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
        ),
        // The command line: argument parsing and output only.
        .executableTarget(
            name: "vigil",
            dependencies: [
                "VigilPattern",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `swift run -c release pattern-benchmark`: events/s and MB/s of the pattern engine.
        .executableTarget(
            name: "pattern-benchmark",
            dependencies: ["VigilPattern"],
            path: "Benchmarks/PatternBenchmark"
        ),
        .testTarget(
            name: "VigilPatternTests",
            dependencies: ["VigilPattern"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
