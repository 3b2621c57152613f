// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Vigil",
    // Vigil runs on Linux only: the tail watches directories with inotify, and the code calls Glibc
    // directly (ARCHITECTURE.md). The macOS entry only sets the minimum for toolchains that ask.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "vigil", targets: ["vigil"]),
        .library(name: "VigilJSON", targets: ["VigilJSON"]),
        .library(name: "VigilPattern", targets: ["VigilPattern"]),
        .library(name: "VigilIngest", targets: ["VigilIngest"]),
        // Products so that the fuzz package (Fuzz/, which depends on this one by path) can reach
        // rule files, the configuration and the metrics server's request parser.
        .library(name: "VigilAlerts", targets: ["VigilAlerts"]),
        .library(name: "VigilMetrics", targets: ["VigilMetrics"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // SHA-1 for name-based event UUIDs, SHA-256 for alert ids.
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
        // SQLite (Debian's libsqlite3-dev) for durable state: the webhook spool, windows, checkpoints.
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        // Prometheus text exposition for `--metrics-listen`.
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        // YAML for CloudFormation and SAM templates and Sigma rules (libyaml, vendored by Yams as CYaml):
        // a YAML parser is not something to hand-write; its clean-build cost is in ARCHITECTURE.md.
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // The byte-level JSON toolkit that ingest, alerts and patterns share: validation, member index, strings, JSON text.
        .target(
            name: "VigilJSON",
            dependencies: ["CSimd"],
            // As in VigilPattern: the member index, a class, is read and noted per member of every record.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
        ),
        // Strict JSON validation with AVX2 (simdjson-style structural indexing and lookup-table
        // UTF-8), chosen at run time by CPU; VigilJSON's scalar validator is the fallback and the
        // reference (Sources/CSimd/include/CSimd.h).
        .target(name: "CSimd"),
        // Pattern parsing, validation, compilation and byte-level matching. No Foundation on the hot path.
        .target(
            name: "VigilPattern",
            dependencies: ["VigilJSON"],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
        ),
        // zlib from Debian's zlib1g-dev (libz-dev).
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // ISA-L's igzip inflate, its declarations vendored: always compiled, libisal.so.2 opened at run time.
        .target(
            name: "CIsal",
            linkerSettings: [.linkedLibrary("dl")]
        ),
        // glibc's allocator told to keep freed memory for reuse (Sources/vigil/HeapTuning.swift).
        .target(name: "CHeapTuning"),
        // Linux's sync_file_range, which Swift's Glibc module does not import: the file sink starts
        // writing its alerts to disk as it goes, so that its closing fsync waits for little.
        .target(name: "CFileWriteback"),
        // Where AWS delivers logs: the AWSLogs/ path layout and the UTC calendar of its date folders.
        .target(name: "VigilLayout"),
        // Reading logs as AWS delivers them: decoding, format detection, readers, normalization.
        .target(
            name: "VigilIngest",
            dependencies: ["CZlib", "CIsal", "VigilJSON", "VigilLayout", .product(name: "Crypto", package: "swift-crypto")],
            // The member index's accessors, inlined from VigilJSON, run per field of every flow record
            // here; with exclusivity checked they cost a runtime access check each.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]
        ),
        // One way to talk HTTP for webhooks and AWS: the blocking exchange (redirects refused) and the backoff.
        .target(name: "VigilHTTP"),
        // Rule files, alert building and sinks.
        .target(
            name: "VigilAlerts",
            dependencies: [
                "VigilJSON",
                "VigilPattern",
                "VigilHTTP",
                "CFileWriteback",
                // AWS sinks (SNS, EventBridge, Lambda, Security Hub) go through the signed client.
                "VigilAWS",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
            ],
            // The alerter and the sink queue read their state from class properties once or more
            // per alert, each read a runtime access check: 470 instructions an alert (callgrind). Debug
            // builds, which the tests run, keep the checks.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        // Alerts for people: the terminal table and TSV (`--output`), and the HTML and Markdown
        // reports (`--report`, `vigil report`). Hand-written escaping writers, no template library:
        // Plot 0.14 alone took 198 s (13.4 s of CPU) to build clean here on a loaded machine, which
        // CI would pay every run, for what two escaping functions and string writing do.
        .target(
            name: "VigilReport",
            dependencies: ["VigilJSON", "VigilAlerts", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // AWS access: Signature Version 4, credentials and region from the standard places, and the
        // calls Vigil makes (S3, SQS; SNS, EventBridge, Lambda, Security Hub and STS for alerts).
        // VigilJSON writes the alert JSON into request bodies.
        .target(
            name: "VigilAWS",
            dependencies: ["VigilHTTP", "VigilLayout", "VigilJSON", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // A run: replay and tail drive files through readers, the matcher and the sinks; tail keeps
        // its progress in the state database.
        .target(
            name: "VigilPipeline",
            dependencies: [
                "VigilIngest", "VigilAlerts", "VigilPattern", "VigilJSON", "VigilLayout", "VigilAWS", "VigilMetrics",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            // The per-record path (EventPass, MatchingVisitor, EnvelopeMatcher) reads its state from
            // class properties, each read a runtime access check: 2.5 % of a flow replay's
            // instructions. Debug builds, which the tests run, keep the checks.
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
        ),
        // SigmaHQ rules for AWS CloudTrail converted into Vigil rule files with generated tests
        // (`vigil rules import-sigma`).
        .target(
            name: "VigilSigma",
            dependencies: ["VigilJSON", "VigilPattern", "VigilIngest", .product(name: "Yams", package: "Yams")]
        ),
        // Operations: Prometheus metrics and /healthz, served on `--metrics-listen`.
        .target(
            name: "VigilMetrics",
            dependencies: [
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // The command line: argument parsing and output only.
        .executableTarget(
            name: "vigil",
            dependencies: [
                "VigilPattern",
                "VigilIngest",
                "VigilAlerts",
                "VigilPipeline",
                "VigilAWS",
                "VigilMetrics",
                "VigilReport",
                "VigilSigma",
                "CHeapTuning",
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
            name: "VigilJSONTests",
            dependencies: ["VigilJSON", "VigilTestSupport"]
        ),
        .testTarget(
            name: "VigilPatternTests",
            dependencies: ["VigilPattern", "VigilJSON"]
        ),
        .testTarget(
            name: "VigilIngestTests",
            dependencies: ["VigilIngest", "VigilJSON", "VigilPattern", "CZlib"]
        ),
        .testTarget(
            name: "VigilAlertsTests",
            dependencies: ["VigilAlerts", "VigilJSON", "VigilPattern", "VigilTestSupport"]
        ),
        // What several test targets share: a fault-injecting HTTP server, a seeded generator, polling
        // for what another thread or process does, and a moto server (S3, SQS and STS) with its boto3
        // fixture script.
        .target(
            name: "VigilTestSupport",
            path: "Tests/VigilTestSupport",
            exclude: ["moto_fixture.py"]
        ),
        .testTarget(
            name: "VigilAWSTests",
            dependencies: ["VigilAWS", "VigilTestSupport"],
            // Run by the tests with python3 (botocore's signatures), not compiled.
            exclude: ["Support/botocore_sign.py"]
        ),
        .testTarget(
            name: "VigilReportTests",
            dependencies: ["VigilReport", "VigilAlerts", "VigilJSON"],
            // Run by the browser tests with python3 (a DevTools-protocol client), not compiled.
            exclude: ["Browser/cdp_check.py"]
        ),
        .testTarget(
            name: "VigilSigmaTests",
            dependencies: ["VigilSigma", "VigilAlerts", "VigilPattern", "VigilJSON", "VigilTestSupport"],
            // Run by the agreement test with python3 (pySigma and its DuckDB backend), not compiled.
            exclude: ["Support/sigma_agreement.py"]
        ),
        .testTarget(
            name: "VigilLayoutTests",
            dependencies: ["VigilLayout"]
        ),
        .testTarget(
            name: "VigilHTTPTests",
            dependencies: ["VigilHTTP", "VigilTestSupport"]
        ),
        .testTarget(
            name: "VigilMetricsTests",
            dependencies: ["VigilMetrics"]
        ),
        .testTarget(
            name: "VigilPipelineTests",
            dependencies: ["VigilPipeline", "VigilIngest", "VigilAlerts", "VigilPattern", "VigilAWS", "VigilTestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
