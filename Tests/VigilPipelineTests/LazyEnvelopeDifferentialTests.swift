import Foundation
import Testing
import VigilIngest
import VigilPattern
import VigilPipeline

/// Matching takes only what patterns read (a flow record's fields one by one, its `detail` never
/// written unless shown); matching the envelope with its `detail` written first, as before, must
/// give exactly the same verdicts, and the event written after either must be the same bytes.
///
/// Over every file of SampleLogs and Tests/Fixtures plus flow files in the default v2 format
/// without a header, v5, and a custom format with odd values, with the shipped rules and, for
/// every field any of these events has, patterns that test it: `exists` true and false, its
/// values, `anything-but`, a prefix, numeric comparisons.
@Suite("The lazy envelope gives the alerts of the written one")
struct LazyEnvelopeDifferentialTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Flow files the samples lack: CloudWatch Logs' header-less default format, the v5 format of
    /// Benchmarks/make-corpus.py, and a custom format with leading zeros, `-`, characters JSON
    /// escapes, UTF-8 and field names AWS added later.
    static let flowFiles: [(name: String, text: String)] = [
        ("111122223333_vpcflowlogs_us-east-1_fl-01_20261120T0900Z_aa.log", """
         2 111122223333 eni-0a1b2c3d 198.51.100.23 10.0.12.34 35726 3306 6 11 1327 1795166770 1795166774 ACCEPT OK
         2 111122223333 eni-0a1b2c3d 10.0.4.21 10.0.12.34 50071 22 6 54 7776 1795165201 1795165261 REJECT OK
         2 unknown eni-0c0ffee0 - - - - - - - 1795165200 1795165258 - NODATA

         """),
        ("111122223333_vpcflowlogs_eu-west-1_fl-02_20261120T0900Z_bb.log", """
         version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path
         5 444455556666 eni-1234abcd 45.1.2.3 10.0.1.9 40000 443 6 20 20000 1795166000 1795166060 ACCEPT OK vpc-0a1b2c3d subnet-0a1b2c3d i-0123456789abcdef0 18 IPv4 45.1.2.3 10.0.1.9 eu-west-1 euw1-az1 - - - S3 ingress 1
         5 444455556666 eni-1234abcd 10.0.1.9 52.95.128.179 40001 443 6 3 300 1795166000 1795166060 ACCEPT OK vpc-0a1b2c3d subnet-0a1b2c3d - 2 IPv4 10.0.1.9 52.95.128.179 - euw1-az1 - - - S3 egress -

         """),
        ("custom-format.log", """
         start srcaddr dstport action tcp-flags resource-id ecs-cluster-name reject-reason traffic-path packets
         0001795166000 192.0.2.1 00443 ACCEPT 000 i-00aa caf\u{E9}"x\\y - 0 0
         1795166001 192.0.2.2 22 REJECT 2 - c\u{1}d BPA 7 -

         """),
    ]

    @Test("every source, the shipped rules and a pattern on every field")
    func sameVerdictsAndEvents() throws {
        let flowDirectory = FileManager.default.temporaryDirectory
            .appendingPathComponent("vigil-lazy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: flowDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: flowDirectory) }
        var paths = Self.sampleFiles
        for (name, text) in Self.flowFiles {
            let url = flowDirectory.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            paths.append(url.path)
        }

        // First pass: every event as written, for the patterns on their fields.
        var written: [[UInt8]] = []
        var kinds: Set<LogRecord.Kind> = []
        for path in paths {
            var visitor = EventCollector(path: path)
            LogFileReader(input: try DecodedInput(path: path)).read(into: &visitor)
            written += visitor.events
            kinds.formUnion(visitor.kinds)
        }
        // Every source this release reads is in the comparison.
        #expect(kinds == Set(LogRecord.Kind.allCases.filter { $0 != .eventBridgeEvent }))
        var patterns = try Self.shippedPatterns()
        patterns += try Self.fieldPatterns(of: written)
        #expect(patterns.count > 500)
        let compiled = CompiledPatternSet(patterns)

        // Second pass: each event matched lazily and with its detail written first.
        var alerts = 0
        for path in paths {
            var visitor = Comparison(path: path, lazy: EnvelopeMatcher(compiled),
                                     written: EnvelopeMatcher(compiled, writesDetailFirst: true))
            LogFileReader(input: try DecodedInput(path: path)).read(into: &visitor)
            #expect(visitor.differences == [], "\(path)")
            alerts += visitor.matches
        }
        // The comparison is not vacuous: the patterns match thousands of times.
        #expect(alerts > 1000)
    }

    /// The patterns of Rules/.
    static func shippedPatterns() throws -> [(name: String, pattern: EventPattern)] {
        try files(under: root.appendingPathComponent("Rules")).filter { $0.hasSuffix(".json") }.map { path in
            let rule = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
            let pattern = try JSONSerialization.data(withJSONObject: try #require(rule["eventPattern"]))
            return (name: path, pattern: try EventPattern(json: String(decoding: pattern, as: UTF8.self)))
        }
    }

    /// For each leaf path of the events (outside arrays too: an array of leaves counts as the
    /// path's values): `exists` true and false, each of its first values, anything-but the first,
    /// a prefix of a string, numeric comparisons around a number.
    static func fieldPatterns(of events: [[UInt8]]) throws -> [(name: String, pattern: EventPattern)] {
        var values: [[String]: [Any]] = [:]
        var order: [[String]] = []
        func walk(_ value: Any, _ path: [String]) {
            if let object = value as? [String: Any] {
                for (key, member) in object { walk(member, path + [key]) }
            } else if let array = value as? [Any] {
                for element in array { walk(element, path) }
            } else {
                if values[path] == nil { order.append(path) }
                if (values[path]?.count ?? 0) < 3 { values[path, default: []].append(value) }
            }
        }
        for event in events { walk(try JSONSerialization.jsonObject(with: Data(event)), []) }
        var patterns: [(name: String, pattern: EventPattern)] = []
        func add(_ path: [String], _ test: Any) throws {
            var pattern: Any = [test]
            for key in path.reversed() { pattern = [key: pattern] }
            let text = String(decoding: try JSONSerialization.data(withJSONObject: pattern), as: UTF8.self)
            patterns.append((name: text, pattern: try EventPattern(json: text)))
        }
        for path in order {
            try add(path, ["exists": true])
            try add(path, ["exists": false])
            let seen = values[path] ?? []
            for value in seen where !(value is NSNull) { try add(path, value) }
            guard let first = seen.first else { continue }
            if let text = first as? String {
                try add(path, ["anything-but": text])
                try add(path, ["prefix": String(text.prefix(3))])
                try add(path, ["equals-ignore-case": text.uppercased()])
            } else if !(first is Bool), let number = (first as? Int).map(Double.init) ?? (first as? Double) {
                try add(path, ["numeric": [">=", number]])
                try add(path, ["numeric": ["<", number]])
                try add(path, ["anything-but": first])
            }
        }
        return patterns
    }

    /// Every file of SampleLogs and Tests/Fixtures: events of every kind this release reads.
    static var sampleFiles: [String] {
        files(under: root.appendingPathComponent("SampleLogs")) + files(under: root.appendingPathComponent("Tests/Fixtures"))
    }

    static func files(under directory: URL) -> [String] {
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
        var paths: [String] = []
        while let url = enumerator?.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true,
                  !url.lastPathComponent.hasSuffix(".md") else { continue }
            paths.append(url.path)
        }
        return paths.sorted()
    }

    /// Collects every event of a file as written.
    struct EventCollector: RecordVisitor {
        let context: LogFileContext
        var normalizer = EventNormalizer()
        var events: [[UInt8]] = []
        /// Where each event's `detail` starts, as `EnvelopeWriter` said.
        var detailStarts: [Int?] = []
        var kinds: Set<LogRecord.Kind> = []

        init(path: String) { context = LogFileContext(path: path) }

        mutating func visit(_ record: LogRecord) {
            guard let envelope = try? normalizer.normalize(record, context: context) else { return }
            var json: [UInt8] = []
            detailStarts.append(EnvelopeWriter.append(envelope, to: &json))
            events.append(json)
            kinds.insert(record.kind)
        }

        mutating func report(_ problem: InputProblem) {}
        mutating func skip(_ reason: SkipReason) {}
    }

    /// Matches each event both ways (Config items diffed first, as a replay does) and notes where
    /// the verdicts or the written events differ.
    struct Comparison: RecordVisitor {
        let context: LogFileContext
        let lazy: EnvelopeMatcher
        let written: EnvelopeMatcher
        var normalizer = EventNormalizer()
        let memory = ConfigItemMemory()
        var differ = ConfigItemDiffer()
        let referenceMemory = ConfigItemMemory()
        var referenceDiffer = ConfigItemDiffer()
        var differences: [String] = []
        var matches = 0

        init(path: String, lazy: EnvelopeMatcher, written: EnvelopeMatcher) {
            context = LogFileContext(path: path)
            self.lazy = lazy
            self.written = written
        }

        mutating func visit(_ record: LogRecord) {
            // Two normalizations of the record: one envelope is matched lazily, the other with
            // its detail written before matching; each is written out afterwards.
            var other = EventNormalizer()
            guard let envelope = try? normalizer.normalize(record, context: context),
                  let reference = try? other.normalize(record, context: context) else { return }
            // Each path's items diffed in file order against a memory of its own.
            if envelope.configItem != nil { differ.apply(to: envelope, memory: memory) }
            if reference.configItem != nil { referenceDiffer.apply(to: reference, memory: referenceMemory) }
            do {
                let lazyVerdict = try lazy.match(envelope).sorted()
                let writtenVerdict = try written.match(reference).sorted()
                var lazyJSON: [UInt8] = []
                var writtenJSON: [UInt8] = []
                EnvelopeWriter.append(envelope, to: &lazyJSON)
                EnvelopeWriter.append(reference, to: &writtenJSON)
                if lazyVerdict != writtenVerdict {
                    differences.append("record \(record.ordinal): matched \(lazyVerdict) lazily, \(writtenVerdict) written")
                }
                if lazyJSON != writtenJSON {
                    differences.append("record \(record.ordinal): \(String(decoding: lazyJSON, as: UTF8.self)) "
                                       + "≠ \(String(decoding: writtenJSON, as: UTF8.self))")
                }
                // The seconds a normalizer sets without reading `time` back are the ones it reads.
                if envelope.eventTime != envelope.time.withUnsafeBytes({ Timestamps.parse($0) }) {
                    differences.append("record \(record.ordinal): eventTime \(String(describing: envelope.eventTime)) "
                                       + "for time \(String(decoding: envelope.time, as: UTF8.self))")
                }
                if envelope.identity != reference.identity { differences.append("record \(record.ordinal): identity") }
                matches += lazyVerdict.count
            } catch {
                differences.append("record \(record.ordinal): \(error)")
            }
        }

        mutating func report(_ problem: InputProblem) {}
        mutating func skip(_ reason: SkipReason) {}
    }
}
