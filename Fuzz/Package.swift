// swift-tools-version:6.0
import PackageDescription

// Vigil's libFuzzer targets (README "Fuzzing", Fuzz/README.md).
//
// A package of its own, depending on the root package by path, so that the root's `swift build`
// and `swift test` (what CI and every developer run) never build them: a fuzz target has no
// `main` (libFuzzer supplies it, so each target is parsed as a library) and makes sense only with
// coverage instrumentation in every module it calls into. `Fuzz/run` builds this package with the
// fuzzer and address sanitizers given on the command line, which SwiftPM passes to every module,
// the root's included, and with `-enable-testing`, so that a target may reach an internal entry
// point with `@testable import` instead of widening Vigil's public API for fuzzing.
//
// Adding a target is one file, `Sources/fuzz-NAME/FuzzNAME.swift` (its seeds and dictionary named
// in its header, read by `Fuzz/make-corpus`), and one line in `fuzzTargets` below.

/// Each target: its name (the executable `Fuzz/run` runs) and the modules it calls.
let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
    ("fuzz-records", [.product(name: "VigilIngest", package: "Vigil"), .product(name: "VigilJSON", package: "Vigil")]),
    ("fuzz-records-gzip", [.product(name: "VigilIngest", package: "Vigil"), .product(name: "VigilJSON", package: "Vigil")]),
    ("fuzz-flow-log", [.product(name: "VigilIngest", package: "Vigil"), .product(name: "VigilJSON", package: "Vigil")]),
    ("fuzz-pattern", [.product(name: "VigilPattern", package: "Vigil"), .product(name: "VigilJSON", package: "Vigil")]),
    ("fuzz-rules", [.product(name: "VigilAlerts", package: "Vigil"), .product(name: "VigilPattern", package: "Vigil")]),
    ("fuzz-config", [.product(name: "VigilAlerts", package: "Vigil")]),
    ("fuzz-request-head", [.product(name: "VigilMetrics", package: "Vigil")]),
    ("fuzz-audit-log", [.product(name: "VigilIngest", package: "Vigil")]),
    ("fuzz-json-validator", [.product(name: "VigilJSON", package: "Vigil")]),
]

let package = Package(
    name: "VigilFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Vigil", path: "..")],
    targets: [
        // zlib's deflate, for the target that gzips its input (Vigil itself only inflates).
        .systemLibrary(name: "FuzzZlib"),
        // What the targets share: the checks that turn a broken promise into a crash libFuzzer
        // reports, a visitor that normalizes every record, gzip, temporary files.
        .target(
            name: "FuzzSupport",
            dependencies: ["FuzzZlib", .product(name: "VigilIngest", package: "Vigil"), .product(name: "VigilJSON", package: "Vigil")]
        ),
    ] + fuzzTargets.map { target in
        .executableTarget(
            name: target.name,
            dependencies: ["FuzzSupport"] + target.dependencies,
            // libFuzzer's `main` calls `LLVMFuzzerTestOneInput`; the target has no top-level code.
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    },
    swiftLanguageModes: [.v6]
)
