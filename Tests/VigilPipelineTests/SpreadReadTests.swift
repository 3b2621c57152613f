import Foundation
import Testing
import VigilIngest
import VigilPattern
@testable import VigilPipeline

/// An input spread over cores (records batched, normalized and matched on helper threads, taken
/// back in order: `SpreadPass`) gives exactly what one thread gives: the same matches in the same
/// order (Config items diffed in file order), the same counts, the same problems in the same
/// order, the same ordinals — for every source, for damaged inputs, and however the batches are
/// cut (one record a batch, odd sizes, one batch out at a time, more helpers than cores).
@Suite("A spread read gives what one thread gives")
struct SpreadReadTests {
    /// What a read gave, for comparison: each match, then each input's outcome.
    struct Transcript: Equatable {
        var matches: [String] = []
        var outcomes: [String] = []
        var problems: [[InputProblem]] = []
        var volumes: [[String: [Int64: Int]]] = []
        /// The inputs read spread over helpers.
        var spreadPaths: [String] = []
        /// The kinds of event each input gave.
        var kindsByPath: [String: Set<LogRecord.Kind>] = [:]
    }

    static let root = LazyEnvelopeDifferentialTests.root

    @Test("every source and damaged inputs, batches cut every way")
    func sameMatchesCountsAndProblems() throws {
        let directory = try Self.damagedInputs()
        defer { try? FileManager.default.removeItem(at: directory) }
        let paths = LazyEnvelopeDifferentialTests.files(under: Self.root.appendingPathComponent("SampleLogs"))
            + LazyEnvelopeDifferentialTests.files(under: Self.root.appendingPathComponent("Tests/Fixtures"))
            + LazyEnvelopeDifferentialTests.files(under: directory)
        var patterns = try LazyEnvelopeDifferentialTests.shippedPatterns()
        // Every event matches this one, so every event's written form is compared.
        patterns.append((name: "everything", pattern: try EventPattern(json: #"{"source":[{"prefix":""}]}"#)))
        let compiled = CompiledPatternSet(patterns)

        for limits in [ReaderLimits(), ReaderLimits(maximumRecordSize: 700, maximumDepth: 6)] {
            let one = try Self.read(paths, patterns: compiled, limits: limits, spread: nil)
            #expect(one.matches.count > 500)
            #expect(one.problems.joined().count > 5, "the damaged inputs are reported")
            // Every kind spread (the JSON kinds too, which runs read on one thread), and the kinds
            // a run spreads (the others then read here, what came before their first record first).
            let everyKind = Set(LogRecord.Kind.allCases)
            for (helpers, records, capacity, kinds) in [(1, 1, 1, everyKind), (2, 2, 1, everyKind), (3, 7, 3, everyKind),
                                                        (2, 1024, 8, everyKind), (2, 3, 2, SpreadSettings(helpers: 1).kinds)] {
                var spread = SpreadSettings(helpers: helpers)
                spread.fromStoredBytes = 0
                spread.batchRecords = records
                spread.capacity = capacity
                spread.kinds = kinds
                let many = try Self.read(paths, patterns: compiled, limits: limits, spread: spread)
                let label = "helpers \(helpers), batches of \(records), \(capacity) out, \(kinds.count) kinds, record limit \(limits.maximumRecordSize)"
                #expect(many.matches == one.matches, "\(label)")
                #expect(many.outcomes == one.outcomes, "\(label)")
                #expect(many.problems == one.problems, "\(label)")
                #expect(many.volumes == one.volumes, "\(label)")
                // Inputs of the kinds asked for were spread, and only those.
                let spreadPaths = Set(many.spreadPaths)
                #expect(spreadPaths.count > (kinds == everyKind ? 10 : 3), "\(label)")
                for path in spreadPaths {
                    #expect(one.kindsByPath[path, default: []].isSubset(of: kinds), "\(label): \(path)")
                }
            }
        }
    }

    /// A parallel read spreads a large file among its last runs over the cores (the other
    /// threads would idle), and gives what it gives without spreading.
    @Test func aParallelReadSpreadsItsLastLargeFile() throws {
        let directory = try Self.damagedInputs()
        defer { try? FileManager.default.removeItem(at: directory) }
        let large = directory.appendingPathComponent("111122223333_vpcflowlogs_us-east-1_fl-03_20261120T0900Z_large.log")
        let lines = (0..<12_000).map { line in
            "2 111122223333 eni-0a1b2c3d 203.0.113.\(line % 9) 10.0.1.5 \(40_000 + line % 9_000) \(line % 3 == 0 ? 22 : 443) 6 1 40 \(1_795_166_000 + line) \(1_795_166_010 + line) REJECT OK"
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: large)
        let files = (LazyEnvelopeDifferentialTests.files(under: Self.root.appendingPathComponent("SampleLogs"))
            + LazyEnvelopeDifferentialTests.files(under: directory).filter { $0 != large.path } + [large.path]).map(LogSource.file)
        var patterns = try LazyEnvelopeDifferentialTests.shippedPatterns()
        patterns.append((name: "everything", pattern: try EventPattern(json: #"{"source":[{"prefix":""}]}"#)))
        let compiled = CompiledPatternSet(patterns)
        #expect(OrderedParallelRead.runs(of: files).last == (files.count - 1)..<files.count, "the large file is a run of its own")

        func read(spread: SpreadSettings?) -> (transcript: [String], spreadRuns: [Int]) {
            var settings = EventReader.Settings()
            settings.spread = spread
            var transcript: [String] = []
            var spreadRuns: [Int] = []
            var run = 0
            OrderedParallelRead(files: files, jobs: 2, settings: settings, s3: nil, patterns: compiled).run(handle: { found in
                transcript.append("\(found.match.file)#\(found.match.record) \(found.ruleIndices) "
                    + String(decoding: found.match.event, as: UTF8.self))
            }, runFinished: { outcome, count in
                transcript.append("\(count) files: \(outcome.summary.render()) \(outcome.problems)")
                if outcome.wasSpread { spreadRuns.append(run) }
                run += 1
            }, shouldStop: { false })
            return (transcript, spreadRuns)
        }
        let alone = read(spread: nil)
        #expect(alone.transcript.count > 12_000)
        #expect(alone.spreadRuns.isEmpty)
        var spread = SpreadSettings(helpers: 2)
        spread.fromStoredBytes = 0
        spread.batchRecords = 5
        let spreadRead = read(spread: spread)
        #expect(spreadRead.transcript == alone.transcript)
        // The large flow file, the last run, was spread; the runs before the last two were not.
        let runs = OrderedParallelRead.runs(of: files).count
        #expect(spreadRead.spreadRuns.last == runs - 1)
        #expect(spreadRead.spreadRuns.allSatisfy { $0 >= runs - 2 })
    }

    /// `vigil normalize` spread over cores writes the same lines, Config items diffed in order.
    @Test func normalizeWritesTheSameLines() throws {
        let directory = try Self.damagedInputs()
        defer { try? FileManager.default.removeItem(at: directory) }
        let paths = LazyEnvelopeDifferentialTests.files(under: Self.root.appendingPathComponent("SampleLogs"))
            + LazyEnvelopeDifferentialTests.files(under: directory)
        func lines(spread: SpreadSettings?) -> ([[UInt8]], [String]) {
            var settings = EventReader.Settings()
            settings.spread = spread
            var reader = EventReader(settings: settings)
            var written: [[UInt8]] = []
            var outcomes: [String] = []
            var writer = EventLineWriter { written.append($0) }
            for path in paths {
                let outcome = reader.read(.file(path), s3: nil, into: &writer)
                outcomes.append("\(outcome.summary.render()) \(outcome.problems)")
            }
            return (written, outcomes)
        }
        let one = lines(spread: nil)
        #expect(one.0.count > 3_000)
        #expect(one.0.contains { String(decoding: $0, as: UTF8.self).contains("configurationItemDiff") })
        for records in [1, 5, 1024] {
            var spread = SpreadSettings(helpers: 2)
            spread.fromStoredBytes = 0
            spread.batchRecords = records
            spread.kinds = Set(LogRecord.Kind.allCases)
            let many = lines(spread: spread)
            #expect(many.0 == one.0, "batches of \(records)")
            #expect(many.1 == one.1, "batches of \(records)")
        }
    }

    /// A read stopped early (a hunt's `--limit`) stops the helpers too, and what came before the
    /// stop is what one thread gives.
    @Test func aCancelledReadEndsWithItsHelpers() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-spread-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("111122223333_vpcflowlogs_us-east-1_fl-01_20261120T0900Z_long.log").path
        let lines = (0..<40_000).map { line in
            "2 111122223333 eni-0a1b2c3d 203.0.113.9 10.0.1.5 \(40_000 + line % 9_000) 22 6 1 40 1795166000 1795166010 REJECT OK"
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let compiled = CompiledPatternSet([(name: "all", pattern: try EventPattern(json: #"{"detail":{"dstport":[22]}}"#))])
        var settings = EventReader.Settings()
        var spread = SpreadSettings(helpers: 2)
        spread.fromStoredBytes = 0
        spread.batchRecords = 16
        settings.spread = spread
        var reader = EventReader(settings: settings)
        let cancellation = ReadCancellation()
        var seen: [Int] = []
        var visitor = MatchingVisitor(matcher: EnvelopeMatcher(compiled)) { match, _, _ in
            seen.append(match.record)
            if seen.count == 100 { cancellation.cancel() }
            return 0
        }
        let outcome = reader.read(.file(path), s3: nil, cancellation: cancellation, into: &visitor)
        #expect(outcome.wasCancelled)
        #expect(seen.count >= 100)
        #expect(seen.count < 10_000, "stopped long before the end of the file")
        #expect(seen == Array(0..<seen.count))
    }

    /// Reads `paths` in order through one reader and one visitor (so Config items are diffed
    /// across files, as in a run), spread or not.
    static func read(_ paths: [String], patterns: CompiledPatternSet, limits: ReaderLimits,
                     spread: SpreadSettings?) throws -> Transcript {
        var settings = EventReader.Settings(limits: limits)
        settings.spread = spread
        var reader = EventReader(settings: settings)
        var transcript = Transcript()
        var visitor = MatchingVisitor(matcher: EnvelopeMatcher(patterns)) { match, ruleIndices, summary in
            summary.alertsByRule["counted", default: 0] += 1
            transcript.matches.append("\(match.file)#\(match.record) \(ruleIndices) \(match.seconds ?? -1) "
                + String(decoding: match.identity, as: UTF8.self) + " " + String(decoding: match.event, as: UTF8.self))
            return 0
        }
        for path in paths {
            let outcome = reader.read(.file(path), s3: nil, into: &visitor)
            transcript.outcomes.append("\(path): \(outcome.summary.render()) records read \(outcome.recordsRead), next \(outcome.nextOrdinal), "
                + "decoded \(outcome.decodedBytes), ended early \(outcome.endedEarly), cancelled \(outcome.wasCancelled)")
            transcript.volumes.append(outcome.summary.volume.byMinute)
            if outcome.wasSpread { transcript.spreadPaths.append(path) }
            transcript.kindsByPath[path] = Set(outcome.summary.eventsByKind.keys)
            transcript.problems.append(outcome.problems)
        }
        return transcript
    }

    /// Inputs with problems between good records, in the forms readers take: flow lines with a
    /// bad line and a header change, CloudTrail JSON Lines with broken and unrecognized records,
    /// a gzip stream cut short, and a flow file of some thousands of lines.
    static func damagedInputs() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-spread-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var flow = ["version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"]
        for line in 0..<3_000 {
            let time = 1_795_166_000 + line
            flow.append("2 111122223333 eni-0a1b2c3d 203.0.113.\(line % 7) 10.0.1.5 \(40_000 + line % 9_000) \(line % 5 == 0 ? 22 : 5432) 6 1 40 \(time) \(time + 10) \(line % 3 == 0 ? "REJECT" : "ACCEPT") OK")
            if line % 401 == 17 { flow.append("2 111122223333 eni-0a1b2c3d not-enough-fields") }
        }
        // A later header: the lines after it have its fields.
        flow.append("srcaddr dstaddr dstport action start end")
        for line in 0..<500 {
            flow.append("198.51.100.\(line % 11) 10.0.1.5 \(line % 4 == 0 ? 3389 : 443) \(line % 2 == 0 ? "REJECT" : "ACCEPT") \(1_795_169_000 + line) \(1_795_169_010 + line)")
            if line % 97 == 50 { flow.append("198.51.100.1 10.0.1.5 443 ACCEPT") }
        }
        let flowText = flow.joined(separator: "\n") + "\n"
        try Data(flowText.utf8).write(to: directory.appendingPathComponent("111122223333_vpcflowlogs_us-east-1_fl-01_20261120T0900Z_big.log"))

        // CloudTrail records of the samples, one per line, with damage before and between them.
        var lines = [#"{"eventVersion":"1.08","broken":"#, #"{"neither":"a record","nor":"a container"}"#]
        let trail = Self.root.appendingPathComponent("SampleLogs/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20")
        for path in LazyEnvelopeDifferentialTests.files(under: trail) {
            let file = try DecodedInput(path: path)
            var bytes = [UInt8](repeating: 0, count: 1 << 22)
            let count = try bytes.withUnsafeMutableBytes { try file.read(into: $0) }
            let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes[..<count])) as? [String: Any])
            for record in try #require(object["Records"] as? [Any]) {
                lines.append(String(decoding: try JSONSerialization.data(withJSONObject: record), as: UTF8.self))
                if lines.count % 13 == 5 { lines.append(#"{"eventVersion":"1.08","broken":"#) }
                if lines.count % 17 == 3 { lines.append(#"{"neither":"a record","nor":"a container"}"#) }
                if lines.count % 19 == 2 { lines.append(#"{"deep":[[[[[[[[[[1]]]]]]]]]]}"#) }
            }
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: directory.appendingPathComponent("trail-lines.jsonl"))

        // A gzip stream cut inside its member: the lines before the cut are read, then the damage.
        let gzipped = try Self.gzip(Data(flowText.utf8))
        try gzipped.prefix(gzipped.count * 2 / 3).write(to: directory.appendingPathComponent("111122223333_vpcflowlogs_us-east-1_fl-02_20261120T0900Z_cut.log.gz"))
        return directory
    }

    static func gzip(_ data: Data) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-c"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let writer = Thread { input.fileHandleForWriting.write(data); try? input.fileHandleForWriting.close() }
        writer.start()
        let result = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return result
    }
}
